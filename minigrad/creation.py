"""Functions that create tensors: zeros, ones, full, arange, rand, randn, ...

Random functions draw from minigrad's global generator (see ``minigrad.manual_seed``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.random import default_generator
from minigrad.tensor import DTypeLike, Tensor, get_default_dtype


def _size(size: tuple[Any, ...]) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if not isinstance(s, (int, np.integer)) or s < 0:
            raise ValueError(f"sizes must be non-negative integers, got {size}")
    return tuple(int(s) for s in size)


def _finish(data: np.ndarray, requires_grad: bool) -> Tensor:
    t = Tensor._make(data)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _float(dtype: DTypeLike | None) -> np.dtype:
    return get_default_dtype() if dtype is None else np.dtype(dtype)


def tensor(data: Any, dtype: DTypeLike | None = None, requires_grad: bool = False) -> Tensor:
    """Make a tensor from a scalar, nested lists, an ndarray or a Tensor (always copies).

    Python floats become the default dtype (float32); float64 arrays stay float64.

    Example:
        >>> import minigrad
        >>> minigrad.tensor([[1, 2], [3, 4]], dtype=minigrad.float32)
        tensor([[1., 2.],
                [3., 4.]])
    """
    return Tensor(data, dtype=dtype, requires_grad=requires_grad)


def zeros(*size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3).shape
        (2, 3)
    """
    return _finish(np.zeros(_size(size), dtype=_float(dtype)), requires_grad)


def ones(*size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones.

    Example:
        >>> import minigrad
        >>> minigrad.ones(2)
        tensor([1., 1.])
    """
    return _finish(np.ones(_size(size), dtype=_float(dtype)), requires_grad)


def full(
    size: Any, fill_value: Any, dtype: DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """A tensor filled with ``fill_value``.

    Example:
        >>> import minigrad
        >>> minigrad.full((2,), 7.0)
        tensor([7., 7.])
    """
    if dtype is None:
        dtype = np.asarray(Tensor(fill_value)._data).dtype
    return _finish(np.full(_size((size,)), fill_value, dtype=np.dtype(dtype)), requires_grad)


def empty(*size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor.

    Example:
        >>> import minigrad
        >>> minigrad.empty(3).shape
        (3,)
    """
    return _finish(np.empty(_size(size), dtype=_float(dtype)), requires_grad)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    dtype: DTypeLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Values from ``start`` up to (not including) ``end`` by ``step``.

    Integer arguments give int64; any float argument gives the default float dtype.

    Example:
        >>> import minigrad
        >>> minigrad.arange(3)
        tensor([0, 1, 2])
        >>> minigrad.arange(0, 1, 0.25)
        tensor([0.  , 0.25, 0.5 , 0.75])
    """
    if end is None:
        start, end = 0, start
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if ints else get_default_dtype()
    return _finish(np.arange(start, end, step).astype(dtype), requires_grad)


def linspace(
    start: float,
    end: float,
    steps: int,
    dtype: DTypeLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    Example:
        >>> import minigrad
        >>> minigrad.linspace(0, 1, 3)
        tensor([0. , 0.5, 1. ])
    """
    return _finish(np.linspace(start, end, steps).astype(_float(dtype)), requires_grad)


def eye(
    n: int, m: int | None = None, dtype: DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """The identity matrix (``n`` x ``m``).

    Example:
        >>> import minigrad
        >>> minigrad.eye(2)
        tensor([[1., 0.],
                [0., 1.]])
    """
    return _finish(np.eye(n, m, dtype=_float(dtype)), requires_grad)


def rand(*size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False) -> Tensor:
    """Uniform samples from [0, 1).

    Example:
        >>> import minigrad
        >>> _ = minigrad.manual_seed(0)
        >>> bool(((minigrad.rand(100).numpy() >= 0) & (minigrad.rand(100).numpy() < 1)).all())
        True
    """
    data = default_generator().random(_size(size), dtype=np.float64)
    return _finish(data.astype(_float(dtype)), requires_grad)


def randn(*size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples.

    Example:
        >>> import minigrad
        >>> minigrad.randn(2, 3).shape
        (2, 3)
    """
    data = default_generator().standard_normal(_size(size))
    return _finish(data.astype(_float(dtype)), requires_grad)


def randint(
    low: int, high: int | None = None, size: Any = (), dtype: DTypeLike | None = None
) -> Tensor:
    """Random integers from ``low`` up to (not including) ``high``.

    Example:
        >>> import minigrad
        >>> int(minigrad.randint(0, 10, (5,)).max()) < 10
        True
    """
    if high is None:
        low, high = 0, low
    data = default_generator().integers(low, high, size=_size((size,)) if size != () else ())
    return Tensor._make(np.asarray(data, dtype=np.int64 if dtype is None else dtype))


def zeros_like(
    input: Tensor, dtype: DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """Zeros with ``input``'s shape and dtype.

    Example:
        >>> import minigrad
        >>> minigrad.zeros_like(minigrad.ones(2))
        tensor([0., 0.])
    """
    return _finish(np.zeros(input.shape, dtype=dtype or input.dtype), requires_grad)


def ones_like(input: Tensor, dtype: DTypeLike | None = None, requires_grad: bool = False) -> Tensor:
    """Ones with ``input``'s shape and dtype.

    Example:
        >>> import minigrad
        >>> minigrad.ones_like(minigrad.zeros(2, dtype=minigrad.float64))
        tensor([1., 1.], dtype=minigrad.float64)
    """
    return _finish(np.ones(input.shape, dtype=dtype or input.dtype), requires_grad)


def rand_like(input: Tensor, dtype: DTypeLike | None = None, requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1) with ``input``'s shape and dtype.

    Example:
        >>> import minigrad
        >>> minigrad.rand_like(minigrad.zeros(2, 3)).shape
        (2, 3)
    """
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(
    input: Tensor, dtype: DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """Standard normal samples with ``input``'s shape and dtype.

    Example:
        >>> import minigrad
        >>> minigrad.randn_like(minigrad.zeros(4)).dtype
        dtype('float32')
    """
    return randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)
