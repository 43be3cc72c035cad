"""MPI worker programs run by tests/test_distributed.py under ``mpirun -n 2``.

Usage: ``mpirun -n 2 python tests/mpi/worker.py MODE OUT_DIR`` with MODE one of
``sync`` (ranks hold identical parameters after every step), ``equivalence``
(save the parameters after training on disjoint halves of each batch) and
``fail`` (rank 1 raises while rank 0 waits in a collective).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


def _setup():
    import minigrad
    from minigrad import distributed, nn, optim

    distributed.init(require_mpi=True)
    minigrad.manual_seed(1234 + distributed.rank())  # different on purpose: broadcast fixes it
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 5 * 5, 10)
    )
    distributed.broadcast_parameters(model)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return minigrad, distributed, model, opt


def _batches(steps: int, batch: int):
    rng = np.random.default_rng(0)
    for _ in range(steps):
        x = rng.normal(size=(batch, 1, 12, 12)).astype(np.float32)
        y = rng.integers(0, 10, size=batch)
        yield x, y


def _step(minigrad, distributed, model, opt, x, y):
    import minigrad.nn.functional as F

    loss = F.cross_entropy(model(minigrad.tensor(x)), minigrad.tensor(y))
    opt.zero_grad()
    loss.backward()
    distributed.all_reduce_gradients(model)
    opt.step()


def _flat(model) -> np.ndarray:
    return np.concatenate([p.numpy().ravel() for p in model.parameters()])


def sync(out: Path) -> None:
    minigrad, distributed, model, opt = _setup()
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    r = distributed.rank()
    for step, (x, y) in enumerate(_batches(5, 64)):
        mine = slice(32 * r, 32 * (r + 1))
        _step(minigrad, distributed, model, opt, x[mine], y[mine])
        everyone = comm.allgather(_flat(model))
        if not all(np.array_equal(everyone[0], other) for other in everyone[1:]):
            raise SystemExit(f"step {step}: parameters differ between ranks")
    if distributed.is_main():
        (out / "sync.ok").write_text("5 steps in sync\n")


def equivalence(out: Path) -> None:
    minigrad, distributed, model, opt = _setup()
    r = distributed.rank()
    if distributed.is_main():
        minigrad.save(model.state_dict(), out / "initial.npz")
    for x, y in _batches(5, 64):
        mine = slice(32 * r, 32 * (r + 1))
        _step(minigrad, distributed, model, opt, x[mine], y[mine])
    if distributed.is_main():
        minigrad.save(model.state_dict(), out / "two_ranks.npz")


def fail(out: Path) -> None:
    _, distributed, _, _ = _setup()

    def body() -> None:
        if distributed.rank() == 1:
            raise RuntimeError("injected failure on rank 1")
        distributed.barrier()  # rank 0 would wait here forever without the abort

    distributed.run_or_abort(body)


if __name__ == "__main__":
    mode, out_dir = sys.argv[1], Path(sys.argv[2])
    {"sync": sync, "equivalence": equivalence, "fail": fail}[mode](out_dir)
