"""Matrix products shaped for how OpenBLAS threads them.

OpenBLAS runs a product on one thread when ``m * n * k <= 4 * 65536`` and on all
its threads above that. A threaded product wakes and synchronises its threads,
which costs microseconds on an idle machine but can cost a scheduler tick (ms)
on a busy one, more than the whole product of a small layer. So products of
medium size are cut into row blocks that each run on one thread (one batched
``matmul`` call, no Python loop); large ones keep BLAS's threads.
"""

from __future__ import annotations

import numpy as np

#: OpenBLAS's threshold: a product with m*n*k at most this runs on one thread.
ONE_THREAD_WORK = 4 * 65536
#: Above this m*n*k, a product is worth its synchronisations: leave it threaded.
SPLIT_UP_TO = 2**27


def matmul2d(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for 2-D arrays, in single-threaded row blocks when of medium size."""
    M, K = a.shape
    N = b.shape[1]
    work = M * K * N
    rows = ONE_THREAD_WORK // max(K * N, 1)
    if work <= ONE_THREAD_WORK or work > SPLIT_UP_TO or rows < 1:
        return a @ b
    pieces = M // rows
    main = pieces * rows
    out = np.empty((M, N), dtype=np.result_type(a, b))
    np.matmul(a[:main].reshape(pieces, rows, K), b, out=out[:main].reshape(pieces, rows, N))
    if main < M:
        np.matmul(a[main:], b, out=out[main:])
    return out
