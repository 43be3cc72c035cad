"""The downloader, for real, against a local HTTP server on 127.0.0.1; and safe tar extraction.

The server (a thread, ephemeral port) serves copies of the real files under
``/<mode>/<name>``: ``ok``, ``corrupt`` (one byte flipped), ``truncated`` (half
the promised bytes, then the connection closes), ``slow`` (answers after a
delay longer than the client's timeout), ``slowonce`` / ``flaky`` (slow or
truncated on the first request only), ``fail`` (HTTP 500) and ``missing`` (404).
"""

from __future__ import annotations

import hashlib
import http.server
import io
import tarfile
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from minigrad.data import CIFAR10, MNIST, DownloadError, UnsafeArchiveError
from minigrad.data import download as dl
from minigrad.data.download import Resource, check_integrity, download_url, extract_tar

DELAY = 1.0  # the slow server's delay
TIMEOUT = 0.25  # the client's timeout in these tests


class FileServer:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server.handle(self)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def handle(self, req: http.server.BaseHTTPRequestHandler) -> None:
        _, mode, name = req.path.split("/", 2)
        self.hits[f"{mode}/{name}"] += 1
        first = self.hits[f"{mode}/{name}"] == 1
        body = self.files.get(name)
        if body is None or mode == "missing":
            req.send_error(404)
            return
        if mode == "fail":
            req.send_error(500)
            return
        if mode == "slow" or (mode == "slowonce" and first):
            time.sleep(DELAY)
        if mode == "corrupt":
            body = body[:100] + bytes([body[100] ^ 0xFF]) + body[101:]
        req.send_response(200)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        if mode == "truncated" or (mode == "flaky" and first):
            req.wfile.write(body[: len(body) // 2])
            req.close_connection = True
            return
        req.wfile.write(body)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def mnist_files(data_root: Path) -> dict[str, bytes]:
    folder = data_root / "mnist"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.gz"))}


@pytest.fixture(scope="module")
def server(mnist_files):
    s = FileServer(dict(mnist_files))
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)


LABELS = "t10k-labels-idx1-ubyte.gz"
LABELS_MD5 = "ec29112dd5afa0611ce80d1b7f02629c"


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def get(urls, dest, **kwargs):
    kwargs = {"timeout": TIMEOUT, "backoff": 0.0, "quiet": True, **kwargs}
    return download_url(urls, dest, **kwargs)


def test_download_verifies_md5_and_sha256(server, tmp_path, mnist_files):
    body = mnist_files[LABELS]
    sha = hashlib.sha256(body).hexdigest()
    dest = get(f"{server.url}/ok/{LABELS}", tmp_path / "sub" / LABELS, md5=LABELS_MD5, sha256=sha)
    assert dest.read_bytes() == body
    assert check_integrity(dest, md5=LABELS_MD5, sha256=sha)
    assert files_in(tmp_path / "sub") == [LABELS]  # no temporary files left


@pytest.mark.parametrize("checksum", ["md5", "sha256"])
def test_checksum_mismatch_leaves_nothing_behind(server, tmp_path, checksum):
    wrong = {"md5": "0" * 32} if checksum == "md5" else {"sha256": "0" * 64}
    with pytest.raises(DownloadError, match=f"{checksum} mismatch .* expected 0+, got [0-9a-f]+"):
        get(f"{server.url}/ok/{LABELS}", tmp_path / LABELS, **wrong)
    assert files_in(tmp_path) == []


def test_corrupted_copy_is_rejected_and_the_next_mirror_used(server, tmp_path):
    with pytest.raises(DownloadError, match="md5 mismatch for t10k-labels"):
        get(f"{server.url}/corrupt/{LABELS}", tmp_path / LABELS, md5=LABELS_MD5)
    assert files_in(tmp_path) == []
    urls = [f"{server.url}/corrupt/{LABELS}", f"{server.url}/ok/{LABELS}"]
    before = server.hits[f"corrupt/{LABELS}"]
    get(urls, tmp_path / LABELS, md5=LABELS_MD5)
    assert check_integrity(tmp_path / LABELS, md5=LABELS_MD5)
    assert server.hits[f"corrupt/{LABELS}"] == before + 1  # a bad copy is not retried


def test_truncated_response_is_retried_then_reported(server, tmp_path):
    with pytest.raises(DownloadError) as info:
        get(f"{server.url}/truncated/{LABELS}", tmp_path / LABELS, md5=LABELS_MD5, retries=2)
    message = str(info.value)
    assert "truncated response: got 2271 of 4542 bytes (attempt 2 of 2)" in message
    assert "nothing was written" in message and str(tmp_path / LABELS) in message
    assert files_in(tmp_path) == []
    get(f"{server.url}/flaky/{LABELS}", tmp_path / LABELS, md5=LABELS_MD5)  # 2nd try works
    assert server.hits[f"flaky/{LABELS}"] == 2


def test_slow_response_times_out_then_retries(server, tmp_path):
    start = time.monotonic()
    get(f"{server.url}/slowonce/{LABELS}", tmp_path / LABELS, md5=LABELS_MD5)
    assert server.hits[f"slowonce/{LABELS}"] == 2
    assert time.monotonic() - start < DELAY + 5
    assert check_integrity(tmp_path / LABELS, md5=LABELS_MD5)


def test_slow_mirror_gives_way_to_the_next(server, tmp_path):
    urls = [f"{server.url}/slow/{LABELS}", f"{server.url}/ok/{LABELS}"]
    get(urls, tmp_path / LABELS, md5=LABELS_MD5, retries=2)
    assert server.hits[f"slow/{LABELS}"] == 2
    assert check_integrity(tmp_path / LABELS, md5=LABELS_MD5)


def test_failing_first_mirror(server, tmp_path):
    urls = [f"{server.url}/fail/{LABELS}", f"{server.url}/missing/{LABELS}"]
    with pytest.raises(DownloadError) as info:
        get(urls, tmp_path / LABELS, md5=LABELS_MD5, retries=3)
    message = str(info.value)
    assert message.count("HTTP 500") == 3  # server errors are retried
    assert message.count("HTTP 404") == 1  # a missing file is not
    get([*urls, f"{server.url}/ok/{LABELS}"], tmp_path / LABELS, md5=LABELS_MD5, retries=1)
    assert files_in(tmp_path) == [LABELS]


def test_unreachable_and_refused_urls(tmp_path):
    import socket

    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DownloadError, match="network error"):
        get(f"http://127.0.0.1:{port}/x", tmp_path / "x", retries=1)
    with pytest.raises(DownloadError, match="refusing URL scheme 'file'"):
        get("file:///etc/passwd", tmp_path / "x", retries=1)
    assert files_in(tmp_path) == []


