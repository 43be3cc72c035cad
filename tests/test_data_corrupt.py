"""Corrupt and hostile inputs: clear errors naming the file, and no code ever runs."""

from __future__ import annotations

import gzip
import os
import pickle
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from minigrad.data import CIFAR10, MNIST, DatasetFormatError, IDXError, UnsafePickleError
from minigrad.data.idx import read_idx
from minigrad.data.safe_pickle import load as safe_load


def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write_mnist(folder: Path, images: bytes, labels: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(images))
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(labels))


@pytest.fixture
def small_mnist(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    write_mnist(tmp_path / "mnist", idx_bytes(images), idx_bytes(np.arange(5, dtype=np.uint8)))
    return tmp_path


def test_small_valid_file_reads(small_mnist):
    ds = MNIST(small_mnist, train=False)
    assert ds.data.shape == (5, 1, 28, 28) and ds.targets.tolist() == [0, 1, 2, 3, 4]


def test_truncated_gzip_names_the_file(small_mnist, data_root, tmp_path):
    path = small_mnist / "mnist" / "t10k-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(IDXError, match=r"t10k-images-idx3-ubyte\.gz: truncated gzip stream"):
        MNIST(small_mnist, train=False)
    # a real file cut in half
    real = tmp_path / "real-t10k-labels-idx1-ubyte.gz"
    real.write_bytes((data_root / "mnist/t10k-labels-idx1-ubyte.gz").read_bytes()[:2000])
    with pytest.raises(IDXError, match="truncated"):
        read_idx(real)


def test_corrupt_gzip_crc(tmp_path):
    blob = bytearray(gzip.compress(idx_bytes(np.arange(10, dtype=np.uint8))))
    blob[-8] ^= 0xFF  # the CRC32 field
    path = tmp_path / "labels.gz"
    path.write_bytes(bytes(blob))
    with pytest.raises(IDXError, match=r"labels\.gz: corrupt gzip data"):
        read_idx(path)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (bytes([0x1F, 0x8B, 8, 1]), "wrong magic number 0x1F8B0801"),
        (bytes([0, 0, 0x42, 1]), "wrong magic number 0x00004201"),
        (b"\0\0", "expected at least a 4-byte IDX header, found 2 bytes"),
    ],
)
def test_wrong_magic(tmp_path, header, expected):
    path = tmp_path / "bad-idx1-ubyte"
    path.write_bytes(header + b"\0\0\0\0" if len(header) == 4 else header)
    with pytest.raises(IDXError, match=f"bad-idx1-ubyte: {expected}"):
        read_idx(path)


def test_wrong_type_and_ndim(tmp_path):
    path = tmp_path / "x-idx"
    path.write_bytes(idx_bytes(np.zeros((2, 3), np.int32), code=0x0C))
    assert read_idx(path).dtype == np.int32
    with pytest.raises(IDXError, match=r"expected elements of type uint8.*declares int32"):
        read_idx(path, dtype=np.uint8)
    with pytest.raises(IDXError, match=r"expected 3 dimension.*declares 2"):
        read_idx(path, ndim=3)


def test_count_in_header_disagrees_with_payload(tmp_path):
    path = tmp_path / "labels-idx1-ubyte"
    path.write_bytes(bytes([0, 0, 8, 1]) + struct.pack(">I", 60_000) + bytes(59_999))
    with pytest.raises(IDXError, match=r"shape \(60000,\) \(60000 bytes.*holds 59999 bytes"):
        read_idx(path)


