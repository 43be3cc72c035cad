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

import builtins
import warnings
from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction as Function
from minigrad.autograd import Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor
from minigrad.ops.activation import Softplus
from minigrad.ops.elementwise import where
from minigrad.tensor import Tensor

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cosine_embedding_loss",
    "cross_entropy",
    "gaussian_nll_loss",
    "hinge_embedding_loss",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "margin_ranking_loss",
    "mse_loss",
    "multi_margin_loss",
    "multilabel_soft_margin_loss",
    "nll_loss",
    "poisson_nll_loss",
    "smooth_l1_loss",
    "soft_margin_loss",
    "triplet_margin_loss",
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
    with np.errstate(invalid="ignore", divide="ignore"):
        # -inf logits give -inf; a row with a +inf (or only -inf) gives nan, as PyTorch.
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
        # 0 * log(0) counts as 0 (a -inf logit of a class with no target mass).
        with np.errstate(invalid="ignore"):
            loss = -np.where(m == 0, 0.0, m * logp).sum(axis=1)
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
        tensor(0.3000)
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


# --------------------------------------------------------------------------- more losses
# Composites of differentiable ops. Where a branch is not taken its input is replaced
# by a safe value first (the "double where"), so an inf in the other branch cannot
# turn the gradient into nan.


def _legacy_reduction(size_average: Any, reduce: Any, reduction: str, who: str) -> str:
    """PyTorch's deprecated ``size_average``/``reduce`` arguments, turned into ``reduction``."""
    if size_average is None and reduce is None:
        return reduction
    warnings.warn(
        f"{who}: size_average and reduce args will be deprecated, please use reduction instead",
        stacklevel=3,
    )
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if not reduce:
        return "none"
    return "mean" if size_average else "sum"


def _float_pair(input: Any, target: Any, who: str) -> tuple[Tensor, Tensor]:
    x, t = _pair_shapes(input, target, who)
    if x.dtype.kind != "f":
        raise TypeError(f"{who}: input must be floating point, got {x.dtype}")
    return x, t.to(x.dtype) if t.dtype != x.dtype else t


@op(method=False, export=False)
def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """Smooth L1: ``0.5 * d**2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 * beta``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.smooth_l1_loss(minigrad.tensor([0.5, 3.0]), minigrad.zeros(2), reduction="none")
        tensor([0.1250, 2.5000])
    """
    who = "smooth_l1_loss"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    _check_reduction(reduction, who)
    if beta < 0:
        raise RuntimeError(f"{who}: beta must be non-negative, got {beta}")
    x, t = _float_pair(input, target, who)
    if beta == 0:
        return l1_loss(x, t, reduction=reduction)
    d = x - t
    small = d.abs() < beta
    quad = where(small, d, 0.0)
    lin = where(small, beta, d).abs()
    return _reduce(where(small, quad * quad * (0.5 / beta), lin - 0.5 * beta), reduction)


@op(method=False, export=False)
def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """``0.5 * d**2`` where ``|d| < delta``, else ``delta * (|d| - 0.5 * delta)``; ``weight``
    (input's shape) scales each element before the reduction.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.huber_loss(minigrad.tensor([0.5, 3.0]), minigrad.zeros(2), delta=2.0)
        tensor(2.0625)
    """
    who = "huber_loss"
    _check_reduction(reduction, who)
    if delta <= 0:
        raise RuntimeError(f"{who}: delta must be positive, got {delta}")
    x, t = _float_pair(input, target, who)
    d = x - t
    small = d.abs() < delta
    quad = where(small, d, 0.0)
    lin = where(small, delta, d).abs()
    loss = where(small, quad * quad * 0.5, (lin - 0.5 * delta) * delta)
    if weight is not None:
        w = as_tensor(weight)
        if w.shape != x.shape:
            raise ValueError(
                f"{who}: Weights and input must have the same size (weight {w.shape}, "
                f"input {x.shape})"
            )
        loss = loss * w
    return _reduce(loss, reduction)


def _xlogy_self(t: Tensor) -> Tensor:
    """``t * log(t)`` with ``0 * log(0) = 0``."""
    return where(t == 0, 0.0, t * t.log())


