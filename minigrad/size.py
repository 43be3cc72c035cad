"""``minigrad.Size``: a tensor's shape, a tuple printed as PyTorch prints ``torch.Size``.

``print(x.shape)`` and ``repr`` give ``minigrad.Size([3, 4])``; inside an f-string
(``f"{x.shape}"``, as error messages use it) a shape reads as the tuple ``(3, 4)``.

Example:
    >>> import minigrad
    >>> s = minigrad.zeros(3, 4).shape
    >>> s, s == (3, 4), s[1], s.numel(), f"{s}"
    (minigrad.Size([3, 4]), True, 4, 12, '(3, 4)')
"""

from __future__ import annotations

import math
from typing import Any, SupportsIndex, overload

__all__ = ["Size"]


class Size(tuple[int, ...]):
    """A shape: a tuple of ints (it compares, hashes and unpacks as one), as ``torch.Size``.

    Example:
        >>> import minigrad
        >>> minigrad.Size([2, 3]), minigrad.Size([2, 3])[1:], minigrad.Size([]).numel()
        (minigrad.Size([2, 3]), minigrad.Size([3]), 1)
    """

    __slots__ = ()

    def __new__(cls, sizes: Any = ()) -> Size:
        values = tuple(sizes)
        for v in values:
            if not hasattr(v, "__index__") or isinstance(v, bool):
                raise TypeError(
                    f"Size(): expected a sequence of ints, got an element of type "
                    f"{type(v).__name__} ({v!r})"
                )
        return super().__new__(cls, (int(v) for v in values))

    def numel(self) -> int:
        """The number of elements a tensor of this shape holds (1 for ``Size([])``)."""
        return math.prod(self)

    @overload
    def __getitem__(self, index: SupportsIndex) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Size: ...
    def __getitem__(self, index: Any) -> Any:
        out = super().__getitem__(index)
        return Size(out) if isinstance(index, slice) else out

    def __add__(self, other: Any) -> Size:  # type: ignore[override]
        return Size(tuple(self) + tuple(other))

    def __repr__(self) -> str:
        return f"minigrad.Size({list(self)})"

    def __format__(self, spec: str) -> str:
        # Inside f-strings (error messages above all) a shape reads as the plain tuple;
        # print() and repr() show minigrad.Size([...]) as PyTorch's.
        return format(tuple.__repr__(self), spec)

    def __reduce__(self) -> Any:
        return (Size, (tuple(self),))
