"""conv2d and conv_transpose2d: drawn arguments checked against a plain reference,
numerical gradients (first and second order) and PyTorch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import nn
from minigrad.nn import functional as F
from minigrad.ops import conv as conv_ops
from minigrad.ops._blas import threads
from minigrad.testing import gradcheck, gradgradcheck

# Example budgets scale with the Hypothesis profile (25 examples in "ci").
_BASE = settings().max_examples


def examples(n: int) -> settings:
    return settings(max_examples=max(3, _BASE * n // 25))


# Every product layout, chosen explicitly (None: the one conv2d picks per shape).
STRATEGIES = st.sampled_from([None, *conv_ops.STRATEGIES])


def batch_threads(split: bool) -> Any:
    """Kernels with the batch cut over two threads (at any size), or on this thread only."""
    return threads(2, min_work=0) if split else threads(1)


def conv(*args: Any, strategy: str | None, **kwargs: Any) -> Any:
    return conv_ops.convolution(*args, **kwargs, strategy=strategy)


def conv_t(*args: Any, strategy: str | None, **kwargs: Any) -> Any:
    return conv_ops.convolution_transpose(*args, **kwargs, strategy=strategy)


# --------------------------------------------------------------------------- references


def conv2d_ref(x, w, b, stride, padding, dilation, groups):  # type: ignore[no-untyped-def]
    """Direct convolution, one output element at a time."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    N, _, H, W = x.shape
    O, Cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    OH = (H + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    OW = (W + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((N, O, OH, OW))
    per_group = O // groups
    for n in range(N):
        for o in range(O):
            g = o // per_group
            for i in range(OH):
                for j in range(OW):
                    patch = xp[
                        n,
                        g * Cg : (g + 1) * Cg,
                        i * sh : i * sh + dh * (kh - 1) + 1 : dh,
                        j * sw : j * sw + dw * (kw - 1) + 1 : dw,
                    ]
                    out[n, o, i, j] = (patch * w[o]).sum() + (0.0 if b is None else b[o])
    return out


def conv_transpose2d_ref(x, w, stride, padding, output_padding, groups, dilation):  # type: ignore[no-untyped-def]
    """Transposed convolution as a scatter: each input element adds w into the output."""
    (sh, sw), (ph, pw), (dh, dw), (oph, opw) = stride, padding, dilation, output_padding
    N, C, H, W = x.shape
    _, Og, kh, kw = w.shape
    OH = (H - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1
    OW = (W - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1
    full = np.zeros((N, Og * groups, OH + 2 * ph + dh * kh, OW + 2 * pw + dw * kw))
    per_group = C // groups
    for n in range(N):
        for c in range(C):
            g = c // per_group
            for i in range(H):
                for j in range(W):
                    for a in range(kh):
                        for bb in range(kw):
                            full[n, g * Og : (g + 1) * Og, i * sh + a * dh, j * sw + bb * dw] += (
                                x[n, c, i, j] * w[c, :, a, bb]
                            )
    return full[:, :, ph : ph + OH, pw : pw + OW]


# --------------------------------------------------------------------------- strategies


@st.composite
def conv_args(draw: Any, max_side: int = 6, max_batch: int = 2) -> dict[str, Any]:
    """Valid conv2d arguments: shapes, stride, padding, dilation, groups, and a seed."""
    groups = draw(st.sampled_from([1, 1, 2]))
    cg, og = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    min_h = max(1, dilation[0] * (kh - 1) + 1 - 2 * padding[0])
    min_w = max(1, dilation[1] * (kw - 1) + 1 - 2 * padding[1])
    H = draw(st.integers(min_h, max(min_h, max_side)))
    W = draw(st.integers(min_w, max(min_w, max_side)))
    return {
        "x": (draw(st.integers(1, max_batch)), groups * cg, H, W),
        "w": (groups * og, cg, kh, kw),
        "bias": draw(st.booleans()),
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
        "seed": draw(st.integers(0, 2**16)),
    }


def make(args: dict[str, Any], dtype: Any = np.float64) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(args["seed"])
    x = rng.standard_normal(args["x"]).astype(dtype)
    w = rng.standard_normal(args["w"]).astype(dtype)
    b = rng.standard_normal(args["w"][0]).astype(dtype) if args["bias"] else None
    return x, w, b


def tensors(*arrays: Any) -> list[Any]:
    return [None if a is None else minigrad.tensor(a, requires_grad=True) for a in arrays]


def conv_kwargs(args: dict[str, Any]) -> dict[str, Any]:
    return {k: args[k] for k in ("stride", "padding", "dilation", "groups")}


# --------------------------------------------------------------------------- conv2d


@examples(30)
@given(args=conv_args(), strategy=STRATEGIES, split=st.booleans())
def test_conv2d_forward_matches_reference(
    args: dict[str, Any], strategy: str | None, split: bool
) -> None:
    with batch_threads(split):
        x, w, b = make(args)
        out = conv(
            minigrad.tensor(x),
            minigrad.tensor(w),
            None if b is None else minigrad.tensor(b),
            **conv_kwargs(args),
            strategy=strategy,
        )
        ref = conv2d_ref(x, w, b, args["stride"], args["padding"], args["dilation"], args["groups"])
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-10, atol=1e-10)


@examples(30)
@given(args=conv_args(max_side=5), strategy=STRATEGIES, split=st.booleans())
def test_conv2d_gradcheck(args: dict[str, Any], strategy: str | None, split: bool) -> None:
    with batch_threads(split):
        x, w, b = tensors(*make(args))
        kw = conv_kwargs(args)
        inputs = (x, w) if b is None else (x, w, b)
        assert gradcheck(lambda *t: conv(*t, **kw, strategy=strategy), inputs)


@examples(12)
@given(args=conv_args(max_side=4, max_batch=1), strategy=STRATEGIES, split=st.booleans())
def test_conv2d_gradgradcheck(args: dict[str, Any], strategy: str | None, split: bool) -> None:
    with batch_threads(split):
        x, w, b = tensors(*make(args))
        kw = conv_kwargs(args)
        inputs = (x, w) if b is None else (x, w, b)
        assert gradgradcheck(lambda *t: conv(*t, **kw, strategy=strategy), inputs)


@examples(20)
@given(args=conv_args(), strategy=STRATEGIES, split=st.booleans())
def test_conv2d_matches_torch(
    torch: Any, args: dict[str, Any], strategy: str | None, split: bool
) -> None:
    with batch_threads(split):
        x, w, b = make(args)
        kw = conv_kwargs(args)
        mx, mw, mb = tensors(x, w, b)
        tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
        tb = None if b is None else torch.tensor(b, requires_grad=True)
        out = conv(mx, mw, mb, **kw, strategy=strategy)
        tout = torch.nn.functional.conv2d(tx, tw, tb, **kw)
        np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10, atol=1e-10)
        g = np.random.default_rng(1).standard_normal(out.shape)
        out.backward(minigrad.tensor(g))
        tout.backward(torch.tensor(g))
        for m, t in ((mx, tx), (mw, tw), (mb, tb)):
            if m is not None:
                np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-10)


@pytest.mark.filterwarnings("ignore:Using padding=.same.")
@pytest.mark.parametrize("kernel,dilation", [((3, 3), (1, 1)), ((2, 4), (1, 1)), ((3, 2), (2, 3))])
def test_conv2d_same_and_valid_padding(torch: Any, kernel: Any, dilation: Any) -> None:
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, *kernel))
    for padding in ("same", "valid"):
        out = F.conv2d(minigrad.tensor(x), minigrad.tensor(w), padding=padding, dilation=dilation)
        ref = torch.nn.functional.conv2d(
            torch.tensor(x), torch.tensor(w), padding=padding, dilation=dilation
        )
        np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-10, atol=1e-10)
    same = F.conv2d(minigrad.tensor(x), minigrad.tensor(w), padding="same", dilation=dilation)
    assert same.shape[2:] == x.shape[2:]


