"""Classify 28x28 digit images with a trained LeNet-5.

Usage::

    python -m train.predict [--weights runs/mnist/best.npz] [--top 3] FILE [FILE ...]

``FILE`` is a ``.npy`` array (28x28, values 0..1 or 0..255, white ink on black, as
MNIST) or an image Pillow can read (PNG, JPEG; Pillow is in the ``train`` extra),
converted to grayscale and resized to 28x28; dark ink on a light background is
inverted automatically. Without ``--weights`` the shipped pretrained weights are used.

Example:
    >>> import numpy as np, tempfile, os
    >>> from train.predict import load_image
    >>> path = os.path.join(tempfile.mkdtemp(), "digit.npy")
    >>> np.save(path, np.zeros((28, 28), dtype=np.uint8))
    >>> load_image(path).shape
    (28, 28)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import models
from minigrad.serialization import load_weights, open_regular
from models.lenet import classify
from train.cli import add_common_flags, guarded

#: The largest image (in pixels) predict reads; a digit needs far fewer.
MAX_PIXELS = 4096 * 4096


def _read_npy(path: Path) -> np.ndarray:
    """A numeric ``.npy`` array, its declared size checked against the file before reading."""
    with open_regular(path, ValueError) as fh:
        size = fh.seek(0, 2)
        fh.seek(0)
        try:
            version = np.lib.format.read_magic(fh)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(fh)
        except ValueError as e:
            raise ValueError(f"predict: {path} is not a valid .npy file ({e})") from None
        count = int(np.prod(shape, dtype=object))
        if (
            dtype.kind not in "biuf"
            or count > MAX_PIXELS
            or fh.tell() + count * dtype.itemsize != size
        ):
            raise ValueError(
                f"predict: {path} declares a {dtype} array of shape {shape} in a {size}-byte "
                f"file; expected a numeric image of at most {MAX_PIXELS} pixels that the file holds"
            )
        data = np.frombuffer(fh.read(), dtype=dtype, count=count)
        return data.reshape(shape, order="F" if fortran else "C").astype(np.float32)


def load_image(path: str | Path) -> np.ndarray:
    """Read a 28x28 image as float32 in [0, 1] with white ink on black."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"predict: no such file: {path}")
    if path.suffix.lower() == ".npy":
        image = _read_npy(path)
    else:
        try:
            from PIL import Image
        except ImportError:
            raise RuntimeError(
                "predict: reading images needs Pillow (pip install -e '.[train]'); "
                "or pass a .npy array"
            ) from None
        with open_regular(path, ValueError) as fh:
            try:
                with Image.open(fh) as im:
                    if im.width * im.height > MAX_PIXELS:
                        raise ValueError(
                            f"predict: {path} is {im.width}x{im.height}; at most {MAX_PIXELS} "
                            "pixels are read"
                        )
                    image = np.asarray(im.convert("L").resize((28, 28)), dtype=np.float32)
            except (OSError, Image.DecompressionBombError) as e:
                raise ValueError(f"predict: cannot read {path} as an image ({e})") from None
    image = np.squeeze(image)
    if image.shape != (28, 28):
        raise ValueError(
            f"predict: {path} holds an image of shape {image.shape}, expected (28, 28)"
        )
    if image.max() > 1.0:
        image = image / 255.0
    if image.mean() > 0.5:  # dark ink on a light background: make it MNIST-like
        image = 1.0 - image
    return image.astype(np.float32)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, classify each file, print the top classes."""
    p = argparse.ArgumentParser(prog="python -m train.predict", description=__doc__.split("\n")[0])
    p.add_argument("files", nargs="+", metavar="FILE", help=".npy or image files, 28x28 digits")
    p.add_argument("--weights", default=None, help="a state dict .npz (default: pretrained)")
    p.add_argument("--top", type=int, default=3, choices=range(1, 11), metavar="K")
    add_common_flags(p)
    args = p.parse_args(argv)
    return guarded(lambda: _predict(args), args.debug, "python -m train.predict")


def _predict(args: argparse.Namespace) -> int:
    model = models.lenet5(pretrained=args.weights is None)
    if args.weights is not None:
        try:
            model.load_state_dict(load_weights(args.weights, allow_nonfinite=args.allow_nonfinite))
        except (OSError, ValueError, RuntimeError) as e:  # missing, corrupt, mismatched, NaN
            raise ValueError(f"--weights: {e}") from e
    images = np.stack([load_image(f) for f in args.files])
    probs = classify(model.eval(), images)
    for name, row in zip(args.files, probs):
        top = np.argsort(row)[::-1][: args.top]
        ranked = ", ".join(f"{int(k)} ({100 * row[k]:.1f}%)" for k in top)
        print(f"{name}: {ranked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
