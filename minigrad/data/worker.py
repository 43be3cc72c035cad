"""What runs inside a DataLoader worker process: its info, its seeding, its loop, its errors.

Inside a worker, :func:`get_worker_info` tells the dataset which worker it is
in (to shard an :class:`~minigrad.data.IterableDataset`); in the main process
it returns ``None``.

Example:
    >>> from minigrad.data import get_worker_info
    >>> get_worker_info() is None  # in the main process
    True
"""

from __future__ import annotations

import os
import pickle
import queue
import random
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from minigrad.random import manual_seed

if TYPE_CHECKING:
    from minigrad.data.fetch import Fetcher

__all__ = ["WorkerInfo", "get_worker_info"]

POLL_SECONDS = 0.1  # how often a waiting worker checks that its parent is alive


class WorkerInfo:
    """Which worker this is: ``id``, ``num_workers``, ``seed`` and its copy of the ``dataset``.

    Example:
        >>> from minigrad.data.worker import WorkerInfo
        >>> info = WorkerInfo(id=0, num_workers=2, seed=7, dataset=None)
        >>> info.id, info.num_workers, info.seed
        (0, 2, 7)
    """

    __initialized = False

    def __init__(self, *, id: int, num_workers: int, seed: int, dataset: Any) -> None:
        self.id = id
        self.num_workers = num_workers
        self.seed = seed
        self.dataset = dataset
        self.__initialized = True

    def __setattr__(self, key: str, value: Any) -> None:
        if self.__initialized:
            raise RuntimeError(f"Cannot assign attributes to {type(self).__name__} objects")
        super().__setattr__(key, value)

    def __repr__(self) -> str:
        return (
            f"WorkerInfo(id={self.id}, num_workers={self.num_workers}, seed={self.seed}, "
            f"dataset={self.dataset!r})"
        )


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """This worker's :class:`WorkerInfo` inside a DataLoader worker process, else ``None``.

    Example:
        >>> import numpy as np
        >>> from minigrad.data import DataLoader, IterableDataset, get_worker_info
        >>> class Shards(IterableDataset):
        ...     def __iter__(self):
        ...         info = get_worker_info()
        ...         start, step = (0, 1) if info is None else (info.id, info.num_workers)
        ...         return iter(range(start, 8, step))
        >>> sorted(x.item() for x in DataLoader(Shards(), num_workers=2))
        [0, 1, 2, 3, 4, 5, 6, 7]
    """
    return _worker_info


class _KeyErrorMessage(str):
    """A message KeyError shows as is (KeyError would print the repr of a plain str)."""

    def __repr__(self) -> str:
        return str(self)


class WorkerFailure:
    """An exception raised in a worker, carried to the main process and raised there again."""

    def __init__(self, worker_id: int) -> None:
        exc_type, exc, tb = sys.exc_info()
        self.type_name = exc_type.__name__ if exc_type is not None else "Exception"
        self.exc_type: type[BaseException] | None = exc_type
        try:
            pickle.dumps(exc_type)
        except Exception:  # a class defined inside a function cannot travel
            self.exc_type = None
        self.where = f"in DataLoader worker process {worker_id}"
        self.text = "".join(traceback.format_exception(exc_type, exc, tb))

    def reraise(self) -> None:
        """Raise the worker's exception type, with the worker and its traceback in the message."""
        message = f"Caught {self.type_name} {self.where}.\nOriginal {self.text}"
        exc_type = self.exc_type
        if exc_type is None:
            raise RuntimeError(message)
        if exc_type is KeyError:
            message = _KeyErrorMessage(message)
        try:
            exception = exc_type(message)
        except Exception:
            raise RuntimeError(message) from None
        raise exception


class Exhausted:
    """A worker's reply to a task once its share of an IterableDataset has run out."""

    def __init__(self, worker_id: int) -> None:
        self.worker_id = worker_id


def _pickled(gen: int, idx: int, payload: Any, worker_id: int) -> bytes:
    """The reply, pickled here so that an unpicklable batch becomes an error the main sees."""
    try:
        return pickle.dumps((gen, idx, payload), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return pickle.dumps((gen, idx, WorkerFailure(worker_id)), protocol=pickle.HIGHEST_PROTOCOL)


def seed_worker(seed: int) -> None:
    """Seed Python's, NumPy's legacy and minigrad's global generators in a worker, as torch does."""
    random.seed(seed)
    np.random.seed(int(np.random.SeedSequence(seed).generate_state(1)[0]))  # noqa: NPY002
    manual_seed(seed)


def worker_loop(
    fetcher: Fetcher,
    worker_id: int,
    num_workers: int,
    seed: int,
    init_fn: Callable[[int], None] | None,
    index_queue: Any,
    result_queue: Any,
    done: Any,
) -> None:
    """The body of a worker process: fetch the batches it is sent until told to stop.

    Every task ``(generation, idx, epoch, batch_number, indices)`` gets exactly
    one reply ``(generation, idx, payload)``: a batch, a :class:`WorkerFailure`
    or :class:`Exhausted`. It stops on ``None``, when ``done`` is set, or when
    its parent process has gone (so no worker outlives its loader's process).
    """
    global _worker_info
    parent = os.getppid()
    result_queue.cancel_join_thread()  # exiting never waits on unread results
    try:
        seed_worker(seed)
        _worker_info = WorkerInfo(
            id=worker_id, num_workers=num_workers, seed=seed, dataset=fetcher.dataset
        )
        init_failure = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
        except Exception:
            init_failure = WorkerFailure(worker_id)
        generation: int | None = None
        stream: Iterator[Any] | None = None
        while True:
            try:
                task = index_queue.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if done.is_set() or os.getppid() != parent:
                    return
                continue
            if task is None or done.is_set():
                return
            gen, idx, epoch, number, indices = task
            payload: Any = init_failure
            if payload is None:
                if gen != generation:  # a new epoch: a new pass over an IterableDataset
                    generation, stream = gen, None
                try:
                    if fetcher.iterable:
                        stream = iter(fetcher.dataset) if stream is None else stream
                        payload = fetcher.next_from(stream, epoch, number)
                    else:
                        payload = fetcher.fetch(indices, epoch, number)
                except StopIteration:
                    stream = iter(())  # stays exhausted until the next epoch
                    payload = Exhausted(worker_id)
                except Exception:
                    payload = WorkerFailure(worker_id)
            result_queue.put(_pickled(gen, idx, payload, worker_id))
            del payload
    except KeyboardInterrupt:  # the main process sees the same Ctrl-C and shuts the workers down
        pass
    finally:
        _worker_info = None
