"""The training loop shared by the training programs.

:class:`Trainer` runs epochs of training and evaluation with progress bars
(plain, rate-limited lines when the output is not a terminal), writes an atomic
checkpoint after every epoch and, with ``checkpoint_every=N``, every N steps
(model, optimizer, scheduler, RNG state, data-loader position, the epoch's
running totals, metrics, configuration), resumes from it bit for bit, even
mid-epoch, and records metrics as JSON and CSV with a PNG curve when matplotlib
is installed.

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
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import minigrad
import minigrad.nn.functional as F
from minigrad import nn
from train.checkpoint import CHECKPOINT, CheckpointError, read_checkpoint

#: Plain progress lines (output not a terminal): at most one per this many seconds...
PLAIN_PROGRESS_SECONDS = 10.0
#: ...and only on crossing a multiple of this fraction of the epoch: at most 9 per epoch.
PLAIN_PROGRESS_FRACTION = 0.1
# What an interrupted atomic write leaves behind: ".<name>.<12 hex digits>.tmp".
_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")


def _progress(iterable: Iterable[Any], total: int, desc: str, enabled: bool) -> Any:
    """A tqdm progress bar on a terminal (when tqdm is installed), else the bare iterable."""
    if not enabled or not sys.stderr.isatty():
        return iterable
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, total=total, desc=desc, unit="batch", leave=False, dynamic_ncols=True)


class _PlainProgress:
    """Progress as plain lines for logs: bounded in rate (time) and number (fraction)."""

    def __init__(self, total: int, desc: str, log: Callable[[str], None]) -> None:
        self.total, self.desc, self.log = total, desc, log
        self.last = time.monotonic()
        self.next_fraction = PLAIN_PROGRESS_FRACTION

    def update(self, done: int, text: str) -> None:
        if not self.total or done >= self.total or done / self.total < self.next_fraction:
            return
        while done / self.total >= self.next_fraction:
            self.next_fraction += PLAIN_PROGRESS_FRACTION
        now = time.monotonic()
        if now - self.last >= PLAIN_PROGRESS_SECONDS:
            self.last = now
            self.log(f"{self.desc}: {100 * done // self.total}% ({done}/{self.total}), {text}")


def remove_stale_temporaries(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete what interrupted atomic writes left in ``folder``; return what was removed.

    Only names of the form ``.<name>.<12 hex digits>.tmp`` are touched (what
    :func:`minigrad.save` and this module write before renaming into place).

    Example:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (d / ".checkpoint.npz.0123456789ab.tmp").write_bytes(b"half")
        >>> _ = (d / "notes.tmp").write_text("mine")
        >>> [p.name for p in remove_stale_temporaries(d)], sorted(p.name for p in d.iterdir())
        (['.checkpoint.npz.0123456789ab.tmp'], ['notes.tmp'])
    """
    removed: list[Path] = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        if _TEMPORARY.match(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


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
        checkpoint_every: also write the checkpoint every N training steps (``None``:
            only at the end of each epoch); a resumed run continues mid-epoch.
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
        checkpoint_every: int | None = None,
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
        self.checkpoint_every = checkpoint_every
        self.history: list[dict[str, Any]] = []
        self.start_epoch = 0
        self.step = 0  # training steps done over the whole run
        self._partial: dict[str, Any] | None = None  # a mid-epoch checkpoint's running totals

    # ------------------------------------------------------------------ one epoch
    def train_epoch(self, epoch: int, epochs: int) -> dict[str, float]:
        """Train for one epoch (or its rest, after a mid-epoch checkpoint); return its metrics."""
        self.model.train()
        partial, self._partial = self._partial, None
        totals: dict[str, Any] = {"loss": 0.0, "correct": 0, "seen": 0, "seconds": 0.0, "batch": 0}
        if partial is not None and partial["epoch"] == epoch:
            totals.update(partial)
            self.train_loader.load_state_dict(partial["loader"])
        elif hasattr(self.train_loader, "set_epoch"):
            self.train_loader.set_epoch(epoch)
        total_loss, correct, seen = totals["loss"], totals["correct"], totals["seen"]
        done = totals["batch"]
        start = time.perf_counter() - totals["seconds"]
        desc = f"epoch {epoch + 1}/{epochs}"
        bar = _progress(self.train_loader, len(self.train_loader), desc, self.progress)
        plain = None
        if self.progress and bar is self.train_loader:
            plain = _PlainProgress(len(self.train_loader), desc, self.log)
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
            done += 1
            self.step += 1
            if plain is not None:
                plain.update(done, f"loss {total_loss / seen:.4f}, acc {100 * correct / seen:.2f}%")
            every = self.checkpoint_every
            if every and self.step % every == 0 and done < len(self.train_loader) and self.is_main:
                running = {"loss": total_loss, "correct": correct, "seen": seen, "batch": done}
                running["seconds"] = time.perf_counter() - start
                self.save_checkpoint(epoch, running=running)
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
        if self.is_main:
            remove_stale_temporaries(self.out_dir)
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

    def resume(self, epochs: int, state: dict[str, Any] | None = None) -> None:
        """Continue from ``out_dir/checkpoint.npz`` (what ``fit(resume=True)`` does first).

        ``state`` is that checkpoint if already read by :func:`train.checkpoint.read_checkpoint`.
        """
        path = self.out_dir / CHECKPOINT
        self.restore(read_checkpoint(path) if state is None else state, path)
        if self.start_epoch >= epochs:
            self.log(f"resume: the checkpoint already has {self.start_epoch} epochs; nothing to do")

    # ------------------------------------------------------------------ checkpoints
    def save_checkpoint(self, epochs_done: int, running: dict[str, Any] | None = None) -> Path:
        """Write everything needed to resume, atomically, to ``out_dir/checkpoint.npz``.

        ``running`` (mid-epoch) holds the epoch's running totals and batches done;
        ``epochs_done`` is then the epoch in progress.
        """
        loader = getattr(self.train_loader, "state_dict", None)
        state = {
            "format": "minigrad-checkpoint",
            "model": self.model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": None if self.scheduler is None else self.scheduler.state_dict(),
            "rng": json.dumps(minigrad.get_rng_state()),
            "epoch": epochs_done,
            "step": self.step,
            "running": running,
            "loader": None if loader is None else loader(),
            "history": json.dumps(self.history),
            "config": json.dumps(self.config),
        }
        path = self.out_dir / CHECKPOINT
        self.out_dir.mkdir(parents=True, exist_ok=True)
        minigrad.save(state, path)
        return path

    def load_checkpoint(self, path: str | os.PathLike[str]) -> None:
        """Read, check and restore a checkpoint written by :meth:`save_checkpoint`."""
        self.restore(read_checkpoint(path), Path(path))

    def restore(self, state: dict[str, Any], path: Path) -> None:
        """Restore a checkpoint read (and checked) by :func:`train.checkpoint.read_checkpoint`."""
        try:
            self.model.load_state_dict(state["model"])
            self.optimizer.load_state_dict(state["optimizer"])
            if self.scheduler is not None and state["scheduler"] is not None:
                self.scheduler.load_state_dict(state["scheduler"])
            minigrad.set_rng_state(state["rng"])
        except (ValueError, RuntimeError, KeyError, TypeError, IndexError) as e:
            raise CheckpointError(
                f"resume: {path} does not fit this model and optimizer ({e}); was it written "
                "by another program or with other options?"
            ) from e
        self.start_epoch = state["epoch"]
        self.step = state["step"]
        self.history = state["history"]
        running = state["running"]
        if running is not None:
            self._partial = {**running, "epoch": state["epoch"], "loader": state["loader"]}
            where = f"in epoch {self.start_epoch + 1} after batch {running['batch']}"
        else:
            where = f"after epoch {self.start_epoch}"
        self.log(f"resumed from {path} {where}")


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
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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
    tmp = out_dir / f".curves.png.{secrets.token_hex(6)}.tmp"
    try:
        fig.savefig(tmp, dpi=100, format="png")
        plt.close(fig)
        os.replace(tmp, out_dir / "curves.png")
    finally:
        tmp.unlink(missing_ok=True)


def count_correct(logits: minigrad.Tensor, labels: minigrad.Tensor) -> int:
    """How many rows' arg-max equals the label.

    Example:
        >>> import minigrad
        >>> count_correct(minigrad.tensor([[0.1, 0.9], [0.8, 0.2]]), minigrad.tensor([1, 1]))
        1
    """
    return int((logits.numpy().argmax(axis=1) == labels.numpy()).sum())
