"""Shape ops and indexing: gradients (first and second order) over drawn shapes and
arguments, round-trip properties, and PyTorch as an oracle."""

from __future__ import annotations

import itertools

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
from hypothesis.extra import numpy as hnp

import minigrad
from minigrad.testing import strategies as mst

# ----------------------------------------------------------------------------- cases


@st.composite
def reshape_case(draw, shapes=SMALL):
    """(x, target) with ``target`` the same size as ``x``, maybe with one -1."""
    x = draw(mst.tensors(draw(shapes)))
    factors = _prime_factors(x.numpy().size)
    ndim = draw(st.integers(0 if x.numpy().size == 1 else 1, 4))
    ndim = max(ndim, 1) if factors else ndim
    dims = [1] * ndim
    for f in factors:
        dims[draw(st.integers(0, ndim - 1))] *= f
    if ndim and draw(st.booleans()):
        dims[draw(st.integers(0, ndim - 1))] = -1
    return x, tuple(dims)


def _prime_factors(n):
    out, p = [], 2
    while n > 1:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return out


@st.composite
def permute_case(draw, shapes=SMALL):
    x = draw(mst.tensors(draw(shapes)))
    perm = draw(st.permutations(list(range(x.ndim))))
    negate = draw(st.lists(st.booleans(), min_size=x.ndim, max_size=x.ndim))
    return x, tuple(p - x.ndim if n else p for p, n in zip(perm, negate))


@st.composite
def transpose_case(draw, shapes=SMALL):
    x = draw(mst.tensors(draw(shapes)))
    return x, draw(mst.valid_dim(x.ndim)), draw(mst.valid_dim(x.ndim))


@st.composite
def flatten_case(draw, shapes=SMALL):
    x = draw(mst.tensors(draw(shapes)))
    if x.ndim == 0:
        return x, 0, -1
    start = draw(mst.valid_dim(x.ndim))
    end = draw(mst.valid_dim(x.ndim))
    assume(start % x.ndim <= end % x.ndim)
    return x, start, end


@st.composite
def squeeze_case(draw):
    shape = draw(mst.shapes(max_dims=4, max_side=2))
    x = draw(mst.tensors(shape))
    dim = draw(mst.valid_dims(len(shape)))
    return x, dim


@st.composite
def unsqueeze_case(draw, shapes=SMALL):
    x = draw(mst.tensors(draw(shapes)))
    return x, draw(mst.valid_dim(x.ndim, extra=1))


@st.composite
def expand_case(draw, shapes=TINY):
    x = draw(mst.tensors(draw(shapes)))
    lead = draw(st.lists(st.integers(1, 3), max_size=2))
    rest = []
    for s in x.shape:
        if s == 1:
            rest.append(draw(st.sampled_from([1, 2, 3, -1])))
        else:
            rest.append(draw(st.sampled_from([s, -1])))
    return x, tuple(lead + rest)


@st.composite
def broadcast_case(draw):
    xs, other = draw(mst.broadcastable_shapes(n=2, max_side=3))
    target = np.broadcast_shapes(xs, other)
    assume(int(np.prod(target)) <= 24)
    return draw(mst.tensors(xs)), target


@st.composite
def basic_index_case(draw, shapes=SMALL, torch_compatible=False):
    shape = draw(shapes.filter(lambda s: len(s) >= 1))
    x = draw(mst.tensors(shape))
    index = draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    if torch_compatible:  # PyTorch has no negative slice steps
        items = index if isinstance(index, tuple) else (index,)
        assume(not any(isinstance(i, slice) and (i.step or 1) < 0 for i in items))
    return x, index


