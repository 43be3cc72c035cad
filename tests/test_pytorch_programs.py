"""PyTorch programs run on minigrad with only the package name changed (issue 15).

Each program under ``tests/pytorch_programs/`` is plain PyTorch, written in the style
of the official tutorials. The test rewrites its imports (``import torch`` ->
``import minigrad as torch``, ``from torch.X import Y`` -> ``from minigrad.X import Y``,
torchvision's datasets and transforms -> ``minigrad.data``'s), runs it in a fresh
process, and, when PyTorch is installed (and torchvision for the programs that use
it), runs the original too and compares every number printed: the same count, each
equal within float32 tolerance, and the same ``True``/``False`` answers.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
PROGRAMS = sorted(p for p in (HERE / "pytorch_programs").glob("*.py") if p.name != "conftest.py")
REPO = HERE.parent

_RULES = [
    (re.compile(r"^(\s*)import torch\.(\S+) as (\w+)", re.M), r"\1import minigrad.\2 as \3"),
    (re.compile(r"^(\s*)import torch\b(?! as)", re.M), r"\1import minigrad as torch"),
    (re.compile(r"^(\s*)import torch as (\w+)", re.M), r"\1import minigrad as \2"),
    (re.compile(r"^(\s*)from torch(\.[\w.]+)? import", re.M), r"\1from minigrad\2 import"),
    (re.compile(r"^(\s*)from torchvision import datasets, transforms", re.M),
     r"\1from minigrad.data import datasets, transforms"),
    (re.compile(r"^(\s*)from torchvision(\.[\w.]+)? import", re.M), r"\1from minigrad.data import"),
]  # fmt: skip


def rewrite(source: str) -> str:
    """The program with every torch import pointed at minigrad (nothing else changes).

    Example:
        >>> print(rewrite("import torch\\nimport torch.nn as nn\\nfrom torch.utils.data import X"))
        import minigrad as torch
        import minigrad.nn as nn
        from minigrad.utils.data import X
    """
    for pattern, replacement in _RULES:
        source = pattern.sub(replacement, source)
    return source


def _run(source: str, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, f"{name} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|\b(?:True|False)\b")


def numbers(text: str) -> list[str]:
    """The numbers and booleans a program printed (object addresses dropped).

    Example:
        >>> numbers("tensor([1.5000, -2.]) True <AddBackward0 object at 0x7f3a>")
        ['1.5000', '-2.', 'True']
    """
    text = re.sub(r" object at 0x[0-9a-f]+", "", text)
    text = re.sub(r"[A-Za-z_]\w*\d\w*", "", text)  # names such as AddBackward0, float32, fc1
    return _NUMBER.findall(text)


def _close(a: str, b: str) -> bool:
    if a in ("True", "False") or b in ("True", "False"):
        return a == b
    x, y = float(a), float(b)
    return abs(x - y) <= 2e-3 * max(abs(x), abs(y)) + 2e-4


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_runs_on_minigrad_and_matches_pytorch(program: Path, tmp_path: Path) -> None:
    source = program.read_text(encoding="utf-8")
    if "MINIGRAD_DATA" in source and not os.environ.get("MINIGRAD_DATA"):
        pytest.skip("needs the datasets in MINIGRAD_DATA")
    rewritten = rewrite(source)
    assert "import torch" not in rewritten.replace("import minigrad as torch", "")
    ours = _run(rewritten, tmp_path, "minigrad_" + program.name)
    assert ours.strip(), f"{program.name} printed nothing"
    oracle = ["torch", "torchvision"] if "torchvision" in source else ["torch"]
    if any(importlib.util.find_spec(name) is None for name in oracle):
        return  # it ran on minigrad; without the oracle there is nothing to compare with
    theirs = _run(source, tmp_path, "torch_" + program.name)
    got, expected = numbers(ours), numbers(theirs)
    assert len(got) == len(expected), (
        f"{program.name}: minigrad printed {len(got)} numbers, PyTorch {len(expected)}\n"
        f"--- minigrad\n{ours}\n--- PyTorch\n{theirs}"
    )
    bad = [(i, g, e) for i, (g, e) in enumerate(zip(got, expected)) if not _close(g, e)]
    assert not bad, (
        f"{program.name}: {len(bad)} numbers differ (index, minigrad, PyTorch): {bad[:10]}\n"
        f"--- minigrad\n{ours}\n--- PyTorch\n{theirs}"
    )


def test_rewrite_leaves_no_torch_import() -> None:
    src = "import torch\nimport torch.nn.functional as F\nfrom torch import nn\nx = torch.ones(2)\n"
    out = rewrite(src)
    assert out.splitlines()[:3] == [
        "import minigrad as torch",
        "import minigrad.nn.functional as F",
        "from minigrad import nn",
    ]
    assert out.endswith("x = torch.ones(2)\n")
