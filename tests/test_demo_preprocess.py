"""Properties of the demo's MNIST preprocessing (demo.preprocess)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from _helpers import mnist_test_set
from hypothesis import assume, given
from hypothesis import strategies as st

from demo.preprocess import (
    BOX_SIZE,
    FIELD_SIZE,
    INK_THRESHOLD,
    centre_of_mass,
    ink_bounding_box,
    preprocess,
    resample_matrix,
    resize,
)


@st.composite
def drawings(draw: st.DrawFn, max_side: int = 120) -> np.ndarray:
    """A canvas with a few thick strokes on it, the way a digit is drawn."""
    height = draw(st.integers(16, max_side))
    width = draw(st.integers(16, max_side))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:height, 0:width]
    thickness = rng.uniform(1.0, 0.1 * min(height, width) + 1.0)
    image = np.zeros((height, width))
    for _ in range(rng.integers(1, 4)):
        (y0, x0), (y1, x1) = rng.uniform(0.1, 0.9, size=(2, 2)) * [height, width]
        length2 = max((y1 - y0) ** 2 + (x1 - x0) ** 2, 1e-9)
        t = np.clip(((rows - y0) * (y1 - y0) + (cols - x0) * (x1 - x0)) / length2, 0, 1)
        distance = np.hypot(rows - (y0 + t * (y1 - y0)), cols - (x0 + t * (x1 - x0)))
        image = np.maximum(image, np.clip(thickness - distance, 0, 1))
    assume(image.max() > INK_THRESHOLD)
    return image


def bounding_box_size(image: np.ndarray) -> tuple[int, int]:
    top, bottom, left, right = ink_bounding_box(image) or (0, 0, 0, 0)
    return bottom - top, right - left


@given(drawings())
def test_output_is_a_28x28_float32_image_in_0_1(image: np.ndarray) -> None:
    digit = preprocess(image)
    assert digit is not None
    assert digit.shape == (FIELD_SIZE, FIELD_SIZE) and digit.dtype == np.float32
    assert digit.min() >= 0.0 and digit.max() == pytest.approx(1.0)


@given(drawings())
def test_the_longer_side_of_the_ink_is_20_pixels(image: np.ndarray) -> None:
    digit = preprocess(image)
    height, width = bounding_box_size(digit > 0)
    assert max(height, width) == BOX_SIZE
    assert min(height, width) >= 1


@given(drawings())
def test_the_centre_of_mass_is_at_the_centre(image: np.ndarray) -> None:
    digit = preprocess(image)
    row, col = centre_of_mass(digit)
    # Whole-pixel shifts put it within half a pixel, unless keeping the whole box
    # inside the field needs more (a lopsided shape): then the box touches an edge.
    height, width = bounding_box_size(digit > 0)
    for position, size, axis in ((row, height, 1), (col, width, 0)):
        ink = np.flatnonzero((digit > 0).any(axis=axis))
        at_edge = ink[0] == 0 or ink[-1] == FIELD_SIZE - 1
        assert abs(position - FIELD_SIZE // 2) <= 0.5 + 1e-9 or at_edge, (position, size)


@given(drawings(max_side=60), st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
def test_translation_does_not_change_the_result(
    image: np.ndarray, top: int, left: int, extra: int
) -> None:
    moved = np.pad(image, ((top, extra), (left, 40 - left)))
    np.testing.assert_array_equal(preprocess(moved), preprocess(image))


@given(drawings(max_side=48), st.integers(2, 5))
def test_scaling_the_drawing_up_barely_changes_the_result(image: np.ndarray, factor: int) -> None:
    # Drawings at least as large as the 20-pixel box (tiny ones are upscaled smoothly,
    # their blocky enlargements are not: both right, but not alike).
    assume(max(bounding_box_size(image)) >= BOX_SIZE)
    small = preprocess(image)
    large = preprocess(np.kron(image, np.ones((factor, factor))))
    # Centring shifts by whole pixels, so a centre of mass near a half pixel may
    # round the other way: compare up to a shift of one pixel.
    distance = min(
        np.abs(np.roll(small, shift, axis=(0, 1)) - large).mean()
        for shift in itertools.product((-1, 0, 1), repeat=2)
    )
    assert distance < 0.03


@given(drawings(), st.floats(0.2, 1.0))
def test_fainter_ink_gives_the_same_image(image: np.ndarray, strength: float) -> None:
    assume(image.max() * strength > INK_THRESHOLD)
    assume(ink_bounding_box(image) == ink_bounding_box(image * strength))
    np.testing.assert_allclose(preprocess(image * strength), preprocess(image), atol=1e-5)


@given(st.integers(1, 600), st.integers(1, 600))
def test_resample_matrix_rows_are_convex_weights(size_in: int, size_out: int) -> None:
    weights = resample_matrix(size_in, size_out)
    assert weights.shape == (size_out, size_in)
    assert (weights >= 0).all()
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)


@given(st.integers(1, 300), st.integers(1, 60))
def test_resizing_keeps_the_mean_of_a_smooth_ramp(size_in: int, size_out: int) -> None:
    ramp = np.linspace(0.0, 1.0, size_in)[None, :].repeat(3, axis=0)
    resized = resize(ramp, 3, size_out)
    assert np.all(np.diff(resized[0]) >= -1e-12)  # monotone in, monotone out
    assert resized.min() >= 0.0 and resized.max() <= 1.0


def test_blank_and_faint_images_are_blank() -> None:
    assert preprocess(np.zeros((50, 30))) is None
    assert preprocess(np.full((50, 30), INK_THRESHOLD)) is None


def test_bad_input_is_refused_with_a_message() -> None:
    with pytest.raises(ValueError, match="2-D"):
        preprocess(np.zeros((2, 28, 28)))
    with pytest.raises(ValueError, match="NaN"):
        preprocess(np.array([[0.0, np.nan]]))


def test_a_thin_line_keeps_its_aspect_ratio() -> None:
    image = np.zeros((300, 300))
    image[20:280, 148:152] = 1.0  # 260 x 4 pixels
    height, width = bounding_box_size(preprocess(image) > 0)
    assert height == BOX_SIZE and width <= 2


def mnist_test_images(count: int) -> np.ndarray:
    images, _ = mnist_test_set()
    return images[:count].astype(np.float64) / 255.0


def test_mnist_digits_come_out_nearly_unchanged() -> None:
    """MNIST digits were made by this very procedure, so it nearly leaves them alone."""
    images = mnist_test_images(500)
    processed = np.stack([preprocess(image) for image in images])
    assert np.abs(processed - images).mean() < 0.005
    # ... and so do the same digits drawn ten times larger.
    nearest = np.arange(280) * 28 // 280
    large = np.stack([preprocess(image[np.ix_(nearest, nearest)]) for image in images[:100]])
    assert np.abs(large - images[:100]).mean() < 0.05
