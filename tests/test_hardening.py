"""Issue 18, items 1-8, 10-11: what a crafted file, field or request must never do.

Each test here held a hole open on the old code and holds it shut now; the
fuzz suite (tests/test_fuzz_loaders.py) and the crash test
(tests/test_crash_resume.py) cover the same classes with random inputs.
"""

from __future__ import annotations

import copy
import io
import json
import os
import pickle
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import minigrad
from minigrad import random as mg_random
from minigrad.serialization import MANIFEST, SerializationError

# --------------------------------------------------------------------------- 1. RNG state


def test_rng_state_never_selects_a_function_to_call(monkeypatch: pytest.MonkeyPatch) -> None:
    called = []
    monkeypatch.setattr(np.random, "canary", lambda *a: called.append(a), raising=False)
    good = minigrad.get_rng_state()
    for name in ("canary", "test", "seed", "default_rng", "MT19937", "__class__"):
        with pytest.raises(ValueError, match="bit_generator must be one of"):
            minigrad.set_rng_state({**good, "bit_generator": name})
    assert called == []


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.pop("uinteger"),
        lambda s: s.update(extra=1),
        lambda s: s.update(state=[1, 2]),
        lambda s: s["state"].update(state=-1),
        lambda s: s["state"].update(inc=2**128),
        lambda s: s["state"].update(inc="7"),
        lambda s: s.update(has_uint32=True),
        lambda s: s.update(has_uint32=5),
        lambda s: s["state"].pop("inc"),
    ],
)
def test_malformed_rng_states_are_value_errors_and_change_nothing(change: Any) -> None:
    before = minigrad.get_rng_state()
    state = copy.deepcopy(before)
    change(state)
    with pytest.raises(ValueError, match="set_rng_state"):
        minigrad.set_rng_state(state)
    assert minigrad.get_rng_state() == before
    assert mg_random.default_generator().bit_generator.state == before


def test_a_checkpointed_rng_state_round_trips_through_json() -> None:
    state = json.loads(json.dumps(minigrad.get_rng_state()))
    a = minigrad.rand(4).numpy()
    minigrad.set_rng_state(state)
    np.testing.assert_array_equal(minigrad.rand(4).numpy(), a)


# --------------------------------------------------------------------------- 2. bounded loads


def npy_bytes(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, array, allow_pickle=False)
    return buf.getvalue()


