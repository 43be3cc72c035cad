"""MNIST, Fashion-MNIST and CIFAR-10, read from their canonical published files.

Files live under ``root/<name>/`` (``mnist``, ``fashion-mnist``, ``cifar10``),
where ``root`` is the ``root`` argument, else ``$MINIGRAD_DATA``, else
``~/.cache/minigrad``. Images come out as ``uint8`` arrays shaped
``(N, 1, 28, 28)`` or ``(N, 3, 32, 32)`` in ``.data``, labels as ``int64`` in
``.targets``. Every dataset is array-backed, so the DataLoader batches it with
one fancy index per batch.

Example:
    >>> from minigrad.data import FashionMNIST
    >>> ds = FashionMNIST(train=False)
    >>> ds.data.shape, ds.classes[ds.targets[0]]
    ((10000, 1, 28, 28), 'Ankle boot')
"""

from __future__ import annotations

import os
import pickle
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from minigrad.data import safe_pickle
from minigrad.data.dataset import ArrayDataset
from minigrad.data.download import (
    ChecksumError,
    MissingDataError,
    Resource,
    download_url,
    extract_tar,
    file_digest,
)
from minigrad.data.idx import IDXError, read_idx
from minigrad.serialization import open_regular

__all__ = ["CIFAR10", "MNIST", "DatasetFormatError", "FashionMNIST", "default_root"]


class DatasetFormatError(ValueError):
    """A dataset file parsed but does not hold what the dataset expects.

    Example:
        >>> from minigrad.data import DatasetFormatError
        >>> issubclass(DatasetFormatError, ValueError)
        True
    """


def default_root() -> Path:
    """The data root when none is given: ``$MINIGRAD_DATA``, else ``~/.cache/minigrad``.

    Example:
        >>> import os
        >>> from minigrad.data import default_root
        >>> str(default_root()) == os.environ["MINIGRAD_DATA"]
        True
    """
    env = os.environ.get("MINIGRAD_DATA")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "minigrad"


def _root_origin(root: Any) -> str:
    if root is not None:
        return "the root argument"
    if os.environ.get("MINIGRAD_DATA"):
        return "$MINIGRAD_DATA"
    return "the default ~/.cache/minigrad ($MINIGRAD_DATA is not set)"


