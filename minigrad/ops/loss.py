"""Loss functions with PyTorch's semantics: cross_entropy (a fused, stable
log-softmax), nll_loss, mse_loss, l1_loss, binary_cross_entropy and
binary_cross_entropy_with_logits.

Cross entropy in every form (class indices with ``weight``, ``ignore_index`` and
``label_smoothing``, or class probabilities) is one formula: with a constant
matrix ``M`` shaped like the input, ``loss[n] = -sum_c M[n, c] * log_softmax(x)[n, c]``,
and ``'mean'`` divides by PyTorch's denominator (the summed weights of the
non-ignored targets, or the number of elements for probability targets). Its
gradient with respect to the logits is ``softmax(x) * sum_c M - M``.

Example:
    >>> import minigrad
    >>> from minigrad.nn import functional as F
    >>> logits = minigrad.tensor([[2.0, 0.0], [0.0, 2.0]], requires_grad=True)
    >>> loss = F.cross_entropy(logits, minigrad.tensor([0, 0]))
    >>> round(loss.item(), 4)
    1.1269
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor
from minigrad.tensor import Tensor

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "l1_loss",
    "mse_loss",
    "nll_loss",
]

_REDUCTIONS = ("none", "mean", "sum")


def _check_reduction(reduction: str, who: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{who}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=1, keepdims=True)
    shifted -= np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return shifted


# --------------------------------------------------------------------------- cross entropy


class CrossEntropy(Function):
    """``-sum_c(M * log_softmax(x, dim=1))`` per element, then reduced.

    ``x`` is ``(N, C, ...)``; ``M`` (same shape) may require grad (probability
    targets); ``denom`` divides the sum for ``reduction='mean'``.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, m: Any, denom: float, reduction: str) -> Any:
        logp = _log_softmax(x)
        ctx.save_for_backward(x, m, logp)
        ctx.denom = denom
        loss = -np.einsum("nc...,nc...->n...", m, logp)
        if reduction == "none":
            return loss
        total = loss.sum()
        if reduction == "sum":
            return total
        with np.errstate(invalid="ignore", divide="ignore"):  # all ignored: nan, as PyTorch
            return total / np.asarray(denom, dtype=x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, m, logp = ctx.saved_tensors
        reduction = ctx.attrs["reduction"]
        g = grad.unsqueeze(1) if reduction == "none" else grad
        if reduction == "mean":
            g = g / float(ctx.denom)
        # Under create_graph, log_softmax is recomputed as an op so that it differentiates.
        if ctx.create_graph:
            logp = x.log_softmax(1)
        gx = gm = None
        if ctx.needs_input_grad[0]:
            gx = g * (logp.exp() * m.sum(1, keepdim=True) - m)
        if ctx.needs_input_grad[1]:
            gm = -g * logp
        return gx, gm, None


def _class_target_matrix(
    target: np.ndarray,
    shape: tuple[int, ...],
    dtype: np.dtype,
    weight: np.ndarray | None,
    ignore_index: int,
    label_smoothing: float,
) -> tuple[np.ndarray, float]:
    """``M`` and the 'mean' denominator for class-index targets."""
    C = shape[1]
    valid = target != ignore_index
    safe = np.where(valid, target, 0)
    w_t = valid.astype(dtype) if weight is None else weight[safe] * valid
    m = np.zeros(shape, dtype=dtype)
    np.put_along_axis(m, safe[:, None], ((1.0 - label_smoothing) * w_t)[:, None], axis=1)
    if label_smoothing:
        w_c = np.ones(C, dtype=dtype) if weight is None else weight
        spread = w_c.reshape((1, C) + (1,) * (len(shape) - 2)) * (label_smoothing / C)
        m += spread * valid[:, None]
    return m, float(w_t.sum())


def _check_class_target(t: Tensor, x: Tensor, who: str) -> np.ndarray:
    expected = x.shape[:1] + x.shape[2:]
    if t.shape != expected:
        raise RuntimeError(
            f"{who}: target has shape {t.shape} but input of shape {x.shape} needs a target "
            f"of shape {expected} (one class index per sample)"
        )
    return t._data


def _check_weight(weight: Any, C: int, dtype: np.dtype, who: str) -> np.ndarray | None:
    if weight is None:
        return None
    w = as_tensor(weight)
    if w.shape != (C,):
        raise RuntimeError(f"{who}: weight has shape {w.shape} but the input has {C} classes")
    return w._data.astype(dtype, copy=False)


def _class_layout(input: Any, target: Any, who: str) -> tuple[Tensor, Tensor, bool]:
    """``(N, C, ...)`` input and target, and whether the input was a single ``(C,)`` sample."""
    x, t = as_tensor(input), as_tensor(target)
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must be floating point, got {x.dtype}")
    if x.ndim == 0:
        raise RuntimeError(f"{who}: input must have a class dimension, got a 0-D tensor")
    if x.ndim == 1:
        return x.unsqueeze(0), t.unsqueeze(0), True
    return x, t, False


def _check_class_range(t: np.ndarray, C: int, ignore_index: int, who: str) -> None:
    bad = ((t < 0) | (t >= C)) & (t != ignore_index)
    if bad.any():
        raise IndexError(
            f"{who}: target holds {int(t[bad].flat[0])}, outside the classes [0, {C}) of the "
            f"input (and not ignore_index={ignore_index})"
        )


@op(method=False, export=False)
def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross entropy between logits and targets, through a fused, stable log-softmax.

    Args:
        input: logits ``(N, C)``, ``(N, C, d1, ...)`` or one sample ``(C,)``.
        target: class indices (integers, shape ``(N,)`` / ``(N, d1, ...)`` / ``()``),
            or class probabilities (floats, shaped like ``input``).
        weight: ``(C,)`` rescaling of each class.
        ignore_index: a class index whose targets count for nothing (class targets).
        reduction: ``'mean'`` (weighted mean over non-ignored targets), ``'sum'`` or ``'none'``.
        label_smoothing: mix ``label_smoothing / C`` of the uniform distribution into
            the targets.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.tensor([[1.0, 2.0, 3.0]])
        >>> round(F.cross_entropy(x, minigrad.tensor([2])).item(), 4)
        0.4076
        >>> round(F.cross_entropy(x, minigrad.tensor([[0.0, 0.0, 1.0]])).item(), 4)
        0.4076
    """
    who = "cross_entropy"
    _check_reduction(reduction, who)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{who}: label_smoothing must be in [0, 1], got {label_smoothing}")
    x, t, single = _class_layout(input, target, who)
    C = x.shape[1]
    w = _check_weight(weight, C, x.dtype, who)
    if t.dtype.kind == "f":
        if t.shape != x.shape:
            raise RuntimeError(
                f"{who}: probability target has shape {t.shape} but input has shape {x.shape} "
                f"(they must match)"
            )
        m: Any = t.to(x.dtype)
        if label_smoothing:
            m = m * (1.0 - label_smoothing) + label_smoothing / C
        if w is not None:
            m = m * Tensor._make(w.reshape((1, C) + (1,) * (x.ndim - 2)))
        if not m.requires_grad:
            m = m.detach()
        denom = float(x._data.size // C)
    elif t.dtype.kind in "iu":
        tdata = _check_class_target(t, x, who)
        _check_class_range(tdata, C, ignore_index, who)
        marr, denom = _class_target_matrix(
            tdata, x.shape, x.dtype, w, ignore_index, label_smoothing
        )
        m = Tensor._make(marr)
    else:
        raise TypeError(
            f"{who}: target must hold class indices (integers) or probabilities (floats), "
            f"got {t.dtype}"
        )
    out = CrossEntropy.apply(x, m, denom, reduction=reduction)
    return out.squeeze(0) if single and reduction == "none" else out


@op(method=False, export=False)
def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of class-index targets, given log-probabilities.

    ``loss[n] = -weight[t[n]] * input[n, t[n]]``; ``'mean'`` divides by the summed
    weights of the non-ignored targets.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> logp = minigrad.tensor([[-0.5, -1.0], [-2.0, -0.1]])
        >>> F.nll_loss(logp, minigrad.tensor([0, 1]))
        tensor(0.3)
    """
    who = "nll_loss"
    _check_reduction(reduction, who)
    x, t, single = _class_layout(input, target, who)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{who}: target must hold class indices (integers), got {t.dtype}")
    C = x.shape[1]
    w = _check_weight(weight, C, x.dtype, who)
    tdata = _check_class_target(t, x, who)
    _check_class_range(tdata, C, ignore_index, who)
    m, denom = _class_target_matrix(tdata, x.shape, x.dtype, w, ignore_index, 0.0)
    loss = -(x * Tensor._make(m)).sum(1)
    if reduction == "none":
        return loss.squeeze(0) if single else loss
    total = loss.sum()
    return total / denom if reduction == "mean" else total


# --------------------------------------------------------------------------- regression


def _pair_shapes(input: Any, target: Any, who: str) -> tuple[Tensor, Tensor]:
    x, t = as_tensor(input), as_tensor(target)
    try:
        np.broadcast_shapes(x.shape, t.shape)
    except ValueError:
        raise RuntimeError(
            f"{who}: input of shape {x.shape} and target of shape {t.shape} do not broadcast"
        ) from None
    return x, t


@op(method=False, export=False)
def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error ``(input - target) ** 2``, reduced.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.mse_loss(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 4.0]))
        tensor(2.)
    """
    _check_reduction(reduction, "mse_loss")
    x, t = _pair_shapes(input, target, "mse_loss")
    diff = x - t
    return _reduce(diff * diff, reduction)


@op(method=False, export=False)
def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error ``|input - target|``, reduced (gradient 0 where equal).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.l1_loss(minigrad.tensor([1.0, 2.0]), minigrad.tensor([1.0, 4.0]))
        tensor(1.)
    """
    _check_reduction(reduction, "l1_loss")
    x, t = _pair_shapes(input, target, "l1_loss")
    return _reduce((x - t).abs(), reduction)