def npy_header(shape: tuple[int, ...], dtype: str = "<f8") -> bytes:
    """An .npy header declaring ``shape`` (no data follows)."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        buf, {"descr": dtype, "fortran_order": False, "shape": shape}
    )
    return buf.getvalue()


def manifest_bytes(tree: Any) -> bytes:
    raw = json.dumps({"format": "minigrad", "version": 1, "tree": tree}).encode()
    return npy_bytes(np.frombuffer(raw, np.uint8))


def minigrad_zip(tree: Any, members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr(MANIFEST + ".npy", manifest_bytes(tree))
        for name, data in members.items():
            zf.writestr(name + ".npy", data)
    return buf.getvalue()


def test_a_header_declaring_a_trillion_elements_is_refused_before_allocating() -> None:
    blob = minigrad_zip({"array": "w"}, {"w": npy_header((10**6, 10**6))})
    with pytest.raises(SerializationError, match=r"declares shape \(1000000, 1000000\)"):
        minigrad.load(io.BytesIO(blob))


def test_one_member_referenced_many_times_is_refused() -> None:
    member = npy_bytes(np.zeros(1_000_000))  # 8 MB of zeros, deflated to ~8 KB
    blob = minigrad_zip({"list": [{"array": "w"}] * 300}, {"w": member}, zipfile.ZIP_DEFLATED)
    assert len(blob) < 20_000
    with pytest.raises(SerializationError, match="refers to array 'w' more than once"):
        minigrad.load(io.BytesIO(blob))


def test_a_member_declaring_more_than_deflate_can_produce_is_refused() -> None:
    member = npy_bytes(np.zeros(1000))
    blob = bytearray(minigrad_zip({"array": "w"}, {"w": member}, zipfile.ZIP_DEFLATED))
    # Rewrite the declared uncompressed size of 'w' (central directory) to 2 GB.
    with zipfile.ZipFile(io.BytesIO(bytes(blob))) as zf:
        info = zf.getinfo("w.npy")
    pos = blob.index(b"PK\x01\x02", blob.index(b"PK\x01\x02") + 4)  # the second entry: w.npy
    assert blob[pos + 46 : pos + 46 + 5] == b"w.npy"
    blob[pos + 24 : pos + 28] = (2 * 10**9).to_bytes(4, "little")
    with pytest.raises(SerializationError, match=r"at most .* are possible"):
        minigrad.load(io.BytesIO(bytes(blob)))
    assert info.file_size == len(member)


def test_max_bytes_bounds_what_a_file_may_allocate() -> None:
    big = {"w": np.zeros(1_000_000)}  # 8 MB
    buf = io.BytesIO()
    minigrad.save(big, buf)
    buf.seek(0)
    with pytest.raises(SerializationError, match="raise the limit"):
        minigrad.load(buf, max_bytes=1_000_000)
    buf.seek(0)
    assert minigrad.load(buf, max_bytes=9_000_000)["w"].shape == (1_000_000,)


def test_overlapping_members_are_refused() -> None:
    inner = npy_bytes(np.zeros(4))
    inner_name, outer_name = b"w.npy", b"o.npy"
    lh_inner = _local_header(inner_name, inner)
    outer_data = lh_inner + inner  # the outer member's bytes *contain* the inner member
    lh_outer = _local_header(outer_name, outer_data)
    body = lh_outer + outer_data
    entries = [(outer_name, outer_data, 0), (inner_name, inner, len(lh_outer))]
    central = b"".join(_central_entry(n, d, off) for n, d, off in entries)
    end = (
        b"PK\x05\x06"
        + (0).to_bytes(4, "little")
        + len(entries).to_bytes(2, "little") * 2
        + len(central).to_bytes(4, "little")
        + len(body).to_bytes(4, "little")
        + b"\x00\x00"
    )
    with pytest.raises(SerializationError, match="overlaps"):
        minigrad.load(io.BytesIO(body + central + end))


def _local_header(name: bytes, data: bytes) -> bytes:
    crc = zipfile.crc32(data)
    return (
        b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00"
        + crc.to_bytes(4, "little")
        + len(data).to_bytes(4, "little") * 2
        + len(name).to_bytes(2, "little")
        + b"\x00\x00"
        + name
    )


def _central_entry(name: bytes, data: bytes, offset: int) -> bytes:
    crc = zipfile.crc32(data)
    return (
        b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00"
        + crc.to_bytes(4, "little")
        + len(data).to_bytes(4, "little") * 2
        + len(name).to_bytes(2, "little")
        + b"\x00\x00" * 4
        + b"\x00\x00\x00\x00"
        + offset.to_bytes(4, "little")
        + name
    )


def test_a_fifo_is_refused_instead_of_read_for_ever(tmp_path: Path) -> None:
    fifo = tmp_path / "weights.npz"
    os.mkfifo(fifo)
    with pytest.raises(SerializationError, match="is a FIFO"):
        minigrad.load(fifo)
    with pytest.raises(SerializationError, match="is a directory"):
        minigrad.load(tmp_path)


def _idx_header(code: int, shape: tuple[int, ...]) -> bytes:
    return bytes([0, 0, code, len(shape)]) + b"".join(d.to_bytes(4, "big") for d in shape)


def test_an_idx_header_whose_size_overflows_int64_is_an_idx_error(tmp_path: Path) -> None:
    from minigrad.data.idx import IDXError, read_idx

    path = tmp_path / "images-idx3-ubyte"
    path.write_bytes(_idx_header(8, (2**22, 2**21, 2**21)))
    with pytest.raises(IDXError, match=r"declares shape \(4194304, 2097152, 2097152\)"):
        read_idx(path)


def test_an_idx_gz_is_not_inflated_past_what_its_header_and_size_justify(tmp_path: Path) -> None:
    import gzip

    from minigrad.data.idx import IDXError, read_idx

    path = tmp_path / "labels-idx1-ubyte.gz"
    with gzip.open(path, "wb") as fh:  # 2 GB of labels declared; ~6 MB of zeros written
        fh.write(_idx_header(8, (2**31 - 1,)))
        fh.write(bytes(6 << 20))
    with pytest.raises(IDXError, match="more than the compressed file can hold"):
        read_idx(path)
    honest = tmp_path / "honest-idx1-ubyte.gz"
    honest.write_bytes(gzip.compress(_idx_header(8, (3_000_000,)) + bytes(3_000_000)))
    with pytest.raises(IDXError, match=r"more than the limit of 1000000 bytes.*max_bytes"):
        read_idx(honest, max_bytes=1_000_000)
    assert read_idx(honest).shape == (3_000_000,)


def test_idx_reader_opens_only_regular_files(tmp_path: Path) -> None:
    from minigrad.data.idx import IDXError, read_idx

    fifo = tmp_path / "t10k-labels-idx1-ubyte"
    os.mkfifo(fifo)
    with pytest.raises(IDXError, match="is a FIFO"):
        read_idx(fifo)


# --------------------------------------------------------------------------- 3. CIFAR pickles

try:
    from numpy._core.multiarray import _reconstruct
except ImportError:  # pragma: no cover - NumPy 1.x
    from numpy.core.multiarray import _reconstruct  # type: ignore[no-redef]


class _Reduces:
    """Pickles as ``func(*args)`` (then ``__setstate__(state)`` if a state is given)."""

    def __init__(self, func: Any, args: tuple[Any, ...], state: Any = None) -> None:
        self.value = (func, args) if state is None else (func, args, state)

    def __reduce__(self) -> Any:
        return self.value


def _cifar_batch(data: Any, labels: Any = None, protocol: int = 2) -> bytes:
    return pickle.dumps({"data": data, "labels": [0] if labels is None else labels}, protocol)


@pytest.mark.parametrize(
    "data, message",
    [
        (_Reduces(np.ndarray, ((600_000, 3072),)), r"numpy\.ndarray\(\.\.\.\) called directly"),
        (_Reduces(_reconstruct, (np.ndarray, (3,), b"O")), r"refusing _reconstruct"),
        (
            _Reduces(_reconstruct, (np.ndarray, (0,), b"b"), (1, (2, 3), np.dtype("u1"), 0, 7)),
            "malformed array state",
        ),
        (
            _Reduces(_reconstruct, (np.ndarray, (0,), b"b"), (1, (9, 9), np.dtype("u1"), 0, b"x")),
            "needs 81 bytes, its data holds 1",
        ),
        (np.array([{"a": 1}], dtype=object), "object dtype"),
    ],
)
@pytest.mark.parametrize("protocol", [2, 5])
def test_cifar_unpickler_builds_only_complete_plain_arrays(
    data: Any, message: str, protocol: int
) -> None:
    from minigrad.data.safe_pickle import UnsafePickleError, load

    blob = _cifar_batch(data, protocol=protocol)
    with pytest.raises(UnsafePickleError, match=message):
        load(blob, name="data_batch_1")


def test_a_pickle_declaring_a_huge_bytes_object_is_refused_before_allocating() -> None:
    from minigrad.data.safe_pickle import load

    for opcode in (b"\x8e", b"\x96"):  # BINBYTES8, BYTEARRAY8: 16 GiB declared, 3 bytes present
        blob = b"\x80\x05" + opcode + (2**34).to_bytes(8, "little") + b"abc."
        with pytest.raises(pickle.UnpicklingError, match="not a valid pickle"):
            load(blob, name="data_batch_1")


@pytest.mark.parametrize(
    "batch, message",
    [
        ({"data": np.zeros((1, 3072), np.uint8), "labels": [0], "x": 1}, "found keys"),
        ({"data": np.zeros((1, 3072), np.uint8)}, "found keys"),
        ({"data": np.zeros((1, 3072), np.uint8), "labels": [0.0]}, "list of float"),
        ({"data": np.zeros((1, 3072), np.uint8), "labels": [True]}, "list of bool"),
        ({"data": np.zeros((1, 3072), np.uint8), "labels": np.zeros(1)}, "found ndarray"),
    ],
)
def test_cifar_batches_must_have_exactly_the_real_structure(
    tmp_path: Path, data_root: Path, batch: Any, message: str
) -> None:
    import shutil

    from minigrad.data import CIFAR10, DatasetFormatError

    folder = tmp_path / "cifar10" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    shutil.copy(data_root / "cifar10/cifar-10-batches-py/batches.meta", folder)
    (folder / "test_batch").write_bytes(pickle.dumps(batch, protocol=2))
    with pytest.raises(DatasetFormatError, match=message):
        CIFAR10(tmp_path, train=False)


def test_verify_checks_the_published_md5(tmp_path: Path, data_root: Path) -> None:
    import shutil

    from minigrad.data import CIFAR10, MNIST, ChecksumError

    assert len(MNIST(data_root, train=False, verify=True)) == 10_000  # the canonical files
    with pytest.raises(ChecksumError, match=r"test_batch: md5 .* differs from the published"):
        CIFAR10(data_root, train=False, verify=True)  # ../shared/data holds a subset
    assert len(CIFAR10(data_root, train=False)) == 1017  # verify is off by default
    (tmp_path / "mnist").mkdir()
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        shutil.copy(data_root / "mnist" / name, tmp_path / "mnist")
    labels = tmp_path / "mnist" / "t10k-labels-idx1-ubyte.gz"
    blob = bytearray(labels.read_bytes())
    blob[-9] ^= 1  # one flipped bit; the gzip CRC would catch it too, md5 catches it first
    labels.write_bytes(bytes(blob))
    with pytest.raises(ChecksumError, match=r"t10k-labels-idx1-ubyte\.gz: md5"):
        MNIST(tmp_path, train=False, verify=True)
