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
import math
import os
import secrets
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO, Any

import numpy as np

from minigrad.tensor import Tensor

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SerializationError",
    "load",
    "load_weights",
    "open_regular",
    "save",
]

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
            return {"tensor": self.member(path, obj._data)}
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
        if callable(getattr(obj, "state_dict", None)):
            raise TypeError(
                f"minigrad.save: cannot save a whole {type(obj).__name__} at {_where(path)}: "
                f"saving an object needs pickle, which minigrad never writes because "
                f"loading a pickle can run code. Save its state_dict() instead: "
                f"minigrad.save(model.state_dict(), f), then "
                f"model.load_state_dict(minigrad.load(f))"
            )
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


def save(
    obj: Any,
    f: PathOrFile,
    pickle_module: Any = None,
    pickle_protocol: int | None = None,
    _use_new_zipfile_serialization: bool = True,
    _disable_byteorder_record: bool = False,
) -> None:
    """Write ``obj`` (a state dict, a checkpoint: nested data) to ``f``, atomically.

    Args:
        obj: nested dicts (str or int keys), lists and tuples of ndarrays, Tensors,
            NumPy scalars, ints, floats, strings, bools and ``None``. A whole
            ``Module`` or ``Optimizer`` is refused: save its ``state_dict()``.
        f: a path (used exactly as given; ``.npz`` is the convention) or a binary
            file object opened for writing, ``io.BytesIO`` too (written in place,
            not atomically).
        pickle_module: refused if given: minigrad never pickles.
        pickle_protocol: accepted for torch's signature; there is no pickle, so it
            changes nothing.
        _use_new_zipfile_serialization: must stay ``True`` (torch's legacy format is a pickle).
        _disable_byteorder_record: accepted, no effect (``.npy`` headers record byte order).

    Raises:
        TypeError: for anything else (objects, object arrays, a ``Module``), naming
            where it is; nothing is written then.

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
    if pickle_module is not None:
        raise TypeError(
            "minigrad.save: pickle_module is not supported; minigrad writes data-only .npz "
            "files and never pickles (leave the argument out)"
        )
    if pickle_protocol is not None and (
        isinstance(pickle_protocol, bool) or not isinstance(pickle_protocol, int)
    ):
        raise TypeError(f"minigrad.save: pickle_protocol must be an int, got {pickle_protocol!r}")
    if not _use_new_zipfile_serialization:
        raise ValueError(
            "minigrad.save: _use_new_zipfile_serialization=False asks for torch's legacy "
            "pickle format, which minigrad never writes"
        )
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


# --------------------------------------------------------------------------- regular files


_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def open_regular(path: str | os.PathLike[str], error: type[Exception] | None = None) -> IO[bytes]:
    """Open ``path`` for binary reading if it is a regular file; refuse anything else.

    The file is opened without blocking and checked with ``fstat`` on the open
    descriptor, so a FIFO, a device or a directory is refused at once (reading a
    FIFO would wait for a writer for ever) and nothing can swap the file between
    the check and the read.

    Args:
        path: the file.
        error: the exception class to raise for a non-regular file (default
            :class:`SerializationError`).

    Raises:
        FileNotFoundError: there is no such file.
        error: ``path`` is a directory, FIFO, device or socket.

    Example:
        >>> import tempfile
        >>> from minigrad.serialization import open_regular
        >>> open_regular(tempfile.mkdtemp())
        Traceback (most recent call last):
        ...
        minigrad.serialization.SerializationError: ... is a directory, not a regular file; ...
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(os.fspath(path), flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
            raise (error or SerializationError)(
                f"{os.fspath(path)!r} is {kind}, not a regular file; only regular files are read"
            )
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


# --------------------------------------------------------------------------- decoding

#: The default bound on what :func:`load` may allocate for one file (all its arrays
#: and its manifest), in bytes. Raise it here or per call with ``load(..., max_bytes=)``.
DEFAULT_MAX_BYTES = 4 * 2**30
# Deflate cannot expand data more than 1032-fold; a member declaring more is lying.
_DEFLATE_MAX_RATIO = 1032
_NPY_MAX_HEADER = 10_000  # NumPy's own default bound on an .npy header
_CHUNK = 1 << 20
_LOCAL_HEADER = 30  # the fixed part of a zip local file header


class _Budget:
    """Bytes :func:`load` may still allocate for this file."""

    def __init__(self, limit: int) -> None:
        self.limit = self.left = limit

    def take(self, n: int, what: str) -> None:
        if n > self.left:
            raise SerializationError(
                f"{what} declares {n} bytes, more than the {self.left} bytes left of the limit "
                f"of {self.limit} bytes for one file; if you trust the file, raise the limit "
                "with minigrad.load(..., max_bytes=N) or minigrad.serialization.DEFAULT_MAX_BYTES"
            )
        self.left -= n


def _check_archive(zf: zipfile.ZipFile, file_size: int) -> None:
    """Refuse members whose declared sizes the file cannot back, before reading any."""
    infos = zf.infolist()
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise SerializationError(f"the archive lists member {info.filename!r} twice")
        seen.add(info.filename)
        where = f"member {info.filename!r}"
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2/lzma can expand a tiny file into gigabytes: refused.
            raise SerializationError(f"{where} uses zip compression method {info.compress_type}")
        if info.flag_bits & 0x1:
            raise SerializationError(f"{where} is encrypted")
        if info.header_offset + info.compress_size > file_size:
            raise SerializationError(
                f"{where} declares {info.compress_size} bytes at offset {info.header_offset}, "
                f"past the end of the {file_size}-byte file"
            )
        stored = info.compress_type == zipfile.ZIP_STORED
        most = info.compress_size if stored else info.compress_size * _DEFLATE_MAX_RATIO + 64
        if info.file_size > most:
            raise SerializationError(
                f"{where} declares {info.file_size} bytes from {info.compress_size} "
                f"{'stored' if stored else 'deflated'} bytes; at most {most} are possible"
            )
    end = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset < end:
            raise SerializationError(
                f"member {info.filename!r} overlaps the member before it; every member must "
                "have its own bytes"
            )
        end = info.header_offset + _LOCAL_HEADER + len(info.orig_filename) + info.compress_size


def _read_into(fh: IO[bytes], out: np.ndarray, where: str) -> None:
    view = memoryview(out.data).cast("B")
    pos = 0
    while pos < len(view):
        chunk = fh.read(min(_CHUNK, len(view) - pos))
        if not chunk:
            raise SerializationError(f"{where} ends after {pos} of {len(view)} bytes of data")
        view[pos : pos + len(chunk)] = chunk
        pos += len(chunk)
    if fh.read(1):  # also makes zipfile check the member's CRC
        raise SerializationError(f"{where} holds more data than its header declares")


class _Decoder:
    def __init__(self, zf: zipfile.ZipFile, budget: _Budget):
        self.zf = zf
        self.names = set(zf.namelist())
        self.budget = budget
        self.used: set[str] = set()

    def array(self, name: Any) -> np.ndarray:
        member = f"{name}.npy"
        if not isinstance(name, str) or member not in self.names:
            raise SerializationError(f"the manifest names a missing array {name!r:.80}")
        if member in self.used:
            raise SerializationError(
                f"the manifest refers to array {name!r} more than once (each is stored once)"
            )
        self.used.add(member)
        info = self.zf.getinfo(member)
        where = f"array {name!r}"
        self.budget.take(info.file_size, where)
        with self.zf.open(info) as fh:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                header = np.lib.format.read_array_header_1_0(fh, max_header_size=_NPY_MAX_HEADER)
            elif version == (2, 0):
                header = np.lib.format.read_array_header_2_0(fh, max_header_size=_NPY_MAX_HEADER)
            else:
                raise SerializationError(f"{where} has .npy format version {version}")
            shape, fortran, dtype = header
            if dtype.kind not in _ARRAY_KINDS or dtype.hasobject or dtype.itemsize == 0:
                raise SerializationError(f"{where} has unsupported dtype {dtype}")
            nbytes = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
            if fh.tell() + nbytes != info.file_size:
                raise SerializationError(
                    f"{where}: its header declares shape {shape} of {dtype} ({nbytes} bytes) "
                    f"but the member holds {info.file_size - fh.tell()} bytes of data"
                )
            flat = np.empty(nbytes, dtype=np.uint8)
            _read_into(fh, flat, where)
        return flat.view(dtype).reshape(shape, order="F" if fortran else "C")

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
                scalar = self.array(value)
                if scalar.ndim:
                    raise SerializationError(f"scalar {value!r} has shape {scalar.shape}")
                return scalar[()]
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
        with open_regular(f) as fh:  # type: ignore[arg-type]
            yield fh


def _check_map_location(map_location: Any) -> None:
    """minigrad runs on the CPU: accept every way of saying "the CPU", refuse the rest."""
    if map_location is None or callable(map_location):
        return  # a callable remaps storages; everything is on the CPU already
    targets = map_location.values() if isinstance(map_location, dict) else [map_location]
    for target in targets:
        if str(target).split(":")[0] != "cpu":
            raise RuntimeError(
                f"minigrad.load: map_location={map_location!r}: minigrad runs on the CPU only; "
                "use map_location='cpu' or leave it out"
            )


def _check_load_options(
    map_location: Any, pickle_module: Any, weights_only: Any, mmap: Any, extra: dict[str, Any]
) -> None:
    if pickle_module is not None:
        raise RuntimeError(
            "minigrad.load: pickle_module is not supported; minigrad files hold no pickle and "
            "loading never runs code, so there is nothing to unpickle (leave it out)"
        )
    if extra:
        raise TypeError(
            f"minigrad.load: unexpected argument(s) {sorted(extra)}; these pass through to "
            "pickle in torch.load, and minigrad never unpickles"
        )
    if weights_only is not None and not isinstance(weights_only, bool):
        raise TypeError(f"minigrad.load: weights_only must be a bool, got {weights_only!r}")
    if mmap:
        raise ValueError("minigrad.load: mmap=True is not supported; arrays are read into memory")
    _check_map_location(map_location)


def load(
    f: PathOrFile,
    map_location: Any = None,
    pickle_module: Any = None,
    *,
    weights_only: bool | None = None,
    mmap: bool | None = None,
    max_bytes: int | None = None,
    **pickle_load_args: Any,
) -> Any:
    """Read what :func:`save` wrote: never runs code, whatever the file holds.

    Arrays come back as ndarrays, Tensors as Tensors, numbers, strings and
    containers as they were saved (tuples stay tuples, int keys stay ints).

    Memory is bounded: every declared size (zip member, ``.npy`` header) is
    checked against the bytes the file actually holds and against ``max_bytes``
    before anything is allocated or inflated, and each stored array may be
    referred to once.

    Args:
        f: a path (a regular file: FIFOs, devices and folders are refused) or a
            binary file object (seekable, or it is read into memory), ``io.BytesIO`` too.
        map_location: as in ``torch.load``; ``None``, ``"cpu"``, a CPU device, a dict
            mapping to the CPU, or a callable. Anything else (``"cuda"``) is an error:
            minigrad runs on the CPU.
        pickle_module: refused if given (there is no pickle to read).
        weights_only: accepted as in ``torch.load``; minigrad always loads data only,
            so ``True`` and ``False`` behave the same.
        mmap: ``None`` or ``False`` (memory-mapping is not supported).
        max_bytes: the most this file may allocate (default :data:`DEFAULT_MAX_BYTES`).

    Raises:
        FileNotFoundError: if the path does not exist.
        SerializationError: (a ``ValueError``) naming the file, if it is not a
            minigrad file (a pickle, a ``torch.save`` file), not a regular file, is
            truncated or corrupt, or declares more data than it holds or ``max_bytes`` allows.

    Example:
        >>> import os, pickle, tempfile
        >>> import minigrad
        >>> path = os.path.join(tempfile.mkdtemp(), "model.pkl")
        >>> with open(path, "wb") as fh:
        ...     pickle.dump({"w": [1.0]}, fh)
        >>> minigrad.load(path, map_location="cpu", weights_only=True)
        Traceback (most recent call last):
        ...
        minigrad.serialization.SerializationError: minigrad.load: '...' is a pickle file; ...
    """
    _check_load_options(map_location, pickle_module, weights_only, mmap, pickle_load_args)
    limit = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"minigrad.load: max_bytes must be a non-negative int, got {limit!r}")
    name = _describe(f)
    try:
        opened = _open_for_reading(f)
        fh = opened.__enter__()
    except SerializationError as exc:
        raise SerializationError(f"minigrad.load: {exc}") from None
    try:
        start = fh.tell()
        head = fh.read(4)
        size = fh.seek(0, os.SEEK_END) - start
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
                _check_archive(zf, size + start)
                return _read_archive(zf, name, _Budget(limit))
        except SerializationError as exc:
            if str(exc).startswith("minigrad.load:"):
                raise
            raise SerializationError(f"minigrad.load: {name}: {exc}") from exc
        except _CORRUPTION_ERRORS as exc:
            raise SerializationError(
                f"minigrad.load: {name} is truncated or corrupt ({type(exc).__name__}: {exc})"
            ) from exc
    finally:
        opened.__exit__(None, None, None)


