"""Optimizer step time on LeNet-5's parameters: minigrad against PyTorch, in one run.

Run:  .venv/bin/python benchmarks/bench_optim.py [--steps 200] [--repeats 7] [--dtype float32]

Each optimizer takes ``--steps`` steps on the ten parameter tensors of LeNet-5
(conv1 6x1x5x5+6, conv2 16x6x5x5+16, fc 400->120->84->10 weights and biases;
61,706 numbers) with fixed gradients; the best of ``--repeats`` runs is reported
per step. PyTorch runs single-threaded with its CPU default (the per-tensor loop)
and with ``foreach=True``. Only the ratios mean anything across machines.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

import minigrad
from minigrad import optim

LENET_SHAPES = [
    (6, 1, 5, 5),
    (6,),
    (16, 6, 5, 5),
    (16,),
    (120, 400),
    (120,),
    (84, 120),
    (84,),
    (10, 84),
    (10,),
]

CONFIGS = {
    "SGD-momentum": ("SGD", dict(lr=0.01, momentum=0.9)),
    "Adam": ("Adam", dict(lr=1e-3)),
}


def best_time(step: Callable[[], object], steps: int, repeats: int) -> float:
    """Best seconds per step over ``repeats`` runs of ``steps`` steps (after a warm-up)."""
    for _ in range(10):
        step()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, (time.perf_counter() - start) / steps)
    return best


def minigrad_step(name: str, kwargs: dict, arrays: list[np.ndarray], grads: list[np.ndarray]):
    params = [minigrad.tensor(a, requires_grad=True) for a in arrays]
    for p, g in zip(params, grads):
        p.grad = minigrad.tensor(g)
    return getattr(optim, name)(params, **kwargs).step


def torch_step(torch, name, kwargs, arrays, grads, foreach):
    params = [torch.tensor(a, requires_grad=True) for a in arrays]
    for p, g in zip(params, grads):
        p.grad = torch.from_numpy(g.copy())
    return getattr(torch.optim, name)(params, foreach=foreach, **kwargs).step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(args.dtype) for s in LENET_SHAPES]
    grads = [rng.standard_normal(s).astype(args.dtype) * 1e-3 for s in LENET_SHAPES]
    n = sum(a.size for a in arrays)
    print(f"LeNet-5 parameters: {len(arrays)} tensors, {n:,} {args.dtype} numbers")
    print(f"best of {args.repeats} x {args.steps} steps, microseconds per optimizer step\n")

    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        torch = None
        print("(PyTorch is not installed: minigrad times only)\n")

    header = f"{'optimizer':<14}{'minigrad':>10}"
    if torch is not None:
        header += f"{'torch':>10}{'ratio':>8}{'torch foreach':>15}{'ratio':>8}"
    print(header)
    for label, (name, kwargs) in CONFIGS.items():
        ours = best_time(minigrad_step(name, kwargs, arrays, grads), args.steps, args.repeats)
        line = f"{label:<14}{ours * 1e6:>10.1f}"
        if torch is not None:
            plain = best_time(
                torch_step(torch, name, kwargs, arrays, grads, False), args.steps, args.repeats
            )
            fused = best_time(
                torch_step(torch, name, kwargs, arrays, grads, True), args.steps, args.repeats
            )
            line += f"{plain * 1e6:>10.1f}{ours / plain:>7.2f}x"
            line += f"{fused * 1e6:>15.1f}{ours / fused:>7.2f}x"
        print(line)
    if torch is not None:
        print("\nratio = minigrad time / PyTorch time (lower is better for minigrad)")


if __name__ == "__main__":
    main()
