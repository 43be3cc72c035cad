"""The added shape ops: views that share memory (writes through them reach the base and
are recorded for autograd), round-trip properties, edge cases and errors, with PyTorch
as the oracle."""

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

# Each view op, as (minigrad call, torch call) on a (3, 4) tensor.
VIEWS = {
    "narrow": (lambda t: t.narrow(0, 1, 2), lambda t: t.narrow(0, 1, 2)),
    "select": (lambda t: t.select(1, -1), lambda t: t.select(1, -1)),
    "unfold": (lambda t: t.unfold(1, 2, 2), lambda t: t.unfold(1, 2, 2)),
    "movedim": (lambda t: t.movedim(0, 1), lambda t: t.movedim(0, 1)),
    "swapaxes": (lambda t: t.swapaxes(0, 1), lambda t: t.swapaxes(0, 1)),
    "diagonal": (lambda t: t.diagonal(1), lambda t: t.diagonal(1)),
}


def _same(m, t):
    np.testing.assert_allclose(m.numpy(), t.detach().numpy(), rtol=1e-12, atol=1e-12)
    assert m.dtype == t.detach().numpy().dtype


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_views_share_memory_and_an_in_place_write_reaches_the_base(name):
    view_m, view_t = VIEWS[name]
    x = minigrad.arange(12.0).reshape(3, 4)
    xt = torch.arange(12.0).reshape(3, 4)
    v, vt = view_m(x), view_t(xt)
    assert np.shares_memory(v.numpy(), x.numpy())
    version = x._version
    v.add_(1)
    vt.add_(1)
    _same(x, xt)
    assert x._version > version


def test_narrow_write_changes_the_base():
    x = minigrad.zeros(4)
    v = x.narrow(0, 1, 2)
    v.add_(1)
    assert x.tolist() == [0.0, 1.0, 1.0, 0.0]


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_gradients_through_a_write_into_a_view_of_a_non_leaf(name):
    view_m, view_t = VIEWS[name]

    def fn(x, w):
        y = x * 2.0
        view_m(y).mul_(w.sum())  # the write is recorded into y's history
        return y * x

    x = minigrad.randn(3, 4, dtype=minigrad.float64, requires_grad=True)
    w = minigrad.randn(2, dtype=minigrad.float64, requires_grad=True)
    assert gradcheck(fn, (x, w))
    assert gradgradcheck(fn, (x, w))
    xt = torch.tensor(x.numpy(), requires_grad=True)
    wt = torch.tensor(w.numpy(), requires_grad=True)
    yt = xt * 2.0
    view_t(yt).mul_(wt.sum())
    out_t = yt * xt
    out_m = fn(x, w)
    _same(out_m, out_t)
    up = np.random.default_rng(0).standard_normal((3, 4))
    gm = minigrad.grad(out_m, [x, w], minigrad.tensor(up))
    gt = torch.autograd.grad(out_t, [xt, wt], torch.tensor(up))
    for a, b in zip(gm, gt):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10)


def test_overlapping_unfold_windows_refuse_writes_as_an_expanded_view():
    x = minigrad.arange(5.0)
    windows = x.unfold(0, 3, 1)
    with pytest.raises(RuntimeError, match="single memory location"):
        windows.add_(1)
    _same(windows, torch.arange(5.0).unfold(0, 3, 1))


def test_copies_do_not_share_memory():
    x = minigrad.arange(6.0).reshape(2, 3)
    for out in (x.flip(0), x.roll(1), x.rot90(), x.tril(), x.repeat(1, 1), minigrad.diag(x)):
        assert not np.shares_memory(out.numpy(), x.numpy())


# ----------------------------------------------------------------------------- properties


@CASES
@given(x=mst.tensors(mst.shapes(1, 3, max_side=4)), data=st.data())
def test_round_trips(x, data):
    dim = data.draw(mst.valid_dim(x.ndim))
    shift = data.draw(st.integers(-5, 5))
    np.testing.assert_array_equal(x.roll(shift, dim).roll(-shift, dim).numpy(), x.numpy())
    np.testing.assert_array_equal(x.flip(dim).flip(dim).numpy(), x.numpy())
    np.testing.assert_array_equal(minigrad.stack(x.unbind(dim), dim).numpy(), x.numpy())
    sections = data.draw(st.integers(1, 5))
    np.testing.assert_array_equal(
        minigrad.cat(x.tensor_split(sections, dim), dim).numpy(), x.numpy()
    )
    n = x.shape[dim]
    np.testing.assert_array_equal(
        x.unflatten(dim, (1, n)).flatten(dim % x.ndim, dim % x.ndim + 1).numpy(), x.numpy()
    )
    if x.ndim >= 2:
        r = x
        for _ in range(4):
            r = r.rot90(1, (0, 1))
        np.testing.assert_array_equal(r.numpy(), x.numpy())


@CASES
@given(x=mst.tensors(mst.shapes(2, 4, max_side=3)), data=st.data())
def test_squeeze_with_a_tuple_of_dims_is_torchs(x, data):
    shape = tuple(data.draw(st.sampled_from([1, s])) for s in x.shape)
    x = minigrad.tensor(np.zeros(shape))
    dims = tuple(
        data.draw(
            st.lists(
                st.integers(-x.ndim, x.ndim - 1), max_size=x.ndim, unique_by=lambda d: d % x.ndim
            )
        )
    )
    _same(x.squeeze(dims), torch.zeros(shape).double().squeeze(dims))


