"""nn.utils: gradient clipping and parameter vectors, against PyTorch."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import nn
from minigrad.nn.utils import (
    clip_grad_norm_,
    clip_grad_value_,
    parameters_to_vector,
    vector_to_parameters,
)

grad_sets = st.lists(
    st.tuples(st.integers(1, 4), st.integers(1, 3), st.floats(0.01, 100.0)), min_size=1, max_size=4
)


def make(spec: list[tuple[int, int, float]], seed: int = 0) -> list[np.ndarray]:
    gen = np.random.default_rng(seed)
    return [gen.standard_normal((a, b)) * s for a, b, s in spec]


@given(
    spec=grad_sets,
    max_norm=st.floats(0.01, 50.0),
    norm_type=st.sampled_from([1.0, 2.0, 3.0, float("inf")]),
)
def test_clip_grad_norm_matches_torch(
    torch: Any, spec: list[tuple[int, int, float]], max_norm: float, norm_type: float
) -> None:
    grads = make(spec)
    ours = [minigrad.zeros(*g.shape, dtype=minigrad.float64, requires_grad=True) for g in grads]
    theirs = [torch.zeros(*g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, q, g in zip(ours, theirs, grads):
        p.grad = minigrad.tensor(g)
        q.grad = torch.tensor(g)
    total = clip_grad_norm_(ours, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    np.testing.assert_allclose(total.item(), expected.item(), rtol=1e-9)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-9)


def test_clip_grad_norm_details() -> None:
    w = minigrad.zeros(2, requires_grad=True)
    unused = minigrad.zeros(2, requires_grad=True)  # no grad: skipped
    w.grad = minigrad.tensor([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        clip_grad_norm_([w, unused], 1.0, error_if_nonfinite=True)
    w.grad = minigrad.tensor([0.3, 0.4])
    grad_array = w.grad.numpy()
    assert clip_grad_norm_(w, 1.0).item() == pytest.approx(0.5)
    assert w.grad.tolist() == pytest.approx([0.3, 0.4])  # under the limit: unchanged
    clip_grad_norm_(w, 0.1)
    assert w.grad.numpy() is grad_array  # scaled in place
    assert clip_grad_norm_([unused], 1.0).item() == 0.0


@given(spec=grad_sets, clip=st.floats(0.01, 10.0))
def test_clip_grad_value_matches_torch(torch: Any, spec: list[Any], clip: float) -> None:
    grads = make(spec, seed=1)
    ours = [minigrad.zeros(*g.shape, dtype=minigrad.float64, requires_grad=True) for g in grads]
    for p, g in zip(ours, grads):
        p.grad = minigrad.tensor(g)
    theirs = [torch.zeros(*g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for q, g in zip(theirs, grads):
        q.grad = torch.tensor(g)
    clip_grad_value_(ours, clip)
    torch.nn.utils.clip_grad_value_(theirs, clip)
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())


def test_parameter_vector_round_trip_and_gradient() -> None:
    net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    vec = parameters_to_vector(net.parameters())
    assert vec.shape == (sum(p.numel() for p in net.parameters()),)
    (vec * vec).sum().backward()  # differentiable
    for p in net.parameters():
        np.testing.assert_allclose(p.grad.numpy(), 2 * p.numpy())
    new = minigrad.arange(float(vec.shape[0]))
    vector_to_parameters(new, net.parameters())
    np.testing.assert_array_equal(parameters_to_vector(net.parameters()).numpy(), new.numpy())
    with pytest.raises(ValueError, match="elements"):
        vector_to_parameters(minigrad.zeros(3), net.parameters())
    with pytest.raises(TypeError, match="Tensor"):
        vector_to_parameters(np.zeros(3), net.parameters())


def test_signatures_are_pytorchs(torch: Any) -> None:
    import inspect

    for name in ("clip_grad_norm_", "clip_grad_value_", "parameters_to_vector",
                 "vector_to_parameters"):  # fmt: skip
        ours = inspect.signature(getattr(nn.utils, name)).parameters
        theirs = inspect.signature(getattr(torch.nn.utils, name)).parameters
        assert list(ours) == list(theirs), name
        assert [p.default for p in ours.values()] == [p.default for p in theirs.values()], name


def test_vector_round_trip_matches_torch_layout(torch: Any) -> None:
    """Same parameters, same order: the same flat vector as torch's, and back."""
    ours = nn.Linear(4, 3)
    theirs = torch.nn.Linear(4, 3).double()
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.numpy()))
        theirs.bias.copy_(torch.tensor(ours.bias.numpy()))
    np.testing.assert_allclose(
        parameters_to_vector(ours.parameters()).numpy(),
        torch.nn.utils.parameters_to_vector(theirs.parameters()).detach().numpy(),
        rtol=1e-6,
    )
    vec = np.arange(15.0)
    vector_to_parameters(minigrad.tensor(vec), ours.parameters())
    torch.nn.utils.vector_to_parameters(torch.tensor(vec), theirs.parameters())
    np.testing.assert_array_equal(ours.weight.numpy(), theirs.weight.detach().numpy())
    np.testing.assert_array_equal(ours.bias.numpy(), theirs.bias.detach().numpy())
