"""minigrad._malloc: freed arrays are kept for reuse instead of being faulted in again."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import minigrad
from minigrad import _malloc

ROOT = Path(__file__).resolve().parent.parent
GLIBC = sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION") is not None

#: A training step's pattern: twelve 8 MiB arrays are made and filled (2,048 pages
#: each), then all freed, ten times over; prints the minor page faults of the last nine
#: rounds and whether the thresholds were set.
_CHURN = """
import resource, numpy as np, minigrad
from minigrad import _malloc
def step():
    arrays = [np.empty(2**21, np.float32) for _ in range(12)]
    for a in arrays:
        a.fill(1.0)
step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(9):
    step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before, _malloc.tuned())
"""


def _churn(**env: str) -> tuple[int, bool]:
    out = subprocess.run(
        [sys.executable, "-c", _CHURN], capture_output=True, text=True, check=True,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    ).stdout.split()  # fmt: skip
    return int(out[0]), out[1] == "True"


@pytest.mark.skipif(not GLIBC, reason="the thresholds are glibc's")
def test_importing_minigrad_sets_the_thresholds_once() -> None:
    assert minigrad._malloc.tuned()
    assert _malloc.tune() is True  # a second call changes nothing


@pytest.mark.skipif(not GLIBC, reason="the thresholds are glibc's")
def test_freed_arrays_are_reused_not_faulted_in_again() -> None:
    faults, tuned = _churn()
    system_faults, system_tuned = _churn(MINIGRAD_MALLOC="system")
    assert tuned and not system_tuned
    assert faults < 500, faults  # reused: the pages stay mapped
    assert system_faults > 20 * 2048, system_faults  # glibc's defaults: faulted in again


def test_the_opt_out_is_honoured_everywhere() -> None:
    assert _churn(MINIGRAD_MALLOC=" System ")[1] is False
