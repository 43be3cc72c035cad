"""nn.init: PyTorch's formulas, reproducible through minigrad.manual_seed; default layer init."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad import nn
from minigrad.nn import init

shapes = st.lists(st.integers(1, 6), min_size=2, max_size=4).map(tuple)


@given(shape=shapes)
def test_fans_match_torch(shape: tuple[int, ...], torch: Any) -> None:
    ours = init._calculate_fan_in_and_fan_out(minigrad.empty(*shape))
    theirs = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
    assert ours == theirs


def test_gains_match_torch(torch: Any) -> None:
    names = ["linear", "conv2d", "conv_transpose2d", "sigmoid", "tanh", "relu", "selu"]
    for name in names:
        assert init.calculate_gain(name) == pytest.approx(torch.nn.init.calculate_gain(name))
    for slope in (None, 0.0, 0.2, math.sqrt(5)):
        assert init.calculate_gain("leaky_relu", slope) == pytest.approx(
            torch.nn.init.calculate_gain("leaky_relu", slope)
        )
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", True)


def test_fewer_than_two_dims_and_empty_tensors() -> None:
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(minigrad.empty(3))
    with pytest.warns(UserWarning, match="zero-element"):
        init.kaiming_uniform_(minigrad.empty(0, 3))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_normal_(minigrad.empty(2, 2), mode="fan_avg")


INITS = [
    ("uniform_", {"a": -0.5, "b": 2.0}),
    ("normal_", {"mean": 1.0, "std": 0.3}),
    ("xavier_uniform_", {"gain": 2.0}),
    ("xavier_normal_", {}),
    ("kaiming_uniform_", {"a": math.sqrt(5)}),
    ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", {"nonlinearity": "tanh"}),
]


@pytest.mark.parametrize(("name", "kwargs"), INITS)
def test_seeded_reproducible_and_in_place(name: str, kwargs: dict[str, Any]) -> None:
    fn = getattr(init, name)
    w = minigrad.empty(20, 30)
    minigrad.manual_seed(7)
    out = fn(w, **kwargs)
    assert out is w
    first = w.numpy().copy()
    minigrad.manual_seed(7)
    fn(w, **kwargs)
    np.testing.assert_array_equal(w.numpy(), first)
    fn(w, **kwargs)
    assert not np.array_equal(w.numpy(), first)  # the stream moves on
    gen = np.random.default_rng(3)
    a = fn(minigrad.empty(4, 5), generator=np.random.default_rng(3), **kwargs).numpy()
    b = fn(minigrad.empty(4, 5), generator=gen, **kwargs).numpy()
    np.testing.assert_array_equal(a, b)  # an explicit generator is honoured


@pytest.mark.parametrize(("name", "kwargs"), INITS)
def test_distribution_matches_torch(name: str, kwargs: dict[str, Any], torch: Any) -> None:
    """Same family, same scale as PyTorch's: bounds, mean and standard deviation."""
    shape = (200, 300)
    torch.manual_seed(0)
    ours = getattr(init, name)(minigrad.empty(*shape), **kwargs).numpy().astype(np.float64)
    theirs = getattr(torch.nn.init, name)(torch.empty(*shape), **kwargs).numpy().astype(np.float64)
    assert ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours.mean(), theirs.mean(), atol=0.03 * theirs.std() + 1e-3)
    np.testing.assert_allclose(ours.std(), theirs.std(), rtol=0.02)
    if "uniform" in name:
        np.testing.assert_allclose([ours.min(), ours.max()], [theirs.min(), theirs.max()],
                                   rtol=0.01, atol=1e-3)  # fmt: skip


def test_constants_and_dtype_preserved() -> None:
    w = minigrad.empty(2, 3, dtype=minigrad.float64)
    assert init.constant_(w, 0.25).numpy().tolist() == [[0.25] * 3] * 2
    assert init.zeros_(w).numpy().sum() == 0
    assert init.ones_(w).numpy().sum() == 6
    assert init.normal_(w).dtype == np.float64


def test_init_on_parameters_records_nothing() -> None:
    lin = nn.Linear(3, 2)
    init.normal_(lin.weight)
    assert lin.weight.is_leaf and lin.weight.requires_grad and lin.weight.grad_fn is None


@settings(max_examples=10)
@given(
    layer=st.sampled_from(["linear", "conv", "conv_t"]),
    cin=st.integers(1, 8),
    cout=st.integers(1, 8),
    k=st.integers(1, 4),
)
def test_default_layer_init_is_pytorchs(layer: str, cin: int, cout: int, k: int) -> None:
    """Linear, Conv2d, ConvTranspose2d: weights and bias uniform within ±1/sqrt(fan_in)
    (Kaiming-uniform with a=sqrt(5)), fan_in computed from the weight as PyTorch does."""
    builders = {
        "linear": (lambda: nn.Linear(cin * k, cout), cin * k),
        "conv": (lambda: nn.Conv2d(cin, cout, k), cin * k * k),
        "conv_t": (lambda: nn.ConvTranspose2d(cin, cout, k), cout * k * k),
    }
    build, fan_in = builders[layer]
    minigrad.manual_seed(1)
    m = build()
    bound = 1 / math.sqrt(fan_in)
    for p in (m.weight, m.bias):
        assert np.abs(p.numpy()).max() <= bound * (1 + 1e-6)
    minigrad.manual_seed(1)
    np.testing.assert_array_equal(build().weight.numpy(), m.weight.numpy())  # seeded


def test_default_init_spread_matches_torch(torch: Any) -> None:
    """Weights (many elements): same spread as PyTorch's; biases: the same bound."""
    torch.manual_seed(0)
    for ours, theirs in [
        (nn.Linear(100, 200), torch.nn.Linear(100, 200)),
        (nn.Conv2d(16, 32, 3), torch.nn.Conv2d(16, 32, 3)),
        (nn.ConvTranspose2d(16, 32, 3), torch.nn.ConvTranspose2d(16, 32, 3)),
    ]:
        w, tw = ours.weight.numpy(), theirs.weight.detach().numpy()
        np.testing.assert_allclose(w.std(), tw.std(), rtol=0.05)
        np.testing.assert_allclose(np.abs(w).max(), np.abs(tw).max(), rtol=0.01)
        bound = 1 / math.sqrt(init._calculate_fan_in_and_fan_out(ours.weight)[0])
        assert np.abs(ours.bias.numpy()).max() <= bound
        assert np.abs(theirs.bias.detach().numpy()).max() <= bound
