"""Activation layers: ReLU, LeakyReLU, GELU, Sigmoid, Tanh, Softmax, LogSoftmax, SiLU, Mish,
ELU, SELU, CELU, Hardtanh, ReLU6, Hardswish, Hardsigmoid, LogSigmoid, Softsign, Softmin,
Softplus, PReLU, GLU, Tanhshrink, Threshold.

Each is a thin Module over the function of the same name, so it can sit in a
``Sequential`` and show in a model's repr. ``inplace=True`` has
PyTorch's meaning: the result is written into the input (recorded for autograd).

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
from typing import Any

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
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Example:
        >>> import minigrad
        >>> minigrad.nn.LeakyReLU(0.1)(minigrad.tensor([-1.0, 2.0]))
        tensor([-0.1000,  2.0000])
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """Gaussian error linear unit: ``x * Φ(x)`` (``approximate='tanh'`` for the tanh form).

    Example:
        >>> import minigrad
        >>> minigrad.nn.GELU()(minigrad.tensor([0.0, 1.0]))
        tensor([0.0000, 0.8413])
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
        tensor([0.5000])
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input.sigmoid()


class Tanh(Module):
    """Hyperbolic tangent, elementwise.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Tanh()(minigrad.tensor([0.0]))
        tensor([0.])
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

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
        tensor([[0.2500, 0.2500, 0.2500, 0.2500]])
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


class _Inplace(Module):
    """An activation ``F.<fn>(input, inplace=...)`` with no other option."""

    _fn = ""  # the name of the function in minigrad.nn.functional

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input, inplace=self.inplace)  # type: ignore[no-any-return]

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class _Plain(Module):
    """An activation ``F.<fn>(input)`` with no option (PyTorch's accept and ignore args)."""

    _fn = ""  # the name of the function in minigrad.nn.functional

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._fn)(input)  # type: ignore[no-any-return]


class SiLU(_Inplace):
    """Sigmoid linear unit ``x * sigmoid(x)``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.SiLU()(minigrad.tensor([0.0, 1.0]))
        tensor([0.0000, 0.7311])
    """

    _fn = "silu"


class Mish(_Inplace):
    """``x * tanh(softplus(x))``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Mish()(minigrad.tensor([1.0]))
        tensor([0.8651])
    """

    _fn = "mish"


class SELU(_Inplace):
    """Scaled exponential linear unit (self-normalising constants).

    Example:
        >>> import minigrad
        >>> minigrad.nn.SELU()(minigrad.tensor([1.0]))
        tensor([1.0507])
    """

    _fn = "selu"


class ReLU6(_Inplace):
    """``min(max(x, 0), 6)``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.ReLU6()(minigrad.tensor([-1.0, 9.0]))
        tensor([0., 6.])
    """

    _fn = "relu6"


class Hardswish(_Inplace):
    """``x * relu6(x + 3) / 6``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Hardswish()(minigrad.tensor([1.0]))
        tensor([0.6667])
    """

    _fn = "hardswish"


class Hardsigmoid(_Inplace):
    """``relu6(x + 3) / 6``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Hardsigmoid()(minigrad.tensor([0.0]))
        tensor([0.5000])
    """

    _fn = "hardsigmoid"


class LogSigmoid(_Plain):
    """``log(sigmoid(x))``, stable for large ``|x|``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.LogSigmoid()(minigrad.tensor([0.0]))
        tensor([-0.6931])
    """

    _fn = "logsigmoid"


class Softsign(_Plain):
    """``x / (1 + |x|)``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Softsign()(minigrad.tensor([1.0]))
        tensor([0.5000])
    """

    _fn = "softsign"


class Tanhshrink(_Plain):
    """``x - tanh(x)``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Tanhshrink()(minigrad.tensor([0.0]))
        tensor([0.])
    """

    _fn = "tanhshrink"


class ELU(Module):
    """Exponential linear unit: ``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Example:
        >>> import minigrad
        >>> minigrad.nn.ELU(alpha=2.0)(minigrad.tensor([-1.0, 1.0]))
        tensor([-1.2642,  1.0000])
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class CELU(ELU):
    """Continuously differentiable ELU ``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.CELU(alpha=2.0)(minigrad.tensor([-1.0]))
        tensor([-0.7869])
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.celu(input, self.alpha, self.inplace)


class Hardtanh(Module):
    """Clamp into ``[min_val, max_val]`` (``min_value``/``max_value``: PyTorch's old names).

    Example:
        >>> import minigrad
        >>> minigrad.nn.Hardtanh(-2.0, 2.0)(minigrad.tensor([-3.0, 1.0, 3.0]))
        tensor([-2.,  1.,  2.])
    """

    def __init__(
        self,
        min_val: float = -1.0,
        max_val: float = 1.0,
        inplace: bool = False,
        min_value: float | None = None,
        max_value: float | None = None,
    ) -> None:
        super().__init__()
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated, use `min_val`", stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated, use `max_val`", stacklevel=2)
            max_val = max_value
        if max_val <= min_val:
            raise ValueError(
                f"Hardtanh: max_val ({max_val}) must be greater than min_val ({min_val})"
            )
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        extra = ", inplace=True" if self.inplace else ""
        return f"min_val={self.min_val}, max_val={self.max_val}{extra}"


class Softmin(Module):
    """``softmax(-x)`` along ``dim``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Softmin(dim=1)(minigrad.tensor([[1.0, 2.0]]))
        tensor([[0.7311, 0.2689]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmin(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softplus(Module):
    """``log(1 + exp(beta * x)) / beta``, linear where ``beta * x > threshold``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Softplus(beta=2.0)(minigrad.tensor([0.0]))
        tensor([0.3466])
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class PReLU(Module):
    """``x`` where positive, ``weight * x`` elsewhere, with a learnt ``weight`` of
    ``num_parameters`` slopes (1, or one per channel), initialised to ``init``.

    Example:
        >>> import minigrad
        >>> m = minigrad.nn.PReLU(num_parameters=2)
        >>> m(minigrad.tensor([[-1.0, -2.0]])), m.weight.shape
        (tensor([[-0.2500, -0.5000]], grad_fn=<WhereBackward0>), minigrad.Size([2]))
    """

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None
    ) -> None:
        from minigrad import full
        from minigrad.nn.module import Parameter

        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(full((num_parameters,), init, dtype=dtype))

    def reset_parameters(self) -> None:
        """Set every slope back to ``init``."""
        from minigrad import no_grad

        with no_grad():
            self.weight.fill_(self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class GLU(Module):
    """Gated linear unit: halves ``a, b`` of ``dim``, then ``a * sigmoid(b)``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.GLU()(minigrad.tensor([[2.0, 0.0]]))
        tensor([[1.]])
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Threshold(Module):
    """``x`` where ``x > threshold``, else ``value``.

    Example:
        >>> import minigrad
        >>> minigrad.nn.Threshold(0.5, -1.0)(minigrad.tensor([0.0, 1.0]))
        tensor([-1.,  1.])
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        extra = ", inplace=True" if self.inplace else ""
        return f"threshold={self.threshold}, value={self.value}{extra}"
