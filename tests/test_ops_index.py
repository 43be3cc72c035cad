"""Indexing ops: the edge cases the OpInfo properties do not draw (repeated indices,
ties, zeros, in-place forms, errors), with PyTorch as the oracle in float64."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from _op_helpers import ORACLE
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad.ops._registry import REGISTRY
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


def _idx(values):
    return minigrad.tensor(np.asarray(values, dtype=np.int64)), torch.tensor(values)


def _same(m, t):
    np.testing.assert_allclose(m.numpy(), t.detach().numpy(), rtol=1e-12, atol=1e-12)
    assert m.dtype == t.detach().numpy().dtype


def _grads(m_out, t_out, m_in, t_in):
    up = np.random.default_rng(0).standard_normal(m_out.shape)
    gm = minigrad.grad(m_out, m_in, minigrad.tensor(up), allow_unused=True)
    gt = torch.autograd.grad(t_out, t_in, torch.tensor(up), allow_unused=True)
    for a, b in zip(gm, gt):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- scatter_reduce


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_reduce_with_ties_and_zeros_is_torchs(reduce, include_self):
    # Ties between the input and the sources and among sources (amax/amin share the
    # gradient), zeros (prod), repeated indices and a position nothing is scattered to.
    xm, xt = _pair([[1.0, 2.0, 0.0, 5.0], [3.0, 3.0, 1.0, 0.5]])
    sm, st_ = _pair([[2.0, 0.0, 2.0], [3.0, 3.0, 0.0]])
    im, it = _idx([[0, 1, 0], [1, 1, 2]])
    m = minigrad.scatter_reduce(xm, 1, im, sm, reduce, include_self=include_self)
    t = torch.scatter_reduce(xt, 1, it, st_, reduce, include_self=include_self)
    _same(m, t)
    _grads(m, t, [xm, sm], [xt, st_])


@CASES
@given(
    data=st.data(),
    reduce=st.sampled_from(["sum", "prod", "mean", "amax", "amin"]),
    include_self=st.booleans(),
)
def test_scatter_reduce_on_drawn_ties_and_zeros_is_torchs(data, reduce, include_self):
    values = st.sampled_from([-1.0, 0.0, 2.0])
    x = data.draw(mst.tensors((2, 3), elements=values))
    src = data.draw(mst.tensors((2, 3), elements=values))
    index = data.draw(st.lists(st.integers(0, 2), min_size=6, max_size=6))
    im, it = _idx(np.asarray(index).reshape(2, 3).tolist())
    xt = torch.tensor(x.numpy(), requires_grad=True)
    st_ = torch.tensor(src.numpy(), requires_grad=True)
    m = minigrad.scatter_reduce(x, 1, im, src, reduce, include_self=include_self)
    t = torch.scatter_reduce(xt, 1, it, st_, reduce, include_self=include_self)
    _same(m, t)
    _grads(m, t, [x, src], [xt, st_])


@CASES
@given(
    data=st.data(),
    reduce=st.sampled_from(["sum", "prod", "mean"]),
    include_self=st.booleans(),
)
def test_scatter_reduce_second_derivatives(data, reduce, include_self):
    x = data.draw(mst.tensors((2, 3), elements=(0.5, 1.5)))
    src = data.draw(mst.tensors((2, 2), elements=(0.5, 1.5)))
    index = minigrad.tensor(data.draw(st.lists(st.integers(0, 2), min_size=4, max_size=4))).reshape(
        2, 2
    )

    def fn(a, s):
        return minigrad.scatter_reduce(a, 1, index, s, reduce, include_self=include_self)

    assert gradgradcheck(fn, (x, src))


def test_scatter_src_larger_than_index_gets_zero_gradient_outside_it():
    x = minigrad.randn(3, 4, dtype=minigrad.float64, requires_grad=True)
    src = minigrad.randn(3, 5, dtype=minigrad.float64, requires_grad=True)
    index = minigrad.tensor([[0, 2], [1, 3]])
    for fn in (minigrad.scatter, minigrad.scatter_add):
        assert gradcheck(lambda a, s, fn=fn: fn(a, 1, index, s), (x, src))
    (g,) = minigrad.grad(minigrad.scatter_add(x, 1, index, src).sum(), src)
    assert g.numpy()[:2, :2].tolist() == [[1.0, 1.0], [1.0, 1.0]] and g.numpy()[2:].sum() == 0


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
def test_scatter_value_and_reduce_forms_are_torchs():
    xm, xt = _pair(np.zeros((2, 3)))
    im, it = _idx([[2], [0]])
    _same(minigrad.scatter(xm, 1, im, 5.0), torch.scatter(xt, 1, it, 5.0))
    _same(minigrad.scatter(xm, 1, im, value=-1.0), torch.scatter(xt, 1, it, value=-1.0))
    sm, st_ = _pair([[1.0], [2.0]])
    for reduce in ("add", "multiply"):
        _same(xm.scatter(1, im, sm, reduce=reduce), xt.scatter(1, it, st_, reduce=reduce))


# ----------------------------------------------------------------------------- gather & co.


@CASES
@given(data=st.data())
def test_gather_with_repeated_indices_accumulates_as_torch(data):
    x = data.draw(mst.tensors((3, 2)))
    rows = data.draw(st.lists(st.integers(0, 2), min_size=4, max_size=4))
    im, it = _idx(np.asarray(rows).reshape(2, 2).tolist())
    xt = torch.tensor(x.numpy(), requires_grad=True)
    _same(minigrad.gather(x, 0, im), torch.gather(xt, 0, it))
    _grads(minigrad.gather(x, 0, im), torch.gather(xt, 0, it), [x], [xt])
    _grads(minigrad.index_select(x, 0, im[0]), torch.index_select(xt, 0, it[0]), [x], [xt])


def test_index_errors_name_the_index_and_the_size_with_torchs_error_types():
    x = minigrad.zeros(2, 3)
    index = minigrad.tensor
    cases = [
        (
            lambda: minigrad.gather(x, 1, index([[0, 3]])),
            RuntimeError,
            "index 3 .* dimension 1 with size 3",
        ),
        (
            lambda: minigrad.gather(x, 0, index([[-1]])),
            RuntimeError,
            "index -1 .* dimension 0 with size 2",
        ),
        (
            lambda: x.scatter(0, index([[2]]), 1.0),
            RuntimeError,
            "index 2 .* dimension 0 with size 2",
        ),
        (
            lambda: x.scatter_add(1, index([[5]]), x[:1, :1]),
            RuntimeError,
            "index 5 .* dimension 1 with size 3",
        ),
        (
            lambda: x.index_select(1, index([0, 5])),
            RuntimeError,
            "index 5 .* dimension 1 with size 3",
        ),
        (
            lambda: x.index_add(1, index([5]), x[:, :1]),
            RuntimeError,
            "index 5 .* dimension 1 with size 3",
        ),
        (
            lambda: x.index_copy(1, index([5]), x[:, :1]),
            IndexError,
            "index 5 .* dimension 1 with size 3",
        ),
        (
            lambda: x.index_fill(0, index([4]), 0.0),
            IndexError,
            "index 4 .* dimension 0 with size 2",
        ),
        (
            lambda: minigrad.take(x, index([6])),
            IndexError,
            "index 6 .* shape \\(2, 3\\) with 6 elements",
        ),
    ]
    for fn, error, message in cases:
        with pytest.raises(error, match=message):
            fn()


def test_shape_and_dtype_errors_name_both_sides():
    x = minigrad.zeros(2, 3)
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        minigrad.gather(x, 0, minigrad.tensor([0, 1]))
    with pytest.raises(RuntimeError, match="Expected dtype int64 for index"):
        minigrad.gather(x, 0, minigrad.zeros(1, 1))
    with pytest.raises(RuntimeError, match=r"self\.dtype to be equal to src\.dtype"):
        x.scatter_add(0, minigrad.tensor([[0]]), minigrad.ones(1, 1, dtype=minigrad.float64))
    with pytest.raises(RuntimeError, match="at least 6 elements"):
        x.masked_scatter(x == 0, minigrad.ones(2))


def test_take_counts_negative_indices_from_the_end():
    xm, xt = _pair([[4.0, 3.0], [2.0, 1.0]])
    im, it = _idx([[-1, 0], [-4, 2]])
    _same(minigrad.take(xm, im), torch.take(xt, it))
    _grads(minigrad.take(xm, im), torch.take(xt, it), [xm], [xt])


# ----------------------------------------------------------------------------- masks


def test_masked_fill_is_the_declared_op_and_keeps_the_input_dtype():
    assert REGISTRY["masked_fill"].inplace and REGISTRY["masked_fill"].family == "index"
    source = inspect.getsource(minigrad.Tensor.masked_fill)
    assert "return minigrad.ops.masked_fill(self, mask, value)" in source  # the generated method
    xm, xt = _pair([1, 2, 3], dtype=np.int64)
    mask = minigrad.tensor([True, False, True])
    _same(xm.masked_fill(mask, 0.7), xt.masked_fill(torch.tensor(mask.numpy()), 0.7))


def test_masked_fill_value_tensor_gets_the_gradient_of_the_filled_elements():
    xm, xt = _pair([[1.0, -2.0], [3.0, -4.0]])
    vm, vt = _pair(0.5)
    mm, mt = minigrad.tensor([True, False]), torch.tensor([True, False])
    _grads(minigrad.masked_fill(xm, mm, vm), torch.masked_fill(xt, mt, vt), [xm, vm], [xt, vt])
    with pytest.raises(RuntimeError, match="0-dimensional value tensor"):
        xm.masked_fill(mm, minigrad.ones(2))


def test_masked_select_and_scatter_broadcast_as_torch():
    xm, xt = _pair([[1.0, -2.0], [3.0, -4.0]])
    mm, mt = minigrad.tensor([True, False]), torch.tensor([True, False])
    _same(minigrad.masked_select(xm, mm), torch.masked_select(xt, mt))
    sm, st_ = _pair([9.0, 8.0, 7.0])
    m, t = minigrad.masked_scatter(xm, mm, sm), torch.masked_scatter(xt, mt, st_)
    _same(m, t)
    _grads(m, t, [xm, sm], [xt, st_])


def test_where_with_only_a_condition_is_nonzero_as_tuple():
    cond = [[True, False], [True, True]]
    m, t = minigrad.where(minigrad.tensor(cond)), torch.where(torch.tensor(cond))
    assert len(m) == len(t)
    for a, b in zip(m, t):
        _same(a, b)
    _same(minigrad.nonzero(minigrad.tensor(3.0)), torch.nonzero(torch.tensor(3.0)))
    assert minigrad.nonzero(minigrad.tensor(0.0), as_tuple=True)[0].shape == (0,)


# ----------------------------------------------------------------------------- in place


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("scatter_", (1, [[2], [0]], "col")),
        ("scatter_add_", (1, [[2, 2], [0, 1]], "src")),
        ("index_add_", (0, [1, 1], "rows")),
        ("index_copy_", (0, [1, 0], "rows")),
        ("index_fill_", (1, [0, 2], -3.0)),
        ("masked_fill_", ("mask", 2.0)),
        ("scatter_reduce_", (1, [[2, 2], [0, 1]], "src", "amax")),
    ],
)
def test_in_place_forms_write_into_the_tensor_and_record_the_gradient(name, args):
    rng = np.random.default_rng(3)
    base = rng.standard_normal((2, 3))
    pieces = {
        "src": rng.standard_normal((2, 2)),
        "col": rng.standard_normal((2, 1)),
        "rows": rng.standard_normal((2, 3)),
    }

    def convert(lib, a, grad):
        if isinstance(a, list):
            return lib.tensor(np.asarray(a, dtype=np.int64))
        if a == "mask":
            return lib.tensor(np.array([[True, False, True], [False, False, True]]))
        if isinstance(a, str) and a in pieces:
            return lib.tensor(pieces[a], requires_grad=grad)
        return a

    xm, xt = minigrad.tensor(base, requires_grad=True), torch.tensor(base, requires_grad=True)
    am = [convert(minigrad, a, True) for a in args]
    at = [convert(torch, a, True) for a in args]
    ym, yt = xm * 1.0, xt * 1.0
    version = ym._version
    out = getattr(ym, name)(*am)
    getattr(yt, name)(*at)
    assert out is ym and ym._version > version
    _same(ym, yt)
    diff_m = [xm, *[a for a in am if isinstance(a, minigrad.Tensor) and a.requires_grad]]
    diff_t = [xt, *[a for a in at if isinstance(a, torch.Tensor) and a.requires_grad]]
    _grads(ym, yt, diff_m, diff_t)
    plain = minigrad.tensor(base)
    getattr(plain, name)(*[convert(minigrad, a, False) for a in args])
    _same(plain, yt)


@given(
    rows=st.lists(st.integers(-5, 4), min_size=0, max_size=30),
    width=st.integers(1, 3),
    seed=st.integers(0, 5),
)
def test_row_gather_gradient_equals_np_add_at(rows: list[int], width: int, seed: int) -> None:
    """``w[idx]``'s backward sorts and reduces the rows instead of ``np.add.at``: same sums."""
    from minigrad.ops.shape import _add_rows

    rng = np.random.default_rng(seed)
    idx = np.array(rows, dtype=np.int64).reshape(-1)
    g = rng.normal(size=(idx.size, width, 2))
    want = np.zeros((5, width, 2))
    np.add.at(want, idx, g)
    got = np.zeros((5, width, 2))
    _add_rows(got, idx, g)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    w = minigrad.tensor(rng.normal(size=(5, width, 2)), requires_grad=True)
    w[minigrad.tensor(idx)].backward(minigrad.tensor(g))
    np.testing.assert_allclose(w.grad.numpy(), want, rtol=1e-12, atol=1e-12)
