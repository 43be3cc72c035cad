"""Functions that create tensors: zeros, ones, full, arange, rand, randn, ...

Random functions draw from minigrad's global generator (see ``minigrad.manual_seed``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.device import as_device
from minigrad.random import default_generator
from minigrad.tensor import DTypeLike, Tensor, _infer_array, get_default_dtype


def _size(size: tuple[Any, ...]) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if isinstance(s, Tensor) and s.numel() == 1 and s.dtype.kind in "iu":
            s = s.item()
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(
                f"size must be a tuple of ints, but got an element of type {type(s).__name__} "
                f"({s!r}) in {size}"
            )
        if s < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: {[int(v) for v in size]}"
            )
    return tuple(int(s) for s in size)


def _finish(data: np.ndarray, requires_grad: bool, device: Any = None, who: str = "") -> Tensor:
    as_device(device, who)
    t = Tensor._make(data)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _float(dtype: DTypeLike | None) -> np.dtype:
    return get_default_dtype() if dtype is None else np.dtype(dtype)


def tensor(
    data: Any, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """Make a tensor from a scalar, nested lists, an ndarray or a Tensor (always copies).

    Python floats become the default dtype (float32); float64 arrays stay float64.

    Example:
        >>> import minigrad
        >>> minigrad.tensor([[1, 2], [3, 4]], dtype=minigrad.float32)
        tensor([[1., 2.],
                [3., 4.]])
    """
    as_device(device, "tensor")
    # Inferred, as torch.tensor: ints stay int64, bools bool (Tensor() itself is float32).
    return _finish(_infer_array(data, dtype), requires_grad, device, "tensor")


def zeros(
    *size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """A tensor of zeros.

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, 3).shape
        minigrad.Size([2, 3])
    """
    return _finish(np.zeros(_size(size), dtype=_float(dtype)), requires_grad, device, "zeros")


def ones(
    *size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """A tensor of ones.

    Example:
        >>> import minigrad
        >>> minigrad.ones(2)
        tensor([1., 1.])
    """
    return _finish(np.ones(_size(size), dtype=_float(dtype)), requires_grad, device, "ones")


def full(
    size: Any,
    fill_value: Any,
    dtype: DTypeLike | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """A tensor filled with ``fill_value``.

    Example:
        >>> import minigrad
        >>> minigrad.full((2,), 7.0)
        tensor([7., 7.])
    """
    if dtype is None:
        dtype = np.asarray(Tensor(fill_value)._data).dtype
    return _finish(
        np.full(_size((size,)), fill_value, dtype=np.dtype(dtype)), requires_grad, device, "full"
    )


def empty(
    *size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """An uninitialised tensor.

    Example:
        >>> import minigrad
        >>> minigrad.empty(3).shape
        minigrad.Size([3])
    """
    return _finish(np.empty(_size(size), dtype=_float(dtype)), requires_grad, device, "empty")


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    dtype: DTypeLike | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Values from ``start`` up to (not including) ``end`` by ``step``.

    Integer arguments give int64; any float argument gives the default float dtype.

    Example:
        >>> import minigrad
        >>> minigrad.arange(3)
        tensor([0, 1, 2])
        >>> minigrad.arange(0, 1, 0.25)
        tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(
            f"arange: upper bound and larger bound inconsistent with step sign "
            f"(start={start}, end={end}, step={step})"
        )
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if ints else get_default_dtype()
    return _finish(np.arange(start, end, step).astype(dtype), requires_grad, device, "arange")


def linspace(
    start: float,
    end: float,
    steps: int,
    dtype: DTypeLike | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive.

    Example:
        >>> import minigrad
        >>> minigrad.linspace(0, 1, 3)
        tensor([0.0000, 0.5000, 1.0000])
    """
    return _finish(
        np.linspace(start, end, steps).astype(_float(dtype)), requires_grad, device, "linspace"
    )


