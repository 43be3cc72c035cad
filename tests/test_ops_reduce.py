"""Reductions and softmax: gradients (first and second order) over drawn shapes and
``dim`` arguments, tie rules, numerical stability, and PyTorch as an oracle."""

from __future__ import annotations

import numpy as np
import pytest
from _op_helpers import (
    FIRST_ORDER,
    ORACLE,
    SECOND_ORDER,
    SMALL,
    TINY,
    check_grad,
    check_gradgrad,
    check_torch,
)
from hypothesis import assume, given
from hypothesis import strategies as st

import minigrad
from minigrad.testing import strategies as mst


def _count(shape, dim):
    axes = range(len(shape)) if dim is None else [dim] if isinstance(dim, int) else dim
    return int(np.prod([shape[d] for d in axes])) if len(shape) else 1


@st.composite
def reduction_case(draw, shape_strategy, distinct=False, elements=(-3, 3), **dim_kw):
    """(x, dim, keepdim) with ``dim`` valid for ``x``."""
    shape = draw(shape_strategy)
    x = draw(mst.tensors(shape, elements=elements, distinct=distinct), label="x")
    dim = draw(mst.valid_dims(len(shape), **dim_kw), label="dim")
    keepdim = draw(st.booleans(), label="keepdim")
    return x, dim, keepdim


def _torch_dim(dim):
    return list(dim) if isinstance(dim, tuple) else dim


# name -> (minigrad call, torch call, needs distinct values, needs count >= 2)
REDUCTIONS = {
    "sum": (lambda x, d, k: x.sum(d, k), lambda x, d, k: x.sum(_torch_dim(d), keepdim=k)),
    "mean": (lambda x, d, k: x.mean(d, k), lambda x, d, k: x.mean(_torch_dim(d), keepdim=k)),
    "prod": (lambda x, d, k: x.prod(d, k), None),
    "var": (
        lambda x, d, k: x.var(d, keepdim=k),
        lambda x, d, k: x.var(_torch_dim(d), keepdim=k),
    ),
    "std": (
        lambda x, d, k: x.std(d, keepdim=k),
        lambda x, d, k: x.std(_torch_dim(d), keepdim=k),
    ),
    "amax": (
        lambda x, d, k: x.amax(d, k),
        lambda x, d, k: x.amax(() if d is None else _torch_dim(d), k),
    ),
    "amin": (
        lambda x, d, k: x.amin(d, k),
        lambda x, d, k: x.amin(() if d is None else _torch_dim(d), k),
    ),
    "logsumexp": (
        lambda x, d, k: x.logsumexp(d, k),
        lambda x, d, k: x.logsumexp(_torch_dim(d) if d is not None else list(range(x.ndim)), k),
    ),
}
DISTINCT = {"amax", "amin", "std"}  # not differentiable at ties / at zero spread
CORRECTED = {"var", "std"}  # need more elements than the correction


def _prod_torch(x, d, k):
    """PyTorch's prod takes one int dim: reduce tuples one dim at a time."""
    if d is None:
        out = x.prod()
        return out.reshape([1] * x.ndim) if k else out
    dims = sorted((a % max(x.ndim, 1) for a in ([d] if isinstance(d, int) else d)), reverse=True)
    out = x
    for a in dims:
        out = out.prod(a, keepdim=True) if x.ndim else out
    return out if k else out.reshape([s for i, s in enumerate(out.shape) if i not in dims])


def _case(name, shape_strategy):
    elements = (0.5, 2.0) if name == "prod" else (-3, 3)
    return reduction_case(shape_strategy, distinct=name in DISTINCT, elements=elements)


def _accept(name, x, dim):
    if name in CORRECTED:
        assume(_count(x.shape, dim) >= 2)


def test_functional_forms_match_methods():
    x = minigrad.tensor([[1.0, 2.0], [3.0, 5.0]])
    for name in ("sum", "mean", "prod", "amax", "amin", "logsumexp"):
        np.testing.assert_allclose(getattr(minigrad, name)(x, 1), getattr(x, name)(1).numpy())
    np.testing.assert_allclose(minigrad.var(x, 0).numpy(), x.var(0).numpy())
    np.testing.assert_allclose(minigrad.std(x, 0).numpy(), x.std(0).numpy())


# ----------------------------------------------------------------------------- prod with zeros
@st.composite
def _prod_with_zeros(draw, shape_strategy):
    shape = draw(shape_strategy.filter(lambda s: int(np.prod(s)) >= 2))
    x = draw(mst.tensors(shape, elements=(0.5, 2.0)))
    size = x.numpy().size
    zeros = draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=3, unique=True))
    x.numpy().reshape(-1)[zeros] = 0.0
    sign = draw(st.booleans())
    if sign:
        x.numpy().reshape(-1)[0] *= -1
    dim = draw(mst.valid_dims(len(shape)))
    return x, dim, draw(st.booleans())


@FIRST_ORDER
@given(case=_prod_with_zeros(SMALL))
def test_prod_grad_with_zeros(case):
    x, dim, keepdim = case
    check_grad(lambda t: t.prod(dim, keepdim), x)


@SECOND_ORDER
@given(case=_prod_with_zeros(TINY))
def test_prod_gradgrad_with_zeros(case):
    x, dim, keepdim = case
    check_gradgrad(lambda t: t.prod(dim, keepdim), x)


@ORACLE
@given(case=_prod_with_zeros(SMALL))
def test_prod_with_zeros_matches_torch(torch, case):
    x, dim, keepdim = case
    check_torch(torch, lambda t: t.prod(dim, keepdim), lambda t: _prod_torch(t, dim, keepdim), x)