@st.composite
def advanced_index_case(draw, shapes=SMALL):
    """Integer arrays (with repeated indices), maybe next to slices, or a boolean mask."""
    shape = draw(shapes.filter(lambda s: len(s) >= 1))
    x = draw(mst.tensors(shape))
    kind = draw(st.sampled_from(["int", "int_then_slice", "slice_then_int", "mask", "mask_prefix"]))
    if kind == "int":
        index = draw(
            hnp.integer_array_indices(shape, result_shape=mst.shapes(min_dims=1, max_dims=2))
        )
    elif kind == "int_then_slice":
        assume(len(shape) >= 2)
        idx = draw(
            hnp.arrays(np.int64, draw(mst.shapes(1, 2)), elements=st.integers(0, shape[0] - 1))
        )
        index = (idx, slice(None))
    elif kind == "slice_then_int":
        assume(len(shape) >= 2)
        idx = draw(
            hnp.arrays(
                np.int64, draw(mst.shapes(1, 2)), elements=st.integers(-shape[1], shape[1] - 1)
            )
        )
        index = (slice(None), idx)
    elif kind == "mask":
        index = draw(hnp.arrays(np.bool_, shape))
    else:
        index = draw(hnp.arrays(np.bool_, shape[:1]))
    return x, index


def _torch_index(torch, index):
    items = index if isinstance(index, tuple) else (index,)
    out = tuple(torch.from_numpy(np.asarray(i)) if isinstance(i, np.ndarray) else i for i in items)
    return out if isinstance(index, tuple) else out[0]


@st.composite
def cat_case(draw, n_max=3, max_side=3):
    shape = draw(mst.shapes(min_dims=1, max_dims=3, max_side=max_side))
    dim = draw(mst.valid_dim(len(shape)))
    axis = dim % len(shape)
    n = draw(st.integers(1, n_max))
    xs = []
    for _ in range(n):
        s = list(shape)
        s[axis] = draw(st.integers(0 if n > 1 else 1, 3))
        xs.append(draw(mst.tensors(tuple(s))))
    return xs, dim


@st.composite
def stack_case(draw, shapes=TINY):
    shape = draw(shapes)
    n = draw(st.integers(1, 3))
    xs = [draw(mst.tensors(shape)) for _ in range(n)]
    return xs, draw(mst.valid_dim(len(shape), extra=1))


@st.composite
def split_case(draw, shapes=SMALL):
    shape = draw(shapes.filter(lambda s: len(s) >= 1))
    x = draw(mst.tensors(shape))
    dim = draw(mst.valid_dim(len(shape)))
    n = shape[dim]
    if draw(st.booleans()):
        sections = draw(st.integers(1, n + 1))
    else:
        cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)))
        bounds = [0, *cuts, n]
        sections = [b - a for a, b in itertools.pairwise(bounds)]
    return x, sections, dim


@st.composite
def chunk_case(draw, shapes=SMALL):
    shape = draw(shapes.filter(lambda s: len(s) >= 1))
    x = draw(mst.tensors(shape))
    return x, draw(st.integers(1, 4)), draw(mst.valid_dim(len(shape)))


@st.composite
def pad_case(draw, shapes=TINY):
    x = draw(mst.tensors(draw(shapes.filter(lambda s: len(s) >= 1))))
    pairs = draw(st.integers(1, x.ndim))
    pad = tuple(draw(st.lists(st.integers(0, 2), min_size=2 * pairs, max_size=2 * pairs)))
    value = draw(st.sampled_from([0.0, 1.5, -2.0]))
    return x, pad, value


# name -> (case strategy for first order, for second order, minigrad fn, torch fn)
def _reshape(x, s):
    return x.reshape(s)