def test_interrupted_download_leaves_nothing(server, tmp_path, monkeypatch):
    def interrupted(url, out, hashers, timeout):
        out.write(b"partial data")
        raise KeyboardInterrupt

    monkeypatch.setattr(dl, "_fetch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        get(f"{server.url}/ok/{LABELS}", tmp_path / LABELS)
    assert files_in(tmp_path) == []


def test_mnist_download_end_to_end(server, tmp_path, monkeypatch, data_root):
    monkeypatch.setattr(MNIST, "mirrors", [f"{server.url}/fail/", f"{server.url}/ok/"])
    monkeypatch.setattr(MNIST, "download_timeout", TIMEOUT)
    monkeypatch.setattr(MNIST, "download_retries", 1)
    ds = MNIST(tmp_path, train=False, download=True)
    reference = MNIST(data_root, train=False)
    np.testing.assert_array_equal(ds.data, reference.data)
    np.testing.assert_array_equal(ds.targets, reference.targets)
    assert len(files_in(tmp_path / "mnist")) == 4  # both splits, nothing else
    hits = server.hits[f"ok/{LABELS}"]
    MNIST(tmp_path, train=True, download=True)  # present: nothing fetched again
    assert server.hits[f"ok/{LABELS}"] == hits


def test_cifar_download_extracts_safely(tmp_path, monkeypatch, data_root):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", compresslevel=1) as tar:
        for name in ["batches.meta", "test_batch"]:
            path = data_root / "cifar10" / "cifar-10-batches-py" / name
            tar.add(path, arcname=f"cifar-10-batches-py/{name}")
    blob = buf.getvalue()
    srv = FileServer({"cifar-10-python.tar.gz": blob})
    try:
        archive = Resource("cifar-10-python.tar.gz", md5=hashlib.md5(blob).hexdigest())
        monkeypatch.setattr(CIFAR10, "archive", archive)
        monkeypatch.setattr(CIFAR10, "mirrors", [f"{srv.url}/corrupt/", f"{srv.url}/ok/"])
        ds = CIFAR10(tmp_path, train=False, download=True)
    finally:
        srv.close()
    assert ds.data.shape == (1017, 3, 32, 32)
    assert files_in(tmp_path / "cifar10") == ["cifar-10-batches-py", "cifar-10-python.tar.gz"]
    assert files_in(tmp_path / "cifar10" / "cifar-10-batches-py") == ["batches.meta", "test_batch"]


# ---------------------------------------------------------------- tar extraction


def make_tar(path: Path, members: list[tarfile.TarInfo]) -> Path:
    with tarfile.open(path, "w") as tar:
        for info in members:
            data = b"x" * info.size if info.isfile() else None
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def member(name: str, kind: bytes = tarfile.REGTYPE, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = 3 if kind == tarfile.REGTYPE else 0
    info.linkname = target
    return info


@pytest.mark.parametrize(
    ("evil", "reason"),
    [
        (member("../escape.txt"), "contains '..'"),
        (member("ok/../../escape.txt"), "contains '..'"),
        (member("/tmp/abs-escape.txt"), "absolute path"),
        (member("link", tarfile.SYMTYPE, "/etc/passwd"), "is a link"),
        (member("hard", tarfile.LNKTYPE, "../outside"), "is a link"),
        (member("dev", tarfile.CHRTYPE), "is a special file"),
    ],
)
def test_tar_extraction_refuses_escapes(tmp_path, evil, reason):
    archive = make_tar(tmp_path / "evil.tar", [member("good/a.txt"), evil])
    dest = tmp_path / "out"
    with pytest.raises(UnsafeArchiveError, match=f"evil.tar: member .*{reason}"):
        extract_tar(archive, dest)
    assert files_in(dest) == []  # checked before anything was written
    assert files_in(tmp_path) == ["evil.tar", "out"]
    assert not Path("/tmp/abs-escape.txt").exists()


def test_tar_extraction_of_a_good_archive(tmp_path):
    archive = make_tar(tmp_path / "good.tar", [member("d", tarfile.DIRTYPE), member("d/a.bin")])
    (tmp_path / "out" / "d").mkdir(parents=True)
    (tmp_path / "out" / "d" / "keep.txt").write_text("mine")
    extracted = extract_tar(archive, tmp_path / "out")
    assert extracted == [(tmp_path / "out" / "d" / "a.bin").resolve()]
    assert files_in(tmp_path / "out") == ["d"]  # no staging folder left
    assert files_in(tmp_path / "out" / "d") == ["a.bin", "keep.txt"]


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_truncated_tarball_is_reported(tmp_path, mode):
    blob = io.BytesIO()
    with tarfile.open(fileobj=blob, mode=mode) as tar:
        info = tarfile.TarInfo("big.bin")
        payload = np.random.default_rng(0).bytes(200_000)
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    (tmp_path / "t.tar.gz").write_bytes(blob.getvalue()[:50_000])
    with pytest.raises(ValueError, match=r"t\.tar\.gz: corrupt or truncated tar archive"):
        extract_tar(tmp_path / "t.tar.gz", tmp_path / "out")
    assert files_in(tmp_path / "out") == []
