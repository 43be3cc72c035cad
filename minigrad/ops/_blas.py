"""Matrix products shaped for how OpenBLAS threads them.

OpenBLAS runs a product on one thread when ``m * n * k <= 4 * 65536`` and on all
its threads above that. A threaded product wakes and synchronises its threads,
which costs microseconds on an idle machine but can cost a scheduler tick (ms)
on a busy one, more than the whole product of a small layer. So products of
medium size are cut into row blocks that each run on one thread (one batched
``matmul`` call, no Python loop); large ones keep BLAS's threads.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

import numpy as np

from minigrad.ops import _buffers

#: OpenBLAS's threshold: a product with m*n*k at most this runs on one thread.
ONE_THREAD_WORK = 4 * 65536
#: Above this m*n*k, a product is worth its synchronisations: leave it threaded.
SPLIT_UP_TO = 2**27
#: Row blocks thinner than this are slower than one threaded product (measured: a
#: (768, 128) @ (128, 384) product in blocks of 5 rows took 2.1 ms, as one 0.4-0.7 ms).
MIN_BLOCK_ROWS = 64


def matmul2d(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for 2-D arrays, in single-threaded row blocks when of medium size."""
    M, K = a.shape
    N = b.shape[1]
    work = M * K * N
    rows = ONE_THREAD_WORK // max(K * N, 1)
    if work <= ONE_THREAD_WORK or work > SPLIT_UP_TO or rows < MIN_BLOCK_ROWS:
        return a @ b  # blocks of a few rows run far below BLAS speed: one product instead
    pieces = M // rows
    main = pieces * rows
    out = np.empty((M, N), dtype=np.result_type(a, b))
    np.matmul(a[:main].reshape(pieces, rows, K), b, out=out[:main].reshape(pieces, rows, N))
    if main < M:
        np.matmul(a[main:], b, out=out[main:])
    return out


# --------------------------------------------------------------------------- batch threads
#
# NumPy releases the GIL inside its copies, ufuncs and products, so Python threads
# that each take a slice of the batch run on separate cores. OpenBLAS does not
# thread the small products of a small layer (see ONE_THREAD_WORK), nor does NumPy
# thread its copies and elementwise passes: splitting the batch does, for kernels
# whose samples are independent (convolution products per sample, pooling).


def _env_threads() -> int:
    """``MINIGRAD_NUM_THREADS``, or 1: splitting is opt-in (see :func:`num_threads`)."""
    value = os.environ.get("MINIGRAD_NUM_THREADS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else 1


_threads = min(_env_threads(), os.cpu_count() or 1)
#: A kernel is split only when each thread gets at least this much work (multiply-adds
#: or elements moved): a hand-off to a worker thread costs tens of microseconds.
MIN_WORK_PER_THREAD = 200_000
_min_work = MIN_WORK_PER_THREAD
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def num_threads() -> int:
    """Threads a batch is split over: ``MINIGRAD_NUM_THREADS`` (at most the cores), else 1.

    Off by default: on this project's shared 2-core machine the split measured no
    gain (2 threads / 1 thread: median 1.03-1.10 per round, 0.4-0.9 only in rare
    idle moments), so it is there for machines with cores to spare.

    Example:
        >>> from minigrad.ops._blas import num_threads
        >>> num_threads() >= 1
        True
    """
    return _threads


@contextmanager
def threads(count: int, min_work: int = MIN_WORK_PER_THREAD) -> Iterator[None]:
    """Split batches over ``count`` threads (and at ``min_work``) inside the block.

    Tests use it to run every kernel both ways; ``threads(1)`` turns splitting off.

    Example:
        >>> from minigrad.ops._blas import num_threads, threads
        >>> with threads(2, min_work=0):
        ...     num_threads()
        2
    """
    global _threads, _min_work
    saved = _threads, _min_work
    _threads, _min_work = max(1, int(count)), int(min_work)
    try:
        yield
    finally:
        _threads, _min_work = saved


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="minigrad")
        return _executor


def batch_pieces(n: int, work: int) -> list[tuple[int, int]]:
    """``[(lo, hi), ...]``: the batch ``range(n)`` cut into one piece per thread that
    gets at least the minimum work (``work``: the whole batch's), or one piece.

    Example:
        >>> from minigrad.ops._blas import batch_pieces, threads
        >>> with threads(2, min_work=0):
        ...     batch_pieces(5, 1000)
        [(0, 3), (3, 5)]
    """
    count = min(_threads, n, max(1, work // max(_min_work, 1)))
    if count <= 1:
        return [(0, n)]
    step = -(-n // count)
    return [(lo, min(lo + step, n)) for lo in range(0, n, step)]


def over_batch(fn: Callable[[int, int], Any], n: int, work: int) -> list[Any]:
    """``[fn(lo, hi) for each piece]`` of :func:`batch_pieces`, the pieces on separate
    threads (the first on this one, and any that no worker has started by the time
    this one is done); exceptions propagate.

    Example:
        >>> import numpy as np
        >>> from minigrad.ops._blas import over_batch, threads
        >>> out = np.zeros(6)
        >>> def fill(lo, hi):
        ...     out[lo:hi] = lo
        >>> with threads(2, min_work=0):
        ...     _ = over_batch(fill, 6, 6)
        >>> out.tolist()
        [0.0, 0.0, 0.0, 3.0, 3.0, 3.0]
    """
    pieces = batch_pieces(n, work)
    if len(pieces) == 1:
        return [fn(0, n)]
    futures = [_pool().submit(fn, lo, hi) for lo, hi in pieces[1:]]
    results = []
    try:
        results.append(fn(*pieces[0]))
        for (lo, hi), f in zip(pieces[1:], futures):
            # A piece no worker has started yet (its core is busy elsewhere) runs here:
            # on a loaded machine the split then costs little more than running serially.
            results.append(fn(lo, hi) if f.cancel() else f.result())
    finally:
        wait(futures)  # never leave a piece writing after we return (or raise)
    return results


def copy_over_batch(a: np.ndarray, axis: int) -> np.ndarray:
    """A C-contiguous (pooled) copy of ``a``, copied in pieces of its ``axis`` (the
    batch axis of a transposed view) on separate threads.

    Example:
        >>> import numpy as np
        >>> from minigrad.ops._blas import copy_over_batch
        >>> x = np.arange(24.0).reshape(2, 3, 4)
        >>> bool((copy_over_batch(x.transpose(1, 0, 2), axis=1) == x.transpose(1, 0, 2)).all())
        True
    """
    out = _buffers.empty(a.shape, a.dtype)

    def piece(lo: int, hi: int) -> None:
        part = (slice(None),) * axis + (slice(lo, hi),)
        np.copyto(out[part], a[part])

    over_batch(piece, a.shape[axis], a.size)
    return out
