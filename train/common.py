"""What ``train.mnist`` and ``train.cifar10`` share: data, model and run assembly.

Example:
    >>> from train.common import dataset_class
    >>> dataset_class("fashion-mnist").__name__
    'FashionMNIST'
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

import minigrad
import models
from minigrad import distributed
from minigrad.data import CIFAR10, MNIST, DataLoader, FashionMNIST, Subset, transforms
from minigrad.serialization import load_weights
from models.cifar import CIFAR10_MEAN, CIFAR10_STD
from models.lenet import FASHION_MNIST_MEAN, FASHION_MNIST_STD, MNIST_MEAN, MNIST_STD
from train.checkpoint import CHECKPOINT, CheckpointError, continue_config, read_checkpoint
from train.cli import build_optimizer, build_scheduler, guarded
from train.loop import Trainer

_DATASETS = {"mnist": MNIST, "fashion-mnist": FashionMNIST, "cifar10": CIFAR10}
_STATS = {
    "mnist": ((MNIST_MEAN,), (MNIST_STD,)),
    "fashion-mnist": ((FASHION_MNIST_MEAN,), (FASHION_MNIST_STD,)),
    "cifar10": (CIFAR10_MEAN, CIFAR10_STD),
}
EVAL_BATCH = 1000


def dataset_class(task: str) -> Any:
    """The dataset class of a task name (``mnist``, ``fashion-mnist``, ``cifar10``)."""
    return _DATASETS[task]


def make_transforms(task: str, augment: bool) -> tuple[Any, Any]:
    """Batch transforms for training and evaluation: to float, (augment), normalise."""
    mean, std = _STATS[task]
    normalize = [transforms.ToFloat(), transforms.Normalize(mean, std)]
    train = list(normalize)
    if augment:
        train = [transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(), *train]
    return transforms.Compose(train), transforms.Compose(normalize)


def load_data(args: argparse.Namespace, task: str) -> tuple[Any, Any]:
    """The train and test datasets, limited to the first N samples if asked."""
    cls = dataset_class(task)
    train_set = cls(root=args.data_dir, train=True, download=args.download)
    test_set = cls(root=args.data_dir, train=False, download=args.download)
    if args.limit_train is not None and args.limit_train < len(train_set):
        train_set = Subset(train_set, np.arange(args.limit_train))
    if args.limit_test is not None and args.limit_test < len(test_set):
        test_set = Subset(test_set, np.arange(args.limit_test))
    return train_set, test_set


def build_model(args: argparse.Namespace, model_name: str) -> minigrad.nn.Module:
    """The model named on the command line, with ``--weights`` loaded if given."""
    kwargs: dict[str, Any] = {}
    if model_name == "seedcnn":
        kwargs["filters"] = args.filters
    elif model_name == "cifarnet":
        kwargs["width"] = args.width
    model = models.get(model_name, **kwargs)
    if args.weights is not None:
        try:
            weights = load_weights(args.weights, allow_nonfinite=args.allow_nonfinite)
            model.load_state_dict(weights)
        except (OSError, ValueError, RuntimeError) as e:  # missing, corrupt, mismatched, NaN
            raise ValueError(f"--weights: {e}") from e
    return model


def run(
    args: argparse.Namespace, task: str, model_name: str, explicit: set[str] | None = None
) -> int:
    """Train (or only evaluate) as the parsed arguments say; return the exit status.

    ``explicit`` names the options given on the command line (see
    :func:`train.checkpoint.explicit_options`): with ``--resume``, the others take
    the checkpoint's values. Errors are ``error: ...`` on stderr and status 2.
    """
    explicit = set() if explicit is None else explicit
    if args.distributed:
        distributed.init(require_mpi=True)
        return distributed.run_or_abort(
            lambda: guarded(lambda: _run(args, task, model_name, explicit), args.debug)
        )
    return guarded(lambda: _run(args, task, model_name, explicit), args.debug)


def _resume_state(
    args: argparse.Namespace, task: str, model_name: str, explicit: set[str]
) -> dict[str, Any]:
    """Read ``--out/checkpoint.npz`` and make ``args`` continue its run."""
    if args.eval_only:
        raise CheckpointError("--resume and --eval-only cannot be combined")
    path = Path(args.out) / CHECKPOINT
    state = read_checkpoint(path)
    config = state["config"]
    continue_config(args, config, explicit)
    task = getattr(args, "dataset", task)  # train.mnist's task is its --dataset
    if (config.get("task"), config.get("model")) != (task, model_name):
        raise CheckpointError(
            f"resume: {path} is a run of {config.get('model')!r} on {config.get('task')!r}, "
            f"not {model_name!r} on {task!r}; use another --out"
        )
    return state


def _run(args: argparse.Namespace, task: str, model_name: str, explicit: set[str]) -> int:
    main = distributed.is_main()
    log = print if main else (lambda s: None)
    if args.eval_only and args.weights is None:
        raise ValueError("--eval-only needs --weights")
    state = _resume_state(args, task, model_name, explicit) if args.resume else None
    task = getattr(args, "dataset", task)
    minigrad.manual_seed(args.seed)
    try:
        train_set, test_set = load_data(args, task)
    except FileNotFoundError as e:
        hint = "On the command line: --data-dir DIR sets the root, --download fetches the files."
        raise FileNotFoundError(f"{e}\n{hint}") from e
    train_tf, test_tf = make_transforms(task, augment=task == "cifar10" and not args.no_augment)
    rank, world = distributed.rank(), distributed.world_size()
    per_rank = max(1, args.batch_size // world) if args.distributed else args.batch_size
    train_loader = DataLoader(
        train_set,
        batch_size=per_rank,
        shuffle=True,
        drop_last=world > 1,
        seed=args.seed,
        transform=train_tf,
        rank=rank,
        world_size=world,
    )
    test_loader = DataLoader(test_set, batch_size=EVAL_BATCH, transform=test_tf)
    model = build_model(args, model_name)
    distributed.broadcast_parameters(model)
    if args.eval_only:
        trainer = Trainer(model, None, None, train_loader, test_loader, args.out, log=log)
        m = trainer.evaluate()
        log(
            f"{task} test: loss {m['test_loss']:.4f}, accuracy {100 * m['test_acc']:.2f}% "
            f"({len(test_set)} images)"
        )
        return 0
    optimizer = build_optimizer(args, model.parameters())
    scheduler = build_scheduler(args, optimizer, len(train_loader))
    log(
        f"{model_name} on {task}: {len(train_set)} train / {len(test_set)} test images, "
        f"{sum(p.numel() for p in model.parameters())} parameters, {args.optimizer} "
        f"lr {args.lr} ({args.scheduler}), batch {args.batch_size}"
        + (f" over {world} processes" if world > 1 else "")
    )
    trainer = Trainer(
        model,
        optimizer,
        scheduler,
        train_loader,
        test_loader,
        args.out,
        progress=not args.no_progress,
        log=log,
        after_backward=(lambda: distributed.all_reduce_gradients(model)) if world > 1 else None,
        is_main=main,
        config=_config(args, task, model_name),
        checkpoint_every=args.checkpoint_every,
    )
    if state is not None:
        trainer.resume(args.epochs, state)
    trainer.fit(args.epochs, stop_after=args.stop_after)
    return 0


def _config(args: argparse.Namespace, task: str, model_name: str) -> dict[str, Any]:
    """What a checkpoint records of the run: every plain option, the task and the model."""
    plain = (int, float, str, bool, type(None))
    config = {k: v for k, v in vars(args).items() if isinstance(v, plain)}
    return {**config, "task": task, "model": model_name}
