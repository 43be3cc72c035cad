"""matmul: 1-D, 2-D and batched (broadcasting) cases; gradients of first and second
order, and PyTorch as an oracle."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from _op_helpers import FIRST_ORDER, ORACLE, SECOND_ORDER, check_grad, check_gradgrad, check_torch
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad.testing import strategies as mst

KINDS = ["1d@1d", "1d@2d", "2d@1d", "2d@2d", "batched", "1d@batched", "batched@1d"]


@st.composite
def matmul_operands(draw, kind, max_side=3):
    """Shapes of ``a`` and ``b`` for one kind of matmul."""
    n, k, m = (draw(st.integers(1, max_side), label=c) for c in "nkm")
    batch_a, batch_b = draw(mst.broadcastable_shapes(n=2, min_dims=0, max_dims=2, max_side=2))
    if kind == "batched":
        batch_a, batch_b = batch_a or (2,), batch_b
    a_shape = {
        "1d@1d": (k,),
        "1d@2d": (k,),
        "2d@1d": (n, k),
        "2d@2d": (n, k),
        "batched": (*batch_a, n, k),
        "1d@batched": (k,),
        "batched@1d": (*batch_a, n, k),
    }[kind]
    b_shape = {
        "1d@1d": (k,),
        "1d@2d": (k, m),
        "2d@1d": (k,),
        "2d@2d": (k, m),
        "batched": (*batch_b, k, m),
        "1d@batched": (*batch_b, 2, k, m),
        "batched@1d": (k,),
    }[kind]
    a = draw(mst.tensors(a_shape, elements=(-2, 2)), label="a")
    b = draw(mst.tensors(b_shape, elements=(-2, 2)), label="b")
    return a, b


@pytest.mark.parametrize("kind", KINDS)
@FIRST_ORDER
@given(data=st.data())
def test_matmul_grad(kind, data):
    a, b = data.draw(matmul_operands(kind))
    check_grad(operator.matmul, a, b)


@pytest.mark.parametrize("kind", KINDS)
@SECOND_ORDER
@given(data=st.data())
def test_matmul_gradgrad(kind, data):
    a, b = data.draw(matmul_operands(kind, max_side=2))
    check_gradgrad(minigrad.matmul, a, b)


@pytest.mark.parametrize("kind", KINDS)
@ORACLE
@given(data=st.data())
def test_matmul_matches_torch(torch, kind, data):
    a, b = data.draw(matmul_operands(kind))
    check_torch(torch, operator.matmul, torch.matmul, a, b)
    check_torch(torch, lambda x, y: x.matmul(y), torch.matmul, a, b)
    b.requires_grad_(False)
    check_torch(torch, operator.matmul, torch.matmul, a, b)


def test_matmul_with_ndarray_operand():
    a = minigrad.ones(2, 3, dtype=minigrad.float64, requires_grad=True)
    w = np.arange(6.0).reshape(3, 2)
    out = a @ w
    assert out.shape == (2, 2) and out.requires_grad
    out.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), np.tile(w.sum(1), (2, 1)))
    assert (w.T @ a.T).shape == (2, 2)  # ndarray @ Tensor defers to Tensor.__rmatmul__


def test_matmul_float32_stays_float32():
    a = minigrad.ones(2, 3, requires_grad=True)
    out = a @ minigrad.ones(3)
    assert out.dtype == minigrad.float32
    out.sum().backward()
    assert a.grad.dtype == minigrad.float32


def test_matmul_errors_are_clear():
    with pytest.raises(RuntimeError, match=r"\(2, 3\) and \(2, 3\) cannot be multiplied"):
        minigrad.ones(2, 3) @ minigrad.ones(2, 3)
    with pytest.raises(RuntimeError, match="at least 1 dimension"):
        minigrad.matmul(minigrad.tensor(1.0), minigrad.ones(2))
    with pytest.raises(RuntimeError, match="do not broadcast"):
        minigrad.ones(2, 2, 3) @ minigrad.ones(3, 3, 1)
