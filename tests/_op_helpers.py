"""Shared checks for the op tests: gradients, immutability, and PyTorch as an oracle."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from hypothesis import settings

import minigrad
from minigrad import Tensor
from minigrad.testing import gradcheck, gradgradcheck
from minigrad.testing import strategies as mst

# Example budgets derived from the active profile, so `thorough` scales them all.
_BASE = settings().max_examples
FIRST_ORDER = settings(max_examples=max(5, _BASE * 4 // 5))
SECOND_ORDER = settings(max_examples=max(4, _BASE * 2 // 5))
ORACLE = settings(max_examples=max(5, _BASE * 3 // 5))

# Shapes small enough for central differences (at most 24 elements).
SMALL = mst.shapes(min_dims=0, max_dims=3, min_side=1, max_side=3).filter(
    lambda s: int(np.prod(s)) <= 24
)
TINY = mst.shapes(min_dims=0, max_dims=2, min_side=1, max_side=3)


def small_pairs(n: int = 2, max_dims: int = 3) -> Any:
    """Broadcastable shapes whose broadcast result has at most 24 elements."""
    return mst.broadcastable_shapes(n=n, max_dims=max_dims, max_side=3).filter(
        lambda ss: int(np.prod(np.broadcast_shapes(*ss))) <= 24
    )


def tiny_pairs(n: int = 2) -> Any:
    return mst.broadcastable_shapes(n=n, max_dims=2, max_side=3)


def _snapshot(values: Sequence[Any]) -> list[Any]:
    return [v.numpy().copy() if isinstance(v, Tensor) else None for v in values]


def _assert_unchanged(values: Sequence[Any], snapshot: list[Any], what: str) -> None:
    for i, (v, s) in enumerate(zip(values, snapshot)):
        if s is not None:
            assert np.array_equal(v.numpy(), s, equal_nan=True), f"backward mutated {what} {i}"


def check_grad(fn: Callable[..., Any], *inputs: Any) -> None:
    """gradcheck, plus: backward mutates neither the inputs nor the upstream gradient."""
    before = _snapshot(inputs)
    assert gradcheck(fn, inputs)
    _assert_unchanged(inputs, before, "input")
    out = fn(*inputs)
    outs = [o for o in (out if isinstance(out, (tuple, list)) else [out]) if o.requires_grad]
    diff = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    if outs:
        rng = np.random.default_rng(1)
        ups = [Tensor._make(rng.standard_normal(o.shape).astype(o.dtype)) for o in outs]
        ups_before = _snapshot(ups)
        outs_before = _snapshot(outs)
        minigrad.grad(outs, diff, ups, allow_unused=True)
        _assert_unchanged(inputs, before, "input")
        _assert_unchanged(ups, ups_before, "upstream gradient")
        _assert_unchanged(outs, outs_before, "output")


def check_gradgrad(fn: Callable[..., Any], *inputs: Any) -> None:
    assert gradgradcheck(fn, inputs)


def _flat(out: Any) -> list[Any]:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _np_dtype(torch: Any, t: Any) -> np.dtype:
    return torch.empty(0, dtype=t.dtype).numpy().dtype


def to_torch(torch: Any, x: Any) -> Any:
    if isinstance(x, Tensor):
        return torch.tensor(x.numpy().copy(), requires_grad=x.requires_grad)
    return x


def check_torch(
    torch: Any,
    mg_fn: Callable[..., Any],
    torch_fn: Callable[..., Any],
    *inputs: Any,
    atol: float = 1e-10,
    rtol: float = 1e-7,
    grad: bool = True,
) -> None:
    """Forward values, dtypes and gradients of ``mg_fn`` match ``torch_fn`` on the same inputs."""
    t_inputs = [to_torch(torch, x) for x in inputs]
    outs_m = _flat(mg_fn(*inputs))
    outs_t = _flat(torch_fn(*t_inputs))
    assert len(outs_m) == len(outs_t)
    for m, t in zip(outs_m, outs_t):
        assert m.shape == tuple(t.shape), (m.shape, tuple(t.shape))
        assert m.dtype == _np_dtype(torch, t), (m.dtype, t.dtype)
        np.testing.assert_allclose(m.numpy(), t.detach().numpy(), atol=atol, rtol=rtol)
        assert m.requires_grad == t.requires_grad
    diff = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    pairs = [(m, t) for m, t in zip(outs_m, outs_t) if m.requires_grad]
    if not (grad and diff and pairs):
        return
    rng = np.random.default_rng(2)
    ups = [rng.standard_normal(m.shape).astype(m.dtype) for m, _ in pairs]
    g_m = minigrad.grad(
        [m for m, _ in pairs],
        [inputs[i] for i in diff],
        [Tensor(u) for u in ups],
        allow_unused=True,
    )
    g_t = torch.autograd.grad(
        [t for _, t in pairs],
        [t_inputs[i] for i in diff],
        [torch.tensor(u) for u in ups],
        allow_unused=True,
    )
    for i, a, b in zip(diff, g_m, g_t):
        a_data = np.zeros(inputs[i].shape) if a is None else a.numpy()
        b_data = np.zeros(inputs[i].shape) if b is None else b.numpy()
        np.testing.assert_allclose(
            a_data, b_data, atol=atol, rtol=rtol, err_msg=f"gradient of input {i}"
        )