def _read_archive(zf: zipfile.ZipFile, name: str, budget: _Budget) -> Any:
    decoder = _Decoder(zf, budget)
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


# --------------------------------------------------------------------------- weights


def load_weights(
    f: PathOrFile, *, allow_nonfinite: bool = False, max_bytes: int | None = None
) -> dict[str, np.ndarray]:
    """Load a state dict (weights) with :func:`load` and check it is one.

    The file must hold a dict from parameter names to arrays or Tensors, and by
    default every floating-point value must be finite: a NaN or an infinity in
    weights makes every prediction meaningless, so it is refused here, at load.

    Args:
        f: as for :func:`load`.
        allow_nonfinite: accept NaN and infinite values.
        max_bytes: as for :func:`load`.

    Returns:
        ``{name: ndarray}``, ready for ``module.load_state_dict``.

    Raises:
        SerializationError: the file cannot be read, is not a state dict, or holds
            non-finite values (naming the first such entry).

    Example:
        >>> import io
        >>> import numpy as np
        >>> import minigrad
        >>> from minigrad.serialization import load_weights
        >>> buf = io.BytesIO()
        >>> minigrad.save({"w": np.array([1.0, np.nan])}, buf)
        >>> _ = buf.seek(0)
        >>> load_weights(buf)
        Traceback (most recent call last):
        ...
        minigrad.serialization.SerializationError: ...: 'w' holds 1 NaN or infinite value(s) ...
        >>> _ = buf.seek(0)
        >>> load_weights(buf, allow_nonfinite=True)["w"].shape
        (2,)
    """
    name = _describe(f)
    state = load(f, max_bytes=max_bytes)
    if not isinstance(state, dict):
        raise SerializationError(
            f"{name} holds a {type(state).__name__}, not a state dict (a dict of arrays); "
            "is it a training checkpoint? Use the weights file (model.npz or best.npz)"
        )
    out: dict[str, np.ndarray] = {}
    for key, value in state.items():
        array = value._data if isinstance(value, Tensor) else value
        if not isinstance(key, str) or not isinstance(array, np.ndarray):
            raise SerializationError(
                f"{name} is not a state dict: entry {key!r:.60} holds a {type(value).__name__} "
                "(expected parameter names mapping to arrays); is it a training checkpoint?"
            )
        if not allow_nonfinite and array.dtype.kind in "fc":
            bad = int(array.size - np.count_nonzero(np.isfinite(array)))
            if bad:
                raise SerializationError(
                    f"{name}: {key!r} holds {bad} NaN or infinite value(s) of {array.size}; "
                    "the weights are broken (a diverged run?). Pass allow_nonfinite=True "
                    "(on the command line: --allow-nonfinite) to load them anyway"
                )
        out[key] = array
    return out