def test_conv2d_unbatched_and_float32() -> None:
    x = minigrad.randn(3, 5, 5)
    w = minigrad.randn(2, 3, 3, 3)
    out = F.conv2d(x, w, padding=1)
    assert out.shape == (2, 5, 5) and out.dtype == np.float32
    batched = F.conv2d(x.unsqueeze(0), w, padding=1)
    np.testing.assert_allclose(out.numpy(), batched.numpy()[0], rtol=1e-6)


def test_conv2d_one_by_one_kernel() -> None:
    x, w = (
        minigrad.randn(2, 4, 3, 3, dtype=minigrad.float64),
        minigrad.randn(5, 4, 1, 1, dtype=minigrad.float64),
    )
    out = F.conv2d(x, w)
    ref = np.einsum("nchw,oc->nohw", x.numpy(), w.numpy()[:, :, 0, 0])
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-12)


def test_conv2d_double_backward_builds_conv_graph() -> None:
    x = minigrad.randn(1, 2, 4, 4, dtype=minigrad.float64, requires_grad=True)
    w = minigrad.randn(3, 2, 3, 3, dtype=minigrad.float64, requires_grad=True)
    (gx,) = minigrad.grad(F.conv2d(x, w).sum(), x, create_graph=True)
    assert gx.grad_fn is not None and gx.grad_fn.name() == "ConvolutionTransposeBackward0"
    (gw,) = minigrad.grad((gx * gx).sum(), w)
    assert gw.shape == w.shape


