"""RAdam: Adam whose adaptive step is switched on only once its variance is tractable.

Example:
    >>> import minigrad
    >>> from minigrad.optim import RAdam
    >>> w = minigrad.tensor([1.0], requires_grad=True)
    >>> opt = RAdam([w], lr=0.1)
    >>> w.grad = minigrad.tensor([3.0])
    >>> opt.step(); w  # the first steps are plain momentum SGD: 1 - 0.1 * 3
    tensor([0.7], requires_grad=True)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad.optim.optimizer import (
    Optimizer,
    ParamsT,
    _check_betas,
    _check_nonnegative,
    _l2_grad,
)


class RAdam(Optimizer):
    r"""RAdam, rectified Adam (PyTorch's rule and defaults).

    For each parameter at step ``t``, with ``g = ±grad + weight_decay * p``
    (or, if ``decoupled_weight_decay``, ``g = ±grad`` and first
    ``p = p * (1 - lr * weight_decay)``)::

        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
        r = sqrt((rho_t - 4) (rho_t - 2) rho_inf / ((rho_inf - 4) (rho_inf - 2) rho_t))
        p = p - lr * m / (1 - beta1**t) * r * sqrt(1 - beta2**t) / (sqrt(v) + eps)
                                                                  if rho_t > 5
        p = p - lr * m / (1 - beta1**t)                           otherwise

    Args:
        params: parameters or parameter groups to optimize.
        lr: learning rate.
        betas: decay rates of the first and second moment averages.
        eps: added to the denominator for numerical stability.
        weight_decay: weight decay (L2 penalty, or decoupled).
        decoupled_weight_decay: decay the weights directly, as AdamW does.
        foreach: accepted for PyTorch compatibility; it picks between PyTorch
            kernels for the same update and changes nothing here.
        maximize: maximize the objective instead of minimizing it.
        capturable, differentiable: must be False (see :meth:`Optimizer._check_options`).

    State per parameter: ``step``, ``exp_avg`` and ``exp_avg_sq``.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import RAdam
        >>> w = minigrad.tensor([0.5], requires_grad=True)
        >>> opt = RAdam([w], weight_decay=0.1, decoupled_weight_decay=True)
        >>> (w * w).sum().backward(); opt.step()
        >>> sorted(opt.state[w])
        ['exp_avg', 'exp_avg_sq', 'step']
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            decoupled_weight_decay=decoupled_weight_decay,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        _check_nonnegative(options, "eps")
        _check_betas(options)
        _check_nonnegative(options, "weight_decay")

    def _init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        return {"step": 0, "exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        lr, (beta1, beta2), weight_decay = group["lr"], group["betas"], group["weight_decay"]
        state["step"] = step = state["step"] + 1
        if group["decoupled_weight_decay"]:
            if weight_decay != 0:
                param *= 1 - lr * weight_decay
            g = _l2_grad(param, grad, 0, group["maximize"])
        else:
            g = _l2_grad(param, grad, weight_decay, group["maximize"])

        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg += (1 - beta1) * (g - exp_avg)
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * np.square(g)

        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * step * beta2**step / bias_correction2
        update = exp_avg * (lr / bias_correction1)
        if rho_t > 5.0:
            rect = math.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )
            denom = np.sqrt(exp_avg_sq)
            denom += group["eps"]
            update *= math.sqrt(bias_correction2) * rect
            update /= denom
        param -= update
