"""Learning-rate schedules: change each parameter group's ``lr`` as training goes on.

Call ``scheduler.step()`` once per epoch (or per batch, for ``OneCycleLR``),
after ``optimizer.step()``. The formulas and the sequences they produce are
PyTorch's.

Example:
    >>> import minigrad
    >>> from minigrad.optim import SGD
    >>> from minigrad.optim.lr_scheduler import StepLR
    >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
    >>> sched = StepLR(opt, step_size=2, gamma=0.5)
    >>> lrs = []
    >>> for epoch in range(5):
    ...     lrs.append(sched.get_last_lr()[0])
    ...     opt.step()  # ... a real epoch of training goes here
    ...     sched.step()
    >>> lrs
    [1.0, 1.0, 0.5, 0.5, 0.25]
"""

from __future__ import annotations

import copy
import math
import types
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, SupportsFloat, cast

from minigrad.optim.optimizer import Optimizer

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]


class LRScheduler:
    """Base class of learning-rate schedulers.

    A subclass implements :meth:`get_lr`, the next learning rates computed from
    ``last_epoch`` and the groups' current ``lr`` (schedules chain, as in
    PyTorch), and optionally ``_get_closed_form_lr``, the rates at
    ``last_epoch`` from ``base_lrs`` alone.

    Args:
        optimizer: the optimizer whose groups' ``lr`` it sets.
        last_epoch: the index of the last epoch; ``-1`` starts a new schedule.
            Resuming from another value needs ``initial_lr`` in every group.

    Attributes:
        base_lrs: each group's ``initial_lr``.
        last_epoch: how many times :meth:`step` has run (0 right after construction).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import LRScheduler
        >>> class Halving(LRScheduler):
        ...     def get_lr(self):
        ...         return [base / 2**self.last_epoch for base in self.base_lrs]
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = Halving(opt)
        >>> sched.step(); sched.step(); sched.get_last_lr()
        [0.25]
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming "
                        f"a scheduler with last_epoch={last_epoch}; load the optimizer's state "
                        "first, or use last_epoch=-1 for a new schedule"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        """Reset the step count and take the step that sets the first learning rate."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """Compute the learning rates for the current ``last_epoch`` (called by :meth:`step`).

        To read the learning rates in use, call :meth:`get_last_lr` instead.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ExponentialLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> ExponentialLR(opt, gamma=0.5).get_lr()
            [0.5]
        """
        raise NotImplementedError

    def step(self) -> None:
        """Advance the schedule by one epoch and set the groups' learning rates.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ExponentialLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = ExponentialLR(opt, gamma=0.5)
            >>> sched.step(); opt.param_groups[0]["lr"]
            0.5
        """
        self._step_count += 1
        self._update_lr()

    def _update_lr(self, epoch: int | None = None) -> None:
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            closed_form = getattr(self, "_get_closed_form_lr", None)
            values = closed_form() if closed_form is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        """The learning rates set by the last :meth:`step`, one per parameter group.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import StepLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=0.1)
            >>> StepLR(opt, step_size=10).get_last_lr()
            [0.1]
        """
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """The scheduler's state: every attribute except the optimizer (plain data).

        Save it together with the optimizer's ``state_dict()``.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import StepLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=0.1)
            >>> sd = StepLR(opt, step_size=10).state_dict()
            >>> sd["last_epoch"], sd["step_size"], sd["base_lrs"]
            (0, 10, [0.1])
        """
        return {k: copy.deepcopy(v) for k, v in vars(self).items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state saved by :meth:`state_dict`.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import StepLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=0.1)
            >>> sched = StepLR(opt, step_size=10)
            >>> sched.load_state_dict({**sched.state_dict(), "last_epoch": 7})
            >>> sched.last_epoch
            7
        """
        self.__dict__.update(copy.deepcopy(state_dict))

    def __repr__(self) -> str:
        epoch = getattr(self, "last_epoch", None)
        return f"{type(self).__name__}(last_epoch={epoch}, last_lr={self._last_lr})"


def _per_group(name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per parameter group: a list/tuple checked for length, or a scalar repeated."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} must have one value per parameter group: got {len(value)} values for "
                f"{len(optimizer.param_groups)} groups"
            )
        return list(value)
    return [value] * len(optimizer.param_groups)


class _LambdaScheduler(LRScheduler):
    """A schedule driven by one function of the epoch per group (LambdaLR, MultiplicativeLR).

    ``state_dict()`` stores no functions: ``lr_lambdas`` holds ``None`` for a
    plain function, or the attribute dict of a callable object.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | Sequence[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        self.optimizer = optimizer
        self.lr_lambdas: list[Callable[[int], float]] = _per_group(
            "lr_lambda", optimizer, lr_lambda
        )
        for fn in self.lr_lambdas:
            if not callable(fn):
                raise TypeError(f"lr_lambda should be a function, but got {type(fn).__name__}")
        super().__init__(optimizer, last_epoch)

    def state_dict(self) -> dict[str, Any]:
        """The state, with callable objects' attributes in place of the functions.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import LambdaLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> LambdaLR(opt, lambda epoch: 1.0).state_dict()["lr_lambdas"]
            [None]
        """
        state = {
            k: copy.deepcopy(v)
            for k, v in vars(self).items()
            if k not in ("optimizer", "lr_lambdas")
        }
        state["lr_lambdas"] = [
            None if isinstance(fn, types.FunctionType) else copy.deepcopy(vars(fn))
            for fn in self.lr_lambdas
        ]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state; callable objects get their saved attributes back.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import LambdaLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = LambdaLR(opt, lambda epoch: 0.9**epoch)
            >>> sched.load_state_dict({**sched.state_dict(), "last_epoch": 3})
            >>> sched.step(); round(sched.get_last_lr()[0], 4)
            0.6561
        """
        state = {k: v for k, v in state_dict.items() if k != "lr_lambdas"}
        self.__dict__.update(copy.deepcopy(state))
        for fn, saved in zip(self.lr_lambdas, state_dict.get("lr_lambdas", [])):
            if saved is not None:
                fn.__dict__.update(copy.deepcopy(saved))