# --------------------------------------------------------------------------- conv_transpose2d


@st.composite
def transpose_args(draw: Any, max_side: int = 4, max_batch: int = 2) -> dict[str, Any]:
    args = draw(conv_args(max_side=max_side, max_batch=max_batch))
    stride, dilation = args["stride"], args["dilation"]
    groups = args["groups"]
    cin = args["x"][1]
    og = draw(st.integers(1, 2))
    args["w"] = (cin, og, args["w"][2], args["w"][3])
    args["output_padding"] = tuple(draw(st.integers(0, s - 1)) for s in stride)
    H, W = args["x"][2:]
    kh, kw = args["w"][2:]
    for a, (n, k) in enumerate(((H, kh), (W, kw))):  # keep the output non-empty
        size = (n - 1) * stride[a] + dilation[a] * (k - 1) + args["output_padding"][a] + 1
        pad = list(args["padding"])
        pad[a] = min(pad[a], (size - 1) // 2)
        args["padding"] = tuple(pad)
    args["groups"] = groups
    return args


def transpose_kwargs(args: dict[str, Any]) -> dict[str, Any]:
    return {k: args[k] for k in ("stride", "padding", "output_padding", "groups", "dilation")}


def make_transpose(args: dict[str, Any]) -> tuple[Any, Any, Any]:
    rng = np.random.default_rng(args["seed"])
    x = rng.standard_normal(args["x"])
    w = rng.standard_normal(args["w"])
    b = rng.standard_normal(args["w"][1] * args["groups"]) if args["bias"] else None
    return x, w, b


@examples(25)
@given(args=transpose_args(), strategy=STRATEGIES, split=st.booleans())
def test_conv_transpose2d_forward_matches_reference(
    args: dict[str, Any], strategy: str | None, split: bool
) -> None:
    with batch_threads(split):
        x, w, _ = make_transpose(args)
        kw = transpose_kwargs(args)
        out = conv_t(minigrad.tensor(x), minigrad.tensor(w), **kw, strategy=strategy)
        ref = conv_transpose2d_ref(
            x, w, kw["stride"], kw["padding"], kw["output_padding"], kw["groups"], kw["dilation"]
        )
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-10, atol=1e-10)


@examples(25)
@given(args=transpose_args(), strategy=STRATEGIES, split=st.booleans())
def test_conv_transpose2d_gradcheck(
    args: dict[str, Any], strategy: str | None, split: bool
) -> None:
    with batch_threads(split):
        x, w, b = tensors(*make_transpose(args))
        kw = transpose_kwargs(args)
        inputs = (x, w) if b is None else (x, w, b)
        assert gradcheck(lambda *t: conv_t(*t, **kw, strategy=strategy), inputs)


@examples(10)
@given(args=transpose_args(max_side=3, max_batch=1), strategy=STRATEGIES, split=st.booleans())
def test_conv_transpose2d_gradgradcheck(
    args: dict[str, Any], strategy: str | None, split: bool
) -> None:
    with batch_threads(split):
        x, w, b = tensors(*make_transpose(args))
        kw = transpose_kwargs(args)
        inputs = (x, w) if b is None else (x, w, b)
        assert gradgradcheck(lambda *t: conv_t(*t, **kw, strategy=strategy), inputs)


