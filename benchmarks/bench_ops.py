"""Kernels and engine overhead: minigrad against PyTorch, each in its own process.

Run::

    .venv/bin/python benchmarks/bench_ops.py [--rounds 7] [--markdown] [--case conv2d]

Cases (float32, each a forward and a backward with a fixed output gradient):

* conv2d at LeNet-5's and CifarNet's shapes (the first layer without an input gradient, as in
  a network);
* max_pool2d 2x2 at LeNet-5's and CifarNet's shapes;
* a chain of 1,000 small elementwise ops (``x * 1.0001 + 0.0001``, then ``tanh`` every 10th,
  on a 64-element tensor) and its backward: the engine's cost per op, not the arithmetic.

See ``benchmarks/_harness.py`` for how the processes run and what the columns mean.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import _harness  # noqa: E402


def _conv_data(N: int, C: int, O: int, H: int, k: int, pad: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, C, H, H), dtype=np.float32)
    w = rng.standard_normal((O, C, k, k), dtype=np.float32) * 0.1
    b = np.zeros(O, dtype=np.float32)
    out = (H + 2 * pad - k) + 1
    g = rng.standard_normal((N, O, out, out), dtype=np.float32)
    return x, w, b, g


def conv_minigrad(N: int, C: int, O: int, H: int, k: int, pad: int, input_grad: bool) -> Any:
    import minigrad
    import minigrad.nn.functional as F

    x, w, b, g = _conv_data(N, C, O, H, k, pad)
    mx = minigrad.tensor(x, requires_grad=input_grad)
    mw, mb = minigrad.tensor(w, requires_grad=True), minigrad.tensor(b, requires_grad=True)
    mg = minigrad.tensor(g)

    def step() -> None:
        mx.grad = mw.grad = mb.grad = None
        F.conv2d(mx, mw, mb, padding=pad).backward(mg)

    return step


def conv_torch(N: int, C: int, O: int, H: int, k: int, pad: int, input_grad: bool) -> Any:
    import torch

    x, w, b, g = _conv_data(N, C, O, H, k, pad)
    tx = torch.tensor(x, requires_grad=input_grad)
    tw, tb = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)
    tg = torch.tensor(g)
    conv2d = torch.nn.functional.conv2d

    def step() -> None:
        tx.grad = tw.grad = tb.grad = None
        conv2d(tx, tw, tb, padding=pad).backward(tg)

    return step


def _pool_data(N: int, C: int, H: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, C, H, H), dtype=np.float32)
    return x, rng.standard_normal((N, C, H // 2, H // 2), dtype=np.float32)


def pool_minigrad(N: int, C: int, H: int) -> Any:
    import minigrad
    import minigrad.nn.functional as F

    x, g = _pool_data(N, C, H)
    mx, mg = minigrad.tensor(x, requires_grad=True), minigrad.tensor(g)

    def step() -> None:
        mx.grad = None
        F.max_pool2d(mx, 2).backward(mg)

    return step


def pool_torch(N: int, C: int, H: int) -> Any:
    import torch

    x, g = _pool_data(N, C, H)
    tx, tg = torch.tensor(x, requires_grad=True), torch.tensor(g)
    max_pool2d = torch.nn.functional.max_pool2d

    def step() -> None:
        tx.grad = None
        max_pool2d(tx, 2).backward(tg)

    return step


CHAIN = 1000


def _chain(x: Any, tanh: Callable[[Any], Any]) -> Any:
    for i in range(CHAIN // 2):
        x = x * 1.0001 + 0.0001 if i % 5 else tanh(x) + 0.0001
    return x


def chain_minigrad() -> Any:
    import minigrad

    x = minigrad.tensor(np.linspace(-1, 1, 64, dtype=np.float32), requires_grad=True)

    def step() -> None:
        x.grad = None
        _chain(x, minigrad.tanh).sum().backward()

    return step


def chain_torch() -> Any:
    import torch

    x = torch.tensor(np.linspace(-1, 1, 64, dtype=np.float32), requires_grad=True)

    def step() -> None:
        x.grad = None
        _chain(x, torch.tanh).sum().backward()

    return step


def _pair(
    mg: Callable[..., Any], pt: Callable[..., Any], *args: Any
) -> dict[str, _harness.Builder]:
    return {"minigrad": lambda: mg(*args), "torch": lambda: pt(*args)}


CONVS = [  # N, C, O, H, k, pad, input gradient
    (64, 1, 6, 28, 5, 2, False),
    (64, 6, 16, 14, 5, 0, True),
    (64, 3, 32, 32, 3, 1, False),
    (64, 32, 64, 16, 3, 1, True),
    (64, 64, 128, 8, 3, 1, True),
]
POOLS = [(64, 6, 28), (64, 32, 32)]

CASES: _harness.Cases = {}
for N, C, O, H, k, pad, input_grad in CONVS:
    name = f"conv2d fwd+bwd {N}x{C}x{H}x{H} -> {O}, {k}x{k} pad {pad}"
    CASES[name + ("" if input_grad else " (no input grad)")] = _pair(
        conv_minigrad, conv_torch, N, C, O, H, k, pad, input_grad
    )
for N, C, H in POOLS:
    CASES[f"max_pool2d 2x2 fwd+bwd {N}x{C}x{H}x{H}"] = _pair(pool_minigrad, pool_torch, N, C, H)
CASES[f"{CHAIN}-op elementwise chain fwd+bwd (64 elements)"] = _pair(chain_minigrad, chain_torch)

if __name__ == "__main__":
    _harness.main(CASES, "kernels and engine overhead: minigrad vs PyTorch")
