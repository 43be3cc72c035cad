"""Numerical gradient checks: ``gradcheck`` and ``gradgradcheck``.

Both compare the gradients that backward computes with central differences in
float64, for any callable of tensors (built-in ops, your own ``Function``
subclasses, whole modules). The output is contracted with a random upstream
gradient, so every element of the Jacobian contributes.

Example:
    >>> import minigrad
    >>> from minigrad.testing import gradcheck, gradgradcheck
    >>> x = minigrad.randn(3, 4, dtype=minigrad.float64, requires_grad=True)
    >>> gradcheck(lambda t: (t * t).tanh(), (x,))
    True
    >>> gradgradcheck(lambda t: (t * t).tanh(), (x,))
    True

Checking your own :class:`~minigrad.autograd.Function` takes a few lines; a wrong
gradient raises :class:`GradcheckError` naming the input, the worst element and
both values:

    >>> from minigrad import Function
    >>> class Square(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 2.0 * x
    >>> x = minigrad.tensor([0.5, -1.5], dtype=minigrad.float64, requires_grad=True)
    >>> gradcheck(Square.apply, (x,)) and gradgradcheck(Square.apply, (x,))
    True
    >>> class WrongSquare(Square):
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * x  # should be 2 * x
    >>> gradcheck(WrongSquare.apply, (x,))
    Traceback (most recent call last):
    ...
    minigrad.testing.gradcheck.GradcheckError: gradcheck: gradient of input 0 ... index (1,): ...

For property tests over drawn shapes and values, combine them with the Hypothesis
strategies of :mod:`minigrad.testing.strategies`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from minigrad.autograd import grad as autograd_grad
from minigrad.tensor import Tensor


class GradcheckError(AssertionError):
    """Raised when an analytical gradient disagrees with the numerical one.

    Example:
        >>> import minigrad
        >>> from minigrad.testing import GradcheckError, gradcheck
        >>> class WrongSquare(minigrad.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         return x * x
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         return grad  # should be 2 * x * grad
        >>> x = minigrad.tensor([3.0], dtype=minigrad.float64, requires_grad=True)
        >>> try:
        ...     gradcheck(WrongSquare.apply, (x,))
        ... except GradcheckError as e:
        ...     print(str(e)[:55])
        gradcheck: gradient of input 0 (shape (1,)) disagrees a
    """


def _outputs(fn: Callable[..., Any], inputs: Sequence[Any]) -> list[Tensor]:
    out = fn(*inputs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    return [o for o in outs if isinstance(o, Tensor) and o.dtype.kind == "f"]


def _check_inputs(inputs: Sequence[Any], who: str) -> list[int]:
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not diff:
        raise ValueError(f"{who}: no input requires grad")
    for i in diff:
        if inputs[i].dtype != np.float64:
            raise ValueError(
                f"{who}: input {i} is {inputs[i].dtype}; central differences need float64 inputs"
            )
    return diff


def _numerical_grads(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    diff: list[int],
    weights: list[np.ndarray],
    eps: float,
) -> list[np.ndarray]:
    def objective() -> float:
        # Recorded, not under no_grad: fn may itself differentiate (gradgradcheck).
        outs = _outputs(fn, inputs)
        return float(sum(float(np.sum(o._data * w)) for o, w in zip(outs, weights)))

    grads = []
    for i in diff:
        data = inputs[i]._data
        if not data.flags.writeable:
            raise ValueError(f"input {i} is a read-only view; pass a copy (e.g. .clone())")
        g = np.zeros(data.shape, dtype=np.float64)
        for k in np.ndindex(data.shape):  # any strides, empty arrays included
            orig = data[k]
            data[k] = orig + eps
            plus = objective()
            data[k] = orig - eps
            minus = objective()
            data[k] = orig
            g[k] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def gradcheck(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check ``fn``'s gradients against central differences; return True or raise.

    Args:
        fn: a callable taking ``*inputs`` and returning a Tensor or a tuple of Tensors.
        inputs: the arguments; those that require grad must be float64 tensors.
        eps: the finite-difference step.
        atol, rtol: the tolerance ``|analytical - numerical| <= atol + rtol * |numerical|``.
        seed: seeds the random upstream gradient.

    Raises:
        GradcheckError: naming the input, the worst element and both values.

    Example:
        >>> import minigrad
        >>> from minigrad.testing import gradcheck
        >>> x = minigrad.tensor([0.5, 2.0], dtype=minigrad.float64, requires_grad=True)
        >>> gradcheck(minigrad.log, (x,))
        True
    """
    inputs = list(inputs)
    diff = _check_inputs(inputs, "gradcheck")
    outs = _outputs(fn, inputs)
    if not outs:
        raise ValueError("gradcheck: fn returned no floating-point tensor")
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal(o.shape) for o in outs]
    grad_outputs = [Tensor._make(w.astype(o.dtype)) for o, w in zip(outs, weights)]
    used = [o for o in outs if o.requires_grad]
    analytical: list[Any] = [None] * len(diff)
    if used:
        analytical = list(
            autograd_grad(
                used,
                [inputs[i] for i in diff],
                [g for o, g in zip(outs, grad_outputs) if o.requires_grad],
                allow_unused=True,
            )
        )
    numerical = _numerical_grads(fn, inputs, diff, weights, eps)
    for pos, i in enumerate(diff):
        a = analytical[pos]
        a_data = np.zeros_like(numerical[pos]) if a is None else a._data
        if a is not None and (a.shape != inputs[i].shape or a.dtype != inputs[i].dtype):
            raise GradcheckError(
                f"gradcheck: gradient of input {i} has shape {a.shape} and dtype {a.dtype}, "
                f"but the input has shape {inputs[i].shape} and dtype {inputs[i].dtype}"
            )
        _compare(a_data, numerical[pos], atol, rtol, f"input {i}")
    return True


