"""minigrad.save / minigrad.load: exact round trips, no code execution, atomic writes,
clear errors on damaged files."""

from __future__ import annotations

import io
import json
import os
import pickle
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minigrad
from minigrad import nn, optim
from minigrad.serialization import MANIFEST, SerializationError

# --------------------------------------------------------------------------- round trips

dtypes = st.sampled_from(
    [np.float16, np.float32, np.float64, np.int8, np.int32, np.int64, np.uint8, np.bool_,
     np.complex64]
)  # fmt: skip
arrays = dtypes.flatmap(
    lambda dt: hnp.arrays(dt, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**100), max_value=2**100),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    arrays.map(lambda a: a.reshape(-1)[0] if a.size else np.float32(0.5)),  # NumPy scalars
    arrays,
    arrays.map(lambda a: minigrad.Tensor._make(a)),
)
keys = st.one_of(st.text(max_size=6), st.integers(-5, 1000))
structures = st.recursive(
    scalars,
    lambda kids: st.one_of(
        st.lists(kids, max_size=3),
        st.lists(kids, max_size=3).map(tuple),
        st.dictionaries(keys, kids, max_size=3),
    ),
    max_leaves=12,
)


def assert_identical(a: Any, b: Any) -> None:
    """Same types, same structure, and every number and array equal bit for bit."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, minigrad.Tensor):
        assert_identical(a.numpy(), b.numpy())
    elif isinstance(a, (np.ndarray, np.generic)):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes()
    elif isinstance(a, float):
        assert a.hex() == b.hex()  # -0.0, inf and nan included
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            assert type(k) is type(next(k2 for k2 in b if k2 == k))
            assert_identical(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_identical(x, y)
    else:
        assert a == b


@given(structures)
def test_any_structure_round_trips_bit_for_bit(obj: Any) -> None:
    buf = io.BytesIO()
    minigrad.save(obj, buf)
    buf.seek(0)
    assert_identical(minigrad.load(buf), obj)


def make_model() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(4 * 5 * 5, 3),
        nn.BatchNorm1d(3, momentum=None),
    )


@settings(max_examples=5)
@given(seed=st.integers(0, 2**16), steps=st.integers(0, 3))
def test_model_state_survives_save_load_and_gives_identical_outputs(
    tmp_path_factory: pytest.TempPathFactory, seed: int, steps: int
) -> None:
    minigrad.manual_seed(seed)
    model = make_model()
    for _ in range(steps):  # move the running statistics away from their initial values
        model(minigrad.randn(6, 2, 5, 5))
    path = tmp_path_factory.mktemp("ckpt") / "model.npz"
    minigrad.save(model.state_dict(), path)
    state = minigrad.load(path)
    assert_identical(state, model.state_dict())
    clone = make_model()  # different random init
    clone.load_state_dict(state)
    x = minigrad.randn(3, 2, 5, 5)
    assert model.eval()(x).numpy().tobytes() == clone.eval()(x).numpy().tobytes()
    # The file is a plain .npz, readable without minigrad.
    with np.load(path, allow_pickle=False) as npz:
        np.testing.assert_array_equal(npz["0.weight"], model[0].weight.numpy())


def test_paths_file_objects_and_streams(tmp_path: Path) -> None:
    obj = {"w": np.arange(4.0), "meta": {"epoch": 3}}
    for target in (tmp_path / "a.npz", str(tmp_path / "b.npz")):
        minigrad.save(obj, target)
        assert_identical(minigrad.load(target), obj)
    with open(tmp_path / "c.npz", "wb") as fh:
        minigrad.save(obj, fh)
    with open(tmp_path / "c.npz", "rb") as fh:
        assert_identical(minigrad.load(fh), obj)

    class Stream:  # read-only, not seekable
        def __init__(self, data: bytes) -> None:
            self._buf = io.BytesIO(data)

        def read(self, n: int = -1) -> bytes:
            return self._buf.read(n)

    assert_identical(minigrad.load(Stream((tmp_path / "c.npz").read_bytes())), obj)
    assert not (tmp_path / "a.npz.npz").exists()  # the path is used as given


def test_unsupported_objects_are_refused_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "x.npz"
    cyclic: list[Any] = []
    cyclic.append(cyclic)
    cases = [
        ({"m": nn.Linear(1, 1)}, TypeError, r"Linear at \['m'\]"),
        ({"a": np.array([object()], dtype=object)}, TypeError, "dtype object"),
        ({1.5: 1}, TypeError, "keys must be str or int"),
        ({"s": {1, 2}}, TypeError, "set"),
        (cyclic, ValueError, "circular"),
    ]
    for obj, error, message in cases:
        with pytest.raises(error, match=message):
            minigrad.save(obj, path)
        assert not path.exists()
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------- never run code


class Bomb:
    """Unpickling this creates the marker file: the proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (open, (str(self.marker), "w"))


