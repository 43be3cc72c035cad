"""Samplers, as torch's: which dataset indices a DataLoader visits, in what order, in what batches.

Random samplers take ``generator=`` (a :class:`~minigrad.data.generator.Generator`,
a ``numpy.random.Generator`` or ``None``). Without one, every pass draws a
fresh seed from minigrad's global generator, so ``minigrad.manual_seed`` makes
it reproducible; with one, every pass advances that generator.
:class:`EpochSampler` is minigrad's own: its order is a pure function of
``(seed, epoch, rank)``, which lets a loader shard data across ranks and resume
mid-epoch.

Example:
    >>> from minigrad.data.sampler import BatchSampler, SequentialSampler
    >>> list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False))
    [[0, 1, 2], [3, 4, 5], [6]]
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any, Generic, TypeVar

import numpy as np

from minigrad.data.generator import as_numpy_generator, draw_seed

__all__ = [
    "BatchSampler",
    "EpochSampler",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
]

T_co = TypeVar("T_co", covariant=True)


def _positive_int(value: Any, name: str, who: str) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"{who}: {name} should be a positive integer value, but got {name}={value!r}"
        )
    return int(value)


def _rng_for_pass(generator: Any, who: str) -> np.random.Generator:
    """``generator`` itself, or (without one) a new generator seeded from the global one."""
    if generator is None:
        return np.random.default_rng(draw_seed(None, who))
    return as_numpy_generator(generator, who)


class Sampler(Generic[T_co]):
    """Base class of samplers: define ``__iter__`` (the indices) and, if known, ``__len__``.

    Example:
        >>> from minigrad.data import Sampler
        >>> class Evens(Sampler):
        ...     def __init__(self, n):
        ...         self.n = n
        ...     def __iter__(self):
        ...         return iter(range(0, self.n, 2))
        ...     def __len__(self):
        ...         return (self.n + 1) // 2
        >>> list(Evens(5)), len(Evens(5))
        ([0, 2, 4], 3)
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler[int]):
    """Indices ``0, 1, ..., len(data_source) - 1`` in order.

    Example:
        >>> from minigrad.data import SequentialSampler
        >>> list(SequentialSampler(range(3)))
        [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """Indices in random order: a permutation, or ``num_samples`` draws with replacement.

    Args:
        data_source: the dataset (only its length is used).
        replacement: draw with replacement (each index independently uniform).
        num_samples: how many indices per pass (default ``len(data_source)``);
            more than the length without replacement cycles through fresh permutations.
        generator: where the random numbers come from (see the module docs).

    Example:
        >>> from minigrad.data import RandomSampler
        >>> from minigrad.data.generator import Generator
        >>> sorted(RandomSampler(range(5), generator=Generator().manual_seed(0)))
        [0, 1, 2, 3, 4]
        >>> len(list(RandomSampler(range(5), replacement=True, num_samples=12)))
        12
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Any = None,
    ) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if num_samples is not None:
            _positive_int(num_samples, "num_samples", "RandomSampler")
        if generator is not None:
            as_numpy_generator(generator, "RandomSampler")

    @property
    def num_samples(self) -> int:
        """Indices per pass: ``num_samples`` if given, else the dataset's length."""
        if self._num_samples is None:
            return len(self.data_source)
        return int(self._num_samples)

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        rng = _rng_for_pass(self.generator, "RandomSampler")
        if self.replacement:
            return iter(rng.integers(0, n, size=self.num_samples).tolist())
        full, rest = divmod(self.num_samples, n) if n else (0, 0)
        parts = [rng.permutation(n) for _ in range(full)]
        if rest:
            parts.append(rng.permutation(n)[:rest])
        return iter(np.concatenate(parts).tolist() if parts else [])

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices in a random order (a new one every pass), without replacement.

    Example:
        >>> from minigrad.data import SubsetRandomSampler
        >>> sorted(SubsetRandomSampler([7, 3, 5]))
        [3, 5, 7]
    """

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        order = _rng_for_pass(self.generator, "SubsetRandomSampler").permutation(len(self.indices))
        return (self.indices[i] for i in order.tolist())

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices drawn with probabilities proportional to ``weights``.

    Args:
        weights: one non-negative weight per index (need not sum to 1).
        num_samples: how many indices per pass.
        replacement: with replacement (default); without, each index at most once.
        generator: where the random numbers come from (see the module docs).

    Example:
        >>> from minigrad.data import WeightedRandomSampler
        >>> set(WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 20))
        {1, 3}
    """

    def __init__(
        self,
        weights: Sequence[float] | Any,
        num_samples: int,
        replacement: bool = True,
        generator: Any = None,
    ) -> None:
        if not isinstance(num_samples, numbers.Integral) or isinstance(num_samples, bool):
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={num_samples}"
            )
        _positive_int(num_samples, "num_samples", "WeightedRandomSampler")
        if not isinstance(replacement, bool):
            raise ValueError(
                f"replacement should be a boolean value, but got replacement={replacement}"
            )
        w = np.asarray(getattr(weights, "data", weights), dtype=np.float64)
        if w.ndim != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape {tuple(w.shape)}"
            )
        if (w < 0).any() or not np.isfinite(w).all() or w.sum() <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        if not replacement and num_samples > np.count_nonzero(w):
            raise RuntimeError(
                "cannot sample n_sample > prob_dist.size(-1) samples without replacement "
                f"({num_samples} samples, {np.count_nonzero(w)} non-zero weights)"
            )
        self.weights: np.ndarray = w
        self.num_samples: int = int(num_samples)
        self.replacement: bool = replacement
        self.generator: Any = generator

    def __iter__(self) -> Iterator[int]:
        rng = _rng_for_pass(self.generator, "WeightedRandomSampler")
        p = self.weights / self.weights.sum()
        picks = rng.choice(len(p), size=self.num_samples, replace=self.replacement, p=p)
        return iter(np.asarray(picks).tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Group another sampler's indices into lists of ``batch_size``.

    Example:
        >>> from minigrad.data import BatchSampler, SequentialSampler
        >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=True))
        [[0, 1], [2, 3]]
    """

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int, drop_last: bool):
        _positive_int(batch_size, "batch_size", "BatchSampler")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        if isinstance(self.sampler, EpochSampler):  # the order is an array: slice it
            order, size = self.sampler.indices(), self.batch_size
            stop = len(order) - len(order) % size if self.drop_last else len(order)
            for start in range(0, stop, size):
                yield order[start : start + size].tolist()
            return
        batch: list[int] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


class EpochSampler(Sampler[int]):
    """minigrad's seeded, shardable order: a pure function of ``(seed, epoch, rank)``.

    Every epoch each of ``world_size`` ranks gets a disjoint part of the same
    (optionally shuffled) order. Without ``drop_last`` the shards cover every
    sample and differ in size by at most one; with it every rank gets
    ``len(data_source) // world_size`` samples.

    Args:
        data_source: the dataset (only its length is used).
        shuffle: a new random order every epoch (else ``0, 1, 2, ...``).
        seed: the seed of the shuffled order.
        rank, world_size: this rank's shard.
        drop_last: trim the order so all ranks get the same count.

    Example:
        >>> from minigrad.data.sampler import EpochSampler
        >>> s = EpochSampler(range(10), shuffle=False, rank=1, world_size=3)
        >>> list(s)
        [1, 4, 7]
        >>> s.set_epoch(1); len(s)
        3
    """

    def __init__(
        self,
        data_source: Sized,
        shuffle: bool = True,
        seed: int = 0,
        rank: int = 0,
        world_size: int = 1,
        drop_last: bool = False,
    ) -> None:
        self.data_source = data_source
        self.shuffle = shuffle
        self.seed = int(seed)
        self.rank = int(rank)
        self.world_size = int(world_size)
        self.drop_last = drop_last
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Choose the epoch whose order the next pass yields."""
        self.epoch = int(epoch)

    def indices(self, epoch: int | None = None) -> np.ndarray:
        """This rank's indices for ``epoch`` (default: the current one), in order."""
        epoch = self.epoch if epoch is None else int(epoch)
        n, w = len(self.data_source), self.world_size
        if self.shuffle:
            order = np.random.default_rng([self.seed, epoch, 0]).permutation(n)
        else:
            order = np.arange(n)
        if w > 1:
            order = order[: n - n % w] if self.drop_last else order
            order = order[self.rank :: w]
        return order

    def __iter__(self) -> Iterator[int]:
        return iter(self.indices().tolist())

    def __len__(self) -> int:
        n, w = len(self.data_source), self.world_size
        if w == 1:
            return n
        return n // w if self.drop_last else max(0, (n - self.rank + w - 1) // w)
