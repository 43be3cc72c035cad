"""Optimizer step time on LeNet-5's parameters: minigrad against PyTorch, each in its own process.

Run::

    .venv/bin/python benchmarks/bench_optim.py [--rounds 7] [--markdown]

Each optimizer steps the ten parameter tensors of LeNet-5 (conv1 6x1x5x5+6,
conv2 16x6x5x5+16, fc 400->120->84->10 weights and biases; 61,706 float32
numbers) with fixed gradients. PyTorch runs at its CPU default (the per-tensor
loop) and, in a second case, with ``foreach=True``. See ``benchmarks/_harness.py``
for how the processes run and what the columns mean.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import _harness  # noqa: E402

LENET_SHAPES = [(6, 1, 5, 5), (6,), (16, 6, 5, 5), (16,), (120, 400), (120,), (84, 120), (84,),
                (10, 84), (10,)]  # fmt: skip
CONFIGS = {"SGD momentum 0.9": ("SGD", {"lr": 0.01, "momentum": 0.9}), "Adam": ("Adam", {})}


def _arrays() -> tuple[list[np.ndarray], list[np.ndarray]]:
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in LENET_SHAPES]
    return arrays, [rng.standard_normal(s).astype(np.float32) * 1e-3 for s in LENET_SHAPES]


def minigrad_step(name: str, kwargs: dict[str, Any]) -> Any:
    import minigrad
    from minigrad import optim

    arrays, grads = _arrays()
    params = [minigrad.tensor(a, requires_grad=True) for a in arrays]
    for p, g in zip(params, grads):
        p.grad = minigrad.tensor(g)
    return getattr(optim, name)(params, **kwargs).step


def torch_step(name: str, kwargs: dict[str, Any], foreach: bool | None) -> Any:
    import torch

    arrays, grads = _arrays()
    params = [torch.tensor(a, requires_grad=True) for a in arrays]
    for p, g in zip(params, grads):
        p.grad = torch.from_numpy(g)
    return getattr(torch.optim, name)(params, foreach=foreach, **kwargs).step


def _case(name: str, kwargs: dict[str, Any], foreach: bool | None) -> dict[str, _harness.Builder]:
    return {
        "minigrad": lambda: minigrad_step(name, kwargs),
        "torch": lambda: torch_step(name, kwargs, foreach),
    }


CASES: _harness.Cases = {}
for label, (name, kwargs) in CONFIGS.items():
    CASES[f"{label} (torch default)"] = _case(name, kwargs, None)
    CASES[f"{label} (torch foreach=True)"] = _case(name, kwargs, True)

if __name__ == "__main__":
    _harness.main(CASES, "optimizer step on LeNet-5's parameters: minigrad vs PyTorch")
