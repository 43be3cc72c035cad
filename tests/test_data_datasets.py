"""The real datasets from MINIGRAD_DATA (../shared/data): sizes, shapes, labels, layout."""

from __future__ import annotations

import pickle
import shutil
import tarfile
from pathlib import Path

import numpy as np
import pytest

from minigrad.data import CIFAR10, MNIST, DataLoader, FashionMNIST, MissingDataError, default_root
from minigrad.data import transforms as T

MNIST_TRAIN_HIST = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
MNIST_TEST_HIST = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
CIFAR_SUBSET_TRAIN_HIST = [517, 524, 490, 493, 537, 475, 503, 516, 529, 501]
CIFAR_SUBSET_TEST_HIST = [105, 93, 100, 104, 92, 87, 114, 102, 110, 110]


@pytest.fixture(scope="module")
def mnist(data_root: Path) -> dict[str, MNIST]:
    return {"train": MNIST(data_root, train=True), "test": MNIST(data_root, train=False)}


@pytest.fixture(scope="module")
def cifar(data_root: Path) -> dict[str, CIFAR10]:
    return {"train": CIFAR10(data_root, train=True), "test": CIFAR10(data_root, train=False)}


@pytest.mark.parametrize(
    ("split", "n", "hist"), [("train", 60_000, MNIST_TRAIN_HIST), ("test", 10_000, MNIST_TEST_HIST)]
)
def test_mnist_sizes_shapes_and_label_histogram(mnist, split, n, hist):
    ds = mnist[split]
    assert len(ds) == n
    assert ds.data.shape == (n, 1, 28, 28) and ds.data.dtype == np.uint8
    assert ds.targets.shape == (n,) and ds.targets.dtype == np.int64
    assert np.bincount(ds.targets, minlength=10).tolist() == hist
    assert ds.classes[7] == "7 - seven"
    image, label = ds[0]
    assert image.shape == (1, 28, 28) and label == ds.targets[0]


def test_mnist_known_pixels_and_statistics(mnist):
    train = mnist["train"]
    assert mnist["test"].targets[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert train.targets[:5].tolist() == [5, 0, 4, 1, 9]
    mean, std = T.channel_mean_std(train)
    np.testing.assert_allclose([mean[0], std[0]], [0.1307, 0.3081], atol=1e-4)
    # the histogram-based statistics equal the direct float64 computation
    x = train.data[:2000].astype(np.float64) / 255
    m, s = T.channel_mean_std(train.data[:2000])
    np.testing.assert_allclose([m[0], s[0]], [x.mean(), x.std()], rtol=1e-10)


def test_mnist_data_is_read_only(mnist):
    with pytest.raises(ValueError, match="read-only"):
        mnist["test"].data[0, 0, 0, 0] = 1


@pytest.mark.parametrize(("train", "n"), [(True, 60_000), (False, 10_000)])
def test_fashion_mnist(data_root, train, n):
    ds = FashionMNIST(data_root, train=train)
    assert ds.data.shape == (n, 1, 28, 28) and ds.data.dtype == np.uint8
    assert np.bincount(ds.targets).tolist() == [n // 10] * 10
    assert ds.classes == [
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
    assert ds.folder == data_root / "fashion-mnist"


@pytest.mark.parametrize(
    ("split", "n", "hist"),
    [("train", 5_085, CIFAR_SUBSET_TRAIN_HIST), ("test", 1_017, CIFAR_SUBSET_TEST_HIST)],
)
def test_cifar10_subset(cifar, split, n, hist):
    ds = cifar[split]
    assert len(ds) == n
    assert ds.data.shape == (n, 3, 32, 32) and ds.data.dtype == np.uint8
    assert ds.targets.dtype == np.int64
    assert np.bincount(ds.targets, minlength=10).tolist() == hist
    assert ds.classes == [
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


def test_cifar10_rows_match_the_batches_in_order(cifar, data_root):
    """Batch 3's rows land at rows 2*1017.. in canonical (C, H, W) layout."""
    with open(data_root / "cifar10/cifar-10-batches-py/data_batch_3", "rb") as f:
        raw = pickle.load(f, encoding="latin1")  # trusted test data: compare with plain pickle
    rows = slice(2 * 1017, 3 * 1017)
    np.testing.assert_array_equal(cifar["train"].data[rows].reshape(1017, -1), raw["data"])
    assert cifar["train"].targets[rows].tolist() == raw["labels"]


def test_cifar10_reads_the_tarball_when_the_folder_is_absent(tmp_path, data_root, cifar):
    with tarfile.open(tmp_path / "cifar-10-python.tar.gz", "w:gz", compresslevel=1) as tar:
        src = data_root / "cifar10" / "cifar-10-batches-py"
        for name in ["batches.meta", "test_batch"]:
            tar.add(src / name, arcname=f"cifar-10-batches-py/{name}")
    (tmp_path / "cifar10").mkdir()
    shutil.move(tmp_path / "cifar-10-python.tar.gz", tmp_path / "cifar10")
    ds = CIFAR10(tmp_path, train=False)
    np.testing.assert_array_equal(ds.data, cifar["test"].data)
    assert not (tmp_path / "cifar10" / "cifar-10-batches-py").exists()  # read in place
    with pytest.raises(ValueError, match="data_batch_1"):  # train members are absent
        CIFAR10(tmp_path, train=True)


def test_root_resolution(tmp_path, monkeypatch, data_root):
    monkeypatch.setenv("MINIGRAD_DATA", str(data_root))
    assert default_root() == data_root
    assert MNIST(train=False).root == data_root
    monkeypatch.delenv("MINIGRAD_DATA")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_root() == tmp_path / ".cache" / "minigrad"
    with pytest.raises(MissingDataError, match=r"\.cache/minigrad/mnist"):
        MNIST(train=False)
    assert MNIST(data_root, train=False).root == data_root  # the argument wins


def test_missing_files_error_says_what_where_and_how(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIGRAD_DATA", str(tmp_path))
    with pytest.raises(MissingDataError) as info:
        MNIST(train=True)
    message = str(info.value)
    for needle in [
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        str(tmp_path / "mnist"),
        "$MINIGRAD_DATA",
        "download=True",
        "MINIGRAD_DATA=",
    ]:
        assert needle in message
    with pytest.raises(MissingDataError, match=r"cifar-10-batches-py/test_batch[\s\S]*tar\.gz"):
        CIFAR10(tmp_path, train=False)


def test_dataset_transform_applies_per_sample_and_per_batch(data_root):
    ds = MNIST(data_root, train=False, transform=T.Compose([T.ToFloat(), T.Normalize(0.5, 0.5)]))
    x, y = ds[3]
    assert x.shape == (1, 28, 28) and x.dtype == np.float32
    assert x.min() >= -1 and x.max() <= 1
    xs, ys = ds.get_batch(np.array([3, 4]))
    np.testing.assert_array_equal(xs[0], x)
    assert ys.tolist() == [y, ds.targets[4]]
    batch = next(iter(DataLoader(ds, batch_size=5)))
    assert batch[0].dtype == np.float32 and batch[0].shape == (5, 1, 28, 28)
