"""One full MNIST training epoch of ``python -m train.mnist``'s loop, against the same
loop in PyTorch, each in its own process.

Run::

    MINIGRAD_DATA=../shared/data .venv/bin/python benchmarks/bench_train.py [--rounds 3]

minigrad: ``train.loop.Trainer.train_epoch`` with the program's defaults (LeNet-5,
batch 64, Adam at 3e-3 with the one-cycle schedule stepped per batch, the
shuffled DataLoader with ToFloat + Normalize; no progress bar): 938 batches,
the loss read back and the correct predictions counted every batch, as the
program does. PyTorch: the same loop written in PyTorch over the same uint8
images (``TensorDataset`` + ``DataLoader(shuffle=True)``, the same normalisation
per batch, ``Adam`` + ``OneCycleLR``, ``loss.item()`` and the count per batch).
Both read MNIST with ``minigrad.data.MNIST`` before the clock starts. One
timed call is one epoch; the evaluation pass is not included.
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

BATCH, LR = 64, 3e-3


def epoch_minigrad() -> Any:
    import minigrad
    from minigrad import optim
    from minigrad.data import MNIST, DataLoader
    from minigrad.optim import lr_scheduler
    from models.lenet import LeNet5
    from train.common import make_transforms
    from train.loop import Trainer

    minigrad.manual_seed(0)
    train_tf, _ = make_transforms("mnist", augment=False)
    loader = DataLoader(MNIST(train=True), batch_size=BATCH, shuffle=True, seed=0,
                        transform=train_tf)  # fmt: skip
    model = LeNet5()
    opt = optim.Adam(model.parameters(), lr=LR)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=100 * len(loader))
    trainer = Trainer(model, opt, sched, loader, None, "/tmp", progress=False)
    epochs = iter(range(10**6))
    return lambda: trainer.train_epoch(next(epochs), 100)


def epoch_torch() -> Any:
    import torch

    from minigrad.data import MNIST
    from models.lenet import MNIST_MEAN, MNIST_STD

    train = MNIST(train=True)
    images = torch.from_numpy(np.array(train.data))
    labels = torch.from_numpy(np.asarray(train.targets).astype(np.int64))
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(images, labels), batch_size=BATCH, shuffle=True
    )
    torch.manual_seed(0)
    model = _torch_models.lenet5(torch)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=LR, total_steps=100 * len(loader))
    loss_fn = torch.nn.functional.cross_entropy

    def epoch() -> None:
        model.train()
        total, correct = 0.0, 0
        for x, y in loader:
            x = (x.to(torch.float32).div_(255.0) - MNIST_MEAN) / MNIST_STD
            logits = model(x)
            loss = loss_fn(logits, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(y)
            correct += int((logits.argmax(1) == y).sum())

    return epoch


CASES: _harness.Cases = {
    "MNIST epoch (938 batches of 64), LeNet-5, Adam": {
        "minigrad": epoch_minigrad,
        "torch": epoch_torch,
    }
}

if __name__ == "__main__":
    _harness.main(CASES, "a full MNIST training epoch: minigrad vs PyTorch",
                  defaults={"rounds": 3, "warmup": 1, "block_seconds": 0.0})  # fmt: skip
