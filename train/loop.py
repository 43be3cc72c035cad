"""The training loop shared by the training programs.

:class:`Trainer` runs epochs of training and evaluation with progress bars,
writes an atomic checkpoint after every epoch (model, optimizer, scheduler, RNG
state, epoch, metrics), resumes from it bit for bit, and records metrics as JSON
and CSV with a PNG curve when matplotlib is installed.

Example: two epochs on a tiny synthetic problem
    >>> import numpy as np, minigrad, tempfile
    >>> from minigrad import nn, optim
    >>> from minigrad.data import ArrayDataset, DataLoader
    >>> from train.loop import Trainer
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(64, 4)).astype(np.float32)
    >>> y = (x[:, 0] > 0).astype(np.int64)
    >>> _ = minigrad.manual_seed(0)
    >>> model = nn.Linear(4, 2)
    >>> loader = DataLoader(ArrayDataset(x, y), batch_size=16, shuffle=True, seed=0)
    >>> trainer = Trainer(model, optim.SGD(model.parameters(), lr=0.5), None, loader, loader,
    ...                   out_dir=tempfile.mkdtemp(), progress=False, log=lambda s: None)
    >>> history = trainer.fit(epochs=2)
    >>> history[-1]["test_acc"] > 0.8
    True
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import minigrad
import minigrad.nn.functional as F
from minigrad import nn

CHECKPOINT = "checkpoint.npz"


def _progress(iterable: Iterable[Any], total: int, desc: str, enabled: bool) -> Any:
    """A tqdm progress bar when available and enabled, else the bare iterable."""
    if not enabled:
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, total=total, desc=desc, unit="batch", leave=False, dynamic_ncols=True)


class Trainer:
    """Train a classifier with cross-entropy, evaluating after every epoch.

    Args:
        model: the module to train.
        optimizer: a ``minigrad.optim`` optimizer over the model's parameters.
        scheduler: an LR scheduler stepped once per batch, or ``None``.
        train_loader, test_loader: loaders yielding ``(images, labels)`` Tensors;
            the train loader's ``set_epoch(epoch)`` fixes each epoch's order.
        out_dir: where checkpoints, metrics and plots go.
        progress: show tqdm progress bars.
        log: where epoch lines go (``print`` by default).
        after_backward: called after every ``backward()`` (e.g. to average gradients
            across processes).
        is_main: only the main process prints and writes files.
        label_smoothing: passed to ``cross_entropy``.
    """

    def __init__(
        self,
        model: nn.Module,
        optimizer: Any,
        scheduler: Any,
        train_loader: Any,
        test_loader: Any,
        out_dir: str | os.PathLike[str],
        progress: bool = True,
        log: Callable[[str], None] = print,
        after_backward: Callable[[], None] | None = None,
        is_main: bool = True,
        label_smoothing: float = 0.0,
        config: dict[str, Any] | None = None,
    ) -> None:
        self.model = model
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.train_loader = train_loader
        self.test_loader = test_loader
        self.out_dir = Path(out_dir)
        self.progress = progress and is_main
        self.log = log if is_main else (lambda s: None)
        self.after_backward = after_backward
        self.is_main = is_main
        self.label_smoothing = label_smoothing
        self.config = dict(config or {})
        self.history: list[dict[str, Any]] = []
        self.start_epoch = 0

    # ------------------------------------------------------------------ one epoch
    def train_epoch(self, epoch: int, epochs: int) -> dict[str, float]:
        """Train for one epoch; return its loss, accuracy and throughput."""
        self.model.train()
        if hasattr(self.train_loader, "set_epoch"):
            self.train_loader.set_epoch(epoch)
        total_loss, correct, seen = 0.0, 0, 0
        start = time.perf_counter()
        bar = _progress(
            self.train_loader, len(self.train_loader), f"epoch {epoch + 1}/{epochs}", self.progress
        )
        for images, labels in bar:
            logits = self.model(images)
            loss = F.cross_entropy(logits, labels, label_smoothing=self.label_smoothing)
            self.optimizer.zero_grad()
            loss.backward()
            if self.after_backward is not None:
                self.after_backward()
            self.optimizer.step()
            if self.scheduler is not None:
                self.scheduler.step()
            n = len(labels)
            total_loss += loss.item() * n
            correct += count_correct(logits, labels)
            seen += n
            if self.progress and hasattr(bar, "set_postfix"):
                elapsed = time.perf_counter() - start
                bar.set_postfix(
                    loss=f"{total_loss / seen:.4f}",
                    acc=f"{100 * correct / seen:.2f}%",
                    img_s=f"{seen / max(elapsed, 1e-9):.0f}",
                )
        seconds = time.perf_counter() - start
        return {
            "train_loss": total_loss / max(seen, 1),
            "train_acc": correct / max(seen, 1),
            "seconds": seconds,
            "images_per_second": seen / max(seconds, 1e-9),
        }

    def evaluate(self, loader: Any | None = None) -> dict[str, float]:
        """Loss and accuracy on ``loader`` (the test loader by default), in eval mode."""
        loader = self.test_loader if loader is None else loader
        self.model.eval()
        total_loss, correct, seen = 0.0, 0, 0
        with minigrad.no_grad():
            for images, labels in loader:
                logits = self.model(images)
                loss = F.cross_entropy(logits, labels, reduction="sum")
                total_loss += loss.item()
                correct += count_correct(logits, labels)
                seen += len(labels)
        return {"test_loss": total_loss / max(seen, 1), "test_acc": correct / max(seen, 1)}

    # ------------------------------------------------------------------ the run
    def fit(
        self, epochs: int, resume: bool = False, stop_after: int | None = None
    ) -> list[dict[str, Any]]:
        """Train up to ``epochs`` epochs (continuing a checkpoint if ``resume``).

        ``stop_after`` ends the run after that epoch, as an interruption would.
        """
        if resume:
            self.resume(epochs)
        best = max((h["test_acc"] for h in self.history), default=-1.0)
        last = epochs if stop_after is None else min(epochs, stop_after)
        for epoch in range(self.start_epoch, last):
            metrics = self.train_epoch(epoch, epochs)
            metrics.update(self.evaluate())
            metrics["epoch"] = epoch + 1
            metrics["lr"] = float(self.optimizer.param_groups[0]["lr"])
            self.history.append(metrics)
            self.log(_epoch_line(metrics, epochs))
            if self.is_main:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                if metrics["test_acc"] > best:
                    best = metrics["test_acc"]
                    minigrad.save(self.model.state_dict(), self.out_dir / "best.npz")
                minigrad.save(self.model.state_dict(), self.out_dir / "model.npz")
                self.save_checkpoint(epoch + 1)
                write_metrics(self.history, self.out_dir)
        if self.history and self.start_epoch < last:
            self.log(_summary(self.history, self.out_dir))
        if self.is_main and self.history:
            plot_curves(self.history, self.out_dir, self.log)
        return self.history

    def resume(self, epochs: int) -> None:
        """Continue from ``out_dir/checkpoint.npz`` (what ``fit(resume=True)`` does first)."""
        self.load_checkpoint(self.out_dir / CHECKPOINT)
        if self.start_epoch >= epochs:
            self.log(f"resume: the checkpoint already has {self.start_epoch} epochs; nothing to do")

    # ------------------------------------------------------------------ checkpoints
    def save_checkpoint(self, epochs_done: int) -> Path:
        """Write everything needed to resume, atomically, to ``out_dir/checkpoint.npz``."""
        state = {
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": None if self.scheduler is None else self.scheduler.state_dict(),
            "rng": json.dumps(minigrad.get_rng_state()),
            "epoch": epochs_done,
            "history": json.dumps(self.history),
            "config": json.dumps(self.config),
        }
        path = self.out_dir / CHECKPOINT
        minigrad.save(state, path)
        return path

    def load_checkpoint(self, path: str | os.PathLike[str]) -> None:
        """Restore a checkpoint written by :meth:`save_checkpoint`."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(
                f"resume: no checkpoint at {path}; run without --resume first (same --out)"
            )
        state = minigrad.load(path)
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state.get("scheduler") is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        minigrad.set_rng_state(json.loads(state["rng"]))
        self.start_epoch = int(state["epoch"])
        self.history = json.loads(state["history"])
        self.log(f"resumed from {path} after epoch {self.start_epoch}")


