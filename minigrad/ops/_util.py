"""Small helpers shared by the op modules: operand conversion and ``dim`` handling."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.tensor import Tensor, _infer_array, get_default_dtype


def as_tensor(x: Any) -> Tensor:
    """Return ``x`` as a Tensor (no copy for Tensors)."""
    return x if isinstance(x, Tensor) else Tensor._make(_infer_array(x, None))


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """PyTorch's ``promote_types``: the smallest dtype both can be cast to without a lower category.

    Category first (bool < integer < floating): a float and an integer type give
    the float type (``int64`` with ``float16`` is ``float16``, where NumPy gives
    ``float64``); within a category, the larger type.

    Example:
        >>> import minigrad
        >>> minigrad.promote_types(minigrad.int64, minigrad.float32)
        minigrad.float32
        >>> minigrad.promote_types("uint8", "int8")
        minigrad.int16
    """
    a, b = np.dtype(type1), np.dtype(type2)
    if a == b:
        return a
    ca, cb = _CATEGORY.get(a.kind), _CATEGORY.get(b.kind)
    if ca is None or cb is None:
        raise TypeError(f"promote_types: unsupported dtypes {a} and {b}")
    if ca != cb:
        return a if ca > cb else b
    out = np.promote_types(a, b)
    if _CATEGORY.get(out.kind) != ca:
        raise TypeError(f"promote_types: no {a.kind}-kind dtype holds both {a} and {b}")
    return out


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """Let a lower-priority operand raise the category only (PyTorch's combine_categories)."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return promote_types(higher, lower)
    return higher


def _scalar_dtype(x: Any) -> np.dtype | None:
    if isinstance(x, (bool, np.bool_)):
        return np.dtype(np.bool_)
    if isinstance(x, (int, np.integer)):
        return np.dtype(np.int64)
    if isinstance(x, (float, np.floating)):
        return get_default_dtype()
    return None


def result_type(*operands: Any) -> np.dtype:
    """The dtype of an op's result, as ``torch.result_type`` defines it.

    Tensors with dimensions decide first, then 0-d tensors, then Python numbers; a
    lower-priority operand only counts when it is of a higher category (so
    ``int_tensor * 2.5`` is float32 but ``float32_tensor * float64_0d`` stays
    float32, and Python scalars never upcast a tensor within its category).

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1, 2], dtype=minigrad.int32)
        >>> minigrad.result_type(x, 2), minigrad.result_type(x, 2.5)
        (minigrad.int32, minigrad.float32)
        >>> zero_dim = minigrad.tensor(1.0, dtype=minigrad.float64)
        >>> minigrad.result_type(minigrad.tensor([1.0]), zero_dim)
        minigrad.float32
    """
    dim = zero = wrapped = None
    for x in operands:
        if isinstance(x, (Tensor, np.ndarray)):
            arr = x._data if isinstance(x, Tensor) else x
            if arr.ndim > 0:
                dim = arr.dtype if dim is None else promote_types(dim, arr.dtype)
            else:
                zero = arr.dtype if zero is None else promote_types(zero, arr.dtype)
            continue
        dt = _scalar_dtype(x)
        if dt is None:
            raise TypeError(f"result_type: unsupported operand of type {type(x).__name__}")
        wrapped = dt if wrapped is None else promote_types(wrapped, dt)
    out = _combine(dim, _combine(zero, wrapped))
    if out is None:
        raise TypeError("result_type: no operands")
    return out


def _to(x: Any, dtype: np.dtype) -> Any:
    """``x`` in ``dtype``: a Tensor by a (differentiable) cast, other values as constants."""
    if isinstance(x, Tensor):
        return x if x._data.dtype == dtype else x.to(dtype)
    if isinstance(x, np.ndarray) and x.ndim > 0:
        return Tensor._make(x.astype(dtype, copy=False))
    return np.asarray(x, dtype=dtype)


def binary_operands(a: Any, b: Any) -> tuple[Any, Any]:
    """Both operands of a binary op in their result dtype (``result_type``).

    Python numbers become 0-d constant arrays, other array-likes constant Tensors;
    at least one operand is a Tensor.
    """
    # Fast paths for the common cases (no promotion needed): two tensors of one dtype,
    # and a floating tensor with a Python number on either side.
    if isinstance(a, Tensor):
        ad = a._data
        if isinstance(b, Tensor):
            bd = b._data
            if ad.dtype == bd.dtype:
                if ad.shape != bd.shape:
                    check_broadcast(ad.shape, bd.shape)
                return a, b
        elif ad.dtype.kind == "f" and type(b) in (int, float):
            return a, np.asarray(b, dtype=ad.dtype)
    elif isinstance(b, Tensor) and b._data.dtype.kind == "f" and type(a) in (int, float):
        return np.asarray(a, dtype=b._data.dtype), b
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        a = as_tensor(a)
    if not isinstance(a, (Tensor, np.ndarray)) and _scalar_dtype(a) is None:
        a = as_tensor(a)
    if not isinstance(b, (Tensor, np.ndarray)) and _scalar_dtype(b) is None:
        b = as_tensor(b)
    check_broadcast(_shape(a), _shape(b))
    dtype = result_type(a, b)
    return _to(a, dtype), _to(b, dtype)


def _shape(x: Any) -> tuple[int, ...]:
    return x._data.shape if isinstance(x, Tensor) else np.shape(x)


def check_broadcast(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    """Raise PyTorch's error if two shapes do not broadcast.

    Example:
        >>> from minigrad.ops._util import check_broadcast
        >>> check_broadcast((2, 3), (4, 3))
        Traceback (most recent call last):
        ...
        RuntimeError: The size of tensor a (2) must match the size of tensor b (4) at ...
    """
    n = max(len(a), len(b))
    pa, pb = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    for i in reversed(range(n)):
        if pa[i] != pb[i] and pa[i] != 1 and pb[i] != 1:
            raise RuntimeError(
                f"The size of tensor a ({pa[i]}) must match the size of tensor b ({pb[i]}) at "
                f"non-singleton dimension {i}"
            )


def float_operand(x: Any) -> Tensor:
    """``x`` as a floating Tensor: integer and bool tensors become the default dtype
    (float-valued ops on integers give floats, as in PyTorch)."""
    x = as_tensor(x)
    if x.dtype.kind in "biu":
        return x.to(get_default_dtype())
    return x


def _dtype(x: Any) -> np.dtype:
    return x.dtype if isinstance(x, (Tensor, np.ndarray)) else np.asarray(x).dtype


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


def _as_minigrad_dtype(fn: Any) -> Any:
    """``fn`` returning a ``minigrad.dtype`` (as torch's return ``torch.dtype``)."""
    import functools

    from minigrad.dtypes import to_dtype

    @functools.wraps(fn)
    def wrapper(*args: Any) -> Any:
        return to_dtype(fn(*args))

    return wrapper


promote_types = _as_minigrad_dtype(promote_types)
result_type = _as_minigrad_dtype(result_type)


#: The longest sum :func:`row_sums` and :func:`column_sums` hand to BLAS. BLAS adds in a
#: few SIMD lanes, so its rounding error grows with the length where NumPy's pairwise
#: sum grows with its logarithm; up to a few thousand terms the two agree to float32's
#: precision, and beyond, NumPy sums.
BLAS_SUM_MAX = 4096


def _blas_sum(x: np.ndarray, n: int) -> bool:
    return 0 < n <= BLAS_SUM_MAX and x.dtype in (np.float32, np.float64)


def row_sums(x: np.ndarray) -> np.ndarray:
    """``x.sum(-1, keepdims=True)``: a matrix-vector product for float rows of up to
    :data:`BLAS_SUM_MAX` (NumPy's reduction over many short rows is several times slower).

    Example:
        >>> import numpy as np
        >>> from minigrad.ops._util import row_sums
        >>> row_sums(np.arange(6.0).reshape(2, 3)).tolist()
        [[3.0], [12.0]]
    """
    n = x.shape[-1]
    if x.ndim == 0 or not _blas_sum(x, n):
        return x.sum(-1, keepdims=True)
    return np.matmul(x, np.ones((n, 1), dtype=x.dtype))


def column_sums(x: np.ndarray) -> np.ndarray:
    """``x.sum(0)`` for a 2-D ``x``: a vector-matrix product for up to
    :data:`BLAS_SUM_MAX` float rows.

    Example:
        >>> import numpy as np
        >>> from minigrad.ops._util import column_sums
        >>> column_sums(np.arange(6.0).reshape(2, 3)).tolist()
        [3.0, 5.0, 7.0]
    """
    m = x.shape[0]
    if x.ndim != 2 or not _blas_sum(x, m):
        return x.sum(0)
    return np.matmul(np.ones(m, dtype=x.dtype), x)
