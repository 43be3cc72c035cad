"""Weight initialisation, in place, with PyTorch's names and formulas.

Every random draw comes from minigrad's global generator (or the ``generator``
you pass), so ``minigrad.manual_seed`` makes initialisation reproducible. The
functions fill the tensor in place (without recording a graph) and return it.

Example:
    >>> import minigrad
    >>> from minigrad.nn import init
    >>> w = minigrad.empty(64, 32)
    >>> _ = minigrad.manual_seed(0)
    >>> a = init.kaiming_uniform_(w, nonlinearity="relu").numpy().copy()
    >>> _ = minigrad.manual_seed(0)
    >>> bool((init.kaiming_uniform_(w, nonlinearity="relu").numpy() == a).all())
    True
    >>> bool(abs(w.numpy()).max() <= (6 / 32) ** 0.5)
    True
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np

from minigrad.autograd import no_grad
from minigrad.random import default_generator
from minigrad.tensor import Tensor

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]


def _fill(tensor: Tensor, values: Any) -> Tensor:
    with no_grad():
        tensor.copy_(values)
    return tensor


def _rng(generator: np.random.Generator | None) -> np.random.Generator:
    return default_generator() if generator is None else generator


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (PyTorch's table).

    ``linear``/``conv*``/``sigmoid``: 1, ``tanh``: 5/3, ``relu``: sqrt(2),
    ``leaky_relu``: sqrt(2 / (1 + slope**2)) with ``param`` the slope (default 0.01),
    ``selu``: 3/4.

    Example:
        >>> from minigrad.nn.init import calculate_gain
        >>> round(calculate_gain("relu"), 4), round(calculate_gain("leaky_relu", 0.2), 4)
        (1.4142, 1.3868)
    """
    linear_fns = [
        "linear", "conv1d", "conv2d", "conv3d",
        "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    ]  # fmt: skip
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, numbers.Number) and not isinstance(param, bool):
            slope = float(param)  # type: ignore[arg-type]
        else:
            raise ValueError(f"negative_slope {param} is not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight: ``shape[1] * receptive``, ``shape[0] * receptive``."""
    if tensor.ndim < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions "
            f"(got shape {tensor.shape})"
        )
    receptive = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _no_elements(tensor: Tensor) -> bool:
    if tensor.numel() == 0:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Fill ``tensor`` with values drawn uniformly from ``[a, b)``.

    Example:
        >>> import minigrad
        >>> w = minigrad.nn.init.uniform_(minigrad.empty(1000), -2.0, 2.0)
        >>> bool(w.numpy().min() >= -2.0 and w.numpy().max() < 2.0)
        True
    """
    return _fill(tensor, _rng(generator).uniform(a, b, size=tensor.shape))


def normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Fill ``tensor`` with values drawn from the normal distribution N(mean, std²).

    Example:
        >>> import minigrad
        >>> w = minigrad.nn.init.normal_(minigrad.empty(10000), mean=3.0, std=0.5)
        >>> round(float(w.numpy().mean()), 1), round(float(w.numpy().std()), 1)
        (3.0, 0.5)
    """
    return _fill(tensor, _rng(generator).normal(mean, std, size=tensor.shape))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill ``tensor`` with ``val``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.init.constant_(minigrad.empty(2), 0.5)
        tensor([0.5, 0.5])
    """
    return _fill(tensor, val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with zeros.

    Example:
        >>> import minigrad
        >>> minigrad.nn.init.zeros_(minigrad.empty(2))
        tensor([0., 0.])
    """
    return _fill(tensor, 0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with ones.

    Example:
        >>> import minigrad
        >>> minigrad.nn.init.ones_(minigrad.empty(2))
        tensor([1., 1.])
    """
    return _fill(tensor, 1)


def _xavier_std(tensor: Tensor, gain: float) -> float:
    """Glorot's ``gain * sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return gain * math.sqrt(2.0 / float(fan_in + fan_out))


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    """He's ``gain / sqrt(fan)``."""
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Glorot/Xavier uniform: U(-a, a) with ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    Example:
        >>> import minigrad
        >>> w = minigrad.nn.init.xavier_uniform_(minigrad.empty(30, 20))
        >>> bool(abs(w.numpy()).max() <= (6 / 50) ** 0.5)
        True
    """
    std = _xavier_std(tensor, gain)
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Glorot/Xavier normal: N(0, std²) with ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    Example:
        >>> import minigrad
        >>> w = minigrad.nn.init.xavier_normal_(minigrad.empty(200, 200))
        >>> round(float(w.numpy().std()), 2)
        0.07
    """
    std = _xavier_std(tensor, gain)
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    """He/Kaiming uniform: U(-bound, bound), ``bound = gain * sqrt(3 / fan)``.

    Args:
        tensor: a weight with at least 2 dimensions.
        a: the negative slope of the rectifier after this layer (for ``leaky_relu``).
        mode: ``"fan_in"`` (preserves the forward variance) or ``"fan_out"`` (backward).
        nonlinearity: the name given to :func:`calculate_gain`.
        generator: a ``numpy.random.Generator`` (default: minigrad's global one).

    ``Linear`` and ``Conv2d`` use ``kaiming_uniform_(w, a=math.sqrt(5))`` by default,
    as PyTorch does.

    Example:
        >>> import minigrad
        >>> w = minigrad.nn.init.kaiming_uniform_(minigrad.empty(16, 8, 3, 3), nonlinearity="relu")
        >>> bool(abs(w.numpy()).max() <= (6 / 72) ** 0.5)
        True
    """
    if _no_elements(tensor):
        return tensor
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    """He/Kaiming normal: N(0, std²) with ``std = gain / sqrt(fan)``.

    Example:
        >>> import minigrad
        >>> w = minigrad.nn.init.kaiming_normal_(minigrad.empty(256, 128), nonlinearity="relu")
        >>> round(float(w.numpy().std()) * 128 ** 0.5, 1)
        1.4
    """
    if _no_elements(tensor):
        return tensor
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    return normal_(tensor, 0.0, std, generator)
