"""DataLoader worker processes: same batches as in-process, sharding, seeding, errors, shutdown."""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.utils.data as mud
from minigrad.data import ArrayDataset
from minigrad.data import transforms as T
from minigrad.data.generator import Generator


class Squares(mud.Dataset):
    """A map-style dataset without get_batch: samples are fetched and collated in the workers."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> tuple[np.ndarray, int]:
        return np.full(2, i * i, np.float32), i


class WhoAmI(mud.Dataset):
    """Each sample says which worker loaded it and what that worker's random state is."""

    def __len__(self) -> int:
        return 8

    def __getitem__(self, i: int) -> dict[str, Any]:
        info = mud.get_worker_info()
        assert info is not None and info.dataset is self  # the worker's own copy
        return {
            "worker": info.id,
            "num_workers": info.num_workers,
            "seed": info.seed,
            "init": int(os.environ.get("WORKER_INIT", "-1")),
            "draw": float(minigrad.rand(1).item()),
            "numpy": float(np.random.random()),  # noqa: NPY002 (the legacy global, seeded per worker)
        }


class Shards(mud.IterableDataset):
    def __init__(self, n: int) -> None:
        self.n = n

    def __iter__(self):
        info = mud.get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))


class Failing(mud.Dataset):
    def __init__(self, how: str) -> None:
        self.how = how

    def __len__(self) -> int:
        return 8

    def __getitem__(self, i: int) -> int:
        if i == 5:
            if self.how == "key":
                raise KeyError("no such sample")
            if self.how == "custom":
                raise CustomError(i, "two arguments")
            if self.how == "exit":
                os._exit(3)
            if self.how == "hang":
                time.sleep(30)
        return i


class CustomError(Exception):
    def __init__(self, index: int, why: str) -> None:
        super().__init__(f"sample {index}: {why}")


def _init(worker_id: int) -> None:
    os.environ["WORKER_INIT"] = str(worker_id)


def alive(pids: list[int]) -> list[int]:
    """Which of ``pids`` still exist (and are not zombies)."""
    out = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[-1].split()[0] != "Z":
                    out.append(pid)
        except FileNotFoundError:
            pass
    return out


def flat(batches: Any) -> list[Any]:
    return [(b[0].tolist(), b[1].tolist()) if isinstance(b, list) else b.tolist() for b in batches]


@given(st.integers(0, 30), st.integers(1, 7), st.booleans(), st.booleans(), st.integers(0, 99))
@settings(max_examples=8, deadline=None)
def test_workers_give_the_same_batches_as_the_main_process(n, bs, shuffle, drop_last, seed):
    for ds in (Squares(n), ArrayDataset(np.arange(n * 2).reshape(n, 2), np.arange(n))):
        kw = {"batch_size": bs, "shuffle": shuffle, "drop_last": drop_last, "seed": seed}
        expected = flat(mud.DataLoader(ds, **kw))
        loader = mud.DataLoader(ds, num_workers=2, **kw)
        assert flat(loader) == expected and len(loader) == len(expected)
        unordered = flat(mud.DataLoader(ds, num_workers=2, in_order=False, **kw))
        assert sorted(map(str, unordered)) == sorted(map(str, expected))


def test_random_augmentation_is_the_same_with_workers():
    images = np.random.default_rng(0).integers(0, 256, (20, 1, 6, 6), dtype=np.uint8)
    aug = T.Compose([T.RandomCrop(4, padding=1), T.RandomHorizontalFlip(), T.ToFloat()])
    ds = ArrayDataset(images, np.arange(20))
    kw: dict[str, Any] = {"batch_size": 6, "shuffle": True, "seed": 5, "transform": aug}
    assert flat(mud.DataLoader(ds, num_workers=2, **kw)) == flat(mud.DataLoader(ds, **kw))


