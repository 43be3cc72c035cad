"""Fused ops for the language models, each one graph node with a NumPy fast path.

The profile of the baby GPT's training step (``docs/language-models.md``) put
three things first: the matrix products of ``F.linear`` (whose row-block
splitting in ``minigrad.ops._blas.matmul2d`` is several times slower than one
BLAS call for these shapes), the exact ``erf`` of ``F.gelu`` (a masked float64
evaluation), and ``F.layer_norm`` as eight ops. These are the fused versions,
written as :class:`minigrad.autograd.ArrayFunction` subclasses: forward on
arrays, backward on arrays unless a graph is being built
(``ctx.create_graph``), in which case the same formula runs in Tensor ops so
that second derivatives work. Each matches its ``minigrad.nn.functional``
counterpart (``tests/test_gpt.py`` holds them equal, values and gradients).

Example:
    >>> import minigrad
    >>> from models.lm_ops import gelu, layer_norm, linear
    >>> x = minigrad.randn(2, 3, 4)
    >>> w = minigrad.ones(4)
    >>> y = linear(gelu(layer_norm(x, w, None)), minigrad.ones(5, 4))
    >>> y.shape
    minigrad.Size([2, 3, 5])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import minigrad
import minigrad.nn.functional as F
from minigrad import Tensor
from minigrad.autograd import ArrayFunction, Context

__all__ = ["gelu", "layer_norm", "linear", "normal_cdf"]

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
#: Elements per block of the elementwise kernels below: 64 KiB of float32, so that the
#: many passes of a polynomial run in cache instead of streaming from memory each time.
BLOCK = 16384
# Numerical Recipes' erfc(z) = t * exp(-z^2 + P(t)), t = 1 / (1 + z / 2), z >= 0: relative
# error below 1.2e-7 everywhere in exact arithmetic, so also for tiny tails.
_ERFC = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807,
         -1.13520398, 1.48851587, -0.82215223, 0.17087277)  # fmt: skip


def normal_cdf(x: np.ndarray) -> np.ndarray:
    """``Phi(x)``, the standard normal CDF, elementwise: float32 in float32, exact in float64.

    float32 uses a Chebyshev fit of ``erfc`` (Numerical Recipes' ``erfcc``), evaluated
    on ``-|x|`` so that the tail keeps its relative accuracy: absolute error below
    2.1e-7, relative error below 2e-6 for ``|x| < 4`` and 2e-5 out to ``|x| = 13``
    (float32's rounding of ``x²``). float64 uses :func:`minigrad.erf`.

    Example:
        >>> import numpy as np
        >>> from models.lm_ops import normal_cdf
        >>> normal_cdf(np.array([-1.0, 0.0, 1.0], dtype=np.float32)).round(4).tolist()
        [0.1587, 0.5, 0.8413]
    """
    if x.dtype != np.float32:
        return (0.5 + 0.5 * minigrad.erf(minigrad.tensor(x * _SQRT_HALF)).numpy()).astype(x.dtype)
    flat = np.ascontiguousarray(x).reshape(-1)
    out = np.empty_like(flat)
    for start in range(0, flat.size, BLOCK):  # cache blocking: ~25 passes stay in L2
        out[start : start + BLOCK] = _normal_cdf_f32(flat[start : start + BLOCK])
    return out.reshape(x.shape)


def _normal_cdf_f32(x: np.ndarray) -> np.ndarray:
    f32 = np.float32
    z = np.abs(x) * f32(_SQRT_HALF)
    t = z * f32(0.5)
    t += f32(1.0)
    np.reciprocal(t, out=t)
    poly = t * f32(_ERFC[-1])
    for c in reversed(_ERFC[1:-1]):
        poly += f32(c)
        poly *= t
    poly += f32(_ERFC[0])
    z *= z
    poly -= z
    np.exp(poly, out=poly)
    poly *= t
    poly *= f32(0.5)  # Phi(-|x|), accurate in the tail
    flip = poly * f32(-2.0)
    flip += f32(1.0)
    np.copysign(flip, x, out=flip)  # flip >= 0: keep it where x >= 0 (Phi(x) = 1 - Phi(-x))
    np.maximum(flip, f32(0.0), out=flip)  # and drop it elsewhere, without np.where's branches
    poly += flip
    return poly


# --------------------------------------------------------------------------- linear


class Linear(ArrayFunction):
    """``x @ w.T + b`` over any leading dims, with one BLAS call per product."""

    @staticmethod
    def forward(ctx: Context, x: Any, w: Any, b: Any) -> Any:
        ctx.save_for_backward(x, w)
        out = np.matmul(x.reshape(-1, x.shape[-1]), w.T)
        if b is not None:
            out += b
        return out.reshape(*x.shape[:-1], w.shape[0])

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, w = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        if ctx.create_graph:
            g2, x2 = grad.reshape(-1, grad.shape[-1]), x.reshape(-1, x.shape[-1])
            return (grad @ w if need_x else None, g2.t() @ x2 if need_w else None,
                    g2.sum(0) if need_b else None)  # fmt: skip
        g = grad.numpy().reshape(-1, grad.shape[-1])
        xa, wa = x.numpy(), w.numpy()
        gx = np.matmul(g, wa).reshape(xa.shape) if need_x else None
        gw = np.matmul(g.T, xa.reshape(-1, xa.shape[-1])) if need_w else None
        return gx, gw, g.sum(0) if need_b else None


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """:func:`minigrad.nn.functional.linear` as one node with plain BLAS products.

    Example:
        >>> import minigrad
        >>> from models.lm_ops import linear
        >>> linear(minigrad.ones(2, 3), minigrad.ones(4, 3), minigrad.zeros(4)).tolist()[0]
        [3.0, 3.0, 3.0, 3.0]
    """
    if input.ndim < 2 or weight.ndim != 2 or input.shape[-1] != weight.shape[1]:
        return F.linear(input, weight, bias)  # its checks and messages
    if input.dtype != weight.dtype or (bias is not None and bias.shape != (weight.shape[0],)):
        return F.linear(input, weight, bias)
    out: Tensor = Linear.apply(input, weight, bias)
    return out


# --------------------------------------------------------------------------- gelu


class Gelu(ArrayFunction):
    """``x * Phi(x)`` (the exact GELU) in one node; backward ``Phi(x) + x * phi(x)``."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        cdf = normal_cdf(x)
        ctx.save_for_backward(x, cdf)
        return x * cdf

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, cdf = ctx.saved_tensors
        if ctx.create_graph:
            pdf = (x * x * -0.5).exp() * _INV_SQRT_2PI
            return grad * ((x * _SQRT_HALF).erf() * 0.5 + 0.5 + x * pdf)
        xa, ca, ga = (np.ascontiguousarray(t.numpy()).reshape(-1) for t in (x, cdf, grad))
        out = np.empty_like(xa)
        c = xa.dtype.type(_INV_SQRT_2PI)
        for start in range(0, xa.size, BLOCK):  # cache blocking, as normal_cdf
            block = slice(start, start + BLOCK)
            xb = xa[block]
            pdf = xb * xb
            pdf *= xa.dtype.type(-0.5)
            np.exp(pdf, out=pdf)
            pdf *= c
            pdf *= xb
            pdf += ca[block]
            pdf *= ga[block]
            out[block] = pdf
        return out.reshape(x.shape)


def gelu(input: Tensor) -> Tensor:
    """The exact GELU ``x * Phi(x)`` as one node (:func:`minigrad.nn.functional.gelu`).

    Example:
        >>> import minigrad
        >>> from models.lm_ops import gelu
        >>> gelu(minigrad.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.1587,  0.0000,  0.8413])
    """
    if input.dtype.kind != "f":
        return F.gelu(input)
    out: Tensor = Gelu.apply(input)
    return out


# --------------------------------------------------------------------------- layer norm


class LayerNorm(ArrayFunction):
    """Layer normalisation over the last dim, scaled by ``w`` and shifted by ``b`` (either None)."""

    @staticmethod
    def forward(ctx: Context, x: Any, w: Any, b: Any, eps: float) -> Any:
        mean = x.mean(-1, keepdims=True)
        xc = x - mean
        var = np.einsum("...i,...i->...", xc, xc)[..., None] / x.shape[-1]
        rstd = 1.0 / np.sqrt(var + x.dtype.type(eps))
        xhat = xc * rstd
        ctx.save_for_backward(x, w, xhat, rstd)
        out = xhat * w if w is not None else xhat.copy()
        if b is not None:
            out += b
        return out

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        x, w, xhat, rstd = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        lead = tuple(range(grad.ndim - 1))
        if ctx.create_graph:  # the same formula in Tensor ops, x-hat recomputed from x
            xc = x - x.mean(-1, keepdim=True)
            r = ((xc * xc).mean(-1, keepdim=True) + ctx.attrs["eps"]) ** -0.5
            xh = xc * r
            gxh = grad * w if w is not None else grad
            gx = r * (gxh - gxh.mean(-1, keepdim=True) - xh * (gxh * xh).mean(-1, keepdim=True))
            gw = (grad * xh).sum(lead) if need_w else None
            return gx if need_x else None, gw, grad.sum(lead) if need_b else None
        g, xh = grad.numpy(), xhat.numpy()
        gxh = g * w.numpy() if w is not None else g
        gx = None
        if need_x:
            n = xh.shape[-1]
            proj = np.einsum("...i,...i->...", gxh, xh)[..., None] / n
            gx = gxh - gxh.mean(-1, keepdims=True)
            gx -= xh * proj
            gx *= rstd.numpy()
        g2 = g.reshape(-1, g.shape[-1])
        gw = np.einsum("ni,ni->i", g2, xh.reshape(g2.shape)) if need_w else None
        return gx, gw, g2.sum(0) if need_b else None


def layer_norm(
    input: Tensor, weight: Tensor | None, bias: Tensor | None, eps: float = 1e-5
) -> Tensor:
    """:func:`minigrad.nn.functional.layer_norm` over the last dim, as one node.

    Example:
        >>> import minigrad
        >>> from models.lm_ops import layer_norm
        >>> layer_norm(minigrad.tensor([[1.0, 3.0]]), None, None)
        tensor([[-1.,  1.]])
    """
    n = input.shape[-1] if input.ndim else 0
    ok = input.dtype.kind == "f" and input.ndim >= 1
    for t in (weight, bias):
        ok = ok and (t is None or (t.shape == (n,) and t.dtype == input.dtype))
    if not ok:
        return F.layer_norm(input, (n,), weight, bias, eps)  # its checks and messages
    out: Tensor = LayerNorm.apply(input, weight, bias, eps=eps)
    return out
