"""The shared benchmark harness: each library in its own process, at its defaults,
alternated, with medians, spreads, ratios and peak memory.

A benchmark script declares its cases and hands them to :func:`main`::

    CASES = {"LeNet-5 step": {"minigrad": build_minigrad, "torch": build_torch}}
    if __name__ == "__main__":
        main(CASES, "LeNet-5 training step")

A builder is a module-level function that imports its library, builds the work
(model, data, optimizer) and returns a callable doing one unit of it (one step).
For every case the harness starts one child process per library (the same
script, re-run with ``--child LIB CASE``), so each library is imported alone,
with its own default thread pools and nothing set on its behalf. Each child
builds its case and warms up; then the parent alternates them, block by
block (A B A B ...; ``--rounds`` blocks each), each block about
``--block-seconds`` long with a short pause between blocks so that a library's
idle threads settle before the other one runs. Every call is timed alone.

Reported per case and library: the median over all timed calls, the spread
(the lowest and highest of the per-block medians, which shows load drift), the
ratio (the median of the per-round ratios, each round's blocks having run back
to back, and their range), and the peak resident
memory of the child (``ru_maxrss``, which includes the library's import), with,
in parentheses, how much of it came after the case was built (the peak minus
the resident memory just before the first step: what the steps themselves add).
``--threads 1`` (or the default ``--threads both``) runs every case a second
time with ``OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1`` set for
both children: the single-thread column.

The environment is passed to the children unchanged, with one labelled option:
``--openblas-native`` removes ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` from
the children's environment (this machine's environment pins OpenBLAS to its
Haswell kernels); the header says which was used.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Builder = Callable[[], Callable[[], Any]]
Cases = dict[str, dict[str, Builder]]

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
OPENBLAS_PINS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


# --------------------------------------------------------------------------- child side


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _current_rss_mb() -> float:
    with open("/proc/self/status") as f:
        line = next(x for x in f if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _child(cases: Cases, library: str, case: str, warmup: int) -> None:
    """Build the case, warm up, then time blocks of calls on request from the parent."""
    step = cases[case][library]()
    base = _current_rss_mb()
    start = time.perf_counter()
    for _ in range(max(warmup, 1)):
        step()
    per_call = (time.perf_counter() - start) / max(warmup, 1)
    _send({"ready": per_call, "version": _version(library)})
    for line in sys.stdin:
        command = line.split()
        if command[0] == "run":
            times = []
            for _ in range(int(command[1])):
                t0 = time.perf_counter()
                step()
                times.append(time.perf_counter() - t0)
            _send({"times": times})
        else:
            _send({"peak_rss_mb": _peak_rss_mb(), "step_rss_mb": _peak_rss_mb() - base})
            return


def _send(message: dict[str, Any]) -> None:
    sys.stdout.write("@@" + json.dumps(message) + "\n")
    sys.stdout.flush()


def _version(library: str) -> str:
    name = library.split("-")[0]
    module = sys.modules.get(name)
    return str(getattr(module, "__version__", "")) if module else ""


# --------------------------------------------------------------------------- parent side


class _Child:
    """One library's process for one case."""

    def __init__(self, script: str, library: str, case: str, env: dict[str, str], warmup: int):
        cmd = [sys.executable, script, "--child", library, case, "--warmup", str(warmup)]
        self.library = library
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        ready = self._receive()
        self.per_call, self.version = ready["ready"], ready["version"]

    def _receive(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("@@"):
                return dict(json.loads(line[2:]))
            sys.stderr.write(line)  # the case's own prints
        raise RuntimeError(f"the {self.library} process ended early (exit {self.proc.wait()})")

    def run(self, calls: int) -> list[float]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"run {calls}\n")
        self.proc.stdin.flush()
        return list(self._receive()["times"])

    def close(self) -> tuple[float, float]:
        assert self.proc.stdin is not None
        self.proc.stdin.write("exit\n")
        self.proc.stdin.flush()
        message = self._receive()
        self.proc.wait()
        return float(message["peak_rss_mb"]), float(message["step_rss_mb"])


@dataclass
class Result:
    """The timings of one library on one case, in seconds."""

    library: str
    version: str = ""
    blocks: list[list[float]] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    step_rss_mb: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(t for block in self.blocks for t in block)

    @property
    def block_medians(self) -> list[float]:
        return [statistics.median(block) for block in self.blocks]


def measure(
    script: str,
    case: str,
    libraries: Sequence[str],
    env: dict[str, str],
    rounds: int,
    block_seconds: float,
    warmup: int,
    pause: float,
) -> list[Result]:
    """Alternate the libraries' processes on one case; return their timings."""
    children = []
    try:
        for library in libraries:
            children.append(_Child(script, library, case, env, warmup))
            time.sleep(pause)
        results = [Result(c.library, c.version) for c in children]
        calls = [max(1, round(block_seconds / max(c.per_call, 1e-9))) for c in children]
        for _ in range(rounds):
            for child, result, n in zip(children, results, calls):
                result.blocks.append(child.run(n))
                time.sleep(pause)
        for child, result in zip(children, results):
            result.peak_rss_mb, result.step_rss_mb = child.close()
        return results
    finally:
        for child in children:
            if child.proc.poll() is None:
                child.proc.kill()


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3g}" if seconds < 0.1 else f"{seconds * 1e3:.0f}"


