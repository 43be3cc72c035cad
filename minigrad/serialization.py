"""``save`` and ``load``: state dicts and checkpoints as data-only ``.npz`` files.

A file holds NumPy arrays (one ``.npy`` member each, named after its place in
the structure, e.g. ``model/conv1.weight``) and a JSON manifest that records the
nested structure: dicts (string or integer keys), lists, tuples, arrays,
Tensors, NumPy scalars, Python numbers, strings, booleans and ``None``.

**Loading never executes code.** There is no pickle anywhere: arrays are read
with ``allow_pickle=False`` and the manifest is JSON. A file from a stranger can
at worst fail to load. Files written by ``pickle`` or ``torch.save`` are refused.

**Writes are atomic**: the data goes to a temporary file in the same folder,
is flushed to disk (``fsync``) and then renamed over the target, so a crash
mid-save leaves the previous file intact. A truncated or corrupt file raises
:class:`SerializationError` naming the file.

The file is a standard ``.npz``: ``numpy.load(path)["model/conv1.weight"]`` works.

Example:
    >>> import os, tempfile
    >>> import minigrad
    >>> from minigrad import nn
    >>> net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    >>> path = os.path.join(tempfile.mkdtemp(), "net.npz")
    >>> minigrad.save(net.state_dict(), path)
    >>> state = minigrad.load(path)
    >>> list(state)
    ['0.weight', '0.bias', '2.weight', '2.bias']
    >>> clone = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    >>> clone.load_state_dict(state)
    IncompatibleKeys(missing_keys=[], unexpected_keys=[])
"""

from __future__ import annotations

import io
import json
import os
import secrets
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO, Any

import numpy as np

from minigrad.tensor import Tensor

__all__ = ["SerializationError", "load", "save"]

FORMAT = "minigrad"
VERSION = 1
MANIFEST = "__minigrad_manifest__"
_ARRAY_KINDS = "biufcSU"  # numeric, bool and fixed-width strings: never object arrays
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

# What reading a damaged archive can raise (all wrapped in one SerializationError).
_CORRUPTION_ERRORS = (
    zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, KeyError, EOFError, OSError,
    zlib.error, struct.error, UnicodeDecodeError, RecursionError, OverflowError,
    NotImplementedError,  # a flipped "version needed" or compression-method field
    RuntimeError,  # a flipped "encrypted" flag
)  # fmt: skip
PathOrFile = str | os.PathLike | IO[bytes]


class SerializationError(ValueError):
    """A file that :func:`load` cannot read: not a minigrad file, truncated, or corrupt.

    Example:
        >>> import io
        >>> import minigrad
        >>> from minigrad.serialization import SerializationError
        >>> try:
        ...     minigrad.load(io.BytesIO(b"PK\\x03\\x04 not really a zip"))
        ... except SerializationError as err:
        ...     print(type(err).__name__, isinstance(err, ValueError))
        SerializationError True
    """


# --------------------------------------------------------------------------- encoding


