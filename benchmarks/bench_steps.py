"""Training steps of the shipped models: minigrad against PyTorch, each in its own process.

Run::

    .venv/bin/python benchmarks/bench_steps.py [--rounds 7] [--markdown]

Cases: one LeNet-5 training step (``models/lenet.py``; batch 64 of 1x28x28,
cross-entropy, SGD with momentum 0.9: forward, zero_grad, backward, step) and
one CifarNet step (``models/cifar.py``: BatchNorm, 3x3 convolutions with 32, 64
and 128 channels; batch 64 of 3x32x32, same loss and optimizer). Both libraries
get the same weights and the same batch. See ``benchmarks/_harness.py`` for
how the processes are run and what the columns mean.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import _harness  # noqa: E402
import _torch_models  # noqa: E402

BATCH = 64


def _batch(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((BATCH, *shape)).astype(np.float32)
    return x, rng.integers(0, 10, BATCH)


def _minigrad_step(model: Any, shape: tuple[int, ...]) -> Any:
    import minigrad
    import minigrad.nn.functional as F
    from minigrad import optim

    shapes = [(n, tuple(p.shape)) for n, p in model.named_parameters()]
    params = dict(model.named_parameters())
    for name, value in _torch_models.same_weights(shapes).items():
        params[name].data[...] = value
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = (minigrad.tensor(a) for a in _batch(shape))

    def step() -> None:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    return step


def _torch_step(model: Any, shape: tuple[int, ...]) -> Any:
    import torch

    shapes = [(n, tuple(p.shape)) for n, p in model.named_parameters()]
    params = dict(model.named_parameters())
    with torch.no_grad():
        for name, value in _torch_models.same_weights(shapes).items():
            params[name].copy_(torch.from_numpy(value))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x, y = (torch.from_numpy(a) for a in _batch(shape))
    loss_fn = torch.nn.functional.cross_entropy

    def step() -> None:
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()

    return step


def lenet_minigrad() -> Any:
    from models.lenet import LeNet5

    return _minigrad_step(LeNet5(), (1, 28, 28))


def lenet_torch() -> Any:
    import torch

    return _torch_step(_torch_models.lenet5(torch), (1, 28, 28))


def cifarnet_minigrad() -> Any:
    from models.cifar import CifarNet

    return _minigrad_step(CifarNet(), (3, 32, 32))


def cifarnet_torch() -> Any:
    import torch

    return _torch_step(_torch_models.cifarnet(torch), (3, 32, 32))


CASES: _harness.Cases = {
    "LeNet-5 step, batch 64, SGD momentum": {"minigrad": lenet_minigrad, "torch": lenet_torch},
    "CifarNet step, batch 64, SGD momentum": {
        "minigrad": cifarnet_minigrad,
        "torch": cifarnet_torch,
    },
}

if __name__ == "__main__":
    _harness.main(CASES, "training steps: minigrad vs PyTorch")
