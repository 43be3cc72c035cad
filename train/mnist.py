"""Train LeNet-5 on MNIST (or Fashion-MNIST).

Usage::

    MINIGRAD_DATA=../shared/data python -m train.mnist            # to 99%+ test accuracy
    python -m train.mnist --dataset fashion-mnist --epochs 15      # Fashion-MNIST, 90%+
    python -m train.mnist --eval-only --weights models/weights/lenet5_mnist.npz
    mpirun -n 2 python -m train.mnist --distributed                # data-parallel over MPI

The defaults (Adam, one-cycle learning-rate schedule, batch 64, 8 epochs) reach
at least 99.0% test accuracy on MNIST. Every epoch writes ``--out/checkpoint.npz``
(resume with ``--resume``), ``metrics.json``/``metrics.csv``, ``curves.png``, and the
weights ``model.npz`` (last) and ``best.npz``.
"""

from __future__ import annotations

import sys
from typing import Any

from train import common
from train.checkpoint import explicit_options
from train.cli import base_parser

DATASETS = ("mnist", "fashion-mnist")


def parser() -> Any:
    """The command-line parser."""
    p = base_parser(
        "python -m train.mnist",
        epochs=8,
        batch_size=64,
        lr=3e-3,
        optimizer="adam",
        scheduler="onecycle",
        description="Train LeNet-5 on MNIST or Fashion-MNIST.",
    )
    p.add_argument("--dataset", choices=DATASETS, default="mnist")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the program; returns the exit status."""
    p = parser()
    args = p.parse_args(argv)
    if args.out is None:
        args.out = f"runs/{args.dataset}"
    return common.run(
        args, task=args.dataset, model_name="lenet5", explicit=explicit_options(p, argv)
    )


if __name__ == "__main__":
    sys.exit(main())
