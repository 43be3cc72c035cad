"""A restricted unpickler for CIFAR-10's batch files: data only, never code.

CIFAR-10's canonical batches are Python pickles, and unpickling an arbitrary
pickle runs arbitrary code. :func:`load` allows exactly what those files
contain (dicts, lists, strings, bytes, numbers and NumPy arrays of plain
numeric dtypes) and refuses everything else with :class:`UnsafePickleError`
*before* anything is called:

- a first pass reads every opcode without executing any (``pickletools``), so a
  size field declaring more bytes than the data holds is refused before it is
  allocated, and so are opcodes that build objects of arbitrary classes;
- NumPy's globals are replaced by stand-ins: ``numpy.ndarray`` cannot be called
  (``ndarray(shape)`` would allocate any shape it is told), ``dtype`` accepts only
  plain numeric types, and an array is built only from a complete, consistent
  state whose raw bytes match its shape exactly.

Example:
    >>> import pickle, numpy as np
    >>> from minigrad.data.safe_pickle import load
    >>> blob = pickle.dumps({"labels": [1, 2], "data": np.zeros((2, 3), np.uint8)}, protocol=2)
    >>> load(blob, name="batch")["data"].shape
    (2, 3)
    >>> load(pickle.dumps(print), name="evil")
    Traceback (most recent call last):
    ...
    minigrad.data.safe_pickle.UnsafePickleError: evil: refusing to load global builtins.print ...
"""

from __future__ import annotations

import io
import math
import pickle
import pickletools
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["MAX_BYTES", "UnsafePickleError", "load"]

#: The largest pickle :func:`load` accepts, in bytes (a CIFAR-10 batch is 31 MB).
MAX_BYTES = 512 * 2**20
#: The element types an array in a data pickle may have.
PLAIN_DTYPES = frozenset(
    ["b1", "u1", "i1", "u2", "i2", "u4", "i4", "u8", "i8", "f2", "f4", "f8"]
)  # fmt: skip
# Opcodes that build instances of arbitrary classes or fetch outside objects.
_REFUSED_OPCODES = frozenset(
    ["PERSID", "BINPERSID", "INST", "OBJ", "NEWOBJ", "NEWOBJ_EX", "EXT1", "EXT2", "EXT4",
     "NEXT_BUFFER", "READONLY_BUFFER"]
)  # fmt: skip


class UnsafePickleError(pickle.UnpicklingError):
    """A pickle asked for something other than plain data (the file is refused).

    Example:
        >>> import os, pickle
        >>> from minigrad.data.safe_pickle import load
        >>> load(pickle.dumps(os.system), name="batch")
        Traceback (most recent call last):
        ...
        minigrad.data.safe_pickle.UnsafePickleError: batch: refusing to load global posix.system ...
    """


class _NdarrayToken:
    """Stands for ``numpy.ndarray`` in a pickle: only ``_reconstruct``'s first argument."""

    def __repr__(self) -> str:
        return "numpy.ndarray"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise UnsafePickleError(
            "refusing numpy.ndarray(...) called directly (it would allocate whatever shape "
            "it is given); a data pickle builds arrays from their bytes"
        )


_NDARRAY = _NdarrayToken()


class _DtypeStub:
    """``numpy.dtype(spec, align, copy)`` for plain numeric types; its state sets the byte order."""

    def __init__(self, spec: Any, align: Any = False, copy: Any = True) -> None:
        if not isinstance(spec, str) or spec not in PLAIN_DTYPES:
            raise UnsafePickleError(
                f"refusing dtype {spec!r:.40} in a data pickle: only plain numeric types, "
                f"never an object dtype (allowed: {sorted(PLAIN_DTYPES)})"
            )
        if align not in (False, 0) or copy not in (True, 1):
            raise UnsafePickleError(f"refusing dtype arguments {(align, copy)!r:.60}")
        self.dtype = np.dtype(spec)

    def __setstate__(self, state: Any) -> None:
        if not (
            isinstance(state, tuple)
            and len(state) == 8
            and state[0] in (3, 4)
            and state[1] in ("<", ">", "|", "=")
            and state[2:5] == (None, None, None)
        ):
            raise UnsafePickleError(f"refusing a malformed dtype state {state!r:.80}")
        if state[1] in "<>" and self.dtype.itemsize > 1:
            self.dtype = self.dtype.newbyteorder(state[1])


