"""Transforms: vectorised results equal a per-image reference, seeded, with clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad.data import MNIST
from minigrad.data import transforms as T

shapes = st.tuples(st.integers(1, 5), st.integers(1, 3), st.integers(1, 9), st.integers(1, 9))


def images_of(shape, seed=0, dtype=np.uint8):
    return np.random.default_rng(seed).integers(0, 256, shape).astype(dtype)


@given(shapes, st.integers(0, 3), st.integers(0, 2**32))
def test_random_crop_matches_a_per_image_reference(shape, pad, seed):
    x = images_of(shape)
    n, _, height, width = shape
    h = 1 + seed % (height + 2 * pad)
    w = 1 + (seed // 7) % (width + 2 * pad)
    out = T.RandomCrop((h, w), padding=pad)(x, rng=np.random.default_rng(seed))
    # reference: the same offsets (drawn in the same order), cropped image by image
    g = np.random.default_rng(seed)
    rows = g.integers(0, height + 2 * pad - h + 1, size=n)
    cols = g.integers(0, width + 2 * pad - w + 1, size=n)
    padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    expected = np.stack(
        [padded[i, :, r : r + h, c : c + w] for i, (r, c) in enumerate(zip(rows, cols))]
    )
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == x.dtype


def test_random_crop_covers_every_offset_and_pads_with_fill():
    x = np.ones((400, 1, 2, 2), np.uint8)
    out = T.RandomCrop(2, padding=1, fill=7, seed=0)(x)
    assert {tuple(o.ravel()) for o in out} == {
        (7, 7, 7, 1),
        (7, 7, 1, 1),
        (7, 7, 1, 7),
        (7, 1, 7, 1),
        (1, 1, 1, 1),
        (1, 7, 1, 7),
        (7, 1, 7, 7),
        (1, 1, 7, 7),
        (1, 7, 7, 7),
    }
    single = T.RandomCrop(2, padding=(1, 0), padding_mode="edge", seed=0)(np.ones((1, 2, 2)))
    assert single.shape == (1, 2, 2) and (single == 1).all()


@given(shapes, st.floats(0, 1), st.integers(0, 2**32))
def test_flip_matches_a_per_image_reference(shape, p, seed):
    x = images_of(shape)
    out = T.RandomHorizontalFlip(p)(x, rng=np.random.default_rng(seed))
    flips = np.random.default_rng(seed).random(shape[0]) < p
    for i, flipped in enumerate(flips):
        np.testing.assert_array_equal(out[i], x[i, :, :, ::-1] if flipped else x[i])


def test_flip_probability_extremes():
    x = images_of((6, 2, 3, 4))
    np.testing.assert_array_equal(T.RandomHorizontalFlip(0.0)(x), x)
    np.testing.assert_array_equal(T.RandomHorizontalFlip(1.0)(x), x[..., ::-1])


def test_to_float_and_normalize():
    x = np.arange(256, dtype=np.uint8).reshape(1, 1, 16, 16)
    f = T.ToFloat()(x)
    assert f.dtype == np.float32 and f.min() == 0 and f.max() == 1
    np.testing.assert_array_equal(f, (x / np.float32(255)).astype(np.float32))
    assert T.ToTensor()(x).dtype == np.float32
    three = np.stack([f[0, 0]] * 3)[None]  # (1, 3, 16, 16)
    norm = T.Normalize([0.1, 0.2, 0.3], [1.0, 2.0, 4.0])(three)
    for c, (m, s) in enumerate([(0.1, 1.0), (0.2, 2.0), (0.3, 4.0)]):
        np.testing.assert_allclose(norm[0, c], (three[0, c] - m) / s, rtol=1e-6)
    assert norm.dtype == np.float32


def test_transform_errors_say_what_was_expected():
    with pytest.raises(TypeError, match="expected float images, got uint8; put ToFloat"):
        T.Normalize(0.5, 0.5)(np.zeros((1, 1, 2, 2), np.uint8))
    with pytest.raises(ValueError, match=r"images have 1 channels .* mean/std have 3 values"):
        T.Normalize([0, 0, 0], [1, 1, 1])(np.zeros((2, 1, 2, 2), np.float32))
    with pytest.raises(ValueError, match="std must be positive"):
        T.Normalize([0], [0])
    with pytest.raises(ValueError, match=r"crop size \(9, 9\) is larger than the padded image"):
        T.RandomCrop(9, padding=2)(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"expected images shaped \(N, C, H, W\)"):
        T.RandomHorizontalFlip()(np.zeros((2, 2)))
    with pytest.raises(TypeError, match=r"expected uint8 images .* got int64"):
        T.ToFloat()(np.zeros((1, 1, 1, 1), np.int64))


def test_seeding_rules():
    x = images_of((16, 3, 8, 8))
    crop = T.Compose([T.RandomCrop(6, padding=1), T.RandomHorizontalFlip()])
    assert crop.random
    # an explicit rng decides everything
    a = crop(x, rng=np.random.default_rng(4))
    np.testing.assert_array_equal(a, crop(x, rng=np.random.default_rng(4)))
    # seeded transforms own a generator; two with one seed agree
    np.testing.assert_array_equal(T.RandomCrop(6, seed=1)(x), T.RandomCrop(6, seed=1)(x))
    # otherwise minigrad's global generator, reproducible with manual_seed
    minigrad.manual_seed(3)
    b = crop(x)
    minigrad.manual_seed(3)
    np.testing.assert_array_equal(b, crop(x))


def test_normalize_statistics_come_from_the_training_split(data_root):
    test = MNIST(data_root, train=False)
    with pytest.raises(ValueError, match="training split only"):
        T.Normalize.from_dataset(test)
    with pytest.raises(ValueError, match="training split only"):
        T.channel_mean_std(test)
    x = images_of((7, 3, 5, 5))
    mean, std = T.channel_mean_std(x)
    ref = x.astype(np.float64) / 255
    np.testing.assert_allclose(mean, ref.mean(axis=(0, 2, 3)), rtol=1e-12)
    np.testing.assert_allclose(std, ref.std(axis=(0, 2, 3)), rtol=1e-12)
    np.testing.assert_allclose(T.channel_mean_std(ref)[1], std, rtol=1e-12)


@given(st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(1, 6)), st.integers(0, 2**16))
def test_to_tensor_gives_float32_tensors_in_unit_range_as_torchvision(shape, seed):
    x = images_of(shape, seed)
    t = T.ToTensor()(x)
    assert isinstance(t, minigrad.Tensor) and t.shape == shape and t.dtype == np.float32
    np.testing.assert_allclose(t.numpy(), x / np.float32(255), rtol=1e-6)
    assert 0 <= t.numpy().min() and t.numpy().max() <= 1
    assert T.ToTensor()(x[0]).shape == (1, *shape[1:])  # (H, W) gains a channel axis
    batch = T.ToTensor()(images_of((2, *shape), seed))
    assert batch.shape == (2, *shape)
    floats = x.astype(np.float64)
    kept = T.ToTensor()(floats)  # non-uint8 arrays are not rescaled, as torchvision
    assert kept.dtype == np.float64 and np.array_equal(kept.numpy(), floats)


def test_to_tensor_reads_pil_images_and_rejects_tensors():
    image = pytest.importorskip("PIL.Image")
    rgb = images_of((4, 5, 3))  # PIL's layout is (H, W, C)
    t = T.ToTensor()(image.fromarray(rgb))
    assert t.shape == (3, 4, 5)
    np.testing.assert_allclose(t.numpy(), rgb.transpose(2, 0, 1) / np.float32(255), rtol=1e-6)
    assert T.ToTensor()(image.fromarray(rgb[..., 0])).shape == (1, 4, 5)
    with pytest.raises(TypeError, match="pic should be PIL Image or ndarray"):
        T.ToTensor()(minigrad.zeros(1, 2, 2))


@given(shapes, st.integers(0, 2**16))
def test_normalize_and_compose_keep_tensors_and_match_the_array_path(shape, seed):
    x = images_of(shape, seed)
    mean, std = [0.3] * shape[1], [0.7] * shape[1]
    pipeline = T.Compose([T.ToTensor(), T.Normalize(mean, std)])
    out = pipeline(x)
    assert isinstance(out, minigrad.Tensor) and out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), T.Normalize(mean, std)(T.ToFloat()(x)), rtol=1e-6)
    np.testing.assert_allclose(out.numpy(), (x / np.float32(255) - 0.3) / 0.7, rtol=1e-5, atol=1e-6)
    inplace = T.ToTensor()(x)
    assert T.Normalize(mean, std, inplace=True)(inplace) is not None
    np.testing.assert_allclose(inplace.numpy(), out.numpy(), rtol=1e-6)
    assert T.is_batched(pipeline) and not T.is_batched(T.Compose([T.ToTensor(), T.Lambda(abs)]))


def test_datasets_yield_tensors_with_to_tensor_and_per_image_lambdas(data_root):
    tf = T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])
    ds = MNIST(data_root, train=False, transform=tf)
    x, _ = ds[0]
    assert isinstance(x, minigrad.Tensor) and x.shape == (1, 28, 28) and x.dtype == np.float32
    xs, _ = next(iter(minigrad.data.DataLoader(ds, batch_size=4)))
    np.testing.assert_allclose(xs.numpy()[0], x.numpy(), rtol=1e-6)
    flat = MNIST(
        data_root,
        train=False,
        transform=T.Compose([T.ToTensor(), T.Lambda(lambda t: t.reshape(-1))]),
    )
    x, _ = flat[3]
    assert x.shape == (784,)  # the Lambda saw one image, not a batch
    xs, _ = next(iter(minigrad.data.DataLoader(flat, batch_size=5)))
    assert xs.shape == (5, 784)
    np.testing.assert_array_equal(xs.numpy()[3], x.numpy())
    with pytest.raises(TypeError, match="Argument lambd should be callable"):
        T.Lambda(3)
