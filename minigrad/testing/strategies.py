"""Hypothesis strategies for testing ops and their gradients.

Strategies that draw tensors (of drawn shapes, dtypes and value ranges), shapes,
tuples of mutually broadcastable shapes, valid ``dim`` arguments and upstream
gradients. minigrad's own test suite uses them; use them for your own ops.

This module needs the ``hypothesis`` package (in the ``dev`` extra), so it is not
imported by ``minigrad.testing``; import it explicitly::

    from minigrad.testing import strategies as st

Example: a property test of a gradient, over drawn shapes and values

    >>> import minigrad
    >>> from hypothesis import given, settings
    >>> from minigrad.testing import gradcheck
    >>> from minigrad.testing import strategies as st
    >>> @settings(max_examples=5, derandomize=True, database=None)
    ... @given(x=st.tensors(shape=st.shapes(max_dims=2), elements=(0.5, 2.0)))
    ... def test_log(x):
    ...     assert gradcheck(minigrad.log, (x,))
    >>> test_log()

Points where an op is not differentiable break central differences; keep drawn
values away from them with ``away_from`` (e.g. 0 for ``abs`` and ``relu``) or
``distinct=True`` (well-separated values, e.g. for ``max``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as hst
from hypothesis.extra import numpy as hnp
from hypothesis.strategies import SearchStrategy

from minigrad.tensor import Tensor

__all__ = [
    "broadcastable_shapes",
    "shapes",
    "tensors",
    "upstream_gradients",
    "valid_dim",
    "valid_dims",
]

Shape = tuple[int, ...]


def shapes(
    min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4
) -> SearchStrategy[Shape]:
    """Draw array shapes with ``min_dims..max_dims`` dimensions of ``min_side..max_side``.

    Example:
        >>> from hypothesis import given, settings
        >>> from minigrad.testing import strategies as st
        >>> @settings(max_examples=20, derandomize=True, database=None)
        ... @given(st.shapes(min_dims=1, max_dims=2, max_side=3))
        ... def check(shape):
        ...     assert 1 <= len(shape) <= 2 and all(1 <= s <= 3 for s in shape)
        >>> check()
    """
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


def broadcastable_shapes(
    n: int = 2,
    min_dims: int = 0,
    max_dims: int = 3,
    min_side: int = 1,
    max_side: int = 4,
    base_shape: Shape = (),
) -> SearchStrategy[tuple[Shape, ...]]:
    """Draw a tuple of ``n`` shapes that broadcast together (NumPy/PyTorch rules).

    Built on ``hypothesis.extra.numpy.mutually_broadcastable_shapes``: shapes may
    differ in length and have 1s where the others do not.

    Example:
        >>> import numpy as np
        >>> from hypothesis import given, settings
        >>> from minigrad.testing import strategies as st
        >>> @settings(max_examples=20, derandomize=True, database=None)
        ... @given(st.broadcastable_shapes(n=3))
        ... def check(shapes):
        ...     assert len(shapes) == 3
        ...     np.broadcast_shapes(*shapes)  # does not raise
        >>> check()
    """
    return hnp.mutually_broadcastable_shapes(
        num_shapes=n,
        base_shape=base_shape,
        min_dims=min_dims,
        max_dims=max_dims,
        min_side=min_side,
        max_side=max_side,
    ).map(lambda b: tuple(b.input_shapes))


def valid_dim(ndim: int, extra: int = 0) -> SearchStrategy[int]:
    """Draw one valid ``dim`` for a tensor of ``ndim`` dims, negative values included.

    ``extra=1`` draws insertion points, as ``unsqueeze`` and ``stack`` accept.
    A 0-d tensor accepts ``0`` and ``-1``, as in PyTorch.

    Example:
        >>> from hypothesis import given, settings
        >>> from minigrad.testing import strategies as st
        >>> @settings(max_examples=20, derandomize=True, database=None)
        ... @given(st.valid_dim(3))
        ... def check(dim):
        ...     assert -3 <= dim <= 2
        >>> check()
    """
    size = max(ndim + extra, 1)
    return hst.integers(-size, size - 1)


def valid_dims(
    ndim: int,
    *,
    allow_none: bool = True,
    allow_int: bool = True,
    allow_tuple: bool = True,
) -> SearchStrategy[Any]:
    """Draw a valid reduction ``dim``: ``None``, an int, or a tuple of distinct dims.

    Ints and tuple members may be negative; a tuple never names a dimension
    twice (not even as ``1`` and ``-ndim + 1``).

    Example:
        >>> import minigrad
        >>> from hypothesis import given, settings
        >>> from minigrad.testing import strategies as st
        >>> @settings(max_examples=20, derandomize=True, database=None)
        ... @given(st.valid_dims(3))
        ... def check(dim):
        ...     assert minigrad.ones(2, 3, 4).sum(dim=dim).ndim < 3
        >>> check()
    """
    options: list[SearchStrategy[Any]] = []
    if allow_none:
        options.append(hst.none())
    if allow_int:
        options.append(valid_dim(ndim))
    if allow_tuple and ndim > 0:
        options.append(_dim_tuples(ndim))
    if not options:
        raise ValueError("valid_dims: allow at least one of None, int and tuple dims")
    return hst.one_of(*options)


@hst.composite
def _dim_tuples(draw: Any, ndim: int) -> tuple[int, ...]:
    axes = draw(hst.lists(hst.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    negate = draw(hst.lists(hst.booleans(), min_size=len(axes), max_size=len(axes)))
    return tuple(a - ndim if neg else a for a, neg in zip(axes, negate))


def _resolve_range(
    elements: Any, min_value: float, max_value: float
) -> tuple[float, float, SearchStrategy[Any] | None]:
    if elements is None:
        return min_value, max_value, None
    if isinstance(elements, SearchStrategy):
        return min_value, max_value, elements
    lo, hi = elements
    return float(lo), float(hi), None


def tensors(
    shape: Shape | SearchStrategy[Shape] | None = None,
    dtype: Any = np.float64,
    *,
    elements: tuple[float, float] | SearchStrategy[Any] | None = None,
    min_value: float = -10.0,
    max_value: float = 10.0,
    requires_grad: bool | None = None,
    distinct: bool = False,
    away_from: float | Sequence[float] = (),
    margin: float = 1e-2,
) -> SearchStrategy[Tensor]:
    """Draw minigrad Tensors.

    Args:
        shape: a shape, a strategy of shapes, or ``None`` for :func:`shapes`'s default.
        dtype: a floating, integer or bool dtype (float64 by default, as gradcheck needs).
        elements: ``(lo, hi)`` bounds of the values, or a Hypothesis strategy of elements;
            the default is ``(min_value, max_value)``.
        min_value, max_value: bounds of the values when ``elements`` is not given.
        requires_grad: default ``True`` for floating dtypes and ``False`` otherwise.
        distinct: draw well-separated values (pairwise at least
            ``0.2 * (hi - lo) / size`` apart), for ops that are not differentiable at
            ties (``max``, ``sort``...).
        away_from: points the values keep at least ``margin`` away from
            (e.g. ``0.0`` for ``abs`` and ``relu``).
        margin: see ``away_from``.

    Example:
        >>> import minigrad
        >>> from hypothesis import given, settings
        >>> from minigrad.testing import gradcheck
        >>> from minigrad.testing import strategies as st
        >>> @settings(max_examples=10, derandomize=True, database=None)
        ... @given(x=st.tensors(shape=(2, 3), away_from=0.0, margin=0.1))
        ... def test_abs(x):
        ...     assert x.shape == (2, 3) and x.dtype == minigrad.float64 and x.requires_grad
        ...     assert (x.abs().numpy() >= 0.1).all()
        ...     gradcheck(minigrad.abs, (x,))
        >>> test_abs()
    """
    dt = np.dtype(dtype)
    if dt.kind not in "fiub":
        raise TypeError(f"tensors: unsupported dtype {dt}")
    if requires_grad is None:
        requires_grad = dt.kind == "f"
    elif requires_grad and dt.kind != "f":
        raise ValueError(f"tensors: a tensor of dtype {dt} cannot require grad")
    lo, hi, element_strategy = _resolve_range(elements, min_value, max_value)
    if lo > hi:
        raise ValueError(f"tensors: empty value range ({lo}, {hi})")
    points = (away_from,) if isinstance(away_from, (int, float)) else tuple(away_from)
    shape_strategy = shapes() if shape is None else shape
    if not isinstance(shape_strategy, SearchStrategy):
        shape_strategy = hst.just(tuple(shape_strategy))

    if distinct:
        if dt.kind != "f":
            raise ValueError("tensors: distinct=True needs a floating dtype")
        arrays = shape_strategy.flatmap(lambda s: _distinct_arrays(s, lo, hi))
        if points:
            arrays = arrays.filter(lambda a: _far_from(a, points, margin))
    else:
        if element_strategy is None:
            element_strategy = _elements(dt, lo, hi, points, margin)
        arrays = shape_strategy.flatmap(
            lambda s: hnp.arrays(np.float64 if dt.kind == "f" else dt, s, elements=element_strategy)
        )
    return arrays.map(lambda a: _to_tensor(a, dt, bool(requires_grad)))


def _elements(dt: np.dtype, lo: float, hi: float, points: tuple[float, ...], margin: float) -> Any:
    if dt.kind == "b":
        return hst.booleans()
    if dt.kind in "iu":
        info = np.iinfo(dt)
        ints = hst.integers(max(int(np.ceil(lo)), info.min), min(int(np.floor(hi)), info.max))
        return ints.filter(lambda v: all(abs(v - p) >= margin for p in points)) if points else ints
    floats = hst.floats(lo, hi, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    if points:
        floats = floats.filter(lambda v: all(abs(v - p) >= margin for p in points))
    return floats


def _distinct_arrays(shape: Shape, lo: float, hi: float) -> SearchStrategy[np.ndarray]:
    """Values in ``size`` equal cells of ``[lo, hi]``, one per cell, in a drawn order."""
    size = int(np.prod(shape))
    width = (hi - lo) / max(size, 1)

    def build(args: tuple[list[int], list[float]]) -> np.ndarray:
        order, jitter = args
        cells = np.asarray(order, dtype=np.float64) + 0.1 + 0.8 * np.asarray(jitter)
        return (lo + cells * width).reshape(shape)

    return hst.tuples(
        hst.permutations(list(range(size))),
        hst.lists(hst.floats(0.0, 1.0), min_size=size, max_size=size),
    ).map(build)


def _far_from(a: np.ndarray, points: tuple[float, ...], margin: float) -> bool:
    return all(bool(np.all(np.abs(a - p) >= margin)) for p in points)


def _to_tensor(a: np.ndarray, dt: np.dtype, requires_grad: bool) -> Tensor:
    t = Tensor._make(np.array(a, dtype=dt))
    if requires_grad:
        t.requires_grad_(True)
    return t


def upstream_gradients(shape: Shape, dtype: Any = np.float64) -> SearchStrategy[Tensor]:
    """Draw an upstream gradient: a Tensor of ``shape`` with values in [-2, 2], no grad.

    Use it as the ``gradient`` argument of ``backward`` (MyGrad's pattern): a random
    upstream gradient makes every element of the Jacobian count.

    Example:
        >>> import minigrad
        >>> from hypothesis import given, settings
        >>> from minigrad.testing import strategies as st
        >>> @settings(max_examples=5, derandomize=True, database=None)
        ... @given(g=st.upstream_gradients((2, 3)))
        ... def check(g):
        ...     x = minigrad.ones(2, 3, dtype=minigrad.float64, requires_grad=True)
        ...     (x * 3.0).backward(g)
        ...     assert (x.grad.numpy() == 3.0 * g.numpy()).all()
        >>> check()
    """
    return tensors(shape, dtype, elements=(-2.0, 2.0), requires_grad=False)
