"""Stochastic gradient descent, with momentum, dampening, Nesterov and weight decay.

Example:
    >>> import minigrad
    >>> from minigrad.optim import SGD
    >>> w = minigrad.tensor([1.0], requires_grad=True)
    >>> opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(3):
    ...     w.grad = minigrad.ones(1)  # a constant gradient: the velocity builds up
    ...     opt.step()
    >>> w  # 1 - 0.1 * (1 + 1.9 + 2.71)
    tensor([0.439], requires_grad=True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.optim.optimizer import Optimizer, ParamsT, _check_nonnegative, _l2_grad


class SGD(Optimizer):
    r"""Stochastic gradient descent (PyTorch's rule and defaults).

    For each parameter, with ``g = ±grad + weight_decay * p``::

        b = g                                  on the first step
        b = momentum * b + (1 - dampening) * g  afterwards      (if momentum != 0)
        g = g + momentum * b if nesterov else b                 (if momentum != 0)
        p = p - lr * g

    Args:
        params: parameters or parameter groups to optimize.
        lr: learning rate.
        momentum: momentum factor (0 disables momentum).
        dampening: dampening of the momentum.
        weight_decay: L2 penalty added to the gradient.
        nesterov: use Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
        maximize: maximize the objective instead of minimizing it.
        foreach, fused: accepted for PyTorch compatibility; they pick between
            PyTorch kernels for the same update and change nothing here.
        differentiable: must be False (see :meth:`Optimizer._check_options`).

    State per parameter: ``momentum_buffer`` (when ``momentum != 0``).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> w = minigrad.tensor([2.0], requires_grad=True)
        >>> opt = SGD([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w
        tensor([1.6], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
            maximize=maximize,
            foreach=foreach,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        _check_nonnegative(options, "momentum", "weight_decay")
        if options["nesterov"] and (options["momentum"] <= 0 or options["dampening"] != 0):
            raise ValueError(
                "Nesterov momentum requires a momentum and zero dampening, but got "
                f"momentum={options['momentum']}, dampening={options['dampening']}"
            )

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        g = _l2_grad(param, grad, group["weight_decay"], group["maximize"])
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.array(g, copy=True)
            else:
                buf *= momentum
                dampening = group["dampening"]
                buf += g if dampening == 0 else (1 - dampening) * g
            g = g + momentum * buf if group["nesterov"] else buf
        param -= group["lr"] * g
