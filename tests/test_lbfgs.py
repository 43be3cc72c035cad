"""LBFGS: trajectories against PyTorch (fixed step and strong-Wolfe line search), closures,
checkpoints."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import optim

SHAPES = [(2, 3), (4,)]
N = 10  # numbers in all


def log_cosh_problem(seed=0):
    """A smooth convex, non-quadratic loss of a flat vector: sum log cosh(Ax - b) + |x|^2 / 20."""
    rng = np.random.default_rng(seed)
    A, b = rng.standard_normal((15, N)), rng.standard_normal(15)

    def f(x):
        r = A @ x - b
        return float(np.sum(np.logaddexp(r, -r) - np.log(2)) + 0.05 * x @ x), A.T @ np.tanh(
            r
        ) + 0.1 * x

    return f, rng.standard_normal(N) * 2


def rosenbrock(x):
    """The extended Rosenbrock function, a curved valley with its minimum at all ones."""
    value = 100 * np.sum((x[1:] - x[:-1] ** 2) ** 2) + np.sum((1 - x[:-1]) ** 2)
    grad = np.zeros_like(x)
    grad[1:] += 200 * (x[1:] - x[:-1] ** 2)
    grad[:-1] += -400 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2 * (1 - x[:-1])
    return float(value), grad


class Run:
    """Parameters of the given shapes (together a flat vector ``x0``), an optimizer and a
    closure computing ``f`` in NumPy, for minigrad (``lib=None``) or torch."""

    def __init__(self, f, x0, kwargs, lib=None, dtype=np.float64, shapes=SHAPES):
        self.lib, self.f, self.losses = lib, f, []
        self.splits = np.cumsum([int(np.prod(s)) for s in shapes])[:-1]
        pieces = np.split(np.asarray(x0, dtype=dtype), self.splits)
        if lib is None:
            self.params = [
                minigrad.tensor(v.reshape(s), requires_grad=True) for v, s in zip(pieces, shapes)
            ]
            self.opt = optim.LBFGS(self.params, **kwargs)
        else:
            self.params = [
                lib.tensor(v.reshape(s), requires_grad=True) for v, s in zip(pieces, shapes)
            ]
            self.opt = lib.optim.LBFGS(self.params, **kwargs)

    def flat(self):
        arrays = [p.numpy() if self.lib is None else p.detach().numpy() for p in self.params]
        return np.concatenate([a.reshape(-1) for a in arrays])

    def closure(self):
        value, grad = self.f(self.flat())
        for p, g in zip(self.params, np.split(grad.astype(self.flat().dtype), self.splits)):
            g = g.reshape(p.shape)
            p.grad = minigrad.tensor(g) if self.lib is None else self.lib.from_numpy(g)
        return minigrad.tensor(value) if self.lib is None else self.lib.tensor(value)

    def steps(self, n):
        out = []
        for _ in range(n):
            self.losses.append(float(self.opt.step(self.closure)))
            out.append(self.flat())
        return np.array(out)

    def counters(self):
        state = self.opt.state[self.params[0]]
        return state["func_evals"], state["n_iter"]


CONFIGS = [
    dict(line_search_fn=ls, max_iter=mi, history_size=hs, lr=lr)
    for ls, mi, hs, lr in itertools.product([None, "strong_wolfe"], [1, 4, 20], [3, 10], [1.0, 0.3])
] + [
    dict(line_search_fn="strong_wolfe", max_eval=6, tolerance_change=1e-4),
    dict(tolerance_grad=1e-3, max_iter=5),
    dict(),  # the defaults
]


@pytest.mark.torch
@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_matches_pytorch_on_a_convex_problem(kwargs, torch):
    f, x0 = log_cosh_problem()
    ours, theirs = Run(f, x0, kwargs), Run(f, x0, kwargs, lib=torch)
    np.testing.assert_allclose(ours.steps(100), theirs.steps(100), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(ours.losses, theirs.losses, rtol=1e-9, atol=1e-9)
    assert ours.counters() == theirs.counters()


@pytest.mark.torch
@pytest.mark.parametrize("history_size", [3, 100])
@pytest.mark.parametrize("max_iter", [1, 4, 20])
@pytest.mark.parametrize("seed", [0, 1])
def test_strong_wolfe_matches_pytorch_on_rosenbrock(seed, max_iter, history_size, torch):
    """The line search's bracketing and zoom branches all run along a curved valley."""
    x0 = np.random.default_rng(seed).standard_normal(4)
    kwargs = dict(line_search_fn="strong_wolfe", max_iter=max_iter, history_size=history_size)
    shapes = [(1, 1), (3,)]
    ours = Run(rosenbrock, x0, kwargs, shapes=shapes)
    theirs = Run(rosenbrock, x0, kwargs, lib=torch, shapes=shapes)
    np.testing.assert_allclose(ours.steps(100), theirs.steps(100), rtol=1e-9, atol=1e-12)
    assert ours.counters() == theirs.counters()
    if max_iter > 1:
        assert np.abs(ours.flat() - 1).max() < 1e-4


