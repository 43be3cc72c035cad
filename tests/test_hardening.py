"""Issue 18, items 1-8, 10-11: what a crafted file, field or request must never do.

Each test here held a hole open on the old code and holds it shut now; the
fuzz suite (tests/test_fuzz_loaders.py) and the crash test
(tests/test_crash_resume.py) cover the same classes with random inputs.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import pickle
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _tiny_data import idx_header, write_tiny_mnist

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


@contextlib.contextmanager
def fifo_unblocker(fifo: Path) -> Iterator[None]:
    """While inside, any reader that opens ``fifo`` at once gets end-of-file.

    A reader that (wrongly) opens the FIFO would otherwise wait for ever for a
    writer; with this, such a regression fails the test instead of hanging it.
    """
    stop = threading.Event()

    def writer() -> None:
        while not stop.wait(0.05):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # ENXIO: no reader yet
                continue

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_a_fifo_is_refused_instead_of_read_for_ever(tmp_path: Path) -> None:
    fifo = tmp_path / "weights.npz"
    os.mkfifo(fifo)
    with fifo_unblocker(fifo), pytest.raises(SerializationError, match="is a FIFO"):
        minigrad.load(fifo)
    with pytest.raises(SerializationError, match="is a directory"):
        minigrad.load(tmp_path)


def test_an_idx_header_whose_size_overflows_int64_is_an_idx_error(tmp_path: Path) -> None:
    from minigrad.data.idx import IDXError, read_idx

    path = tmp_path / "images-idx3-ubyte"
    path.write_bytes(idx_header(8, (2**22, 2**21, 2**21)))
    with pytest.raises(IDXError, match=r"declares shape \(4194304, 2097152, 2097152\)"):
        read_idx(path)


def test_an_idx_gz_is_not_inflated_past_what_its_header_and_size_justify(tmp_path: Path) -> None:
    import gzip

    from minigrad.data.idx import IDXError, read_idx

    path = tmp_path / "labels-idx1-ubyte.gz"
    with gzip.open(path, "wb") as fh:  # 2 GB of labels declared; ~6 MB of zeros written
        fh.write(idx_header(8, (2**31 - 1,)))
        fh.write(bytes(6 << 20))
    with pytest.raises(IDXError, match="more than the compressed file can hold"):
        read_idx(path)
    honest = tmp_path / "honest-idx1-ubyte.gz"
    honest.write_bytes(gzip.compress(idx_header(8, (3_000_000,)) + bytes(3_000_000)))
    with pytest.raises(IDXError, match=r"more than the limit of 1000000 bytes.*max_bytes"):
        read_idx(honest, max_bytes=1_000_000)
    assert read_idx(honest).shape == (3_000_000,)


def test_idx_reader_opens_only_regular_files(tmp_path: Path) -> None:
    from minigrad.data.idx import IDXError, read_idx

    fifo = tmp_path / "t10k-labels-idx1-ubyte"
    os.mkfifo(fifo)
    with fifo_unblocker(fifo), pytest.raises(IDXError, match="is a FIFO"):
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


# --------------------------------------------------------------------------- 4-8, 10: training


@pytest.fixture(scope="module")
def tiny_mnist(tmp_path_factory: pytest.TempPathFactory, data_root: Path) -> Path:
    return write_tiny_mnist(tmp_path_factory.mktemp("tiny"))


def tiny_args(root: Path, out: Path, *more: str) -> list[str]:
    return ["--data-dir", str(root), "--out", str(out), "--batch-size", "32", *more]


def _weights_of(path: Path) -> dict[str, np.ndarray]:
    return {k: np.asarray(v) for k, v in minigrad.load(path).items()}


@pytest.fixture(scope="module")
def tiny_run(tiny_mnist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from train import mnist

    out = tmp_path_factory.mktemp("run")
    assert mnist.main(tiny_args(tiny_mnist, out, "--epochs", "1", "--no-progress")) == 0
    return out


def test_non_finite_weights_are_refused_by_every_program(
    tiny_mnist: Path, tiny_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from train import mnist, predict

    state = _weights_of(tiny_run / "model.npz")
    first = next(iter(state))
    nan = tmp_path / "nan.npz"
    minigrad.save({**state, first: np.full_like(state[first], np.nan)}, nan)
    digit = tmp_path / "digit.npy"
    np.save(digit, np.zeros((28, 28), np.float32))
    args = ["--data-dir", str(tiny_mnist), "--eval-only", "--weights", str(nan)]
    assert mnist.main(args) == 2
    assert "NaN or infinite" in capsys.readouterr().err
    assert predict.main(["--weights", str(nan), str(digit)]) == 2
    assert "NaN or infinite" in capsys.readouterr().err
    assert mnist.main([*args, "--allow-nonfinite"]) == 0  # explicitly allowed


def test_programs_fail_with_one_sentence_not_a_traceback(
    tiny_mnist: Path, tiny_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from train import mnist

    not_a_dict = tmp_path / "list.npz"
    minigrad.save([1, 2, 3], not_a_dict)
    args = ["--data-dir", str(tiny_mnist), "--eval-only", "--weights", str(not_a_dict)]
    assert mnist.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --weights:") and "not a state dict" in err

    bad_data = tmp_path / "bad-data"
    shutil_copytree(tiny_mnist, bad_data)
    labels = bad_data / "mnist" / "train-labels-idx1-ubyte.gz"
    labels.write_bytes(labels.read_bytes()[:-10])
    assert mnist.main(tiny_args(bad_data, tmp_path / "o", "--no-progress")) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "train-labels-idx1-ubyte.gz: truncated" in err
    with pytest.raises(Exception, match="truncated"):  # --debug: the exception itself
        mnist.main(tiny_args(bad_data, tmp_path / "o", "--no-progress", "--debug"))


def shutil_copytree(src: Path, dst: Path) -> None:
    import shutil

    shutil.copytree(src, dst)


def _checkpoint_variant(run: Path, dest: Path, change: Any) -> Path:
    import shutil

    dest.mkdir()
    state = minigrad.load(run / "checkpoint.npz")
    change(state)
    minigrad.save(state, dest / "checkpoint.npz")
    shutil.copy(run / "model.npz", dest / "model.npz")
    return dest


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.pop("epoch"), "has no 'epoch' field"),
        (lambda s: s.update(epoch="1"), "field 'epoch' holds a str"),
        (lambda s: s.update(rng="{not json"), "field 'rng' is not valid JSON"),
        (lambda s: s.update(rng='{"bit_generator": "test"}'), "bit_generator must be one of"),
        (lambda s: s.update(history="{}"), "field 'history' holds a JSON dict"),
        (lambda s: s.update(model={"conv1.weight": np.zeros(3)}), "does not fit this model"),
        (lambda s: s.update(config='{"task": "cifar10", "model": "cifarnet"}'), "not 'lenet5'"),
        (lambda s: s.clear() or s.update(w=np.zeros(2)), "is a weights file"),
    ],
)
def test_a_damaged_or_foreign_checkpoint_is_refused_by_name(
    tiny_mnist: Path,
    tiny_run: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: Any,
    message: str,
) -> None:
    from train import mnist

    out = _checkpoint_variant(tiny_run, tmp_path / "run", change)
    assert mnist.main(["--data-dir", str(tiny_mnist), "--out", str(out), "--resume"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err, err


@pytest.mark.parametrize(
    "option", [["--batch-size", "16"], ["--epochs", "3"], ["--dataset", "fashion-mnist"],
               ["--optimizer", "sgd"], ["--lr", "0.1"], ["--limit-train", "64"]]
)  # fmt: skip
def test_resume_refuses_an_option_it_cannot_honour_naming_it(
    tiny_mnist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str]
) -> None:
    from train import mnist

    out = tmp_path / "run"
    first = tiny_args(tiny_mnist, out, "--epochs", "2", "--stop-after", "1", "--no-progress")
    assert mnist.main(first) == 0
    before = (out / "checkpoint.npz").read_bytes()
    capsys.readouterr()
    resumed = ["--data-dir", str(tiny_mnist), "--out", str(out), "--resume", *option]
    assert mnist.main(resumed) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: resume:") and f"{option[0]} {option[1]} cannot be honoured" in err
    assert (out / "checkpoint.npz").read_bytes() == before  # refused before anything ran


def test_resume_continues_the_recorded_run_without_repeating_its_options(
    tiny_mnist: Path, tmp_path: Path
) -> None:
    from train import mnist

    options = ["--epochs", "2", "--lr", "0.002", "--optimizer", "sgd", "--no-progress"]
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    assert mnist.main(tiny_args(tiny_mnist, straight, *options)) == 0
    assert mnist.main(tiny_args(tiny_mnist, resumed, *options, "--stop-after", "1")) == 0
    only = ["--data-dir", str(tiny_mnist), "--out", str(resumed), "--resume", "--no-progress"]
    assert mnist.main(only) == 0  # batch size, epochs, lr, optimizer: from the checkpoint
    a, b = _weights_of(straight / "model.npz"), _weights_of(resumed / "model.npz")
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def test_stale_temporary_files_are_removed_at_the_next_start(
    tiny_mnist: Path, tmp_path: Path
) -> None:
    from train import mnist

    out = tmp_path / "run"
    out.mkdir()
    stale = [out / ".checkpoint.npz.0123456789ab.tmp", out / ".metrics.json.fedcba987654.tmp"]
    keep = [out / "notes.tmp", out / ".hidden"]
    for path in stale + keep:
        path.write_bytes(b"left over")
    assert mnist.main(tiny_args(tiny_mnist, out, "--epochs", "1", "--no-progress")) == 0
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in keep)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp") and p not in keep]


def test_progress_to_a_log_file_is_plain_and_bounded(
    tiny_mnist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    from train import loop, mnist

    monkeypatch.setattr(loop, "PLAIN_PROGRESS_SECONDS", 0.0)  # print at every 10% boundary
    out = tmp_path / "run"
    assert mnist.main(tiny_args(tiny_mnist, out, "--epochs", "2", "--batch-size", "8")) == 0
    captured = capsys.readouterr()
    assert "\r" not in captured.out and "\r" not in captured.err
    lines = captured.out.splitlines()
    progress = [line for line in lines if line.startswith("epoch 1/2:")]
    assert 1 <= len(progress) <= 9, progress  # 24 batches an epoch, at most one per 10%
    assert sum(line.startswith("epoch 1/2  train loss") for line in lines) == 1
    monkeypatch.setattr(loop, "PLAIN_PROGRESS_SECONDS", 3600.0)  # a fast epoch: no line
    assert mnist.main(tiny_args(tiny_mnist, tmp_path / "r2", "--epochs", "1")) == 0
    assert not [x for x in capsys.readouterr().out.splitlines() if x.startswith("epoch 1/1:")]


def test_weights_pointing_at_a_fifo_fail_at_once_instead_of_hanging(tmp_path: Path) -> None:
    import subprocess
    import sys

    fifo = tmp_path / "weights.npz"
    os.mkfifo(fifo)
    digit = tmp_path / "digit.npy"
    np.save(digit, np.zeros((28, 28), np.float32))
    command = [sys.executable, "-m", "train.predict", "--weights", str(fifo), str(digit)]
    repo = Path(__file__).resolve().parent.parent
    # The timeout only stops a hang (the old behaviour); it asserts nothing about speed.
    done = subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done
    assert done.stderr.startswith("error: --weights:") and "is a FIFO" in done.stderr
