"""The DataLoader, as torch's: batches, samplers, workers, plus seeding, sharding, resuming.

It takes torch's arguments with torch's meaning and checks, and adds minigrad's
own (keyword-only): ``seed``, ``transform``, ``rank``/``world_size``.

Reproducibility: with ``shuffle=True`` and no ``generator`` or ``sampler``,
the sample order of epoch ``e`` is a pure function of ``(seed, e)``, and the
random numbers a loader ``transform`` (or a batch-capable dataset transform)
draws for batch ``b`` are a pure function of ``(seed, e, rank, b)``. So two
loaders with the same seed produce the same batches (with any ``num_workers``),
and a training program can checkpoint :meth:`DataLoader.state_dict` mid-epoch
and resume exactly where it left off. Without a seed the loader draws one from
minigrad's global generator when it is built, so ``minigrad.manual_seed`` makes
it reproducible too. With ``generator=`` the order comes from a
:class:`~minigrad.data.RandomSampler` drawing from that generator, as in torch.

Parallel loading: ``num_workers > 0`` starts that many worker *processes*
(``multiprocessing``, the ``fork`` start method by default on Linux) that
fetch and collate whole batches; see :mod:`minigrad.data.pool`.

Example:
    >>> import numpy as np
    >>> from minigrad.data import ArrayDataset, DataLoader
    >>> ds = ArrayDataset(np.arange(10), np.arange(10) % 2)
    >>> loader = DataLoader(ds, batch_size=4, shuffle=True, seed=0)
    >>> [x.tolist() for x, y in loader]
    [[4, 6, 2, 7], [3, 5, 9, 0], [8, 1]]
    >>> len(loader), len(DataLoader(ds, batch_size=4, drop_last=True))
    (3, 2)
"""

from __future__ import annotations

import itertools
import multiprocessing
import multiprocessing.context
import os
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from minigrad.data.collate import default_collate, default_convert
from minigrad.data.dataset import IterableDataset
from minigrad.data.fetch import Fetcher
from minigrad.data.generator import as_numpy_generator, draw_seed
from minigrad.data.pool import WorkerPool
from minigrad.data.sampler import (
    BatchSampler,
    EpochSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
)
from minigrad.data.transforms import is_random

__all__ = ["DataLoader", "default_collate", "default_convert"]

_FROZEN = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


class _InfiniteConstantSampler(Sampler[None]):
    """The sampler of an IterableDataset: ``None`` forever (the dataset decides what comes)."""

    def __iter__(self) -> Iterator[None]:
        return itertools.repeat(None)


def _check_int(value: Any, name: str) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"DataLoader: {name} must be an integer, got {type(value).__name__}")
    return int(value)


def _check_workers(
    num_workers: int, timeout: float, prefetch_factor: int | None, persistent: bool
) -> None:
    """torch's checks of the worker options, in torch's order, with torch's messages."""
    if _check_int(num_workers, "num_workers") < 0:
        raise ValueError(
            "num_workers option should be non-negative; use num_workers=0 to disable "
            "multiprocessing."
        )
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError(
            "prefetch_factor option could only be specified in multiprocessing.let "
            "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None."
        )
    if prefetch_factor is not None and _check_int(prefetch_factor, "prefetch_factor") < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")
    if timeout > 0 and num_workers == 0:
        raise ValueError(
            f"timeout option needs num_workers > 0 (loading in the main process cannot time "
            f"out), got timeout={timeout}"
        )


def _context(context: Any, num_workers: int) -> Any:
    """torch's checks of ``multiprocessing_context``: a start method name or a context object."""
    if context is None:
        return None
    if num_workers == 0:
        raise ValueError(
            "multiprocessing_context can only be used with multi-process loading "
            f"(num_workers > 0), but got num_workers={num_workers}"
        )
    if isinstance(context, str):
        methods = multiprocessing.get_all_start_methods()
        if context not in methods:
            raise ValueError(
                f"multiprocessing_context option should specify a valid start method in "
                f"{methods!r}, but got multiprocessing_context={context!r}"
            )
        context = multiprocessing.get_context(context)
    if not isinstance(context, multiprocessing.context.BaseContext):
        raise TypeError(
            "multiprocessing_context option should be a valid context object or a string "
            f"specifying the start method, but got multiprocessing_context={context}"
        )
    return context


