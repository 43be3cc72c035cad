"""Recurrent cells as single nodes: ``fused_lstm_cell`` (what ``nn.LSTM`` steps with).

An LSTM step written with Tensor ops is about fifteen graph nodes (four gate
slices, three sigmoids, two tanh, products and sums), and for small hidden
sizes the per-node overhead dominates the arithmetic. ``fused_lstm_cell`` is one
node with two outputs, ``(h, c)``, in PyTorch's gate order ``i, f, g, o``:

    i, f, g, o = sigmoid(a_i), sigmoid(a_f), tanh(a_g), sigmoid(a_o)
    c' = f * c + i * g
    h' = o * tanh(c')

Its backward is the closed form on arrays when no graph is built, and the same
formula recomputed in Tensor ops from the saved inputs under ``ctx.create_graph``
(so second derivatives work; the OpInfo ``fast_path`` property holds the two equal).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.autograd import ArrayFunction, Context
from minigrad.ops._registry import op
from minigrad.ops._util import as_tensor
from minigrad.ops.elementwise import stable_sigmoid
from minigrad.tensor import Tensor


class FusedLstmCell(ArrayFunction):
    """``(h', c')`` from the summed gate pre-activations ``(N, 4H)`` and the cell ``c``."""

    @staticmethod
    def forward(ctx: Context, gates: Any, c: Any) -> Any:
        a_i, a_f, a_g, a_o = np.split(gates, 4, axis=-1)
        i, f, o = stable_sigmoid(a_i), stable_sigmoid(a_f), stable_sigmoid(a_o)
        g = np.tanh(a_g)
        c_new = f * c + i * g
        t = np.tanh(c_new)
        ctx.save_for_backward(gates, c, np.concatenate([i, f, g, o], axis=-1), t)
        return o * t, c_new

    @staticmethod
    def backward(ctx: Context, grad_h: Tensor, grad_c: Tensor) -> Any:
        gates, c, acts, t = ctx.saved_tensors
        if ctx.create_graph:
            return _backward_graph(gates, c, grad_h, grad_c)
        i, f, g, o = np.split(acts.numpy(), 4, axis=-1)
        tt, gh, gc, cc = t.numpy(), grad_h.numpy(), grad_c.numpy(), c.numpy()
        dc = gc + gh * o * (1.0 - tt * tt)
        d_gates = np.concatenate(
            [dc * g * i * (1.0 - i), dc * cc * f * (1.0 - f), dc * i * (1.0 - g * g),
             gh * tt * o * (1.0 - o)],
            axis=-1,
        )  # fmt: skip
        return Tensor._make(d_gates), Tensor._make(dc * f)


def _backward_graph(gates: Tensor, c: Tensor, grad_h: Tensor, grad_c: Tensor) -> Any:
    """The same gradient in Tensor ops, recomputed from the inputs (differentiable again)."""
    a_i, a_f, a_g, a_o = gates.chunk(4, -1)
    i, f, g, o = a_i.sigmoid(), a_f.sigmoid(), a_g.tanh(), a_o.sigmoid()
    t = (f * c + i * g).tanh()
    dc = grad_c + grad_h * o * (1.0 - t * t)
    d_gates = [dc * g * i * (1.0 - i), dc * c * f * (1.0 - f), dc * i * (1.0 - g * g),
               grad_h * t * o * (1.0 - o)]  # fmt: skip
    from minigrad.ops.shape import cat

    return cat(d_gates, dim=-1), dc * f


@op(method=False, export=False)
def fused_lstm_cell(gates: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
    """One LSTM step from the gate pre-activations: ``(h', c')`` as one graph node.

    Args:
        gates: ``W_ih x + b_ih + W_hh h + b_hh``, shape ``(*, 4 * hidden)``, in
            PyTorch's gate order ``i, f, g, o``.
        c: the cell state, shape ``(*, hidden)``.

    Example:
        >>> import minigrad
        >>> from minigrad.ops.recurrent import fused_lstm_cell
        >>> h, c = fused_lstm_cell(minigrad.zeros(1, 8), minigrad.ones(1, 2))
        >>> h, c
        (tensor([[0.2311, 0.2311]]), tensor([[0.5000, 0.5000]]))
    """
    gates, c = as_tensor(gates), as_tensor(c)
    hidden = gates.shape[-1] // 4 if gates.ndim else 0
    if gates.ndim == 0 or gates.shape[-1] % 4 or (*gates.shape[:-1], hidden) != c.shape:
        raise RuntimeError(
            f"fused_lstm_cell: gates of shape {tuple(gates.shape)} need a cell state of shape "
            f"(*, gates.shape[-1] / 4) matching their leading dims, got {tuple(c.shape)}"
        )
    if gates.dtype != c.dtype:
        raise TypeError(f"fused_lstm_cell: gates are {gates.dtype} but c is {c.dtype}")
    h, c_new = FusedLstmCell.apply(gates, c)
    return h, c_new