def eye(
    n: int,
    m: int | None = None,
    dtype: DTypeLike | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """The identity matrix (``n`` x ``m``).

    Example:
        >>> import minigrad
        >>> minigrad.eye(2)
        tensor([[1., 0.],
                [0., 1.]])
    """
    return _finish(np.eye(n, m, dtype=_float(dtype)), requires_grad, device, "eye")


def rand(
    *size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """Uniform samples from [0, 1).

    Example:
        >>> import minigrad
        >>> _ = minigrad.manual_seed(0)
        >>> bool(((minigrad.rand(100).numpy() >= 0) & (minigrad.rand(100).numpy() < 1)).all())
        True
    """
    data = default_generator().random(_size(size), dtype=np.float64)
    return _finish(data.astype(_float(dtype)), requires_grad, device, "rand")


def randn(
    *size: Any, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """Standard normal samples.

    Example:
        >>> import minigrad
        >>> minigrad.randn(2, 3).shape
        minigrad.Size([2, 3])
    """
    data = default_generator().standard_normal(_size(size))
    return _finish(data.astype(_float(dtype)), requires_grad, device, "randn")


def randint(
    low: int,
    high: int | None = None,
    size: Any = (),
    dtype: DTypeLike | None = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Random integers from ``low`` up to (not including) ``high``.

    Example:
        >>> import minigrad
        >>> int(minigrad.randint(0, 10, (5,)).max()) < 10
        True
    """
    if high is None:
        low, high = 0, low
    if low >= high:
        raise RuntimeError(
            f"randint: expects 'low' to be less than 'high', but got low={low} >= high={high}"
        )
    data = default_generator().integers(low, high, size=_size((size,)) if size != () else ())
    out = np.asarray(data, dtype=np.int64 if dtype is None else np.dtype(dtype))
    return _finish(out, requires_grad, device, "randint")


def zeros_like(
    input: Tensor, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """Zeros with ``input``'s shape and dtype.

    Example:
        >>> import minigrad
        >>> minigrad.zeros_like(minigrad.ones(2))
        tensor([0., 0.])
    """
    return _finish(
        np.zeros(input.shape, dtype=dtype or input.dtype), requires_grad, device, "zeros_like"
    )


def ones_like(
    input: Tensor, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """Ones with ``input``'s shape and dtype.

    Example:
        >>> import minigrad
        >>> minigrad.ones_like(minigrad.zeros(2, dtype=minigrad.float64))
        tensor([1., 1.], dtype=minigrad.float64)
    """
    return _finish(
        np.ones(input.shape, dtype=dtype or input.dtype), requires_grad, device, "ones_like"
    )


def rand_like(
    input: Tensor, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """Uniform samples in [0, 1) with ``input``'s shape and dtype.

    Example:
        >>> import minigrad
        >>> minigrad.rand_like(minigrad.zeros(2, 3)).shape
        minigrad.Size([2, 3])
    """
    return rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad, device=device)


def randn_like(
    input: Tensor, dtype: DTypeLike | None = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """Standard normal samples with ``input``'s shape and dtype.

    Example:
        >>> import minigrad
        >>> minigrad.randn_like(minigrad.zeros(4)).dtype
        minigrad.float32
    """
    return randn(
        input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad, device=device
    )


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing ``ndarray``'s memory (writes to either are seen by both), as PyTorch's.

    Example:
        >>> import numpy as np
        >>> import minigrad
        >>> a = np.array([1.0, 2.0])
        >>> t = minigrad.from_numpy(a)
        >>> a[0] = 5.0
        >>> t
        tensor([5., 2.], dtype=minigrad.float64)
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if ndarray.dtype.kind not in "biuf":
        raise TypeError(
            f"can't convert np.ndarray of type {ndarray.dtype}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        )
    return Tensor._make(ndarray)


def as_tensor(data: Any, dtype: DTypeLike | None = None, device: Any = None) -> Tensor:
    """``data`` as a tensor, without a copy when it already is one of that dtype (PyTorch's).

    NumPy arrays of the requested dtype are shared, as ``from_numpy``.

    Example:
        >>> import minigrad
        >>> t = minigrad.tensor([1.0])
        >>> minigrad.as_tensor(t) is t, minigrad.as_tensor([1, 2])
        (True, tensor([1, 2]))
    """
    as_device(device, "as_tensor")
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or np.dtype(dtype) == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a minigrad Tensor.

    Example:
        >>> import minigrad
        >>> minigrad.is_tensor(minigrad.zeros(1)), minigrad.is_tensor([1.0])
        (True, False)
    """
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:
    """Whether ``input``'s dtype is a floating type.

    Example:
        >>> import minigrad
        >>> minigrad.is_floating_point(minigrad.zeros(1))
        True
        >>> minigrad.is_floating_point(minigrad.arange(2))
        False
    """
    if not isinstance(input, Tensor):
        raise TypeError(
            f"is_floating_point(): argument 'input' must be Tensor, not {type(input).__name__}"
        )
    return input.dtype.kind == "f"


def numel(input: Tensor) -> int:
    """The number of elements of ``input``.

    Example:
        >>> import minigrad
        >>> minigrad.numel(minigrad.zeros(2, 3))
        6
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"numel(): argument 'input' must be Tensor, not {type(input).__name__}")
    return input.numel()