SHAPE_OPS = {
    "reshape": (reshape_case(), reshape_case(TINY), _reshape, _reshape),
    "view": (reshape_case(), reshape_case(TINY), lambda x, s: x.view(s), lambda x, s: x.view(s)),
    "permute": (
        permute_case(),
        permute_case(TINY),
        lambda x, p: x.permute(*p),
        lambda x, p: x.permute(p),
    ),
    "transpose": (
        transpose_case(),
        transpose_case(TINY),
        lambda x, a, b: x.transpose(a, b),
        lambda x, a, b: x.transpose(a, b),
    ),
    "flatten": (
        flatten_case(),
        flatten_case(TINY),
        lambda x, s, e: x.flatten(s, e),
        lambda x, s, e: x.flatten(s, e),
    ),
    "squeeze": (
        squeeze_case(),
        squeeze_case(),
        lambda x, d: x.squeeze(d),
        lambda x, d: x.squeeze() if d is None else x.squeeze(d),
    ),
    "unsqueeze": (
        unsqueeze_case(),
        unsqueeze_case(TINY),
        lambda x, d: x.unsqueeze(d),
        lambda x, d: x.unsqueeze(d),
    ),
    "expand": (
        expand_case(),
        expand_case(),
        lambda x, s: x.expand(*s),
        lambda x, s: x.expand(s),
    ),
    "broadcast_to": (
        broadcast_case(),
        broadcast_case(),
        minigrad.broadcast_to,
        lambda x, s: x.broadcast_to(s),
    ),
    "split": (
        split_case(),
        split_case(TINY),
        lambda x, s, d: x.split(s, d),
        lambda x, s, d: x.split(s, d),
    ),
    "chunk": (
        chunk_case(),
        chunk_case(TINY),
        lambda x, c, d: x.chunk(c, d),
        lambda x, c, d: x.chunk(c, d),
    ),
    "pad": (
        pad_case(SMALL),
        pad_case(),
        lambda x, p, v: minigrad.ops.pad(x, p, value=v),
        None,  # torch.nn.functional.pad, looked up in the test
    ),
    "getitem_basic": (
        basic_index_case(),
        basic_index_case(TINY),
        lambda x, i: x[i],
        None,
    ),
    "getitem_advanced": (
        advanced_index_case(),
        advanced_index_case(TINY),
        lambda x, i: x[i],
        None,
    ),
}


def _call(fn, case):
    _, *args = case
    return lambda t: fn(t, *args)


# ----------------------------------------------------------------------------- properties
@FIRST_ORDER
@given(case=reshape_case())
def test_reshape_round_trip(case):
    x, target = case
    y = x.reshape(target)
    assert y.numpy().size == x.numpy().size
    assert np.array_equal(y.reshape(x.shape).numpy(), x.numpy())
    assert np.array_equal(x.view(target).view(*x.shape).numpy(), x.numpy())
    assert np.array_equal(y.flatten().numpy(), x.numpy().reshape(-1))


@FIRST_ORDER
@given(case=permute_case())
def test_permute_round_trip(case):
    x, perm = case
    inverse = np.argsort([p % max(x.ndim, 1) for p in perm]).tolist()
    assert np.array_equal(x.permute(*perm).permute(*inverse).numpy(), x.numpy())
    if x.ndim >= 2:
        assert np.array_equal(x.T.T.numpy(), x.numpy())
        assert x.T.shape == x.shape[::-1]


@FIRST_ORDER
@given(case=unsqueeze_case())
def test_unsqueeze_squeeze_round_trip(case):
    x, dim = case
    y = x.unsqueeze(dim)
    assert y.ndim == x.ndim + 1 and y.shape[dim] == 1
    assert np.array_equal(y.squeeze(dim).numpy(), x.numpy())


@FIRST_ORDER
@given(case=split_case())
def test_split_then_cat_round_trip(case):
    x, sections, dim = case
    pieces = x.split(sections, dim)
    assert np.array_equal(minigrad.cat(pieces, dim).data, x.numpy())
    check_grad(lambda t: minigrad.cat(t.split(sections, dim), dim), x)


@FIRST_ORDER
@given(case=stack_case())
def test_stack_then_unbind_by_index(case):
    xs, dim = case
    out = minigrad.stack(xs, dim)
    axis = dim % out.ndim
    for i, x in enumerate(xs):
        assert np.array_equal(out[(slice(None),) * axis + (i,)].numpy(), x.numpy())


def test_T_of_a_matrix_and_of_a_vector():
    m = minigrad.arange(6.0).reshape(2, 3)
    assert m.T.shape == (3, 2) and m.T.numpy()[2, 1] == 5.0
    v = minigrad.arange(3.0)
    assert v.T.shape == (3,)


# ----------------------------------------------------------------------------- cat and stack
def _many(fn, dim):
    return lambda *ts: fn(list(ts), dim)