def spread(seconds: Sequence[float]) -> str:
    """``median (min-max)`` in milliseconds, for scripts that time whole commands."""
    return f"{_ms(statistics.median(seconds))} ({_ms(min(seconds))}-{_ms(max(seconds))})"


def _time_cell(r: Result) -> str:
    lo, hi = min(r.block_medians), max(r.block_medians)
    return f"{_ms(r.median)} ({_ms(lo)}-{_ms(hi)})"


def _ratio_cell(a: Result, b: Result) -> str:
    """The median of the per-round ratios (each round's two blocks ran back to back, so
    a burst of load on the machine mostly hits one round, not the headline), and
    their range."""
    per_block = [x / y for x, y in zip(a.block_medians, b.block_medians)]
    mid = statistics.median(per_block)
    return f"{mid:.2f}x ({min(per_block):.2f}-{max(per_block):.2f})"


def _row(case: str, by_threads: dict[str, list[Result]]) -> list[str]:
    cells = [case]
    for results in by_threads.values():
        cells += [_time_cell(r) for r in results]
        if len(results) == 2:
            cells.append(_ratio_cell(results[0], results[1]))
    first = next(iter(by_threads.values()))
    cells.append(" / ".join(f"{r.peak_rss_mb:.0f} (+{r.step_rss_mb:.0f})" for r in first))
    return cells


def _header(libraries: Sequence[str], thread_modes: Sequence[str]) -> list[str]:
    cells = ["case"]
    for mode in thread_modes:
        suffix = "" if mode == "default" else ", 1 thread"
        cells += [f"{lib} ms{suffix}" for lib in libraries]
        if len(libraries) == 2:
            cells.append(f"ratio{suffix}")
    cells.append("peak RSS MB (+ steps) " + " / ".join(libraries))
    return cells


def _print_table(rows: list[list[str]], markdown: bool) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        if markdown:
            print("| " + " | ".join(cells) + " |")
            if k == 0:
                print("|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in
                                     enumerate(widths)) + "|")  # fmt: skip
        else:
            print("  ".join(cells))


def main(
    cases: Cases,
    description: str,
    argv: list[str] | None = None,
    defaults: dict[str, Any] | None = None,
) -> None:
    """Run a benchmark script: as the parent (the table), or as one child process.

    ``defaults`` overrides the defaults of the options (e.g. ``{"rounds": 3}``).
    """
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--child":
        warmup = int(args[args.index("--warmup") + 1]) if "--warmup" in args else 3
        _child(cases, args[1], args[2], warmup)
        return
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--rounds", type=int, default=5, help="blocks per library (default 5)")
    p.add_argument("--block-seconds", type=float, default=0.5, help="length of a block")
    p.add_argument("--warmup", type=int, default=3, help="untimed calls before the first block")
    p.add_argument("--pause", type=float, default=0.2, help="seconds between blocks")
    p.add_argument("--threads", choices=("both", "default", "1"), default="both")
    p.add_argument("--openblas-native", action="store_true",
                   help="unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE in the children")  # fmt: skip
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    p.add_argument("--case", action="append", help="run only the cases containing this text")
    p.set_defaults(**(defaults or {}))
    opts = p.parse_args(args)
    script = os.path.abspath(sys.modules["__main__"].__file__ or sys.argv[0])
    env = dict(os.environ)
    if opts.openblas_native:
        for name in OPENBLAS_PINS:
            env.pop(name, None)
    modes = {"both": ["default", "1"], "default": ["default"], "1": ["1"]}[opts.threads]
    envs = {"default": env, "1": {**env, **ONE_THREAD}}
    selected = [c for c in cases if not opts.case or any(s in c for s in opts.case)]
    pins = ", ".join(f"{n}={env.get(n, '(unset)')}" for n in OPENBLAS_PINS)
    print(f"# {description}")
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{pins}")  # fmt: skip
    print(f"# each library in its own process at its defaults; {opts.rounds} alternated blocks "
          f"of ~{opts.block_seconds}s after {opts.warmup} warm-up calls; median ms "
          f"(min-max of block medians); ratio = first / second, median of the per-round "
          f"ratios (their range)")  # fmt: skip
    if "1" in modes:
        print("# '1 thread': OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 for both")
    tables: dict[tuple[str, ...], list[list[str]]] = {}
    versions: dict[str, str] = {}
    for case in selected:
        libraries = tuple(cases[case])
        by_threads = {}
        for mode in modes:
            results = measure(script, case, libraries, envs[mode], opts.rounds,
                              opts.block_seconds, opts.warmup, opts.pause)  # fmt: skip
            by_threads[mode] = results
            versions.update({r.library: r.version for r in results if r.version})
        rows = tables.setdefault(libraries, [_header(libraries, modes)])
        rows.append(_row(case, by_threads))
        print(f"#   done: {case}", file=sys.stderr, flush=True)
    if versions:
        print("# versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    for rows in tables.values():
        print()
        _print_table(rows, opts.markdown)