def test_files_that_would_run_code_are_refused_without_running_it(
    tmp_path: Path, torch: Any
) -> None:
    marker = tmp_path / "PWNED"
    payload = pickle.dumps({"weight": Bomb(marker)})
    files = {}
    files["plain.pkl"] = payload
    files["pickle_named.npz"] = payload
    # An npz whose manifest is valid and names an object array holding the bomb.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        manifest = json.dumps({"format": "minigrad", "version": 1, "tree": {"array": "w"}})
        with zf.open(MANIFEST + ".npy", "w") as fh:
            np.lib.format.write_array(fh, np.frombuffer(manifest.encode(), np.uint8))
        with zf.open("w.npy", "w") as fh:
            np.lib.format.write_array(fh, np.array([Bomb(marker)], dtype=object))
    files["object_array.npz"] = buf.getvalue()
    # A plain object-array .npy and a torch.save file (a zip holding data.pkl).
    npy = io.BytesIO()
    np.save(npy, np.array([Bomb(marker)], dtype=object), allow_pickle=True)
    files["object.npy"] = npy.getvalue()
    torch_file = io.BytesIO()
    torch.save({"weight": torch.zeros(2)}, torch_file)
    files["torch_save.pt"] = torch_file.getvalue()
    with zipfile.ZipFile(tmp_path / "torch_bomb.pt", "w") as zf:
        zf.writestr("archive/data.pkl", payload)
    files["torch_bomb.pt"] = (tmp_path / "torch_bomb.pt").read_bytes()

    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(SerializationError) as info:
            minigrad.load(path)
        assert name in str(info.value)
        with pytest.raises(SerializationError):
            minigrad.load(io.BytesIO(data))
        assert not marker.exists(), f"loading {name} ran code"
    with pytest.raises(SerializationError, match="pickle"):
        minigrad.load(tmp_path / "plain.pkl")
    # The bomb is live: unpickling it does create the marker.
    pickle.loads(payload)
    assert marker.exists()


# --------------------------------------------------------------------------- damaged files


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, bytes, Any]:
    obj = {"0.weight": np.arange(6, dtype=np.float32).reshape(2, 3), "n": 7, "tag": "x"}
    path = tmp_path / "good.npz"
    minigrad.save(obj, path)
    return path, path.read_bytes(), obj


def named_buffer(data: bytes, name: str) -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name  # what the error message names, as for a real file
    return buf


def test_every_truncation_raises_an_error_naming_the_file(saved: Any) -> None:
    path, data, _ = saved
    for cut in range(len(data)):
        with pytest.raises(SerializationError, match=r"truncated\.npz"):
            minigrad.load(named_buffer(data[:cut], "truncated.npz"))
    bad = path.with_name("cut.npz")
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(SerializationError, match=str(bad)):
        minigrad.load(bad)


def test_every_single_byte_corruption_is_detected_or_harmless(saved: Any) -> None:
    """Flipping any byte either raises a clear error or changes nothing that is read
    (e.g. a timestamp): never silently different data."""
    _, data, obj = saved
    errors = 0
    for i in range(len(data)):
        damaged = bytearray(data)
        damaged[i] ^= 0xFF
        try:
            result = minigrad.load(named_buffer(bytes(damaged), "corrupt.npz"))
        except SerializationError as exc:
            assert "corrupt.npz" in str(exc)
            errors += 1
        else:
            assert_identical(result, obj)
    assert errors > len(data) // 2  # most bytes matter; the rest are timestamps and the like


def test_not_minigrad_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        minigrad.load(tmp_path / "missing.npz")
    (tmp_path / "empty.npz").write_bytes(b"")
    with pytest.raises(SerializationError, match="empty"):
        minigrad.load(tmp_path / "empty.npz")
    np.savez(tmp_path / "plain.npz", w=np.zeros(2))
    with pytest.raises(SerializationError, match="no minigrad manifest"):
        minigrad.load(tmp_path / "plain.npz")
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(SerializationError, match=r"not an \.npz"):
        minigrad.load(tmp_path / "text.npz")


def test_only_stored_or_deflated_members_are_read(tmp_path: Path) -> None:
    obj = {"w": np.zeros((50, 50))}
    for method, ok in [(zipfile.ZIP_DEFLATED, True), (zipfile.ZIP_LZMA, False)]:
        buf = io.BytesIO()
        minigrad.save(obj, buf)
        repacked = io.BytesIO()
        with zipfile.ZipFile(buf) as src, zipfile.ZipFile(repacked, "w", method) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info))
        repacked.seek(0)
        if ok:
            assert_identical(minigrad.load(repacked), obj)
        else:
            with pytest.raises(SerializationError, match="compression method"):
                minigrad.load(repacked)