@op(method=False, export=False)
def kl_div(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Kullback-Leibler divergence of ``target`` from log-probabilities ``input``:
    ``target * (log(target) - input)`` (``log_target``: ``exp(t) * (t - input)``).

    ``reduction='batchmean'`` divides the sum by the batch size (the true KL
    divergence); ``'mean'`` divides by the number of elements, as PyTorch.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> logq = minigrad.tensor([[0.5, 0.5]]).log()
        >>> round(F.kl_div(logq, minigrad.tensor([[0.9, 0.1]]), reduction="batchmean").item(), 4)
        0.3681
    """
    who = "kl_div"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    if reduction not in (*_REDUCTIONS, "batchmean"):
        raise ValueError(f"{who}: reduction must be one of {(*_REDUCTIONS, 'batchmean')}, "
                         f"got {reduction!r}")  # fmt: skip
    x, t = _float_pair(input, target, who)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        loss = t.exp() * (t - x) if log_target else _xlogy_self(t) - t * x
    if reduction == "batchmean":
        total = loss.sum()
        return total / x.shape[0] if x.ndim else total
    return _reduce(loss, reduction)


@op(method=False, export=False)
def poisson_nll_loss(
    input: Tensor,
    target: Tensor,
    log_input: bool = True,
    full: bool = False,
    size_average: bool | None = None,
    eps: float = 1e-8,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Poisson negative log-likelihood: ``exp(input) - target * input`` (``log_input``) or
    ``input - target * log(input + eps)``; ``full`` adds Stirling's term where ``target > 1``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> F.poisson_nll_loss(minigrad.tensor([0.0, 1.0]), minigrad.tensor([1.0, 2.0]))
        tensor(0.8591)
    """
    who = "poisson_nll_loss"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    _check_reduction(reduction, who)
    x, t = _float_pair(input, target, who)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        loss = x.exp() - t * x if log_input else x - t * (x + eps).log()
        if full:
            big = t > 1
            ts = where(big, t, 2.0)
            stirling = ts * ts.log() - ts + (ts * (2 * np.pi)).log() * 0.5
            loss = loss + where(big, stirling, 0.0)
    return _reduce(loss, reduction)


@op(method=False, export=False)
def gaussian_nll_loss(
    input: Tensor,
    target: Tensor,
    var: Any,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    """Gaussian negative log-likelihood ``0.5 * (log(var) + (input - target)**2 / var)``.

    ``var`` has the input's shape, or one dimension fewer / one dimension of size 1
    (one variance shared along it), or is a number; it is clamped at ``eps`` (the
    gradient passes the clamp unchanged, as PyTorch's); ``full`` adds ``0.5 log(2 pi)``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> mu, var = minigrad.tensor([1.0]), minigrad.tensor([1.0])
        >>> F.gaussian_nll_loss(mu, minigrad.tensor([0.0]), var)
        tensor(0.5000)
    """
    who = "gaussian_nll_loss"
    x, t = _float_pair(input, target, who)
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        v = Tensor._make(np.full(x.shape, var, dtype=x.dtype))
    else:
        v = as_tensor(var)
        if (v._data < 0).any():
            raise ValueError("var has negative entry/entries")
    if v.shape != x.shape:
        if x.shape[:-1] == v.shape:
            v = v.unsqueeze(-1)
        elif not (
            v.ndim == x.ndim and builtins.sum(b for a, b in zip(x.shape, v.shape) if a != b) == 1
        ):
            raise ValueError(
                f"{who}: var is of incorrect size: {v.shape} for input of shape {x.shape} "
                f"(expected the input's shape, one dimension fewer, or a dimension of size 1)"
            )
    _check_reduction(reduction, who)
    floor = Tensor._make(np.maximum(v._data, eps).astype(v.dtype) - v._data)
    v = v + floor  # clamp(min=eps) with the gradient of the identity
    loss = (v.log() + (x - t) ** 2 / v) * 0.5
    if full:
        loss = loss + 0.5 * np.log(2 * np.pi)
    return _reduce(loss, reduction)


@op(method=False, export=False)
def margin_ranking_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """``max(0, -target * (input1 - input2) + margin)``, with targets in ``{1, -1}``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x1, x2 = minigrad.tensor([1.0, 1.0]), minigrad.tensor([0.0, 2.0])
        >>> F.margin_ranking_loss(x1, x2, minigrad.tensor([1.0, 1.0]), reduction="none")
        tensor([0., 1.])
    """
    who = "margin_ranking_loss"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    _check_reduction(reduction, who)
    x1, x2, y = as_tensor(input1), as_tensor(input2), as_tensor(target)
    if not (x1.ndim == x2.ndim == y.ndim):
        raise RuntimeError(
            f"{who}: All input tensors should have same dimension but got sizes: input1: "
            f"{x1.shape}, input2: {x2.shape}, target: {y.shape}"
        )
    return _reduce((-y * (x1 - x2) + margin).clamp(min=0), reduction)


@op(method=False, export=False)
def hinge_embedding_loss(
    input: Tensor,
    target: Tensor,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """``input`` where ``target == 1``, ``max(0, margin - input)`` where ``target == -1``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.tensor([0.3, 0.3])
        >>> F.hinge_embedding_loss(x, minigrad.tensor([1.0, -1.0]), reduction="none")
        tensor([0.3000, 0.7000])
    """
    who = "hinge_embedding_loss"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    _check_reduction(reduction, who)
    x, y = _pair_shapes(input, target, who)
    margin_part = where(y != 1, (margin - x).clamp(min=0), 0.0)
    return _reduce(margin_part + where(y != -1, x, 0.0), reduction)


@op(method=False, export=False)
def cosine_embedding_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """``1 - cos(x1, x2)`` where ``target == 1``, ``max(0, cos(x1, x2) - margin)`` where -1.

    ``input1``/``input2`` are ``(N, D)`` with ``target`` ``(N,)``, or ``(D,)`` with a 0-D target.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x1, x2 = minigrad.tensor([[1.0, 0.0]]), minigrad.tensor([[1.0, 1.0]])
        >>> round(F.cosine_embedding_loss(x1, x2, minigrad.tensor([1.0])).item(), 4)
        0.2929
    """
    who = "cosine_embedding_loss"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    _check_reduction(reduction, who)
    x1, x2, y = as_tensor(input1), as_tensor(input2), as_tensor(target)
    if x1.shape != x2.shape or x1.ndim not in (1, 2) or y.shape != x1.shape[:1][: x1.ndim - 1]:
        raise RuntimeError(
            f"{who}: expected input1 and input2 of one shape (N, D) with target (N,), or (D,) "
            f"with a 0-D target; got {x1.shape}, {x2.shape} and {y.shape}"
        )
    dim = x1.ndim - 1
    eps = 1e-12
    prod = (x1 * x2).sum(dim)
    denom = (((x1 * x1).sum(dim) + eps) * ((x2 * x2).sum(dim) + eps)).sqrt()
    cos = prod / denom
    pos = where(y == 1, 1.0 - cos, 0.0)
    neg = where(y == -1, (cos - margin).clamp(min=0), 0.0)
    return _reduce(pos + neg, reduction)


def _pairwise_distance(a: Tensor, b: Tensor, p: float, eps: float) -> Tensor:
    from minigrad.ops.reduce import linalg_vector_norm

    return linalg_vector_norm(a - b + eps, ord=p, dim=-1)


@op(method=False, export=False)
def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """``max(d(a, p) - d(a, n) + margin, 0)`` with ``d(x, y) = ||x - y + eps||_p`` along the
    last dim; ``swap`` uses ``min(d(a, n), d(p, n))`` (the distance swap).

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> a, pos = minigrad.tensor([[0.0, 0.0]]), minigrad.tensor([[0.0, 1.0]])
        >>> neg = minigrad.tensor([[3.0, 0.0]])
        >>> F.triplet_margin_loss(a, pos, neg, margin=3.0, eps=0.0)
        tensor(1.)
    """
    who = "triplet_margin_loss"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    _check_reduction(reduction, who)
    a, pos, neg = as_tensor(anchor), as_tensor(positive), as_tensor(negative)
    if not (a.ndim == pos.ndim == neg.ndim) or a.ndim not in (1, 2):
        raise RuntimeError(
            f"{who}: anchor, positive and negative must all be 1-D or 2-D (N, D), got shapes "
            f"{a.shape}, {pos.shape} and {neg.shape}"
        )
    if margin <= 0:
        raise RuntimeError(f"{who}: margin must be greater than 0, got {margin}")
    d_pos = _pairwise_distance(a, pos, p, eps)
    d_neg = _pairwise_distance(a, neg, p, eps)
    if swap:
        d_neg = d_neg.minimum(_pairwise_distance(pos, neg, p, eps))
    return _reduce((d_pos - d_neg + margin).clamp(min=0), reduction)


@op(method=False, export=False)
def multi_margin_loss(
    input: Tensor,
    target: Tensor,
    p: int = 1,
    margin: float = 1.0,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Multi-class hinge loss ``sum_{i != y} max(0, margin - x[y] + x[i]) ** p / C`` per sample.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.tensor([[0.1, 0.2, 0.4, 0.8]])
        >>> round(F.multi_margin_loss(x, minigrad.tensor([3])).item(), 4)
        0.325
    """
    who = "multi_margin_loss"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    _check_reduction(reduction, who)
    if p not in (1, 2):
        raise ValueError(f"{who}: only p == 1 and p == 2 supported, got {p}")
    x, y = as_tensor(input), as_tensor(target)
    single = x.ndim <= 1
    x2 = x.reshape(1, -1) if single else x
    y1 = y.reshape(-1)
    if x2.ndim != 2 or x2.shape[1] == 0:
        raise RuntimeError(f"{who}: expected a non-empty vector or matrix, got input {x.shape}")
    n, c = x2.shape
    if y1.shape != (n,) or y.ndim > 1:
        raise RuntimeError(f"{who}: inconsistent target size, expected {n} but got {y.shape}")
    if y1.dtype.kind not in "iu":
        raise TypeError(f"{who}: target must hold class indices (integers), got {y1.dtype}")
    idx = y1._data
    _check_class_range(idx, c, -(2**62), who)
    picked = x2[np.arange(n), idx].reshape(n, 1)
    z = x2 - picked + margin
    z = where(z > 0, z, 0.0)  # nan (inf - inf) counts as not violated, as PyTorch's kernel
    z = z if p == 1 else z * z
    if weight is not None:
        w = as_tensor(weight).reshape(-1)
        if w.shape != (c,):
            raise RuntimeError(f"{who}: inconsistent weight size, expected {c} but got {w.shape}")
        z = z * w[idx].reshape(n, 1)
    others = Tensor._make(np.arange(c)[None, :] != idx[:, None])
    per_sample = where(others, z, 0.0).sum(1) / c
    if reduction == "none":
        return per_sample.reshape(()) if single and x.ndim == 0 else per_sample
    return _reduce(per_sample, reduction)


@op(method=False, export=False)
def multilabel_soft_margin_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Multi-label one-versus-all logistic loss, averaged over the classes (the last dim):
    ``-mean_c(y * logsigmoid(x) + (1 - y) * logsigmoid(-x))``.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x = minigrad.tensor([[0.0, 2.0]])
        >>> round(F.multilabel_soft_margin_loss(x, minigrad.tensor([[1.0, 1.0]])).item(), 4)
        0.41
    """
    from minigrad.ops.activation import logsigmoid

    who = "multilabel_soft_margin_loss"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    _check_reduction(reduction, who)
    x, y = _float_pair(input, target, who)
    loss = -(y * logsigmoid(x) + (1.0 - y) * logsigmoid(-x))
    if weight is not None:
        loss = loss * weight
    class_dim = x.ndim - 1
    loss = loss.sum(class_dim) / x.shape[class_dim]
    return _reduce(loss, reduction)


@op(method=False, export=False)
def soft_margin_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Two-class logistic loss ``log(1 + exp(-target * input))``, computed without overflow.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import functional as F
        >>> x, y = minigrad.tensor([0.0, 100.0]), minigrad.tensor([1.0, -1.0])
        >>> F.soft_margin_loss(x, y, reduction="none")
        tensor([  0.6931, 100.0000])
    """
    who = "soft_margin_loss"
    reduction = _legacy_reduction(size_average, reduce, reduction, who)
    _check_reduction(reduction, who)
    x, y = _float_pair(input, target, who)
    return _reduce(Softplus.apply(-(y * x)), reduction)