class _ArrayStub:
    """What ``_reconstruct(ndarray, (0,), b'b')`` returns; ``BUILD`` gives it its data."""

    array: np.ndarray | None = None

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, tuple) and len(state) == 5:
            state = state[1:]  # (version, shape, dtype, is_fortran, rawdata)
        if not (isinstance(state, tuple) and len(state) == 4):
            raise UnsafePickleError(f"refusing a malformed array state {state!r:.80}")
        shape, dtype, fortran, raw = state
        if isinstance(raw, str):  # Python 2 pickles read with encoding="latin1"
            raw = raw.encode("latin1")
        if not isinstance(raw, (bytes, bytearray)) or fortran not in (True, False):
            raise UnsafePickleError(f"refusing a malformed array state {state!r:.80}")
        self.array = _array(raw, dtype, shape, "F" if fortran else "C")


def _array(raw: Any, dtype: Any, shape: Any, order: Any) -> np.ndarray:
    """An array over ``raw``, if its length is exactly what ``shape`` and ``dtype`` need."""
    if not isinstance(dtype, _DtypeStub):
        raise UnsafePickleError(f"refusing an array whose dtype is a {type(dtype).__name__}")
    if not (
        isinstance(shape, tuple)
        and all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape)
    ):
        raise UnsafePickleError(f"refusing an array shape {shape!r:.60}")
    if order not in ("C", "F"):
        raise UnsafePickleError(f"refusing an array order {order!r:.20}")
    nbytes = math.prod(shape) * dtype.dtype.itemsize
    if len(raw) != nbytes:
        raise UnsafePickleError(
            f"an array of shape {shape} and dtype {dtype.dtype} needs {nbytes} bytes, "
            f"its data holds {len(raw)}"
        )
    return np.frombuffer(raw, dtype=dtype.dtype).reshape(shape, order=order)


def _reconstruct(cls: Any, shape: Any, typecode: Any) -> _ArrayStub:
    """``numpy._core.multiarray._reconstruct`` as array pickles call it, and only so."""
    if cls is not _NDARRAY or shape != (0,) or typecode not in (b"b", "b"):
        raise UnsafePickleError(
            f"refusing _reconstruct{(cls, shape, typecode)!r:.80}; only "
            "_reconstruct(numpy.ndarray, (0,), b'b') as NumPy writes it"
        )
    return _ArrayStub()


def _frombuffer(buf: Any, dtype: Any, shape: Any, order: Any) -> np.ndarray:
    """``numpy._core.numeric._frombuffer`` (protocol-5 array pickles), checked."""
    if not isinstance(buf, (bytes, bytearray)):
        raise UnsafePickleError(f"refusing _frombuffer over a {type(buf).__name__}")
    return _array(buf, dtype, shape, order)


def _encode_latin1(text: Any, encoding: Any = "latin1") -> bytes:
    """``_codecs.encode`` as protocol-2 pickles of ``bytes`` use it, restricted to latin-1."""
    if encoding not in ("latin1", "latin-1") or not isinstance(text, str):
        raise UnsafePickleError(f"refusing _codecs.encode of {type(text).__name__} as {encoding!r}")
    return text.encode("latin1")


_ALLOWED: dict[tuple[str, str], Callable[..., Any] | type] = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("numpy", "ndarray"): _NDARRAY,  # type: ignore[dict-item]
    ("numpy", "dtype"): _DtypeStub,
    ("_codecs", "encode"): _encode_latin1,
}


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BufferedIOBase, name: str, encoding: str) -> None:
        super().__init__(file, encoding=encoding)
        self._name = name

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            allowed = ", ".join(f"{m}.{n}" for m, n in _ALLOWED)
            raise UnsafePickleError(
                f"{self._name}: refusing to load global {module}.{name} "
                f"(a data pickle may only use {allowed}); the file is not a plain "
                "CIFAR batch and may try to run code"
            ) from None

    def persistent_load(self, pid: Any) -> Any:
        raise UnsafePickleError(f"{self._name}: refusing a persistent id in a data pickle")


