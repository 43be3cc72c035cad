"""Image transforms, as torchvision's, vectorised over a batch and seeded.

Every transform takes images in channel-first layout, either a batch
``(N, C, H, W)`` or one image ``(C, H, W)``, as a NumPy array or a Tensor, and
returns the same kind (``ToTensor`` always returns a Tensor); no Python loop
runs over the samples. Because each works on one image or a batch alike, a
dataset applies a :class:`Transform` to a whole batch at once, with the same
result as image by image; :class:`Lambda` and plain functions are per-image
(as in torchvision) and run on each image. Random transforms take an optional
``rng`` (a ``numpy.random.Generator``) when called: inside a
:class:`~minigrad.data.DataLoader` it is a per-batch generator derived from
the loader's seed, epoch and batch number, so augmentation is reproducible and
resumes exactly from a checkpoint. Called without ``rng``, a transform draws
from its own generator if built with ``seed=``, else from minigrad's global one.

Example:
    >>> import numpy as np
    >>> from minigrad.data import transforms as T
    >>> images = np.random.default_rng(0).integers(0, 256, (8, 3, 32, 32), dtype=np.uint8)
    >>> augment = T.Compose([
    ...     T.RandomCrop(32, padding=4),
    ...     T.RandomHorizontalFlip(),
    ...     T.ToFloat(),
    ...     T.Normalize([0.49, 0.48, 0.45], [0.25, 0.24, 0.26]),
    ... ])
    >>> out = augment(images, rng=np.random.default_rng(1))
    >>> out.shape, out.dtype
    ((8, 3, 32, 32), dtype('float32'))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from minigrad.random import default_generator
from minigrad.tensor import Tensor, get_default_dtype

__all__ = [
    "Compose",
    "Lambda",
    "Normalize",
    "RandomCrop",
    "RandomHorizontalFlip",
    "ToFloat",
    "ToTensor",
    "Transform",
    "apply_transform",
    "channel_mean_std",
    "is_batched",
    "is_random",
]

Generator = np.random.Generator


class Transform:
    """Base class for transforms: ``__call__(x, rng=None)`` maps an image batch to a new one.

    Set the class attribute ``random = True`` in transforms that draw random
    numbers; they should draw only from ``self.generator(rng)``.

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import Transform
        >>> class Invert(Transform):
        ...     def __call__(self, x, rng=None):
        ...         return 255 - x
        >>> Invert()(np.zeros((1, 1, 1, 2), np.uint8)).tolist()
        [[[[255, 255]]]]
    """

    random: bool = False
    batched: bool = True  # works on one image and on a batch alike

    def __init__(self, seed: int | None = None) -> None:
        self._rng = np.random.default_rng(seed) if seed is not None else None

    def __call__(self, x: Any, rng: Generator | None = None) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __call__")

    def generator(self, rng: Generator | None = None) -> Generator:
        """The generator to draw from: ``rng`` if given, else the seeded one, else the global one.

        Example:
            >>> import numpy as np
            >>> from minigrad.data.transforms import RandomHorizontalFlip
            >>> g = np.random.default_rng(0)
            >>> RandomHorizontalFlip().generator(g) is g
            True
        """
        if rng is not None:
            return rng
        return getattr(self, "_rng", None) or default_generator()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def apply_transform(transform: Callable[..., Any], x: Any, rng: Generator | None = None) -> Any:
    """Call ``transform(x, rng=rng)`` if it is a :class:`Transform`, else ``transform(x)``.

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import apply_transform
        >>> apply_transform(lambda a: a + 1, np.zeros(2)).tolist()
        [1.0, 1.0]
    """
    if isinstance(transform, Transform):
        return transform(x, rng=rng)
    return transform(x)


def is_random(transform: Any) -> bool:
    """True if ``transform`` (or anything it composes) draws random numbers.

    Example:
        >>> from minigrad.data import transforms as T
        >>> T.is_random(T.Compose([T.ToFloat(), T.RandomHorizontalFlip()]))
        True
        >>> T.is_random(T.ToFloat())
        False
    """
    return bool(getattr(transform, "random", False))


def is_batched(transform: Any) -> bool:
    """True if ``transform`` gives the same result on a batch as image by image.

    Every :class:`Transform` does (unless it says otherwise); :class:`Lambda`
    and plain functions are taken as per-image, as in torchvision.

    Example:
        >>> from minigrad.data import transforms as T
        >>> T.is_batched(T.Compose([T.ToTensor(), T.Normalize([0.5], [0.5])]))
        True
        >>> T.is_batched(T.Compose([T.ToTensor(), T.Lambda(lambda x: x.flatten())]))
        False
    """
    return isinstance(transform, Transform) and bool(transform.batched)


def _unwrap(x: Any) -> tuple[np.ndarray, bool]:
    """The array behind ``x`` and whether ``x`` was a Tensor (to give back the same kind)."""
    if isinstance(x, Tensor):
        return x._data, True
    return np.asarray(x), False


def _rewrap(x: np.ndarray, as_tensor: bool) -> Any:
    return Tensor._make(x) if as_tensor else x


def _batch(x: np.ndarray, who: str) -> tuple[np.ndarray, bool]:
    """View ``x`` as (N, C, H, W); also return whether it was a single (C, H, W) image."""
    x = np.asarray(x)
    if x.ndim == 3:
        return x[None], True
    if x.ndim != 4:
        raise ValueError(
            f"{who}: expected images shaped (N, C, H, W) or (C, H, W), got shape {x.shape}"
        )
    return x, False


class Compose(Transform):
    """Apply transforms in order, handing the same ``rng`` to each.

    Plain callables (taking just the array) may be mixed in.

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import Compose, ToFloat
        >>> Compose([ToFloat(), lambda x: x * 2])(np.full((1, 1, 1, 1), 255, np.uint8)).item()
        2.0
    """

    def __init__(self, transforms: Iterable[Callable[..., Any]]) -> None:
        self.transforms = list(transforms)

    @property
    def random(self) -> bool:  # type: ignore[override]
        """True if any of the composed transforms is random."""
        return any(is_random(t) for t in self.transforms)

    @property
    def batched(self) -> bool:  # type: ignore[override]
        """True if every composed transform works on batches (see :func:`is_batched`)."""
        return all(is_batched(t) for t in self.transforms)

    def __call__(self, x: Any, rng: Generator | None = None) -> Any:
        for t in self.transforms:
            x = apply_transform(t, x, rng)
        return x

    def __repr__(self) -> str:
        inner = ", ".join(repr(t) for t in self.transforms)
        return f"Compose([{inner}])"


class ToFloat(Transform):
    """Convert ``uint8`` images to float32 in [0, 1] (divide by 255); floats are just cast.

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import ToFloat
        >>> ToFloat()(np.array([[[[0, 51, 255]]]], np.uint8)).tolist()
        [[[[0.0, 0.20000000298023224, 1.0]]]]
    """

    def __init__(self, dtype: Any = np.float32) -> None:
        self.dtype = np.dtype(dtype)

    def __call__(self, x: Any, rng: Generator | None = None) -> Any:
        x, tensor = _unwrap(x)
        if x.dtype == np.uint8:
            return _rewrap(np.divide(x, self.dtype.type(255), dtype=self.dtype), tensor)
        if x.dtype.kind == "f":
            return _rewrap(x.astype(self.dtype, copy=False), tensor)
        raise TypeError(
            f"{type(self).__name__}: expected uint8 images (scaled by 1/255) or floats, "
            f"got {x.dtype}"
        )


class ToTensor(Transform):
    """Convert images to a Tensor, as torchvision's: ``uint8`` becomes float32 in [0, 1].

    Accepts a NumPy array in minigrad's channel-first layout, (C, H, W) or a
    batch (N, C, H, W) (what minigrad's datasets hold), a 2-D (H, W) array (a
    channel axis is added), or a PIL image (converted from its (H, W, C) layout).
    ``uint8`` values are divided by 255 into the default float dtype (float32);
    other dtypes are kept as they are, as in torchvision. Unlike torchvision, a
    3-D NumPy array is taken as (C, H, W), not (H, W, C).

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import ToTensor
        >>> t = ToTensor()(np.full((1, 2, 2), 255, np.uint8))
        >>> type(t).__name__, t.shape, t.dtype, t.max().item()
        ('Tensor', minigrad.Size([1, 2, 2]), minigrad.float32, 1.0)
    """

    def __call__(self, pic: Any, rng: Generator | None = None) -> Tensor:
        if type(pic).__module__.startswith("PIL."):
            x = np.asarray(pic)
            if x.dtype == np.bool_:
                x = x.astype(np.uint8) * 255
            x = np.ascontiguousarray((x[:, :, None] if x.ndim == 2 else x).transpose(2, 0, 1))
        elif isinstance(pic, np.ndarray):
            if pic.ndim not in (2, 3, 4):
                raise ValueError(f"pic should be 2, 3 or 4 dimensional. Got {pic.ndim} dimensions.")
            x = pic[None] if pic.ndim == 2 else pic
        else:
            raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic)}")
        if x.dtype == np.uint8:
            dtype = np.dtype(get_default_dtype())
            return Tensor._make(np.divide(x, dtype.type(255), dtype=dtype))
        return Tensor._make(np.array(x))


class Lambda(Transform):
    """Apply a user function to each image, as torchvision's ``Lambda``.

    It runs image by image (a dataset does not hand it whole batches).

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import Lambda
        >>> Lambda(lambda x: x * 2)(np.ones(2)).tolist()
        [2.0, 2.0]
    """

    batched = False

    def __init__(self, lambd: Callable[[Any], Any]) -> None:
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__!r}")
        super().__init__()
        self.lambd = lambd

    def __call__(self, x: Any, rng: Generator | None = None) -> Any:
        return self.lambd(x)


class Normalize(Transform):
    """Subtract a per-channel mean and divide by a per-channel std: ``(x - mean) / std``.

    Compute ``mean`` and ``std`` from the training split only (see
    :meth:`from_dataset` and :func:`channel_mean_std`), never from test data.

    Works on float arrays and float Tensors, (C, H, W) or (N, C, H, W), and
    returns the same kind (torchvision's Normalize takes Tensors only).

    Args:
        mean, std: one value per channel (or a single value for all channels).
        inplace: overwrite the input instead of returning a new one.

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import Normalize
        >>> Normalize([0.5], [0.25])(np.ones((2, 1, 1, 1), np.float32)).ravel().tolist()
        [2.0, 2.0]
    """

    def __init__(self, mean: ArrayLike, std: ArrayLike, inplace: bool = False) -> None:
        self.inplace = inplace
        self.mean = np.atleast_1d(np.asarray(mean, dtype=np.float32))
        self.std = np.atleast_1d(np.asarray(std, dtype=np.float32))
        if self.mean.ndim != 1 or self.mean.shape != self.std.shape:
            raise ValueError(
                f"Normalize: mean and std need one value per channel, got {self.mean.shape} "
                f"and {self.std.shape}"
            )
        if np.any(self.std <= 0):
            raise ValueError(f"Normalize: std must be positive, got {self.std.tolist()}")

    @classmethod
    def from_dataset(cls, dataset: Any) -> Normalize:
        """Build a Normalize from a training dataset's per-channel mean and std.

        Refuses a dataset whose ``train`` attribute is False (statistics must come
        from the training split only).

        Example:
            >>> from minigrad.data import MNIST
            >>> from minigrad.data.transforms import Normalize
            >>> Normalize.from_dataset(MNIST(train=True))
            Normalize(mean=[0.1307], std=[0.3081])
        """
        mean, std = channel_mean_std(dataset)
        return cls(mean, std)

    def __call__(self, x: Any, rng: Generator | None = None) -> Any:
        x, tensor = _unwrap(x)
        if x.dtype.kind != "f":
            raise TypeError(
                f"Normalize: expected float images, got {x.dtype}; put ToFloat() before it"
            )
        channels = x.shape[-3] if x.ndim >= 3 else None
        if len(self.mean) != 1 and channels != len(self.mean):
            raise ValueError(
                f"Normalize: images have {channels} channels (shape {x.shape}) but mean/std "
                f"have {len(self.mean)} values"
            )
        m = self.mean.reshape(-1, 1, 1).astype(x.dtype)
        s = self.std.reshape(-1, 1, 1).astype(x.dtype)
        out = np.subtract(x, m, out=x if self.inplace else None)
        out /= s
        return _rewrap(out, tensor)

    def __repr__(self) -> str:
        mean = [round(float(v), 4) for v in self.mean]
        std = [round(float(v), 4) for v in self.std]
        return f"Normalize(mean={mean}, std={std})"


def channel_mean_std(images: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel mean and std of images, as the model sees them (uint8 scaled to [0, 1]).

    Args:
        images: an (N, C, H, W) array, or a dataset with a ``data`` array. A
            dataset whose ``train`` attribute is False is refused: normalisation
            statistics must come from the training split only.

    Returns:
        ``(mean, std)``, float64 arrays of length C. For uint8 images they are
        exact (computed from a 256-bin histogram per channel, no overflow).

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import channel_mean_std
        >>> mean, std = channel_mean_std(np.array([[[[0, 255]]]], np.uint8))
        >>> mean.tolist(), std.tolist()
        ([0.5], [0.5])
    """
    if not isinstance(images, np.ndarray):
        if getattr(images, "train", True) is False:
            raise ValueError(
                f"channel_mean_std: got the test split of {type(images).__name__}; compute "
                "normalisation statistics from the training split only (train=True)"
            )
        data = getattr(images, "data", None)
        if data is None:
            data = images.arrays[0]
        images = data
    x, _ = _batch(images, "channel_mean_std")
    channels = x.shape[1]
    if x.dtype == np.uint8:
        counts = np.zeros((channels, 256))
        step = max(1, (1 << 22) // max(1, x[0, 0].size))  # ~4M pixels per bincount
        for c in range(channels):
            for start in range(0, len(x), step):
                counts[c] += np.bincount(x[start : start + step, c].ravel(), minlength=256)
        values = np.arange(256) / 255.0
        n = counts.sum(axis=1)
        mean = counts @ values / n
        var = counts @ values**2 / n - mean**2
        return mean, np.sqrt(np.maximum(var, 0.0))
    axes = (0, 2, 3)
    return x.mean(axis=axes, dtype=np.float64), x.std(axis=axes, dtype=np.float64)


def _pair(value: int | Sequence[int], who: str) -> tuple[int, int]:
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    if len(value) == 2:
        return int(value[0]), int(value[1])
    raise ValueError(f"{who}: expected an int or (height, width), got {value!r}")


def _padding(padding: int | Sequence[int]) -> tuple[int, int, int, int]:
    """torchvision's convention -> (left, top, right, bottom)."""
    if isinstance(padding, (int, np.integer)):
        p = int(padding)
        return p, p, p, p
    if len(padding) == 2:
        return int(padding[0]), int(padding[1]), int(padding[0]), int(padding[1])
    if len(padding) == 4:
        left, top, right, bottom = (int(v) for v in padding)
        return left, top, right, bottom
    raise ValueError(f"RandomCrop: padding must be an int or 2 or 4 ints, got {padding!r}")


class RandomCrop(Transform):
    """Pad each image, then crop a random ``size`` window from it (one offset per image).

    Args:
        size: the output (height, width), or one int for a square.
        padding: an int (all sides), (left/right, top/bottom) or (left, top, right, bottom).
        fill: the value of constant padding.
        padding_mode: ``"constant"``, ``"edge"``, ``"reflect"`` or ``"symmetric"``.
        seed: a seed for this transform's own generator (see the module docs).

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import RandomCrop
        >>> x = np.arange(16, dtype=np.uint8).reshape(1, 1, 4, 4)
        >>> RandomCrop(2, seed=0)(np.repeat(x, 3, axis=0)).shape
        (3, 1, 2, 2)
    """

    random = True

    def __init__(
        self,
        size: int | Sequence[int],
        padding: int | Sequence[int] = 0,
        fill: float = 0,
        padding_mode: str = "constant",
        seed: int | None = None,
    ) -> None:
        super().__init__(seed)
        self.size = _pair(size, "RandomCrop")
        self.padding = _padding(padding)
        if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
            raise ValueError(f"RandomCrop: unknown padding_mode {padding_mode!r}")
        self.fill = fill
        self.padding_mode = padding_mode

    def __call__(self, x: Any, rng: Generator | None = None) -> Any:
        x, tensor = _unwrap(x)
        batch, single = _batch(x, "RandomCrop")
        left, top, right, bottom = self.padding
        if any(self.padding):
            widths = ((0, 0), (0, 0), (top, bottom), (left, right))
            if self.padding_mode == "constant":
                batch = np.pad(batch, widths, constant_values=self.fill)
            else:
                batch = np.pad(batch, widths, mode=self.padding_mode)  # type: ignore[call-overload]
        n, _, height, width = batch.shape
        h, w = self.size
        if h > height or w > width:
            raise ValueError(
                f"RandomCrop: crop size {(h, w)} is larger than the padded image {(height, width)}"
            )
        g = self.generator(rng)
        rows = g.integers(0, height - h + 1, size=n)
        cols = g.integers(0, width - w + 1, size=n)
        windows = sliding_window_view(batch, (h, w), axis=(2, 3))  # (N, C, H-h+1, W-w+1, h, w)
        out = windows[np.arange(n), :, rows, cols]  # one gather: (N, C, h, w)
        return _rewrap(out[0] if single else out, tensor)

    def __repr__(self) -> str:
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip(Transform):
    """Mirror each image left-right with probability ``p`` (drawn per image).

    Example:
        >>> import numpy as np
        >>> from minigrad.data.transforms import RandomHorizontalFlip
        >>> x = np.array([[[[1, 2, 3]]]])
        >>> RandomHorizontalFlip(p=1.0)(x).tolist()
        [[[[3, 2, 1]]]]
    """

    random = True

    def __init__(self, p: float = 0.5, seed: int | None = None) -> None:
        super().__init__(seed)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"RandomHorizontalFlip: p must be in [0, 1], got {p}")
        self.p = p

    def __call__(self, x: Any, rng: Generator | None = None) -> Any:
        x, tensor = _unwrap(x)
        batch, single = _batch(x, "RandomHorizontalFlip")
        flip = self.generator(rng).random(len(batch)) < self.p
        out = np.where(flip[:, None, None, None], batch[..., ::-1], batch)
        return _rewrap(out[0] if single else out, tensor)

    def __repr__(self) -> str:
        return f"RandomHorizontalFlip(p={self.p})"