class _ImageDataset(ArrayDataset):
    """Shared machinery: root resolution, missing-file errors, downloads, ``data``/``targets``."""

    name: ClassVar[str]  # the folder under root
    classes: list[str]
    mirrors: ClassVar[list[str]]  # base URLs, tried in order
    download_timeout: ClassVar[float] = 30.0
    download_retries: ClassVar[int] = 3

    def __init__(
        self,
        root: str | os.PathLike[str] | None = None,
        train: bool = True,
        download: bool = False,
        transform: Callable[..., Any] | None = None,
        verify: bool = False,
    ) -> None:
        self._root_origin = _root_origin(root)
        self.root = Path(root).expanduser() if root is not None else default_root()
        self.train = train
        self.verify = verify
        if download:
            self.download()
        data, targets = self._load()
        super().__init__(data, targets, transform=transform)

    @property
    def folder(self) -> Path:
        """Where this dataset's files are: ``root/<name>``."""
        return self.root / self.name

    @property
    def data(self) -> np.ndarray:
        """The images, a read-only ``uint8`` array (N, C, H, W)."""
        return self.arrays[0]

    @property
    def targets(self) -> np.ndarray:
        """The labels, an ``int64`` array (N,)."""
        return self.arrays[1]

    @property
    def split(self) -> str:
        return "train" if self.train else "test"

    def _load(self) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def download(self) -> None:
        raise NotImplementedError

    def _missing_error(self, missing: list[str], alternatives: str = "") -> MissingDataError:
        cls = type(self).__name__
        lines = "\n".join(f"  {name}" for name in missing)
        return MissingDataError(
            f"{cls} ({self.split} split): missing in {self.folder}:\n{lines}\n"
            f"Looked in {self.folder} (root {self.root} from {self._root_origin}).{alternatives}\n"
            "To provide them, either:\n"
            f"  - pass download=True to fetch them from {self.mirrors[0]} (checksums verified),\n"
            f"  - copy the canonical files into {self.folder}/, or\n"
            f"  - set MINIGRAD_DATA to a folder that holds {self.name}/ "
            "(e.g. MINIGRAD_DATA=../shared/data), or pass root=."
        )

    def _verify(self, path: Path, md5: str | None) -> None:
        """With ``verify=True``, check ``path`` against its published md5."""
        if not self.verify or md5 is None:
            return
        digest = file_digest(path, "md5")
        if digest != md5:
            raise ChecksumError(
                f"{path}: md5 {digest} differs from the published {md5}; it is not the canonical "
                f"{type(self).__name__} file (download it again, or pass verify=False to use it)"
            )

    def _fetch(self, resource: Resource, dest: Path) -> None:
        urls = [base.rstrip("/") + "/" + resource.filename for base in self.mirrors]
        download_url(
            urls,
            dest,
            md5=resource.md5,
            sha256=resource.sha256,
            timeout=self.download_timeout,
            retries=self.download_retries,
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(split={self.split!r}, samples={len(self)}, "
            f"root={str(self.root)!r})"
        )


class MNIST(_ImageDataset):
    """The MNIST handwritten digits: 60,000 training and 10,000 test images, 1x28x28.

    Reads the four canonical IDX ``.gz`` files from ``root/mnist/``.

    Args:
        root: the data root (default ``$MINIGRAD_DATA``, else ``~/.cache/minigrad``).
        train: the training split (else the test split).
        download: fetch missing files from the mirrors, verifying their md5.
        transform: applied to image batches (see :mod:`minigrad.data.transforms`).
        verify: check the files against their published md5 before reading them
            (raises :class:`ChecksumError` on a mismatch).

    Attributes:
        data: ``uint8`` images (N, 1, 28, 28); targets: ``int64`` labels (N,); classes.

    Raises:
        MissingDataError: files are missing and ``download`` is False (the message
            says which, where they were looked for and how to provide them).
        IDXError: a file is truncated, corrupt or inconsistent.

    Example:
        >>> from minigrad.data import MNIST
        >>> ds = MNIST(train=False)
        >>> len(ds), ds.data.shape, ds.data.dtype, ds.targets[:5].tolist()
        (10000, (10000, 1, 28, 28), dtype('uint8'), [7, 2, 1, 0, 4])
    """

    name = "mnist"
    classes: list[str] = [  # noqa: RUF012 (CIFAR10 reads its own from batches.meta)
        "0 - zero",
        "1 - one",
        "2 - two",
        "3 - three",
        "4 - four",
        "5 - five",
        "6 - six",
        "7 - seven",
        "8 - eight",
        "9 - nine",
    ]
    mirrors: ClassVar[list[str]] = [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ]
    resources: ClassVar[dict[str, tuple[Resource, Resource]]] = {
        "train": (
            Resource("train-images-idx3-ubyte.gz", md5="f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            Resource("train-labels-idx1-ubyte.gz", md5="d53e105ee54ea40749a09fcbcd1e9432"),
        ),
        "test": (
            Resource("t10k-images-idx3-ubyte.gz", md5="9fb629c4189551a2d022fa330f9573f3"),
            Resource("t10k-labels-idx1-ubyte.gz", md5="ec29112dd5afa0611ce80d1b7f02629c"),
        ),
    }

    def download(self) -> None:
        """Fetch whichever of the dataset's files (both splits) are missing, verified.

        Example:
            >>> from minigrad.data import MNIST
            >>> MNIST(train=False).download()  # everything is already there: a no-op
        """
        for resources in self.resources.values():
            for resource in resources:
                dest = self.folder / resource.filename
                if not dest.is_file():
                    self._fetch(resource, dest)

    def _load(self) -> tuple[np.ndarray, np.ndarray]:
        images_res, labels_res = self.resources[self.split]
        images_path = self.folder / images_res.filename
        labels_path = self.folder / labels_res.filename
        missing = [p.name for p in (images_path, labels_path) if not p.is_file()]
        if missing:
            raise self._missing_error(missing)
        self._verify(images_path, images_res.md5)
        self._verify(labels_path, labels_res.md5)
        images = read_idx(images_path, ndim=3, dtype=np.uint8)
        labels = read_idx(labels_path, ndim=1, dtype=np.uint8)
        if images.shape[1:] != (28, 28):
            raise IDXError(f"{images_path}: expected 28x28 images, found {images.shape[1:]}")
        if len(images) != len(labels):
            raise IDXError(
                f"{labels_path}: holds {len(labels)} labels but {images_path.name} holds "
                f"{len(images)} images; the counts must match"
            )
        if len(labels) and labels.max() >= len(self.classes):
            raise IDXError(
                f"{labels_path}: found label {labels.max()}; "
                f"expected labels 0..{len(self.classes) - 1}"
            )
        return images.reshape(-1, 1, 28, 28), labels.astype(np.int64)


class FashionMNIST(MNIST):
    """Fashion-MNIST: Zalando's 28x28 clothing images, a drop-in replacement for MNIST.

    Same files, layout and arguments as :class:`MNIST`, under ``root/fashion-mnist/``.

    Example:
        >>> from minigrad.data import FashionMNIST
        >>> ds = FashionMNIST(train=True)
        >>> len(ds), ds.classes[:3]
        (60000, ['T-shirt/top', 'Trouser', 'Pullover'])
    """

    name = "fashion-mnist"
    classes: list[str] = [  # noqa: RUF012
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ]
    mirrors: ClassVar[list[str]] = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
    resources: ClassVar[dict[str, tuple[Resource, Resource]]] = {
        "train": (
            Resource("train-images-idx3-ubyte.gz", md5="8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            Resource("train-labels-idx1-ubyte.gz", md5="25c81989df183df01b3e8a0aad5dffbe"),
        ),
        "test": (
            Resource("t10k-images-idx3-ubyte.gz", md5="bef4ecab320f06d8554ea6380940ec79"),
            Resource("t10k-labels-idx1-ubyte.gz", md5="bb300cfdad3c16e7a12a480ee83cd310"),
        ),
    }


class CIFAR10(_ImageDataset):
    """CIFAR-10: 32x32 colour images in 10 classes (50,000 train / 10,000 test when complete).

    Reads the canonical Python batches from ``root/cifar10/cifar-10-batches-py/``,
    or straight from ``root/cifar10/cifar-10-python.tar.gz`` if only the tarball
    is there. The pickles are read with a restricted unpickler
    (:mod:`minigrad.data.safe_pickle`) that refuses anything but plain data, and
    each batch must have exactly the real files' structure: a dict holding a
    ``uint8`` ``data`` array (N, 3072) and a list of N int ``labels`` (and
    optionally ``batch_label`` and ``filenames``). Batches may hold any number of rows.

    Args:
        root, train, download, transform: as for :class:`MNIST`; ``download`` fetches
            the tarball (md5-verified) and extracts it safely.
        verify: check each batch file (or the tarball) against its published md5.

    Attributes:
        data: ``uint8`` images (N, 3, 32, 32); targets: ``int64`` labels (N,);
        classes: the label names from ``batches.meta``.

    Example:
        >>> from minigrad.data import CIFAR10
        >>> ds = CIFAR10(train=False)  # the 1,017-image subset in ../shared/data
        >>> ds.data.shape, ds.classes[ds.targets[0]]
        ((1017, 3, 32, 32), 'cat')
    """

    name = "cifar10"
    base_folder = "cifar-10-batches-py"
    archive = Resource("cifar-10-python.tar.gz", md5="c58f30108f718f92721af3b95e74349a")
    #: The published md5 of each file of the canonical release (as torchvision lists them).
    md5s: ClassVar[dict[str, str]] = {
        "data_batch_1": "c99cafc152244af753f735de768cd75f",
        "data_batch_2": "d4bba439e000b95fd0a9bffe97cbabec",
        "data_batch_3": "54ebc095f3ab1f0389bbae665268c751",
        "data_batch_4": "634d18415352ddfa80567beed471001a",
        "data_batch_5": "482c414d41f54cd18b22e5b47cb7c3cb",
        "test_batch": "40351d587109b95175f43aff81a1287e",
        "batches.meta": "5ff9c542aee3614f3951f8cda6e48888",
    }
    mirrors: ClassVar[list[str]] = ["https://www.cs.toronto.edu/~kriz/"]
    train_files: ClassVar[list[str]] = [f"data_batch_{i}" for i in range(1, 6)]
    test_files: ClassVar[list[str]] = ["test_batch"]
    meta_file = "batches.meta"
    default_classes: ClassVar[list[str]] = [
        "airplane",
        "automobile",
        "bird",
        "cat",
        "deer",
        "dog",
        "frog",
        "horse",
        "ship",
        "truck",
    ]

    @property
    def _batch_dir(self) -> Path:
        return self.folder / self.base_folder

    def _split_files(self) -> list[str]:
        return self.train_files if self.train else self.test_files

    def download(self) -> None:
        """Fetch and safely extract the tarball unless the batches are already present.

        Example:
            >>> from minigrad.data import CIFAR10
            >>> CIFAR10(train=False).download()  # already there: a no-op
        """
        needed = [*self.train_files, *self.test_files]
        if all((self._batch_dir / name).is_file() for name in needed):
            return
        tarball = self.folder / self.archive.filename
        if not tarball.is_file():
            self._fetch(self.archive, tarball)
        print(f"minigrad.data: extracting {tarball}", file=sys.stderr)
        extract_tar(tarball, self.folder)

    def _load(self) -> tuple[np.ndarray, np.ndarray]:
        names = self._split_files()
        tarball = self.folder / self.archive.filename
        missing = [n for n in names if not (self._batch_dir / n).is_file()]
        if not missing:
            for n in [*names, self.meta_file]:
                if n != self.meta_file or (self._batch_dir / n).is_file():
                    self._verify(self._batch_dir / n, self.md5s[n])
            blobs = {n: _read_file(self._batch_dir / n) for n in names}
            meta_path = self._batch_dir / self.meta_file
            meta = _read_file(meta_path) if meta_path.is_file() else None
            origin = str(self._batch_dir)
        elif tarball.is_file():
            self._verify(tarball, self.archive.md5)
            blobs, meta = self._read_tarball(tarball, names)
            origin = f"{tarball}:{self.base_folder}"
        else:
            missing = [f"{self.base_folder}/{n}" for n in missing]
            raise self._missing_error(
                missing, f" No {self.archive.filename} there either (it would also do)."
            )
        self.classes = self._read_classes(meta, f"{origin}/{self.meta_file}")
        parts = [self._read_batch(blobs[n], f"{origin}/{n}") for n in names]
        data = np.concatenate([p[0] for p in parts])
        targets = np.concatenate([p[1] for p in parts])
        data.flags.writeable = False
        return data, targets

    def _read_tarball(self, tarball: Path, names: list[str]) -> tuple[dict[str, bytes], Any]:
        wanted = {f"{self.base_folder}/{n}": n for n in [*names, self.meta_file]}
        found: dict[str, bytes] = {}
        try:
            with tarfile.open(tarball, "r:*") as tar:
                for member in tar:
                    key = wanted.get(member.name)
                    if key is not None and member.isfile():
                        if member.size > safe_pickle.MAX_BYTES:
                            raise DatasetFormatError(
                                f"{tarball}: member {member.name!r} declares {member.size} "
                                f"bytes, more than the limit of {safe_pickle.MAX_BYTES}"
                            )
                        f = tar.extractfile(member)
                        assert f is not None
                        found[key] = f.read()
        except (tarfile.TarError, EOFError, OSError) as e:
            raise DatasetFormatError(f"{tarball}: corrupt or truncated tarball ({e})") from e
        absent = [n for n in names if n not in found]
        if absent:
            raise DatasetFormatError(
                f"{tarball}: expected members {[f'{self.base_folder}/{n}' for n in absent]}, "
                "not found in the archive"
            )
        return {n: found[n] for n in names}, found.get(self.meta_file)

    def _read_classes(self, blob: bytes | None, where: str) -> list[str]:
        if blob is None:
            return list(self.default_classes)
        meta = _str_keys(_unpickle(blob, where), where)
        names = meta.get("label_names")
        if not isinstance(names, list) or not names:
            raise DatasetFormatError(f"{where}: expected a 'label_names' list, found {names!r:.80}")
        return [n.decode("latin1") if isinstance(n, bytes) else str(n) for n in names]

    def _read_batch(self, blob: bytes, where: str) -> tuple[np.ndarray, np.ndarray]:
        batch = _str_keys(_unpickle(blob, where), where)
        keys = set(batch)
        if not {"data", "labels"} <= keys <= _BATCH_KEYS:
            raise DatasetFormatError(
                f"{where}: expected a dict with keys 'data' and 'labels' (and optionally "
                f"'batch_label', 'filenames'), found keys {sorted(map(str, keys))}"
            )
        data, labels = batch["data"], batch["labels"]
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2:
            found = type(data).__name__
            if isinstance(data, np.ndarray):
                found = f"a {data.dtype} array of shape {data.shape}"
            raise DatasetFormatError(
                f"{where}: expected 'data' to be a uint8 array (N, 3072), found {found}"
            )
        if data.shape[1] != 3 * 32 * 32:
            raise DatasetFormatError(
                f"{where}: expected 3072 values per image (3x32x32), found {data.shape[1]}"
            )
        kinds = set(map(type, labels)) if isinstance(labels, list) else {type(labels)}
        if not kinds <= {int}:
            found = (
                type(labels).__name__
                if not isinstance(labels, list)
                else "a list of " + (", ".join(sorted(k.__name__ for k in kinds)))
            )
            raise DatasetFormatError(
                f"{where}: expected 'labels' to be a list of ints, found {found}"
            )
        try:
            targets = np.array(labels, dtype=np.int64)
        except OverflowError as e:
            raise DatasetFormatError(f"{where}: 'labels' holds an int out of range ({e})") from e
        if len(targets) != len(data):
            raise DatasetFormatError(
                f"{where}: holds {len(data)} images but {len(targets)} labels; "
                "the counts must match"
            )
        if len(targets) and (targets.min() < 0 or targets.max() >= len(self.classes)):
            raise DatasetFormatError(
                f"{where}: labels range over {targets.min()}..{targets.max()}; "
                f"expected 0..{len(self.classes) - 1}"
            )
        return data.reshape(-1, 3, 32, 32), targets


_BATCH_KEYS = {"data", "labels", "batch_label", "filenames"}


def _read_file(path: Path) -> bytes:
    """The bytes of a regular file no larger than the pickle limit, checked before reading."""
    with open_regular(path, DatasetFormatError) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > safe_pickle.MAX_BYTES:
            raise DatasetFormatError(
                f"{path}: {size} bytes, more than the limit of {safe_pickle.MAX_BYTES} "
                "(minigrad.data.safe_pickle.MAX_BYTES)"
            )
        return fh.read(size + 1)


def _unpickle(blob: bytes, where: str) -> Any:
    try:
        return safe_pickle.load(blob, name=where, encoding="latin1")
    except safe_pickle.UnsafePickleError:
        raise
    except pickle.UnpicklingError as e:
        raise DatasetFormatError(str(e)) from e


def _str_keys(obj: Any, where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise DatasetFormatError(f"{where}: expected a dict, found {type(obj).__name__}")
    return {k.decode("latin1") if isinstance(k, bytes) else k: v for k, v in obj.items()}
