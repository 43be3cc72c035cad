"""Training checkpoints: read one and check every field, and continue its configuration.

A checkpoint (``--out/checkpoint.npz``) is a :func:`minigrad.save` file holding
the model, optimizer and scheduler states, the RNG state, the epoch, the step,
the data loader's position and, mid-epoch, the epoch's running totals, the
metrics so far and the configuration of the run (its command-line options).
:func:`read_checkpoint` refuses a file that is anything else, naming the field;
:func:`continue_config` makes ``--resume`` continue the recorded run.

Example:
    >>> import argparse
    >>> from train.checkpoint import continue_config
    >>> args = argparse.Namespace(batch_size=64, epochs=8, out="runs/m", resume=True)
    >>> continue_config(args, {"batch_size": 32, "epochs": 8, "out": "old"}, explicit={"out"})
    >>> args.batch_size, args.out
    (32, 'runs/m')
    >>> args.batch_size = 16
    >>> continue_config(args, {"batch_size": 32, "epochs": 8}, explicit={"batch_size"})
    Traceback (most recent call last):
    ...
    train.checkpoint.CheckpointError: resume: the checkpoint's run has --batch-size 32; ...
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

import minigrad

CHECKPOINT = "checkpoint.npz"
FORMAT = "minigrad-checkpoint"

#: Options that may differ on ``--resume``: where and how the run is watched, not what it does.
FREE_ON_RESUME = frozenset(
    ["out", "resume", "stop_after", "no_progress", "debug", "data_dir", "download",
     "checkpoint_every", "weights", "allow_nonfinite", "distributed", "eval_only"]
)  # fmt: skip


class CheckpointError(ValueError):
    """A checkpoint that cannot be resumed: missing, damaged, or from another run.

    Example:
        >>> from train.checkpoint import CheckpointError
        >>> issubclass(CheckpointError, ValueError)
        True
    """


def _field(state: dict[str, Any], key: str, kinds: Any, what: str, path: Path) -> Any:
    if key not in state:
        raise CheckpointError(
            f"resume: {path} has no {key!r} field; it is not a complete minigrad training "
            "checkpoint (start a new run with another --out, or without --resume)"
        )
    value = state[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in _tuple(kinds)):
        raise CheckpointError(
            f"resume: {path}: field {key!r} holds a {type(value).__name__}, expected {what}; "
            "the checkpoint is damaged"
        )
    return value


def _tuple(kinds: Any) -> tuple[Any, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _json(state: dict[str, Any], key: str, kind: type, path: Path) -> Any:
    text = _field(state, key, str, "a JSON string", path)
    try:
        value = json.loads(text)
    except ValueError as e:
        raise CheckpointError(f"resume: {path}: field {key!r} is not valid JSON ({e})") from None
    if not isinstance(value, kind):
        raise CheckpointError(
            f"resume: {path}: field {key!r} holds a JSON {type(value).__name__}, "
            f"expected a {kind.__name__}"
        )
    return value


def read_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load ``path`` and check that it is a complete training checkpoint.

    Returns the checkpoint with its JSON fields (``rng``, ``history``,
    ``config``) decoded.

    Raises:
        CheckpointError: no file, not a checkpoint (e.g. a weights file), or a field
            missing or of the wrong type (named in the message).
        minigrad.serialization.SerializationError: the file itself is unreadable.

    Example:
        >>> import os, tempfile
        >>> import numpy as np, minigrad
        >>> from train.checkpoint import read_checkpoint
        >>> path = os.path.join(tempfile.mkdtemp(), "checkpoint.npz")
        >>> minigrad.save({"fc.weight": np.zeros((2, 2))}, path)  # weights, not a checkpoint
        >>> read_checkpoint(path)
        Traceback (most recent call last):
        ...
        train.checkpoint.CheckpointError: resume: ... is a weights file (a state dict), ...
    """
    path = Path(path)
    if not path.exists():
        raise CheckpointError(
            f"resume: no checkpoint at {path}; run without --resume first (same --out)"
        )
    state = minigrad.load(path)
    if not isinstance(state, dict):
        raise CheckpointError(
            f"resume: {path} holds a {type(state).__name__}, not a training checkpoint"
        )
    if "format" not in state and all(
        isinstance(v, (minigrad.Tensor, np.ndarray)) for v in state.values()
    ):
        raise CheckpointError(
            f"resume: {path} is a weights file (a state dict), not a training checkpoint; "
            "--resume continues --out/checkpoint.npz, and --weights starts from weights"
        )
    if state.get("format") != FORMAT:
        raise CheckpointError(
            f"resume: {path}: field 'format' is {state.get('format')!r:.40}, expected {FORMAT!r}; "
            "not a checkpoint this version of the training programs wrote"
        )
    out = dict(state)
    _field(state, "model", dict, "a state dict", path)
    _field(state, "optimizer", dict, "an optimizer state dict", path)
    _field(state, "scheduler", (dict, type(None)), "a scheduler state dict or None", path)
    for key in ("epoch", "step"):
        if _field(state, key, int, "a non-negative int", path) < 0:
            raise CheckpointError(f"resume: {path}: field {key!r} is negative")
    running = _field(state, "running", (dict, type(None)), "running totals or None", path)
    loader = _field(state, "loader", (dict, type(None)), "a data loader state or None", path)
    if running is not None:
        _check_running(running, loader, state["epoch"], path)
    out["rng"] = _json(state, "rng", dict, path)
    out["history"] = _json(state, "history", list, path)
    out["config"] = _json(state, "config", dict, path)
    if not all(isinstance(h, dict) for h in out["history"]):
        raise CheckpointError(f"resume: {path}: field 'history' must be a list of dicts")
    if len(out["history"]) != state["epoch"]:
        raise CheckpointError(
            f"resume: {path}: 'history' holds {len(out['history'])} epochs but 'epoch' "
            f"says {state['epoch']}; the checkpoint is damaged"
        )
    return out