@FIRST_ORDER
@given(case=cat_case())
def test_cat_grad(case):
    xs, dim = case
    check_grad(_many(minigrad.cat, dim), *xs)


@SECOND_ORDER
@given(case=cat_case(max_side=2))
def test_cat_gradgrad(case):
    xs, dim = case
    check_gradgrad(_many(minigrad.cat, dim), *xs)


@ORACLE
@given(case=cat_case())
def test_cat_matches_torch(torch, case):
    xs, dim = case
    check_torch(torch, _many(minigrad.cat, dim), lambda *ts: torch.cat(ts, dim), *xs)


@FIRST_ORDER
@given(case=stack_case(SMALL))
def test_stack_grad(case):
    xs, dim = case
    check_grad(_many(minigrad.stack, dim), *xs)


@SECOND_ORDER
@given(case=stack_case())
def test_stack_gradgrad(case):
    xs, dim = case
    check_gradgrad(_many(minigrad.stack, dim), *xs)


@ORACLE
@given(case=stack_case(SMALL))
def test_stack_matches_torch(torch, case):
    xs, dim = case
    check_torch(torch, _many(minigrad.stack, dim), lambda *ts: torch.stack(ts, dim), *xs)


# ----------------------------------------------------------------------------- indexing
def test_repeated_integer_indices_accumulate(torch):
    x = minigrad.arange(5.0, dtype=minigrad.float64, requires_grad=True)
    index = np.array([0, 0, 3, 0, -1])
    y = x[index]
    y.backward(minigrad.ones(5, dtype=minigrad.float64))
    assert x.grad.tolist() == [3.0, 0.0, 0.0, 1.0, 1.0]
    check_torch(torch, lambda t: t[index], lambda t: t[torch.from_numpy(index)], x)
    check_torch(torch, lambda t: t[[1, 1, 2]], lambda t: t[[1, 1, 2]], x)


def test_index_with_tensors_and_masks():
    x = minigrad.arange(6.0).reshape(2, 3)
    assert x[minigrad.tensor([1, 0])].tolist() == [[3.0, 4.0, 5.0], [0.0, 1.0, 2.0]]
    assert x[x > 2].tolist() == [3.0, 4.0, 5.0]
    assert x[..., None, 1].shape == (2, 1)
    assert x[1, -1].item() == 5.0
    with pytest.raises(IndexError, match="long, int, byte or bool"):
        x[minigrad.tensor([0.0])]
    with pytest.raises(IndexError, match="out of range"):
        x[5]


def test_basic_indexing_is_a_view_and_advanced_indexing_a_copy():
    x = minigrad.arange(4.0)
    y = x[1:3]
    y[0] = 100.0
    assert x.tolist() == [0.0, 100.0, 2.0, 3.0] and x._version == y._version == 1
    z = x[minigrad.tensor([1, 2])]
    z[0] = -1.0
    assert x.tolist() == [0.0, 100.0, 2.0, 3.0]


# ----------------------------------------------------------------------------- errors
def test_shape_errors_are_clear():
    x = minigrad.zeros(2, 3)
    with pytest.raises(RuntimeError, match=r"invalid for a tensor of shape \(2, 3\)"):
        x.reshape(4, 2)
    with pytest.raises(RuntimeError, match="not a permutation"):
        x.permute(0, 0)
    with pytest.raises(RuntimeError, match="cannot be broadcast"):
        x.broadcast_to((3, 3))
    with pytest.raises(RuntimeError, match="cannot expand"):
        x.expand(3)
    with pytest.raises(RuntimeError, match="must match except in dim"):
        minigrad.cat([x, minigrad.zeros(3, 3)], dim=1)
    with pytest.raises(RuntimeError, match="tensor 1 has shape"):
        minigrad.stack([x, minigrad.zeros(3, 2)])
    with pytest.raises(RuntimeError, match="add up to"):
        x.split([1, 1], dim=1)
    with pytest.raises(ValueError, match="pairs"):
        minigrad.ops.pad(x, (1,))
    with pytest.raises(ValueError, match="non-empty"):
        minigrad.cat([])