def _epoch_line(m: dict[str, Any], epochs: int) -> str:
    return (
        f"epoch {m['epoch']}/{epochs}  train loss {m['train_loss']:.4f} acc "
        f"{100 * m['train_acc']:.2f}%  test loss {m['test_loss']:.4f} acc "
        f"{100 * m['test_acc']:.2f}%  lr {m['lr']:.3g}  {m['seconds']:.1f} s "
        f"({m['images_per_second']:.0f} img/s)"
    )


def _summary(history: list[dict[str, Any]], out_dir: Path) -> str:
    best = max(history, key=lambda h: h["test_acc"])
    total = sum(h["seconds"] for h in history)
    return (
        f"done: {len(history)} epoch{'s' if len(history) != 1 else ''} in {total:.0f} s of "
        f"training; final test accuracy "
        f"{100 * history[-1]['test_acc']:.2f}%, best {100 * best['test_acc']:.2f}% "
        f"(epoch {best['epoch']}); weights in {out_dir / 'best.npz'}"
    )


def write_metrics(history: list[dict[str, Any]], out_dir: Path) -> None:
    """Write ``metrics.json`` and ``metrics.csv`` (one row per epoch), atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _atomic_text(out_dir / "metrics.json", json.dumps(history, indent=2))
    columns = list(history[0].keys())
    rows = [",".join(columns)] + [",".join(str(h.get(c, "")) for c in columns) for h in history]
    _atomic_text(out_dir / "metrics.csv", "\n".join(rows) + "\n")


def _atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def plot_curves(history: list[dict[str, Any]], out_dir: Path, log: Callable[[str], None]) -> None:
    """Save loss and accuracy curves as ``curves.png`` (needs matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("note: matplotlib is not installed, so no curves.png (pip install -e '.[train]')")
        return
    epochs = [h["epoch"] for h in history]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(epochs, [h["train_loss"] for h in history], "o-", label="train")
    ax1.plot(epochs, [h["test_loss"] for h in history], "o-", label="test")
    ax1.set(xlabel="epoch", ylabel="cross-entropy", title="loss")
    ax2.plot(epochs, [100 * h["train_acc"] for h in history], "o-", label="train")
    ax2.plot(epochs, [100 * h["test_acc"] for h in history], "o-", label="test")
    ax2.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    tmp = out_dir / f".curves.{os.getpid()}.png"
    fig.savefig(tmp, dpi=100)
    plt.close(fig)
    os.replace(tmp, out_dir / "curves.png")


def count_correct(logits: minigrad.Tensor, labels: minigrad.Tensor) -> int:
    """How many rows' arg-max equals the label.

    Example:
        >>> import minigrad
        >>> count_correct(minigrad.tensor([[0.1, 0.9], [0.8, 0.2]]), minigrad.tensor([1, 1]))
        1
    """
    return int((logits.data.argmax(axis=1) == labels.data).sum())
