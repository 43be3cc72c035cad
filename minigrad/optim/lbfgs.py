"""L-BFGS: a quasi-Newton method that re-evaluates the loss through a closure.

Example:
    >>> import minigrad
    >>> from minigrad.optim import LBFGS
    >>> x = minigrad.tensor([-1.5, 2.0], dtype=minigrad.float64, requires_grad=True)
    >>> opt = LBFGS([x], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2  # Rosenbrock's valley
    ...     loss.backward()
    ...     return loss
    >>> for _ in range(3):
    ...     loss = opt.step(closure)
    >>> [round(v, 6) for v in x.tolist()]
    [1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from minigrad.autograd import enable_grad, no_grad
from minigrad.optim.optimizer import Optimizer, ParamsT, _load_value
from minigrad.tensor import Tensor

Objective = Callable[[list[np.ndarray], float, np.ndarray], tuple[float, np.ndarray]]


class LBFGS(Optimizer):
    """L-BFGS (PyTorch's algorithm, defaults and state; after Schmidt's minFunc).

    Each :meth:`step` runs up to ``max_iter`` iterations, each a step along the
    direction given by the last ``history_size`` gradient and position changes
    (the two-loop recursion), of length ``lr`` (the first iteration ever:
    ``lr * min(1, 1 / sum|grad|)``) or as found by a strong-Wolfe line search.
    It stops early when the gradient's largest entry is at most
    ``tolerance_grad``, or the step or the loss changes by less than
    ``tolerance_change``, or after ``max_eval`` evaluations of the closure.

    All the parameters are treated as one flat vector, so there is a single
    parameter group. A parameter whose ``.grad`` is ``None`` counts as a zero
    gradient.

    Args:
        params: the parameters to optimize (one group only).
        lr: the step length (the line search's first trial with ``strong_wolfe``).
        max_iter: the most iterations per :meth:`step`.
        max_eval: the most closure evaluations per step (default ``max_iter * 5 // 4``).
        tolerance_grad: stop when ``max|grad| <= tolerance_grad``.
        tolerance_change: stop when the step or the loss changes less than this.
        history_size: how many past updates approximate the inverse Hessian.
        line_search_fn: ``None`` (fixed step ``lr``) or ``"strong_wolfe"``.

    State (on the first parameter, as in PyTorch): ``func_evals``, ``n_iter``,
    ``d`` (the last direction), ``t`` (its step length), ``old_dirs``, ``old_stps``
    (lists of gradient and position changes), ``ro``, ``H_diag``,
    ``prev_flat_grad``, ``prev_loss`` and ``al``; flat arrays and Python numbers.

    Example:
        >>> import minigrad
        >>> from minigrad.optim import LBFGS
        >>> w = minigrad.tensor([3.0, -2.0], dtype=minigrad.float64, requires_grad=True)
        >>> target = minigrad.tensor([1.0, 2.0], dtype=minigrad.float64)
        >>> opt = LBFGS([w], lr=1.0, max_iter=10)
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = ((w - target) ** 2).sum()
        ...     loss.backward()
        ...     return loss
        >>> opt.step(closure).item()  # the loss before the step
        20.0
        >>> w.tolist(), opt.state[w]["n_iter"]
        ([1.0, 2.0], 2)
    """

    _scalar_state = ("func_evals", "n_iter", "t", "H_diag", "prev_loss")

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError(
                "LBFGS doesn't support per-parameter options (parameter groups): got "
                f"{len(self.param_groups)} groups, expected 1"
            )

    def _check_options(self, options: dict[str, Any]) -> None:
        super()._check_options(options)
        if options["line_search_fn"] not in (None, "strong_wolfe"):
            raise ValueError(
                f"LBFGS: line_search_fn must be None or 'strong_wolfe', got "
                f"{options['line_search_fn']!r}"
            )
        for name in ("max_iter", "max_eval", "history_size"):
            if not (isinstance(options[name], int) and options[name] >= 1):
                raise ValueError(f"LBFGS: {name} must be a positive integer, got {options[name]!r}")

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add the (only) parameter group; a second one raises ``ValueError``.

        Example:
            >>> import minigrad
            >>> from minigrad.optim import LBFGS
            >>> opt = LBFGS([minigrad.ones(2, requires_grad=True)])
            >>> opt.add_param_group({"params": [minigrad.ones(1, requires_grad=True)]})
            Traceback (most recent call last):
                ...
            ValueError: LBFGS doesn't support per-parameter options (parameter groups): ...
        """
        if self.param_groups:
            raise ValueError(
                "LBFGS doesn't support per-parameter options (parameter groups): it has one "
                "group already"
            )
        super().add_param_group(param_group)

    # ------------------------------------------------------------------ flat views
    @property
    def _params(self) -> list[Tensor]:
        params: list[Tensor] = self.param_groups[0]["params"]
        return params

    def _flat_grad(self) -> np.ndarray:
        dtype = np.result_type(*[p._data.dtype for p in self._params])
        return np.concatenate(
            [
                np.zeros(p.numel(), dtype) if p.grad is None else p.grad._data.reshape(-1)
                for p in self._params
            ]
        ).astype(dtype, copy=False)

    def _add_step(self, step_size: float, direction: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            n = p.numel()
            p._data += (step_size * direction[offset : offset + n]).reshape(p.shape)
            p._version += 1
            offset += n

    def _set_params(self, values: list[np.ndarray]) -> None:
        for p, value in zip(self._params, values):
            np.copyto(p._data, value)
            p._version += 1

    def _evaluate(self, closure: Callable[[], Any]) -> float:
        with enable_grad():
            loss = closure()
        return float(loss.item() if isinstance(loss, Tensor) else loss)

    # ------------------------------------------------------------------ the step
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Run up to ``max_iter`` L-BFGS iterations; ``closure`` is required.

        Args:
            closure: a function that zeroes the gradients, computes the loss,
                calls ``backward()`` and returns the loss. It runs with
                gradients enabled, once or more per iteration.

        Returns:
            The closure's first loss of this step (before any update).

        Example:
            >>> import minigrad
            >>> from minigrad.optim import LBFGS
            >>> w = minigrad.tensor([2.0], dtype=minigrad.float64, requires_grad=True)
            >>> opt = LBFGS([w], line_search_fn="strong_wolfe")
            >>> def closure():
            ...     opt.zero_grad(); loss = ((w - 1) ** 4).sum(); loss.backward(); return loss
            >>> opt.step(closure).item(), round(w.item(), 2)
            (1.0, 1.0)
        """
        if closure is None:
            raise TypeError(
                "LBFGS.step needs a closure that re-evaluates the model and returns the loss "
                "(it evaluates the loss several times per step), but got None"
            )
        with no_grad():
            return self._step(closure)

    def _step(self, closure: Callable[[], Any]) -> Any:
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        with enable_grad():
            orig_loss = closure()
        loss = float(orig_loss.item() if isinstance(orig_loss, Tensor) else orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return orig_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        H_diag = state.get("H_diag")
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            if state["n_iter"] == 1:  # the very first iteration: steepest descent
                d = -flat_grad
                old_dirs, old_stps, ro, H_diag = [], [], [], 1.0
            else:
                assert d is not None and t is not None and prev_flat_grad is not None
                assert old_dirs is not None and old_stps is not None and ro is not None
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y @ s)
                if ys > 1e-10:  # keep the curvature pair only if it is positive
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / float(y @ y)
                assert H_diag is not None
                if "al" not in state:
                    state["al"] = [None] * history_size
                d = _two_loop(flat_grad, old_dirs, old_stps, ro, H_diag, state["al"])

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                np.copyto(prev_flat_grad, flat_grad)
            prev_loss = loss

            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / float(np.abs(flat_grad).sum())) * lr
            else:
                t = lr
            gtd = float(flat_grad @ d)
            if gtd > -tolerance_change:  # not a descent direction
                break

            ls_func_evals = 0
            if group["line_search_fn"] == "strong_wolfe":
                x_init = [p._data.copy() for p in self._params]

                def objective(x: list[np.ndarray], step: float, direction: np.ndarray) -> Any:
                    self._add_step(step, direction)
                    value = self._evaluate(closure)
                    grad = self._flat_grad()
                    self._set_params(x)
                    return value, grad

                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    objective, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_step(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_step(t, d)
                opt_cond = False
                if n_iter != max_iter:  # re-evaluate, unless this was the last iteration
                    loss = self._evaluate(closure)
                    flat_grad = self._flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if (
                n_iter == max_iter
                or current_evals >= max_eval
                or opt_cond
                or np.abs(d * t).max() <= tolerance_change
                or abs(loss - prev_loss) < tolerance_change
            ):
                break

        state.update(
            d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=H_diag,
            prev_flat_grad=prev_flat_grad, prev_loss=prev_loss,
        )  # fmt: skip
        return orig_loss

    def _load_param_state(self, key: Any, values: dict[str, Any], param: Tensor) -> dict[str, Any]:
        """The flat state of all parameters (kept on the first one), in their dtype."""
        numel = sum(p.numel() for p in self._params)
        state = {k: _load_value(v, param, k in self._scalar_state) for k, v in values.items()}
        for name in ("ro", "al"):
            if name in state:
                state[name] = [None if v is None else float(np.asarray(v)) for v in state[name]]
        arrays = [(k, v) for k, v in state.items() if isinstance(v, np.ndarray)]
        arrays += [(k, v) for k in ("old_dirs", "old_stps") for v in state.get(k) or []]
        for name, value in arrays:
            if value.shape != (numel,):
                raise ValueError(
                    f"loaded LBFGS state {name!r} has shape {value.shape}, but the parameters "
                    f"hold {numel} elements"
                )
        return state


def _two_loop(
    flat_grad: np.ndarray,
    old_dirs: list[np.ndarray],
    old_stps: list[np.ndarray],
    ro: list[float],
    H_diag: float,
    al: list[Any],
) -> np.ndarray:
    """The L-BFGS direction ``-H grad`` by the two-loop recursion (``al`` is scratch space)."""
    q = -flat_grad
    for i in range(len(old_dirs) - 1, -1, -1):
        al[i] = float(old_stps[i] @ q) * ro[i]
        q -= al[i] * old_dirs[i]
    r = q * H_diag
    for i in range(len(old_dirs)):
        be_i = float(old_dirs[i] @ r) * ro[i]
        r += (al[i] - be_i) * old_stps[i]
    return r


def _cubic_interpolate(
    x1: float,
    f1: float,
    g1: float,
    x2: float,
    f2: float,
    g2: float,
    bounds: tuple[float, float] | None = None,
) -> float:
    """The minimizer of the cubic through two points with slopes, clamped to ``bounds``."""
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square < 0:
        return (lo + hi) / 2.0
    d2 = d2_square**0.5
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, lo), hi)


def _strong_wolfe(
    objective: Objective,
    x: list[np.ndarray],
    t: float,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: float,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, float, int]:
    """A step length ``t`` along ``d`` meeting the strong Wolfe conditions (bracket, then zoom).

    Returns the loss and flat gradient there, ``t`` and the number of evaluations.
    """
    d_norm = float(np.abs(d).max())
    g = g.copy()
    f_new, g_new = objective(x, t, d)
    evals = 1
    gtd_new = float(g_new @ d)

    # Bracketing: grow t until an interval is known to hold a point meeting the conditions.
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    done = False
    ls_iter = 0
    bracket: list[float] = []
    bracket_f: list[float] = []
    bracket_g: list[np.ndarray] = []
    bracket_gtd: list[float] = []
    while ls_iter < max_ls:
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        # extrapolate
        min_step, max_step = t + 0.01 * (t - t_prev), t * 10
        t_prev, t = (
            t,
            _cubic_interpolate(
                t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step)
            ),
        )
        f_prev, g_prev, gtd_prev = f_new, g_new.copy(), gtd_new
        f_new, g_new = objective(x, t, d)
        evals += 1
        gtd_new = float(g_new @ d)
        ls_iter += 1
    if ls_iter == max_ls:  # out of evaluations
        bracket, bracket_f, bracket_g = [0.0, t], [f, f_new], [g, g_new]

    # Zoom: shrink the bracket until a point meets the conditions.
    insuf_progress = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(
            bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]
        )
        # Keep away from the ends of the bracket, where progress stalls.
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False

        f_new, g_new = objective(x, t, d)
        evals += 1
        gtd_new = float(g_new @ d)
        ls_iter += 1

        if f_new > f + c1 * t * gtd or f_new >= bracket_f[low]:
            bracket[high], bracket_f[high] = t, f_new
            bracket_g[high], bracket_gtd[high] = g_new.copy(), gtd_new
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_gtd[high] = bracket_g[low], bracket_gtd[low]
            bracket[low], bracket_f[low] = t, f_new
            bracket_g[low], bracket_gtd[low] = g_new.copy(), gtd_new

    return bracket_f[low], bracket_g[low], bracket[low], evals
