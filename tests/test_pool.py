"""max_pool2d, avg_pool2d and adaptive_avg_pool2d: drawn arguments checked against
plain references, numerical gradients (first and second order) and PyTorch."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import nn
from minigrad.nn import functional as F
from minigrad.ops._blas import threads
from minigrad.ops.pool import MAX_POOL_STRATEGIES, max_pool
from minigrad.testing import gradcheck, gradgradcheck

_BASE = settings().max_examples


def examples(n: int) -> settings:
    return settings(max_examples=max(3, _BASE * n // 25))


# --------------------------------------------------------------------------- references


def out_size(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    span = n + 2 * p - d * (k - 1) - 1
    out = (math.ceil(span / s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def max_pool_ref(x, k, s, p, d, ceil_mode):  # type: ignore[no-untyped-def]
    """Max pooling window by window: first maximum in row-major order, NaN wins."""
    N, C, H, W = x.shape
    OH, OW = (out_size(n, k[a], s[a], p[a], d[a], ceil_mode) for a, n in enumerate((H, W)))
    out, idx = np.zeros((N, C, OH, OW)), np.zeros((N, C, OH, OW), dtype=np.int64)
    for n in range(N):
        for c in range(C):
            for i in range(OH):
                for j in range(OW):
                    best, where = -np.inf, None
                    for a in range(k[0]):
                        for b in range(k[1]):
                            h, w = i * s[0] - p[0] + a * d[0], j * s[1] - p[1] + b * d[1]
                            if not (0 <= h < H and 0 <= w < W):
                                continue
                            if where is None:
                                where = h * W + w
                            v = x[n, c, h, w]
                            if v > best or np.isnan(v):
                                best, where = v, h * W + w
                    out[n, c, i, j], idx[n, c, i, j] = best, where
    return out, idx


def avg_pool_ref(x, k, s, p, ceil_mode, count_include_pad, divisor_override):  # type: ignore[no-untyped-def]
    N, C, H, W = x.shape
    OH, OW = (out_size(n, k[a], s[a], p[a], 1, ceil_mode) for a, n in enumerate((H, W)))
    out = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            h0, w0 = i * s[0] - p[0], j * s[1] - p[1]
            h1, w1 = min(h0 + k[0], H + p[0]), min(w0 + k[1], W + p[1])
            size = (h1 - h0) * (w1 - w0)
            h0, w0, h1, w1 = max(h0, 0), max(w0, 0), min(h1, H), min(w1, W)
            total = x[:, :, h0:h1, w0:w1].sum(axis=(2, 3))
            if divisor_override:
                out[:, :, i, j] = total / divisor_override
            else:
                out[:, :, i, j] = total / (size if count_include_pad else (h1 - h0) * (w1 - w0))
    return out


def adaptive_ref(x, OH, OW):  # type: ignore[no-untyped-def]
    N, C, H, W = x.shape
    out = np.zeros((N, C, OH, OW))
    for i in range(OH):
        for j in range(OW):
            h0, h1 = (i * H) // OH, math.ceil((i + 1) * H / OH)
            w0, w1 = (j * W) // OW, math.ceil((j + 1) * W / OW)
            out[:, :, i, j] = x[:, :, h0:h1, w0:w1].mean(axis=(2, 3))
    return out


# --------------------------------------------------------------------------- strategies


@st.composite
def pool_args(draw: Any, dilation: bool = True, max_side: int = 7) -> dict[str, Any]:
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    s = k if stride is None else stride
    p = (draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if dilation else (1, 1)
    ceil_mode = draw(st.booleans())
    sizes = []
    for a in range(2):
        lo = max(1, d[a] * (k[a] - 1) + 1 - 2 * p[a])
        sizes.append(draw(st.integers(lo, max(lo, max_side))))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), *sizes)
    for a in range(2):  # every window must hold an input element (not only padding)
        n = out_size(sizes[a], k[a], s[a], p[a], d[a], ceil_mode)
        for i in range(n):
            taps = [i * s[a] - p[a] + j * d[a] for j in range(k[a])]
            assume(any(0 <= t < sizes[a] for t in taps))
    return {
        "shape": shape, "kernel_size": k, "stride": stride, "padding": p, "dilation": d,
        "ceil_mode": ceil_mode, "strides": s, "seed": draw(st.integers(0, 2**16)),
    }  # fmt: skip


def distinct(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Values at least 0.1 apart, so a small step never changes which one is the max."""
    n = int(np.prod(shape))
    return np.random.default_rng(seed).permutation(n).reshape(shape) * 0.1 - n * 0.05


def max_kwargs(args: dict[str, Any]) -> dict[str, Any]:
    return {k: args[k] for k in ("kernel_size", "stride", "padding", "dilation", "ceil_mode")}


# --------------------------------------------------------------------------- max_pool2d


