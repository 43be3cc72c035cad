"""The public Hypothesis strategies draw what they promise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad.testing import strategies as mst


@given(shape=mst.shapes(min_dims=1, max_dims=3, min_side=2, max_side=5))
def test_shapes_respect_their_bounds(shape):
    assert 1 <= len(shape) <= 3 and all(2 <= s <= 5 for s in shape)


@given(data=st.data(), n=st.integers(1, 4))
def test_broadcastable_shapes_broadcast(data, n):
    shapes = data.draw(mst.broadcastable_shapes(n=n, max_dims=3, max_side=4))
    assert len(shapes) == n
    out = np.broadcast_shapes(*shapes)
    assert len(out) <= 3 and all(s <= 4 for s in out)


@given(shapes=mst.broadcastable_shapes(n=2, base_shape=(2, 3), max_dims=3))
def test_broadcastable_shapes_with_a_base_shape(shapes):
    assert np.broadcast_shapes(*shapes, (2, 3)) is not None


@given(data=st.data(), ndim=st.integers(0, 4))
def test_valid_dims_are_accepted_by_reductions(data, ndim):
    dim = data.draw(mst.valid_dims(ndim))
    x = minigrad.zeros(*([2] * ndim))
    x.sum(dim)  # does not raise
    if isinstance(dim, tuple):
        assert len({d % ndim for d in dim}) == len(dim)


@given(data=st.data(), ndim=st.integers(0, 4))
def test_valid_dim_with_insertion_points(data, ndim):
    x = minigrad.zeros(*([2] * ndim))
    dim = data.draw(mst.valid_dim(ndim))
    if ndim:
        x.softmax(dim)
    insert = data.draw(mst.valid_dim(ndim, extra=1))
    assert x.unsqueeze(insert).ndim == ndim + 1


def test_valid_dims_options():
    with pytest.raises(ValueError, match="at least one"):
        mst.valid_dims(2, allow_none=False, allow_int=False, allow_tuple=False)


@given(x=mst.tensors())
def test_tensors_default_to_float64_requiring_grad(x):
    assert x.dtype == minigrad.float64 and x.requires_grad and x.is_leaf
    assert np.all(np.abs(x.numpy()) <= 10)


@given(data=st.data(), dtype=st.sampled_from(["float32", "float64", "int64", "int32", "bool"]))
def test_tensors_of_each_dtype(data, dtype):
    x = data.draw(mst.tensors((2, 3), dtype=dtype, elements=(-3, 3)))
    assert x.shape == (2, 3) and x.dtype == np.dtype(dtype)
    assert x.requires_grad == (dtype.startswith("float"))
    if dtype != "bool":
        assert np.all((x.numpy() >= -3) & (x.numpy() <= 3))


@given(x=mst.tensors(mst.shapes(max_dims=2), min_value=1.0, max_value=2.0, requires_grad=False))
def test_tensors_value_bounds_and_no_grad(x):
    assert not x.requires_grad
    assert np.all((x.numpy() >= 1.0) & (x.numpy() <= 2.0))


@given(x=mst.tensors(mst.shapes(max_dims=3, max_side=4), away_from=(0.0, 1.0), margin=0.25))
def test_tensors_stay_away_from_given_points(x):
    assert np.all(np.abs(x.numpy()) >= 0.25) and np.all(np.abs(x.numpy() - 1.0) >= 0.25)


@given(
    x=mst.tensors(mst.shapes(min_dims=1, max_dims=3, max_side=4), elements=(-1, 1), distinct=True)
)
def test_distinct_tensors_are_well_separated(x):
    values = np.sort(x.numpy().reshape(-1))
    assert np.all((values >= -1) & (values <= 1))
    if values.size > 1:
        assert np.min(np.diff(values)) >= 0.2 * 2 / values.size - 1e-12


@given(x=mst.tensors((3,), elements=st.sampled_from([0.5, 1.5])))
def test_tensors_with_an_element_strategy(x):
    assert set(x.numpy().tolist()) <= {0.5, 1.5}


@given(g=mst.upstream_gradients((2, 2)))
def test_upstream_gradients(g):
    assert g.shape == (2, 2) and not g.requires_grad and np.all(np.abs(g.numpy()) <= 2)


def test_tensors_argument_errors():
    with pytest.raises(ValueError, match="cannot require grad"):
        mst.tensors((2,), dtype="int64", requires_grad=True)
    with pytest.raises(ValueError, match="empty value range"):
        mst.tensors((2,), elements=(1, 0))
    with pytest.raises(TypeError, match="unsupported dtype"):
        mst.tensors((2,), dtype="complex128")
