"""Adam and AdamW: adaptive moment estimation, with L2 or decoupled weight decay.

Example:
    >>> import minigrad
    >>> from minigrad.optim import Adam
    >>> w = minigrad.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = Adam([w], lr=0.1)
    >>> w.grad = minigrad.tensor([3.0, -0.01])
    >>> opt.step()
    >>> w  # the first step moves each coordinate by about lr, whatever the gradient's scale
    tensor([ 0.9, -0.9], requires_grad=True)
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


class Adam(Optimizer):
    r"""Adam (PyTorch's rule and defaults).

    For each parameter at step ``t``, with ``g = ±grad + weight_decay * p``
    (or, if ``decoupled_weight_decay``, ``g = ±grad`` and first
    ``p = p * (1 - lr * weight_decay)``)::

        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        v_max = max(v_max, v)                       (if amsgrad; then v_max replaces v below)
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    Args:
        params: parameters or parameter groups to optimize.
        lr: learning rate.
        betas: decay rates of the first and second moment averages.
        eps: added to the denominator for numerical stability.
        weight_decay: L2 penalty (decoupled if ``decoupled_weight_decay``).
        amsgrad: use the maximum of past second moments (AMSGrad).
        foreach, fused: accepted for PyTorch compatibility; they pick between
            PyTorch kernels for the same update and change nothing here.
        maximize: maximize the objective instead of minimizing it.
        capturable, differentiable: must be False (see :meth:`Optimizer._check_options`).
        decoupled_weight_decay: decay the weights directly, as AdamW does.

    State per parameter: ``step``, ``exp_avg``, ``exp_avg_sq`` and, with
    ``amsgrad``, ``max_exp_avg_sq``.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import Adam
        >>> w = minigrad.tensor([0.5], requires_grad=True)
        >>> opt = Adam([w], lr=0.01, betas=(0.8, 0.99), amsgrad=True)
        >>> (w * w).sum().backward(); opt.step()
        >>> sorted(opt.state[w])
        ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'step']
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=decoupled_weight_decay,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        _check_nonnegative(options, "eps")
        _check_betas(options)
        _check_nonnegative(options, "weight_decay")

    def _init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        state: dict[str, Any] = {
            "step": 0,
            "exp_avg": np.zeros_like(param),
            "exp_avg_sq": np.zeros_like(param),
        }
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros_like(param)
        return state

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
        if group["amsgrad"]:
            exp_avg_sq = np.maximum(
                state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"]
            )

        step_size = lr / (1 - beta1**step)
        denom = np.sqrt(exp_avg_sq, out=np.empty_like(exp_avg_sq))  # an array even if 0-d
        denom /= math.sqrt(1 - beta2**step)
        denom += group["eps"]
        update = np.divide(exp_avg, denom, out=denom)
        update *= step_size
        param -= update


class AdamW(Adam):
    r"""AdamW: Adam with decoupled weight decay (PyTorch's rule and defaults).

    Each step first shrinks the weights, ``p = p * (1 - lr * weight_decay)``, then
    takes an Adam step on the plain gradient. Same arguments and state as
    :class:`Adam`, but ``weight_decay`` defaults to ``1e-2``.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import AdamW
        >>> w = minigrad.tensor([1.0], requires_grad=True)
        >>> opt = AdamW([w], lr=0.1, weight_decay=0.5)
        >>> w.grad = minigrad.zeros(1)  # no gradient signal: only the decay acts
        >>> opt.step(); w
        tensor([0.95], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