@CASES
@given(shapes=mst.broadcastable_shapes(n=3, max_dims=3, max_side=3))
def test_broadcast_shapes_is_torchs(shapes):
    assert minigrad.broadcast_shapes(*shapes) == tuple(torch.broadcast_shapes(*shapes))


def test_meshgrid_default_and_xy_are_torchs():
    a, b = minigrad.tensor([1, 2, 3]), minigrad.tensor([4, 5])
    at, bt = torch.tensor([1, 2, 3]), torch.tensor([4, 5])
    for indexing in ("ij", "xy"):
        for m, t in zip(
            minigrad.meshgrid(a, b, indexing=indexing), torch.meshgrid(at, bt, indexing=indexing)
        ):
            _same(m, t)
    for m, t in zip(minigrad.meshgrid([a, b]), torch.meshgrid([at, bt], indexing="ij")):
        _same(m, t)


def test_repeat_interleave_forms_are_torchs():
    x, xt = minigrad.tensor([[1, 2], [3, 4]]), torch.tensor([[1, 2], [3, 4]])
    _same(x.repeat_interleave(2), xt.repeat_interleave(2))
    _same(
        x.repeat_interleave(minigrad.tensor([1, 2]), dim=1),
        xt.repeat_interleave(torch.tensor([1, 2]), dim=1),
    )
    _same(
        minigrad.repeat_interleave(minigrad.tensor([2, 0, 1])),
        torch.repeat_interleave(torch.tensor([2, 0, 1])),
    )


def test_stacking_and_atleast_are_torchs():
    a, b = minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0, 4.0])
    at, bt = torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])
    for name in ("hstack", "vstack", "dstack", "column_stack"):
        _same(getattr(minigrad, name)([a, b]), getattr(torch, name)([at, bt]))
    s = minigrad.tensor(1.0)
    for name in ("atleast_1d", "atleast_2d", "atleast_3d"):
        assert getattr(minigrad, name)(s).shape == tuple(
            getattr(torch, name)(torch.tensor(1.0)).shape
        )
        pair = getattr(minigrad, name)(s, a)
        assert isinstance(pair, tuple) and len(pair) == 2


def test_diag_embed_and_diagonal_with_offsets_and_negative_dims():
    x = minigrad.arange(6.0).reshape(2, 3)
    xt = torch.arange(6.0).reshape(2, 3)
    for offset in (-2, 0, 1):
        _same(minigrad.diag_embed(x, offset, -1, 0), torch.diag_embed(xt, offset, -1, 0))
        _same(minigrad.diag(x, offset), torch.diag(xt, offset))
    cube = minigrad.arange(24.0).reshape(2, 3, 4)
    _same(cube.diagonal(-1, -1, 0), torch.arange(24.0).reshape(2, 3, 4).diagonal(-1, -1, 0))
    assert cube.diagonal(5).shape == (4, 0)


def test_shape_errors_name_what_was_expected_and_what_came():
    x = minigrad.zeros(3, 4)
    cases = [
        (
            lambda: x.narrow(0, 2, 2),
            RuntimeError,
            r"start \(2\) \+ length \(2\) exceeds dimension size \(3\)",
        ),
        (
            lambda: x.select(1, 4),
            IndexError,
            "index 4 out of range for tensor of size \\[3, 4\\] at dimension 1",
        ),
        (
            lambda: x.unfold(1, 5, 1),
            RuntimeError,
            "maximum size for tensor at dimension 1 is 4 but size is 5",
        ),
        (lambda: x.rot90(1, (0, 0)), RuntimeError, "rotation dims to be different"),
        (lambda: x.diagonal(0, 1, -1), RuntimeError, "diagonal dimensions cannot be identical"),
        (lambda: x.repeat(2), RuntimeError, "can not be smaller than number of dimensions"),
        (
            lambda: x.unflatten(1, (3, -1)),
            RuntimeError,
            "don't multiply up to the size of dim 1 \\(4\\)",
        ),
        (lambda: x.movedim((0, 1), (1,)), RuntimeError, "same number of dims"),
        (
            lambda: x.tril().tril(diagonal=0).diag_embed(0, 0, 3),
            IndexError,
            "dimension out of range",
        ),
        (lambda: minigrad.broadcast_shapes((2, 3), (4,)), RuntimeError, "Shape mismatch"),
        (lambda: minigrad.tril(minigrad.zeros(3)), RuntimeError, "at least 2 dimensions"),
        (lambda: x.roll((1, 2), 0), RuntimeError, "shifts and dimensions must align"),
        (lambda: x.flip((0, -2)), RuntimeError, "appears multiple times"),
    ]
    for fn, error, message in cases:
        with pytest.raises(error, match=message):
            fn()


def test_negative_and_empty_dims():
    x, xt = minigrad.zeros(2, 0, 3), torch.zeros(2, 0, 3)
    _same(x.flip(-2), xt.flip(-2))
    _same(x.roll(1, -1), xt.roll(1, -1))
    _same(x.movedim(-1, 0), xt.movedim(-1, 0))
    assert [t.shape for t in x.tensor_split(2, -2)] == [
        tuple(t.shape) for t in xt.tensor_split(2, -2)
    ]
    assert x.unbind(1) == ()
    _same(x.narrow(-1, 1, 2), xt.narrow(-1, 1, 2))
