"""Activation modules against PyTorch's (float64 forward and input gradients), their
signatures, reprs, in-place behaviour and PReLU's parameter."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import minigrad
from minigrad import nn
from minigrad.nn import functional as F

CASES = [
    ("SiLU", {}), ("Mish", {}), ("ELU", {"alpha": 0.5}), ("SELU", {}), ("CELU", {"alpha": 2.0}),
    ("Hardtanh", {"min_val": -2.0, "max_val": 0.5}), ("ReLU6", {}), ("Hardswish", {}),
    ("Hardsigmoid", {}), ("LogSigmoid", {}), ("Softsign", {}), ("Softmin", {"dim": 1}),
    ("Softplus", {"beta": 2.0, "threshold": 3.0}), ("GLU", {"dim": 1}), ("Tanhshrink", {}),
    ("Threshold", {"threshold": 0.3, "value": -5.0}), ("ReLU", {}),
    ("LeakyReLU", {"negative_slope": 0.2}), ("GELU", {"approximate": "tanh"}), ("GELU", {}),
    ("Sigmoid", {}), ("Tanh", {}), ("Softmax", {"dim": 0}), ("LogSoftmax", {"dim": 1}),
]  # fmt: skip


def _input() -> np.ndarray:
    # away from every kink (0, ±1, ±3, 0.3, 0.5, 6)
    rng = np.random.default_rng(0)
    x = rng.uniform(-5, 7, size=(3, 4))
    return x + 0.05 * (np.abs(x - np.round(x)) < 0.05)


@pytest.mark.parametrize(("name", "kwargs"), CASES, ids=[f"{n}{k or ''}" for n, k in CASES])
def test_module_matches_torch(torch, name: str, kwargs: dict) -> None:
    x = _input()
    ours = getattr(nn, name)(**kwargs)
    theirs = getattr(torch.nn, name)(**kwargs)
    xm = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    ym, yt = ours(xm), theirs(xt)
    np.testing.assert_allclose(ym.numpy(), yt.detach().numpy(), rtol=1e-12, atol=1e-14)
    up = np.random.default_rng(1).standard_normal(ym.shape)
    ym.backward(minigrad.tensor(up, dtype=minigrad.float64))
    yt.backward(torch.tensor(up))
    np.testing.assert_allclose(xm.grad.numpy(), xt.grad.numpy(), rtol=1e-7, atol=1e-12)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", sorted({n for n, _ in CASES}))
def test_constructor_signature_is_torchs(torch, name: str) -> None:
    ours = inspect.signature(getattr(nn, name).__init__).parameters
    theirs = inspect.signature(getattr(torch.nn, name).__init__).parameters
    assert [(p.name, p.default) for p in ours.values()] == [
        (p.name, p.default) for p in theirs.values()
    ]


@pytest.mark.parametrize("num_parameters", [1, 3])
def test_prelu_matches_torch_with_parameter_gradient(torch, num_parameters: int) -> None:
    x = np.random.default_rng(2).uniform(-2, 2, size=(2, 3, 4))
    ours = nn.PReLU(num_parameters, init=0.1).to(minigrad.float64)
    theirs = torch.nn.PReLU(num_parameters, init=0.1).double()
    ours.load_state_dict({"weight": minigrad.tensor(np.linspace(0.1, 0.3, num_parameters))})
    theirs.load_state_dict({"weight": torch.tensor(np.linspace(0.1, 0.3, num_parameters))})
    xm = minigrad.tensor(x, dtype=minigrad.float64, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    ours(xm).sum().backward()
    theirs(xt).sum().backward()
    np.testing.assert_allclose(xm.grad.numpy(), xt.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-12)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    with pytest.raises(RuntimeError, match="channel size"):
        nn.PReLU(5)(minigrad.zeros(2, 3))


@pytest.mark.parametrize(
    "fn",
    [F.relu, F.elu, F.selu, F.celu, F.hardtanh, F.relu6, F.hardswish, F.hardsigmoid, F.silu,
     F.mish, F.leaky_relu, lambda x, inplace: F.threshold(x, 0.1, 2.0, inplace=inplace)],
)  # fmt: skip
def test_inplace_writes_into_the_input_and_keeps_gradients(fn) -> None:
    base = minigrad.tensor([-1.5, 0.5, 2.0], dtype=minigrad.float64, requires_grad=True)
    expected = fn(base, inplace=False)
    h = base * 1.0
    out = fn(h, inplace=True)
    assert out is h
    np.testing.assert_allclose(h.numpy(), expected.numpy())
    (out * out).sum().backward()
    g_inplace = base.grad.numpy().copy()
    base.grad = None
    (expected * expected).sum().backward()
    np.testing.assert_allclose(g_inplace, base.grad.numpy())


def test_bad_arguments_raise() -> None:
    with pytest.raises(RuntimeError, match="Halving dimension must be even"):
        F.glu(minigrad.zeros(2, 3))
    with pytest.raises(ValueError, match="max_val"):
        nn.Hardtanh(1.0, -1.0)
    with pytest.raises(ValueError, match="approximate"):
        F.gelu(minigrad.zeros(2), approximate="erf")
    with pytest.warns(UserWarning, match="Implicit dimension"):
        F.softmin(minigrad.zeros(2, 2))
