"""ASGD: stochastic gradient descent with a decaying step and a running average of the iterates.

Example:
    >>> import minigrad
    >>> from minigrad.optim import ASGD
    >>> w = minigrad.tensor([1.0], dtype=minigrad.float64, requires_grad=True)
    >>> opt = ASGD([w], lr=0.1, t0=0)
    >>> for _ in range(3):
    ...     w.grad = minigrad.tensor([1.0], dtype=minigrad.float64); opt.step()
    >>> round(w.item(), 4), round(opt.state[w]["ax"].item(), 4)  # the average trails the iterate
    (0.7, 0.75)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.optim.optimizer import Optimizer, ParamsT, _check_nonnegative, _l2_grad


class ASGD(Optimizer):
    r"""Averaged SGD (PyTorch's rule and defaults).

    For each parameter at step ``t``, with ``g = ±grad + weight_decay * p``::

        p = p * (1 - lambd * eta) - eta * g
        ax = ax + mu * (p - ax)                 (ax = p while mu == 1)
        eta = lr / (1 + lambd * lr * t) ** alpha
        mu = 1 / max(1, t - t0)

    ``eta`` starts at ``lr`` and ``mu`` at 1; the parameters follow plain
    (decayed) SGD, and ``state["ax"]`` holds their average from step ``t0`` on:
    that average is the estimate to use at the end.

    Args:
        params: parameters or parameter groups to optimize.
        lr: learning rate.
        lambd: decay term.
        alpha: power of the step-size decay.
        t0: the step at which averaging starts.
        weight_decay: L2 penalty added to the gradient.
        foreach: accepted for PyTorch compatibility; it picks between PyTorch
            kernels for the same update and changes nothing here.
        maximize: maximize the objective instead of minimizing it.
        differentiable, capturable: must be False (see :meth:`Optimizer._check_options`).

    (As in PyTorch, every argument here may be given by position.)

    State per parameter: ``step``, ``eta`` and ``mu`` (Python numbers) and ``ax``.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import ASGD
        >>> w = minigrad.tensor([0.5], requires_grad=True)
        >>> opt = ASGD([w], lr=0.5, lambd=0.1, alpha=1.0)
        >>> (w * w).sum().backward(); opt.step()
        >>> opt.state[w]["eta"]  # 0.5 / (1 + 0.1 * 0.5 * 1)
        0.47619047619047616
    """

    _scalar_state = ("step", "eta", "mu")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0.0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            lambd=lambd,
            alpha=alpha,
            t0=t0,
            weight_decay=weight_decay,
            foreach=foreach,
            maximize=maximize,
            differentiable=differentiable,
            capturable=capturable,
        )
        super().__init__(params, defaults)

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        _check_nonnegative(options, "weight_decay")

    def _init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        return {"step": 0, "eta": float(group["lr"]), "mu": 1.0, "ax": np.zeros_like(param)}

    def _update(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> None:
        lr, lambd = group["lr"], group["lambd"]
        state["step"] = step = state["step"] + 1
        g = _l2_grad(param, grad, group["weight_decay"], group["maximize"])

        eta, ax = state["eta"], state["ax"]
        param *= 1 - lambd * eta
        param -= eta * g
        if state["mu"] != 1:
            ax += state["mu"] * (param - ax)
        else:
            np.copyto(ax, param)
        state["eta"] = lr / (1 + lambd * lr * step) ** group["alpha"]
        state["mu"] = 1 / max(1, step - group["t0"])