def batch_threads(split: bool) -> Any:
    """Kernels with the batch cut over two threads (at any size), or on this thread only."""
    return threads(2, min_work=0) if split else threads(1)


@examples(40)
@given(args=pool_args(), split=st.booleans())
def test_max_pool2d_matches_reference(args: dict[str, Any], split: bool) -> None:
    with batch_threads(split):
        _max_pool2d_matches_reference(args)


def _max_pool2d_matches_reference(args: dict[str, Any]) -> None:
    rng = np.random.default_rng(args["seed"])
    x = rng.integers(-2, 3, args["shape"]).astype(np.float64)  # many ties
    if args["seed"] % 4 == 0:
        x[rng.random(x.shape) < 0.2] = np.nan
    kw = max_kwargs(args)
    geometry = [args[k] for k in ("kernel_size", "strides", "padding", "dilation", "ceil_mode")]
    ref, ref_idx = max_pool_ref(x, *geometry)
    out, idx = F.max_pool2d(minigrad.tensor(x), **kw, return_indices=True)
    np.testing.assert_array_equal(out.numpy(), ref)
    np.testing.assert_array_equal(idx.numpy(), ref_idx)
    values_only = F.max_pool2d(minigrad.tensor(x), **kw)  # no grad, no indices: another path
    np.testing.assert_array_equal(values_only.numpy(), ref)


@examples(20)
@given(args=pool_args(max_side=5))
def test_max_pool2d_gradcheck(args: dict[str, Any]) -> None:
    x = minigrad.tensor(distinct(args["shape"], args["seed"]), requires_grad=True)
    kw = max_kwargs(args)
    assert gradcheck(lambda t: F.max_pool2d(t, **kw), (x,))


@examples(15)
@given(args=pool_args(max_side=4))
def test_max_pool2d_gradgradcheck(args: dict[str, Any]) -> None:
    x = minigrad.tensor(distinct(args["shape"], args["seed"]), requires_grad=True)
    kw = max_kwargs(args)
    assert gradgradcheck(lambda t: F.max_pool2d(t, **kw), (x,))


@examples(25)
@given(args=pool_args(), ties=st.booleans())
def test_max_pool2d_matches_torch(torch: Any, args: dict[str, Any], ties: bool) -> None:
    rng = np.random.default_rng(args["seed"])
    shape = args["shape"]
    x = rng.integers(-2, 3, shape).astype(np.float64) if ties else rng.standard_normal(shape)
    kw = max_kwargs(args)
    mx, tx = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, idx = F.max_pool2d(mx, **kw, return_indices=True)
    tout, tidx = torch.nn.functional.max_pool2d(tx, **kw, return_indices=True)
    np.testing.assert_array_equal(out.numpy(), tout.detach().numpy())
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    g = rng.standard_normal(out.shape)
    out.backward(minigrad.tensor(g))
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_max_pool2d_tie_rule_and_nan(torch: Any) -> None:
    x = np.array([[[[1.0, 3.0, 3.0], [3.0, 2.0, np.nan], [np.nan, 0.0, 5.0]]]])
    out, idx = F.max_pool2d(minigrad.tensor(x), 2, stride=1, return_indices=True)
    # windows: {1,3,3,2} -> first 3 (index 1); {3,3,2,nan} -> nan; {3,2,nan,0} -> nan at 6;
    # {2,nan,0,5} -> nan at 5
    np.testing.assert_array_equal(idx.numpy(), [[[[1, 5], [6, 5]]]])
    tout, tidx = torch.nn.functional.max_pool2d(torch.tensor(x), 2, stride=1, return_indices=True)
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())
    np.testing.assert_array_equal(out.numpy(), tout.numpy())


def test_max_pool2d_all_minus_inf_window_points_inside(torch: Any) -> None:
    x = np.full((1, 1, 3, 3), -np.inf)
    kw = {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 1}
    _, idx = F.max_pool2d(minigrad.tensor(x), **kw, return_indices=True)
    _, tidx = torch.nn.functional.max_pool2d(torch.tensor(x), **kw, return_indices=True)
    np.testing.assert_array_equal(idx.numpy(), tidx.numpy())


def test_max_pool2d_overlapping_windows_accumulate() -> None:
    x = minigrad.tensor([[[[0.0, 1.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]]]], requires_grad=True)
    F.max_pool2d(x, 2, stride=1).sum().backward()
    assert x.grad.numpy()[0, 0, 1, 1] == 4.0  # the 9 is the max of all four windows


def test_max_pool2d_unbatched_and_float32() -> None:
    x = minigrad.randn(3, 8, 8)
    out, idx = F.max_pool2d(x, 2, return_indices=True)
    assert out.shape == idx.shape == (3, 4, 4) and out.dtype == np.float32
    assert idx.dtype == np.int64