def _scan(data: bytes) -> None:
    """Read every opcode without running any: sizes must fit the data, no object builders."""
    try:
        for opcode, _, _ in pickletools.genops(io.BytesIO(data)):
            if opcode.name in _REFUSED_OPCODES:
                raise UnsafePickleError(f"refusing opcode {opcode.name} in a data pickle")
    except (ValueError, EOFError) as e:  # a size past the end, an unknown opcode, no STOP
        raise pickle.UnpicklingError(f"not a valid pickle ({e})") from None


_PLAIN = (str, bytes, bytearray, int, float, bool, type(None), np.ndarray)


def _resolve(obj: Any, active: set[int]) -> Any:
    """Replace array stand-ins by their arrays; refuse anything that is not plain data."""
    if isinstance(obj, _ArrayStub):
        if obj.array is None:
            raise UnsafePickleError("refusing an array that never received its data")
        return obj.array
    if isinstance(obj, _PLAIN):
        return obj
    if not isinstance(obj, (dict, list, tuple)):
        raise UnsafePickleError(f"refusing a {type(obj).__name__} in a data pickle")
    if id(obj) in active:
        raise UnsafePickleError("refusing a data pickle that contains itself")
    active.add(id(obj))
    try:
        if isinstance(obj, dict):
            return {_resolve(k, active): _resolve(v, active) for k, v in obj.items()}
        items = [_resolve(v, active) for v in obj]
        return items if isinstance(obj, list) else tuple(items)
    finally:
        active.discard(id(obj))


def load(
    data: bytes, name: str = "<pickle>", encoding: str = "latin1", max_bytes: int | None = None
) -> Any:
    """Unpickle ``data`` allowing only plain data and NumPy arrays of plain numeric types.

    Args:
        data: the pickle's bytes.
        name: how to refer to the source in errors (usually the file path).
        encoding: how Python 2 ``str`` objects are decoded (``"latin1"`` or ``"bytes"``).
        max_bytes: the largest pickle accepted (default :data:`MAX_BYTES`).

    Raises:
        UnsafePickleError: the pickle references any other global or opcode, or an
            array whose parts do not fit together (nothing is called).
        pickle.UnpicklingError: the data is not a complete pickle, or is too large.

    Example:
        >>> import os
        >>> from minigrad.data.safe_pickle import load
        >>> root = os.environ["MINIGRAD_DATA"]
        >>> with open(f"{root}/cifar10/cifar-10-batches-py/batches.meta", "rb") as f:
        ...     load(f.read())["label_names"][:3]
        ['airplane', 'automobile', 'bird']
    """
    limit = MAX_BYTES if max_bytes is None else max_bytes
    try:
        if len(data) > limit:
            raise pickle.UnpicklingError(
                f"{len(data)} bytes, more than the limit of {limit} (raise "
                "minigrad.data.safe_pickle.MAX_BYTES if the file is trusted)"
            )
        _scan(data)
        obj = _RestrictedUnpickler(io.BytesIO(data), name, encoding).load()
        return _resolve(obj, set())
    except UnsafePickleError as e:
        if str(e).startswith(f"{name}:"):
            raise
        raise UnsafePickleError(f"{name}: {e}") from None
    except RecursionError:
        raise pickle.UnpicklingError(f"{name}: not a valid pickle (nested too deeply)") from None
    except pickle.UnpicklingError as e:
        raise pickle.UnpicklingError(f"{name}: {e}") from None
    except Exception as e:  # a malformed pickle: whatever the unpickler's C code raises
        raise pickle.UnpicklingError(
            f"{name}: not a valid pickle ({type(e).__name__}: {e})"
        ) from None
