"""Fuzzing the readers of untrusted files: minigrad.load, the IDX reader, the CIFAR reader.

Hypothesis draws truncations, bit flips, crafted headers (declared shapes and
sizes), crafted zip members and crafted pickles. Every file is read in one
long-lived child process (tests/_fuzz_child.py) whose address space is capped,
and which reports its peak memory after each file: the tests assert that only
the library's own error classes come out, that the peak stays within
:data:`MEMORY_BOUND` of the child's baseline, and that no crafted pickle ever
calls anything outside the allow-list (a canary records any call).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import pickle
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _tiny_data import idx_header
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from minigrad.serialization import MANIFEST

#: The most any single file may add to the loader's peak memory (the files are < 1 MB).
MEMORY_BOUND_KB = 200 * 1024
CHILD = Path(__file__).resolve().parent / "_fuzz_child.py"
ALLOWED = {
    "load": {"minigrad.serialization.SerializationError"},
    "idx": {"minigrad.data.idx.IDXError"},
    "cifar": {
        "minigrad.data.datasets.DatasetFormatError",
        "minigrad.data.safe_pickle.UnsafePickleError",
    },
}
FUZZ = settings(max_examples=40)


class Loader:
    """The child process, and what it reports."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.baseline = self._answer()["rss"]
        self.count = 0

    def _answer(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the loader process died (killed for memory?)"
        return json.loads(line)

    def read(self, op: str, data: bytes, suffix: str = "") -> dict[str, Any]:
        self.count += 1
        path = self.folder / f"f{self.count}{suffix}"
        path.write_bytes(data)
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, "path": str(path)}) + "\n")
        self.proc.stdin.flush()
        answer = self._answer()
        path.unlink()
        assert answer["error"] is None or answer["error"] in ALLOWED[op], answer
        grown = answer["rss"] - self.baseline
        assert grown < MEMORY_BOUND_KB, f"peak memory grew by {grown} KiB on {op}: {answer}"
        return answer


@pytest.fixture(scope="module")
def loader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loader]:
    child = Loader(tmp_path_factory.mktemp("fuzz"))
    yield child
    assert child.proc.stdin is not None
    child.proc.stdin.close()
    child.proc.wait(timeout=60)


# --------------------------------------------------------------------------- minigrad.load


def _valid_file() -> bytes:
    buf = io.BytesIO()
    state = {"w": np.arange(24, dtype=np.float32).reshape(2, 3, 4), "step": 7, "t": (1.5, "x")}
    minigrad.save(state, buf)
    return buf.getvalue()


VALID = _valid_file()


@FUZZ
@given(st.data())
def test_load_survives_truncations_and_bit_flips(loader: Loader, data: st.DataObject) -> None:
    blob = bytearray(VALID)
    if data.draw(st.booleans(), "truncate"):
        blob = blob[: data.draw(st.integers(0, len(blob) - 1), "length")]
    for _ in range(data.draw(st.integers(0 if blob != VALID else 1, 8), "flips")):
        if blob:
            blob[data.draw(st.integers(0, len(blob) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    loader.read("load", bytes(blob))


dims = st.lists(st.integers(0, 2**40), min_size=0, max_size=4).map(tuple)


@FUZZ
@given(
    shape=dims,
    dtype=st.sampled_from(["<f8", "<f4", "|u1", "<i8", "|b1", "<U8", "|O"]),
    payload=st.integers(0, 4096),
    refs=st.integers(1, 50),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
)
def test_load_allocates_only_what_the_file_holds(
    loader: Loader, shape: tuple[int, ...], dtype: str, payload: int, refs: int, method: int
) -> None:
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": dtype, "fortran_order": False, "shape": shape}
    )
    member = header.getvalue() + bytes(payload)
    tree = {"list": [{"array": "w"}] * refs}
    manifest = json.dumps({"format": "minigrad", "version": 1, "tree": tree}).encode()
    raw = io.BytesIO()
    np.lib.format.write_array(raw, np.frombuffer(manifest, np.uint8))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr(MANIFEST + ".npy", raw.getvalue())
        zf.writestr("w.npy", member)
    loader.read("load", buf.getvalue())


def test_known_bombs_against_load(loader: Loader) -> None:
    zeros = io.BytesIO()
    np.lib.format.write_array(zeros, np.zeros(1_000_000))  # 8 MB, deflates to ~8 KB
    manifest = json.dumps(
        {"format": "minigrad", "version": 1, "tree": {"list": [{"array": "w"}] * 300}}
    ).encode()
    raw = io.BytesIO()
    np.lib.format.write_array(raw, np.frombuffer(manifest, np.uint8))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST + ".npy", raw.getvalue())
        zf.writestr("w.npy", zeros.getvalue())
    assert loader.read("load", buf.getvalue())["error"] is not None  # 300 x 8 MB refused


# --------------------------------------------------------------------------- IDX


@FUZZ
@given(
    code=st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x07]),
    shape=st.lists(st.integers(0, 2**32 - 1), min_size=0, max_size=4).map(tuple),
    payload=st.integers(0, 2048),
    compressed=st.booleans(),
)
def test_idx_headers_never_allocate_more_than_the_file_justifies(
    loader: Loader, code: int, shape: tuple[int, ...], payload: int, compressed: bool
) -> None:
    blob = idx_header(code, shape) + bytes(payload)
    if compressed:
        loader.read("idx", gzip.compress(blob), "-idx.gz")
    else:
        loader.read("idx", blob, "-idx")


