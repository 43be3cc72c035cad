"""minigrad.utils.data against torch.utils.data: names, collate, samplers, splits, arguments."""

from __future__ import annotations

import collections
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
import minigrad.data
import minigrad.utils.data as mud
from minigrad import Tensor
from minigrad.data.generator import Generator

torch = pytest.importorskip("torch")
tud = torch.utils.data

TORCH_NAMES = [
    "Dataset",
    "IterableDataset",
    "TensorDataset",
    "Subset",
    "ConcatDataset",
    "ChainDataset",
    "StackDataset",
    "random_split",
    "DataLoader",
    "Sampler",
    "SequentialSampler",
    "RandomSampler",
    "SubsetRandomSampler",
    "WeightedRandomSampler",
    "BatchSampler",
    "default_collate",
    "default_convert",
    "get_worker_info",
]

Point = collections.namedtuple("Point", ["x", "y"])


def test_torch_names_are_minigrad_data_names():
    for name in TORCH_NAMES:
        assert hasattr(tud, name), name
        assert getattr(mud, name) is getattr(minigrad.data, name), name
    assert set(mud.__all__) <= {*TORCH_NAMES, "WorkerInfo"} | set(dir(tud))
    assert mud.get_worker_info() is None


# ---------------------------------------------------------------------- collate
def plain(x: Any) -> Any:
    """A comparable form of a (torch or minigrad) batch: types, dtypes, shapes and values."""
    if isinstance(x, (Tensor, torch.Tensor)):
        arr = x.numpy()
        return ("tensor", str(arr.dtype), arr.shape, arr.tolist())
    if isinstance(x, tuple) and hasattr(x, "_fields"):
        return (type(x).__name__, *[plain(v) for v in x])
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [plain(v) for v in x])
    if isinstance(x, dict):
        return ("dict", {k: plain(v) for k, v in x.items()})
    return ("other", type(x).__name__, x)


def leaves(shape: tuple[int, ...]) -> st.SearchStrategy[Any]:
    """One kind of sample leaf, so that all samples of a batch share it."""
    return st.sampled_from(
        [
            lambda r: int(r.integers(-5, 5)),
            lambda r: float(r.normal()),
            lambda r: bool(r.integers(2)),
            lambda r: r.normal(size=shape),
            lambda r: r.integers(0, 255, size=shape).astype(np.uint8),
            lambda r: np.float32(r.normal()),
            lambda r: np.int32(r.integers(9)),
            lambda r: f"s{r.integers(9)}",
        ]
    )


@st.composite
def sample_makers(draw: Any, depth: int = 0) -> Any:
    shape = draw(st.lists(st.integers(1, 3), max_size=2).map(tuple))
    if depth >= 2 or draw(st.booleans()):
        return draw(leaves(shape))
    parts = draw(st.lists(sample_makers(depth + 1), min_size=1, max_size=3))
    kind = draw(st.sampled_from(["tuple", "list", "dict", "namedtuple"]))
    if kind == "namedtuple":
        parts = (parts * 2)[:2]
        return lambda r: Point(*(p(r) for p in parts))
    if kind == "dict":
        return lambda r: {f"k{i}": p(r) for i, p in enumerate(parts)}
    container = tuple if kind == "tuple" else list
    return lambda r: container(p(r) for p in parts)


@given(sample_makers(), st.integers(1, 4), st.integers(0, 2**16))
@settings(max_examples=60, deadline=None)
def test_default_collate_and_convert_match_torch(make, n, seed):
    rng = np.random.default_rng(seed)
    samples = [make(rng) for _ in range(n)]
    assert plain(mud.default_collate(samples)) == plain(tud.default_collate(samples))
    assert plain(mud.default_convert(samples[0])) == plain(tud.default_convert(samples[0]))


def test_default_collate_tensors_and_errors_as_torch():
    a = [minigrad.tensor([1.0, 2.0]), minigrad.tensor([3.0, 4.0])]
    out = mud.default_collate(a)
    assert isinstance(out, Tensor) and out.shape == (2, 2) and out.tolist() == [[1, 2], [3, 4]]
    w = minigrad.tensor([1.0, 2.0], requires_grad=True)
    stacked = mud.default_collate([w, w * 2])
    stacked.sum().backward()
    assert w.grad.numpy().tolist() == [
        3.0,
        3.0,
    ]  # stacking Tensors stays differentiable, as torch.stack
    cases = [
        [np.zeros(3), np.zeros(4)],
        [[np.zeros(3)], [np.zeros(4)]],
        [(1, 2), (3,)],
        [object(), object()],
        [np.array(["a"]), np.array(["b"])],
    ]
    for batch in cases:
        with pytest.raises(Exception) as theirs:
            tud.default_collate(batch)
        with pytest.raises(type(theirs.value)) as ours:
            mud.default_collate(batch)
        assert str(ours.value) == str(theirs.value)
    tensors = [minigrad.zeros(3), minigrad.zeros(4)]
    with pytest.raises(RuntimeError) as err:
        mud.default_collate(tensors)
    assert str(err.value) == (
        "stack expects each tensor to be equal size, but got [3] at entry 0 and [4] at entry 1"
    )


