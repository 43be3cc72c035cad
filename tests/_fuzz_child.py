"""The loader process of tests/test_fuzz_loaders.py: loads what it is told, reports memory.

Reads one JSON request a line from stdin, ``{"op": "load" | "idx" | "cifar", "path": P}``,
and answers one JSON line: the exception class raised (or ``null``), its message,
and the process's peak resident memory so far (``ru_maxrss``, KiB). Its address
space is capped (``RLIMIT_AS``) so that a loader that over-allocates fails here
with ``MemoryError`` instead of exhausting the machine.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AS_LIMIT = 3 * 2**30


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
    import minigrad
    from minigrad.data import CIFAR10
    from minigrad.data.idx import read_idx

    cifar = object.__new__(CIFAR10)
    cifar.classes = list(CIFAR10.default_classes)

    def run(op: str, path: str) -> None:
        if op == "load":
            minigrad.load(path)
        elif op == "idx":
            read_idx(path)
        else:
            cifar._read_batch(Path(path).read_bytes(), path)

    print(json.dumps({"ready": True, "rss": _rss()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        error = message = None
        try:
            run(request["op"], request["path"])
        except BaseException as e:  # report everything, the test decides what is allowed
            error, message = f"{type(e).__module__}.{type(e).__qualname__}", str(e)[:300]
        print(json.dumps({"error": error, "message": message, "rss": _rss()}), flush=True)


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main()
