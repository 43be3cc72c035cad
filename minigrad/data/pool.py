"""The worker processes of a DataLoader with ``num_workers > 0``, seen from the main process.

Tasks go round-robin to the workers, up to ``prefetch_factor`` per worker in
flight; results come back on one queue and are handed out in order (or as
they arrive, with ``in_order=False``). Shutdown is explicit and also runs when
the pool is garbage-collected; workers are daemonic and also stop on their own
when their parent process disappears, so none is ever left behind.
"""

from __future__ import annotations

import itertools
import multiprocessing
import pickle
import queue
import time
from collections.abc import Iterator
from typing import Any

from minigrad.data.fetch import Fetcher
from minigrad.data.worker import POLL_SECONDS, Exhausted, WorkerFailure, worker_loop

__all__ = ["WorkerPool", "default_context"]

JOIN_SECONDS = 5.0  # how long shutdown waits for a worker before terminating it
_SKIPPED = object()  # a task whose worker had nothing left (IterableDataset)
_END = object()


def default_context() -> Any:
    """The start method workers use by default: ``fork`` where available, else the platform's.

    Example:
        >>> from minigrad.data.pool import default_context
        >>> default_context().get_start_method() in ("fork", "spawn", "forkserver")
        True
    """
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


class WorkerPool:
    """``num_workers`` processes fetching batches for one DataLoader (for one or many epochs).

    Example:
        >>> import numpy as np
        >>> from minigrad.data import ArrayDataset, DataLoader
        >>> from minigrad.data.pool import WorkerPool
        >>> loader = DataLoader(ArrayDataset(np.arange(6)), batch_size=2)
        >>> pool = WorkerPool(loader._fetcher(), 2, base_seed=0, worker_init_fn=None,
        ...                   context=None, prefetch_factor=2, timeout=0, in_order=True)
        >>> pool.start_epoch(iter([[0, 1], [2, 3], [4, 5]]), epoch=0, first=0)
        >>> [pool.next()[0].tolist() for _ in range(3)]
        [[0, 1], [2, 3], [4, 5]]
        >>> pool.shutdown()
    """

    def __init__(
        self,
        fetcher: Fetcher,
        num_workers: int,
        *,
        base_seed: int,
        worker_init_fn: Any,
        context: Any,
        prefetch_factor: int,
        timeout: float,
        in_order: bool,
    ) -> None:
        ctx = context if context is not None else default_context()
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.timeout = timeout
        self.in_order = in_order
        self._closed = True  # until every worker has started
        self._result_queue = ctx.Queue()
        self._done = ctx.Event()
        self._index_queues: list[Any] = []
        self._workers: list[Any] = []
        try:
            for worker_id in range(num_workers):
                index_queue = ctx.Queue()
                index_queue.cancel_join_thread()
                worker = ctx.Process(
                    target=worker_loop,
                    args=(
                        fetcher,
                        worker_id,
                        num_workers,
                        base_seed + worker_id,
                        worker_init_fn,
                        index_queue,
                        self._result_queue,
                        self._done,
                    ),
                    daemon=True,
                )
                worker.start()
                self._index_queues.append(index_queue)
                self._workers.append(worker)
        finally:
            self._closed = False
            if len(self._workers) < num_workers:
                self.shutdown()
        self._generation = 0
        self._start(iter(()), 0, 0)

    # ------------------------------------------------------------------ epochs
    def _start(self, batches: Iterator[Any], epoch: int, first: int) -> None:
        self._batches, self._epoch, self._first = batches, epoch, first
        self._send_idx = self._rcvd_idx = 0
        self._tasks: dict[int, int] = {}  # task index -> worker, sent and not yet handed out
        self._ready: dict[int, Any] = {}  # task index -> result, arrived early (in_order)
        self._active = [True] * self.num_workers
        self._no_more = False
        self._turn = itertools.cycle(range(self.num_workers))

    def start_epoch(self, batches: Iterator[Any], epoch: int, first: int) -> None:
        """Hand out ``batches`` (index lists) as batches ``first, first + 1, ...`` of ``epoch``.

        Results still in flight from an earlier epoch are recognised and dropped.
        """
        self._generation += 1
        self._start(batches, epoch, first)
        self._fill()

    def _fill(self) -> None:
        """Send until ``prefetch_factor`` per active worker are in flight (or none left)."""
        active = sum(self._active)
        while (
            not self._no_more
            and active
            and len(self._tasks) < max(1, self.prefetch_factor * active)
        ):
            worker = next(w for w in self._turn if self._active[w])
            indices = next(self._batches, _END)
            if indices is _END:
                self._no_more = True
                return
            number = self._first + self._send_idx
            task = (self._generation, self._send_idx, self._epoch, number, indices)
            self._index_queues[worker].put(task)
            self._tasks[self._send_idx] = worker
            self._send_idx += 1

    # ------------------------------------------------------------------ results
    def _receive(self) -> tuple[int, int, Any]:
        """The next reply from any worker; errors if a worker died or ``timeout`` passed."""
        deadline = time.monotonic() + self.timeout if self.timeout > 0 else None
        while True:
            wait = (
                POLL_SECONDS if deadline is None else min(POLL_SECONDS, deadline - time.monotonic())
            )
            try:
                message: tuple[int, int, Any] = pickle.loads(
                    self._result_queue.get(timeout=max(wait, 0.0))
                )
                return message
            except queue.Empty:
                dead = [w for w in self._workers if not w.is_alive()]
                if dead:
                    pids = ", ".join(str(w.pid) for w in dead)
                    raise RuntimeError(
                        f"DataLoader worker (pid(s) {pids}) exited unexpectedly"
                    ) from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise RuntimeError(
                        f"DataLoader timed out after {self.timeout} seconds"
                    ) from None

    def next(self) -> Any:
        """The next batch of the epoch; StopIteration at its end; a worker's error re-raised."""
        if self._closed:
            raise StopIteration
        while True:
            if self.in_order:
                while self._ready.get(self._rcvd_idx, None) is _SKIPPED:
                    del self._ready[self._rcvd_idx], self._tasks[self._rcvd_idx]
                    self._rcvd_idx += 1
                if self._rcvd_idx in self._ready:
                    payload = self._ready.pop(self._rcvd_idx)
                    del self._tasks[self._rcvd_idx]
                    self._rcvd_idx += 1
                    self._fill()
                    return self._unwrap(payload)
            self._fill()
            if not self._tasks:
                raise StopIteration
            generation, idx, payload = self._receive()
            if generation != self._generation:
                continue  # left over from an interrupted epoch
            if isinstance(payload, Exhausted):
                self._active[payload.worker_id] = False
                payload = _SKIPPED
            if self.in_order:
                self._ready[idx] = payload
            else:
                del self._tasks[idx]
                if payload is not _SKIPPED:
                    self._fill()
                    return self._unwrap(payload)

    @staticmethod
    def _unwrap(payload: Any) -> Any:
        if isinstance(payload, WorkerFailure):
            payload.reraise()
        return payload

    # ------------------------------------------------------------------ shutdown
    @property
    def pids(self) -> list[int]:
        """The worker processes' ids."""
        return [w.pid for w in self._workers]

    def shutdown(self) -> None:
        """Stop every worker (waiting JOIN_SECONDS each, then terminating it); close the queues."""
        if self._closed:
            return
        self._closed = True
        self._done.set()
        for index_queue in self._index_queues:
            try:
                index_queue.put(None)
            except (OSError, ValueError):
                pass
        for worker in self._workers:
            worker.join(JOIN_SECONDS)
            if worker.is_alive():
                worker.terminate()
                worker.join(JOIN_SECONDS)
        for q in (*self._index_queues, self._result_queue):
            q.cancel_join_thread()
            q.close()

    def __del__(self) -> None:
        try:
            self.shutdown()
        except Exception:
            pass