@examples(15)
@given(args=transpose_args(), strategy=STRATEGIES, split=st.booleans())
def test_conv_transpose2d_matches_torch(
    torch: Any, args: dict[str, Any], strategy: str | None, split: bool
) -> None:
    with batch_threads(split):
        x, w, b = make_transpose(args)
        kw = transpose_kwargs(args)
        mx, mw, mb = tensors(x, w, b)
        tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
        tb = None if b is None else torch.tensor(b, requires_grad=True)
        out = conv_t(mx, mw, mb, **kw, strategy=strategy)
        tout = torch.nn.functional.conv_transpose2d(tx, tw, tb, **kw)
        np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10, atol=1e-10)
        g = np.random.default_rng(1).standard_normal(out.shape)
        out.backward(minigrad.tensor(g))
        tout.backward(torch.tensor(g))
        for m, t in ((mx, tx), (mw, tw), (mb, tb)):
            if m is not None:
                np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=1e-10, atol=1e-10)


def test_conv_transpose2d_is_the_input_gradient_of_conv2d() -> None:
    x = minigrad.randn(2, 4, 8, 6, dtype=minigrad.float64, requires_grad=True)
    w = minigrad.randn(6, 2, 3, 2, dtype=minigrad.float64)
    y = F.conv2d(x, w, stride=2, padding=1, groups=2)
    g = minigrad.randn(*y.shape, dtype=minigrad.float64)
    y.backward(g)
    # 7 and 8 rows both give 4 output rows: output_padding picks 8.
    t = F.conv_transpose2d(g, w, stride=2, padding=1, output_padding=(1, 0), groups=2)
    np.testing.assert_allclose(t.numpy(), x.grad.numpy(), rtol=1e-12)


# --------------------------------------------------------------------------- errors


def test_conv2d_errors_name_both_sides() -> None:
    x = minigrad.randn(2, 3, 8, 8)
    with pytest.raises(
        RuntimeError,
        match=r"input has 3 channels but weight expects 1 \(weight shape \(6, 1, 5, 5\)",
    ):
        F.conv2d(x, minigrad.randn(6, 1, 5, 5))
    with pytest.raises(RuntimeError, match=r"groups=2 does not divide the input's channels \(3\)"):
        F.conv2d(x, minigrad.randn(4, 1, 3, 3), groups=2)
    with pytest.raises(
        RuntimeError,
        match=r"groups=2 does not divide the weight's output channels "
        r"\(5; weight shape \(5, 2, 3, 3\)\)",
    ):
        F.conv2d(minigrad.randn(1, 4, 5, 5), minigrad.randn(5, 2, 3, 3), groups=2)
    with pytest.raises(
        RuntimeError, match=r"kernel size \(9, 9\) .* larger than the padded input \(8, 8\)"
    ):
        F.conv2d(x, minigrad.randn(1, 3, 5, 5), dilation=2)
    with pytest.raises(
        RuntimeError, match=r"kernel size \(5, 5\) .* larger than the padded input \(4, 4\)"
    ):
        F.conv2d(minigrad.randn(1, 3, 2, 2), minigrad.randn(1, 3, 5, 5), padding=1)
    with pytest.raises(
        RuntimeError,
        match=r"expected a 3-D \(C, H, W\) or 4-D \(N, C, H, W\) input, "
        r"got a 2-D input of shape \(8, 8\)",
    ):
        F.conv2d(minigrad.randn(8, 8), minigrad.randn(1, 1, 3, 3))
    with pytest.raises(RuntimeError, match=r"got a 5-D input"):
        F.conv2d(minigrad.randn(1, 1, 1, 8, 8), minigrad.randn(1, 1, 3, 3))
    with pytest.raises(RuntimeError, match=r"weight must be 4-D"):
        F.conv2d(x, minigrad.randn(3, 3, 3))
    with pytest.raises(
        RuntimeError, match=r"bias has shape \(4,\) but the op has 6 output channels"
    ):
        F.conv2d(x, minigrad.randn(6, 3, 3, 3), minigrad.randn(4))
    with pytest.raises(ValueError, match=r"padding='same' is not supported for strided"):
        F.conv2d(x, minigrad.randn(6, 3, 3, 3), stride=2, padding="same")
    with pytest.raises(ValueError, match=r"stride must be at least 1, got 0"):
        F.conv2d(x, minigrad.randn(6, 3, 3, 3), stride=0)
    with pytest.raises(
        TypeError, match=r"input is (minigrad\.)?float64 but weight is (minigrad\.)?float32"
    ):
        F.conv2d(x.double(), minigrad.randn(6, 3, 3, 3))