def _compare(
    analytical: np.ndarray, numerical: np.ndarray, atol: float, rtol: float, what: str
) -> None:
    err = np.abs(analytical - numerical) - (atol + rtol * np.abs(numerical))
    bad = ~(err <= 0)  # also catches NaN
    if bad.any():
        worst = np.unravel_index(int(np.argmax(np.where(np.isnan(err), np.inf, err))), err.shape)
        raise GradcheckError(
            f"gradcheck: gradient of {what} (shape {numerical.shape}) disagrees at "
            f"index {tuple(int(k) for k in worst)}: analytical {analytical[worst]!r}, "
            f"numerical {numerical[worst]!r} ({int(bad.sum())} of {bad.size} elements "
            f"outside atol={atol}, rtol={rtol})"
        )


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check second derivatives: the gradient of ``fn`` (with ``create_graph=True``) is
    itself checked with :func:`gradcheck`, with respect to the inputs and to the
    upstream gradient.

    Example:
        >>> import minigrad
        >>> from minigrad.testing import gradgradcheck
        >>> x = minigrad.tensor([0.5, 2.0], dtype=minigrad.float64, requires_grad=True)
        >>> gradgradcheck(lambda t: t ** 3, (x,))
        True
    """
    inputs = list(inputs)
    diff = _check_inputs(inputs, "gradgradcheck")
    outs = _outputs(fn, inputs)
    rng = np.random.default_rng(seed + 1)
    upstream = [
        Tensor(rng.standard_normal(o.shape), dtype=np.float64, requires_grad=True) for o in outs
    ]
    n = len(inputs)

    def first_grads(*args: Any) -> tuple[Tensor, ...]:
        xs, gs = list(args[:n]), list(args[n:])
        outs = _outputs(fn, xs)
        pairs = [(o, g) for o, g in zip(outs, gs) if o.requires_grad]
        if not pairs:
            return ()
        grads = autograd_grad(
            [o for o, _ in pairs],
            [xs[i] for i in diff],
            [g for _, g in pairs],
            create_graph=True,
            allow_unused=True,
        )
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_grads, [*inputs, *upstream], eps=eps, atol=atol, rtol=rtol, seed=seed)
