"""Keep freed memory for the next allocation instead of returning it to the kernel.

NumPy allocates a fresh buffer for every intermediate array, and a training step
frees them all when its graph goes. glibc's defaults hand large freed blocks back
to the kernel (``munmap``, or trimming the top of the heap), so the next step
faults every page of them in again, and the kernel zeroes each page first. On the
baby GPT of ``train.shakespeare`` that was 10,500 page faults and 19 ms of kernel
time per 58 ms step; with the two settings below, under one fault and 37-43 ms
(``benchmarks/bench_gpt.py``'s step, alternated in separate processes).

:func:`tune` sets them through glibc's ``mallopt``, once, when minigrad is
imported: blocks up to ``MMAP_THRESHOLD`` come from the heap (reused) rather than
from ``mmap``, and up to ``TRIM_THRESHOLD`` of free memory stays at the top of the
heap. The cost is that a process keeps up to that much freed memory mapped. It is
a no-op off glibc (macOS, musl, Windows) and when ``MINIGRAD_MALLOC=system`` is in
the environment. :mod:`minigrad.ops._buffers` goes further for the convolution
and pooling kernels (their work arrays are reused outright).

Example:
    >>> from minigrad import _malloc
    >>> _malloc.tuned() in (True, False)
    True
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "tune", "tuned"]

#: Allocations at least this large still come from ``mmap`` (glibc's maximum, 32 MiB).
MMAP_THRESHOLD = 32 * 2**20
#: Free memory at the top of the heap beyond this is given back to the kernel.
TRIM_THRESHOLD = 256 * 2**20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's <malloc.h>
_tuned = False


def tune() -> bool:
    """Set glibc's mmap and trim thresholds (see the module); True if they were set.

    Example:
        >>> from minigrad import _malloc
        >>> _malloc.tune() == _malloc.tuned()
        True
    """
    global _tuned
    if _tuned:
        return True
    if os.environ.get("MINIGRAD_MALLOC", "").strip().lower() == "system":
        return False
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018  (glibc only: musl's mallopt does nothing)
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    _tuned = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
    return _tuned


def tuned() -> bool:
    """Whether :func:`tune` has set the thresholds in this process.

    Example:
        >>> from minigrad import _malloc
        >>> isinstance(_malloc.tuned(), bool)
        True
    """
    return _tuned