# ---------------------------------------------------------------------- samplers
@given(st.integers(0, 40), st.integers(1, 9), st.booleans())
def test_batch_sampler_and_lengths_match_torch(n, batch_size, drop_last):
    ours = mud.BatchSampler(mud.SequentialSampler(range(n)), batch_size, drop_last)
    theirs = tud.BatchSampler(tud.SequentialSampler(range(n)), batch_size, drop_last)
    assert list(ours) == list(theirs) and len(ours) == len(theirs)
    ds = mud.TensorDataset(minigrad.arange(n))
    tds = tud.TensorDataset(torch.arange(n))
    for kw in ({"batch_size": batch_size, "drop_last": drop_last}, {"batch_size": None}):
        assert len(mud.DataLoader(ds, **kw)) == len(tud.DataLoader(tds, **kw))
    tsampler = tud.BatchSampler(tud.SequentialSampler(range(n)), batch_size, drop_last)
    msampler = mud.BatchSampler(mud.SequentialSampler(range(n)), batch_size, drop_last)
    assert len(mud.DataLoader(ds, batch_sampler=msampler)) == len(
        tud.DataLoader(tds, batch_sampler=tsampler)
    )
    got = [b[0].numpy().tolist() for b in mud.DataLoader(ds, batch_sampler=msampler)]
    want = [b[0].tolist() for b in tud.DataLoader(tds, batch_sampler=tsampler)]
    assert got == want


@given(st.integers(1, 30), st.one_of(st.none(), st.integers(1, 70)), st.booleans(), st.integers())
def test_random_sampler_draws_valid_indices_reproducibly(n, num_samples, replacement, seed):
    s = mud.RandomSampler(
        range(n), replacement, num_samples, generator=Generator().manual_seed(seed)
    )
    draw = list(s)
    assert len(draw) == len(s) == (num_samples or n)
    assert all(isinstance(i, int) and 0 <= i < n for i in draw)
    if not replacement:  # whole permutations, then part of one
        full = len(draw) // n
        for k in range(full):
            assert sorted(draw[k * n : (k + 1) * n]) == list(range(n))
        assert len(set(draw[full * n :])) == len(draw) - full * n
    again = mud.RandomSampler(
        range(n), replacement, num_samples, generator=Generator().manual_seed(seed)
    )
    assert list(again) == draw
    minigrad.manual_seed(seed % 2**32)
    a = list(mud.RandomSampler(range(n), replacement, num_samples))
    minigrad.manual_seed(seed % 2**32)
    assert list(mud.RandomSampler(range(n), replacement, num_samples)) == a
    assert sorted(mud.SubsetRandomSampler(list(range(n, 2 * n)))) == list(range(n, 2 * n))


@given(st.lists(st.floats(0, 10), min_size=1, max_size=12), st.integers(1, 30), st.booleans())
def test_weighted_sampler_never_draws_zero_weights(weights, num_samples, replacement):
    nonzero = np.count_nonzero(weights)
    if nonzero == 0 or (not replacement and num_samples > nonzero):
        with pytest.raises(RuntimeError):
            list(tud.WeightedRandomSampler(weights, num_samples, replacement))
        with pytest.raises(RuntimeError):
            mud.WeightedRandomSampler(weights, num_samples, replacement)
        return
    draw = list(mud.WeightedRandomSampler(weights, num_samples, replacement))
    assert len(draw) == num_samples and all(weights[i] > 0 for i in draw)
    if not replacement:
        assert len(set(draw)) == num_samples


def test_weighted_sampler_follows_the_weights():
    draw = np.array(list(mud.WeightedRandomSampler([1.0, 3.0], 20000, generator=Generator())))
    assert abs(draw.mean() - 0.75) < 0.02  # ~7 standard deviations


