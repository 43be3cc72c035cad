"""Small helpers shared by the op modules: operand conversion and ``dim`` handling."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.tensor import Tensor, get_default_dtype


def as_tensor(x: Any) -> Tensor:
    """Return ``x`` as a Tensor (no copy for Tensors)."""
    return x if isinstance(x, Tensor) else Tensor(x)


def constant_like(value: Any, like: Tensor) -> Any:
    """Turn a non-Tensor operand into an array that does not promote ``like``'s dtype.

    Python scalars take the tensor's dtype when it is floating (``x * 2.0`` stays
    float32, as in PyTorch); arrays are wrapped as constant Tensors.
    """
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return Tensor._make(value)
    if isinstance(value, (bool, int, float, np.number, np.bool_, np.ndarray)):
        if like.dtype.kind == "f" and not isinstance(value, (bool, np.bool_)):
            return np.asarray(value, dtype=like.dtype)
        if isinstance(value, (float, np.floating)) and like.dtype.kind in "iub":
            return np.asarray(value, dtype=get_default_dtype())
        return np.asarray(value)
    return Tensor(value)


def binary_operands(a: Any, b: Any) -> tuple[Any, Any]:
    """Normalise the two operands of a binary op; at least one becomes a Tensor.

    An integer or bool operand paired with a floating one takes its dtype, as in
    PyTorch (``int64 + float32 -> float32``, where NumPy would give float64).
    """
    if isinstance(a, Tensor):
        a, b = a, constant_like(b, a)
    elif isinstance(b, Tensor):
        a, b = constant_like(a, b), b
    else:
        a, b = as_tensor(a), as_tensor(b)
    kind_a, kind_b = _dtype(a), _dtype(b)
    if kind_a.kind in "biu" and kind_b.kind == "f":
        a = _cast(a, kind_b)
    elif kind_b.kind in "biu" and kind_a.kind == "f":
        b = _cast(b, kind_a)
    return a, b


def _dtype(x: Any) -> np.dtype:
    return x.dtype if isinstance(x, (Tensor, np.ndarray)) else np.asarray(x).dtype


def _cast(x: Any, dtype: np.dtype) -> Any:
    return x.to(dtype) if isinstance(x, Tensor) else np.asarray(x, dtype=dtype)


def normalize_dim(dim: int | np.integer, ndim: int, who: str) -> int:
    """Turn a possibly negative ``dim`` into an axis, with PyTorch's error message."""
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"{who}: dim must be an int, got {dim!r}")
    if not lo <= dim <= hi:
        raise IndexError(
            f"{who}: dimension out of range (expected to be in range of [{lo}, {hi}], "
            f"but got {dim})"
        )
    return int(dim) % max(ndim, 1)


def normalize_dims(dim: Any, ndim: int, who: str) -> tuple[int, ...]:
    """``None`` -> all axes; an int or a sequence -> sorted unique axes."""
    if dim is None:
        return tuple(range(ndim))
    dims = [dim] if isinstance(dim, (int, np.integer)) else list(dim)
    axes = [normalize_dim(d, ndim, who) for d in dims]
    if len(set(axes)) != len(axes):
        raise ValueError(f"{who}: dim {dim!r} names a dimension twice")
    return tuple(sorted(axes)) if ndim else ()


def keepdim_shape(shape: Sequence[int], axes: Sequence[int]) -> tuple[int, ...]:
    """``shape`` with the reduced ``axes`` set to 1."""
    return tuple(1 if i in axes else s for i, s in enumerate(shape))
