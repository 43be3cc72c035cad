"""Random sampling ops: seeding (global and generator=), distributions (moments of
large fixed-seed samples), support, shapes and dtypes as PyTorch's, zero gradients
as PyTorch's, and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad

SAMPLERS = {
    "multinomial": lambda g: minigrad.multinomial(minigrad.ones(2, 5), 3, generator=g),
    "multinomial_repl": lambda g: minigrad.multinomial(
        minigrad.ones(5), 7, replacement=True, generator=g
    ),
    "randperm": lambda g: minigrad.randperm(6, generator=g),
    "bernoulli": lambda g: minigrad.bernoulli(minigrad.full((4,), 0.5), generator=g),
    "normal": lambda g: minigrad.normal(minigrad.zeros(3), minigrad.ones(3), generator=g),
    "normal_size": lambda g: minigrad.normal(0.0, 1.0, size=(3,), generator=g),
    "poisson": lambda g: minigrad.poisson(minigrad.full((4,), 3.0), generator=g),
    "exponential_": lambda g: minigrad.empty(4).exponential_(generator=g),
    "geometric_": lambda g: minigrad.empty(4).geometric_(0.3, generator=g),
    "log_normal_": lambda g: minigrad.empty(4).log_normal_(generator=g),
    "cauchy_": lambda g: minigrad.empty(4).cauchy_(generator=g),
    "bernoulli_": lambda g: minigrad.empty(4).bernoulli_(0.5, generator=g),
    "uniform_": lambda g: minigrad.empty(4).uniform_(generator=g),
    "normal_": lambda g: minigrad.empty(4).normal_(generator=g),
    "random_": lambda g: minigrad.empty(4).random_(0, 100, generator=g),
}


def _s(*dims: int) -> str:
    """A regex for a shape as messages print it: ``(2, 3)`` or ``minigrad.Size([2, 3])``."""
    inner = ", ".join(str(d) for d in dims)
    return rf"(?:\({inner},?\)|(?:minigrad\.)?Size\(\[{inner}\]\))"


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_manual_seed_and_generators_reproduce(name: str) -> None:
    draw = SAMPLERS[name]
    minigrad.manual_seed(3)
    a = draw(None).numpy()
    minigrad.manual_seed(3)
    assert np.array_equal(draw(None).numpy(), a)
    for make in (lambda: minigrad.Generator().manual_seed(5), lambda: np.random.default_rng(5)):
        b, c = draw(make()).numpy(), draw(make()).numpy()
        assert np.array_equal(b, c)
    g = minigrad.Generator().manual_seed(5)
    assert not np.array_equal(draw(g).numpy(), draw(g).numpy()) or name == "multinomial"


def test_generator_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(TypeError, match="generator must be"):
        minigrad.randperm(3, generator=5)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 30), seed=st.integers(0, 2**32 - 1))
def test_randperm_is_a_permutation(n: int, seed: int) -> None:
    p = minigrad.randperm(n, generator=np.random.default_rng(seed))
    assert p.dtype == np.int64 and sorted(p.tolist()) == list(range(n))


@settings(max_examples=30, deadline=None)
@given(
    w=st.lists(st.floats(0.0, 5.0), min_size=1, max_size=8).filter(lambda w: sum(w) > 0),
    rows=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_multinomial_support(w: list[float], rows: int, seed: int, data: st.DataObject) -> None:
    weights = minigrad.tensor([w] * rows, dtype=minigrad.float64)
    k = len(w)
    n = data.draw(st.integers(1, k))
    g = np.random.default_rng(seed)
    out = minigrad.multinomial(weights, n, generator=g).numpy()
    assert out.shape == (rows, n) and out.dtype == np.int64
    for row in out:  # without replacement: distinct; zero weights only once the rest are used
        assert len(set(row.tolist())) == n
        positive = [i for i, x in enumerate(w) if x > 0]
        assert set(row[: min(n, len(positive))].tolist()) <= set(positive)
    out = minigrad.multinomial(weights, 20, replacement=True, generator=g).numpy()
    assert set(out.ravel().tolist()) <= {i for i, x in enumerate(w) if x > 0}


def test_multinomial_frequencies() -> None:
    g = minigrad.Generator().manual_seed(0)
    w = minigrad.tensor([1.0, 2.0, 7.0])
    out = minigrad.multinomial(w, 20000, replacement=True, generator=g).numpy()
    np.testing.assert_allclose(np.bincount(out, minlength=3) / 20000, [0.1, 0.2, 0.7], atol=0.015)
    first = minigrad.multinomial(w.expand(20000, 3), 1, generator=g).numpy()[:, 0]
    np.testing.assert_allclose(np.bincount(first, minlength=3) / 20000, [0.1, 0.2, 0.7], atol=0.015)


def _moments(x: minigrad.Tensor) -> tuple[float, float]:
    a = x.numpy().astype(np.float64)
    return float(a.mean()), float(a.var())


@pytest.mark.parametrize(
    ("draw", "mean", "var"),
    [
        (lambda: minigrad.bernoulli(minigrad.full((40000,), 0.3)), 0.3, 0.21),
        (lambda: minigrad.bernoulli(minigrad.zeros(40000), p=0.8), 0.8, 0.16),
        (lambda: minigrad.normal(minigrad.full((40000,), 2.0), 3.0), 2.0, 9.0),
        (lambda: minigrad.normal(-1.0, minigrad.full((40000,), 0.5)), -1.0, 0.25),
        (lambda: minigrad.normal(1.0, 2.0, size=(40000,)), 1.0, 4.0),
        (lambda: minigrad.poisson(minigrad.full((40000,), 4.0)), 4.0, 4.0),
        (lambda: minigrad.empty(40000).exponential_(2.0), 0.5, 0.25),
        (lambda: minigrad.empty(40000).geometric_(0.25), 4.0, 12.0),
        (lambda: minigrad.empty(40000).uniform_(-1.0, 3.0), 1.0, 16 / 12),
        (lambda: minigrad.empty(40000).normal_(3.0, 0.5), 3.0, 0.25),
        (lambda: minigrad.empty(40000).bernoulli_(0.25), 0.25, 0.1875),
        (lambda: minigrad.empty(40000).log_normal_(0.0, 0.25),
         np.exp(0.25**2 / 2), (np.exp(0.25**2) - 1) * np.exp(0.25**2)),
    ],
)  # fmt: skip
def test_moments(draw, mean: float, var: float) -> None:
    minigrad.manual_seed(0)
    m, v = _moments(draw())
    assert abs(m - mean) < 0.03 * max(1.0, abs(mean)) + 4 * np.sqrt(var / 40000)
    assert abs(v - var) < 0.06 * var


def test_cauchy_quartiles_and_random_range() -> None:
    minigrad.manual_seed(1)
    x = minigrad.empty(40000).cauchy_(1.0, 2.0).numpy()
    np.testing.assert_allclose(np.percentile(x, [25, 50, 75]), [-1.0, 1.0, 3.0], atol=0.1)
    r = minigrad.zeros(1000, dtype=minigrad.int64).random_(3, 7).numpy()
    assert set(r.tolist()) == {3, 4, 5, 6}
    assert set(minigrad.zeros(500).random_(4).numpy().tolist()) == {0.0, 1.0, 2.0, 3.0}


def test_shapes_and_dtypes_match_torch() -> None:
    torch = pytest.importorskip("torch")
    m64 = minigrad.zeros(2, 3, dtype=minigrad.float64)
    cases = [
        (
            minigrad.normal(m64, minigrad.ones(3)),
            torch.normal(torch.zeros(2, 3, dtype=torch.float64), torch.ones(3)),
        ),
        (minigrad.normal(0.0, 1.0, size=(4,)), torch.normal(0.0, 1.0, size=(4,))),
        (minigrad.bernoulli(m64), torch.bernoulli(torch.zeros(2, 3, dtype=torch.float64))),
        (minigrad.poisson(minigrad.ones(2)), torch.poisson(torch.ones(2))),
        (minigrad.multinomial(minigrad.ones(2, 4), 3), torch.multinomial(torch.ones(2, 4), 3)),
        (minigrad.randperm(5), torch.randperm(5)),
        (minigrad.randperm(5, dtype=minigrad.float32), torch.randperm(5, dtype=torch.float32)),
    ]
    for m, t in cases:
        assert m.shape == tuple(t.shape) and m.dtype == t.numpy().dtype


def test_gradients_are_zero_as_torch() -> None:
    mean = minigrad.zeros(3, requires_grad=True)
    std = minigrad.ones(3, requires_grad=True)
    minigrad.normal(mean, std).sum().backward()
    assert np.array_equal(mean.grad.numpy(), np.zeros(3))
    assert np.array_equal(std.grad.numpy(), np.zeros(3))
    p = minigrad.full((3,), 0.5, requires_grad=True)
    minigrad.bernoulli(p).sum().backward()
    assert np.array_equal(p.grad.numpy(), np.zeros(3))


def test_inplace_samplers_refuse_leaves_that_require_grad() -> None:
    w = minigrad.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        w.normal_()
    with minigrad.no_grad():
        w.uniform_()
    assert (w.numpy() >= 0).all() and w.requires_grad


def test_inplace_sampler_writes_through_a_view() -> None:
    x = minigrad.zeros(2, 3)
    x[0].fill_(0.0)
    x[1].normal_(5.0, 0.0)
    assert np.array_equal(x.numpy(), [[0, 0, 0], [5, 5, 5]])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: minigrad.multinomial(minigrad.ones(3), 4),
            RuntimeError,
            r"n_sample > .*\(4 > 3\)",
        ),
        (
            lambda: minigrad.multinomial(minigrad.tensor([1.0, -1.0]), 1),
            RuntimeError,
            "element < 0",
        ),
        (lambda: minigrad.multinomial(minigrad.zeros(3), 1), RuntimeError, "sum of probabilities"),
        (
            lambda: minigrad.multinomial(minigrad.ones(2, 2, 2), 1),
            RuntimeError,
            r"1 or 2 dim.*" + _s(2, 2, 2),
        ),
        (lambda: minigrad.multinomial(minigrad.tensor([1, 2]), 1), RuntimeError, "floating-point"),
        (lambda: minigrad.bernoulli(minigrad.tensor([1.5])), RuntimeError, r"\[0, 1\]"),
        (
            lambda: minigrad.normal(minigrad.zeros(2, 3), minigrad.ones(4)),
            RuntimeError,
            r"\(2, 3\).*\(4,\)",
        ),
        (lambda: minigrad.normal(0.0, -1.0, size=(2,)), RuntimeError, "std >= 0"),
        (lambda: minigrad.normal(0.0, 1.0), TypeError, "size is required"),
        (lambda: minigrad.poisson(minigrad.tensor([-1.0])), RuntimeError, "non-negative"),
        (lambda: minigrad.randperm(-1), RuntimeError, "non-negative"),
        (lambda: minigrad.empty(2).exponential_(0.0), RuntimeError, "lambda > 0"),
        (lambda: minigrad.empty(2).geometric_(0.0), RuntimeError, r"\(0, 1\]"),
        (lambda: minigrad.empty(2).uniform_(2.0, 1.0), RuntimeError, "from <= to"),
        (lambda: minigrad.zeros(2, dtype=minigrad.int64).exponential_(), RuntimeError, "floating"),
    ],
)
def test_errors(call, error, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
