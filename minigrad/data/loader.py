"""The DataLoader: batches, reproducible shuffling, seeded augmentation, sharding, resuming.

Reproducibility: the sample order of epoch ``e`` is a pure function of
``(seed, e)``, and the random numbers a transform draws for batch ``b`` are a
pure function of ``(seed, e, rank, b)``. So two loaders with the same seed
produce the same batches, and a training program can checkpoint
:meth:`DataLoader.state_dict` mid-epoch and resume exactly where it left off.
Each ``iter(loader)`` starts a new epoch (0, 1, 2, ...); :meth:`DataLoader.set_epoch`
chooses the epoch explicitly. Without a seed the loader draws one from
minigrad's global generator when it is built (if it shuffles or transforms),
so ``minigrad.manual_seed`` makes it reproducible too.

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

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from minigrad.data.transforms import apply_transform, is_random
from minigrad.random import default_generator
from minigrad.tensor import Tensor, get_default_dtype

__all__ = ["DataLoader", "default_collate"]

_SHUFFLE, _AUGMENT = 0, 1  # stream tags, so order and augmentation never share random numbers


def default_collate(samples: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch of ndarrays, keeping the sample's structure.

    Tuples/lists become tuples of batches, dicts become dicts, arrays and
    Tensors are stacked on a new first axis, Python ints become int64 and
    Python floats the default float dtype.

    Example:
        >>> import numpy as np
        >>> from minigrad.data import default_collate
        >>> xs, ys = default_collate([(np.zeros(2), 1), (np.ones(2), 0)])
        >>> xs.shape, ys
        ((2, 2), array([1, 0]))
    """
    if not samples:
        raise ValueError("default_collate: empty list of samples")
    first = samples[0]
    if isinstance(first, Tensor):
        return np.stack([s.data for s in samples])
    if isinstance(first, np.ndarray):
        return np.stack(samples)
    if isinstance(first, np.generic):  # NumPy scalars keep their dtype
        return np.asarray(samples)
    if isinstance(first, bool):
        return np.asarray(samples, dtype=np.bool_)
    if isinstance(first, int):
        return np.asarray(samples, dtype=np.int64)
    if isinstance(first, float):
        return np.asarray(samples, dtype=get_default_dtype())
    if isinstance(first, Mapping):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (tuple, list)):
        width = len(first)
        if any(len(s) != width for s in samples):
            raise ValueError(
                "default_collate: samples have different numbers of fields "
                f"({sorted({len(s) for s in samples})})"
            )
        return tuple(default_collate([s[i] for s in samples]) for i in range(width))
    raise TypeError(
        f"default_collate: cannot batch samples of type {type(first).__name__}; "
        "return arrays, numbers, tuples or dicts from __getitem__, or pass collate_fn="
    )


def _to_tensors(batch: Any) -> Any:
    if isinstance(batch, np.ndarray):
        return Tensor._make(batch)
    if isinstance(batch, tuple):
        return tuple(_to_tensors(b) for b in batch)
    if isinstance(batch, dict):
        return {k: _to_tensors(v) for k, v in batch.items()}
    return batch