def test_label_count_disagrees_with_image_count(tmp_path):
    images = np.zeros((5, 28, 28), np.uint8)
    write_mnist(tmp_path / "mnist", idx_bytes(images), idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(IDXError, match=r"t10k-labels-idx1-ubyte\.gz: holds 4 labels but .* 5"):
        MNIST(tmp_path, train=False)


def test_labels_out_of_range_and_wrong_image_size(tmp_path):
    write_mnist(
        tmp_path / "mnist",
        idx_bytes(np.zeros((2, 28, 28), np.uint8)),
        idx_bytes(np.array([3, 10], np.uint8)),
    )
    with pytest.raises(IDXError, match=r"found label 10; expected labels 0\.\.9"):
        MNIST(tmp_path, train=False)
    write_mnist(
        tmp_path / "mnist",
        idx_bytes(np.zeros((2, 32, 32), np.uint8)),
        idx_bytes(np.zeros(2, np.uint8)),
    )
    with pytest.raises(IDXError, match=r"expected 28x28 images, found \(32, 32\)"):
        MNIST(tmp_path, train=False)


# ---------------------------------------------------------------- pickles


class MakesMarker:
    """Unpickling this would create a file (via builtins.open)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


class RunsOsSystem:
    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


def cifar_root_with_test_batch(tmp_path: Path, data_root: Path, blob: bytes) -> Path:
    folder = tmp_path / "cifar10" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    shutil.copy(data_root / "cifar10/cifar-10-batches-py/batches.meta", folder)
    (folder / "test_batch").write_bytes(blob)
    return tmp_path


@pytest.mark.parametrize("payload", [MakesMarker, RunsOsSystem])
@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_pickle_that_runs_code_is_refused_and_nothing_ran(tmp_path, data_root, payload, protocol):
    marker = tmp_path / "pwned"
    batch = {"batch_label": "x", "labels": [0], "data": payload(str(marker))}
    root = cifar_root_with_test_batch(tmp_path, data_root, pickle.dumps(batch, protocol=protocol))
    with pytest.raises(UnsafePickleError, match=r"test_batch: refusing to load global"):
        CIFAR10(root, train=False)
    assert not marker.exists()


def test_pickle_globals_beyond_the_allow_list_are_refused():
    with pytest.raises(UnsafePickleError, match=r"refusing to load global builtins\.eval"):
        safe_load(pickle.dumps(eval))
    with pytest.raises(UnsafePickleError, match="object dtype"):
        safe_load(pickle.dumps(np.array([{"a": 1}], dtype=object), protocol=2))
    # plain data of every kind the CIFAR files use, at old and new protocols
    data = {b"labels": [1, 2], "data": np.arange(6, dtype=np.uint8).reshape(2, 3), "n": 1.5}
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        out = safe_load(pickle.dumps(data, protocol=protocol))
        np.testing.assert_array_equal(out["data"], data["data"])


def test_malformed_cifar_batches(tmp_path, data_root):
    def attempt(batch, match):
        root = tmp_path / str(len(list(tmp_path.iterdir())))
        cifar_root_with_test_batch(root, data_root, pickle.dumps(batch, protocol=2))
        with pytest.raises(DatasetFormatError, match=match):
            CIFAR10(root, train=False)

    rows = np.zeros((3, 3072), np.uint8)
    attempt({"data": rows, "labels": [0, 1]}, r"test_batch: holds 3 images but 2 labels")
    attempt({"data": rows[:, :100], "labels": [0] * 3}, "expected 3072 values per image")
    attempt({"data": rows.astype(np.float32), "labels": [0] * 3}, "uint8 array")
    attempt({"data": rows, "labels": [0, 1, 10]}, r"labels range over 0..10; expected 0..9")
    attempt([1, 2, 3], "test_batch: expected a dict, found list")
    root = cifar_root_with_test_batch(tmp_path / "trunc", data_root, pickle.dumps({"a": 1})[:-3])
    with pytest.raises(DatasetFormatError, match="test_batch: not a valid pickle"):
        CIFAR10(root, train=False)


def test_cifar_batches_of_any_length(tmp_path, data_root):
    rng = np.random.default_rng(0)
    data = rng.integers(0, 256, (7, 3072), dtype=np.uint8)
    root = cifar_root_with_test_batch(
        tmp_path, data_root, pickle.dumps({"data": data, "labels": list(range(7))}, protocol=2)
    )
    ds = CIFAR10(root, train=False)
    assert ds.data.shape == (7, 3, 32, 32) and ds.targets.tolist() == list(range(7))
    np.testing.assert_array_equal(ds.data[3, 1], data[3, 1024:2048].reshape(32, 32))
