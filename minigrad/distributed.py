"""Data-parallel training over MPI (Open MPI + ``mpi4py``).

Launch one process per worker with ``mpirun``; each process calls :func:`init`,
starts from the same weights (:func:`broadcast_parameters`), trains on its own
shard of the data, and averages gradients after every ``backward()`` with
:func:`all_reduce_gradients`: one in-place ``Allreduce`` over one flat float32
buffer per step (no pickling, no per-parameter messages).

Without ``mpirun`` (or without ``mpi4py`` installed), everything here works as a
single process of world size 1 and needs no MPI at all.

Example (single process):
    >>> import minigrad
    >>> from minigrad import distributed, nn
    >>> distributed.init()
    >>> distributed.rank(), distributed.world_size(), distributed.is_main()
    (0, 1, True)
    >>> model = nn.Linear(3, 2)
    >>> (model(minigrad.ones(4, 3)) ** 2).sum().backward()
    >>> distributed.all_reduce_gradients(model)  # a no-op with one process
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from minigrad.tensor import Tensor

T = TypeVar("T")

__all__ = [
    "all_reduce_gradients",
    "all_reduce_mean",
    "barrier",
    "broadcast_parameters",
    "init",
    "is_main",
    "launched_by_mpi",
    "rank",
    "reset_stats",
    "run_or_abort",
    "world_size",
]

_comm: Any = None
_MPI: Any = None
#: Seconds spent inside Allreduce since the last :func:`reset_stats`.
allreduce_seconds = 0.0
#: Number of Allreduce calls since the last :func:`reset_stats`.
allreduce_calls = 0

_LAUNCHER_VARS = ("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MV2_COMM_WORLD_SIZE")


def launched_by_mpi() -> bool:
    """True when this process was started by an MPI launcher (``mpirun``/``srun``).

    Example:
        >>> from minigrad import distributed
        >>> isinstance(distributed.launched_by_mpi(), bool)
        True
    """
    return any(v in os.environ for v in _LAUNCHER_VARS)


def init(require_mpi: bool = False) -> None:
    """Join the MPI job this process was launched in (world size 1 otherwise).

    Args:
        require_mpi: raise if ``mpi4py`` is missing even for a single process.

    Example:
        >>> from minigrad import distributed
        >>> distributed.init()
        >>> distributed.world_size()
        1
    """
    global _comm, _MPI
    if _comm is not None:
        return
    if not (launched_by_mpi() or require_mpi):
        return
    try:
        from mpi4py import MPI
    except ImportError:
        raise RuntimeError(
            "distributed: this process was started by an MPI launcher but mpi4py is not "
            "installed; pip install -e '.[distributed]' (needs Open MPI: apt-get install "
            "openmpi-bin libopenmpi-dev)"
        ) from None
    _MPI = MPI
    _comm = MPI.COMM_WORLD


def rank() -> int:
    """This process's rank (0 without MPI).

    Example:
        >>> from minigrad import distributed
        >>> distributed.rank()
        0
    """
    return 0 if _comm is None else int(_comm.Get_rank())


def world_size() -> int:
    """The number of processes (1 without MPI).

    Example:
        >>> from minigrad import distributed
        >>> distributed.world_size()
        1
    """
    return 1 if _comm is None else int(_comm.Get_size())


def is_main() -> bool:
    """True on rank 0: the process that prints and writes files.

    Example:
        >>> from minigrad import distributed
        >>> distributed.is_main()
        True
    """
    return rank() == 0


def _tensors(module_or_tensors: Any, grads: bool) -> list[Tensor]:
    if hasattr(module_or_tensors, "parameters"):
        params = list(module_or_tensors.parameters())
        if not grads and hasattr(module_or_tensors, "buffers"):
            params += [b for b in module_or_tensors.buffers()]
        return params
    return list(module_or_tensors)


def broadcast_parameters(module: Any, root: int = 0) -> None:
    """Copy ``root``'s parameters and buffers to every rank (one ``Bcast`` per dtype).

    Example:
        >>> from minigrad import distributed, nn
        >>> distributed.broadcast_parameters(nn.Linear(2, 2))  # no-op with one process
    """
    if world_size() == 1:
        return
    by_dtype: dict[np.dtype, list[Tensor]] = {}
    for t in _tensors(module, grads=False):
        by_dtype.setdefault(t.dtype, []).append(t)
    for dtype, tensors in by_dtype.items():
        flat = np.concatenate([t._data.reshape(-1) for t in tensors]).astype(dtype, copy=False)
        _comm.Bcast(flat, root=root)
        offset = 0
        for t in tensors:
            n = t._data.size
            t._data[...] = flat[offset : offset + n].reshape(t.shape)
            offset += n


def all_reduce_gradients(module_or_params: Any) -> None:
    """Average the gradients of all ranks in place: one ``Allreduce`` on one flat buffer.

    Parameters without a gradient contribute zeros (every rank must call this
    with the same parameters in the same order).

    Example:
        >>> import minigrad
        >>> from minigrad import distributed
        >>> w = minigrad.ones(3, requires_grad=True)
        >>> (w * 2).sum().backward()
        >>> distributed.all_reduce_gradients([w])
        >>> w.grad
        tensor([2., 2., 2.])
    """
    global allreduce_seconds, allreduce_calls
    size = world_size()
    if size == 1:
        return
    params = [p for p in _tensors(module_or_params, grads=True) if p.requires_grad]
    total = sum(p._data.size for p in params)
    flat = np.zeros(total, dtype=np.float32)
    offset = 0
    for p in params:
        n = p._data.size
        if p.grad is not None:
            flat[offset : offset + n] = p.grad._data.reshape(-1)
        offset += n
    start = time.perf_counter()
    _comm.Allreduce(_MPI.IN_PLACE, flat, op=_MPI.SUM)
    allreduce_seconds += time.perf_counter() - start
    allreduce_calls += 1
    flat /= size
    offset = 0
    for p in params:
        n = p._data.size
        averaged = flat[offset : offset + n].reshape(p.shape).astype(p.dtype)
        if p.grad is None:
            p.grad = Tensor._make(averaged)
        else:
            p.grad._data = averaged
        offset += n


def reset_stats() -> None:
    """Reset :data:`allreduce_seconds` and :data:`allreduce_calls`.

    Example:
        >>> from minigrad import distributed
        >>> distributed.reset_stats(); distributed.allreduce_calls
        0
    """
    global allreduce_seconds, allreduce_calls
    allreduce_seconds, allreduce_calls = 0.0, 0


def barrier() -> None:
    """Wait for every rank (no-op with one process).

    Example:
        >>> from minigrad import distributed
        >>> distributed.barrier()
    """
    if _comm is not None:
        _comm.Barrier()


def all_reduce_mean(value: float) -> float:
    """The mean of a number over ranks (for metrics).

    Example:
        >>> from minigrad import distributed
        >>> distributed.all_reduce_mean(3.0)
        3.0
    """
    if world_size() == 1:
        return float(value)
    buf = np.array([value], dtype=np.float64)
    _comm.Allreduce(_MPI.IN_PLACE, buf, op=_MPI.SUM)
    return float(buf[0]) / world_size()


def run_or_abort(fn: Callable[[], T]) -> T:
    """Run ``fn``; if it raises on any rank, print the error and abort the whole MPI job.

    Without this, one failing rank leaves the others waiting in a collective
    forever. With one process the exception propagates normally.

    Example:
        >>> from minigrad import distributed
        >>> distributed.run_or_abort(lambda: 42)
        42
    """
    try:
        return fn()
    except BaseException as exc:
        if world_size() == 1 or (isinstance(exc, SystemExit) and exc.code in (0, None)):
            raise
        sys.stderr.write(
            f"distributed: rank {rank()} of {world_size()} failed; aborting all ranks\n"
            + "".join(traceback.format_exception(exc))
        )
        sys.stderr.flush()
        _comm.Abort(1)
        raise
