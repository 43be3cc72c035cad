"""nn.functional: linear, activations, softmax, dropout and pad, against numerical
gradients (first and second order), plain formulas and PyTorch."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad.nn import functional as F
from minigrad.ops.math import _erf
from minigrad.testing import gradcheck, gradgradcheck

_BASE = settings().max_examples


def examples(n: int) -> settings:
    return settings(max_examples=max(3, _BASE * n // 25))


def away_from_zero(shape: tuple[int, ...], seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal(shape)
    return np.where(np.abs(x) < 0.05, 0.3, x)  # kinks at 0 break central differences


# --------------------------------------------------------------------------- linear


@examples(20)
@given(
    batch=st.sampled_from([(), (3,), (2, 3)]),
    features=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_linear(torch: Any, batch: Any, features: Any, bias: bool, seed: int) -> None:
    rng = np.random.default_rng(seed)
    fin, fout = features
    x, w = rng.standard_normal((*batch, fin)), rng.standard_normal((fout, fin))
    b = rng.standard_normal(fout) if bias else None
    mx, mw = minigrad.tensor(x, requires_grad=True), minigrad.tensor(w, requires_grad=True)
    mb = None if b is None else minigrad.tensor(b, requires_grad=True)
    out = F.linear(mx, mw, mb)
    np.testing.assert_allclose(out.numpy(), x @ w.T + (0 if b is None else b), rtol=1e-12)
    tx, tw = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    tb = None if b is None else torch.tensor(b, requires_grad=True)
    tout = torch.nn.functional.linear(tx, tw, tb)
    g = rng.standard_normal(out.shape)
    out.backward(minigrad.tensor(g))
    tout.backward(torch.tensor(g))
    for m, t in ((mx, tx), (mw, tw), (mb, tb)):
        if m is not None:
            np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=1e-12)
    inputs = [minigrad.tensor(a, requires_grad=True) for a in (x, w, b) if a is not None]
    assert gradcheck(F.linear, inputs)
    assert gradgradcheck(F.linear, inputs)


def test_linear_errors_name_both_sides() -> None:
    with pytest.raises(
        RuntimeError,
        match=r"input has 3 features \(shape \(2, 3\)\) but weight expects 4 "
        r"\(weight shape \(5, 4\)\)",
    ):
        F.linear(minigrad.ones(2, 3), minigrad.ones(5, 4))
    with pytest.raises(
        RuntimeError, match=r"bias has shape \(4,\) but weight has 5 output features"
    ):
        F.linear(minigrad.ones(2, 4), minigrad.ones(5, 4), minigrad.ones(4))


# --------------------------------------------------------------------------- activations


def torch_gelu_tanh(torch: Any, t: Any) -> Any:
    return torch.nn.functional.gelu(t, approximate="tanh")


ACTIVATIONS = {
    "relu": (F.relu, lambda torch, t: torch.relu(t)),
    "leaky_relu": (
        lambda t: F.leaky_relu(t, 0.1),
        lambda torch, t: torch.nn.functional.leaky_relu(t, 0.1),
    ),
    "gelu": (F.gelu, lambda torch, t: torch.nn.functional.gelu(t)),
    "gelu_tanh": (lambda t: F.gelu(t, approximate="tanh"), torch_gelu_tanh),
    "sigmoid": (F.sigmoid, lambda torch, t: torch.sigmoid(t)),
    "tanh": (F.tanh, lambda torch, t: torch.tanh(t)),
    "softmax": (lambda t: F.softmax(t, dim=-1), lambda torch, t: torch.softmax(t, dim=-1)),
    "log_softmax": (
        lambda t: F.log_softmax(t, dim=-1),
        lambda torch, t: torch.log_softmax(t, dim=-1),
    ),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@examples(10)
@given(shape=st.sampled_from([(4,), (2, 3), (2, 1, 3)]), seed=st.integers(0, 2**16))
def test_activation(torch: Any, name: str, shape: Any, seed: int) -> None:
    ours, theirs = ACTIVATIONS[name]
    x = away_from_zero(shape, seed) * 2
    mx, tx = minigrad.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, tout = ours(mx), theirs(torch, tx)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-12, atol=1e-14)
    g = np.random.default_rng(1).standard_normal(shape)
    out.backward(minigrad.tensor(g))
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(mx.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    assert gradcheck(ours, (minigrad.tensor(x, requires_grad=True),))
    assert gradgradcheck(ours, (minigrad.tensor(x, requires_grad=True),))


def test_erf_matches_math_erf() -> None:
    x = np.concatenate([np.linspace(-7, 7, 2001), [0.0, -0.0, 0.46875, 4.0, 30.0, -30.0]])
    ref = np.array([math.erf(v) for v in x])
    np.testing.assert_allclose(_erf(x), ref, rtol=2e-15, atol=1e-16)


def test_gelu_float32_and_bad_approximate() -> None:
    assert F.gelu(minigrad.randn(3)).dtype == np.float32
    with pytest.raises(ValueError, match=r"approximate must be 'none' or 'tanh', got 'fast'"):
        F.gelu(minigrad.randn(3), approximate="fast")


def test_softmax_default_dim_follows_pytorch(torch: Any) -> None:
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    with pytest.warns(UserWarning):
        ref = torch.nn.functional.softmax(torch.tensor(x), dim=None)
    np.testing.assert_allclose(F.softmax(minigrad.tensor(x)).numpy(), ref.numpy(), rtol=1e-12)


# --------------------------------------------------------------------------- dropout and pad


@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 0.9, 1.0])
def test_dropout_mask_scale_and_gradient(p: float) -> None:
    x = minigrad.ones(20000, dtype=minigrad.float64, requires_grad=True)
    y = F.dropout(x, p=p)
    values = y.numpy()
    kept = values != 0
    if p < 1:
        np.testing.assert_allclose(values[kept], 1 / (1 - p))
    assert abs(kept.mean() - (1 - p)) < 0.02
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), values)  # the gradient is the same mask


def test_dropout_is_seeded_and_off_in_eval() -> None:
    minigrad.manual_seed(3)
    a = F.dropout(minigrad.ones(50)).numpy()
    minigrad.manual_seed(3)
    b = F.dropout(minigrad.ones(50)).numpy()
    np.testing.assert_array_equal(a, b)
    x = minigrad.randn(5)
    assert F.dropout(x, training=False) is x
    with pytest.raises(ValueError, match=r"p must be a probability in \[0, 1\], got 1.5"):
        F.dropout(x, p=1.5)


def test_dropout_gradchecks() -> None:
    x = minigrad.randn(3, 4, dtype=minigrad.float64, requires_grad=True)

    def fn(t: Any) -> Any:
        minigrad.manual_seed(0)  # the same mask at every evaluation
        return F.dropout(t, p=0.3)

    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))


def test_pad(torch: Any) -> None:
    x = np.random.default_rng(0).standard_normal((1, 2, 3, 3))
    for pads, value in (((1, 1), 0.0), ((1, 0, 2, 1), 0.5)):
        out = F.pad(minigrad.tensor(x), pads, value=value)
        ref = torch.nn.functional.pad(torch.tensor(x), pads, value=value)
        np.testing.assert_array_equal(out.numpy(), ref.numpy())


@pytest.mark.parametrize("shape", [(64, 400, 120), (67, 300, 100), (5, 3000, 90), (7, 3, 5)])
def test_matmul_in_single_threaded_blocks(shape: Any) -> None:
    """Medium products are cut into row blocks (with a remainder); the result is the same."""
    from minigrad.ops._blas import matmul2d

    M, K, N = shape
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((M, K)), rng.standard_normal((K, N))
    np.testing.assert_allclose(matmul2d(a, b), a @ b, rtol=1e-12)
    np.testing.assert_allclose(matmul2d(b.T, a.T), (a @ b).T, rtol=1e-12)  # transposed views


def test_linear_large_matches_torch(torch: Any) -> None:
    rng = np.random.default_rng(0)
    x, w, b = (
        rng.standard_normal((64, 400)),
        rng.standard_normal((120, 400)),
        rng.standard_normal(120),
    )
    mx, mw, mb = (minigrad.tensor(a, requires_grad=True) for a in (x, w, b))
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out, tout = F.linear(mx, mw, mb), torch.nn.functional.linear(tx, tw, tb)
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-10)
    g = rng.standard_normal(out.shape)
    out.backward(minigrad.tensor(g))
    tout.backward(torch.tensor(g))
    for m, t in ((mx, tx), (mw, tw), (mb, tb)):
        np.testing.assert_allclose(m.grad.numpy(), t.grad.numpy(), rtol=1e-10)