# --------------------------------------------------------------------------- avg_pool2d


@st.composite
def avg_args(draw: Any, max_side: int = 7) -> dict[str, Any]:
    args = draw(pool_args(dilation=False, max_side=max_side))
    args["count_include_pad"] = draw(st.booleans())
    args["divisor_override"] = draw(st.sampled_from([None, None, None, 3]))
    return args


def avg_kwargs(args: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "kernel_size",
        "stride",
        "padding",
        "ceil_mode",
        "count_include_pad",
        "divisor_override",
    )
    return {k: args[k] for k in keys}


@examples(40)
@given(args=avg_args())
def test_avg_pool2d_matches_reference(args: dict[str, Any]) -> None:
    x = np.random.default_rng(args["seed"]).standard_normal(args["shape"])
    out = F.avg_pool2d(minigrad.tensor(x), **avg_kwargs(args))
    ref = avg_pool_ref(
        x, args["kernel_size"], args["strides"], args["padding"], args["ceil_mode"],
        args["count_include_pad"], args["divisor_override"],
    )  # fmt: skip
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-12, atol=1e-12)


@examples(20)
@given(args=avg_args(max_side=5))
def test_avg_pool2d_gradcheck(args: dict[str, Any]) -> None:
    x = minigrad.tensor(
        np.random.default_rng(args["seed"]).standard_normal(args["shape"]), requires_grad=True
    )
    kw = avg_kwargs(args)
    assert gradcheck(lambda t: F.avg_pool2d(t, **kw), (x,))


@examples(15)
@given(args=avg_args(max_side=4))
def test_avg_pool2d_gradgradcheck(args: dict[str, Any]) -> None:
    x = minigrad.tensor(
        np.random.default_rng(args["seed"]).standard_normal(args["shape"]), requires_grad=True
    )
    kw = avg_kwargs(args)
    assert gradgradcheck(lambda t: F.avg_pool2d(t, **kw), (x,))


@examples(25)
@given(args=avg_args())
def test_avg_pool2d_matches_torch(torch: Any, args: dict[str, Any]) -> None:
    rng = np.random.default_rng(args["seed"])
    x = rng.standard_normal(args["shape"])
    kw = avg_kwargs(args)
    mx, tx = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, tout = F.avg_pool2d(mx, **kw), torch.nn.functional.avg_pool2d(tx, **kw)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(out.shape)
    out.backward(minigrad.tensor(g))
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------- adaptive


