"""Activation layers: ReLU, LeakyReLU, GELU, Sigmoid, Tanh, Softmax, LogSoftmax.

Each is a thin Module over the function of the same name, so it can sit in a
``Sequential`` and show in a model's repr. ``inplace=True`` is accepted for
compatibility with PyTorch recipes; minigrad never overwrites the input.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(0.1))
    Sequential(
      (0): Linear(in_features=2, out_features=2, bias=True)
      (1): LeakyReLU(negative_slope=0.1)
    )
"""

from __future__ import annotations

import warnings

from minigrad.nn import functional as F
from minigrad.nn.module import Module
from minigrad.tensor import Tensor


class ReLU(Module):
    """``max(x, 0)``, elementwise.

    Example:
        >>> import minigrad
        >>> minigrad.nn.ReLU()(minigrad.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Example:
        >>> import minigrad
        >>> minigrad.nn.LeakyReLU(0.1)(minigrad.tensor([-1.0, 2.0]))
        tensor([-0.1,  2. ])
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """Gaussian error linear unit: ``x * Φ(x)`` (``approximate='tanh'`` for the tanh form).

    Example:
        >>> import minigrad
        >>> minigrad.nn.GELU()(minigrad.tensor([0.0, 1.0]))
        tensor([0.    , 0.8413])
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Sigmoid(Module):
    """``1 / (1 + exp(-x))``, elementwise.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Sigmoid()(minigrad.tensor([0.0]))
        tensor([0.5])
    """

    def forward(self, input: Tensor) -> Tensor:
        return input.sigmoid()


class Tanh(Module):
    """Hyperbolic tangent, elementwise.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Tanh()(minigrad.tensor([0.0]))
        tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        return input.tanh()


def _implicit_dim(name: str, ndim: int) -> int:
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        f"Change the call to include dim=X as an argument.",
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


class Softmax(Module):
    """Softmax along ``dim``: non-negative values that sum to 1.

    Without ``dim``, PyTorch's legacy choice is made (with a warning).

    Example:
        >>> import minigrad
        >>> minigrad.nn.Softmax(dim=-1)(minigrad.zeros(1, 4))
        tensor([[0.25, 0.25, 0.25, 0.25]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        dim = _implicit_dim("softmax", input.ndim) if self.dim is None else self.dim
        return F.softmax(input, dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """``log(softmax(x))`` along ``dim``, computed stably.

    Example:
        >>> import minigrad
        >>> minigrad.nn.LogSoftmax(dim=1)(minigrad.zeros(1, 2))
        tensor([[-0.6931, -0.6931]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        dim = _implicit_dim("log_softmax", input.ndim) if self.dim is None else self.dim
        return F.log_softmax(input, dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
