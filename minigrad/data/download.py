"""Verified downloads: mirrors, retries, timeouts, checksums, atomic writes, safe tar extraction.

A download streams into a temporary file next to its destination while hashing
it, checks the byte count against ``Content-Length`` and the digest against the
published md5/sha256, and only then renames it into place with ``os.replace``.
An interrupted, truncated or mismatched download therefore leaves nothing
behind. Each mirror is tried ``retries`` times (with a short back-off) on
network errors and timeouts; a checksum mismatch or an HTTP 4xx moves straight
on to the next mirror.

Example:
    >>> import tempfile, pathlib
    >>> from minigrad.data.download import check_integrity, file_digest
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "hello.txt"
    >>> _ = path.write_bytes(b"hello")
    >>> file_digest(path, "md5")
    '5d41402abc4b2a76b9719d911017c592'
    >>> check_integrity(path, md5="5d41402abc4b2a76b9719d911017c592")
    True
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import shutil
import socket
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "ArchiveError",
    "ChecksumError",
    "DownloadError",
    "MissingDataError",
    "Resource",
    "UnsafeArchiveError",
    "check_integrity",
    "download_url",
    "extract_tar",
    "file_digest",
]

_CHUNK = 1 << 20


class DownloadError(OSError):
    """A file could not be downloaded from any mirror (the message lists every attempt).

    Example:
        >>> from minigrad.data import DownloadError
        >>> issubclass(DownloadError, OSError)
        True
    """


class ChecksumError(DownloadError):
    """A file's md5/sha256 differs from the published one.

    Example:
        >>> from minigrad.data import ChecksumError, DownloadError
        >>> issubclass(ChecksumError, DownloadError)
        True
    """


class MissingDataError(FileNotFoundError):
    """Dataset files are missing and ``download`` was not requested.

    The message names the missing files, the folder searched, and how to provide them.

    Example:
        >>> import tempfile
        >>> from minigrad.data import MNIST, MissingDataError
        >>> try:
        ...     MNIST(root=tempfile.mkdtemp())
        ... except MissingDataError as e:
        ...     print(str(e).splitlines()[1])
          train-images-idx3-ubyte.gz
    """


class ArchiveError(ValueError):
    """A tar archive is corrupt, truncated or not a tar archive at all.

    Example:
        >>> import tempfile, pathlib
        >>> bad = pathlib.Path(tempfile.mkdtemp()) / "x.tar"
        >>> _ = bad.write_bytes(b"not a tar")
        >>> extract_tar(bad, bad.parent / "out")
        Traceback (most recent call last):
        ...
        minigrad.data.download.ArchiveError: ...x.tar: not a readable tar archive ...
    """


class UnsafeArchiveError(ArchiveError):
    """A tar member would be written outside the target folder, or is a link or device.

    Example:
        >>> from minigrad.data import UnsafeArchiveError
        >>> issubclass(UnsafeArchiveError, ArchiveError)  # see extract_tar's example
        True
    """


@dataclass(frozen=True)
class Resource:
    """One published file: its name and its published checksum(s).

    Example:
        >>> from minigrad.data.download import Resource
        >>> Resource("t10k-labels-idx1-ubyte.gz", md5="ec29112dd5afa0611ce80d1b7f02629c").filename
        't10k-labels-idx1-ubyte.gz'
    """

    filename: str
    md5: str | None = None
    sha256: str | None = None


def file_digest(path: str | os.PathLike[str], algorithm: str = "md5") -> str:
    """Return the hex digest of a file (``"md5"`` or ``"sha256"``), read in 1 MiB chunks.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"
        >>> _ = p.write_bytes(b"")
        >>> file_digest(p, "sha256")[:16]
        'e3b0c44298fc1c14'
    """
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def check_integrity(
    path: str | os.PathLike[str], md5: str | None = None, sha256: str | None = None
) -> bool:
    """True if ``path`` exists and matches every checksum given (no checksum: exists).

    Example:
        >>> check_integrity("/no/such/file", md5="0" * 32)
        False
    """
    if not os.path.isfile(path):
        return False
    for algorithm, expected in (("md5", md5), ("sha256", sha256)):
        if expected is not None and file_digest(path, algorithm) != expected.lower():
            return False
    return True


class _IncompleteDownload(DownloadError):
    pass


def _fetch(url: str, out: BinaryIO, hashers: list[Any], timeout: float) -> int:
    """Stream ``url`` into the open file ``out``, updating ``hashers``; return the byte count."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise DownloadError(f"refusing URL scheme {scheme!r} (only http and https): {url}")
    request = urllib.request.Request(url, headers={"User-Agent": "minigrad"})
    received = 0
    with urllib.request.urlopen(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        while chunk := response.read(_CHUNK):
            out.write(chunk)
            for h in hashers:
                h.update(chunk)
            received += len(chunk)
    if length is not None and received != int(length):
        raise _IncompleteDownload(f"truncated response: got {received} of {length} bytes")
    return received


def _describe(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return "timed out"
        return f"network error: {reason}"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(error, http.client.IncompleteRead):
        return f"truncated response: got {len(error.partial)} bytes, {error.expected} missing"
    return f"{type(error).__name__}: {error}"


def download_url(
    urls: str | Sequence[str],
    dest: str | os.PathLike[str],
    *,
    md5: str | None = None,
    sha256: str | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 0.5,
    quiet: bool = False,
) -> Path:
    """Download a file from the first mirror that works, verify it, and move it into place.

    Args:
        urls: one URL or a list of mirror URLs for the same file, tried in order.
        dest: the destination path; its folder is created if needed.
        md5, sha256: published checksums to verify (either, both, or none).
        timeout: seconds to wait for the connection and for each read.
        retries: attempts per mirror on network errors, timeouts and truncated responses.
        backoff: seconds before the first retry, doubling after each retry.
        quiet: don't print progress lines to stderr.

    Returns:
        ``dest`` as a Path, written atomically and verified.

    Raises:
        DownloadError: no mirror produced a verified file; the message lists every
            attempt and why it failed. Nothing is left at ``dest`` or beside it.

    Example:
        >>> download_url(["ftp://example.invalid/x"], tempfile.mkdtemp() + "/x", retries=1)
        Traceback (most recent call last):
        ...
        minigrad.data.download.DownloadError: could not download x into ...
    """
    mirrors = [urls] if isinstance(urls, str) else list(urls)
    if not mirrors:
        raise ValueError("download_url: no URLs given")
    if retries < 1:
        raise ValueError(f"download_url: retries must be at least 1, got {retries}")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for url in mirrors:
        for attempt in range(retries):
            if attempt:
                time.sleep(backoff * 2 ** (attempt - 1))
            try:
                _download_once(url, dest, md5, sha256, timeout, quiet)
                return dest
            except ChecksumError as e:  # the mirror serves a different file: next mirror
                failures.append(f"{url}: {e}")
                break
            except urllib.error.HTTPError as e:
                failures.append(f"{url}: {_describe(e)}")
                if e.code < 500:  # 4xx will not get better by retrying
                    break
            except (OSError, http.client.HTTPException) as e:
                failures.append(f"{url}: {_describe(e)} (attempt {attempt + 1} of {retries})")
    hint = f" (expected md5 {md5})" if md5 else f" (expected sha256 {sha256})" if sha256 else ""
    raise DownloadError(
        f"could not download {dest.name} into {dest.parent}; nothing was written. Attempts:\n  "
        + "\n  ".join(failures)
        + f"\nTo provide the file by hand, put it at {dest}{hint}."
    )


def _download_once(
    url: str, dest: Path, md5: str | None, sha256: str | None, timeout: float, quiet: bool
) -> None:
    hashers = [hashlib.new(a) for a, v in (("md5", md5), ("sha256", sha256)) if v is not None]
    if not quiet:
        print(f"minigrad.data: downloading {url}", file=sys.stderr)
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            _fetch(url, out, hashers, timeout)
        expected = [v for v in (md5, sha256) if v is not None]
        for h, want in zip(hashers, expected):
            if h.hexdigest() != want.lower():
                raise ChecksumError(
                    f"{h.name} mismatch for {dest.name}: expected {want}, got {h.hexdigest()}"
                )
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _check_member(member: tarfile.TarInfo, dest: Path, archive: Path) -> None:
    name = member.name
    where = f"{archive}: member {name!r}"
    if os.path.isabs(name) or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchiveError(f"{where} has an absolute path; refusing to extract")
    if ".." in Path(name.replace("\\", "/")).parts:
        raise UnsafeArchiveError(f"{where} contains '..' and would escape {dest}")
    if not (dest / name).resolve().is_relative_to(dest):
        raise UnsafeArchiveError(f"{where} would be written outside {dest}")
    if not (member.isfile() or member.isdir()):
        kind = "link" if (member.issym() or member.islnk()) else "special file"
        raise UnsafeArchiveError(f"{where} is a {kind}; only regular files and folders allowed")


def extract_tar(archive: str | os.PathLike[str], dest: str | os.PathLike[str]) -> list[Path]:
    """Safely extract a (possibly compressed) tar archive into ``dest``.

    Every member is checked before anything is written: absolute paths, ``..``
    components, links and device files are refused with
    :class:`UnsafeArchiveError`. Extraction goes to a temporary folder inside
    ``dest`` and each file is then moved into place with ``os.replace``, so an
    interrupted extraction leaves no partial files.

    Returns:
        The extracted files, as paths under ``dest``.

    Example:
        >>> import io, tarfile, tempfile, pathlib
        >>> tmp = pathlib.Path(tempfile.mkdtemp())
        >>> with tarfile.open(tmp / "a.tar", "w") as tar:
        ...     info = tarfile.TarInfo("../escape.txt"); info.size = 2
        ...     tar.addfile(info, io.BytesIO(b"hi"))
        >>> extract_tar(tmp / "a.tar", tmp / "out")
        Traceback (most recent call last):
        ...
        minigrad.data.download.UnsafeArchiveError: ...: member '../escape.txt' contains '..' ...
    """
    archive, dest = Path(archive), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    try:
        tar = tarfile.open(archive, "r:*")
    except (tarfile.TarError, EOFError, OSError) as e:
        raise ArchiveError(f"{archive}: not a readable tar archive ({e})") from e
    extracted: list[Path] = []
    with tar:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, EOFError, OSError) as e:
            raise ArchiveError(f"{archive}: corrupt or truncated tar archive ({e})") from e
        for member in members:
            _check_member(member, root, archive)
        staging = Path(tempfile.mkdtemp(dir=root, prefix=".extract-"))
        try:
            try:
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(staging, members=members, filter="data")
                else:  # pragma: no cover - Python < 3.11.4; members were checked above
                    tar.extractall(staging, members=members)
            except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as e:
                raise ArchiveError(f"{archive}: corrupt or truncated tar archive ({e})") from e
            for member in members:
                if member.isfile():
                    target = root / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staging / member.name, target)
                    extracted.append(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return extracted