class _Encoder:
    """Turn a nested object into a JSON tree plus a dict of named arrays."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self._active: set[int] = set()

    def member(self, path: tuple[Any, ...], array: np.ndarray) -> str:
        if array.dtype.kind not in _ARRAY_KINDS:
            raise TypeError(
                f"minigrad.save: cannot store an array of dtype {array.dtype} at "
                f"{_where(path)} (only numeric, bool and string arrays)"
            )
        base = "/".join(str(p) for p in path) or "array"
        name, i = base, 1
        while name in self.arrays or name == MANIFEST:
            name, i = f"{base}#{i}", i + 1
        self.arrays[name] = array
        return name

    def encode(self, obj: Any, path: tuple[Any, ...]) -> Any:
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, Tensor):
            return {"tensor": self.member(path, obj.data)}
        if isinstance(obj, np.ndarray):
            return {"array": self.member(path, np.asarray(obj))}
        if isinstance(obj, np.generic):
            return {"scalar": self.member(path, np.asarray(obj))}
        if isinstance(obj, int):
            return obj
        if isinstance(obj, float):
            return {"float": obj.hex()}  # exact, and JSON has no inf/nan
        if isinstance(obj, (dict, list, tuple)):
            if id(obj) in self._active:
                raise ValueError(f"minigrad.save: circular reference at {_where(path)}")
            self._active.add(id(obj))
            try:
                return self._container(obj, path)
            finally:
                self._active.discard(id(obj))
        raise TypeError(
            f"minigrad.save: cannot store a {type(obj).__name__} at {_where(path)} (supported: "
            f"dict, list, tuple, ndarray, Tensor, NumPy scalars, int, float, str, bool, None)"
        )

    def _container(self, obj: Any, path: tuple[Any, ...]) -> Any:
        if isinstance(obj, dict):
            items = []
            for key, value in obj.items():
                if isinstance(key, (bool, np.bool_)) or not isinstance(key, (str, int, np.integer)):
                    raise TypeError(
                        f"minigrad.save: dict keys must be str or int, got {key!r} "
                        f"at {_where(path)}"
                    )
                key = key if isinstance(key, str) else int(key)
                items.append([key, self.encode(value, (*path, key))])
            return {"dict": items}
        tag = "list" if isinstance(obj, list) else "tuple"
        return {tag: [self.encode(v, (*path, i)) for i, v in enumerate(obj)]}


def _where(path: tuple[Any, ...]) -> str:
    return "the top level" if not path else "".join(f"[{p!r}]" for p in path)


def _write(fh: IO[bytes], arrays: dict[str, np.ndarray], manifest: bytes) -> None:
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        members = {MANIFEST: np.frombuffer(manifest, dtype=np.uint8), **arrays}
        for name, array in members.items():
            with zf.open(name + ".npy", "w", force_zip64=True) as out:
                np.lib.format.write_array(out, array, allow_pickle=False)


def save(obj: Any, f: PathOrFile) -> None:
    """Write ``obj`` (a state dict, a checkpoint: nested data) to ``f``, atomically.

    Args:
        obj: nested dicts (str or int keys), lists and tuples of ndarrays, Tensors,
            NumPy scalars, ints, floats, strings, bools and ``None``.
        f: a path (used exactly as given; ``.npz`` is the convention) or a binary
            file object opened for writing (written in place, not atomically).

    Raises:
        TypeError: for anything else (objects, object arrays), naming where it is;
            nothing is written then.

    Example:
        >>> import io
        >>> import numpy as np
        >>> import minigrad
        >>> buf = io.BytesIO()
        >>> minigrad.save({"step": 3, "lr": 0.1, "w": np.arange(3.0), "tags": ["a", None]}, buf)
        >>> _ = buf.seek(0)
        >>> minigrad.load(buf)
        {'step': 3, 'lr': 0.1, 'w': array([0., 1., 2.]), 'tags': ['a', None]}
    """
    encoder = _Encoder()
    tree = encoder.encode(obj, ())
    manifest = json.dumps({"format": FORMAT, "version": VERSION, "tree": tree}).encode()
    if hasattr(f, "write"):
        _write(f, encoder.arrays, manifest)  # type: ignore[arg-type]
        return
    path = os.fspath(f)  # type: ignore[arg-type]
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            _write(fh, encoder.arrays, manifest)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable (best effort: not every OS allows it)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --------------------------------------------------------------------------- decoding


class _Decoder:
    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = set(zf.namelist())

    def array(self, name: Any) -> np.ndarray:
        member = f"{name}.npy"
        if not isinstance(name, str) or member not in self.names:
            raise SerializationError(f"the manifest names a missing array {name!r}")
        method = self.zf.getinfo(member).compress_type
        if method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2/lzma can expand a tiny file into gigabytes: refused.
            raise SerializationError(f"array {name!r} uses zip compression method {method}")
        with self.zf.open(member) as fh:
            data = fh.read()
        array = np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
        if array.dtype.kind not in _ARRAY_KINDS:
            raise SerializationError(f"array {name!r} has unsupported dtype {array.dtype}")
        return array

    def decode(self, node: Any) -> Any:
        if node is None or isinstance(node, (bool, int, str)):
            return node
        if isinstance(node, dict) and len(node) == 1:
            ((tag, value),) = node.items()
            if tag == "float" and isinstance(value, str):
                return float.fromhex(value)
            if tag == "array":
                return self.array(value)
            if tag == "tensor":
                return Tensor._make(self.array(value))
            if tag == "scalar":
                return self.array(value)[()]
            if tag in ("list", "tuple") and isinstance(value, list):
                items = [self.decode(v) for v in value]
                return items if tag == "list" else tuple(items)
            if tag == "dict" and isinstance(value, list):
                out = {}
                for pair in value:
                    if not (isinstance(pair, list) and len(pair) == 2):
                        raise SerializationError(f"malformed dict entry {pair!r:.60}")
                    key, item = pair
                    if isinstance(key, bool) or not isinstance(key, (str, int)):
                        raise SerializationError(f"malformed dict key {key!r:.60}")
                    out[key] = self.decode(item)
                return out
        raise SerializationError(f"unknown manifest node {node!r:.60}")


def _describe(f: Any) -> str:
    if hasattr(f, "read"):
        return repr(getattr(f, "name", f))
    return repr(os.fspath(f))


@contextmanager
def _open_for_reading(f: PathOrFile) -> Iterator[IO[bytes]]:
    if hasattr(f, "read"):
        fh: IO[bytes] = f  # type: ignore[assignment]
        if not (hasattr(fh, "seekable") and fh.seekable()):
            fh = io.BytesIO(fh.read())
        yield fh
    else:
        with open(os.fspath(f), "rb") as fh:  # type: ignore[arg-type]
            yield fh


def load(f: PathOrFile) -> Any:
    """Read what :func:`save` wrote: never runs code, whatever the file holds.

    Arrays come back as ndarrays, Tensors as Tensors, numbers, strings and
    containers as they were saved (tuples stay tuples, int keys stay ints).

    Args:
        f: a path or a binary file object (seekable, or it is read into memory).

    Raises:
        FileNotFoundError: if the path does not exist.
        SerializationError: (a ``ValueError``) naming the file, if it is not a
            minigrad file (a pickle, a ``torch.save`` file), or is truncated or corrupt.

    Example:
        >>> import os, pickle, tempfile
        >>> import minigrad
        >>> path = os.path.join(tempfile.mkdtemp(), "model.pkl")
        >>> with open(path, "wb") as fh:
        ...     pickle.dump({"w": [1.0]}, fh)
        >>> minigrad.load(path)
        Traceback (most recent call last):
        ...
        minigrad.serialization.SerializationError: minigrad.load: '...' is a pickle file; ...
    """
    name = _describe(f)
    with _open_for_reading(f) as fh:
        start = fh.tell()
        head = fh.read(4)
        fh.seek(start)
        if head not in _ZIP_MAGIC:
            if head[:1] == b"\x80":
                raise SerializationError(
                    f"minigrad.load: {name} is a pickle file; minigrad never unpickles, because "
                    f"loading a pickle can run arbitrary code. Re-save the data with minigrad.save"
                )
            what = "empty" if not head else "not an .npz (zip) archive"
            raise SerializationError(f"minigrad.load: {name} is {what}; not a minigrad file")
        try:
            with zipfile.ZipFile(fh) as zf:
                return _read_archive(zf, name)
        except SerializationError as exc:
            if str(exc).startswith("minigrad.load:"):
                raise
            raise SerializationError(f"minigrad.load: {name}: {exc}") from exc
        except _CORRUPTION_ERRORS as exc:
            raise SerializationError(
                f"minigrad.load: {name} is truncated or corrupt ({type(exc).__name__}: {exc})"
            ) from exc


def _read_archive(zf: zipfile.ZipFile, name: str) -> Any:
    decoder = _Decoder(zf)
    if MANIFEST + ".npy" not in decoder.names:
        hint = ""
        if any(n.endswith(".pkl") for n in decoder.names):
            hint = " (it looks like a torch.save file, which holds a pickle; it is not opened)"
        raise SerializationError(
            f"minigrad.load: {name} has no minigrad manifest; not a file written by "
            f"minigrad.save{hint}"
        )
    raw = decoder.array(MANIFEST)
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise SerializationError("the manifest is not a byte array")
    manifest = json.loads(raw.tobytes().decode("utf-8"))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SerializationError("the manifest is not a minigrad manifest")
    if manifest.get("version") != VERSION:
        raise SerializationError(
            f"file format version {manifest.get('version')!r} is not supported "
            f"(this minigrad reads version {VERSION})"
        )
    return decoder.decode(manifest.get("tree"))