@given(seed=st.integers(0, 2**16), scale=st.floats(0.1, 2.0))
def test_strong_wolfe_finds_rosenbrocks_minimum(seed, scale):
    """In two dimensions Rosenbrock's valley has one minimum, at (1, 1)."""
    x0 = 1 + scale * np.random.default_rng(seed).standard_normal(2)
    run = Run(rosenbrock, x0, dict(line_search_fn="strong_wolfe"), shapes=[(1,), (1,)])
    run.steps(5)
    assert np.abs(run.flat() - 1).max() < 1e-4
    assert run.losses == sorted(run.losses, reverse=True)  # never uphill between steps


@pytest.mark.parametrize("via_file", [False, True])
@pytest.mark.parametrize(
    "kwargs",
    [dict(max_iter=3, history_size=2), dict(line_search_fn="strong_wolfe", max_iter=2)],
    ids=str,
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_state_dict_resumes_bit_for_bit(kwargs, dtype, via_file, tmp_path):
    f, x0 = log_cosh_problem(3)
    straight = Run(f, x0, kwargs, dtype=dtype).steps(12)

    first = Run(f, x0, kwargs, dtype=dtype)
    first.steps(5)
    checkpoint = copy.deepcopy(first.opt.state_dict())
    assert checkpoint["state"][0]["n_iter"] > 0 and len(checkpoint["state"][0]["old_dirs"]) > 0
    if via_file:
        minigrad.save(checkpoint, tmp_path / "lbfgs.npz")
        checkpoint = minigrad.load(tmp_path / "lbfgs.npz")
    resumed = Run(f, first.flat(), dict(lr=0.5), dtype=dtype)  # other options: the checkpoint wins
    resumed.opt.load_state_dict(checkpoint)
    rest = resumed.steps(7)
    assert rest.dtype == dtype and np.array_equal(rest[-1], straight[-1])


def test_closure_is_required_and_runs_with_grad_enabled():
    w = minigrad.tensor([2.0, -1.0], requires_grad=True)
    opt = optim.LBFGS([w])
    with pytest.raises(TypeError, match="needs a closure"):
        opt.step()
    calls = []

    def closure():
        calls.append(minigrad.is_grad_enabled())
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with minigrad.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 5.0 and all(calls) and len(calls) == opt.state[w]["func_evals"]
    assert np.abs(w.numpy()).max() < 1e-6 and w.grad is not None


def test_converged_start_returns_at_once():
    w = minigrad.zeros(3, requires_grad=True)
    opt = optim.LBFGS([w])

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    assert opt.state[w] == {"func_evals": 1, "n_iter": 0} and np.array_equal(w.numpy(), np.zeros(3))


def test_a_parameter_without_grad_counts_as_zero():
    a, b = minigrad.tensor([3.0], requires_grad=True), minigrad.tensor([5.0], requires_grad=True)
    opt = optim.LBFGS([a, b])

    def closure():
        opt.zero_grad()
        loss = (a * a).sum()  # b is unused
        loss.backward()
        return loss

    opt.step(closure)
    assert b.item() == 5.0 and abs(a.item()) < 1e-6


def test_errors():
    w = minigrad.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="parameter groups"):
        optim.LBFGS([{"params": [w]}, {"params": [minigrad.ones(1, requires_grad=True)]}])
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.LBFGS([w], lr=-1)
    opt = optim.LBFGS([w], max_iter=4)
    assert opt.defaults["max_eval"] == 5  # max_iter * 5 // 4, as PyTorch
    sd = opt.state_dict()
    sd["state"] = {0: {"func_evals": 1, "n_iter": 1, "d": np.zeros(3)}}
    with pytest.raises(ValueError, match=r"'d' has shape \(3,\), but the parameters hold 2"):
        optim.LBFGS([w]).load_state_dict(sd)
