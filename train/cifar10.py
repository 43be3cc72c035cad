"""Train a CIFAR-10 network: ``CifarNet`` (VGG-style with BatchNorm) or ``SeedCNN``.

Usage::

    MINIGRAD_DATA=../shared/data python -m train.cifar10 --model cifarnet
    python -m train.cifar10 --model seedcnn --filters 16 --epochs 10

Training uses random crops (padding 4) and horizontal flips; inputs are
normalised with per-channel statistics of the training split. Outputs go to
``--out`` (default ``runs/cifar10-<model>``) as in ``train.mnist``.
"""

from __future__ import annotations

import sys
from typing import Any

from train import common
from train.checkpoint import explicit_options
from train.cli import base_parser


def parser() -> Any:
    """The command-line parser."""
    p = base_parser(
        "python -m train.cifar10",
        epochs=20,
        batch_size=64,
        lr=4e-3,
        optimizer="adamw",
        scheduler="onecycle",
        weight_decay=5e-4,
        description="Train a CIFAR-10 network.",
    )
    p.add_argument("--model", choices=("cifarnet", "seedcnn"), default="cifarnet")
    p.add_argument("--filters", type=int, choices=(8, 16), default=16, help="SeedCNN filters")
    p.add_argument("--width", type=int, default=32, help="CifarNet first-stage channels")
    p.add_argument("--no-augment", action="store_true", help="no random crops or flips")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the program; returns the exit status."""
    p = parser()
    args = p.parse_args(argv)
    if args.out is None:
        args.out = f"runs/cifar10-{args.model}"
    return common.run(
        args, task="cifar10", model_name=args.model, explicit=explicit_options(p, argv)
    )


if __name__ == "__main__":
    sys.exit(main())
