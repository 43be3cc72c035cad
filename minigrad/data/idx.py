"""A validating reader for IDX files (the MNIST / Fashion-MNIST format), gzipped or raw.

An IDX file is a 4-byte magic number ``0x00 0x00 <type> <ndim>``, then ``ndim``
big-endian int32 dimensions, then the values in C order. :func:`read_idx`
checks each part and raises :class:`IDXError` naming the file and what was
expected versus found: a truncated or corrupt gzip stream, a wrong magic
number, an unexpected type or number of dimensions, or a payload whose size
does not match the header's counts.

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
import os
import zlib
from pathlib import Path

import numpy as np

__all__ = ["IDXError", "read_idx"]

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


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise
    if path.suffix != ".gz":
        return raw
    try:
        return gzip.decompress(raw)
    except EOFError as e:
        raise IDXError(
            f"{path}: truncated gzip stream ({len(raw)} bytes on disk; {e}); "
            "the file is incomplete, download it again"
        ) from None
    except (gzip.BadGzipFile, zlib.error, OSError) as e:
        raise IDXError(f"{path}: corrupt gzip data ({e}); download it again") from None


def read_idx(
    path: str | os.PathLike[str],
    *,
    ndim: int | None = None,
    dtype: np.dtype | type | None = None,
) -> np.ndarray:
    """Read an IDX file (``.gz`` or raw) into a read-only native-endian ndarray.

    Args:
        path: the file; a ``.gz`` suffix means gzip-compressed.
        ndim: if given, the number of dimensions the header must declare.
        dtype: if given, the element type the header must declare (e.g. ``np.uint8``).

    Raises:
        IDXError: the file is truncated or corrupt, has a wrong magic number, an
            unexpected type or ndim, or a payload that does not match its header.

    Example:
        >>> import os
        >>> from minigrad.data.idx import read_idx
        >>> root = os.environ["MINIGRAD_DATA"]
        >>> read_idx(f"{root}/mnist/t10k-labels-idx1-ubyte.gz", ndim=1).shape
        (10000,)
    """
    path = Path(path)
    buf = _read_bytes(path)
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
    if len(buf) < header:
        raise IDXError(f"{path}: header declares {dims} dimensions but the file ends early")
    shape = tuple(int(d) for d in np.frombuffer(buf, dtype=">u4", count=dims, offset=4))
    expected = int(np.prod(shape, dtype=np.int64)) * file_dtype.itemsize
    found = len(buf) - header
    if found != expected:
        raise IDXError(
            f"{path}: header declares shape {shape} ({expected} bytes of data) "
            f"but the file holds {found} bytes of data"
        )
    array = np.frombuffer(buf, dtype=file_dtype, offset=header).reshape(shape)
    if file_dtype.itemsize > 1:
        array = array.astype(file_dtype.newbyteorder("="))
        array.flags.writeable = False
    return array
