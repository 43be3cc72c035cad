"""A restricted unpickler for CIFAR-10's batch files: data only, never code.

CIFAR-10's canonical batches are Python pickles, and unpickling an arbitrary
pickle runs arbitrary code. :func:`load` allows exactly what those files
contain (dicts, lists, strings, bytes, numbers and NumPy arrays of plain,
non-object dtypes) and refuses every other global with
:class:`UnsafePickleError` *before* anything is called.

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
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["UnsafePickleError", "load"]

try:  # NumPy >= 2 moved the implementation to numpy._core; pickles name either module
    from numpy._core.multiarray import _reconstruct
    from numpy._core.numeric import _frombuffer  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - NumPy 1.x
    from numpy.core.multiarray import _reconstruct  # type: ignore[no-redef]
    from numpy.core.numeric import _frombuffer  # type: ignore[no-redef]


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


def _plain_dtype(*args: Any, **kwargs: Any) -> np.dtype:
    """``numpy.dtype`` for plain numeric/bytes types only (object arrays unpickle objects)."""
    dtype = np.dtype(*args, **kwargs)
    if dtype.hasobject:
        raise UnsafePickleError(f"refusing an object dtype ({dtype}) in a data pickle")
    return dtype


def _plain_frombuffer(buf: Any, dtype: Any, shape: Any, order: str) -> np.ndarray:
    """``numpy._core.numeric._frombuffer`` (protocol-5 array pickles), plain dtypes only."""
    return _frombuffer(buf, _plain_dtype(dtype), shape, order)


def _encode_latin1(text: str, encoding: str = "latin1") -> bytes:
    """``_codecs.encode`` as protocol-2 pickles of ``bytes`` use it, restricted to latin-1."""
    if encoding not in ("latin1", "latin-1"):
        raise UnsafePickleError(f"refusing _codecs.encode with encoding {encoding!r}")
    return text.encode("latin1")


_ALLOWED: dict[tuple[str, str], Callable[..., Any] | type] = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.numeric", "_frombuffer"): _plain_frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _plain_frombuffer,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): _plain_dtype,
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


def load(data: bytes, name: str = "<pickle>", encoding: str = "latin1") -> Any:
    """Unpickle ``data`` allowing only plain data and NumPy arrays.

    Args:
        data: the pickle's bytes.
        name: how to refer to the source in errors (usually the file path).
        encoding: how Python 2 ``str`` objects are decoded (``"latin1"`` or ``"bytes"``).

    Raises:
        UnsafePickleError: the pickle references any other global (nothing is called).
        pickle.UnpicklingError: the data is not a complete pickle.

    Example:
        >>> import os
        >>> from minigrad.data.safe_pickle import load
        >>> root = os.environ["MINIGRAD_DATA"]
        >>> with open(f"{root}/cifar10/cifar-10-batches-py/batches.meta", "rb") as f:
        ...     load(f.read())["label_names"][:3]
        ['airplane', 'automobile', 'bird']
    """
    try:
        return _RestrictedUnpickler(io.BytesIO(data), name, encoding).load()
    except UnsafePickleError as e:
        if str(e).startswith(f"{name}:"):
            raise
        raise UnsafePickleError(f"{name}: {e}") from None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError) as e:
        raise pickle.UnpicklingError(f"{name}: not a valid pickle ({e})") from e