def test_worker_info_init_fn_and_seeds():
    minigrad.manual_seed(0)
    loader = mud.DataLoader(WhoAmI(), batch_size=2, num_workers=2, worker_init_fn=_init)
    rows = [{k: v.tolist() if hasattr(v, "tolist") else v for k, v in b.items()} for b in loader]
    workers = [w for r in rows for w in r["worker"]]
    assert workers == [0, 0, 1, 1, 0, 0, 1, 1]  # round-robin batches, in order
    assert [i for r in rows for i in r["init"]] == workers  # worker_init_fn ran in each
    seeds = {w: s for r in rows for w, s in zip(r["worker"], r["seed"])}
    assert seeds[1] == seeds[0] + 1  # base_seed + worker id, as torch
    draws = [d for r in rows for d in r["draw"]]
    assert len(set(draws)) == len(draws)  # the workers' generators differ
    minigrad.manual_seed(0)
    again = [b["draw"].tolist() for b in mud.DataLoader(WhoAmI(), batch_size=2, num_workers=2)]
    assert [d for b in again for d in b] == draws  # manual_seed reproduces the workers' draws
    g = mud.DataLoader(WhoAmI(), batch_size=2, num_workers=2, generator=Generator().manual_seed(1))
    h = mud.DataLoader(WhoAmI(), batch_size=2, num_workers=2, generator=Generator().manual_seed(1))
    assert [b["numpy"].numpy().tolist() for b in g] == [b["numpy"].numpy().tolist() for b in h]


def test_iterable_dataset_sharded_by_worker_info():
    loader = mud.DataLoader(Shards(11), batch_size=3, num_workers=2)
    got = [b.numpy().tolist() for b in loader]
    assert got == [[0, 2, 4], [1, 3, 5], [6, 8, 10], [7, 9]]  # torch gives the same
    assert [b.numpy().tolist() for b in loader] == got  # a second epoch restarts the streams
    tail = mud.DataLoader(Shards(11), batch_size=3, num_workers=2, drop_last=True)
    assert [b.numpy().tolist() for b in tail] == [[0, 2, 4], [1, 3, 5], [6, 8, 10]]
    single = mud.DataLoader(Shards(5), batch_size=None, num_workers=2)
    assert sorted(x for x in single) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("how", ["key", "custom"])
def test_worker_exceptions_are_raised_in_the_main_process(how):
    loader = mud.DataLoader(Failing(how), batch_size=2, num_workers=2)
    it = iter(loader)
    pids = it._pool.pids
    expected = KeyError if how == "key" else RuntimeError  # two-argument exceptions: RuntimeError
    with pytest.raises(expected) as err:
        list(it)
    message = str(err.value)
    worker = 0  # batch [4, 5] is the third batch: worker 0 of 2
    name = "KeyError" if how == "key" else "CustomError"
    assert f"Caught {name} in DataLoader worker process {worker}" in message
    assert "Original Traceback (most recent call last)" in message and "__getitem__" in message
    assert alive(pids) == []  # the workers were shut down
    assert next(it, None) is None


def test_dead_worker_and_timeout_raise_and_clean_up(monkeypatch):
    monkeypatch.setattr("minigrad.data.pool.JOIN_SECONDS", 0.2)  # the hung worker is terminated
    it = iter(mud.DataLoader(Failing("exit"), batch_size=2, num_workers=2))
    pids = it._pool.pids
    with pytest.raises(
        RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly"
    ):
        list(it)
    assert alive(pids) == []
    it = iter(mud.DataLoader(Failing("hang"), batch_size=2, num_workers=2, timeout=0.5))
    pids = it._pool.pids
    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0\.5 seconds"):
        list(it)
    assert alive(pids) == []


def test_early_stop_and_persistent_workers_leave_no_process():
    loader = mud.DataLoader(Squares(40), batch_size=2, num_workers=2)
    it = iter(loader)
    next(it)
    pids = it._pool.pids
    assert len(alive(pids)) == 2
    for _ in loader:  # the previous iterator is still held; a new one starts its own workers
        break
    del it
    assert alive(pids) == []
    persistent = mud.DataLoader(Squares(9), batch_size=2, num_workers=2, persistent_workers=True)
    first = flat(persistent)
    pool = persistent._pool
    for _batch in persistent:  # an epoch interrupted early...
        break
    assert flat(persistent) == first  # ...and the next one is whole: stale results are dropped
    assert persistent._pool is pool and len(alive(pool.pids)) == 2
    pids = pool.pids
    del persistent, pool, _batch
    assert alive(pids) == []


def test_spawn_context_with_a_picklable_dataset():
    ds = ArrayDataset(np.arange(10), np.arange(10) % 3)
    loader = mud.DataLoader(ds, batch_size=4, num_workers=2, multiprocessing_context="spawn")
    assert flat(loader) == flat(mud.DataLoader(ds, batch_size=4))
