"""Benchmark minigrad.data: loading MNIST from its .gz files, and iterating epochs of batches.

Run:  MINIGRAD_DATA=../shared/data .venv/bin/python benchmarks/bench_data.py

Prints (median of several runs):
  1. MNIST train+test from the four .gz files into uint8 arrays;
  2. one epoch of MNIST train (60,000 images) in shuffled batches of 64 with ToFloat;
  3. one epoch of the CIFAR-10 training data with RandomCrop(32, 4) + flip + ToFloat +
     Normalize in batches of 128, scaled to 50,000 images (the subset here has 5,085);
  4. whether a background prefetch thread would help: 200 MNIST batches consumed by a
     stand-in training step (a 784-512-10 MLP forward and backward in NumPy, which
     releases the GIL) with and without a prototype prefetching thread;
  5. if PyTorch is installed, its DataLoader over the same uint8 tensors, for reference.

On a busy machine, multi-threaded OpenBLAS can make the stand-in steps erratic;
``OPENBLAS_NUM_THREADS=1`` gives steadier numbers.
"""

from __future__ import annotations

import os
import queue
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from minigrad.data import CIFAR10, MNIST, DataLoader
from minigrad.data import transforms as T

ROOT = Path(__file__).resolve().parent.parent


def timed(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Median wall time of ``fn()`` in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def drain(iterable: Iterable[Any]) -> int:
    n = 0
    for _ in iterable:
        n += 1
    return n


def prefetched(iterable: Iterable[Any], depth: int = 2) -> Iterator[Any]:
    """A prototype background prefetch: a thread fills a queue ``depth`` batches ahead."""
    q: queue.Queue[Any] = queue.Queue(maxsize=depth)
    done = object()

    def fill() -> None:
        for item in iterable:
            q.put(item)
        q.put(done)

    threading.Thread(target=fill, daemon=True).start()
    while (item := q.get()) is not done:
        yield item


def make_step() -> Callable[[Any], None]:
    """A stand-in training step: forward and backward of a 784-512-10 MLP in NumPy."""
    rng = np.random.default_rng(0)
    w1 = rng.standard_normal((784, 512), dtype=np.float32) * 0.03
    w2 = rng.standard_normal((512, 10), dtype=np.float32) * 0.03

    def step(batch: Any) -> None:
        x = batch[0].data.reshape(len(batch[0].data), -1)
        h = np.maximum(x @ w1, 0)
        g = (h @ w2) @ w2.T * (h > 0)
        _ = x.T @ g, h.T @ (h @ w2)

    return step


def main() -> None:
    root = os.environ.get("MINIGRAD_DATA", str(ROOT.parent / "shared" / "data"))
    os.environ["MINIGRAD_DATA"] = root
    print(f"minigrad.data benchmark (data from {root}, numpy {np.__version__})")

    load = timed(lambda: (MNIST(train=True), MNIST(train=False)))
    print(f"  MNIST load, train+test .gz -> uint8 arrays   {load * 1000:8.1f} ms")

    train = MNIST(train=True)
    loader = DataLoader(train, batch_size=64, shuffle=True, seed=0, transform=T.ToFloat())
    epoch = timed(lambda: drain(loader))
    per_batch = epoch / len(loader) * 1e6
    print(
        f"  MNIST epoch, {len(loader)} batches of 64 + ToFloat  {epoch * 1000:8.1f} ms"
        f"  ({per_batch:.0f} us/batch)"
    )

    cifar = CIFAR10(train=True)
    augment = T.Compose(
        [
            T.RandomCrop(32, padding=4),
            T.RandomHorizontalFlip(),
            T.ToFloat(),
            T.Normalize.from_dataset(cifar),
        ]
    )
    cifar_loader = DataLoader(cifar, batch_size=128, shuffle=True, seed=0, transform=augment)
    cifar_epoch = timed(lambda: drain(cifar_loader)) * 50_000 / len(cifar)
    print(f"  CIFAR-10 epoch (50k), crop+flip+normalize    {cifar_epoch * 1000:8.1f} ms")

    step = make_step()
    n_steps = 200
    batches = [b for _, b in zip(range(n_steps), loader)]
    alone = timed(lambda: [step(b) for b in batches], repeat=3)
    plain = timed(lambda: [step(b) for _, b in zip(range(n_steps), loader)], repeat=3)
    ahead = timed(lambda: [step(b) for _, b in zip(range(n_steps), prefetched(loader))], repeat=3)
    print(
        f"  {n_steps} stand-in MLP training steps: alone {alone * 1000:.0f} ms, "
        f"fed by the loader {plain * 1000:.0f} ms, by a prefetch thread {ahead * 1000:.0f} ms "
        f"(prefetch saves {1 - ahead / plain:+.1%})"
    )

    try:
        import torch
        from torch.utils.data import DataLoader as TorchLoader
        from torch.utils.data import TensorDataset as TorchTensors
    except ImportError:
        return
    torch.manual_seed(0)
    images = torch.from_numpy(train.data.copy())
    labels = torch.from_numpy(train.targets.copy())
    tl = TorchLoader(TorchTensors(images, labels), batch_size=64, shuffle=True)
    n_torch = 150  # torch fetches sample by sample: time part of the epoch and scale it

    def torch_part() -> None:
        for _, (x, _y) in zip(range(n_torch), tl):
            x.float().div_(255)

    t_epoch = timed(torch_part, repeat=1) * len(tl) / n_torch
    print(
        f"  torch {torch.__version__} DataLoader(TensorDataset), same epoch  "
        f"{t_epoch * 1000:8.1f} ms  (minigrad is {t_epoch / epoch:.0f}x faster)"
    )


if __name__ == "__main__":
    main()
