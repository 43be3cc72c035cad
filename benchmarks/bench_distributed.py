"""Data-parallel throughput and Allreduce cost, for LeNet-5 and CifarNet.

Run it under MPI with one BLAS thread per process, once per world size::

    OPENBLAS_NUM_THREADS=1 mpirun -n 1 python benchmarks/bench_distributed.py
    OPENBLAS_NUM_THREADS=1 mpirun -n 2 python benchmarks/bench_distributed.py

or let it launch both and print the comparison::

    python benchmarks/bench_distributed.py --compare [--rounds 3]

``--compare`` alternates the world sizes, round by round (1, 2, 1, 2, ...), each
run a fresh ``mpirun`` at the environment's defaults apart from one BLAS thread
per process, and prints the median step time with the min-max over the rounds
(``benchmarks/_harness.py``'s format).

Each rank trains on its share of a fixed global batch (64 for LeNet-5, 64 for
CifarNet) of random data; rank 0 prints images per second (global) and the
milliseconds per step spent inside ``Allreduce``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]


def measure(model_name: str, global_batch: int, steps: int, warmup: int) -> dict[str, float]:
    import minigrad
    import minigrad.nn.functional as F
    import models
    from minigrad import distributed, optim

    distributed.init()
    world = distributed.world_size()
    minigrad.manual_seed(0)
    model = models.get(model_name)
    distributed.broadcast_parameters(model)
    opt = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    shape = (1, 28, 28) if model_name == "lenet5" else (3, 32, 32)
    per_rank = global_batch // world
    rng = np.random.default_rng(distributed.rank())
    x = minigrad.tensor(rng.normal(size=(per_rank, *shape)).astype(np.float32))
    y = minigrad.tensor(rng.integers(0, 10, per_rank))

    def step() -> None:
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        distributed.all_reduce_gradients(model)
        opt.step()

    for _ in range(warmup):
        step()
    distributed.barrier()
    distributed.reset_stats()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    distributed.barrier()
    seconds = time.perf_counter() - start
    return {
        "world": world,
        "images_per_second": steps * per_rank * world / seconds,
        "allreduce_ms_per_step": 1000 * distributed.allreduce_seconds / steps,
        "step_ms": 1000 * seconds / steps,
    }


def compare(steps: int, rounds: int) -> None:
    import _harness

    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMPI_ALLOW_RUN_AS_ROOT="1")
    env.update(OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
    header = f"{'model':10} {'procs':>5} {'img/s':>8} {'step ms (min-max)':>20}"
    print(header + f" {'allreduce ms/step':>18}")
    for model in ("lenet5", "cifarnet"):
        runs: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
        for _ in range(rounds):
            for n in (1, 2):
                cmd = ["mpirun", "-n", str(n), sys.executable, __file__, "--model", model,
                       "--steps", str(steps), "--raw"]  # fmt: skip
                out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
                _, ips, ar, step_ms = out.stdout.split()
                runs[n].append((float(ips), float(ar), float(step_ms) / 1000))
        for n, values in runs.items():
            ips = sorted(v[0] for v in values)[len(values) // 2]
            ar = sorted(v[1] for v in values)[len(values) // 2]
            step = _harness.spread([v[2] for v in values])
            print(f"{model:10} {n:>5} {ips:8.0f} {step:>20} {ar:18.2f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", choices=("lenet5", "cifarnet"), default="lenet5")
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--compare", action="store_true", help="run 1 and 2 processes, both models")
    p.add_argument("--rounds", type=int, default=3, help="alternated runs per world size")
    p.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.compare:
        compare(args.steps, args.rounds)
        return
    m = measure(args.model, 64, args.steps, warmup=3)
    from minigrad import distributed

    if distributed.is_main():
        if args.raw:
            print(m["world"], m["images_per_second"], m["allreduce_ms_per_step"], m["step_ms"])
        else:
            print(
                f"{args.model}: {m['world']} process(es): {m['images_per_second']:.0f} img/s, "
                f"{m['step_ms']:.1f} ms/step, Allreduce {m['allreduce_ms_per_step']:.2f} ms/step"
            )


if __name__ == "__main__":
    main()