def test_conv_transpose2d_errors_name_both_sides() -> None:
    x = minigrad.randn(1, 3, 4, 4)
    with pytest.raises(
        RuntimeError,
        match=r"input has 3 channels but weight expects 4 \(weight shape \(4, 2, 3, 3\)",
    ):
        F.conv_transpose2d(x, minigrad.randn(4, 2, 3, 3))
    with pytest.raises(RuntimeError, match=r"groups=2 does not divide the input's channels \(3\)"):
        F.conv_transpose2d(x, minigrad.randn(3, 2, 3, 3), groups=2)
    with pytest.raises(
        ValueError, match=r"output_padding \(2, 2\) must be smaller than the stride \(2, 2\)"
    ):
        F.conv_transpose2d(x, minigrad.randn(3, 2, 3, 3), stride=2, output_padding=2)


def test_conv2d_backward_twice_with_retain_graph() -> None:
    """The forward's columns are reused once, then recomputed: same gradients."""
    x = minigrad.randn(2, 3, 6, 6, dtype=minigrad.float64, requires_grad=True)
    w = minigrad.randn(4, 3, 3, 3, dtype=minigrad.float64, requires_grad=True)
    y = (F.conv2d(x, w, padding=1) ** 2).sum()
    y.backward(retain_graph=True)
    first = w.grad.numpy().copy(), x.grad.numpy().copy()
    y.backward()
    np.testing.assert_allclose(w.grad.numpy(), 2 * first[0], rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), 2 * first[1], rtol=1e-12)


def test_grad_fn_names_are_pytorchs_backward_nodes() -> None:
    x = minigrad.randn(1, 2, 5, 5, dtype=minigrad.float64, requires_grad=True)
    w = minigrad.randn(3, 2, 3, 3, dtype=minigrad.float64, requires_grad=True)
    y = F.conv2d(x, w)
    assert y.grad_fn is not None and y.grad_fn.name() == "ConvolutionBackward0"
    (gw,) = minigrad.grad(y.sum(), w, create_graph=True)
    assert gw.grad_fn is not None and gw.grad_fn.name() == "ConvolutionBackwardWeightBackward0"
    t = F.conv_transpose2d(y, w)
    assert t.grad_fn is not None and t.grad_fn.name() == "ConvolutionTransposeBackward0"


@examples(30)
@given(args=conv_args(max_side=7, max_batch=3))
def test_input_gradient_as_a_convolution_equals_the_scatter(args: dict[str, Any]) -> None:
    """The "adjoint" input gradient (a convolution of the padded gradient with the
    flipped kernel) against the scatter of the "batch" layout, for stride 1 wherever
    it applies (padding at most the dilated kernel's extent)."""
    args = {**args, "stride": (1, 1)}
    x, w, _ = make(args)
    kw = conv_kwargs(args)
    y = conv(minigrad.tensor(x), minigrad.tensor(w), **kw, strategy="batch").numpy()
    g = np.random.default_rng(args["seed"]).standard_normal(y.shape)
    pads = (*(kw["padding"][0],) * 2, *(kw["padding"][1],) * 2)
    geometry = {
        "stride": (1, 1),
        "padding": pads,
        "dilation": kw["dilation"],
        "groups": kw["groups"],
    }
    assume(conv_ops._adjoint_padding(w.shape, x.shape[2:], y.shape[2:], pads, kw["dilation"]))
    ref = conv_ops.conv_input_grad(g, w, x.shape[2:], **geometry, strategy="batch")
    out = conv_ops.conv_input_grad(g, w, x.shape[2:], **geometry, strategy="adjoint")
    np.testing.assert_allclose(out, ref, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("strategy", [None, *conv_ops.STRATEGIES])
def test_an_empty_batch_gives_empty_outputs_and_zero_weight_gradients(
    torch: Any, strategy: str | None
) -> None:
    x = minigrad.zeros(0, 3, 6, 6, dtype=minigrad.float64, requires_grad=True)
    w = minigrad.randn(4, 3, 3, 3, dtype=minigrad.float64, requires_grad=True)
    y = conv(x, w, padding=1, strategy=strategy)
    t = conv_t(y, w, padding=1, strategy=strategy)
    tx = torch.zeros(0, 3, 6, 6, dtype=torch.float64, requires_grad=True)
    tw = torch.tensor(w.numpy(), requires_grad=True)
    ty = torch.nn.functional.conv2d(tx, tw, padding=1)
    assert y.shape == ty.shape and t.shape == x.shape
    (y.sum() + t.sum()).backward()
    ty.sum().backward()
    assert x.grad.shape == x.shape
    np.testing.assert_array_equal(w.grad.numpy(), tw.grad.numpy())


def test_unknown_strategy_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"strategy must be one of \('per_sample'"):
        conv(minigrad.ones(1, 1, 3, 3), minigrad.ones(1, 1, 2, 2), strategy="fast")


