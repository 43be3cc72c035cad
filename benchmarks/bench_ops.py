"""Time minigrad against PyTorch (CPU) in the same run: conv2d, max_pool2d, a LeNet-5 step.

Usage:
    python benchmarks/bench_ops.py [--repeats 30] [--markdown]

Each case runs minigrad and PyTorch in alternating blocks of calls (so that both
see the same load on a shared machine); the table shows the median of the
repeats, the ratio minigrad / PyTorch, and minigrad's peak memory over one call
(``tracemalloc``, which sees NumPy's allocations; PyTorch's allocator is
invisible to it).

Threads: PyTorch is given as many threads as NumPy's BLAS uses (read from
OpenBLAS, else the ``OMP_NUM_THREADS`` / ``OPENBLAS_NUM_THREADS`` variables, else
the CPU count), so that both libraries get the same cores.

Waiting threads: the script sets ``OMP_WAIT_POLICY=PASSIVE`` (unless it is set
already, or ``--omp-default`` is given), so that PyTorch's OpenMP threads sleep
while they wait instead of spinning: on this shared 2-core machine that makes
PyTorch 3-6x faster, so it is the fair setting for the peer. OpenBLAS keeps its
default (its idle threads spin for about 0.1 s after a call); the blocks of
calls of the two libraries are separated by a 0.5 s pause, so that neither
library's idle threads run into the other's block.
"""

from __future__ import annotations

import os
import sys

# Before PyTorch loads its OpenMP runtime (see the module docstring).
if "--omp-default" not in sys.argv:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import ctypes
import glob
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import minigrad
from minigrad import nn, optim
from minigrad.nn import functional as F


def blas_threads() -> int:
    """The number of threads NumPy's OpenBLAS uses."""
    libs = os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*")
    for path in glob.glob(libs):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
                     "openblas_get_num_threads"):  # fmt: skip
            fn = getattr(lib, name, None)
            if fn is not None:
                return int(fn())
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return os.cpu_count() or 1


PAUSE = 0.5  # seconds between blocks, for the other library's threads to go idle


def median_ms(fn: Callable[[], object], times: list[float]) -> None:
    start = time.perf_counter()
    fn()
    times.append((time.perf_counter() - start) * 1e3)


def peak_mb(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def compare(
    name: str, mg: Callable[[], object], pt: Callable[[], object] | None, repeats: int
) -> dict:
    """Median times over ``repeats`` calls each, taken in alternating blocks.

    Blocks (not single calls) alternate, and each starts with an untimed call:
    right after a call, a library's idle threads keep spinning for a while, and
    on two cores that would be charged to whichever library runs next.
    """
    t_mg: list[float] = []
    t_pt: list[float] = []
    rounds = 5
    per_round = max(1, -(-repeats // rounds))
    for _ in range(rounds):
        time.sleep(PAUSE)
        mg()
        for _ in range(per_round):
            median_ms(mg, t_mg)
        if pt is not None:
            time.sleep(PAUSE)
            pt()
            for _ in range(per_round):
                median_ms(pt, t_pt)
    row = {
        "case": name,
        "minigrad": statistics.median(t_mg),
        "torch": statistics.median(t_pt) if t_pt else float("nan"),
        "peak": peak_mb(mg),
    }
    row["ratio"] = row["minigrad"] / row["torch"]
    return row


# --------------------------------------------------------------------------- cases


def conv_case(torch, N, C, O, H, k, pad, input_grad, repeats):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, C, H, H), dtype=np.float32)
    w = rng.standard_normal((O, C, k, k), dtype=np.float32) * 0.1
    b = np.zeros(O, dtype=np.float32)
    mx = minigrad.tensor(x, requires_grad=input_grad)
    mw, mb = minigrad.tensor(w, requires_grad=True), minigrad.tensor(b, requires_grad=True)
    g = minigrad.tensor(
        rng.standard_normal(F.conv2d(mx, mw, mb, padding=pad).shape, dtype=np.float32)
    )

    def mg() -> None:
        mx.grad = mw.grad = mb.grad = None
        F.conv2d(mx, mw, mb, padding=pad).backward(g)

    pt = None
    if torch is not None:
        tx = torch.tensor(x, requires_grad=input_grad)
        tw, tb = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)
        tg = torch.tensor(g.numpy())

        def pt() -> None:
            tx.grad = tw.grad = tb.grad = None
            torch.nn.functional.conv2d(tx, tw, tb, padding=pad).backward(tg)

    name = f"conv2d fwd+bwd {N}x{C}x{H}x{H} -> {O}, {k}x{k} pad {pad}"
    return compare(name, mg, pt, repeats)


