"""RMSprop: divide the gradient by a running root-mean-square of its recent values.

Example:
    >>> import minigrad
    >>> from minigrad.optim import RMSprop
    >>> w = minigrad.tensor([1.0], requires_grad=True)
    >>> opt = RMSprop([w], lr=0.01)
    >>> w.grad = minigrad.tensor([2.0])
    >>> opt.step(); w  # 1 - 0.01 * 2 / sqrt(0.01 * 4)
    tensor([0.9], requires_grad=True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.optim.optimizer import Optimizer, ParamsT, _check_nonnegative, _l2_grad


class RMSprop(Optimizer):
    r"""RMSprop (PyTorch's rule and defaults).

    For each parameter, with ``g = ±grad + weight_decay * p``::

        v = alpha * v + (1 - alpha) * g**2
        a = alpha * a + (1 - alpha) * g          (if centered)
        d = sqrt(v - a**2) + eps if centered else sqrt(v) + eps
        b = momentum * b + g / d;  p = p - lr * b   (if momentum > 0)
        p = p - lr * g / d                          (otherwise)

    Args:
        params: parameters or parameter groups to optimize.
        lr: learning rate.
        alpha: smoothing constant of the squared-gradient average.
        eps: added to the denominator for numerical stability.
        weight_decay: L2 penalty added to the gradient.
        momentum: momentum factor (0 disables momentum).
        centered: normalize by an estimate of the gradient's variance instead
            of its second moment.
        capturable: must be False (see :meth:`Optimizer._check_options`).
        foreach: accepted for PyTorch compatibility; it picks between PyTorch
            kernels for the same update and changes nothing here.
        maximize: maximize the objective instead of minimizing it.
        differentiable: must be False.

    (As in PyTorch, every argument here may be given by position.)

    State per parameter: ``step``, ``square_avg``, ``momentum_buffer`` (when
    ``momentum > 0``) and ``grad_avg`` (when ``centered``).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import RMSprop
        >>> w = minigrad.tensor([1.0], requires_grad=True)
        >>> opt = RMSprop([w], momentum=0.9, centered=True)
        >>> w.grad = minigrad.tensor([2.0]); opt.step()
        >>> sorted(opt.state[w])
        ['grad_avg', 'momentum_buffer', 'square_avg', 'step']
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            momentum=momentum,
            alpha=alpha,
            eps=eps,
            centered=centered,
            weight_decay=weight_decay,
            capturable=capturable,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        _check_nonnegative(options, "eps", "momentum", "weight_decay", "alpha")

    def _init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        state: dict[str, Any] = {"step": 0, "square_avg": np.zeros_like(param)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros_like(param)
        if group["centered"]:
            state["grad_avg"] = np.zeros_like(param)
        return state

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        alpha = group["alpha"]
        state["step"] += 1
        g = _l2_grad(param, grad, group["weight_decay"], group["maximize"])

        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * np.square(g)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg += (1 - alpha) * (g - grad_avg)
            denom = np.square(grad_avg, out=np.empty_like(grad_avg))  # an array even if 0-d
            np.subtract(square_avg, denom, out=denom)
            np.sqrt(denom, out=denom)
        else:
            denom = np.sqrt(square_avg, out=np.empty_like(square_avg))
        denom += group["eps"]

        if group["momentum"] > 0:
            buf = state["momentum_buffer"]
            buf *= group["momentum"]
            buf += np.divide(g, denom, out=denom)
            param -= group["lr"] * buf
        else:
            update = np.divide(g, denom, out=denom)
            update *= group["lr"]
            param -= update
