"""Command-line options, builders and the one error path shared by the training programs.

Every program reports a problem the same way: ``error: <what, which file, what
to do>`` on stderr and exit status 2, with a traceback only under ``--debug``
(see :func:`guarded`).

Example:
    >>> from train.cli import base_parser
    >>> args = base_parser("demo", epochs=3, batch_size=64, lr=0.01).parse_args(["--epochs", "1"])
    >>> args.epochs, args.batch_size, args.optimizer
    (1, 64, 'adam')
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
from collections.abc import Callable
from typing import Any

from minigrad import optim
from minigrad.optim import lr_scheduler

OPTIMIZERS = ("sgd", "adam", "adamw", "rmsprop", "adagrad")
SCHEDULERS = ("none", "onecycle", "cosine", "step", "exponential")


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"must be a non-negative number, got {text}")
    return value


def base_parser(
    prog: str,
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    optimizer: str = "adam",
    scheduler: str = "onecycle",
    weight_decay: float = 0.0,
    description: str | None = None,
) -> argparse.ArgumentParser:
    """The options every training program takes, with that program's defaults."""
    p = argparse.ArgumentParser(prog=prog, description=description)
    p.add_argument("--epochs", type=_positive_int, default=epochs, help="epochs to train")
    p.add_argument("--batch-size", type=_positive_int, default=batch_size, help="batch size")
    p.add_argument("--lr", type=_positive_float, default=lr, help="(peak) learning rate")
    p.add_argument("--optimizer", choices=OPTIMIZERS, default=optimizer)
    p.add_argument("--scheduler", choices=SCHEDULERS, default=scheduler, help="stepped per batch")
    p.add_argument("--weight-decay", type=_non_negative_float, default=weight_decay)
    p.add_argument("--momentum", type=_non_negative_float, default=0.9, help="for sgd/rmsprop")
    p.add_argument("--seed", type=int, default=0, help="seeds init, shuffling and augmentation")
    p.add_argument("--data-dir", default=None, help="dataset root (default: $MINIGRAD_DATA)")
    p.add_argument("--download", action="store_true", help="download missing dataset files")
    p.add_argument("--out", default=None, help="output folder for checkpoints, metrics, plots")
    p.add_argument("--resume", action="store_true", help="continue from --out/checkpoint.npz")
    p.add_argument(
        "--stop-after",
        type=_positive_int,
        default=None,
        metavar="N",
        help="stop after epoch N as if interrupted (the schedule still plans --epochs)",
    )
    p.add_argument("--eval-only", action="store_true", help="only evaluate --weights")
    p.add_argument("--weights", default=None, help="a .npz state dict to start from / evaluate")
    p.add_argument("--limit-train", type=_positive_int, default=None, help="use the first N")
    p.add_argument("--limit-test", type=_positive_int, default=None, help="use the first N")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument("--distributed", action="store_true", help="data-parallel over MPI ranks")
    p.add_argument(
        "--checkpoint-every",
        type=_positive_int,
        default=None,
        metavar="N",
        help="also checkpoint every N steps, so --resume continues mid-epoch",
    )
    add_common_flags(p)
    return p


def add_common_flags(p: argparse.ArgumentParser) -> None:
    """``--allow-nonfinite`` and ``--debug``, which every program takes."""
    p.add_argument(
        "--allow-nonfinite",
        action="store_true",
        help="accept --weights holding NaN or infinite values (refused by default)",
    )
    p.add_argument("--debug", action="store_true", help="show a traceback on errors")


#: What a user can cause and fix (a file, an option, the data): reported as one sentence.
USER_ERRORS = (OSError, ValueError, RuntimeError, pickle.UnpicklingError, MemoryError)


def guarded(body: Callable[[], int], debug: bool, prog: str = "") -> int:
    """Run ``body`` and turn any exception into ``error: ...`` on stderr and status 2.

    With ``debug`` the exception propagates (and Python prints its traceback).

    Example:
        >>> import contextlib, io
        >>> from train.cli import guarded
        >>> def broken():
        ...     raise FileNotFoundError("no such file: w.npz")
        >>> err = io.StringIO()
        >>> with contextlib.redirect_stderr(err):
        ...     status = guarded(broken, debug=False)
        >>> status, err.getvalue().strip()
        (2, 'error: no such file: w.npz')
    """
    if debug:
        return body()
    try:
        return body()
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except USER_ERRORS as e:
        message = str(e) or type(e).__name__
    except Exception as e:  # a bug: still one sentence, and how to see more
        message = (
            f"internal error ({type(e).__name__}: {e}); please report it, with the traceback "
            f"that {prog or 'the program'} prints when run with --debug"
        )
    print(f"error: {message}", file=sys.stderr)
    return 2


def build_optimizer(args: argparse.Namespace, params: Any) -> Any:
    """The optimizer named by ``--optimizer`` over ``params``."""
    name, lr, wd = args.optimizer, args.lr, args.weight_decay
    if name == "sgd":
        return optim.SGD(params, lr=lr, momentum=args.momentum, weight_decay=wd, nesterov=True)
    if name == "adam":
        return optim.Adam(params, lr=lr, weight_decay=wd)
    if name == "adamw":
        return optim.AdamW(params, lr=lr, weight_decay=wd)
    if name == "rmsprop":
        return optim.RMSprop(params, lr=lr, weight_decay=wd, momentum=args.momentum)
    return optim.Adagrad(params, lr=lr, weight_decay=wd)


def build_scheduler(args: argparse.Namespace, optimizer: Any, steps_per_epoch: int) -> Any:
    """The per-batch LR schedule named by ``--scheduler`` (or None)."""
    total = args.epochs * steps_per_epoch
    if args.scheduler == "none":
        return None
    if args.scheduler == "onecycle":
        return lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=total)
    if args.scheduler == "cosine":
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=total)
    if args.scheduler == "step":
        return lr_scheduler.StepLR(optimizer, step_size=max(1, total // 3), gamma=0.1)
    return lr_scheduler.ExponentialLR(optimizer, gamma=0.01 ** (1 / max(total, 1)))
