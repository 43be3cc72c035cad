"""``default_collate`` and ``default_convert``, as torch's: samples to batches of Tensors.

Example:
    >>> import numpy as np
    >>> from minigrad.data.collate import default_collate
    >>> x, y = default_collate([(np.zeros(2, np.float32), 1), (np.ones(2, np.float32), 0)])
    >>> x.shape, y.tolist()
    (minigrad.Size([2, 2]), [1, 0])
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any

import numpy as np

from minigrad.tensor import Tensor

__all__ = ["default_collate", "default_convert"]

_STRING_OR_OBJECT = re.compile(r"[SaUO]")  # NumPy dtype codes that cannot become Tensors
_COLLATE_ERROR = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def _stack(arrays: Sequence[np.ndarray], tensors: Sequence[Any] = ()) -> Tensor:
    """Stack equal-shaped arrays on a new first axis, with torch.stack's error for a mismatch."""
    first = arrays[0].shape
    for i, a in enumerate(arrays):
        if a.shape != first:
            raise RuntimeError(
                "stack expects each tensor to be equal size, but got "
                f"{list(first)} at entry 0 and {list(a.shape)} at entry {i}"
            )
    if any(getattr(t, "requires_grad", False) for t in tensors):
        from minigrad.ops.shape import stack  # differentiable, as torch.stack

        return stack(list(tensors))
    return Tensor._make(np.stack(arrays))


def _rebuild_mapping(elem: Mapping[Any, Any], values: dict[Any, Any]) -> Any:
    """A mapping of ``elem``'s type holding ``values`` (a plain dict if that type cannot)."""
    try:
        if isinstance(elem, MutableMapping):
            clone = copy.copy(elem)
            clone.update(values)
            return clone
        return type(elem)(values)  # type: ignore[call-arg]
    except TypeError:
        return values


def _rebuild_sequence(elem: Sequence[Any], values: list[Any]) -> Any:
    """A sequence of ``elem``'s type holding ``values``: tuples become lists, as in torch."""
    if isinstance(elem, tuple):
        if hasattr(elem, "_fields"):  # namedtuple
            return type(elem)(*values)
        return values
    try:
        if isinstance(elem, MutableSequence):
            clone = copy.copy(elem)
            clone[:] = values
            return clone
        return type(elem)(values)  # type: ignore[call-arg]
    except TypeError:
        return values


def default_collate(batch: Sequence[Any]) -> Any:
    """Merge a list of samples into a batch, as torch's ``default_collate``.

    Tensors and NumPy arrays are stacked on a new first dimension into one
    Tensor; Python ints become an int64 Tensor, floats a float64 Tensor, bools
    a bool Tensor, NumPy scalars a Tensor of their dtype; strings and bytes stay
    a list; dicts, lists, tuples (returned as lists, as torch does) and
    namedtuples are collated field by field.

    Args:
        batch: the samples, as returned by ``dataset[i]``.

    Raises:
        RuntimeError: tensors of different shapes (torch.stack's message), or
            sequences of different lengths.
        TypeError: an element that cannot be batched.

    Example:
        >>> import numpy as np
        >>> from minigrad.data import default_collate
        >>> batch = default_collate([{"x": np.ones(3), "y": 1.5}, {"x": np.zeros(3), "y": 2.0}])
        >>> batch["x"].shape, batch["y"].dtype
        (minigrad.Size([2, 3]), minigrad.float64)
    """
    if len(batch) == 0:
        raise ValueError("default_collate: expected a non-empty list of samples, got []")
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _stack([t._data for t in batch], batch)
    if isinstance(elem, np.ndarray):
        if _STRING_OR_OBJECT.search(elem.dtype.str) is not None:
            raise TypeError(_COLLATE_ERROR.format(elem.dtype))
        return _stack([np.asarray(a) for a in batch])
    if isinstance(elem, np.generic) and not isinstance(elem, (np.str_, np.bytes_)):
        if _STRING_OR_OBJECT.search(elem.dtype.str) is not None:
            raise TypeError(_COLLATE_ERROR.format(elem.dtype))
        return Tensor._make(np.asarray(batch))
    if isinstance(elem, bool):
        return Tensor._make(np.asarray(batch, dtype=np.bool_))
    if isinstance(elem, float):
        return Tensor._make(np.asarray(batch, dtype=np.float64))
    if isinstance(elem, int):
        return Tensor._make(np.asarray(batch, dtype=np.int64))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, Mapping):
        return _rebuild_mapping(elem, {k: default_collate([d[k] for d in batch]) for k in elem})
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(s) != size for s in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(column) for column in zip(*batch, strict=True)]
        return _rebuild_sequence(elem, columns)
    raise TypeError(_COLLATE_ERROR.format(type(elem)))


def default_convert(data: Any) -> Any:
    """Convert NumPy arrays and scalars inside ``data`` to Tensors, keeping its structure.

    The collate function of a DataLoader with ``batch_size=None`` (no batching),
    as in torch. Tuples become lists; strings and other objects are unchanged.

    Example:
        >>> import numpy as np
        >>> from minigrad.data import default_convert
        >>> default_convert((np.arange(2), "label"))
        [tensor([0, 1]), 'label']
    """
    if isinstance(data, Tensor):
        return data
    if isinstance(data, (np.ndarray, np.generic)) and not isinstance(data, (np.str_, np.bytes_)):
        if isinstance(data, np.ndarray) and _STRING_OR_OBJECT.search(data.dtype.str):
            return data
        return Tensor._make(np.asarray(data))
    if isinstance(data, Mapping):
        return _rebuild_mapping(data, {k: default_convert(v) for k, v in data.items()})
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        return _rebuild_sequence(data, [default_convert(d) for d in data])
    return data
