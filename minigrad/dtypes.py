"""PyTorch's dtypes: ``minigrad.float32``, ``minigrad.long``, ... printed as PyTorch prints them.

A :class:`dtype` wraps a NumPy dtype and stands in for it everywhere: it compares
and hashes equal to it (``x.dtype == np.float32``), NumPy accepts it as a dtype
(``np.zeros(3, dtype=x.dtype)``), and NumPy's attributes (``kind``, ``name``,
``itemsize``...) read through. ``Tensor.dtype`` returns one.

Example:
    >>> import numpy as np
    >>> import minigrad
    >>> x = minigrad.tensor([1.0, 2.0])
    >>> x.dtype, x.dtype == np.float32, minigrad.float is minigrad.float32
    (minigrad.float32, True, True)
    >>> np.zeros(2, dtype=x.dtype).dtype
    dtype('float32')
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "BoolTensor",
    "ByteTensor",
    "DoubleTensor",
    "FloatTensor",
    "IntTensor",
    "LongTensor",
    "dtype",
    "finfo",
    "iinfo",
    "to_dtype",
]

# torch's name of each NumPy dtype minigrad holds (bfloat16: NumPy has none).
_NAMES = {
    "float16": "float16", "float32": "float32", "float64": "float64",
    "complex64": "complex64", "complex128": "complex128",
    "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64",
    "uint8": "uint8", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64",
    "bool": "bool",
}  # fmt: skip


class dtype:
    """A tensor element type, as ``torch.dtype``: wraps (and equals) a NumPy dtype.

    Get one from ``minigrad.float32`` and the other attributes, or from
    ``Tensor.dtype``; :func:`to_dtype` turns anything NumPy understands into one.

    Example:
        >>> import minigrad
        >>> d = minigrad.float64
        >>> d, d.is_floating_point, d.itemsize, d.is_signed, minigrad.uint8.is_signed
        (minigrad.float64, True, 8, True, False)
    """

    __slots__ = ("_np",)
    _np: np.dtype

    def __new__(cls, value: Any) -> dtype:
        return to_dtype(value)

    @property
    def dtype(self) -> np.dtype:
        """The NumPy dtype (this attribute is what lets NumPy accept a minigrad dtype)."""
        return self._np

    @property
    def is_floating_point(self) -> bool:
        """Whether it is a floating type (float16/32/64)."""
        return self._np.kind == "f"

    @property
    def is_complex(self) -> bool:
        """Whether it is a complex type."""
        return self._np.kind == "c"

    @property
    def is_signed(self) -> bool:
        """Whether it holds negative values (every type but bool and the unsigned ones)."""
        return self._np.kind in "fic"

    @property
    def itemsize(self) -> int:
        """The size of one element in bytes."""
        return int(self._np.itemsize)

    def to_complex(self) -> DType:
        """The complex type of the same precision (float32 -> complex64)."""
        return to_dtype({4: np.complex64, 8: np.complex128}.get(self._np.itemsize, np.complex128))

    def to_real(self) -> DType:
        """The real type of the same precision (complex64 -> float32)."""
        if self._np.kind != "c":
            return self
        return to_dtype(np.float32 if self._np.itemsize == 8 else np.float64)

    def __getattr__(self, name: str) -> Any:
        # NumPy's attributes (kind, name, char, type, str, ...) for code written against np.dtype.
        if name.startswith("__") or name == "_np":
            raise AttributeError(name)
        return getattr(self._np, name)

    def __repr__(self) -> str:
        return "minigrad." + _NAMES.get(self._np.name, self._np.name)

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, dtype):
            return self._np == other._np
        if other is None or (isinstance(other, (bool, int, float)) and not isinstance(other, type)):
            return False
        try:
            return bool(self._np == np.dtype(other))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return False

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._np)

    def __reduce__(self) -> Any:
        return (to_dtype, (self._np.str,))


DType = dtype
_BY_NP: dict[np.dtype, dtype] = {}


def _make(np_dtype: np.dtype) -> dtype:
    d = object.__new__(dtype)
    object.__setattr__(d, "_np", np_dtype)
    _BY_NP[np_dtype] = d
    return d


for _name in _NAMES:
    _make(np.dtype(_name))


def to_dtype(value: Any) -> dtype:
    """``value`` (a minigrad dtype, a NumPy dtype or type, ``float``, a name) as a :class:`dtype`.

    Raises:
        TypeError: for ``None``, a device name, or anything that is no tensor dtype.

    Example:
        >>> import numpy as np
        >>> from minigrad.dtypes import to_dtype
        >>> to_dtype(np.float64), to_dtype(float), to_dtype("int32")
        (minigrad.float64, minigrad.float64, minigrad.int32)
    """
    if isinstance(value, dtype):
        return value
    if isinstance(value, np.dtype):
        found = _BY_NP.get(value)
        if found is not None:
            return found
    if value is None:
        raise TypeError("expected a dtype, got None")
    if isinstance(value, str) and value in ("bfloat16", "torch.bfloat16", "minigrad.bfloat16"):
        raise TypeError("bfloat16 is not supported: NumPy has no bfloat16; use float32")
    try:
        np_dtype = np.dtype(value)
    except TypeError:
        raise TypeError(f"expected a dtype, got {type(value).__name__} ({value!r})") from None
    found = _BY_NP.get(np_dtype)
    if found is None:
        raise TypeError(
            f"{np_dtype} is not a tensor dtype (expected a bool, integer or float type)"
        )
    return found


class _BFloat16:
    """``minigrad.bfloat16``: named so programs can mention it; using it raises (NumPy has none).

    Example:
        >>> import minigrad
        >>> minigrad.zeros(2, dtype=minigrad.bfloat16)
        Traceback (most recent call last):
            ...
        TypeError: bfloat16 is not supported: NumPy has no bfloat16; use float32
    """

    @property
    def dtype(self) -> np.dtype:
        raise TypeError("bfloat16 is not supported: NumPy has no bfloat16; use float32")

    is_floating_point = True
    itemsize = 2

    def __repr__(self) -> str:
        return "minigrad.bfloat16"


bfloat16 = _BFloat16()


def finfo(type: Any = None) -> np.finfo:
    """Machine limits of a floating dtype (``eps``, ``max``, ``min``, ``tiny``), as ``torch.finfo``.

    Example:
        >>> import minigrad
        >>> float(minigrad.finfo(minigrad.float32).eps)
        1.1920928955078125e-07
        >>> float(minigrad.finfo().max) == float(minigrad.finfo(minigrad.float32).max)
        True
    """
    from minigrad.tensor import get_default_dtype

    d = to_dtype(get_default_dtype() if type is None else type)
    if not d.is_floating_point:
        raise TypeError(f"finfo: expected a floating point dtype, got {d}")
    return np.finfo(d._np)


def iinfo(type: Any) -> np.iinfo:
    """Limits of an integer dtype (``min``, ``max``, ``bits``), as ``torch.iinfo``.

    Example:
        >>> import minigrad
        >>> int(minigrad.iinfo(minigrad.int8).max), minigrad.iinfo(minigrad.uint8).bits
        (127, 8)
    """
    d = to_dtype(type)
    if d._np.kind not in "iu":
        raise TypeError(f"iinfo: expected an integer dtype, got {d}")
    return np.iinfo(d._np)


class _LegacyTensorType(type):
    """``isinstance(x, minigrad.FloatTensor)`` is true for a float32 Tensor, as in PyTorch."""

    _legacy_dtype: np.dtype

    def __instancecheck__(cls, obj: Any) -> bool:
        from minigrad.tensor import Tensor

        return isinstance(obj, Tensor) and obj.dtype == cls._legacy_dtype


def _legacy_type(name: str, np_name: str) -> type:
    dt = np.dtype(np_name)

    def __new__(cls: Any, *args: Any, **kwargs: Any) -> Any:
        from minigrad.tensor import Tensor

        if kwargs.pop("dtype", None) is not None:
            raise TypeError(f"{name}(): a dtype cannot be given (it is {to_dtype(dt)})")
        return Tensor(*args, dtype=dt, **kwargs)

    doc = f"""PyTorch's legacy ``{name}``: ``{name}(2, 3)`` (uninitialised) or ``{name}(data)``.

    It makes a ``Tensor`` of dtype ``minigrad.{_NAMES[np_name]}``; ``isinstance(x, {name})``
    is true for tensors of that dtype.

    Example:
        >>> import minigrad
        >>> x = minigrad.{name}([1, 0])
        >>> x.dtype, isinstance(x, minigrad.{name}), minigrad.{name}(2, 3).shape
        (minigrad.{_NAMES[np_name]}, True, minigrad.Size([2, 3]))
    """
    cls = _LegacyTensorType(name, (), {"__new__": __new__, "__doc__": doc, "_legacy_dtype": dt})
    cls.__module__ = __name__
    return cls


FloatTensor = _legacy_type("FloatTensor", "float32")
DoubleTensor = _legacy_type("DoubleTensor", "float64")
LongTensor = _legacy_type("LongTensor", "int64")
IntTensor = _legacy_type("IntTensor", "int32")
BoolTensor = _legacy_type("BoolTensor", "bool")
ByteTensor = _legacy_type("ByteTensor", "uint8")