def _check_running(running: dict[str, Any], loader: Any, epoch: int, path: Path) -> None:
    kinds = {"loss": float, "correct": int, "seen": int, "batch": int, "seconds": float}
    for key, kind in kinds.items():
        value = running.get(key)
        if not isinstance(value, kind) or isinstance(value, bool) or value < 0:
            raise CheckpointError(
                f"resume: {path}: field 'running'[{key!r}] is {value!r:.40}, expected a "
                f"non-negative {kind.__name__}"
            )
    if not isinstance(loader, dict) or loader.get("epoch") != epoch:
        raise CheckpointError(
            f"resume: {path}: the loader position {loader!r:.60} does not match epoch {epoch}"
        )
    if loader.get("batch") != running["batch"]:
        raise CheckpointError(
            f"resume: {path}: the loader is at batch {loader.get('batch')!r} but the running "
            f"totals at batch {running['batch']}"
        )


def _flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def _shown(value: Any) -> str:
    return "(not set)" if value is None else str(value)


def continue_config(args: argparse.Namespace, config: dict[str, Any], explicit: set[str]) -> None:
    """Make ``args`` continue the run recorded in ``config`` (``--resume``).

    Options not given on this command line take the checkpoint's values; an option
    given with a different value is refused, naming it, unless it is in
    :data:`FREE_ON_RESUME` (output, progress, data location, checkpoint frequency).

    Raises:
        CheckpointError: an option conflicts with the checkpoint's run.
    """
    for key, recorded in config.items():
        if key in FREE_ON_RESUME or not hasattr(args, key):
            continue
        current = getattr(args, key)
        if key in explicit and current != recorded:
            raise CheckpointError(
                f"resume: the checkpoint's run has {_flag(key)} {_shown(recorded)}; "
                f"{_flag(key)} {_shown(current)} cannot be honoured mid-run. Leave "
                f"{_flag(key)} out to continue the run, or start a new run with another --out"
            )
        setattr(args, key, recorded)


def explicit_options(parser: argparse.ArgumentParser, argv: list[str] | None) -> set[str]:
    """The destinations of the options given on the command line ``argv``.

    Example:
        >>> import argparse
        >>> from train.checkpoint import explicit_options
        >>> p = argparse.ArgumentParser()
        >>> _ = p.add_argument("--epochs", type=int, default=3)
        >>> _ = p.add_argument("--lr", type=float, default=0.1)
        >>> explicit_options(p, ["--lr", "0.5"])
        {'lr'}
    """
    defaults = {action.dest: action.default for action in parser._actions}
    try:
        for action in parser._actions:
            action.default = argparse.SUPPRESS
        given = parser.parse_args(argv)
    finally:
        for action in parser._actions:
            action.default = defaults[action.dest]
    return set(vars(given))