def _warn_if_too_many_workers(num_workers: int) -> None:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    if num_workers > cpus:
        warnings.warn(
            f"This DataLoader will create {num_workers} worker processes in total. Our "
            f"suggested max number of worker in current system is {cpus}, which is smaller "
            "than what this DataLoader is going to create.",
            UserWarning,
            stacklevel=3,
        )


class DataLoader:
    """Iterate over a dataset in batches of Tensors, as ``torch.utils.data.DataLoader``.

    Args:
        dataset: a map-style dataset (``__len__``/``__getitem__``) or an
            :class:`~minigrad.data.IterableDataset`. A map-style dataset with
            ``get_batch`` (every array-backed dataset, MNIST, CIFAR10, ...) is
            batched with one fancy-indexing operation per array when
            ``collate_fn`` is not given; otherwise samples are fetched one by one
            (``__getitems__`` if it has one) and merged with ``collate_fn``.
        batch_size: samples per batch; ``None`` yields samples one by one, unbatched.
        shuffle: a new random order every epoch (map-style datasets only).
        sampler: the order of the indices (excludes ``shuffle``).
        batch_sampler: yields whole lists of indices (excludes ``batch_size``,
            ``shuffle``, ``sampler``, ``drop_last``).
        num_workers: how many worker *processes* load batches in parallel (0:
            in the main process). Each gets a copy of the dataset, seeds
            Python's, NumPy's and minigrad's generators with ``base_seed + id``,
            runs ``worker_init_fn(id)`` and answers to :func:`get_worker_info`.
        collate_fn: merges a list of samples into a batch (default
            :func:`default_collate`; :func:`default_convert` without batching).
        pin_memory, pin_memory_device: accepted and ignored (minigrad runs on the
            CPU, where pinning memory has no meaning).
        drop_last: drop the last batch if it is smaller than ``batch_size``.
        timeout: seconds to wait for a batch from the workers before raising
            (0: forever); needs ``num_workers > 0``.
        worker_init_fn: called in each worker with its id, before loading.
        multiprocessing_context: a start method (``"fork"``, ``"spawn"``,
            ``"forkserver"``) or a context; default ``fork`` where available.
            With ``spawn``/``forkserver`` the dataset and functions must be picklable.
        generator: a :class:`~minigrad.data.generator.Generator` or
            ``numpy.random.Generator`` for the shuffle order (a
            :class:`RandomSampler` drawing from it) and the workers' base seed.
        prefetch_factor: batches in flight per worker (default 2 with workers).
        persistent_workers: keep the worker processes between epochs.
        in_order: hand out batches in sampler order; ``False`` yields each as it
            arrives (faster when batches take uneven time).
        seed: (minigrad) the seed of the shuffle order and of random transforms;
            the order of epoch ``e`` is then a pure function of ``(seed, e)``.
        transform: (minigrad) applied to the inputs (the first field) of every
            batch, as a NumPy array, before it becomes a Tensor; see
            :mod:`minigrad.data.transforms`. Excludes ``collate_fn``.
        rank, world_size: (minigrad) shard the data for data-parallel training:
            every epoch each rank gets a disjoint part of the same shuffled order
            (all ranks must use the same ``seed``). Without ``drop_last`` the
            shards cover every sample and differ in size by at most one; with
            ``drop_last`` every rank gets the same number of full batches.

    Yields:
        Batches as ``collate_fn`` builds them: for ``(input, target)`` samples
        a list ``[inputs, targets]`` of Tensors (``for x, y in loader``), for
        array samples a Tensor, for dict samples a dict of Tensors.

    Example:
        >>> from minigrad.data import MNIST, DataLoader
        >>> from minigrad.data.transforms import ToFloat
        >>> loader = DataLoader(MNIST(train=False), batch_size=64, shuffle=True, seed=0,
        ...                     transform=ToFloat())
        >>> x, y = next(iter(loader))
        >>> x.shape, x.dtype, y.shape, y.dtype, len(loader)
        (minigrad.Size([64, 1, 28, 28]), minigrad.float32, minigrad.Size([64]), minigrad.int64, 157)
    """

    _initialized = False

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Any = None,
        batch_sampler: Any = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
        seed: int | None = None,
        transform: Callable[..., Any] | None = None,
        rank: int = 0,
        world_size: int = 1,
    ) -> None:
        _check_workers(num_workers, timeout, prefetch_factor, persistent_workers)
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        context = _context(multiprocessing_context, int(num_workers))
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            if shuffle not in (False, None):
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified shuffle option, "
                    f"but got shuffle={shuffle}"
                )
            if sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified sampler option, "
                    f"but got sampler={sampler}"
                )
            if batch_sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified batch_sampler "
                    f"option, but got batch_sampler={batch_sampler}"
                )
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, "
                    "sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None:
            if drop_last:
                raise ValueError(
                    "batch_size=None option disables auto-batching and is mutually exclusive "
                    "with drop_last"
                )
        elif (
            not isinstance(batch_size, (int, np.integer))
            or isinstance(batch_size, bool)
            or batch_size <= 0
        ):
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        self._check_minigrad_options(
            seed,
            transform,
            collate_fn,
            rank,
            world_size,
            shuffle,
            sampler,
            batch_sampler,
            generator,
        )
        if generator is not None:
            as_numpy_generator(generator, "DataLoader")

        self.dataset = dataset
        self.num_workers = int(num_workers)
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = context
        self.in_order = in_order
        self.generator = generator
        self.persistent_workers = persistent_workers
        self.transform = transform
        self.rank, self.world_size = int(rank), int(world_size)
        self._iterable = iterable
        self._shuffle = shuffle
        self._auto_collation = batch_sampler is not None or batch_size is not None
        self._fast = (
            not iterable
            and self._auto_collation
            and collate_fn is None
            and callable(getattr(dataset, "get_batch", None))
        )
        self._random_transform = is_random(transform) or (
            self._fast and is_random(getattr(dataset, "transform", None))
        )
        seeded_order = not iterable and sampler is None and batch_sampler is None
        own_order = seeded_order and ((shuffle and generator is None) or world_size > 1)
        if seed is None and ((own_order and shuffle) or self._random_transform):
            seed = draw_seed(generator, "DataLoader")
        self.seed = None if seed is None else int(seed)
        if sampler is None:
            if iterable:
                sampler = _InfiniteConstantSampler()
            elif own_order:
                sampler = EpochSampler(
                    dataset, shuffle, self.seed or 0, self.rank, self.world_size, drop_last
                )
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, int(batch_size), drop_last)
        self.batch_size = None if batch_size is None else int(batch_size)
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self._next_epoch = 0
        self._resume_batch = 0
        self._position: list[int] | None = None  # [epoch, batches yielded] while iterating
        self._pool: WorkerPool | None = None  # the persistent workers, once started
        self._initialized = True
        if self.num_workers:
            _warn_if_too_many_workers(self.num_workers)

    @staticmethod
    def _check_minigrad_options(
        seed: Any,
        transform: Any,
        collate_fn: Any,
        rank: Any,
        world_size: Any,
        shuffle: bool,
        sampler: Any,
        batch_sampler: Any,
        generator: Any,
    ) -> None:
        if not isinstance(world_size, (int, np.integer)) or world_size < 1:
            raise ValueError(f"DataLoader: world_size must be a positive integer, got {world_size}")
        if not isinstance(rank, (int, np.integer)) or not 0 <= rank < world_size:
            raise ValueError(f"DataLoader: rank must be in [0, {world_size}), got {rank}")
        if seed is not None and (not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ValueError(f"DataLoader: seed must be a non-negative integer, got {seed!r}")
        if seed is not None and generator is not None:
            raise ValueError("DataLoader: pass either seed= or generator=, not both")
        if collate_fn is not None and transform is not None:
            raise ValueError(
                "DataLoader: pass either collate_fn or transform, not both "
                "(apply the transform inside your collate_fn)"
            )
        if world_size > 1 and (sampler is not None or batch_sampler is not None):
            raise ValueError(
                "DataLoader: rank/world_size shard the loader's own order; they cannot be "
                "combined with sampler= or batch_sampler= (shard inside your sampler instead)"
            )
        if world_size > 1 and shuffle and (seed is None or generator is not None):
            raise ValueError(
                "DataLoader: sharded shuffling (world_size > 1) needs an explicit seed shared "
                "by all ranks, so that their shards are disjoint"
            )

    def __setattr__(self, name: str, value: Any) -> None:
        if self._initialized and name in _FROZEN:
            raise ValueError(
                f"{name} attribute should not be set after {type(self).__name__} is initialized"
            )
        super().__setattr__(name, value)

    # ------------------------------------------------------------------ size and order
    def __len__(self) -> int:
        if self._iterable:
            length = len(self.dataset)
            if self.batch_size is not None:
                return (
                    length // self.batch_size if self.drop_last else -(-length // self.batch_size)
                )
            return length
        return len(self.batch_sampler if self._auto_collation else self.sampler)

    def epoch_indices(self, epoch: int | None = None) -> np.ndarray:
        """The dataset indices this rank visits in ``epoch`` (default: the next one), in order.

        For the loader's own (seeded) order: a pure function of (seed, epoch,
        rank, world_size); the last batch's samples are left out when
        ``drop_last`` drops it.

        Example:
            >>> import numpy as np
            >>> from minigrad.data import ArrayDataset, DataLoader
            >>> ds = ArrayDataset(np.arange(10))
            >>> DataLoader(ds, batch_size=2, rank=1, world_size=3).epoch_indices().tolist()
            [1, 4, 7]
        """
        epoch = self._next_epoch if epoch is None else int(epoch)
        if isinstance(self.sampler, EpochSampler):
            order = self.sampler.indices(epoch)
        elif isinstance(self.sampler, SequentialSampler):
            order = np.arange(len(self.dataset))
        else:
            raise TypeError(
                "epoch_indices: the order comes from a "
                f"{type(self.sampler).__name__}, not from the loader's seed; iterate the sampler"
            )
        if self.drop_last and self.batch_size:
            order = order[: len(order) - len(order) % self.batch_size]
        return order

    def _index_batches(self, epoch: int, start: int) -> Iterator[Any]:
        """What the workers are sent for each batch of ``epoch``, from batch ``start`` on."""
        if self._iterable:
            return itertools.repeat(None)
        if isinstance(self.sampler, EpochSampler):
            self.sampler.set_epoch(epoch)
        source = self.batch_sampler if self._auto_collation else self.sampler
        return itertools.islice(iter(source), start, None)

    def _fetcher(self) -> Fetcher:
        return Fetcher(
            dataset=self.dataset,
            iterable=self._iterable,
            auto_collation=self._auto_collation,
            collate_fn=self.collate_fn,
            batch_size=self.batch_size,
            drop_last=self.drop_last,
            fast=self._fast,
            transform=self.transform,
            seed=self.seed if self._random_transform else None,
            rank=self.rank,
        )

    def _new_pool(self) -> WorkerPool:
        return WorkerPool(
            self._fetcher(),
            self.num_workers,
            base_seed=draw_seed(self.generator, "DataLoader"),
            worker_init_fn=self.worker_init_fn,
            context=self.multiprocessing_context,
            prefetch_factor=int(self.prefetch_factor or 0),
            timeout=self.timeout,
            in_order=self.in_order,
        )

    # ------------------------------------------------------------------ epochs and state
    @property
    def epoch(self) -> int:
        """The epoch being iterated (or, between epochs, the next one)."""
        return self._position[0] if self._position is not None else self._next_epoch

    def set_epoch(self, epoch: int) -> None:
        """Make the next ``iter(loader)`` produce epoch ``epoch`` from its start.

        Example:
            >>> import numpy as np
            >>> from minigrad.data import ArrayDataset, DataLoader
            >>> loader = DataLoader(ArrayDataset(np.arange(6)), batch_size=6, shuffle=True, seed=1)
            >>> first = [x.tolist() for (x,) in loader]
            >>> loader.set_epoch(0)
            >>> [x.tolist() for (x,) in loader] == first
            True
        """
        if epoch < 0:
            raise ValueError(f"set_epoch: epoch must be non-negative, got {epoch}")
        self._next_epoch, self._resume_batch, self._position = int(epoch), 0, None

    def state_dict(self) -> dict[str, int | None]:
        """Where the loader is: ``{"seed", "epoch", "batch"}`` (batches already yielded).

        Save it in a checkpoint; :meth:`load_state_dict` resumes at the next batch
        (exactly, for the loader's own seeded order).

        Example:
            >>> import numpy as np
            >>> from minigrad.data import ArrayDataset, DataLoader
            >>> loader = DataLoader(ArrayDataset(np.arange(10)), batch_size=3, shuffle=True, seed=7)
            >>> it = iter(loader); _ = next(it); state = loader.state_dict(); state
            {'seed': 7, 'epoch': 0, 'batch': 1}
            >>> rest = [x.tolist() for (x,) in it]
            >>> resumed = DataLoader(ArrayDataset(np.arange(10)), batch_size=3, shuffle=True)
            >>> resumed.load_state_dict(state)
            >>> [x.tolist() for (x,) in resumed] == rest
            True
        """
        if self._position is not None:
            epoch, done = self._position
            if self._iterable or done < len(self):
                return {"seed": self.seed, "epoch": epoch, "batch": done}
            return {"seed": self.seed, "epoch": epoch + 1, "batch": 0}
        return {"seed": self.seed, "epoch": self._next_epoch, "batch": self._resume_batch}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore a :meth:`state_dict`: the next ``iter(loader)`` continues from there."""
        seed = state.get("seed")
        self.seed = None if seed is None else int(seed)
        if isinstance(self.sampler, EpochSampler) and self.seed is not None:
            self.sampler.seed = self.seed
        self._next_epoch = int(state["epoch"])
        self._resume_batch = int(state.get("batch", 0))
        self._position = None
        if self._pool is not None:  # persistent workers hold the old seed: start afresh
            self._pool.shutdown()
            self._pool = None

    # ------------------------------------------------------------------ iteration
    def __iter__(self) -> _LoaderIter:
        epoch, start = self._next_epoch, self._resume_batch
        self._next_epoch, self._resume_batch = epoch + 1, 0
        self._position = [epoch, start]
        return _LoaderIter(self, epoch, start, self._position)

    def __repr__(self) -> str:
        return (
            f"DataLoader({type(self.dataset).__name__}, batch_size={self.batch_size}, "
            f"shuffle={self._shuffle}, drop_last={self.drop_last}, seed={self.seed}, "
            f"num_workers={self.num_workers}, rank={self.rank}, world_size={self.world_size})"
        )


class _LoaderIter:
    """One epoch of a DataLoader: in the main process, or through its worker processes.

    Its workers (unless persistent) are shut down when the epoch ends, when a
    batch raises, and when the iterator is dropped early (``break``).
    """

    def __init__(self, loader: DataLoader, epoch: int, start: int, position: list[int]) -> None:
        self._loader = loader
        self._epoch, self._number, self._position = epoch, start, position
        self._finished = False
        self._pool: WorkerPool | None = None
        batches = loader._index_batches(epoch, start)
        if loader.num_workers == 0:
            self._fetcher = loader._fetcher()
            self._batches = batches
            self._stream = iter(loader.dataset) if loader._iterable else None
            return
        if loader.persistent_workers:
            if loader._pool is None:
                loader._pool = loader._new_pool()
            self._pool = loader._pool
        else:
            self._pool = loader._new_pool()
        self._pool.start_epoch(batches, epoch, start)

    def __iter__(self) -> _LoaderIter:
        return self

    def __len__(self) -> int:
        return len(self._loader)

    def _next_batch(self) -> Any:
        if self._pool is not None:
            return self._pool.next()
        if self._stream is not None:
            return self._fetcher.next_from(self._stream, self._epoch, self._number)
        return self._fetcher.fetch(next(self._batches), self._epoch, self._number)

    def __next__(self) -> Any:
        if self._finished:
            raise StopIteration
        try:
            batch = self._next_batch()
        except BaseException:
            self._close()
            raise
        self._number += 1
        self._position[1] = self._number
        return batch

    def _close(self) -> None:
        self._finished = True
        pool, self._pool = self._pool, None
        if pool is not None and not self._loader.persistent_workers:
            pool.shutdown()

    def __del__(self) -> None:
        try:
            self._close()
        except Exception:
            pass