class LambdaLR(_LambdaScheduler):
    """Set each group's learning rate to its initial one times ``lr_lambda(epoch)``.

    Args:
        optimizer: the optimizer.
        lr_lambda: a function of the epoch returning a factor, or a list of such
            functions, one per parameter group.
        last_epoch: the index of the last epoch (``-1`` to start).

    ``state_dict()`` stores no functions: ``lr_lambdas`` holds ``None`` for a
    plain function, or the attribute dict of a callable object.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import LambdaLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> warmup = LambdaLR(opt, lambda epoch: min(1.0, (epoch + 1) / 4))
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(warmup.get_last_lr()[0]); warmup.step()
        >>> lrs
        [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def get_lr(self) -> list[float]:
        """``base_lr * lr_lambda(last_epoch)`` for each group.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import LambdaLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=2.0)
            >>> LambdaLR(opt, lambda epoch: 0.5).get_lr()
            [1.0]
        """
        return [base * fn(self.last_epoch) for fn, base in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(_LambdaScheduler):
    """Multiply each group's learning rate by ``lr_lambda(epoch)`` at every epoch.

    Args:
        optimizer: the optimizer.
        lr_lambda: a function of the epoch returning a factor, or a list of such
            functions, one per parameter group.
        last_epoch: the index of the last epoch (``-1`` to start).

    ``state_dict()`` stores no functions: ``lr_lambdas`` holds ``None`` for a
    plain function, or the attribute dict of a callable object.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import MultiplicativeLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = MultiplicativeLR(opt, lambda epoch: 0.5 if epoch % 2 else 1.0)
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(sched.get_last_lr()[0]); sched.step()
        >>> lrs
        [1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def get_lr(self) -> list[float]:
        """The current rates times ``lr_lambda(last_epoch)`` (unchanged at construction).

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import MultiplicativeLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = MultiplicativeLR(opt, lambda epoch: 0.9)
            >>> sched.step(); sched.get_last_lr()
            [0.9]
        """
        groups = self.optimizer.param_groups
        if self._is_initial:
            return [group["lr"] for group in groups]
        return [group["lr"] * fn(self.last_epoch) for fn, group in zip(self.lr_lambdas, groups)]


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    Args:
        optimizer: the optimizer.
        step_size: the period of the decay, in epochs.
        gamma: the factor.
        last_epoch: the index of the last epoch (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import StepLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = StepLR(opt, step_size=3, gamma=0.1)
        >>> for _ in range(3):
        ...     sched.step()
        >>> sched.get_last_lr()
        [0.1]
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        if not isinstance(step_size, int) or step_size <= 0:
            raise ValueError(f"StepLR: step_size must be a positive integer, got {step_size}")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates, times ``gamma`` when ``last_epoch`` is a multiple of ``step_size``.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import StepLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = StepLR(opt, step_size=1, gamma=0.5)
            >>> sched.step(); sched.get_last_lr()  # step() sets what get_lr() computes
            [0.5]
        """
        groups = self.optimizer.param_groups
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` at each milestone epoch.

    Args:
        optimizer: the optimizer.
        milestones: epochs at which to decay (a milestone listed twice decays twice).
        gamma: the factor.
        last_epoch: the index of the last epoch (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import MultiStepLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = MultiStepLR(opt, milestones=[2, 4], gamma=0.5)
        >>> lrs = []
        >>> for _ in range(6):
        ...     lrs.append(sched.get_last_lr()[0]); sched.step()
        >>> lrs
        [1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Iterable[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates, times ``gamma`` (per repeat) at a milestone.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import MultiStepLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = MultiStepLR(opt, milestones=[1, 1], gamma=0.5)
            >>> sched.step(); sched.get_last_lr()
            [0.25]
        """
        groups = self.optimizer.param_groups
        if self.last_epoch not in self.milestones:
            return [group["lr"] for group in groups]
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [group["lr"] * factor for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        # (milestones may be a plain dict after a checkpoint round trip, so no Counter methods)
        passed = sum(n for epoch, n in self.milestones.items() if epoch <= self.last_epoch)
        return [base * self.gamma**passed for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch.

    Args:
        optimizer: the optimizer.
        gamma: the factor.
        last_epoch: the index of the last epoch (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import ExponentialLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = ExponentialLR(opt, gamma=0.5)
        >>> sched.step(); sched.step(); sched.get_last_lr()
        [0.25]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates times ``gamma`` (unchanged at construction).

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ExponentialLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> ExponentialLR(opt, gamma=0.9).get_lr()
            [0.9]
        """
        groups = self.optimizer.param_groups
        if self._is_initial:
            return [group["lr"] for group in groups]
        return [group["lr"] * self.gamma for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    r"""Anneal the learning rate from its initial value to ``eta_min`` along a half cosine.

    ``lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2``,
    computed recursively from the current ``lr`` as PyTorch does (so it chains
    with other schedules); past ``T_max`` the cosine continues upward.

    Args:
        optimizer: the optimizer.
        T_max: the number of epochs of the half period.
        eta_min: the minimum learning rate.
        last_epoch: the index of the last epoch (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import CosineAnnealingLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = CosineAnnealingLR(opt, T_max=4)
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(round(sched.get_last_lr()[0], 4)); sched.step()
        >>> lrs
        [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        if T_max <= 0:
            raise ValueError(f"CosineAnnealingLR: T_max must be positive, got {T_max}")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The next rates along the cosine, from the current ones.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import CosineAnnealingLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = CosineAnnealingLR(opt, T_max=2)
            >>> sched.step(); sched.get_last_lr()
            [0.5]
        """
        groups = self.optimizer.param_groups
        epoch, t_max, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return [group["lr"] for group in groups]
        if self._step_count == 1 and epoch > 0:  # resumed with last_epoch > 0
            return [
                eta_min + (base - eta_min) * (1 + math.cos(epoch * math.pi / t_max)) / 2
                for base in self.base_lrs
            ]
        if (epoch - 1 - t_max) % (2 * t_max) == 0:  # at the trough the ratio below is 0/0
            return [
                group["lr"] + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
                for base, group in zip(self.base_lrs, groups)
            ]
        ratio = (1 + math.cos(math.pi * epoch / t_max)) / (
            1 + math.cos(math.pi * (epoch - 1) / t_max)
        )
        return [ratio * (group["lr"] - eta_min) + eta_min for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            self.eta_min
            + (base - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
            for base in self.base_lrs
        ]


class LinearLR(LRScheduler):
    """Scale the learning rate by a factor going linearly from ``start_factor`` to ``end_factor``.

    The factor reaches ``end_factor`` after ``total_iters`` epochs and stays there:
    the usual warm-up.

    Args:
        optimizer: the optimizer.
        start_factor: the factor at epoch 0, in ``(0, 1]``.
        end_factor: the factor from epoch ``total_iters`` on, in ``[0, 1]``.
        total_iters: the number of epochs of the ramp.
        last_epoch: the index of the last epoch (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import LinearLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = LinearLR(opt, start_factor=0.25, total_iters=3)
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(sched.get_last_lr()[0]); sched.step()
        >>> lrs
        [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if not 0 < start_factor <= 1:
            raise ValueError(f"LinearLR: start_factor must be in (0, 1], got {start_factor}")
        if not 0 <= end_factor <= 1:
            raise ValueError(f"LinearLR: end_factor must be in [0, 1], got {end_factor}")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The next rates on the ramp, from the current ones.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import LinearLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = LinearLR(opt, start_factor=0.5, total_iters=2)
            >>> sched.step(); sched.get_last_lr()
            [0.75]
        """
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [group["lr"] * self.start_factor for group in groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return [group["lr"] for group in groups]
        span = self.end_factor - self.start_factor
        factor = 1.0 + span / (self.total_iters * self.start_factor + (self.last_epoch - 1) * span)
        return [group["lr"] * factor for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        progress = min(self.total_iters, self.last_epoch) / self.total_iters
        return [
            base * (self.start_factor + (self.end_factor - self.start_factor) * progress)
            for base in self.base_lrs
        ]


class OneCycleLR(LRScheduler):
    """The 1cycle policy: warm up to ``max_lr``, then anneal far below the start.

    Step it after every batch. The learning rate goes from ``max_lr / div_factor``
    up to ``max_lr`` over the first ``pct_start`` of ``total_steps``, then down to
    ``max_lr / div_factor / final_div_factor``; with ``cycle_momentum`` the
    momentum (or Adam's ``beta1``) moves the opposite way between
    ``max_momentum`` and ``base_momentum``.

    Args:
        optimizer: the optimizer.
        max_lr: the peak learning rate (or one per group).
        total_steps: the number of steps in the cycle; or give ``epochs`` and
            ``steps_per_epoch``.
        epochs: the number of epochs (with ``steps_per_epoch``).
        steps_per_epoch: the number of steps per epoch (with ``epochs``).
        pct_start: the fraction of the cycle spent increasing the rate.
        anneal_strategy: ``"cos"`` or ``"linear"``.
        cycle_momentum: also cycle the momentum.
        base_momentum: the lowest momentum (or one per group).
        max_momentum: the highest momentum (or one per group).
        div_factor: ``initial_lr = max_lr / div_factor``.
        final_div_factor: ``min_lr = initial_lr / final_div_factor``.
        three_phase: go back down to ``initial_lr`` before annealing to ``min_lr``.
        last_epoch: the index of the last step (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import OneCycleLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=0.1, momentum=0.9)
        >>> sched = OneCycleLR(opt, max_lr=1.0, total_steps=10, anneal_strategy="linear")
        >>> lrs = []
        >>> for _ in range(10):
        ...     lrs.append(round(sched.get_last_lr()[0], 3)); sched.step()
        >>> lrs
        [0.04, 0.52, 1.0, 0.857, 0.714, 0.571, 0.429, 0.286, 0.143, 0.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | Sequence[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | Sequence[float] = 0.85,
        max_momentum: float | Sequence[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        self.total_steps = self._count_steps(total_steps, epochs, steps_per_epoch)
        if not 0 <= pct_start <= 1:
            raise ValueError(f"OneCycleLR: pct_start must be in [0, 1], got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"OneCycleLR: anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}"
            )
        self.anneal_strategy = anneal_strategy
        self._schedule_phases = self._phases(pct_start, three_phase)

        max_lrs = _per_group("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for group, peak in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = peak / div_factor
                group["max_lr"] = peak
                group["min_lr"] = group["initial_lr"] / final_div_factor

        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(
                    f"OneCycleLR: cycle_momentum=True needs an optimizer with momentum or betas, "
                    f"but {type(optimizer).__name__} has neither; pass cycle_momentum=False"
                )
            self.use_beta1 = "betas" in optimizer.defaults
            max_moms = _per_group("max_momentum", optimizer, max_momentum)
            base_moms = _per_group("base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                for group, high, low in zip(optimizer.param_groups, max_moms, base_moms):
                    self._set_momentum(group, high)
                    group["max_momentum"] = high
                    group["base_momentum"] = low
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _count_steps(total: int | None, epochs: int | None, per_epoch: int | None) -> int:
        if total is not None:
            if not isinstance(total, int) or total <= 0:
                raise ValueError(
                    f"OneCycleLR: expected a positive integer total_steps, got {total}"
                )
            return total
        if epochs is None or per_epoch is None:
            raise ValueError("OneCycleLR: give either total_steps or (epochs and steps_per_epoch)")
        for name, n in (("epochs", epochs), ("steps_per_epoch", per_epoch)):
            if not isinstance(n, int) or n <= 0:
                raise ValueError(f"OneCycleLR: expected a positive integer {name}, got {n}")
        return epochs * per_epoch

    def _phases(self, pct_start: float, three_phase: bool) -> list[dict[str, Any]]:
        """Each phase: the step it ends at and the group keys it anneals between."""
        rise = float(pct_start * self.total_steps) - 1
        last = self.total_steps - 1
        if three_phase:
            return [
                dict(
                    end_step=rise,
                    lr=("initial_lr", "max_lr"),
                    mom=("max_momentum", "base_momentum"),
                ),
                dict(
                    end_step=float(2 * pct_start * self.total_steps) - 2,
                    lr=("max_lr", "initial_lr"),
                    mom=("base_momentum", "max_momentum"),
                ),
                dict(
                    end_step=last, lr=("initial_lr", "min_lr"), mom=("max_momentum", "max_momentum")
                ),
            ]
        return [
            dict(end_step=rise, lr=("initial_lr", "max_lr"), mom=("max_momentum", "base_momentum")),
            dict(end_step=last, lr=("max_lr", "min_lr"), mom=("base_momentum", "max_momentum")),
        ]

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def _set_momentum(self, group: dict[str, Any], momentum: float) -> None:
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def get_lr(self) -> list[float]:
        """The rates at the current step of the cycle (and, as a side effect, the momenta).

        Example:
            >>> import minigrad
            >>> from minigrad.optim import Adam
            >>> from minigrad.optim.lr_scheduler import OneCycleLR
            >>> opt = Adam([minigrad.ones(1, requires_grad=True)])
            >>> sched = OneCycleLR(opt, max_lr=0.1, total_steps=100)
            >>> sched.get_last_lr(), opt.param_groups[0]["betas"]
            ([0.004], (0.95, 0.999))
        """
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"OneCycleLR: tried to step {step} times, but total_steps is {self.total_steps}"
            )
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if step <= end_step or i == len(self._schedule_phases) - 1:
                    pct = (step - start_step) / (end_step - start_step)
                    lr = self._anneal(group[phase["lr"][0]], group[phase["lr"][1]], pct)
                    if self.cycle_momentum:
                        momentum = self._anneal(group[phase["mom"][0]], group[phase["mom"][1]], pct)
                        self._set_momentum(group, momentum)
                    break
                start_step = end_step
            lrs.append(lr)
        return lrs


class SequentialLR(LRScheduler):
    """Run schedulers one after another, switching at the milestone epochs.

    The usual use is warm-up then decay. At each milestone the next scheduler
    restarts from its epoch 0 (from its ``base_lrs``).

    Args:
        optimizer: the optimizer all the schedulers belong to.
        schedulers: the schedulers, in order (built on ``optimizer`` beforehand).
        milestones: the epochs at which to switch; one fewer than the schedulers.
        last_epoch: the index of the last epoch (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import ExponentialLR, LinearLR, SequentialLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> warmup = LinearLR(opt, start_factor=0.5, total_iters=2)
        >>> decay = ExponentialLR(opt, gamma=0.5)
        >>> sched = SequentialLR(opt, [warmup, decay], milestones=[2])
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(sched.get_last_lr()[0]); sched.step()
        >>> lrs
        [0.5, 0.75, 1.0, 0.5, 0.25]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: Sequence[LRScheduler],
        milestones: Sequence[int],
        last_epoch: int = -1,
    ) -> None:
        if len(schedulers) < 1:
            raise ValueError("SequentialLR expects at least one scheduler, but got none")
        for i, scheduler in enumerate(schedulers):
            if getattr(scheduler, "optimizer", None) is not optimizer:
                raise ValueError(
                    f"SequentialLR expects all schedulers to belong to the same optimizer, but "
                    f"scheduler {i} ({type(scheduler).__name__}) has a different one"
                )
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"SequentialLR expects one milestone fewer than schedulers, but got "
                f"{len(schedulers)} schedulers and {len(milestones)} milestones"
            )
        self._schedulers = list(schedulers)
        self._milestones = list(milestones)
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer

        # Building the schedulers stepped each of them once; undo that and start the first.
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for scheduler in self._schedulers:
            _undo_initial_step(scheduler)
        first = self._schedulers[bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def step(self) -> None:
        """Step the scheduler in charge of the current epoch (restarting it at its milestone).

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ExponentialLR, SequentialLR, StepLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> a, b = StepLR(opt, step_size=100), ExponentialLR(opt, gamma=0.1)
            >>> sched = SequentialLR(opt, [a, b], milestones=[1])
            >>> sched.step(); sched.get_last_lr()
            [1.0]
        """
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()

    def state_dict(self) -> dict[str, Any]:
        """The state, with each wrapped scheduler's state under ``_schedulers``.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ExponentialLR, SequentialLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> e = ExponentialLR(opt, gamma=0.5)
            >>> len(SequentialLR(opt, [e], milestones=[]).state_dict()["_schedulers"])
            1
        """
        state = {
            k: copy.deepcopy(v)
            for k, v in vars(self).items()
            if k not in ("optimizer", "_schedulers")
        }
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state, including the wrapped schedulers'.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ExponentialLR, SequentialLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = SequentialLR(opt, [ExponentialLR(opt, gamma=0.5)], milestones=[])
            >>> sched.load_state_dict(sched.state_dict()); sched.last_epoch
            0
        """
        state = {k: v for k, v in state_dict.items() if k != "_schedulers"}
        self.__dict__.update(copy.deepcopy(state))
        for scheduler, saved in zip(self._schedulers, state_dict["_schedulers"]):
            scheduler.load_state_dict(saved)


def _undo_initial_step(scheduler: LRScheduler) -> None:
    """Take back the epoch a scheduler counted when it was built (recursively)."""
    if isinstance(scheduler, SequentialLR):
        for s in scheduler._schedulers:
            _undo_initial_step(s)
    else:
        scheduler.last_epoch -= 1


class ConstantLR(LRScheduler):
    """Scale the learning rate by ``factor`` for the first ``total_iters`` epochs.

    Args:
        optimizer: the optimizer.
        factor: the factor until epoch ``total_iters``, in ``[0, 1]``.
        total_iters: the number of epochs the factor applies.
        last_epoch: the index of the last epoch (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import ConstantLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = ConstantLR(opt, factor=0.5, total_iters=2)
        >>> lrs = []
        >>> for _ in range(4):
        ...     lrs.append(sched.get_last_lr()[0]); sched.step()
        >>> lrs
        [0.5, 0.5, 1.0, 1.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        factor: float = 1.0 / 3,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if not 0 <= factor <= 1:
            raise ValueError(
                f"Constant multiplicative factor expected to be between 0 and 1, got {factor}"
            )
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The current rates, times ``factor`` at epoch 0 and divided by it at ``total_iters``.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ConstantLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = ConstantLR(opt, factor=0.25, total_iters=1)
            >>> sched.step(); sched.get_last_lr()
            [1.0]
        """
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [group["lr"] * self.factor for group in groups]
        if self.last_epoch != self.total_iters:
            return [group["lr"] for group in groups]
        return [group["lr"] * (1.0 / self.factor) for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        done = self.last_epoch >= self.total_iters
        return [base * (self.factor + done * (1 - self.factor)) for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Decay the learning rate as ``(1 - epoch / total_iters) ** power``, to 0 at ``total_iters``.

    Args:
        optimizer: the optimizer.
        total_iters: the number of epochs of the decay.
        power: the power of the polynomial (1 decays linearly).
        last_epoch: the index of the last epoch (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import PolynomialLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = PolynomialLR(opt, total_iters=4, power=2.0)
        >>> lrs = []
        >>> for _ in range(6):
        ...     lrs.append(sched.get_last_lr()[0]); sched.step()
        >>> lrs
        [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        total_iters: int = 5,
        power: float = 1.0,
        last_epoch: int = -1,
    ) -> None:
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The next rates along the polynomial, from the current ones.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import PolynomialLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = PolynomialLR(opt, total_iters=2)
            >>> sched.step(); sched.get_last_lr()
            [0.5]
        """
        groups = self.optimizer.param_groups
        if self._is_initial or self.last_epoch > self.total_iters:
            return [group["lr"] for group in groups]
        epoch, total = self.last_epoch, self.total_iters
        factor = ((1.0 - epoch / total) / (1.0 - (epoch - 1) / total)) ** self.power
        return [group["lr"] * factor for group in groups]

    def _get_closed_form_lr(self) -> list[float]:
        progress = min(self.total_iters, self.last_epoch) / self.total_iters
        return [base * (1.0 - progress) ** self.power for base in self.base_lrs]


class CosineAnnealingWarmRestarts(LRScheduler):
    r"""Cosine annealing with warm restarts (SGDR): back to the initial rate every cycle.

    ``lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2``, where
    ``T_cur`` counts the epochs since the last restart and the cycle length
    ``T_i`` starts at ``T_0`` and is multiplied by ``T_mult`` at each restart.

    Args:
        optimizer: the optimizer.
        T_0: the length of the first cycle, in epochs.
        T_mult: the factor by which each cycle is longer than the previous one.
        eta_min: the minimum learning rate.
        last_epoch: the index of the last epoch (``-1`` to start).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import CosineAnnealingWarmRestarts
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
        >>> lrs = []
        >>> for _ in range(7):
        ...     lrs.append(round(sched.get_last_lr()[0], 3)); sched.step()
        >>> lrs
        [1.0, 0.5, 1.0, 0.854, 0.5, 0.146, 1.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        T_0: int,
        T_mult: int = 1,
        eta_min: float = 0.0,
        last_epoch: int = -1,
    ) -> None:
        if not isinstance(T_0, int) or T_0 <= 0:
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(
                f"Expected float or int eta_min, but got {eta_min} of type {type(eta_min).__name__}"
            )
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The rates at ``T_cur`` epochs into a cycle of ``T_i``.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import CosineAnnealingWarmRestarts
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = CosineAnnealingWarmRestarts(opt, T_0=4)
            >>> sched.step(); sched.step(); sched.get_last_lr()
            [0.5]
        """
        eta_min, cosine = self.eta_min, math.cos(math.pi * self.T_cur / self.T_i)
        return [eta_min + (base - eta_min) * (1 + cosine) / 2 for base in self.base_lrs]

    def step(self) -> None:
        """Advance one epoch, restarting the cycle when it is over.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import CosineAnnealingWarmRestarts
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = CosineAnnealingWarmRestarts(opt, T_0=1)
            >>> sched.step(); sched.get_last_lr(), sched.T_cur
            ([1.0], 0)
        """
        self._step_count += 1
        if self.last_epoch < 0:  # the first step, from the constructor
            self.T_i, self.T_cur = self.T_0, 0
            self.last_epoch = 0
        else:
            self.last_epoch += 1
            self.T_cur += 1
            if self.T_cur >= self.T_i:
                self.T_cur %= self.T_i
                self.T_i *= self.T_mult
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]


class CyclicLR(LRScheduler):
    """Cycle the learning rate between ``base_lr`` and ``max_lr`` (the CLR policy).

    Step it after every batch. Each cycle rises for ``step_size_up`` steps and
    falls for ``step_size_down``; its height is scaled per cycle (``triangular``:
    1, ``triangular2``: halved each cycle) or per step (``exp_range``:
    ``gamma ** step``), or by ``scale_fn``. With ``cycle_momentum`` the momentum
    (or Adam's ``beta1``) moves the opposite way between ``max_momentum`` and
    ``base_momentum``.

    Args:
        optimizer: the optimizer.
        base_lr: the lower bound (or one per group); it replaces the groups' ``lr``.
        max_lr: the upper bound (or one per group).
        step_size_up: steps in the rising half of a cycle.
        step_size_down: steps in the falling half (default ``step_size_up``).
        mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
        gamma: the base of ``exp_range``'s scaling.
        scale_fn: a custom scaling of the height, in ``[0, 1]`` (then ``mode`` is ignored).
        scale_mode: whether ``scale_fn`` takes the cycle number (``"cycle"``) or
            the step (``"iterations"``).
        cycle_momentum: also cycle the momentum.
        base_momentum: the lower momentum bound (or one per group).
        max_momentum: the upper momentum bound (or one per group).
        last_epoch: the index of the last step (``-1`` to start).

    ``state_dict()`` stores no functions: ``_scale_fn_custom`` holds ``None``
    for a plain function, or the attribute dict of a callable object.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import CyclicLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=0.1, momentum=0.9)
        >>> sched = CyclicLR(opt, base_lr=0.1, max_lr=0.5, step_size_up=2, mode="triangular2")
        >>> lrs = []
        >>> for _ in range(9):
        ...     lrs.append(round(sched.get_last_lr()[0], 3)); sched.step()
        >>> lrs
        [0.1, 0.3, 0.5, 0.3, 0.1, 0.2, 0.3, 0.2, 0.1]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | Sequence[float],
        max_lr: float | Sequence[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float | Sequence[float] = 0.8,
        max_momentum: float | Sequence[float] = 0.9,
        last_epoch: int = -1,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        base_lrs = _per_group("base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = _per_group("max_lr", optimizer, max_lr)

        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError(
                f"CyclicLR: mode must be 'triangular', 'triangular2' or 'exp_range' when no "
                f"scale_fn is given, got {mode!r}"
            )
        if scale_mode not in ("cycle", "iterations"):
            raise ValueError(
                f"CyclicLR: scale_mode must be 'cycle' or 'iterations', got {scale_mode!r}"
            )
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        self._init_scale_fn()

        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError(
                    f"optimizer must support momentum or beta1 with `cycle_momentum` option "
                    f"enabled, but {type(optimizer).__name__} has neither; pass "
                    "cycle_momentum=False"
                )
            self.use_beta1 = "betas" in optimizer.defaults
            self.base_momentums = _per_group("base_momentum", optimizer, base_momentum)
            self.max_momentums = _per_group("max_momentum", optimizer, max_momentum)
            if last_epoch == -1:
                for high, low, group in zip(
                    self.max_momentums, self.base_momentums, optimizer.param_groups
                ):
                    self._set_momentum(group, high)
                    group["max_momentum"] = high
                    group["base_momentum"] = low
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _init_scale_fn(self) -> None:
        if self._scale_fn_custom is not None:
            return
        if self.mode == "triangular":
            self._scale_fn_ref: Callable[[float], float] = _triangular_scale
            self.scale_mode = "cycle"
        elif self.mode == "triangular2":
            self._scale_fn_ref = _triangular2_scale
            self.scale_mode = "cycle"
        else:
            self._scale_fn_ref = partial(_exp_range_scale, self.gamma)
            self.scale_mode = "iterations"

    def scale_fn(self, x: float) -> float:
        """The height factor at ``x`` (a cycle number or a step, per ``scale_mode``).

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import CyclicLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], momentum=0.9)
            >>> CyclicLR(opt, 0.1, 1.0, mode="triangular2").scale_fn(3)
            0.25
        """
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        return self._scale_fn_ref(x)

    def _set_momentum(self, group: dict[str, Any], momentum: float) -> None:
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def get_lr(self) -> list[float]:
        """The rates at the current step of the cycle (and, as a side effect, the momenta).

        Example:
            >>> import minigrad
            >>> from minigrad.optim import Adam
            >>> from minigrad.optim.lr_scheduler import CyclicLR
            >>> opt = Adam([minigrad.ones(1, requires_grad=True)])
            >>> sched = CyclicLR(opt, base_lr=0.0, max_lr=1.0, step_size_up=4)
            >>> sched.step(); sched.get_last_lr(), opt.param_groups[0]["betas"]
            ([0.25], (0.875, 0.999))
        """
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [
            base + (high - base) * scale_factor * scale
            for base, high in zip(self.base_lrs, self.max_lrs)
        ]
        if self.cycle_momentum:
            for group, low, high in zip(
                self.optimizer.param_groups, self.base_momentums, self.max_momentums
            ):
                self._set_momentum(group, high - (high - low) * scale_factor * scale)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        """The state, without functions (a callable object's attributes instead).

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import CyclicLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], momentum=0.9)
            >>> sd = CyclicLR(opt, 0.1, 1.0, scale_fn=lambda x: 0.5).state_dict()
            >>> sd["_scale_fn_custom"], "_scale_fn_ref" in sd
            (None, False)
        """
        skip = ("optimizer", "_scale_fn_ref", "_scale_fn_custom")
        state = {k: copy.deepcopy(v) for k, v in vars(self).items() if k not in skip}
        fn = self._scale_fn_custom
        keep = fn is not None and not isinstance(fn, types.FunctionType)
        state["_scale_fn_custom"] = copy.deepcopy(vars(fn)) if keep else None
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state; a callable ``scale_fn`` object gets its attributes back.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import CyclicLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], momentum=0.9)
            >>> sched = CyclicLR(opt, 0.1, 1.0, step_size_up=10)
            >>> sched.load_state_dict({**sched.state_dict(), "last_epoch": 5}); sched.step()
            >>> round(sched.get_last_lr()[0], 2)
            0.64
        """
        state = {k: v for k, v in state_dict.items() if k != "_scale_fn_custom"}
        self.__dict__.update(copy.deepcopy(state))
        saved = state_dict.get("_scale_fn_custom")
        if saved is not None and self._scale_fn_custom is not None:
            self._scale_fn_custom.__dict__.update(copy.deepcopy(saved))
        self._init_scale_fn()


def _triangular_scale(x: float) -> float:
    return 1.0


def _triangular2_scale(x: float) -> float:
    return 1 / (2.0 ** (x - 1))


def _exp_range_scale(gamma: float, x: float) -> float:
    return float(gamma**x)


class ChainedScheduler(LRScheduler):
    """Step several schedulers together, every step: their factors multiply.

    Args:
        schedulers: the schedulers, all on the same optimizer.
        optimizer: that optimizer (default: the first scheduler's).

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import ChainedScheduler, ConstantLR, ExponentialLR
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> warm = ConstantLR(opt, factor=0.1, total_iters=2)
        >>> decay = ExponentialLR(opt, gamma=0.5)
        >>> sched = ChainedScheduler([warm, decay])
        >>> lrs = []
        >>> for _ in range(4):
        ...     lrs.append(round(sched.get_last_lr()[0], 4)); sched.step()
        >>> lrs
        [0.1, 0.05, 0.25, 0.125]
    """

    def __init__(
        self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None
    ) -> None:
        if len(schedulers) < 1:
            raise ValueError(
                "ChainedScheduler expects at least one scheduler to be chained, but got no "
                "scheduler."
            )
        optimizer = optimizer or schedulers[0].optimizer
        for i, scheduler in enumerate(schedulers):
            if not hasattr(scheduler, "optimizer"):
                raise TypeError(
                    f"ChainedScheduler at index {i} should have `optimizer` as its attribute."
                )
            if isinstance(scheduler, ReduceLROnPlateau):
                raise ValueError(
                    "ChainedScheduler does not support `ReduceLROnPlateau` scheduler as it "
                    "requires additional kwargs to be specified when calling `step`, but got "
                    f"one at index {i} in the given schedulers sequence."
                )
            if scheduler.optimizer is not optimizer:
                raise ValueError(
                    "ChainedScheduler expects all schedulers to belong to the same optimizer, "
                    f"but scheduler {type(scheduler).__name__} at index {i} has a different one"
                )
        self._schedulers = list(schedulers)
        self.optimizer = optimizer
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def step(self) -> None:
        """Step every scheduler, in order.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ChainedScheduler, ExponentialLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> a, b = ExponentialLR(opt, gamma=0.5), ExponentialLR(opt, gamma=0.5)
            >>> sched = ChainedScheduler([a, b]); sched.step(); sched.get_last_lr()
            [0.25]
        """
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """The state, with each wrapped scheduler's state under ``_schedulers``.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ChainedScheduler, ExponentialLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sd = ChainedScheduler([ExponentialLR(opt, gamma=0.5)]).state_dict()
            >>> sd["_schedulers"][0]["gamma"]
            0.5
        """
        state = {
            k: copy.deepcopy(v)
            for k, v in vars(self).items()
            if k not in ("optimizer", "_schedulers")
        }
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state, including the wrapped schedulers'.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ChainedScheduler, ExponentialLR
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = ChainedScheduler([ExponentialLR(opt, gamma=0.5)])
            >>> sched.load_state_dict(sched.state_dict()); sched.get_last_lr()
            [1.0]
        """
        state = {k: v for k, v in state_dict.items() if k != "_schedulers"}
        self.__dict__.update(copy.deepcopy(state))
        for scheduler, saved in zip(self._schedulers, state_dict["_schedulers"]):
            scheduler.load_state_dict(saved)


class ReduceLROnPlateau(LRScheduler):
    """Cut the learning rate by ``factor`` when a metric stops improving.

    Call ``scheduler.step(metric)`` after each validation. When the metric has
    not improved (by more than ``threshold``) for more than ``patience`` calls,
    every group's ``lr`` becomes ``max(lr * factor, min_lr)`` (changes smaller
    than ``eps`` are skipped), then ``cooldown`` calls pass before counting again.

    Args:
        optimizer: the optimizer.
        mode: ``"min"`` (lower is better, e.g. a loss) or ``"max"`` (e.g. accuracy).
        factor: the cut, below 1.
        patience: how many calls without improvement to tolerate.
        threshold: the smallest change that counts as an improvement.
        threshold_mode: ``"rel"`` (relative to the best so far) or ``"abs"``.
        cooldown: calls to wait after a cut before counting bad ones again.
        min_lr: the lowest learning rate (or one per group).
        eps: the smallest change of the learning rate worth making.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import SGD
        >>> from minigrad.optim.lr_scheduler import ReduceLROnPlateau
        >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
        >>> sched = ReduceLROnPlateau(opt, factor=0.5, patience=1)
        >>> lrs = []
        >>> for val_loss in [3.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0]:
        ...     sched.step(val_loss); lrs.append(sched.get_last_lr()[0])
        >>> lrs
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | Sequence[float] = 0,
        eps: float = 1e-8,
    ) -> None:
        if factor >= 1.0:
            raise ValueError(f"Factor should be < 1.0, got {factor}")
        self.factor = factor
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            self.default_min_lr: float | None = None
            self.min_lrs = _per_group("min_lr", optimizer, min_lr)
        else:
            self.default_min_lr = cast(float, min_lr)
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]
        self._init_is_better(mode, threshold, threshold_mode)
        self._reset()

    def _reset(self) -> None:
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def _init_is_better(self, mode: str, threshold: float, threshold_mode: str) -> None:
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode} is unknown! (expected 'min' or 'max')")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(
                f"threshold mode {threshold_mode} is unknown! (expected 'rel' or 'abs')"
            )
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode, self.threshold, self.threshold_mode = mode, threshold, threshold_mode

    def _is_better(self, a: float, best: float) -> bool:
        if self.mode == "min":
            return a < (
                best * (1.0 - self.threshold)
                if self.threshold_mode == "rel"
                else best - self.threshold
            )
        return a > (
            best * (self.threshold + 1.0) if self.threshold_mode == "rel" else best + self.threshold
        )

    @property
    def in_cooldown(self) -> bool:
        """Whether the scheduler is waiting out its cooldown after a cut.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ReduceLROnPlateau
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = ReduceLROnPlateau(opt, patience=0, cooldown=2)
            >>> sched.step(1.0); sched.step(1.0); sched.in_cooldown
            True
        """
        return self.cooldown_counter > 0

    def step(self, metrics: SupportsFloat) -> None:  # type: ignore[override]
        """Record one value of the metric; cut the learning rates after too many bad ones.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ReduceLROnPlateau
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = ReduceLROnPlateau(opt, mode="max", patience=0)
            >>> sched.step(0.5); sched.step(0.4); sched.get_last_lr()
            [0.1]
        """
        current = float(metrics)
        self.last_epoch += 1
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _reduce_lr(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"The number of param groups in the `optimizer` ({len(groups)}) differs "
                    f"from when `ReduceLROnPlateau` was initialized ({len(self.min_lrs)}), "
                    "usually due to a new param group being added to the optimizer. Please "
                    "modify the `min_lrs` field to match the length of the `optimizer` param "
                    "groups."
                )
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state saved by :meth:`state_dict`.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import SGD
            >>> from minigrad.optim.lr_scheduler import ReduceLROnPlateau
            >>> opt = SGD([minigrad.ones(1, requires_grad=True)], lr=1.0)
            >>> sched = ReduceLROnPlateau(opt)
            >>> sched.step(2.0); sched.load_state_dict(sched.state_dict()); sched.best
            2.0
        """
        self.__dict__.update(copy.deepcopy(state_dict))
        self._init_is_better(self.mode, self.threshold, self.threshold_mode)