class DataLoader:
    """Iterate over a dataset in batches of Tensors.

    Args:
        dataset: a :class:`~minigrad.data.Dataset`. If it has ``get_batch`` (every
            array-backed dataset, MNIST, CIFAR10, ...), each batch is one
            fancy-indexing operation per array; otherwise samples are fetched one
            by one and stacked with :func:`default_collate`.
        batch_size: samples per batch.
        shuffle: a new random order every epoch.
        drop_last: drop the last batch if it is smaller than ``batch_size``.
        seed: the seed of the shuffle order and of random transforms. By default
            one is drawn from minigrad's global generator (if needed).
        transform: applied to the inputs (the first field) of every batch, as a
            NumPy array, before it becomes a Tensor; see :mod:`minigrad.data.transforms`.
        collate_fn: builds a batch from a list of samples (forces the per-sample
            path); its result is returned as is, not converted to Tensors.
        rank, world_size: shard the data for data-parallel training: every epoch
            each of the ``world_size`` ranks gets a disjoint part of the same
            shuffled order (all ranks must use the same ``seed``). Without
            ``drop_last`` the shards cover every sample and differ in size by at
            most one; with ``drop_last`` every rank gets the same number of full batches.

    Yields:
        A tuple of Tensors per batch for tuple samples (``for x, y in loader``), a
        Tensor for array samples, a dict of Tensors for dict samples.

    Example:
        >>> from minigrad.data import MNIST, DataLoader
        >>> from minigrad.data.transforms import ToFloat
        >>> loader = DataLoader(MNIST(train=False), batch_size=64, shuffle=True, seed=0,
        ...                     transform=ToFloat())
        >>> x, y = next(iter(loader))
        >>> x.shape, x.dtype, y.shape, y.dtype, len(loader)
        ((64, 1, 28, 28), dtype('float32'), (64,), dtype('int64'), 157)
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        seed: int | None = None,
        transform: Callable[..., Any] | None = None,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        *,
        rank: int = 0,
        world_size: int = 1,
    ) -> None:
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size}")
        if not isinstance(world_size, (int, np.integer)) or world_size < 1:
            raise ValueError(f"DataLoader: world_size must be a positive integer, got {world_size}")
        if not isinstance(rank, (int, np.integer)) or not 0 <= rank < world_size:
            raise ValueError(f"DataLoader: rank must be in [0, {world_size}), got {rank}")
        if seed is not None and (not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ValueError(f"DataLoader: seed must be a non-negative integer, got {seed!r}")
        if collate_fn is not None and transform is not None:
            raise ValueError(
                "DataLoader: pass either collate_fn or transform, not both "
                "(apply the transform inside your collate_fn)"
            )
        if world_size > 1 and shuffle and seed is None:
            raise ValueError(
                "DataLoader: sharded shuffling (world_size > 1) needs an explicit seed shared "
                "by all ranks, so that their shards are disjoint"
            )
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.transform = transform
        self.collate_fn = collate_fn
        self.rank = int(rank)
        self.world_size = int(world_size)
        self._batched = collate_fn is None and callable(getattr(dataset, "get_batch", None))
        self._random_transform = is_random(transform) or (
            self._batched and is_random(getattr(dataset, "transform", None))
        )
        if seed is None and (shuffle or self._random_transform):
            seed = int(default_generator().integers(2**63))
        self.seed = None if seed is None else int(seed)
        self._next_epoch = 0
        self._resume_batch = 0
        self._position: list[int] | None = None  # [epoch, batches yielded] while iterating

    # ------------------------------------------------------------------ order
    def _seed(self) -> int:
        if self.seed is None:  # only reachable after load_state_dict({"seed": None, ...})
            self.seed = int(default_generator().integers(2**63))
        return self.seed

    def _shard_size(self) -> int:
        n, w = len(self.dataset), self.world_size
        if w == 1:
            return n
        if self.drop_last:
            return n // w
        return max(0, (n - self.rank + w - 1) // w)

    def __len__(self) -> int:
        size = self._shard_size()
        return size // self.batch_size if self.drop_last else -(-size // self.batch_size)

    def epoch_indices(self, epoch: int | None = None) -> np.ndarray:
        """The dataset indices this rank visits in ``epoch`` (default: the next one), in order.

        A pure function of (seed, epoch, rank, world_size); the last batch's
        samples are left out when ``drop_last`` drops it.

        Example:
            >>> import numpy as np
            >>> from minigrad.data import ArrayDataset, DataLoader
            >>> ds = ArrayDataset(np.arange(10))
            >>> DataLoader(ds, batch_size=2, rank=1, world_size=3).epoch_indices().tolist()
            [1, 4, 7]
        """
        epoch = self._next_epoch if epoch is None else int(epoch)
        n, w = len(self.dataset), self.world_size
        if self.shuffle:
            order = np.random.default_rng([self._seed(), epoch, _SHUFFLE]).permutation(n)
        else:
            order = np.arange(n)
        if w > 1:
            order = order[: n - n % w] if self.drop_last else order
            order = order[self.rank :: w]
        if self.drop_last:
            order = order[: len(order) - len(order) % self.batch_size]
        return order

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

        Save it in a checkpoint; :meth:`load_state_dict` resumes at the next batch.

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
            if done < len(self):
                return {"seed": self.seed, "epoch": epoch, "batch": done}
            return {"seed": self.seed, "epoch": epoch + 1, "batch": 0}
        return {"seed": self.seed, "epoch": self._next_epoch, "batch": self._resume_batch}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore a :meth:`state_dict`: the next ``iter(loader)`` continues from there."""
        self.seed = None if state.get("seed") is None else int(state["seed"])
        self._next_epoch = int(state["epoch"])
        self._resume_batch = int(state.get("batch", 0))
        self._position = None

    # ------------------------------------------------------------------ iteration
    def __iter__(self) -> Iterator[Any]:
        epoch, start = self._next_epoch, self._resume_batch
        self._next_epoch, self._resume_batch = epoch + 1, 0
        self._position = [epoch, start]
        return self._batches(epoch, start, self._position)

    def _batches(self, epoch: int, start: int, position: list[int]) -> Iterator[Any]:
        order = self.epoch_indices(epoch)
        size = self.batch_size
        for b in range(start, -(-len(order) // size)):
            batch = self._fetch(order[b * size : (b + 1) * size], epoch, b)
            position[1] = b + 1
            yield batch

    def _fetch(self, indices: np.ndarray, epoch: int, b: int) -> Any:
        rng = None
        if self._random_transform:
            rng = np.random.default_rng([self._seed(), epoch, _AUGMENT, self.rank, b])
        if self._batched:
            batch = self.dataset.get_batch(indices, rng=rng)
        else:
            samples = [self.dataset[int(i)] for i in indices]
            if self.collate_fn is not None:
                return self.collate_fn(samples)
            batch = default_collate(samples)
        if self.transform is not None:
            if isinstance(batch, tuple):
                batch = (apply_transform(self.transform, batch[0], rng), *batch[1:])
            elif isinstance(batch, np.ndarray):
                batch = apply_transform(self.transform, batch, rng)
            else:
                raise TypeError(
                    "DataLoader: transform applies to array or tuple batches, got "
                    f"{type(batch).__name__}; transform inside the dataset instead"
                )
        return _to_tensors(batch)

    def __repr__(self) -> str:
        return (
            f"DataLoader({type(self.dataset).__name__}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last}, seed={self.seed}, "
            f"rank={self.rank}, world_size={self.world_size})"
        )
