"""Scans and sorting: the edge cases the OpInfo properties do not draw (ties, zeros,
NaN, empty and negative dims, errors), with PyTorch as the oracle in float64."""

from __future__ import annotations

import numpy as np
import pytest
from _op_helpers import ORACLE
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad.testing import gradcheck, gradgradcheck
from minigrad.testing import strategies as mst

torch = pytest.importorskip("torch")

CASES = ORACLE  # scales with the Hypothesis profile (15 examples under ci)


def _pair(values, dtype=np.float64, requires_grad=True):
    a = np.asarray(values, dtype=dtype)
    grad = requires_grad and a.dtype.kind == "f"
    return (
        minigrad.tensor(a.copy(), requires_grad=grad),
        torch.tensor(a.copy(), requires_grad=grad),
    )


def _same(m, t):
    np.testing.assert_allclose(m.numpy(), t.detach().numpy(), rtol=1e-12, atol=1e-12)
    assert m.dtype == t.detach().numpy().dtype


def _grads(m_out, t_out, m_in, t_in):
    up = np.random.default_rng(0).standard_normal(m_out.shape)
    (gm,) = minigrad.grad(m_out, m_in, minigrad.tensor(up))
    (gt,) = torch.autograd.grad(t_out, t_in, torch.tensor(up))
    np.testing.assert_allclose(gm.numpy(), gt.numpy(), rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- cumprod at zeros


@pytest.mark.parametrize(
    "values",
    [
        [2.0, 0.0, 3.0, 0.0, 5.0],
        [0.0, 2.0, 3.0],
        [2.0, 3.0, 0.0],
        [0.0, 0.0],
        [[1.5, 0.0], [0.0, 2.0]],
    ],
)
def test_cumprod_gradient_with_zeros_is_torchs(values):
    xm, xt = _pair(values)
    for dim in range(-xm.ndim, xm.ndim):
        _grads(minigrad.cumprod(xm, dim), torch.cumprod(xt, dim), xm, xt)


@CASES
@given(x=mst.tensors(mst.shapes(1, 2, max_side=4), elements=st.sampled_from([-1.5, 0.0, 0.5, 2.0])))
def test_cumprod_first_and_second_derivatives_are_exact_with_zeros(x):
    for dim in range(x.ndim):
        assert gradcheck(lambda t, d=dim: minigrad.cumprod(t, d), (x,))
        assert gradgradcheck(lambda t, d=dim: minigrad.cumprod(t, d), (x,))


def test_cumsum_and_cumprod_of_integers_accumulate_in_int64_or_dtype():
    x = minigrad.tensor([1, 2, 3], dtype=minigrad.int32)
    assert minigrad.cumsum(x, 0).dtype == minigrad.int64
    assert x.cumprod(0, dtype=minigrad.float64).dtype == minigrad.float64
    assert minigrad.cumsum(minigrad.tensor([True, True]), 0).tolist() == [1, 2]


def test_scans_over_empty_and_negative_dims():
    for fn in ("cumsum", "cumprod", "logcumsumexp"):
        xm, xt = _pair(np.zeros((0, 3)))
        _same(getattr(minigrad, fn)(xm, -2), getattr(torch, fn)(xt, -2))
    with pytest.raises(IndexError, match="dimension out of range"):
        minigrad.cumsum(minigrad.zeros(2, 3), 2)


def test_logcumsumexp_does_not_overflow_and_its_gradient_is_torchs():
    xm, xt = _pair([[1000.0, -1000.0, 999.0], [-5.0, 0.0, 800.0]])
    _same(minigrad.logcumsumexp(xm, 1), torch.logcumsumexp(xt, 1))
    _grads(minigrad.logcumsumexp(xm, 1), torch.logcumsumexp(xt, 1), xm, xt)


# ----------------------------------------------------------------------------- cummax / cummin


@CASES
@given(x=mst.tensors(mst.shapes(1, 3, max_side=4), elements=st.sampled_from([-1.0, 0.0, 2.0])))
def test_cummax_cummin_ties_pick_the_latest_index_as_torch(x):
    xt = torch.tensor(x.numpy())
    for dim in range(-x.ndim, x.ndim):
        for name in ("cummax", "cummin"):
            m, t = getattr(minigrad, name)(x, dim), getattr(torch, name)(xt, dim)
            _same(m.values, t.values)
            _same(m.indices, t.indices)


def test_cummax_propagates_nan_as_torch():
    xm, xt = _pair([1.0, float("nan"), 3.0, float("nan"), 2.0])
    m, t = minigrad.cummax(xm, 0), torch.cummax(xt, 0)
    np.testing.assert_array_equal(m.indices.numpy(), t.indices.numpy())
    np.testing.assert_array_equal(np.isnan(m.values.numpy()), np.isnan(t.values.detach().numpy()))


def test_cummax_gradient_goes_to_the_selected_index():
    xm, xt = _pair([1.0, 3.0, 3.0, 2.0, 3.0])
    _grads(minigrad.cummax(xm, 0).values, torch.cummax(xt, 0).values, xm, xt)


# ----------------------------------------------------------------------------- sort and friends


@CASES
@given(
    x=mst.tensors(mst.shapes(1, 3, max_side=4), elements=st.sampled_from([-1.0, 0.0, 2.0])),
    descending=st.booleans(),
)
def test_stable_sort_with_ties_is_torchs(x, descending):
    xt = torch.tensor(x.numpy())
    for dim in range(-x.ndim, x.ndim):
        m = minigrad.sort(x, dim=dim, descending=descending, stable=True)
        t = torch.sort(xt, dim=dim, descending=descending, stable=True)
        _same(m.values, t.values)
        _same(m.indices, t.indices)
        _same(
            minigrad.argsort(x, dim, descending, stable=True),
            torch.argsort(xt, dim=dim, descending=descending, stable=True),
        )


def test_sort_puts_nan_last_ascending_and_first_descending():
    xm, xt = _pair([1.0, float("nan"), 3.0, 3.0, 2.0])
    for descending in (False, True):
        m = minigrad.sort(xm, descending=descending, stable=True)
        t = torch.sort(xt, descending=descending, stable=True)
        np.testing.assert_array_equal(m.indices.numpy(), t.indices.numpy())


def test_sort_returns_a_named_tuple_and_its_gradient_is_a_permutation():
    xm, xt = _pair([[3.0, 1.0, 2.0], [0.5, -1.0, 4.0]])
    values, indices = minigrad.sort(xm, dim=-1, descending=True)
    assert minigrad.sort(xm).values.shape == (2, 3)
    assert repr(minigrad.sort(minigrad.tensor([2.0, 1.0]))).startswith("sort(values=tensor")
    _same(indices, torch.sort(xt, descending=True).indices)
    _grads(values, torch.sort(xt, descending=True).values, xm, xt)


def test_topk_with_ties_sends_the_gradient_to_the_selected_indices():
    xm, xt = _pair([1.0, 3.0, 3.0, 2.0])
    m, t = minigrad.topk(xm, 2), torch.topk(xt, 2)
    _same(m.indices, t.indices)
    _grads(m.values, t.values, xm, xt)
    smallest = minigrad.topk(xm, 3, largest=False)
    assert smallest.values.tolist() == [1.0, 2.0, 3.0]


def test_topk_and_kthvalue_refuse_k_out_of_range():
    x = minigrad.zeros(2, 3)
    with pytest.raises(RuntimeError, match=r"k \(4\) out of range for dimension of size 3"):
        minigrad.topk(x, 4)
    with pytest.raises(RuntimeError, match=r"k \(0\) out of range for dimension of size 2"):
        minigrad.kthvalue(x, 0, dim=0)
    assert minigrad.topk(x, 0).values.shape == (2, 0)


def test_median_without_dim_is_the_lower_median_sharing_its_gradient_at_ties():
    for values in ([1.0, 2.0, 2.0, 3.0], [2.0, 2.0, 1.0, 2.0], [[4.0, 1.0], [3.0, 2.0]]):
        xm, xt = _pair(values)
        _same(minigrad.median(xm), torch.median(xt))
        _grads(minigrad.median(xm), torch.median(xt), xm, xt)


def test_median_with_dim_and_nan_as_torch():
    xm, xt = _pair([[1.0, float("nan"), 0.0], [3.0, 1.0, 2.0], [2.0, 2.0, 1.0]])
    m, t = minigrad.median(xm, dim=1), torch.median(xt, dim=1)
    np.testing.assert_array_equal(m.indices.numpy(), t.indices.numpy())
    np.testing.assert_array_equal(m.values.numpy(), t.values.detach().numpy())
    assert np.isnan(minigrad.median(xm).item())
    keep = minigrad.median(xm, dim=0, keepdim=True)
    assert keep.values.shape == keep.indices.shape == (1, 3)


@CASES
@given(x=mst.tensors(mst.shapes(1, 3, max_side=4), elements=st.sampled_from([-1.0, 0.0, 2.0])))
def test_mode_is_torchs_smallest_most_frequent_value_at_its_last_index(x):
    xt = torch.tensor(x.numpy())
    for dim in range(-x.ndim, x.ndim):
        m, t = minigrad.mode(x, dim), torch.mode(xt, dim)
        _same(m.values, t.values)
        _same(m.indices, t.indices)


def test_mode_gradient_goes_to_the_selected_index():
    xm, xt = _pair([[2.0, 1.0, 1.0, 2.0, 3.0], [5.0, 5.0, 4.0, 4.0, 4.0]])
    m, t = minigrad.mode(xm, 1), torch.mode(xt, 1)
    _grads(m.values, t.values, xm, xt)


def test_kthvalue_msort_on_0d_and_empty_dims():
    xm, xt = _pair(2.5)
    _same(minigrad.kthvalue(xm, 1).values, torch.kthvalue(xt, 1).values)
    _same(minigrad.msort(minigrad.zeros(0, 2)), torch.msort(torch.zeros(0, 2)))
    with pytest.raises(IndexError, match="non-zero size"):
        minigrad.median(minigrad.zeros(0, 2), dim=0)


@CASES
@given(
    x=mst.tensors(mst.shapes(1, 3, max_side=3), np.int64, elements=(-1, 2)),
    inverse=st.booleans(),
    counts=st.booleans(),
    by_dim=st.booleans(),
)
def test_unique_is_torchs(x, inverse, counts, by_dim):
    xt = torch.tensor(x.numpy())
    kw = {"return_inverse": inverse, "return_counts": counts}
    if by_dim:
        kw["dim"] = x.ndim - 1
    m, t = minigrad.unique(x, **kw), torch.unique(xt, **kw)
    for a, b in zip(m if isinstance(m, tuple) else (m,), t if isinstance(t, tuple) else (t,)):
        _same(a, b)


def test_sort_refuses_a_bad_dim():
    with pytest.raises(IndexError, match=r"expected to be in range of \[-2, 1\], but got 2"):
        minigrad.sort(minigrad.zeros(2, 2), dim=2)
