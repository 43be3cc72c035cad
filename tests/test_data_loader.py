"""DataLoader properties: coverage, reproducibility, drop_last arithmetic, sharding, resuming."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import Tensor
from minigrad.data import (
    ArrayDataset,
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)
from minigrad.data import transforms as T


class Generic(Dataset):
    """A dataset without get_batch: the loader fetches and collates sample by sample."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls = 0

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        self.calls += 1
        return np.full((2,), i, dtype=np.float32), i


class CountingArrays(ArrayDataset):
    def __init__(self, *arrays):
        super().__init__(*arrays)
        self.batch_calls = 0

    def get_batch(self, indices, rng=None):
        self.batch_calls += 1
        return super().get_batch(indices, rng)


def ids_of(loader: DataLoader) -> list[list[int]]:
    return [batch[1].numpy().tolist() for batch in loader]


sizes = st.integers(0, 60)
batch_sizes = st.integers(1, 17)
seeds = st.integers(0, 2**32)
kinds = st.sampled_from(["array", "generic"])


def make(kind: str, n: int):
    if kind == "array":
        return ArrayDataset(
            np.arange(n, dtype=np.float32)[:, None] * np.ones(2, np.float32), np.arange(n)
        )
    return Generic(n)


@given(kinds, sizes, batch_sizes, st.booleans(), st.booleans(), seeds)
def test_every_sample_exactly_once_per_epoch(kind, n, bs, shuffle, drop_last, seed):
    loader = DataLoader(
        make(kind, n), batch_size=bs, shuffle=shuffle, drop_last=drop_last, seed=seed
    )
    for _ in range(2):  # two epochs
        batches = ids_of(loader)
        seen = [i for b in batches for i in b]
        assert len(batches) == len(loader)
        assert len(seen) == len(set(seen))
        if drop_last:
            assert len(seen) == n - n % bs and all(len(b) == bs for b in batches)
            assert len(loader) == n // bs
        else:
            assert sorted(seen) == list(range(n))
            assert len(loader) == -(-n // bs)
            assert all(len(b) == bs for b in batches[:-1])
        if not shuffle:
            assert seen == sorted(seen)


@given(kinds, st.integers(2, 60), batch_sizes, seeds)
def test_same_seed_same_order_and_new_order_each_epoch(kind, n, bs, seed):
    a = DataLoader(make(kind, n), batch_size=bs, shuffle=True, seed=seed)
    b = DataLoader(make(kind, n), batch_size=bs, shuffle=True, seed=seed)
    epochs_a = [ids_of(a) for _ in range(3)]
    assert epochs_a == [ids_of(b) for _ in range(3)]
    b.set_epoch(1)
    assert ids_of(b) == epochs_a[1]
    if n >= 8:  # 8! orders: three equal epochs would mean the order is not reshuffled
        assert not epochs_a[0] == epochs_a[1] == epochs_a[2]


@given(sizes, st.integers(1, 5), batch_sizes, st.booleans(), st.booleans(), seeds)
def test_sharding_is_disjoint_and_complete(n, world, bs, shuffle, drop_last, seed):
    ds = make("array", n)
    for epoch in range(2):
        shards = []
        for rank in range(world):
            loader = DataLoader(
                ds,
                batch_size=bs,
                shuffle=shuffle,
                drop_last=drop_last,
                seed=seed,
                rank=rank,
                world_size=world,
            )
            loader.set_epoch(epoch)
            batches = ids_of(loader)
            assert len(batches) == len(loader)
            shards.append([i for b in batches for i in b])
        flat = [i for s in shards for i in s]
        assert len(flat) == len(set(flat)), "ranks overlap"
        if drop_last:
            assert len({len(s) for s in shards}) == 1, "ranks would run different step counts"
            assert len(flat) == world * ((n // world) // bs) * bs
        else:
            assert sorted(flat) == list(range(n))
            assert max(map(len, shards)) - min(map(len, shards)) <= 1


@given(kinds, st.integers(1, 40), batch_sizes, st.integers(0, 6), seeds)
def test_resuming_from_state_dict_continues_the_same_stream(kind, n, bs, stop, seed):
    loader = DataLoader(make(kind, n), batch_size=bs, shuffle=True, seed=seed)
    full = ids_of(loader) + ids_of(loader) + ids_of(loader)
    loader = DataLoader(make(kind, n), batch_size=bs, shuffle=True, seed=seed)
    taken, it = [], iter(loader)
    for _ in range(min(stop, len(loader))):
        taken.append(next(it)[1].numpy().tolist())
    resumed = DataLoader(make(kind, n), batch_size=bs, shuffle=True)  # seed comes from state
    resumed.load_state_dict(loader.state_dict())
    stream = taken + ids_of(resumed) + ids_of(resumed)
    assert stream == full[: len(stream)]
    assert len(stream) >= 2 * len(loader)


def test_resume_reproduces_augmentation_exactly():
    images = np.random.default_rng(0).integers(0, 256, (50, 1, 6, 6), dtype=np.uint8)
    aug = T.Compose([T.RandomCrop(4, padding=1), T.RandomHorizontalFlip(), T.ToFloat()])
    ds = ArrayDataset(images, np.arange(50), transform=aug)
    loader = DataLoader(ds, batch_size=8, shuffle=True, seed=3)
    full = [x.numpy() for x, _ in loader]
    loader = DataLoader(ds, batch_size=8, shuffle=True, seed=3)
    it = iter(loader)
    head = [next(it)[0].numpy() for _ in range(3)]
    resumed = DataLoader(ds, batch_size=8, shuffle=True, seed=99)
    resumed.load_state_dict(loader.state_dict())
    tail = [x.numpy() for x, _ in resumed]
    assert len(head + tail) == len(full)
    for a, b in zip(head + tail, full):
        np.testing.assert_array_equal(a, b)


def test_array_datasets_take_one_fancy_index_per_batch():
    ds = CountingArrays(np.arange(100), np.arange(100))
    loader = DataLoader(ds, batch_size=32, shuffle=True, seed=0)
    assert len(list(loader)) == 4 and ds.batch_calls == 4
    generic = Generic(10)
    list(DataLoader(generic, batch_size=4))
    assert generic.calls == 10


def test_batches_are_tensors_with_the_right_dtypes():
    ds = ArrayDataset(np.zeros((10, 1, 2, 2), np.uint8), np.arange(10))
    x, y = next(iter(DataLoader(ds, batch_size=4, transform=T.ToFloat())))
    assert isinstance(x, Tensor) and isinstance(y, Tensor)
    assert x.dtype == np.float32 and x.shape == (4, 1, 2, 2) and y.dtype == np.int64
    x, y = next(iter(DataLoader(Generic(5), batch_size=5)))
    assert x.dtype == np.float32 and y.dtype == np.int64 and y.numpy().tolist() == [0, 1, 2, 3, 4]


def test_loader_transform_is_seeded_and_a_function_of_seed_and_epoch():
    images = np.random.default_rng(0).integers(0, 256, (20, 3, 8, 8), dtype=np.uint8)
    ds = ArrayDataset(images, np.arange(20))
    aug = T.Compose([T.RandomCrop(8, padding=2), T.RandomHorizontalFlip(), T.ToFloat()])

    def epoch(seed, e):
        loader = DataLoader(ds, batch_size=6, shuffle=True, seed=seed, transform=aug)
        loader.set_epoch(e)
        return np.concatenate([x.numpy() for x, _ in loader])

    np.testing.assert_array_equal(epoch(1, 0), epoch(1, 0))
    assert not np.array_equal(epoch(1, 0), epoch(1, 1))
    assert not np.array_equal(epoch(1, 0), epoch(2, 0))


def test_without_seed_manual_seed_makes_it_reproducible():
    ds = ArrayDataset(np.arange(30), np.arange(30))
    minigrad.manual_seed(5)
    a = ids_of(DataLoader(ds, batch_size=7, shuffle=True))
    minigrad.manual_seed(5)
    b = ids_of(DataLoader(ds, batch_size=7, shuffle=True))
    assert a == b
    state = minigrad.get_rng_state()
    DataLoader(ds, batch_size=7)  # no shuffle, no random transform: no draw
    assert minigrad.get_rng_state() == state


def test_collate_structures_and_custom_collate_fn():
    class Dicts(Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return {"x": [float(i), 1.0], "y": i, "m": Tensor([i, i])}

    class ListsOf(Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return [np.float64(i), True]

    batch = next(iter(DataLoader(Dicts(), batch_size=3)))
    assert batch["y"].numpy().tolist() == [0, 1, 2]
    assert batch["m"].shape == (3, 2)
    assert isinstance(batch["x"], list) and batch["x"][0].dtype == np.float64  # as torch
    vals, flags = next(iter(DataLoader(ListsOf(), batch_size=3)))
    assert vals.dtype == np.float64 and flags.dtype == np.bool_
    custom = next(iter(DataLoader(ListsOf(), batch_size=2, collate_fn=len)))
    assert custom == 2
    with pytest.raises(TypeError, match=r"batch must contain tensors, .* found <class 'object'>"):
        default_collate([object()])
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal"):
        default_collate([(1, 2), (1,)])


def test_tensor_dataset_subset_and_random_split():
    ds = TensorDataset(minigrad.arange(10) * 2, minigrad.arange(10))
    x, y = ds[3]
    assert isinstance(x, Tensor) and x.item() == 6 and y.item() == 3
    sub = Subset(ds, [9, 1, 5])
    assert [b.numpy().tolist() for b in next(iter(DataLoader(sub, batch_size=3)))] == [
        [18, 2, 10],
        [9, 1, 5],
    ]
    parts = random_split(ds, [7, 3], seed=0)
    assert sorted(np.concatenate([p.indices for p in parts]).tolist()) == list(range(10))
    assert [p.indices.tolist() for p in random_split(ds, [7, 3], seed=0)] == [
        p.indices.tolist() for p in parts
    ]
    assert [len(p) for p in random_split(ds, [0.5, 0.3, 0.2], seed=1)] == [5, 3, 2]
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length"):
        random_split(ds, [5, 4])


def test_argument_errors():
    ds = ArrayDataset(np.arange(4))
    with pytest.raises(ValueError, match="batch_size should be a positive integer value, but"):
        DataLoader(ds, batch_size=0)
    with pytest.raises(ValueError, match=r"rank must be in \[0, 2\), got 2"):
        DataLoader(ds, rank=2, world_size=2)
    with pytest.raises(ValueError, match="needs an explicit seed"):
        DataLoader(ds, shuffle=True, world_size=2)
    with pytest.raises(ValueError, match="either collate_fn or transform"):
        DataLoader(ds, transform=T.ToFloat(), collate_fn=list)
    with pytest.raises(ValueError, match="share their first dimension"):
        ArrayDataset(np.arange(3), np.arange(4))
    with pytest.raises(IndexError, match="index 4 out of range for 4 samples"):
        ds[4]
