"""MNIST's preprocessing of a drawn digit, in vectorised NumPy.

The original MNIST digits were made this way (LeCun et al., 1998): the ink's
bounding box was scaled, keeping its aspect ratio, so that its longer side is
20 pixels, with anti-aliasing, and the result was placed in a 28x28 field so
that its centre of mass falls on the field's centre. A digit drawn at any size
and anywhere on a canvas therefore reaches the network looking like the digits
it was trained on.

Example:
    >>> import numpy as np
    >>> from demo.preprocess import preprocess
    >>> canvas = np.zeros((280, 280), dtype=np.float32)
    >>> canvas[40:240, 130:150] = 1.0          # a thick vertical stroke: a "1"
    >>> digit = preprocess(canvas)
    >>> digit.shape, digit.dtype
    ((28, 28), dtype('float32'))
    >>> bool(digit.max() == 1.0), bool(digit.min() == 0.0)
    (True, True)
    >>> preprocess(np.zeros((64, 64))) is None  # nothing drawn
    True
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

#: Side of the square image the network reads.
FIELD_SIZE = 28
#: Side of the box the digit's longer side is scaled to.
BOX_SIZE = 20
#: A pixel counts as ink when its value exceeds this (values run from 0 to 1).
INK_THRESHOLD = 0.05


def ink_bounding_box(image: NDArray[np.floating]) -> tuple[int, int, int, int] | None:
    """The bounding box ``(top, bottom, left, right)`` of the ink, ends exclusive.

    Returns ``None`` when no pixel exceeds :data:`INK_THRESHOLD`.

    Example:
        >>> import numpy as np
        >>> from demo.preprocess import ink_bounding_box
        >>> image = np.zeros((10, 12))
        >>> image[2:5, 3:9] = 1.0
        >>> ink_bounding_box(image)
        (2, 5, 3, 9)
        >>> ink_bounding_box(np.zeros((4, 4))) is None
        True
    """
    ink = image > INK_THRESHOLD
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(ink.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def resample_matrix(size_in: int, size_out: int) -> NDArray[np.float64]:
    """The ``(size_out, size_in)`` matrix that resizes a 1-D signal with anti-aliasing.

    Each output pixel is a weighted mean of the input pixels under a triangle
    (bilinear) filter centred on it, widened to the input distance between two
    output pixels when shrinking, so that every input pixel contributes (the way
    Pillow's anti-aliased bilinear resize works). Rows sum to 1, so values stay
    in the input's range. Resizing an image is then two matrix products:
    ``resample_matrix(h, h2) @ image @ resample_matrix(w, w2).T``.

    Example:
        >>> import numpy as np
        >>> from demo.preprocess import resample_matrix
        >>> resample_matrix(6, 2)            # a third of the size: weighted means
        array([[0.25 , 0.375, 0.25 , 0.125, 0.   , 0.   ],
               [0.   , 0.   , 0.125, 0.25 , 0.375, 0.25 ]])
        >>> bool(np.allclose(resample_matrix(3, 7).sum(axis=1), 1.0))
        True
    """
    if size_in < 1 or size_out < 1:
        raise ValueError(f"resample_matrix: sizes must be positive, got {size_in} -> {size_out}")
    scale = size_in / size_out  # input pixels per output pixel
    support = max(scale, 1.0)
    centres = (np.arange(size_out) + 0.5) * scale  # output pixel centres, input coordinates
    positions = np.arange(size_in) + 0.5
    weights = np.maximum(0.0, 1.0 - np.abs(positions[None, :] - centres[:, None]) / support)
    return weights / weights.sum(axis=1, keepdims=True)


def resize(image: NDArray[np.floating], height: int, width: int) -> NDArray[np.float64]:
    """Resize a 2-D image to ``(height, width)`` with anti-aliasing (see :func:`resample_matrix`).

    Example:
        >>> import numpy as np
        >>> from demo.preprocess import resize
        >>> resize(np.ones((50, 30)), 20, 12).shape
        (20, 12)
        >>> bool(np.allclose(resize(np.ones((50, 30)), 20, 12), 1.0))
        True
    """
    rows = resample_matrix(image.shape[0], height)
    cols = resample_matrix(image.shape[1], width)
    return rows @ np.asarray(image, dtype=np.float64) @ cols.T


def centre_of_mass(image: NDArray[np.floating]) -> tuple[float, float]:
    """The intensity-weighted centre ``(row, column)`` of a 2-D image, in pixel indices.

    Example:
        >>> import numpy as np
        >>> from demo.preprocess import centre_of_mass
        >>> image = np.zeros((5, 5))
        >>> image[1, 1] = image[1, 3] = 1.0
        >>> centre_of_mass(image)
        (1.0, 2.0)
    """
    total = float(image.sum())
    if total <= 0.0:
        raise ValueError("centre_of_mass: the image has no mass (all zeros)")
    row = float(image.sum(axis=1) @ np.arange(image.shape[0])) / total
    col = float(image.sum(axis=0) @ np.arange(image.shape[1])) / total
    return row, col


def preprocess(image: ArrayLike) -> NDArray[np.float32] | None:
    """Turn a drawn digit (2-D, ink = 1 on 0) into a 28x28 MNIST-style image.

    Crops to the ink's bounding box, scales its longer side to 20 pixels with
    anti-aliasing (keeping the aspect ratio), rescales the brightest pixel to 1,
    and places the box in a 28x28 field so that its centre of mass lands on the
    field's centre (pixel index 14, as in MNIST), shifted by whole pixels and
    kept inside the field.

    Args:
        image: a 2-D array-like of values in [0, 1], any size.

    Returns:
        A float32 ``(28, 28)`` array in [0, 1], or ``None`` if nothing is drawn
        (no pixel exceeds :data:`INK_THRESHOLD`).

    Example:
        >>> import numpy as np
        >>> from demo.preprocess import centre_of_mass, preprocess
        >>> canvas = np.zeros((100, 100))
        >>> canvas[5:15, 70:95] = 1.0              # a small bar in a corner
        >>> digit = preprocess(canvas)
        >>> [round(c) for c in centre_of_mass(digit)]
        [14, 14]
        >>> int((digit > 0).any(axis=0).sum())     # the longer side is 20 pixels
        20
    """
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError(f"preprocess: expected a 2-D image, got shape {image.shape}")
    if not np.isfinite(image).all():
        raise ValueError("preprocess: the image contains NaN or infinite values")
    box = ink_bounding_box(image)
    if box is None:
        return None
    top, bottom, left, right = box
    crop = np.clip(image[top:bottom, left:right], 0.0, 1.0)
    height, width = crop.shape
    scale = BOX_SIZE / max(height, width)
    new_height = min(BOX_SIZE, max(1, round(height * scale)))
    new_width = min(BOX_SIZE, max(1, round(width * scale)))
    digit = resize(crop, new_height, new_width)
    digit /= digit.max()
    return _place_by_centre_of_mass(digit).astype(np.float32)


def _place_by_centre_of_mass(digit: NDArray[np.float64]) -> NDArray[np.float64]:
    """Paste ``digit`` into a 28x28 field with its centre of mass at the centre."""
    centre = FIELD_SIZE // 2
    row, col = centre_of_mass(digit)
    height, width = digit.shape
    top = int(np.clip(np.round(centre - row), 0, FIELD_SIZE - height))
    left = int(np.clip(np.round(centre - col), 0, FIELD_SIZE - width))
    field = np.zeros((FIELD_SIZE, FIELD_SIZE))
    field[top : top + height, left : left + width] = digit
    return field
