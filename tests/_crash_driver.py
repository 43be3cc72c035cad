"""Run ``train.mnist`` and kill it with SIGKILL at a chosen point (for tests/test_crash_resume.py).

Usage: ``python tests/_crash_driver.py KILL ARGS...`` where ``KILL`` is ``none``,
``step:K`` (SIGKILL inside the K-th training forward pass of this process) or
``save:J`` (SIGKILL in the middle of the J-th file written by ``minigrad.save``:
half of its bytes are on disk in the temporary file, nothing is renamed).
Nothing here is part of minigrad: the kill points are patched in from outside.
"""

from __future__ import annotations

import io
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import minigrad.serialization
import models.lenet
from train import mnist


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def kill_at_step(k: int) -> None:
    forward = models.lenet.LeNet5.forward
    count = [0]

    def counting_forward(self, x):  # type: ignore[no-untyped-def]
        if self.training:
            count[0] += 1
            if count[0] == k:
                _die()
        return forward(self, x)

    models.lenet.LeNet5.forward = counting_forward  # type: ignore[method-assign]


def kill_in_save(j: int) -> None:
    write = minigrad.serialization._write
    count = [0]

    def half_write(fh, arrays, manifest):  # type: ignore[no-untyped-def]
        count[0] += 1
        if count[0] != j:
            return write(fh, arrays, manifest)
        buf = io.BytesIO()
        write(buf, arrays, manifest)
        data = buf.getvalue()
        fh.write(data[: len(data) // 2])
        fh.flush()
        _die()

    minigrad.serialization._write = half_write


if __name__ == "__main__":
    kind, _, value = sys.argv[1].partition(":")
    if kind == "step":
        kill_at_step(int(value))
    elif kind == "save":
        kill_in_save(int(value))
    sys.exit(mnist.main(sys.argv[2:]))
