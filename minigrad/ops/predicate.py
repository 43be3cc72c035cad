"""Predicates: ``isnan isinf isfinite isposinf isneginf isclose allclose equal all any``.

None of them has a gradient. The elementwise ones return bool tensors of the
input's shape (integer tensors are always finite); ``all``/``any`` reduce over
``dim`` (an int, a tuple, or all dims) with ``keepdim``; ``allclose`` and
``equal`` return Python bools, as in PyTorch.

Example:
    >>> import minigrad
    >>> x = minigrad.tensor([1.0, float("nan"), float("inf")])
    >>> minigrad.isfinite(x), minigrad.isnan(x).any()
    (tensor([ True, False, False]), tensor(True))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor, binary_operands, normalize_dims
from minigrad.tensor import Tensor


def _bool(array: Any) -> Tensor:
    return Tensor._make(np.asarray(array, dtype=np.bool_))


@op(differentiable=False)
def isnan(input: Any) -> Tensor:
    """Where ``input`` is ``nan``.

    Example:
        >>> import minigrad
        >>> minigrad.isnan(minigrad.tensor([1.0, float("nan")]))
        tensor([False,  True])
    """
    return _bool(np.isnan(as_tensor(input)._data))


@op(differentiable=False)
def isinf(input: Any) -> Tensor:
    """Where ``input`` is ``inf`` or ``-inf``.

    Example:
        >>> import minigrad
        >>> minigrad.isinf(minigrad.tensor([1.0, -float("inf")]))
        tensor([False,  True])
    """
    return _bool(np.isinf(as_tensor(input)._data))


@op(differentiable=False)
def isfinite(input: Any) -> Tensor:
    """Where ``input`` is neither ``nan`` nor infinite.

    Example:
        >>> import minigrad
        >>> minigrad.isfinite(minigrad.tensor([1.0, float("nan")]))
        tensor([ True, False])
    """
    return _bool(np.isfinite(as_tensor(input)._data))


@op(differentiable=False)
def isposinf(input: Any) -> Tensor:
    """Where ``input`` is ``inf``.

    Example:
        >>> import minigrad
        >>> minigrad.isposinf(minigrad.tensor([float("inf"), -float("inf")]))
        tensor([ True, False])
    """
    return _bool(np.isposinf(as_tensor(input)._data))


@op(differentiable=False)
def isneginf(input: Any) -> Tensor:
    """Where ``input`` is ``-inf``.

    Example:
        >>> import minigrad
        >>> minigrad.isneginf(minigrad.tensor([float("inf"), -float("inf")]))
        tensor([False,  True])
    """
    return _bool(np.isneginf(as_tensor(input)._data))


def _close(input: Any, other: Any, rtol: float, atol: float, equal_nan: bool) -> np.ndarray:
    if rtol < 0 or atol < 0:
        raise RuntimeError(f"isclose: rtol and atol must be non-negative, got {rtol} and {atol}")
    a, b = as_tensor(input), as_tensor(other)
    if a.dtype != b.dtype and not (a.dtype.kind == b.dtype.kind == "f"):
        raise RuntimeError(
            f"isclose: {a.dtype} did not match {b.dtype} (both tensors must have one dtype)"
        )
    x, y = binary_operands(a, b)
    xa, ya = np.asarray(x._data), np.asarray(y._data)
    with np.errstate(invalid="ignore", over="ignore"):
        close = xa == ya
        if xa.dtype.kind == "f":
            # |a - b| <= atol + rtol * |b|, with infinities equal only to themselves.
            finite = np.isfinite(xa) & np.isfinite(ya)
            close |= finite & (np.abs(xa - ya) <= atol + rtol * np.abs(ya))
            if equal_nan:
                close |= np.isnan(xa) & np.isnan(ya)
        else:
            diff = np.abs(xa.astype(np.float64) - ya.astype(np.float64))
            close |= diff <= atol + rtol * np.abs(ya.astype(np.float64))
    return np.asarray(close, dtype=np.bool_)


@op(differentiable=False)
def isclose(
    input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """Where ``|input - other| <= atol + rtol * |other|`` (infinities close only to themselves).

    Example:
        >>> import minigrad
        >>> minigrad.isclose(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0 + 1e-9, 2.1]))
        tensor([ True, False])
    """
    return _bool(_close(input, other, rtol, atol, equal_nan))


@op(differentiable=False)
def allclose(
    input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:
    """Whether every element is ``isclose`` (a Python bool).

    Example:
        >>> import minigrad
        >>> minigrad.allclose(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 2.0 + 1e-9]))
        True
    """
    return bool(_close(input, other, rtol, atol, equal_nan).all())


@op(differentiable=False)
def equal(input: Any, other: Any) -> bool:
    """Whether both tensors have the same shape and elements (a Python bool; ``nan != nan``).

    Example:
        >>> import minigrad
        >>> minigrad.equal(minigrad.tensor([1, 2]), minigrad.tensor([1, 2]))
        True
        >>> minigrad.tensor([1.0]).equal(minigrad.tensor([1.0, 1.0]))
        False
    """
    a, b = as_tensor(input), as_tensor(other)
    if a.shape != b.shape:
        return False
    return bool(np.array_equal(a._data, b._data))


def _logical_reduce(fn: Any, input: Any, dim: Any, keepdim: bool, who: str) -> Tensor:
    x = as_tensor(input)
    axes = normalize_dims(dim, x.ndim, who)
    out = np.asarray(fn(x._data != 0, axis=axes, keepdims=keepdim))
    return Tensor._make(out.astype(np.uint8 if x.dtype == np.uint8 else np.bool_))


@op(differentiable=False)
def all(input: Any, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Whether every element (along ``dim``) is nonzero (bool; ``uint8`` stays ``uint8``).

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[True, False], [True, True]])
        >>> minigrad.all(x), x.all(dim=1), x.all(dim=0, keepdim=True)
        (tensor(False), tensor([False,  True]), tensor([[ True, False]]))
    """
    return _logical_reduce(np.all, input, dim, keepdim, "all")


@op(differentiable=False)
def any(input: Any, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Whether some element (along ``dim``) is nonzero (bool; ``uint8`` stays ``uint8``).

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([[0.0, 0.0], [0.0, 2.0]])
        >>> minigrad.any(x), x.any(dim=1)
        (tensor(True), tensor([False,  True]))
    """
    return _logical_reduce(np.any, input, dim, keepdim, "any")
