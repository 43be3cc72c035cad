"""Reused work arrays for the convolution and pooling kernels.

A training step allocates the same large arrays every time (columns, padded
images, outputs, gradients), and frees them when the graph goes. glibc returns
large freed blocks to the system and the next step faults every page of them
in again: on LeNet-5 that was about 2,800 page faults and 5 ms of kernel time
per 11 ms step. This pool keeps the arrays instead, and hands one out again
once nothing else refers to it: Python's reference count says so exactly (a
Tensor over it, a view of it, a saved value of the graph all hold a
reference), so an array is never handed out twice while in use.

The pool holds at most :data:`MAX_BYTES` of arrays; beyond that, free arrays
not handed out for longest are dropped first (arrays in use are never
dropped, they are simply not counted once released by their users).

Example:
    >>> from minigrad.ops import _buffers
    >>> a = _buffers.empty((2, 3), "float32")
    >>> b = _buffers.empty((2, 3), "float32")
    >>> a is b  # a is still referenced here, so b is another array
    False
    >>> address = a.ctypes.data
    >>> del a
    >>> _buffers.empty((2, 3), "float32").ctypes.data == address  # reused
    True
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import numpy as np

__all__ = [
    "MAX_BYTES",
    "MIN_BYTES",
    "SLACK",
    "clear",
    "contiguous",
    "copy",
    "empty",
    "full",
    "zeros",
]

#: Arrays smaller than this come from NumPy directly (malloc keeps small blocks).
MIN_BYTES = 1 << 16
#: The most memory the pool keeps (in use or free).
MAX_BYTES = 1 << 30

_lock = threading.Lock()
_stores: list[np.ndarray] = []  # flat uint8 blocks; arrays handed out are views of them
_last_use: dict[int, int] = {}  # id(block) -> tick it was last handed out
_tick = 0
_held = 0
#: A free block up to this many times the size asked for may serve a request.
SLACK = 2


def _free_refcount() -> int:
    """What ``sys.getrefcount`` reports, inside a loop over the blocks, for a block
    only the pool holds."""
    probe = [np.empty(1)]
    for block in probe:
        return sys.getrefcount(block)
    raise AssertionError  # pragma: no cover


_FREE = _free_refcount()


def _best_free(nbytes: int) -> np.ndarray | None:
    """The smallest free block of ``nbytes`` to ``SLACK * nbytes`` bytes, if any."""
    best = None
    for block in _stores:
        size = block.nbytes
        if nbytes <= size <= SLACK * nbytes and (best is None or size < best.nbytes):
            if sys.getrefcount(block) == _FREE:
                best = block
    return best


def empty(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """An uninitialised C-contiguous array, a view of a pooled block when one is free.

    Example:
        >>> from minigrad.ops import _buffers
        >>> _buffers.empty((64, 6, 28, 28), "float32").shape
        (64, 6, 28, 28)
    """
    global _tick, _held
    dt = np.dtype(dtype)
    shape = tuple(int(s) for s in shape)
    nbytes = int(np.prod(shape, dtype=np.int64)) * dt.itemsize
    if nbytes < MIN_BYTES:
        return np.empty(shape, dt)
    with _lock:
        _tick += 1
        block = _best_free(nbytes)
        if block is None:
            if _held + nbytes > MAX_BYTES:
                _evict(_held + nbytes - MAX_BYTES)
            if _held + nbytes > MAX_BYTES:
                return np.empty(shape, dt)  # all in use: not pooled
            block = np.empty(nbytes, np.uint8)
            _stores.append(block)
            _held += nbytes
        _last_use[id(block)] = _tick
        return block[:nbytes].view(dt).reshape(shape)


def zeros(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """A zero-filled C-contiguous array from the pool (see :func:`empty`).

    Example:
        >>> from minigrad.ops import _buffers
        >>> float(_buffers.zeros((128, 128), "float32").sum())
        0.0
    """
    a = empty(shape, dtype)
    a.fill(0)
    return a


def full(shape: tuple[int, ...], value: float, dtype: Any) -> np.ndarray:
    """A C-contiguous array filled with ``value``, from the pool (see :func:`empty`).

    Example:
        >>> from minigrad.ops import _buffers
        >>> float(_buffers.full((2, 2), -1.0, "float32").sum())
        -4.0
    """
    a = empty(shape, dtype)
    a.fill(value)
    return a


def copy(a: np.ndarray) -> np.ndarray:
    """A C-contiguous copy of ``a`` (any strides) in a pooled array.

    Example:
        >>> import numpy as np
        >>> from minigrad.ops import _buffers
        >>> x = np.arange(6.0).reshape(2, 3)
        >>> _buffers.copy(x.T).flags.c_contiguous
        True
    """
    out = empty(a.shape, a.dtype)
    np.copyto(out, a)
    return out


def contiguous(a: np.ndarray) -> np.ndarray:
    """``a`` itself if C-contiguous, else :func:`copy` (``np.ascontiguousarray``, pooled).

    Example:
        >>> import numpy as np
        >>> from minigrad.ops import _buffers
        >>> x = np.zeros((2, 3))
        >>> _buffers.contiguous(x) is x
        True
    """
    return a if a.flags.c_contiguous else copy(a)


def _evict(need: int) -> None:
    """Drop free blocks, least recently handed out first, until ``need`` bytes are gone."""
    global _held
    free = [block for block in _stores if sys.getrefcount(block) == _FREE]
    free.sort(key=lambda block: _last_use.get(id(block), 0))
    dropped = set()
    for block in free:
        if need <= 0:
            break
        dropped.add(id(block))
        need -= block.nbytes
    kept = [block for block in _stores if id(block) not in dropped]
    for block in free:
        if id(block) in dropped:
            _last_use.pop(id(block), None)
            _held -= block.nbytes
    _stores[:] = kept


def clear() -> None:
    """Forget every pooled array (arrays still in use stay valid; they are just not reused).

    Example:
        >>> from minigrad.ops import _buffers
        >>> _buffers.clear()
    """
    global _held
    with _lock:
        _stores.clear()
        _last_use.clear()
        _held = 0