# ----------------------------------------------------------------------------- var / std
@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::RuntimeWarning")
@pytest.mark.parametrize("correction", [0, 1, 2])
def test_var_std_correction_matches_torch(torch, correction):
    x = minigrad.tensor(
        [[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]], dtype=minigrad.float64, requires_grad=True
    )
    for dim in (None, 0, 1, (0, 1), -1):
        # With no degrees of freedom left the value is inf/nan (as in PyTorch); only
        # the forward is compared then.
        grad = _count(x.shape, dim) > correction
        d, c = _torch_dim(dim), correction
        check_torch(
            torch,
            lambda t, dim=dim, c=c: t.var(dim, correction=c),
            lambda t, d=d, c=c: t.var(d, correction=c),
            x,
            grad=grad,
        )
        check_torch(
            torch,
            lambda t, dim=dim, c=c: minigrad.std(t, dim, correction=c, keepdim=True),
            lambda t, d=d, c=c: t.std(d, correction=c, keepdim=True),
            x,
            grad=grad,
        )


# ----------------------------------------------------------------------------- max / min
@pytest.mark.parametrize("name", ["amax", "amin"])
@ORACLE
@given(data=st.data(), shape=SMALL)
def test_amax_amin_ties_match_torch(torch, name, data, shape):
    x = data.draw(mst.tensors(shape, elements=(-2, 2)))
    x = minigrad.tensor(x.numpy().round(), requires_grad=True)
    dim = data.draw(mst.valid_dims(len(shape)))
    fn = REDUCTIONS[name]
    check_torch(torch, lambda t: fn[0](t, dim, False), lambda t: fn[1](t, dim, False), x)


def test_max_with_dim_returns_named_pair():
    x = minigrad.tensor([[1.0, 5.0, 5.0], [7.0, 2.0, 7.0]])
    values, indices = x.max(dim=1)
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    assert indices.dtype == minigrad.int64 and not indices.requires_grad
    out = x.min(dim=0, keepdim=True)
    assert out.values.shape == (1, 3) and out.indices.tolist() == [[0, 1, 0]]


def test_max_of_empty_raises():
    with pytest.raises((RuntimeError, IndexError)):
        minigrad.zeros(0).amax()
    with pytest.raises(IndexError):
        minigrad.zeros(2, 0).max(dim=1)


# ----------------------------------------------------------------------------- softmax family
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_family_stable_for_huge_logits(torch, dtype):
    logits = np.array([[1e4, 1e4 - 1.0, -1e4], [-1e4, 0.0, 1e4]], dtype=dtype)
    x = minigrad.tensor(logits, requires_grad=True)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for name in ("softmax", "log_softmax"):
            out = getattr(x, name)(-1)
            assert np.all(np.isfinite(out.numpy()))
            out.backward(minigrad.ones_like(out))
            assert np.all(np.isfinite(x.grad.numpy()))
            x.grad = None
        lse = x.logsumexp(1)
        lse.sum().backward()
    assert np.all(np.isfinite(lse.numpy())) and np.all(np.isfinite(x.grad.numpy()))
    tol = {"atol": 1e-3, "rtol": 1e-5} if dtype == "float32" else {}
    check_torch(torch, lambda t: t.softmax(1), lambda t: t.softmax(1), x, **tol)
    check_torch(torch, lambda t: t.log_softmax(1), lambda t: t.log_softmax(1), x, **tol)
    check_torch(torch, lambda t: t.logsumexp(1), lambda t: t.logsumexp(1), x, **tol)


def test_softmax_rows_sum_to_one():
    x = minigrad.randn(3, 5)
    np.testing.assert_allclose(x.softmax(1).sum(1).numpy(), np.ones(3), rtol=1e-6)
    np.testing.assert_allclose(x.log_softmax(0).exp().sum(0).numpy(), np.ones(5), rtol=1e-6)


# ----------------------------------------------------------------------------- dims and dtypes
@FIRST_ORDER
@given(data=st.data(), shape=SMALL)
def test_reduced_shapes_follow_dim_and_keepdim(data, shape):
    x = minigrad.zeros(shape)
    dim = data.draw(mst.valid_dims(len(shape)))
    axes = {d % max(len(shape), 1) for d in ([dim] if isinstance(dim, int) else dim or ())}
    if dim is None:
        axes = set(range(len(shape)))
    keep = tuple(1 if i in axes else s for i, s in enumerate(shape))
    drop = tuple(s for i, s in enumerate(shape) if i not in axes)
    assert x.sum(dim, keepdim=True).shape == keep
    assert x.sum(dim).shape == drop
    assert x.mean(dim).shape == drop


def test_duplicate_or_out_of_range_dims_raise():
    x = minigrad.zeros(2, 3)
    with pytest.raises(ValueError, match="twice"):
        x.sum((1, -1))
    with pytest.raises(IndexError, match="out of range"):
        x.sum(2)
    with pytest.raises(IndexError, match="out of range"):
        x.softmax(-3)


def test_integer_sums_and_float_only_reductions(torch):
    x = minigrad.tensor([[1, 2], [3, 4]])
    assert x.sum().dtype == minigrad.int64 and x.sum().item() == 10
    assert minigrad.tensor([True, True, False]).sum().item() == 2
    with pytest.raises(TypeError, match="floating"):
        x.mean()
    with pytest.raises(TypeError, match="floating"):
        x.softmax(0)
    f32 = minigrad.tensor([1.0, 2.0])
    for name in ("sum", "mean", "prod", "var", "std", "amax", "logsumexp"):
        assert getattr(f32, name)(0).dtype == minigrad.float32
