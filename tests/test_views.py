"""Views share memory with their base, and in-place writes through them are recorded.

As in PyTorch: basic indexing, ``view``, ``reshape`` (when it can), ``permute``,
``transpose``, ``t`` and ``expand`` return views; a write through a view is seen
by the base and bumps the version counter they share; a write through a view of
a non-leaf is recorded (``ScatterView``, PyTorch's ``CopySlices``), and every
other view of that base is refreshed, so gradients stay right.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad.testing import gradcheck, gradgradcheck


def f64(values, requires_grad=True):
    return minigrad.tensor(values, dtype=minigrad.float64, requires_grad=requires_grad)


@pytest.mark.parametrize(
    "make",
    [
        lambda x: x[1:],
        lambda x: x[0],
        lambda x: x[:, None, ::2],
        lambda x: x.view(-1),
        lambda x: x.reshape(3, 2),
        lambda x: x.permute(1, 0),
        lambda x: x.t(),
        lambda x: x.transpose(0, 1),
        lambda x: x.unsqueeze(0),
    ],
)
def test_views_share_memory_and_the_version_counter(make):
    x = minigrad.arange(6.0).reshape(2, 3)
    v = make(x)
    assert np.shares_memory(v.numpy(), x.numpy())
    before = x._version
    v.fill_(7.0)
    assert (x.numpy() == 7.0).sum() == v.numel() and x._version == v._version == before + 1


def test_view_raises_where_a_copy_would_be_needed_and_reshape_copies():
    x = minigrad.arange(6.0).reshape(2, 3).t()
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        x.view(6)
    r = x.reshape(6)
    assert not np.shares_memory(r.numpy(), x.numpy())
    assert r.tolist() == [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]


def test_advanced_indexing_copies():
    x = minigrad.arange(4.0)
    y = x[minigrad.tensor([0, 1])]
    y[0] = 9.0
    assert x[0].item() == 0.0


def test_writes_into_an_expanded_view_are_refused():
    x = minigrad.zeros(1, 3).expand(2, 3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        x.add_(1.0)


def test_in_place_on_a_leaf_view_that_requires_grad_is_refused():
    x = f64([1.0, 2.0])
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x[0] = 3.0
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        x[0:1].fill_(3.0)
    with minigrad.no_grad():
        x[0] = 3.0
    assert x.tolist() == [3.0, 2.0]


def _write_through_view(x, v):
    y = x * 1.0
    y[1:3].mul_(v)  # a recorded in-place op through a view of a non-leaf
    y[0] = v[0] * 3.0  # and a recorded item assignment
    return (y * y).sum()


def test_a_value_computed_from_the_view_it_overwrites_is_caught():
    x, v = f64([1.0, 2.0, 3.0]), f64([2.0, 3.0])
    y = x * 1.0
    y[1:3] = y[1:3] * v  # the product saved y[1:3], which the assignment then changes
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        y.sum().backward()  # as in PyTorch


@given(st.integers(0, 2**31 - 1))
def test_gradients_through_a_write_into_a_view(seed):
    rng = np.random.default_rng(seed)
    x, v = f64(rng.standard_normal(4)), f64(rng.standard_normal(2))
    assert gradcheck(_write_through_view, (x, v))
    assert gradgradcheck(_write_through_view, (x, v))


def test_assigning_a_tensor_that_requires_grad_into_a_plain_tensor():
    w = f64([2.0, 3.0])
    buf = minigrad.zeros(4, dtype=minigrad.float64)
    buf[1:3] = w * 2
    assert buf.requires_grad and buf.grad_fn is not None
    (buf * minigrad.arange(4.0, dtype=minigrad.float64)).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0]


def test_other_views_of_a_rebased_base_see_the_write():
    x = f64([1.0, 2.0, 3.0, 4.0])
    y = x * 1
    first, middle = y[:2], y[1:3]
    first.mul_(10)
    (middle * 1).sum().backward()
    assert x.grad.tolist() == [0.0, 10.0, 1.0, 0.0]  # PyTorch: the same


def test_views_of_a_base_written_in_place_see_the_write():
    x = f64([1.0, 2.0, 3.0])
    y = x * 1
    v = y[:2]
    y.mul_(10)
    v.sum().backward()
    assert x.grad.tolist() == [10.0, 10.0, 0.0]


def test_a_saved_tensor_written_through_a_view_is_caught():
    x = f64([1.0, 2.0])
    y = x.exp()  # saves its output
    z = y.sum()
    with minigrad.no_grad():
        y[0] = 0.0
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        z.backward()


def test_pytorch_indexing_order():
    x = minigrad.zeros(5, 6, 7)
    idx = minigrad.tensor([0, 1])
    assert x[1, :, idx].shape == (6, 2)  # NumPy would give (2, 6)
    assert x[idx, :, idx].shape == (2, 6)
    assert x[:, idx, :].shape == (5, 2, 7)
    x[1, :, idx] = minigrad.ones(6, 2)
    assert x.sum().item() == 12.0


# --------------------------------------------------------------------------- split, unbind


def test_split_and_unbind_are_one_node_of_views_as_torch() -> None:
    x = minigrad.arange(12.0).reshape(3, 4).requires_grad_()
    a, b = x.split([1, 3], dim=1)
    assert a.grad_fn is b.grad_fn and a.grad_fn.name() == "SplitBackward0"
    p, q, r = x.unbind(0)
    assert p.grad_fn is r.grad_fn and p.grad_fn.name() == "UnbindBackward0"
    y = x.detach()
    first, _ = y.split(2)
    first[0, 0] = 100.0  # a view: the write shows in the input
    assert y[0, 0].item() == 100.0
    (a.sum() * 2 + (b * 3).sum() + q.sum()).backward()  # r and p get no gradient: zeros
    np.testing.assert_array_equal(
        x.grad.numpy(), [[2.0, 3.0, 3.0, 3.0], [3.0, 4.0, 4.0, 4.0], [2.0, 3.0, 3.0, 3.0]]
    )
    assert x.split(5)[0].shape == (3, 4) and minigrad.zeros(0, 2).unbind(0) == ()


def test_in_place_write_to_one_piece_rebases_the_others() -> None:
    """After ``a.mul_(2)`` on one piece, the other piece's graph is made again from the base."""
    x = minigrad.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 1
    a, b = y.split(2)
    a.mul_(2)
    (y.sum() + (b * 5).sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, 6.0, 6.0])
    x.grad = None
    y = x.reshape(2, 2) * 1
    first, second = y.unbind(1)
    second.add_(1)
    (first * 3 + second * 7).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 7.0, 3.0, 7.0])


@given(st.integers(1, 4), st.integers(1, 3), st.data())
def test_split_gradients_are_exact(n: int, m: int, data: st.DataObject) -> None:
    sizes = data.draw(st.lists(st.integers(0, 3), min_size=1, max_size=4))
    x = minigrad.tensor(
        np.random.default_rng(n).normal(size=(n, sum(sizes), m)), requires_grad=True
    )
    assert gradcheck(lambda t: [p * (i + 1) for i, p in enumerate(t.split(sizes, 1))], (x,))
    assert gradgradcheck(lambda t: [p * p for p in t.unbind(2)], (x,))
