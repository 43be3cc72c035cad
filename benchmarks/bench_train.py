"""LeNet-5 training throughput on real MNIST: minigrad against PyTorch in one run.

Both train the same architecture from the same initial weights with the same
settings as ``python -m train.mnist`` (batch 64, Adam at 3e-3, the same
shuffled batches, normalised the same way), over the same number of batches;
the script prints images per second for each, the ratio, and the time one full
epoch (938 batches) takes at that rate.

Usage::

    MINIGRAD_DATA=../shared/data python benchmarks/bench_train.py [--batches 300] [--rounds 3]

The two alternate in rounds (minigrad, PyTorch, minigrad, ...) so that a change
in the machine's load hits both; each library's best round is reported.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see benchmarks/README.md

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import minigrad
import minigrad.nn.functional as F
from minigrad import optim
from minigrad.data import MNIST, DataLoader, transforms
from models.lenet import MNIST_MEAN, MNIST_STD, LeNet5

BATCH = 64


def batches(n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The first ``n`` batches of epoch 0, as ``python -m train.mnist`` sees them."""
    tf = transforms.Compose([transforms.ToFloat(), transforms.Normalize(MNIST_MEAN, MNIST_STD)])
    loader = DataLoader(MNIST(train=True), batch_size=BATCH, shuffle=True, seed=0, transform=tf)
    out = []
    for x, y in loader:
        out.append((x.numpy(), y.numpy()))
        if len(out) == n:
            break
    return out


def run_minigrad(model: LeNet5, data: list[tuple[np.ndarray, np.ndarray]]) -> float:
    opt = optim.Adam(model.parameters(), lr=3e-3)
    start = time.perf_counter()
    for x, y in data:
        loss = F.cross_entropy(model(minigrad.tensor(x)), minigrad.tensor(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return len(data) * BATCH / (time.perf_counter() - start)


def torch_lenet(torch, state: dict[str, np.ndarray]):
    nn = torch.nn
    model = nn.Sequential()
    model.add_module("conv1", nn.Conv2d(1, 6, 5, padding=2))
    model.add_module("relu1", nn.ReLU())
    model.add_module("pool1", nn.MaxPool2d(2))
    model.add_module("conv2", nn.Conv2d(6, 16, 5))
    model.add_module("relu2", nn.ReLU())
    model.add_module("pool2", nn.MaxPool2d(2))
    model.add_module("flatten", nn.Flatten())
    model.add_module("fc1", nn.Linear(400, 120))
    model.add_module("relu3", nn.ReLU())
    model.add_module("fc2", nn.Linear(120, 84))
    model.add_module("relu4", nn.ReLU())
    model.add_module("fc3", nn.Linear(84, 10))
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in state.items()})
    return model


def run_torch(torch, model, data: list[tuple[np.ndarray, np.ndarray]]) -> float:
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    tensors = [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in data]
    start = time.perf_counter()
    for x, y in tensors:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return len(data) * BATCH / (time.perf_counter() - start)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--batches", type=int, default=300, help="batches per round")
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    data = batches(args.batches)
    minigrad.manual_seed(0)
    state = LeNet5().state_dict()
    try:
        import torch

        torch.set_num_threads(int(os.environ.get("OPENBLAS_NUM_THREADS", os.cpu_count() or 1)))
    except ImportError:
        torch = None
    ours, theirs = [], []
    for _ in range(args.rounds):
        model = LeNet5()
        model.load_state_dict(state)
        ours.append(run_minigrad(model, data))
        if torch is not None:
            theirs.append(run_torch(torch, torch_lenet(torch, state), data))
        time.sleep(0.5)
    epoch = 60000 / max(ours)
    print(f"LeNet-5 on MNIST, batch {BATCH}, Adam, {args.batches} batches x {args.rounds} rounds")
    print(f"minigrad: {max(ours):7.0f} img/s  (an epoch of 60,000 images: {epoch:.1f} s)")
    if theirs:
        print(f"PyTorch:  {max(theirs):7.0f} img/s  (an epoch: {60000 / max(theirs):.1f} s)")
        print(f"time ratio minigrad / PyTorch: {max(theirs) / max(ours):.2f}x")


if __name__ == "__main__":
    main()
