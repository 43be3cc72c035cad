"""The training loop of ``train.shakespeare``: iterations, evaluations, checkpoints, resume.

:class:`LMRun` follows nanoGPT's ``train.py``: at iteration ``it`` the learning
rate is ``lr * factor(it)``; every ``eval_interval`` iterations (and at the end)
the train and validation losses are estimated on ``eval_iters`` random batches
and the best weights kept; each iteration draws one batch, steps AdamW after
clipping the gradient norm. A checkpoint (``checkpoint.npz``: model, optimizer,
scheduler and RNG states, the iteration, the history, the per-iteration losses)
is written after every evaluation, every ``--checkpoint-every`` iterations and
on ``--stop-after``; :meth:`LMRun.restore` continues it bit for bit.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import minigrad
from minigrad.nn.utils import clip_grad_norm_
from train.checkpoint import CHECKPOINT, CheckpointError
from train.lm import CharData, save_lm
from train.loop import remove_stale_temporaries, write_metrics

FORMAT = "minigrad-lm-checkpoint"
EVAL_BATCH = 128  # windows per forward pass when scoring the whole validation split
PLAIN_PROGRESS_SECONDS = 10.0


def _field(state: dict[str, Any], key: str, kinds: Any, what: str, path: Path) -> Any:
    if key not in state:
        raise CheckpointError(
            f"resume: {path} has no {key!r} field; it is not a complete train.shakespeare "
            "checkpoint (start a new run with another --out, or without --resume)"
        )
    value = state[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool):
        raise CheckpointError(
            f"resume: {path}: field {key!r} holds a {type(value).__name__}, expected {what}; "
            "the checkpoint is damaged"
        )
    return value


def read_lm_checkpoint(out: Path) -> dict[str, Any]:
    """Load ``out/checkpoint.npz`` and check every field; JSON fields come back decoded.

    Raises:
        CheckpointError: no checkpoint, another program's, or a field missing or damaged.

    Example:
        >>> from pathlib import Path
        >>> from train.lm_loop import read_lm_checkpoint
        >>> read_lm_checkpoint(Path("/nowhere"))
        Traceback (most recent call last):
        ...
        train.checkpoint.CheckpointError: resume: no checkpoint at /nowhere/checkpoint.npz; ...
    """
    path = out / CHECKPOINT
    if not path.is_file():
        raise CheckpointError(
            f"resume: no checkpoint at {path}; run without --resume first (same --out)"
        )
    state = minigrad.load(path)
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        found = state.get("format") if isinstance(state, dict) else type(state).__name__
        raise CheckpointError(
            f"resume: {path} is not a train.shakespeare checkpoint (format {found!r:.40}, "
            f"expected {FORMAT!r}); use another --out"
        )
    out_state = dict(state)
    for key, kinds, what in [
        ("model", dict, "a state dict"), ("optimizer", dict, "an optimizer state dict"),
        ("scheduler", dict, "a scheduler state dict"), ("iter", int, "an iteration count"),
        ("losses", np.ndarray, "an array of losses"), ("best_val", float, "a loss"),
        ("vocab", str, "the vocabulary"), ("digest", int, "the text's CRC-32"),
        ("train_seconds", float, "seconds"), ("done", bool, "a flag"),
    ]:  # fmt: skip
        _field(state, key, kinds, what, path)
    for key, kind in (("rng", dict), ("history", list), ("config", dict)):
        text = _field(state, key, str, "a JSON string", path)
        try:
            out_state[key] = json.loads(text)
        except ValueError as e:
            raise CheckpointError(
                f"resume: {path}: field {key!r} is not valid JSON ({e})"
            ) from None
        if not isinstance(out_state[key], kind):
            raise CheckpointError(f"resume: {path}: field {key!r} is not a JSON {kind.__name__}")
    if state["iter"] < 0 or state["losses"].shape != (state["iter"],):
        raise CheckpointError(
            f"resume: {path}: {state['losses'].shape} losses for {state['iter']} iterations; "
            "the checkpoint is damaged"
        )
    return out_state


class _Progress:
    """A tqdm bar on a terminal, else a plain line at most every 10 s and every 10%."""

    def __init__(self, start: int, total: int, enabled: bool, log: Callable[[str], None]):
        self.total, self.log, self.bar = total, log, None
        self.enabled = enabled
        self.last = time.monotonic()
        self.next = start + max(total // 10, 1)
        if enabled and sys.stderr.isatty():
            try:
                from tqdm import tqdm

                self.bar = tqdm(total=total, initial=start, unit="it", leave=False,
                                dynamic_ncols=True)  # fmt: skip
            except ImportError:
                pass

    def update(self, it: int, loss: float, tokens_per_second: float) -> None:
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(loss=f"{loss:.4f}", tok_s=f"{tokens_per_second:.0f}")
        elif self.enabled and it >= self.next:
            self.next = it + max(self.total // 10, 1)
            now = time.monotonic()
            if now - self.last >= PLAIN_PROGRESS_SECONDS:
                self.last = now
                self.log(
                    f"iter {it}/{self.total}: loss {loss:.4f}, {tokens_per_second:.0f} tokens/s"
                )

    def write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line)
        else:
            self.log(line)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class LMRun:
    """One training run of a character language model (see the module docstring).

    Args:
        model: a :class:`models.gpt.GPT` or :class:`models.charrnn.CharRNN`.
        optimizer, scheduler: AdamW and the per-iteration ``LambdaLR``.
        data: the :class:`train.lm.CharData`.
        args: the parsed options of ``train.shakespeare``.
        config: what the checkpoint records of the options.
        log: where lines go.
    """

    def __init__(
        self, model: Any, optimizer: Any, scheduler: Any, data: CharData,
        args: argparse.Namespace, config: dict[str, Any], log: Callable[[str], None] = print,
    ) -> None:  # fmt: skip
        self.model, self.optimizer, self.scheduler = model, optimizer, scheduler
        self.data, self.args, self.config, self.log = data, args, config, log
        self.out = Path(args.out)
        self.iter = 0
        self.history: list[dict[str, Any]] = []
        self.losses: list[float] = []
        self.best_val = math.inf
        self.train_seconds = 0.0
        self.done = False

    # ------------------------------------------------------------------ checkpoints
    def save_checkpoint(self) -> None:
        """Write everything needed to continue, atomically, to ``out/checkpoint.npz``."""
        minigrad.save(
            {
                "format": FORMAT,
                "model": self.model.state_dict(),
                "optimizer": self.optimizer.state_dict(),
                "scheduler": self.scheduler.state_dict(),
                "rng": json.dumps(minigrad.get_rng_state()),
                "iter": self.iter,
                "history": json.dumps(self.history),
                "losses": np.asarray(self.losses, dtype=np.float64),
                "best_val": float(self.best_val),
                "config": json.dumps(self.config),
                "vocab": self.data.vocab,
                "digest": int(self.data.digest),
                "train_seconds": float(self.train_seconds),
                "done": self.done,
            },
            self.out / CHECKPOINT,
        )

    def restore(self, state: dict[str, Any]) -> None:
        """Continue from a checkpoint read by :func:`read_lm_checkpoint`."""
        path = self.out / CHECKPOINT
        try:
            self.model.load_state_dict(state["model"])
            self.optimizer.load_state_dict(state["optimizer"])
            self.scheduler.load_state_dict(state["scheduler"])
            minigrad.set_rng_state(state["rng"])
        except (ValueError, RuntimeError, KeyError, TypeError, IndexError) as e:
            raise CheckpointError(
                f"resume: {path} does not fit this model and optimizer ({e}); was it written "
                "with other options?"
            ) from e
        self.iter, self.history = state["iter"], state["history"]
        self.losses = [float(v) for v in state["losses"]]
        self.best_val, self.train_seconds = state["best_val"], state["train_seconds"]
        self.done = state["done"]
        self.log(f"resumed from {path} at iteration {self.iter}")

    # ------------------------------------------------------------------ losses
    def estimate_loss(self) -> dict[str, float]:
        """nanoGPT's ``estimate_loss``: mean loss of ``eval_iters`` random batches per split."""
        a = self.args
        out = {}
        self.model.eval()
        with minigrad.no_grad():
            for split in ("train", "val"):
                losses = [
                    self.model(*self.data.get_batch(split, a.batch_size, a.block_size))[1].item()
                    for _ in range(a.eval_iters)
                ]
                out[split] = float(np.mean(losses))
        self.model.train()
        return out

    def split_loss(self, split: str = "val") -> tuple[float, int]:
        """Mean loss over the whole split in consecutive windows: ``(loss, windows)``."""
        x, y = self.data.windows(split, self.args.block_size)
        total = 0.0
        self.model.eval()
        with minigrad.no_grad():
            for i in range(0, len(x), EVAL_BATCH):
                xb, yb = (
                    minigrad.tensor(x[i : i + EVAL_BATCH]),
                    minigrad.tensor(y[i : i + EVAL_BATCH]),
                )
                total += self.model(xb, yb)[1].item() * yb.numel()
        return total / max(y.size, 1), len(x)

    # ------------------------------------------------------------------ the run
    def _evaluate(self, progress: _Progress) -> None:
        losses = self.estimate_loss()
        a = self.args
        steps = len(self.losses)
        row = {
            "iter": self.iter,
            "train_loss": losses["train"],
            "val_loss": losses["val"],
            "lr": float(self.optimizer.param_groups[0]["lr"]),
            "train_seconds": round(self.train_seconds, 3),
            "tokens_per_second": round(
                steps * a.batch_size * a.block_size / max(self.train_seconds, 1e-9), 1
            ),
        }
        self.history.append(row)
        progress.write(
            f"step {self.iter}: train loss {row['train_loss']:.4f}, val loss "
            f"{row['val_loss']:.4f} (estimated on {a.eval_iters} batches), lr {row['lr']:.3g}"
        )
        if losses["val"] < self.best_val:
            self.best_val = losses["val"]
            save_lm(self.out / "best.npz", self.model, a.model, self.data.vocab)
        write_metrics(self.history, self.out)

    def _step(self) -> float:
        a = self.args
        x, y = self.data.get_batch("train", a.batch_size, a.block_size)
        _, loss = self.model(x, y)
        loss.backward()
        if a.grad_clip > 0:
            clip_grad_norm_(self.model.parameters(), a.grad_clip)
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.scheduler.step()
        return float(loss.item())

    def fit(self) -> None:
        """Train to ``--iters`` (or ``--stop-after``), then score the best weights."""
        a, wall = self.args, time.perf_counter()
        self.out.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.out)
        if self.done:
            self.log(f"resume: the run already finished its {a.iters} iterations; nothing to do")
            return
        n_params = sum(p.numel() for p in self.model.parameters())
        self.log(
            f"{a.model} on {self.data.n_chars} characters ({len(self.data.train)} train / "
            f"{len(self.data.val)} val, vocabulary {len(self.data.vocab)}): {n_params} "
            f"parameters; AdamW lr {a.lr} (warm-up {a.warmup_iters}, cosine to {a.min_lr}), "
            f"batch {a.batch_size} x {a.block_size}, {a.iters} iterations"
        )
        last = a.iters if a.stop_after is None else min(a.iters, a.stop_after)
        progress = _Progress(self.iter, a.iters, not a.no_progress, self.log)
        tokens = a.batch_size * a.block_size
        try:
            while True:
                due = self.iter % a.eval_interval == 0 or self.iter == a.iters
                if due and not (self.history and self.history[-1]["iter"] == self.iter):
                    self._evaluate(progress)
                    if self.iter < last:
                        self.save_checkpoint()
                if self.iter >= last:
                    break
                start = time.perf_counter()
                loss = self._step()
                self.train_seconds += time.perf_counter() - start
                self.losses.append(loss)
                self.iter += 1
                steps = len(self.losses)
                progress.update(self.iter, loss, steps * tokens / max(self.train_seconds, 1e-9))
                if a.checkpoint_every and self.iter % a.checkpoint_every == 0:
                    self.save_checkpoint()
        finally:
            progress.close()
        self.done = self.iter >= a.iters
        self.save_checkpoint()
        save_lm(self.out / "model.npz", self.model, a.model, self.data.vocab)
        if not self.done:
            self.log(f"stopped after iteration {self.iter} (--stop-after); continue with --resume")
            return
        self._finish(wall)

    def _finish(self, wall_start: float) -> None:
        a = self.args
        from train.lm import load_lm

        best, _, _ = load_lm(self.out / "best.npz")
        best_iter = min(self.history, key=lambda h: h["val_loss"])["iter"]
        self.model.load_state_dict(best.state_dict())
        val, windows = self.split_loss("val")
        wall = time.perf_counter() - wall_start
        steps, tokens = len(self.losses), a.batch_size * a.block_size
        result = {
            "val_loss": val, "val_windows": windows, "block_size": a.block_size,
            "best_iter": best_iter, "iters": a.iters, "train_seconds": self.train_seconds,
            "ms_per_iter": 1e3 * self.train_seconds / max(steps, 1),
            "tokens_per_second": steps * tokens / max(self.train_seconds, 1e-9),
            "run_seconds": wall,
        }  # fmt: skip
        _atomic_text(self.out / "result.json", json.dumps(result, indent=2) + "\n")
        self.log(
            f"done: {a.iters} iterations, {self.train_seconds:.1f} s of training steps "
            f"({result['ms_per_iter']:.1f} ms/iteration, {result['tokens_per_second']:.0f} "
            f"tokens/s); {wall:.1f} s in all, with the evaluations"
        )
        self.log(f"val loss {val:.4f}")
        self.log(
            f"(over the whole validation split: {windows} windows of {a.block_size} characters; "
            f"the weights of iteration {best_iter}, in {self.out / 'best.npz'})"
        )
        plot_losses(self.losses, self.history, self.out, self.log)


def _atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        tmp.write_text(text)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def plot_losses(
    losses: list[float], history: list[dict[str, Any]], out: Path, log: Callable[[str], None]
) -> None:
    """Save ``loss.png``: the training loss of every iteration and the estimated losses."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("note: matplotlib is not installed, so no loss.png (pip install -e '.[train]')")
        return
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(np.arange(1, len(losses) + 1), losses, lw=0.6, alpha=0.5, label="train (each batch)")
    its = [h["iter"] for h in history]
    ax.plot(its, [h["train_loss"] for h in history], "o-", label="train (estimate)")
    ax.plot(its, [h["val_loss"] for h in history], "o-", label="validation (estimate)")
    ax.set(xlabel="iteration", ylabel="cross-entropy (nats per character)", title="loss")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    tmp = out / f".loss.png.{secrets.token_hex(6)}.tmp"
    try:
        fig.savefig(tmp, dpi=100, format="png")
        plt.close(fig)
        os.replace(tmp, out / "loss.png")
    finally:
        tmp.unlink(missing_ok=True)