def test_future_format_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.npz"
    with zipfile.ZipFile(path, "w") as zf, zf.open(MANIFEST + ".npy", "w") as fh:
        manifest = json.dumps({"format": "minigrad", "version": 99, "tree": 1}).encode()
        np.lib.format.write_array(fh, np.frombuffer(manifest, np.uint8))
    with pytest.raises(SerializationError, match="version 99"):
        minigrad.load(path)


# --------------------------------------------------------------------------- atomic writes


def test_a_crash_mid_save_leaves_the_old_file_intact(
    saved: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, data, obj = saved
    from minigrad import serialization

    real_write = serialization._write

    def crash(fh: Any, arrays: Any, manifest: bytes) -> None:
        real_write(fh, arrays, manifest)
        fh.truncate(100)  # half-written...
        raise KeyboardInterrupt  # ...then killed

    monkeypatch.setattr(serialization, "_write", crash)
    with pytest.raises(KeyboardInterrupt):
        minigrad.save({"other": np.zeros(1000)}, path)
    assert path.read_bytes() == data
    assert sorted(os.listdir(path.parent)) == ["good.npz"]  # no temporary file left behind
    assert_identical(minigrad.load(path), obj)


def test_new_files_respect_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        minigrad.save({"a": 1}, tmp_path / "f.npz")
    finally:
        os.umask(old)
    assert (tmp_path / "f.npz").stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- torch's arguments


def test_torch_style_arguments_are_accepted(tmp_path: Path) -> None:
    obj = {"w": np.arange(3.0), "step": 2}
    buf = io.BytesIO()
    minigrad.save(obj, buf, pickle_protocol=4, _use_new_zipfile_serialization=True)
    for kwargs in (
        {},
        {"weights_only": True},
        {"weights_only": False},
        {"map_location": "cpu"},
        {"map_location": "cpu:0", "weights_only": True},
        {"map_location": {"cuda:0": "cpu"}},
        {"map_location": lambda storage, location: storage},
        {"mmap": False},
    ):
        buf.seek(0)
        assert_identical(minigrad.load(buf, **kwargs), obj)
    with open(tmp_path / "f.npz", "wb") as fh:  # a file object, as torch.save takes
        minigrad.save(obj, fh)
    with open(tmp_path / "f.npz", "rb") as fh:
        assert_identical(minigrad.load(fh, map_location="cpu"), obj)
    assert_identical(minigrad.load(tmp_path / "f.npz", "cpu"), obj)  # positional, as torch


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"pickle_module": pickle}, RuntimeError, "pickle_module is not supported"),
        ({"map_location": "cuda"}, RuntimeError, "CPU only"),
        ({"map_location": {"cpu": "cuda:1"}}, RuntimeError, "CPU only"),
        ({"encoding": "latin1"}, TypeError, r"unexpected argument\(s\) \['encoding'\]"),
        ({"weights_only": "yes"}, TypeError, "weights_only must be a bool"),
        ({"mmap": True}, ValueError, "mmap=True is not supported"),
        ({"max_bytes": -1}, ValueError, "max_bytes"),
    ],
)
def test_torch_arguments_minigrad_cannot_honour_are_refused_clearly(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    buf = io.BytesIO()
    minigrad.save({"a": 1}, buf)
    buf.seek(0)
    with pytest.raises(error, match=message):
        minigrad.load(buf, **kwargs)


def test_saving_a_whole_module_or_optimizer_says_to_save_its_state_dict(tmp_path: Path) -> None:
    net = nn.Linear(2, 3)
    opt = optim.SGD(net.parameters(), lr=0.1)
    for obj in (net, {"model": net}, opt):
        with pytest.raises(TypeError, match=r"cannot save a whole .*state_dict\(\) instead"):
            minigrad.save(obj, tmp_path / "x.npz")
    assert not list(tmp_path.iterdir())
    with pytest.raises(TypeError, match="pickle_module is not supported"):
        minigrad.save(net.state_dict(), tmp_path / "x.npz", pickle_module=pickle)
    with pytest.raises(ValueError, match="legacy"):
        minigrad.save(net.state_dict(), tmp_path / "x.npz", _use_new_zipfile_serialization=False)
    minigrad.save(net.state_dict(), tmp_path / "x.npz")
    clone = nn.Linear(2, 3)
    clone.load_state_dict(minigrad.load(tmp_path / "x.npz", map_location="cpu", weights_only=True))
    np.testing.assert_array_equal(clone.weight.numpy(), net.weight.numpy())
