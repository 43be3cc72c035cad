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
from typing import Any

from minigrad.optim.optimizer import Optimizer

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
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
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, last_lr={self._last_lr})"


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


class LambdaLR(LRScheduler):
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
        super().__init__(optimizer, last_epoch)

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
