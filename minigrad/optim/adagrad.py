"""Adagrad: per-coordinate learning rates that shrink with the sum of squared gradients.

Example:
    >>> import minigrad
    >>> from minigrad.optim import Adagrad
    >>> w = minigrad.tensor([1.0, 1.0], requires_grad=True)
    >>> opt = Adagrad([w], lr=0.5)
    >>> w.grad = minigrad.tensor([4.0, 0.1])
    >>> opt.step(); w  # the first step is lr * sign(grad)
    tensor([0.5, 0.5], requires_grad=True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.optim.optimizer import Optimizer, ParamsT, _check_nonnegative, _l2_grad


class Adagrad(Optimizer):
    r"""Adagrad (PyTorch's rule and defaults).

    For each parameter at step ``t``, with ``g = ±grad + weight_decay * p``::

        s = s + g**2                    (s starts at initial_accumulator_value)
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (sqrt(s) + eps)

    Args:
        params: parameters or parameter groups to optimize.
        lr: learning rate.
        lr_decay: learning-rate decay per step.
        weight_decay: L2 penalty added to the gradient.
        initial_accumulator_value: the starting value of the sum of squares.
        eps: added to the denominator for numerical stability.
        foreach, fused: accepted for PyTorch compatibility; they pick between
            PyTorch kernels for the same update and change nothing here.
        maximize: maximize the objective instead of minimizing it.
        differentiable: must be False (see :meth:`Optimizer._check_options`).

    State per parameter: ``step`` and ``sum``.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import Adagrad
        >>> w = minigrad.tensor([1.0], requires_grad=True)
        >>> opt = Adagrad([w], lr=0.1, lr_decay=0.01)
        >>> w.grad = minigrad.tensor([2.0]); opt.step()
        >>> opt.state[w]["sum"], opt.state[w]["step"]
        (array([4.], dtype=float32), 1)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            eps=eps,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            fused=fused,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        _check_nonnegative(options, "lr_decay", "weight_decay", "initial_accumulator_value", "eps")

    def _init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        return {"step": 0, "sum": np.full_like(param, group["initial_accumulator_value"])}

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        state["step"] = step = state["step"] + 1
        g = _l2_grad(param, grad, group["weight_decay"], group["maximize"])
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])

        state_sum = state["sum"]
        state_sum += np.square(g)
        denom = np.sqrt(state_sum, out=np.empty_like(state_sum))  # an array even if 0-d
        denom += group["eps"]
        update = np.divide(g, denom, out=denom)
        update *= clr
        param -= update