# --------------------------------------------------------------------------- binary


def _binary_pair(input: Any, target: Any, who: str) -> tuple[Tensor, Tensor]:
    """``input`` and ``target`` as Tensors of the same shape, ``input`` floating point."""
    x, t = as_tensor(input), as_tensor(target)
    if x.shape != t.shape:
        raise RuntimeError(
            f"{who}: target has shape {t.shape} but input has shape {x.shape} (they must match)"
        )
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must be floating point, got {x.dtype}")
    return x, t


class BinaryCrossEntropy(Function):
    """``-(t * log(x) + (1 - t) * log(1 - x))`` with each log clamped at -100, as PyTorch."""

    @staticmethod
    def forward(ctx: Context, x: Any, t: Any) -> Any:
        ctx.save_for_backward(x, t)
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log1p(-x), -100)
        return -(t * log_x + (1 - t) * log_1mx)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, t = ctx.saved_tensors
        gx = gt = None
        if ctx.needs_input_grad[0]:
            gx = grad * (x - t) / (x * (1.0 - x)).clamp(min=1e-12)
        if ctx.needs_input_grad[1]:
            gt = grad * ((1.0 - x).log().clamp(min=-100) - x.log().clamp(min=-100))
        return gx, gt


@op(method=False, export=False)
def binary_cross_entropy(
    input: Tensor, target: Tensor, weight: Tensor | None = None, reduction: str = "mean"
) -> Tensor:
    """Binary cross entropy between probabilities ``input`` and ``target`` (same shape).

    Each log is clamped at -100, so a wrong certainty costs 100, not infinity.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> p = minigrad.tensor([0.9, 0.2])
        >>> round(F.binary_cross_entropy(p, minigrad.tensor([1.0, 0.0])).item(), 4)
        0.1643
    """
    who = "binary_cross_entropy"
    _check_reduction(reduction, who)
    x, t = _binary_pair(input, target, who)
    if ((x._data < 0) | (x._data > 1)).any():
        raise ValueError(f"{who}: every element of input must be in [0, 1] (probabilities)")
    loss = BinaryCrossEntropy.apply(x, t.to(x.dtype))
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


class Softplus(Function):
    """``log(1 + exp(x))``, computed without overflow."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.logaddexp(np.zeros((), dtype=x.dtype), x)

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        (x,) = ctx.saved_tensors
        return grad * x.sigmoid()


@op(method=False, export=False)
def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Binary cross entropy of ``sigmoid(input)`` against ``target``, computed stably.

    ``loss = (1 - t) * x + (1 + (pos_weight - 1) * t) * log(1 + exp(-x))``;
    ``pos_weight`` (broadcast along the last dim) weighs the positive examples.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.tensor([100.0, -100.0, 0.0])
        >>> t = minigrad.tensor([1.0, 0.0, 1.0])
        >>> loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
        >>> [round(v, 4) for v in loss.tolist()]
        [0.0, 0.0, 0.6931]
    """
    who = "binary_cross_entropy_with_logits"
    _check_reduction(reduction, who)
    x, t = _binary_pair(input, target, who)
    t = t.to(x.dtype)
    log_weight = 1.0 if pos_weight is None else 1.0 + (as_tensor(pos_weight) - 1.0) * t
    loss = (1.0 - t) * x + log_weight * Softplus.apply(-x)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)