# --------------------------------------------------------------------------- layers = functions

# Argument values a user might pass: valid ones, and wrong types, signs and lengths.
_NUMBER = st.one_of(st.integers(-1, 3), st.floats(0, 3), st.booleans())
ARG_VALUES = st.one_of(
    _NUMBER,
    st.none(),
    st.sampled_from(["same", "valid", "full"]),
    st.lists(_NUMBER, max_size=3).map(tuple),
    st.lists(st.integers(0, 3), min_size=1, max_size=2),
)


def outcome(fn: Any) -> tuple[Any, ...]:
    """``("ok", shape, values)`` or the error's type and message."""
    try:
        out = fn()
    except Exception as e:  # the error itself is what is compared
        return (type(e), str(e))
    return ("ok", out.shape, out.numpy().round(10).tolist())


@examples(60)
@given(stride=ARG_VALUES, padding=ARG_VALUES, dilation=ARG_VALUES, which=st.sampled_from("sdp"))
def test_conv2d_layer_and_function_accept_and_reject_the_same(
    stride: Any, padding: Any, dilation: Any, which: str
) -> None:
    """``nn.Conv2d(..., stride=2.7)`` fails exactly as ``F.conv2d(..., stride=2.7)``."""
    args = {"stride": 1, "padding": 0, "dilation": 1}
    args[{"s": "stride", "p": "padding", "d": "dilation"}[which]] = {
        "s": stride, "p": padding, "d": dilation
    }[which]  # fmt: skip
    x = minigrad.randn(1, 2, 7, 7, dtype=minigrad.float64)
    w = minigrad.randn(2, 2, 3, 3, dtype=minigrad.float64)

    def layer() -> Any:
        m = nn.Conv2d(2, 2, 3, bias=False, dtype=minigrad.float64, **args)
        m.weight.data[...] = w.numpy()
        return m(x)

    assert outcome(layer) == outcome(lambda: F.conv2d(x, w, None, **args))


@examples(40)
@given(value=ARG_VALUES, which=st.sampled_from(["stride", "padding", "dilation", "output_padding"]))
def test_conv_transpose2d_layer_and_function_accept_and_reject_the_same(
    value: Any, which: str
) -> None:
    args: dict[str, Any] = {"stride": 2, "padding": 0, "dilation": 1, "output_padding": 0}
    args[which] = value
    x = minigrad.randn(1, 2, 4, 4, dtype=minigrad.float64)
    w = minigrad.randn(2, 3, 3, 3, dtype=minigrad.float64)

    def layer() -> Any:
        m = nn.ConvTranspose2d(2, 3, 3, bias=False, dtype=minigrad.float64, **args)
        m.weight.data[...] = w.numpy()
        return m(x)

    assert outcome(layer) == outcome(lambda: F.conv_transpose2d(x, w, None, **args))


def test_conv2d_layer_rejects_a_float_stride_as_the_function_does() -> None:
    message = r"conv2d: stride must be an int or a pair of ints, got 2.7"
    with pytest.raises(TypeError, match=message):
        nn.Conv2d(1, 1, 3, stride=2.7)
    with pytest.raises(TypeError, match=message):
        F.conv2d(minigrad.ones(1, 1, 5, 5), minigrad.ones(1, 1, 3, 3), stride=2.7)