def pool_case(torch, N, C, H, repeats):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, C, H, H), dtype=np.float32)
    mx = minigrad.tensor(x, requires_grad=True)
    g = minigrad.tensor(rng.standard_normal((N, C, H // 2, H // 2), dtype=np.float32))

    def mg() -> None:
        mx.grad = None
        F.max_pool2d(mx, 2).backward(g)

    pt = None
    if torch is not None:
        tx, tg = torch.tensor(x, requires_grad=True), torch.tensor(g.numpy())

        def pt() -> None:
            tx.grad = None
            torch.nn.functional.max_pool2d(tx, 2).backward(tg)

    return compare(f"max_pool2d 2x2 fwd+bwd {N}x{C}x{H}x{H}", mg, pt, repeats)


def lenet_minigrad() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )  # fmt: skip


def lenet_case(torch, repeats):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 64)
    model = lenet_minigrad()
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    mx, my = minigrad.tensor(x), minigrad.tensor(y)

    def mg() -> None:
        opt.zero_grad()
        F.cross_entropy(model(mx), my).backward()
        opt.step()

    pt = None
    if torch is not None:
        tnn = torch.nn
        tmodel = tnn.Sequential(
            tnn.Conv2d(1, 6, 5, padding=2), tnn.ReLU(), tnn.MaxPool2d(2),
            tnn.Conv2d(6, 16, 5), tnn.ReLU(), tnn.MaxPool2d(2), tnn.Flatten(),
            tnn.Linear(400, 120), tnn.ReLU(), tnn.Linear(120, 84), tnn.ReLU(), tnn.Linear(84, 10),
        )  # fmt: skip
        with torch.no_grad():  # same weights
            for p, q in zip(model.parameters(), tmodel.parameters()):
                q.copy_(torch.tensor(p.numpy()))
        topt = torch.optim.SGD(tmodel.parameters(), lr=0.01, momentum=0.9)
        tx, ty = torch.tensor(x), torch.tensor(y)

        def pt() -> None:
            topt.zero_grad()
            torch.nn.functional.cross_entropy(tmodel(tx), ty).backward()
            topt.step()

    return compare("LeNet-5 training step, batch 64, SGD momentum 0.9", mg, pt, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--omp-default",
        action="store_true",
        help="leave OMP_WAIT_POLICY unset (PyTorch's threads spin while they wait)",
    )
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        torch = None
    threads = blas_threads()
    if torch is not None:
        torch.set_num_threads(threads)
    version = torch.__version__ if torch is not None else "not installed"
    print(f"numpy {np.__version__} (BLAS threads {threads}), torch {version}")
    r = args.repeats
    rows = [
        conv_case(torch, 64, 1, 6, 28, 5, 2, False, r),
        conv_case(torch, 64, 6, 16, 14, 5, 0, True, r),
        conv_case(torch, 64, 3, 32, 32, 3, 1, False, max(r // 3, 5)),
        conv_case(torch, 64, 32, 64, 32, 3, 1, True, max(r // 3, 5)),
        pool_case(torch, 64, 6, 28, r),
        pool_case(torch, 64, 32, 32, r),
        lenet_case(torch, r),
    ]
    if args.markdown:
        print("| case | minigrad ms | PyTorch ms | ratio | minigrad peak MB |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for row in rows:
            print(f"| {row['case']} | {row['minigrad']:.2f} | {row['torch']:.2f} | "
                  f"{row['ratio']:.2f}x | {row['peak']:.1f} |")  # fmt: skip
    else:
        width = max(len(row["case"]) for row in rows)
        print(f"{'case':<{width}}  minigrad ms  PyTorch ms  ratio  peak MB")
        for row in rows:
            print(f"{row['case']:<{width}}  {row['minigrad']:11.2f}  {row['torch']:10.2f}  "
                  f"{row['ratio']:5.2f}  {row['peak']:7.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
