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

import minigrad
import models
from models.lenet import classify


def load_image(path: str | Path) -> np.ndarray:
    """Read a 28x28 image as float32 in [0, 1] with white ink on black."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"predict: no such file: {path}")
    if path.suffix.lower() == ".npy":
        image = np.load(path, allow_pickle=False).astype(np.float32)
    else:
        try:
            from PIL import Image
        except ImportError:
            raise RuntimeError(
                "predict: reading images needs Pillow (pip install -e '.[train]'); "
                "or pass a .npy array"
            ) from None
        with Image.open(path) as im:
            image = np.asarray(im.convert("L").resize((28, 28)), dtype=np.float32)
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
    args = p.parse_args(argv)
    model = models.lenet5(pretrained=args.weights is None)
    if args.weights is not None:
        try:
            model.load_state_dict(minigrad.load(args.weights))
        except (OSError, ValueError, RuntimeError) as e:  # missing, corrupt or mismatched
            p.exit(2, f"error: --weights: {e}\n")
    try:
        images = np.stack([load_image(f) for f in args.files])
    except (OSError, ValueError, RuntimeError) as e:
        p.exit(2, f"error: {e}\n")
    probs = classify(model.eval(), images)
    for name, row in zip(args.files, probs):
        top = np.argsort(row)[::-1][: args.top]
        ranked = ", ".join(f"{int(k)} ({100 * row[k]:.1f}%)" for k in top)
        print(f"{name}: {ranked}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
