"""SIGKILL during training (mid-step and mid-write), resume, and compare with a run never killed.

The run checkpoints every few steps (``--checkpoint-every``), so resumed runs
continue mid-epoch; the final weights and metrics must equal an uninterrupted
run's bit for bit, and no temporary file may be left behind. The budget is
small: a tiny real MNIST (192 training digits), 2 epochs of 6 steps, and a few
kills at random points drawn from a fixed seed.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from _tiny_data import write_tiny_mnist

import minigrad

DRIVER = Path(__file__).resolve().parent / "_crash_driver.py"
STEPS = 12  # 2 epochs x 6 batches of 32


def _run(kill: str, args: list[str]) -> int:
    command = [sys.executable, str(DRIVER), kill, *args]
    # The timeout only guards against a hang; no assertion is made about time.
    return subprocess.run(command, capture_output=True, text=True, timeout=300).returncode


def _weights(path: Path) -> dict[str, np.ndarray]:
    return {k: np.asarray(v) for k, v in minigrad.load(path).items()}


def _accuracies(out: Path) -> list[float]:
    return [h["test_acc"] for h in json.loads((out / "metrics.json").read_text())]


@pytest.mark.parametrize("seed", [18])
def test_sigkill_anywhere_then_resume_ends_bit_identical(
    tmp_path: Path, data_root: Path, seed: int
) -> None:
    from train import mnist

    root = write_tiny_mnist(tmp_path / "data")
    common = ["--data-dir", str(root), "--batch-size", "32", "--epochs", "2", "--seed", "5"]
    common += ["--checkpoint-every", "2", "--no-progress"]
    straight = tmp_path / "straight"
    assert mnist.main([*common, "--out", str(straight)]) == 0

    out = tmp_path / "killed"
    rng = random.Random(seed)
    plan = ["step:3", "save:2"]  # a kill mid-step and one mid-write, then random ones
    plan += [rng.choice([f"step:{rng.randint(1, STEPS)}", f"save:{rng.randint(1, 6)}"])]
    plan += [f"step:{rng.randint(1, 4)}"]
    kills = 0
    for kill in plan:
        resume = ["--resume"] if (out / "checkpoint.npz").exists() else []
        status = _run(kill, [*common, "--out", str(out), *resume])
        assert status in (-signal.SIGKILL, 0), (kill, status)
        kills += status == -signal.SIGKILL
        if status == 0:
            break
    assert kills >= 2
    if not (out / "metrics.json").exists() or len(_accuracies(out)) < 2:
        resume = ["--resume"] if (out / "checkpoint.npz").exists() else []
        assert _run("none", [*common, "--out", str(out), *resume]) == 0

    a, b = _weights(straight / "model.npz"), _weights(out / "model.npz")
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    np.testing.assert_array_equal(_weights(straight / "best.npz")["conv1.weight"],
                                  _weights(out / "best.npz")["conv1.weight"])  # fmt: skip
    assert _accuracies(straight) == _accuracies(out)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