def test_sampler_argument_errors_match_torch():
    for make in (
        lambda m: m.RandomSampler(range(3), replacement=1),
        lambda m: m.RandomSampler(range(3), num_samples=0),
        lambda m: m.BatchSampler(range(3), 0, False),
        lambda m: m.BatchSampler(range(3), 2, drop_last=1),
        lambda m: m.WeightedRandomSampler([1.0], num_samples=0),
        lambda m: m.WeightedRandomSampler([[1.0]], num_samples=1),
    ):
        with pytest.raises(Exception) as theirs:
            make(tud)
        with pytest.raises(type(theirs.value)):
            make(mud)


# ---------------------------------------------------------------------- datasets and splits
@given(
    st.integers(0, 50),
    st.lists(st.floats(0.01, 1), min_size=1, max_size=4),
    st.integers(0, 2**32),
)
@settings(deadline=None)
def test_random_split_fractions_match_torch(n, raw, seed):
    fractions = [f / sum(raw) for f in raw]
    fractions[-1] = 1 - sum(fractions[:-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = tud.random_split(range(n), fractions)
        ours = mud.random_split(range(n), fractions, generator=Generator().manual_seed(seed))
    assert [len(p) for p in ours] == [len(p) for p in theirs]
    assert sorted(int(i) for p in ours for i in p.indices) == list(range(n))
    again = mud.random_split(range(n), fractions, generator=np.random.default_rng(0))
    assert sorted(int(i) for p in again for i in p.indices) == list(range(n))


def test_random_split_is_reproducible_and_checks_lengths():
    ds = mud.TensorDataset(minigrad.arange(10))
    a = [
        p.indices.tolist()
        for p in mud.random_split(ds, [3, 7], generator=Generator().manual_seed(1))
    ]
    b = [
        p.indices.tolist()
        for p in mud.random_split(ds, [3, 7], generator=Generator().manual_seed(1))
    ]
    assert a == b
    minigrad.manual_seed(3)
    c = [p.indices.tolist() for p in mud.random_split(ds, [0.5, 0.5])]
    minigrad.manual_seed(3)
    assert c == [p.indices.tolist() for p in mud.random_split(ds, [0.5, 0.5])]
    for lengths in ([3, 6], [0.5, 0.6]):
        with pytest.raises(ValueError) as theirs:
            tud.random_split(range(10), lengths)
        with pytest.raises(ValueError, match=str(theirs.value)[:40]):
            mud.random_split(ds, lengths)


def test_concat_stack_chain_datasets_match_torch():
    a, b = list(range(3)), list(range(10, 15))

    class L(mud.Dataset):
        def __init__(self, xs: list[int]) -> None:
            self.xs = xs

        def __len__(self) -> int:
            return len(self.xs)

        def __getitem__(self, i: int) -> int:
            return self.xs[i]

    ours = L(a) + L(b)
    theirs = tud.ConcatDataset([a, b])
    assert isinstance(ours, mud.ConcatDataset) and ours.cumulative_sizes == theirs.cumulative_sizes
    assert [ours[i] for i in range(-8, 8)] == [theirs[i] for i in range(-8, 8)]
    with pytest.raises(ValueError, match="absolute value of index"):
        ours[-9]
    stacked = mud.StackDataset(L(a), L([5, 6, 7]))
    assert stacked[2] == tud.StackDataset(a, [5, 6, 7])[2] and len(stacked) == 3
    assert mud.StackDataset(x=L(a), y=L(a))[1] == {"x": 1, "y": 1}
    with pytest.raises(ValueError, match="Size mismatch"):
        mud.StackDataset(L(a), L(b))

    class Up(mud.IterableDataset):
        def __init__(self, n: int) -> None:
            self.n = n

        def __iter__(self):
            return iter(range(self.n))

        def __len__(self) -> int:
            return self.n

    chained = Up(2) + Up(3)
    assert isinstance(chained, mud.ChainDataset) and list(chained) == [0, 1, 0, 1, 2]
    assert len(chained) == 5
    loader = mud.DataLoader(chained, batch_size=2)
    assert [x.tolist() for x in loader] == [[0, 1], [0, 1], [2]] and len(loader) == 3
    assert len(mud.DataLoader(chained, batch_size=2, drop_last=True)) == 2
    assert [x.tolist() for x in mud.DataLoader(chained, batch_size=2, drop_last=True)] == [
        [0, 1],
        [0, 1],
    ]
    assert [x for x in mud.DataLoader(Up(2), batch_size=None)] == [0, 1]  # unbatched


# ---------------------------------------------------------------------- DataLoader arguments
class _Stream(mud.IterableDataset):
    def __iter__(self):
        return iter(range(4))


BAD_ARGUMENTS: list[dict[str, Any]] = [
    {"num_workers": -1},
    {"timeout": -1},
    {"prefetch_factor": 2},
    {"num_workers": 1, "prefetch_factor": -1},
    {"persistent_workers": True},
    {"multiprocessing_context": "spawn"},
    {"num_workers": 1, "multiprocessing_context": "nope"},
    {"num_workers": 1, "multiprocessing_context": 3},
    {"shuffle": True, "sampler": [0, 1]},
    {"batch_sampler": [[0, 1]], "batch_size": 2},
    {"batch_sampler": [[0, 1]], "shuffle": True},
    {"batch_sampler": [[0, 1]], "sampler": [0]},
    {"batch_sampler": [[0, 1]], "drop_last": True},
    {"batch_size": None, "drop_last": True},
    {"batch_size": 0},
    {"iterable": True, "shuffle": True},
    {"iterable": True, "sampler": [0]},
    {"iterable": True, "batch_sampler": [[0]]},
]


@pytest.mark.parametrize("kwargs", BAD_ARGUMENTS, ids=lambda k: ",".join(k))
def test_dataloader_argument_errors_match_torch(kwargs):
    kwargs = dict(kwargs)
    iterable = kwargs.pop("iterable", False)
    torch_ds: Any = list(range(4))
    if iterable:

        class TorchStream(tud.IterableDataset):
            def __iter__(self):
                return iter(range(4))

        torch_ds = TorchStream()
    ours_ds = _Stream() if iterable else mud.TensorDataset(minigrad.arange(4))
    with pytest.raises(Exception) as theirs:
        tud.DataLoader(torch_ds, **kwargs)
    with pytest.raises(type(theirs.value)) as ours:
        mud.DataLoader(ours_ds, **kwargs)
    expected = str(theirs.value).replace("[[0, 1]]", "").replace("[0]", "")
    got = str(ours.value).replace("[[0, 1]]", "").replace("[0]", "")
    if "sampler=" not in expected:  # torch prints its sampler objects; compare the rest
        assert got == expected


def test_dataloader_attributes_and_frozen_options():
    ds = mud.TensorDataset(minigrad.arange(6))
    loader = mud.DataLoader(ds, batch_size=4, pin_memory=True)
    assert isinstance(loader.sampler, mud.SequentialSampler)
    assert isinstance(loader.batch_sampler, mud.BatchSampler)
    assert loader.collate_fn is mud.default_collate and loader.pin_memory
    assert mud.DataLoader(ds, batch_size=None).collate_fn is mud.default_convert
    assert isinstance(
        mud.DataLoader(ds, shuffle=True, generator=Generator()).sampler, mud.RandomSampler
    )
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader"):
        loader.batch_size = 3
    with pytest.raises(ValueError, match="timeout option needs num_workers > 0"):
        mud.DataLoader(ds, timeout=1)
    (x,) = next(iter(mud.DataLoader(ds, batch_size=6, pin_memory=True)))  # a documented no-op
    assert x.numpy().tolist() == list(range(6))


def test_shuffle_is_reproducible_with_generator_and_manual_seed():
    ds = mud.TensorDataset(minigrad.arange(20))

    def order(**kw: Any) -> list[int]:
        return [
            i
            for (b,) in mud.DataLoader(ds, batch_size=6, shuffle=True, **kw)
            for i in b.numpy().tolist()
        ]

    a = order(generator=Generator().manual_seed(4))
    assert a == order(generator=Generator().manual_seed(4)) and sorted(a) == list(range(20))
    assert a != order(generator=Generator().manual_seed(5))
    assert order(generator=np.random.default_rng(2)) == order(generator=np.random.default_rng(2))
    g = Generator().manual_seed(4)
    loader = mud.DataLoader(ds, batch_size=6, shuffle=True, generator=g)
    epochs = [[i for (b,) in loader for i in b.numpy().tolist()] for _ in range(2)]
    assert epochs[0] == a and epochs[1] != a  # the generator advances, as torch's
    minigrad.manual_seed(9)
    b = order()
    minigrad.manual_seed(9)
    assert order() == b
    with pytest.raises(TypeError, match="generator must be a minigrad Generator"):
        mud.DataLoader(ds, shuffle=True, generator=42)


def test_generator_seeding_methods():
    g = Generator().manual_seed(7)
    assert g.initial_seed() == 7 and g.device == "cpu"
    state = g.get_state()
    x = g.random(3)
    assert np.array_equal(g.set_state(state).random(3), x)
    assert g.seed() == g.initial_seed()
    with pytest.raises(RuntimeError, match="CPU only"):
        Generator("cuda")