@FUZZ
@given(st.data())
def test_idx_survives_truncations_and_bit_flips(loader: Loader, data: st.DataObject) -> None:
    labels = gzip.compress(idx_header(8, (300,)) + bytes(range(10)) * 30)
    blob = bytearray(labels)
    blob = blob[: data.draw(st.integers(0, len(blob)), "length")]
    for _ in range(data.draw(st.integers(0, 6), "flips")):
        if blob:
            blob[data.draw(st.integers(0, len(blob) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    loader.read("idx", bytes(blob), "-idx.gz")


def test_known_bombs_against_idx(loader: Loader) -> None:
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb") as fh:  # 2 GB declared, 32 MB inflated
        fh.write(idx_header(8, (2**31 - 1,)))
        for _ in range(32):
            fh.write(bytes(1 << 20))
    assert loader.read("idx", bomb.getvalue(), "-idx.gz")["error"] is not None
    overflow = idx_header(8, (2**22, 2**21, 2**21))
    assert loader.read("idx", overflow, "-idx")["error"] == "minigrad.data.idx.IDXError"


# --------------------------------------------------------------------------- CIFAR pickles

CALLS: list[Any] = []


def canary(*args: Any) -> None:
    """Records a call; no crafted pickle may ever reach it."""
    CALLS.append(args)
    Path(os.environ.get("FUZZ_CANARY", "/nonexistent/canary")).touch()


def _global(module: str, name: str) -> bytes:
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"


GLOBALS = [
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),
    ("builtins", "eval"),
    ("os", "system"),
    ("test_fuzz_loaders", "canary"),
    ("numpy", "frombuffer"),
    ("numpy", "zeros"),
]


def _int(i: int) -> bytes:
    return b"J" + struct.pack("<i", i)


@st.composite
def crafted_pickles(draw: st.DrawFn) -> bytes:
    """Random calls of (allowed and forbidden) globals on random plain arguments."""
    atoms = st.one_of(
        st.integers(-(2**31), 2**31 - 1).map(_int),
        st.binary(max_size=40).map(lambda b: b"C" + bytes([len(b)]) + b),
        st.sampled_from([b"N", b"\x88", b"\x89", b"X\x02\x00\x00\x00u1", b"C\x01O", b"C\x01b"]),
    )
    calls = st.tuples(st.sampled_from(GLOBALS), st.lists(atoms, max_size=4))
    items = []
    for (module, name), args in draw(st.lists(calls, min_size=1, max_size=4)):
        items.append(_global(module, name) + b"(" + b"".join(args) + b"tR")
        if draw(st.booleans()):  # a BUILD with a random state tuple
            items[-1] += b"(" + b"".join(draw(st.lists(atoms, max_size=6))) + b"tb"
    body = b"".join(b"X\x04\x00\x00\x00data" + item + b"s" for item in items)
    return b"\x80\x02}" + body + b"X\x06\x00\x00\x00labels]s."


@FUZZ
@given(blob=crafted_pickles())
def test_crafted_pickles_call_nothing_outside_the_allow_list(
    loader: Loader, blob: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from minigrad.data import safe_pickle

    canary_file = tmp_path_factory.getbasetemp() / "canary-called"
    os.environ["FUZZ_CANARY"] = str(canary_file)
    try:
        safe_pickle.load(blob, name="data_batch_1")
    except pickle.UnpicklingError:  # UnsafePickleError is one
        pass
    assert CALLS == [] and not canary_file.exists()
    loader.read("cifar", blob)


@FUZZ
@given(st.data())
def test_cifar_batches_survive_truncations_and_bit_flips(
    loader: Loader, data: st.DataObject
) -> None:
    batch = {"batch_label": "x", "labels": [1, 2, 3], "data": np.zeros((3, 3072), np.uint8)}
    blob = bytearray(pickle.dumps(batch, protocol=data.draw(st.sampled_from([2, 5]), "protocol")))
    blob = blob[: data.draw(st.integers(0, len(blob)), "length")]
    for _ in range(data.draw(st.integers(0, 6), "flips")):
        if blob:
            blob[data.draw(st.integers(0, len(blob) - 1))] ^= 1 << data.draw(st.integers(0, 7))
    loader.read("cifar", bytes(blob))


def test_known_bombs_against_the_cifar_reader(loader: Loader) -> None:
    allocate = b"\x80\x02}X\x04\x00\x00\x00data" + _global("numpy", "ndarray")
    allocate += b"((" + _int(600_000) + _int(3072) + b"ttRsX\x06\x00\x00\x00labels]s."
    assert len(allocate) < 110
    assert loader.read("cifar", allocate)["error"] == "minigrad.data.safe_pickle.UnsafePickleError"
    huge = b"\x80\x05\x8e" + (2**34).to_bytes(8, "little") + b"abc."
    assert loader.read("cifar", huge)["error"] == "minigrad.data.datasets.DatasetFormatError"
