"""NAdam: Adam with Nesterov momentum (and a momentum schedule, as in Dozat's paper).

Example:
    >>> import minigrad
    >>> from minigrad.optim import NAdam
    >>> w = minigrad.tensor([1.0], requires_grad=True)
    >>> opt = NAdam([w], lr=0.1)
    >>> w.grad = minigrad.tensor([3.0])
    >>> opt.step(); round(w.item(), 4)
    0.8944
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


class NAdam(Optimizer):
    r"""NAdam (PyTorch's rule and defaults).

    For each parameter at step ``t``, with ``g = ±grad + weight_decay * p``
    (or, if ``decoupled_weight_decay``, ``g = ±grad`` and first
    ``p = p * (1 - lr * weight_decay)``)::

        mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
        P = P * mu_t                                  (P, the product of the mu's, starts at 1)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        d = sqrt(v / (1 - beta2**t)) + eps
        p = p - lr * (1 - mu_t) / (1 - P) * g / d
              - lr * mu_{t+1} / (1 - P * mu_{t+1}) * m / d

    Args:
        params: parameters or parameter groups to optimize.
        lr: learning rate.
        betas: decay rates of the first and second moment averages.
        eps: added to the denominator for numerical stability.
        weight_decay: weight decay (L2 penalty, or decoupled).
        momentum_decay: the rate of the momentum schedule ``mu_t``.
        decoupled_weight_decay: decay the weights directly, as AdamW does.
        foreach: accepted for PyTorch compatibility; it picks between PyTorch
            kernels for the same update and changes nothing here.
        maximize: maximize the objective instead of minimizing it.
        capturable, differentiable: must be False (see :meth:`Optimizer._check_options`).

    State per parameter: ``step``, ``mu_product`` (``P``, a Python float),
    ``exp_avg`` and ``exp_avg_sq``.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import NAdam
        >>> w = minigrad.tensor([0.5], requires_grad=True)
        >>> opt = NAdam([w], weight_decay=0.01, decoupled_weight_decay=True)
        >>> (w * w).sum().backward(); opt.step()
        >>> round(opt.state[w]["mu_product"], 6)  # 0.9 * (1 - 0.5 * 0.96**0.004)
        0.450073
    """

    _scalar_state = ("step", "mu_product")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum_decay: float = 4e-3,
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
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        _check_nonnegative(options, "eps")
        _check_betas(options)
        _check_nonnegative(options, "weight_decay", "momentum_decay")

    def _init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        return {
            "step": 0,
            "mu_product": 1.0,
            "exp_avg": np.zeros_like(param),
            "exp_avg_sq": np.zeros_like(param),
        }

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

        momentum_decay = group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        state["mu_product"] = mu_product = state["mu_product"] * mu

        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg += (1 - beta1) * (g - exp_avg)
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * np.square(g)
        denom = np.sqrt(exp_avg_sq / (1 - beta2**step))
        denom += group["eps"]
        param -= (lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom)
        param -= (lr * mu_next / (1.0 - mu_product * mu_next)) * (exp_avg / denom)
