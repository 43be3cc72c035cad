"""Adamax: Adam with the infinity norm of past gradients in place of their second moment.

Example:
    >>> import minigrad
    >>> from minigrad.optim import Adamax
    >>> w = minigrad.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = Adamax([w], lr=0.1)
    >>> w.grad = minigrad.tensor([5.0, -0.5])
    >>> opt.step(); w  # the first step moves each coordinate by about lr
    tensor([ 0.9, -0.9], requires_grad=True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.optim.optimizer import (
    Optimizer,
    ParamsT,
    _check_betas,
    _check_nonnegative,
    _l2_grad,
)


class Adamax(Optimizer):
    r"""Adamax (PyTorch's rule and defaults).

    For each parameter at step ``t``, with ``g = ±grad + weight_decay * p``::

        m = beta1 * m + (1 - beta1) * g
        u = max(beta2 * u, |g| + eps)
        p = p - lr / (1 - beta1**t) * m / u

    Args:
        params: parameters or parameter groups to optimize.
        lr: learning rate.
        betas: decay rates of the first moment and of the infinity norm.
        eps: added to ``|g|`` so the denominator is never zero.
        weight_decay: L2 penalty added to the gradient.
        foreach: accepted for PyTorch compatibility; it picks between PyTorch
            kernels for the same update and changes nothing here.
        maximize: maximize the objective instead of minimizing it.
        differentiable, capturable: must be False (see :meth:`Optimizer._check_options`).

    State per parameter: ``step``, ``exp_avg`` (``m``) and ``exp_inf`` (``u``).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import Adamax
        >>> w = minigrad.tensor([0.5], requires_grad=True)
        >>> opt = Adamax([w], betas=(0.8, 0.99))
        >>> (w * w).sum().backward(); opt.step()
        >>> opt.state[w]["exp_inf"]
        array([1.], dtype=float32)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        _check_nonnegative(options, "eps")
        _check_betas(options)
        _check_nonnegative(options, "weight_decay")

    def _init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        return {"step": 0, "exp_avg": np.zeros_like(param), "exp_inf": np.zeros_like(param)}

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        beta1, beta2 = group["betas"]
        state["step"] = step = state["step"] + 1
        g = _l2_grad(param, grad, group["weight_decay"], group["maximize"])

        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
        exp_avg += (1 - beta1) * (g - exp_avg)
        exp_inf *= beta2
        np.maximum(exp_inf, np.abs(g) + group["eps"], out=exp_inf)
        update = np.divide(exp_avg, exp_inf)
        update *= group["lr"] / (1 - beta1**step)
        param -= update