@examples(25)
@given(
    shape=st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(1, 7), st.integers(1, 7)),
    out=st.tuples(st.integers(1, 5), st.one_of(st.none(), st.integers(1, 5))),
    seed=st.integers(0, 2**16),
)
def test_adaptive_avg_pool2d(torch: Any, shape: Any, out: Any, seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal(shape)
    mx, tx = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, ty = F.adaptive_avg_pool2d(mx, out), torch.nn.functional.adaptive_avg_pool2d(tx, out)
    OH, OW = out[0], shape[3] if out[1] is None else out[1]
    np.testing.assert_allclose(y.numpy(), adaptive_ref(x, OH, OW), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y.numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    y.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("out", [1, (2, 3), (3, 2)])
def test_adaptive_avg_pool2d_gradchecks(out: Any) -> None:
    x = minigrad.randn(2, 2, 5, 4, dtype=minigrad.float64, requires_grad=True)
    assert gradcheck(lambda t: F.adaptive_avg_pool2d(t, out), (x,))
    assert gradgradcheck(lambda t: F.adaptive_avg_pool2d(t, out), (x,))


# --------------------------------------------------------------------------- errors


def test_pool_errors_name_both_sides() -> None:
    x = minigrad.randn(1, 2, 4, 4)
    with pytest.raises(
        RuntimeError, match=r"kernel size \(5, 5\) .* larger than the padded input \(4, 4\)"
    ):
        F.max_pool2d(x, 5)
    with pytest.raises(
        RuntimeError, match=r"kernel size \(7, 7\) .* larger than the padded input \(6, 6\)"
    ):
        F.max_pool2d(x, 4, padding=1, dilation=2)
    with pytest.raises(
        RuntimeError, match=r"kernel size \(5, 5\) .* larger than the padded input \(4, 4\)"
    ):
        F.avg_pool2d(x, 5)
    with pytest.raises(
        ValueError, match=r"padding \(2, 2\) must be at most half of the kernel size \(3, 3\)"
    ):
        F.max_pool2d(x, 3, padding=2)
    with pytest.raises(RuntimeError, match=r"got a 2-D input of shape \(4, 4\)"):
        F.max_pool2d(minigrad.randn(4, 4), 2)
    with pytest.raises(RuntimeError, match=r"got a 5-D input"):
        F.avg_pool2d(minigrad.randn(1, 1, 1, 4, 4), 2)
    with pytest.raises(TypeError, match=r"kernel_size must be an int or a pair of ints, got 'a'"):
        F.max_pool2d(x, "a")
    with pytest.raises(ValueError, match=r"output_size must be at least 1, got 0"):
        F.adaptive_avg_pool2d(x, 0)


# --------------------------------------------------------------------------- strategies, names


@examples(30)
@given(args=pool_args(), strategy=st.sampled_from(MAX_POOL_STRATEGIES), split=st.booleans())
def test_max_pool_strategies_match_reference(
    args: dict[str, Any], strategy: str, split: bool
) -> None:
    """Each arg-max strategy, chosen explicitly, with the batch split over two threads
    or not: values, indices, gradients."""
    with batch_threads(split):
        _max_pool_strategy_matches_reference(args, strategy)


def _max_pool_strategy_matches_reference(args: dict[str, Any], strategy: str) -> None:
    rng = np.random.default_rng(args["seed"])
    x = rng.integers(-2, 3, args["shape"]).astype(np.float64)
    kw = max_kwargs(args)
    geometry = [args[k] for k in ("kernel_size", "strides", "padding", "dilation", "ceil_mode")]
    ref, ref_idx = max_pool_ref(x, *geometry)
    mx = minigrad.tensor(x, requires_grad=True)
    out, idx = max_pool(mx, **kw, return_indices=True, strategy=strategy)
    np.testing.assert_array_equal(out.numpy(), ref)
    np.testing.assert_array_equal(idx.numpy(), ref_idx)
    g = rng.standard_normal(out.shape)
    out.backward(minigrad.tensor(g))
    expected = np.zeros(x.size)
    np.add.at(expected.reshape(x.shape[0], x.shape[1], -1), (
        np.arange(x.shape[0])[:, None, None], np.arange(x.shape[1])[None, :, None],
        ref_idx.reshape(x.shape[0], x.shape[1], -1),
    ), g.reshape(x.shape[0], x.shape[1], -1))  # fmt: skip
    np.testing.assert_allclose(mx.grad.numpy(), expected.reshape(x.shape), rtol=1e-12)
    z = minigrad.tensor(distinct(args["shape"], args["seed"]), requires_grad=True)
    assert gradgradcheck(lambda t: max_pool(t, **kw, strategy=strategy), (z,))


def test_pool_grad_fn_names() -> None:
    x = minigrad.randn(1, 1, 4, 4, dtype=minigrad.float64, requires_grad=True)
    y = F.max_pool2d(x, 2)
    assert y.grad_fn is not None and y.grad_fn.name() == "MaxPool2DWithIndicesBackward0"
    (gx,) = minigrad.grad((y * y).sum(), x, create_graph=True)
    assert gx.grad_fn is not None
    assert gx.grad_fn.name() == "MaxPool2DWithIndicesBackwardBackward0"
    a = F.avg_pool2d(x, 2)
    assert a.grad_fn is not None and a.grad_fn.name() == "AvgPool2DBackward0"
    with pytest.raises(ValueError, match=r"strategy must be one of \('masks', 'compare'\)"):
        max_pool(x, 2, strategy="fast")


_NUMBER = st.one_of(st.integers(-1, 3), st.floats(0, 3), st.booleans())
ARG_VALUES = st.one_of(
    _NUMBER,
    st.none(),
    st.just("same"),
    st.lists(_NUMBER, max_size=3).map(tuple),
    st.lists(st.integers(0, 3), min_size=1, max_size=2),
)


def outcome(fn: Any) -> tuple[Any, ...]:
    """``("ok", values)`` or the error's type and message."""
    try:
        out = fn()
    except Exception as e:  # the error itself is what is compared
        return (type(e), str(e))
    return ("ok", out.numpy().tolist())


@examples(60)
@given(
    value=ARG_VALUES,
    which=st.sampled_from(["kernel_size", "stride", "padding", "dilation"]),
    avg=st.booleans(),
)
def test_pool_layers_and_functions_accept_and_reject_the_same(
    value: Any, which: str, avg: bool
) -> None:
    """``nn.MaxPool2d``/``nn.AvgPool2d`` fail exactly as ``F.max_pool2d``/``F.avg_pool2d``."""
    if avg and which == "dilation":
        which = "kernel_size"
    args: dict[str, Any] = {"kernel_size": 2, "stride": None, "padding": 0}
    if not avg:
        args["dilation"] = 1
    args[which] = value
    x = minigrad.tensor(distinct((1, 2, 6, 6), 0))
    layer, fn = (nn.AvgPool2d, F.avg_pool2d) if avg else (nn.MaxPool2d, F.max_pool2d)
    assert outcome(lambda: layer(**args)(x)) == outcome(lambda: fn(x, **args))
