"""A validating reader for IDX files (the MNIST / Fashion-MNIST format), gzipped or raw.

An IDX file is a 4-byte magic number ``0x00 0x00 <type> <ndim>``, then ``ndim``
big-endian int32 dimensions, then the values in C order. :func:`read_idx`
checks each part and raises :class:`IDXError` naming the file and what was
expected versus found: a truncated or corrupt gzip stream, a wrong magic
number, an unexpected type or number of dimensions, or a payload whose size
does not match the header's counts. Memory is bounded: the header's declared size is checked
against the file's size (and, for ``.gz``, what deflate can produce from it)
and against :data:`MAX_BYTES` before anything is allocated or inflated, and the
payload is then inflated straight into its array.

Example:
    >>> import gzip, tempfile, pathlib
    >>> from minigrad.data.idx import read_idx
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte.gz"
    >>> _ = path.write_bytes(gzip.compress(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1])))
    >>> read_idx(path)
    array([7, 2, 1], dtype=uint8)
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from pathlib import Path
from typing import IO, cast

import numpy as np

from minigrad.serialization import open_regular

__all__ = ["MAX_BYTES", "IDXError", "read_idx"]

#: The most :func:`read_idx` allocates for one file unless told otherwise (``max_bytes=``).
#: MNIST's largest file holds 47 MB; raise this for bigger IDX datasets.
MAX_BYTES = 2**30
# Deflate cannot expand data more than 1032-fold: a header declaring more than
# 1032 times the compressed size cannot be honest.
_DEFLATE_MAX_RATIO = 1032
_CHUNK = 1 << 20

# IDX type code -> big-endian NumPy dtype
_TYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


class IDXError(ValueError):
    """An IDX file is truncated, corrupt, or not what the caller expected.

    Example:
        >>> import tempfile, pathlib
        >>> from minigrad.data.idx import read_idx
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte"
        >>> _ = path.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]))
        >>> read_idx(path)
        Traceback (most recent call last):
        ...
        minigrad.data.idx.IDXError: ...: header declares shape (5,) ... holds 2 bytes of data
    """


def _read_exact(stream: IO[bytes], out: memoryview) -> int:
    """Fill ``out`` from ``stream``; return how many bytes came (fewer at the end)."""
    pos = 0
    while pos < len(out):
        chunk = stream.read(min(_CHUNK, len(out) - pos))
        if not chunk:
            break
        out[pos : pos + len(chunk)] = chunk
        pos += len(chunk)
    return pos


def read_idx(
    path: str | os.PathLike[str],
    *,
    ndim: int | None = None,
    dtype: np.dtype | type | None = None,
    max_bytes: int | None = None,
) -> np.ndarray:
    """Read an IDX file (``.gz`` or raw) into a read-only native-endian ndarray.

    Args:
        path: the file (a regular file); a ``.gz`` suffix means gzip-compressed.
        ndim: if given, the number of dimensions the header must declare.
        dtype: if given, the element type the header must declare (e.g. ``np.uint8``).
        max_bytes: the most the data may take (default :data:`MAX_BYTES`).

    Raises:
        IDXError: the file is truncated or corrupt, has a wrong magic number, an
            unexpected type or ndim, a payload that does not match its header, or
            declares more data than the file can hold or ``max_bytes`` allows.

    Example:
        >>> import os
        >>> from minigrad.data.idx import read_idx
        >>> root = os.environ["MINIGRAD_DATA"]
        >>> read_idx(f"{root}/mnist/t10k-labels-idx1-ubyte.gz", ndim=1).shape
        (10000,)
    """
    path = Path(path)
    limit = MAX_BYTES if max_bytes is None else max_bytes
    with open_regular(path, IDXError) as raw:
        size = os.fstat(raw.fileno()).st_size
        if path.suffix != ".gz":
            return _parse(path, raw, size, size, limit, ndim, dtype)
        try:
            with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                most = size * _DEFLATE_MAX_RATIO + 1024
                return _parse(path, cast("IO[bytes]", stream), None, most, limit, ndim, dtype)
        except EOFError as e:
            raise IDXError(
                f"{path}: truncated gzip stream ({size} bytes on disk; {e}); "
                "the file is incomplete, download it again"
            ) from None
        except (gzip.BadGzipFile, zlib.error, OSError) as e:
            raise IDXError(f"{path}: corrupt gzip data ({e}); download it again") from None


def _parse(
    path: Path,
    stream: IO[bytes],
    exact: int | None,
    most: int,
    limit: int,
    ndim: int | None,
    dtype: np.dtype | type | None,
) -> np.ndarray:
    """Parse the header, check the declared size, then read the data into its array.

    ``exact`` is the whole (uncompressed) file size when known, ``most`` the most
    the file can hold.
    """
    buf = stream.read(4)
    if len(buf) < 4:
        raise IDXError(f"{path}: expected at least a 4-byte IDX header, found {len(buf)} bytes")
    zero0, zero1, code, dims = buf[0], buf[1], buf[2], buf[3]
    magic = int.from_bytes(buf[:4], "big")
    if zero0 or zero1 or code not in _TYPES:
        raise IDXError(
            f"{path}: wrong magic number 0x{magic:08X}; expected 0x0000TTNN with type TT in "
            f"{{{', '.join(f'{t:02X}' for t in _TYPES)}}} (e.g. 0x00000801 for labels, "
            "0x00000803 for images); not an IDX file"
        )
    file_dtype = _TYPES[code]
    if dtype is not None and file_dtype.newbyteorder("=") != np.dtype(dtype):
        raise IDXError(
            f"{path}: expected elements of type {np.dtype(dtype)}, header (magic 0x{magic:08X}) "
            f"declares {file_dtype.newbyteorder('=')}"
        )
    if ndim is not None and dims != ndim:
        raise IDXError(
            f"{path}: expected {ndim} dimension(s), header (magic 0x{magic:08X}) declares {dims}"
        )
    header = 4 + 4 * dims
    raw_dims = stream.read(4 * dims)
    if len(raw_dims) < 4 * dims:
        raise IDXError(f"{path}: header declares {dims} dimensions but the file ends early")
    shape = tuple(int.from_bytes(raw_dims[4 * i : 4 * i + 4], "big") for i in range(dims))
    expected = math.prod(shape) * file_dtype.itemsize  # Python ints: never overflows
    if exact is not None and expected != exact - header:
        raise IDXError(
            f"{path}: header declares shape {shape} ({expected} bytes of data) "
            f"but the file holds {exact - header} bytes of data"
        )
    if expected > most:
        raise IDXError(
            f"{path}: header declares shape {shape} ({expected} bytes of data), more than "
            f"the compressed file can hold (at most {most} bytes); the file is corrupt"
        )
    if expected > limit:
        raise IDXError(
            f"{path}: header declares shape {shape} ({expected} bytes of data), more than "
            f"the limit of {limit} bytes; if the file is trusted, raise it with "
            "read_idx(..., max_bytes=N) or minigrad.data.idx.MAX_BYTES"
        )
    data = np.empty(expected, dtype=np.uint8)
    found = _read_exact(stream, memoryview(data.data))
    extra = stream.read(_CHUNK) if found == expected else b""
    if found != expected or extra:
        more = f"more than {found}" if extra else str(found)
        raise IDXError(
            f"{path}: header declares shape {shape} ({expected} bytes of data) "
            f"but the file holds {more} bytes of data"
        )
    array = data.view(file_dtype).reshape(shape)
    if file_dtype.itemsize > 1:
        array = array.astype(file_dtype.newbyteorder("="))
    array.flags.writeable = False
    return array
