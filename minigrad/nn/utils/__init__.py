"""Gradient clipping and flat-vector views of parameters.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> lin = nn.Linear(3, 1)
    >>> (lin(minigrad.ones(4, 3)) * 100).sum().backward()
    >>> total = nn.utils.clip_grad_norm_(lin.parameters(), max_norm=1.0)
    >>> total.item() > 1.0
    True
    >>> grads = [p.grad for p in lin.parameters()]
    >>> round(sum(float((g.numpy() ** 2).sum()) for g in grads) ** 0.5, 4)
    1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from minigrad.autograd import no_grad
from minigrad.nn.utils import rnn as rnn
from minigrad.ops import cat
from minigrad.tensor import Tensor


def _as_list(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _power_sum(x: np.ndarray, p: float) -> Any:
    """``sum(|x| ** p)``; one pass fewer for the usual ``p = 2`` (no ``abs``, ``square``)."""
    return np.sum(np.square(x)) if p == 2.0 else np.sum(np.abs(x) ** p)


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale the gradients in place so that their joint norm is at most ``max_norm``.

    The norm is taken over all gradients together, as if concatenated into one
    vector (``norm_type`` may be ``inf``). Gradients are multiplied by
    ``min(1, max_norm / (total_norm + 1e-6))``, as in PyTorch.

    Args:
        parameters: a Tensor or an iterable of Tensors whose ``.grad`` is clipped.
        max_norm: the largest allowed norm.
        norm_type: the p of the p-norm.
        error_if_nonfinite: raise if the total norm is nan or inf.
        foreach: accepted for PyTorch compatibility (it picks a PyTorch kernel);
            changes nothing here.

    Returns:
        The total norm of the gradients before clipping (a 0-d Tensor).

    Example:
        >>> import minigrad
        >>> w = minigrad.zeros(2, requires_grad=True)
        >>> w.grad = minigrad.tensor([3.0, 4.0])
        >>> minigrad.nn.utils.clip_grad_norm_([w], max_norm=1.0)
        tensor(5.)
        >>> w.grad
        tensor([0.6000, 0.8000])
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    norm_type = float(norm_type)
    if not grads:
        return Tensor(0.0)
    dtype = np.result_type(*[g.dtype for g in grads])
    if norm_type == np.inf:
        norms = [np.abs(g._data).max() if g.numel() else 0.0 for g in grads]
        total = np.asarray(max(norms), dtype=dtype)
    else:
        per_grad = [_power_sum(g._data.astype(dtype, copy=False), norm_type) for g in grads]
        total = np.asarray(np.sum(per_grad) ** (1.0 / norm_type), dtype=dtype)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
            f"so it cannot be clipped. To disable this error and scale the gradients by the "
            f"non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    coef = min(float(max_norm) / (float(total) + 1e-6), 1.0)
    if coef < 1.0 or not np.isfinite(coef):
        for g in grads:
            np.multiply(g._data, np.asarray(coef, dtype=g.dtype), out=g._data)
    return Tensor._make(total)


def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None
) -> None:
    """Clamp every gradient element into ``[-clip_value, clip_value]`` in place.

    Args:
        parameters: a Tensor or an iterable of Tensors whose ``.grad`` is clipped
            (parameters without a gradient are skipped).
        clip_value: the largest allowed magnitude.
        foreach: accepted for PyTorch compatibility (it picks a PyTorch kernel);
            changes nothing here.

    Example:
        >>> import minigrad
        >>> w = minigrad.zeros(3, requires_grad=True)
        >>> w.grad = minigrad.tensor([-5.0, 0.5, 5.0])
        >>> minigrad.nn.utils.clip_grad_value_(w, 1.0)
        >>> w.grad
        tensor([-1.0000,  0.5000,  1.0000])
    """
    clip_value = float(clip_value)
    for p in _as_list(parameters):
        if p.grad is not None:
            np.clip(p.grad._data, -clip_value, clip_value, out=p.grad._data)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Concatenate the parameters, flattened, into one vector (differentiable).

    Example:
        >>> import minigrad
        >>> lin = minigrad.nn.Linear(3, 2)
        >>> minigrad.nn.utils.parameters_to_vector(lin.parameters()).shape
        minigrad.Size([8])
    """
    params = _as_list(parameters)
    if not params:
        raise ValueError("parameters_to_vector: no parameters given")
    return cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy slices of the vector ``vec`` into the parameters, in order (the inverse of
    :func:`parameters_to_vector`).

    Example:
        >>> import minigrad
        >>> from minigrad.nn.utils import parameters_to_vector, vector_to_parameters
        >>> lin = minigrad.nn.Linear(2, 1)
        >>> vector_to_parameters(minigrad.arange(3.0), lin.parameters())
        >>> lin.weight, lin.bias
        (Parameter containing:
        tensor([[0., 1.]], requires_grad=True), Parameter containing:
        tensor([2.], requires_grad=True))
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected vec to be a Tensor, but got {type(vec).__name__}")
    params = _as_list(parameters)
    total = sum(p.numel() for p in params)
    if vec.ndim != 1 or vec.numel() != total:
        raise ValueError(
            f"vector_to_parameters: vec has shape {vec.shape} but the parameters hold "
            f"{total} elements"
        )
    offset = 0
    with no_grad():
        for p in params:
            n = p.numel()
            p.copy_(vec._data[offset : offset + n].reshape(p.shape))
            offset += n
