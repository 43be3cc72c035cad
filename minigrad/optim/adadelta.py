"""Adadelta: step sizes from running averages of squared gradients and squared updates.

Example:
    >>> import minigrad
    >>> from minigrad.optim import Adadelta
    >>> w = minigrad.tensor([1.0], dtype=minigrad.float64, requires_grad=True)
    >>> opt = Adadelta([w])
    >>> w.grad = minigrad.tensor([2.0], dtype=minigrad.float64)
    >>> opt.step(); round(w.item(), 6)  # 1 - sqrt(1e-6) / sqrt(0.1 * 4 + 1e-6) * 2
    0.996838
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.optim.optimizer import Optimizer, ParamsT, _check_nonnegative, _l2_grad


class Adadelta(Optimizer):
    r"""Adadelta (PyTorch's rule and defaults).

    For each parameter, with ``g = ±grad + weight_decay * p``::

        v = rho * v + (1 - rho) * g**2
        delta = sqrt(u + eps) / sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta**2
        p = p - lr * delta

    Args:
        params: parameters or parameter groups to optimize.
        lr: a factor on every update.
        rho: decay rate of both running averages, in ``[0, 1]``.
        eps: added inside both square roots.
        weight_decay: L2 penalty added to the gradient.
        foreach: accepted for PyTorch compatibility; it picks between PyTorch
            kernels for the same update and changes nothing here.
        capturable, differentiable: must be False (see :meth:`Optimizer._check_options`).
        maximize: maximize the objective instead of minimizing it.

    State per parameter: ``step``, ``square_avg`` (``v``) and ``acc_delta`` (``u``).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import Adadelta
        >>> w = minigrad.tensor([0.5, -0.5], requires_grad=True)
        >>> opt = Adadelta([w], lr=1.0, rho=0.95, weight_decay=0.1)
        >>> (w * w).sum().backward(); opt.step()
        >>> sorted(opt.state[w]), opt.state[w]["step"]
        (['acc_delta', 'square_avg', 'step'], 1)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            rho=rho,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
            capturable=capturable,
            foreach=foreach,
            differentiable=differentiable,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        if not 0.0 <= options["rho"] <= 1.0:
            raise ValueError(f"Invalid rho value: {options['rho']} (expected [0, 1])")
        _check_nonnegative(options, "eps", "weight_decay")

    def _init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        return {"step": 0, "square_avg": np.zeros_like(param), "acc_delta": np.zeros_like(param)}

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        rho, eps = group["rho"], group["eps"]
        state["step"] += 1
        g = _l2_grad(param, grad, group["weight_decay"], group["maximize"])

        square_avg, acc_delta = state["square_avg"], state["acc_delta"]
        square_avg *= rho
        square_avg += (1 - rho) * np.square(g)
        std = np.sqrt(square_avg + eps)
        delta = np.sqrt(acc_delta + eps)
        delta /= std
        delta *= g
        acc_delta *= rho
        acc_delta += (1 - rho) * np.square(delta)
        delta *= group["lr"]
        param -= delta
