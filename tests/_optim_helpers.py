"""The optimization problem the optimizer tests share, and runners for minigrad and PyTorch.

Imported as ``from _optim_helpers import ...`` by the optimizer test modules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import minigrad

SHAPES = [(3, 4), (5,), ()]
STEPS = 100


def make_params(seed: int = 0, dtype: Any = np.float64) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(dtype) for s in SHAPES]


def make_grad_fn(seed: int = 1) -> Callable[[list[np.ndarray], int], list[np.ndarray]]:
    """Gradients that depend on the parameters (a pull towards targets) plus per-step noise."""
    rng = np.random.default_rng(seed)
    targets = [rng.standard_normal(s) for s in SHAPES]
    scales = [rng.uniform(0.1, 3.0, s) for s in SHAPES]
    noise = [[rng.standard_normal(s) * 0.3 for s in SHAPES] for _ in range(STEPS)]

    def grads(params: list[np.ndarray], t: int) -> list[np.ndarray]:
        return [
            np.asarray(sc * (p - tg) + nz, dtype=p.dtype)
            for p, tg, sc, nz in zip(params, targets, scales, noise[t % STEPS])
        ]

    return grads


def run_minigrad(make_opt, params0, grad_fn, steps=STEPS, start=0, opt_out=None):
    """Trajectory (list of per-step param lists) of a minigrad optimizer."""
    params = [minigrad.tensor(p, requires_grad=True) for p in params0]
    frozen = minigrad.tensor(np.ones(2), requires_grad=True)  # never gets a grad: skipped
    opt = make_opt([*params, frozen])
    traj = []
    for t in range(start, start + steps):
        for p, g in zip(params, grad_fn([p.numpy() for p in params], t)):
            p.grad = minigrad.tensor(g)
        opt.step()
        traj.append([p.numpy().copy() for p in params])
    assert np.array_equal(frozen.numpy(), np.ones(2)) and frozen not in opt.state
    if opt_out is not None:
        opt_out.append(opt)
    return traj


def run_torch(torch, make_opt, params0, grad_fn, steps=STEPS, opt_out=None):
    """The same run with a PyTorch optimizer (``make_opt`` gets a list of torch tensors)."""
    params = [torch.tensor(p, requires_grad=True) for p in params0]
    opt = make_opt(params)
    traj = []
    for t in range(steps):
        for p, g in zip(params, grad_fn([p.detach().numpy() for p in params], t)):
            p.grad = torch.from_numpy(g)
        opt.step()
        traj.append([p.detach().numpy().copy() for p in params])
    if opt_out is not None:
        opt_out.append(opt)
    return traj


def assert_trajectories_close(ours, expected, rtol):
    """Every parameter at every step, compared in one call per parameter."""
    for i in range(len(SHAPES)):
        a = np.stack([step[i] for step in ours])
        b = np.stack([step[i] for step in expected])
        np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-12, err_msg=f"parameter {i}")
