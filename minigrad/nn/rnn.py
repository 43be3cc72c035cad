"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` and their cells, as PyTorch's.

Parameter names (``weight_ih_l0``, ``weight_hh_l0``, ``bias_ih_l0``, ``bias_hh_l0``,
``weight_hr_l0`` for an LSTM's projection, ``..._reverse`` for the backward
direction), shapes, gate order (LSTM ``i, f, g, o``; GRU ``r, z, n`` with
``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``) and the initialisation
``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))`` are PyTorch's, so state dicts
move between the two in both directions.

The layers loop over time steps only: the input projections of all steps are
one matrix product before the loop, and each step's gates are one product of
the hidden state with ``weight_hh``. Everything is built from Tensor ops, so
gradients (and second derivatives) flow through ``backward``. A
:class:`~minigrad.nn.utils.rnn.PackedSequence` is accepted as input.

Example:
    >>> import minigrad
    >>> from minigrad import nn
    >>> lstm = nn.LSTM(input_size=8, hidden_size=16, num_layers=2, batch_first=True)
    >>> out, (h, c) = lstm(minigrad.randn(4, 10, 8))
    >>> out.shape, h.shape, c.shape
    (minigrad.Size([4, 10, 16]), minigrad.Size([2, 4, 16]), minigrad.Size([2, 4, 16]))
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from minigrad import ops
from minigrad.creation import empty, zeros
from minigrad.nn import functional as F
from minigrad.nn import init
from minigrad.nn._rnn_utils import PackedSequence, _packed_positions, pad_packed_sequence
from minigrad.nn.module import Module, Parameter
from minigrad.ops.recurrent import fused_lstm_cell
from minigrad.tensor import DTypeLike, Tensor

__all__ = ["GRU", "LSTM", "RNN", "GRUCell", "LSTMCell", "RNNBase", "RNNCell", "RNNCellBase"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


# --------------------------------------------------------------------------- one step


def _rnn_step(gi: Tensor, gh: Tensor, relu: bool) -> Tensor:
    pre = gi + gh
    return pre.relu() if relu else pre.tanh()


def _lstm_step(gi: Tensor, gh: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
    # One graph node for the gates and the cell update (ops/recurrent.py).
    return fused_lstm_cell(gi + gh, c)


def _gru_step(gi: Tensor, gh: Tensor, h: Tensor) -> Tensor:
    i_r, i_z, i_n = gi.chunk(3, -1)
    h_r, h_z, h_n = gh.chunk(3, -1)
    r = (i_r + h_r).sigmoid()
    z = (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return n + z * (h - n)


def _step(mode: str, gi: Tensor, gh: Tensor, h: Tensor, c: Tensor | None) -> tuple[Tensor, Any]:
    """One time step of ``mode`` from the input part ``gi`` and hidden part ``gh`` of the gates."""
    if mode == "LSTM":
        assert c is not None
        return _lstm_step(gi, gh, c)
    if mode == "GRU":
        return _gru_step(gi, gh, h), None
    return _rnn_step(gi, gh, mode == "RNN_RELU"), None


# --------------------------------------------------------------------------- the layers


class RNNBase(Module):
    """What RNN, LSTM and GRU share: parameters, checks and the loop over layers and time.

    ``mode`` is ``'RNN_TANH'``, ``'RNN_RELU'``, ``'LSTM'`` or ``'GRU'``; use the
    subclasses. See :class:`LSTM` for the arguments.

    Example:
        >>> import minigrad
        >>> from minigrad.nn import RNNBase
        >>> rnn = RNNBase("GRU", 3, 5)
        >>> [name for name, _ in rnn.named_parameters()]
        ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']
    """

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__()
        if mode not in _GATES:
            raise ValueError(f"RNNBase: unknown mode {mode!r}; expected one of {list(_GATES)}")
        name = self._display_name(mode)
        if not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError(f"{name}: dropout must be a number in [0, 1], got {dropout!r}")
        if hidden_size <= 0 or num_layers <= 0:
            raise ValueError(
                f"{name}: hidden_size and num_layers must be positive, got {hidden_size} and "
                f"{num_layers}"
            )
        if proj_size < 0 or (proj_size and mode != "LSTM"):
            raise ValueError(f"{name}: proj_size must be 0 (LSTM only: >= 0), got {proj_size}")
        if proj_size >= hidden_size:
            raise ValueError(
                f"{name}: proj_size={proj_size} must be smaller than hidden_size={hidden_size}"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                f"{name}: dropout={dropout} acts between layers, so with num_layers=1 it does "
                "nothing",
                stacklevel=2,
            )
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        gate_size = _GATES[mode] * hidden_size
        out_size = proj_size or hidden_size
        directions = 2 if bidirectional else 1
        self._flat_weights_names: list[str] = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else out_size * directions
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes: list[tuple[str, tuple[int, ...]]] = [
                    ("weight_ih", (gate_size, layer_input)),
                    ("weight_hh", (gate_size, out_size)),
                ]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                for stem, shape in shapes:
                    setattr(self, stem + suffix, Parameter(empty(*shape, dtype=dtype)))
                    self._flat_weights_names.append(stem + suffix)
        self.reset_parameters()

    @staticmethod
    def _display_name(mode: str) -> str:
        return "RNN" if mode.startswith("RNN") else mode

    def reset_parameters(self) -> None:
        """Draw every weight and bias from ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def flatten_parameters(self) -> None:
        """Does nothing (PyTorch compacts cuDNN weights here); kept for portable code."""

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters per layer and direction, in PyTorch's order."""
        per = len(self._flat_weights_names) // (self.num_layers * (2 if self.bidirectional else 1))
        names = self._flat_weights_names
        return [[getattr(self, n) for n in names[i : i + per]] for i in range(0, len(names), per)]

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # ------------------------------------------------------------------ forward
    def _name(self) -> str:
        return type(self).__name__

    def _sequence(self, input: Any) -> tuple[Tensor, np.ndarray | None, bool]:
        """The input as ``(T, B, H_in)``, the (T, B, 1) mask of real steps if packed, unbatched."""
        name = self._name()
        if isinstance(input, PackedSequence):
            padded, lengths = pad_packed_sequence(PackedSequence(input.data, input.batch_sizes))
            steps = np.arange(padded.shape[0])[:, None]
            return padded, (lengths._data[None, :] > steps)[..., None], False
        x = input if isinstance(input, Tensor) else Tensor(input)
        if x.ndim not in (2, 3):
            layout = "(N, L, H_in)" if self.batch_first else "(L, N, H_in)"
            raise ValueError(
                f"{name}: expected a 2-D (L, H_in) unbatched or 3-D {layout} input, got "
                f"{x.ndim}-D input of shape {x.shape}"
            )
        if x.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{name}: input has {x.shape[-1]} features (shape {x.shape}) but the layer "
                f"expects input_size={self.input_size}"
            )
        if x.ndim == 2:
            return x.unsqueeze(1), None, True
        return (x.transpose(0, 1) if self.batch_first else x), None, False

    def _state(self, hx: Any, batch: int, size: int, unbatched: bool, what: str, dtype: Any) -> Any:
        rows = self.num_layers * (2 if self.bidirectional else 1)
        if hx is None:
            return zeros(rows, batch, size, dtype=dtype)
        h = hx if isinstance(hx, Tensor) else Tensor(hx)
        want = 2 if unbatched else 3
        if h.ndim != want:
            kind = "unbatched 2-D" if unbatched else "batched 3-D"
            raise RuntimeError(
                f"{self._name()}: for {kind} input, {what} should be {want}-D too, got "
                f"{h.ndim}-D of shape {h.shape}"
            )
        h = h.unsqueeze(1) if unbatched else h
        if tuple(h.shape) != (rows, batch, size):
            raise RuntimeError(
                f"{self._name()}: expected {what} of shape {(rows, batch, size)}"
                f"{' (unbatched: without the batch dim)' if unbatched else ''}, got "
                f"{tuple(hx.shape)}"
            )
        return h

    def _initial_states(self, hx: Any, batch: int, unbatched: bool, dtype: Any) -> tuple[Any, Any]:
        out_size = self.proj_size or self.hidden_size
        if self.mode != "LSTM":
            return self._state(hx, batch, out_size, unbatched, "hx", dtype), None
        if hx is None:
            h0 = c0 = None
        elif isinstance(hx, (tuple, list)) and len(hx) == 2:
            h0, c0 = hx
        else:
            raise TypeError("LSTM: hx must be a tuple (h_0, c_0)")
        return (
            self._state(h0, batch, out_size, unbatched, "h_0", dtype),
            self._state(c0, batch, self.hidden_size, unbatched, "c_0", dtype),
        )

    def _direction(
        self, x: Tensor, h: Tensor, c: Tensor | None, suffix: str, reverse: bool,
        mask: np.ndarray | None,
    ) -> tuple[Tensor, Tensor, Tensor | None]:  # fmt: skip
        """Run one layer in one direction over all time steps: (outputs (T, B, H), h_T, c_T)."""
        w_ih, w_hh = getattr(self, "weight_ih" + suffix), getattr(self, "weight_hh" + suffix)
        b_ih = getattr(self, "bias_ih" + suffix) if self.bias else None
        b_hh = getattr(self, "bias_hh" + suffix) if self.bias else None
        w_hr = getattr(self, "weight_hr" + suffix) if self.proj_size else None
        gates_in = F.linear(x, w_ih, b_ih)  # every time step's input part in one product
        steps = x.shape[0]
        outs: list[Any] = [None] * steps
        for t in reversed(range(steps)) if reverse else range(steps):
            h_new, c_new = _step(self.mode, gates_in[t], F.linear(h, w_hh, b_hh), h, c)
            if w_hr is not None:
                h_new = F.linear(h_new, w_hr)
            if mask is None:
                h, c, outs[t] = h_new, c_new, h_new
            else:  # packed: sequences that have ended keep their state and output zeros
                m = mask[t]
                h = ops.where(m, h_new, h)
                c = ops.where(m, c_new, c) if c is not None else None
                outs[t] = ops.where(m, h_new, 0.0)
        return ops.stack(outs, 0), h, c

    def forward(self, input: Any, hx: Any = None) -> tuple[Any, Any]:
        packed = input if isinstance(input, PackedSequence) else None
        x, mask, unbatched = self._sequence(input)
        batch = x.shape[1]
        params = next(iter(self.parameters()))
        if x.dtype != params.dtype:
            raise TypeError(
                f"{self._name()}: input is {x.dtype} but the parameters are {params.dtype}; "
                "convert one (e.g. module.double())"
            )
        h0, c0 = self._initial_states(hx, batch, unbatched, x.dtype)
        if packed is not None and packed.sorted_indices is not None:
            h0 = h0[:, packed.sorted_indices._data]
            c0 = c0[:, packed.sorted_indices._data] if c0 is not None else None
        h_last: list[Tensor] = []
        c_last: list[Any] = []
        directions = 2 if self.bidirectional else 1
        for layer in range(self.num_layers):
            outs = []
            for d in range(directions):
                k = layer * directions + d
                suffix = f"_l{layer}" + ("_reverse" if d else "")
                c_k = c0[k] if c0 is not None else None
                out, h, c = self._direction(x, h0[k], c_k, suffix, bool(d), mask)
                outs.append(out)
                h_last.append(h)
                c_last.append(c)
            x = outs[0] if directions == 1 else ops.cat(outs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        h_n = ops.stack(h_last, 0)
        c_n = ops.stack(c_last, 0) if self.mode == "LSTM" else None
        output: Any
        if packed is not None:
            _, t_idx, b_idx = _packed_positions(
                (packed.batch_sizes._data[None, :] > np.arange(batch)[:, None]).sum(1)
            )
            output = PackedSequence(
                x[t_idx, b_idx], packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices
            )
            if packed.unsorted_indices is not None:
                h_n = h_n[:, packed.unsorted_indices._data]
                c_n = c_n[:, packed.unsorted_indices._data] if c_n is not None else None
        elif unbatched:
            output = x.squeeze(1)
            h_n = h_n.squeeze(1)
            c_n = c_n.squeeze(1) if c_n is not None else None
        else:
            output = x.transpose(0, 1) if self.batch_first else x
        return output, ((h_n, c_n) if self.mode == "LSTM" else h_n)


class RNN(RNNBase):
    """Elman RNN: ``h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)`` (or ReLU).

    Args:
        input_size, hidden_size, num_layers, bias: as :class:`LSTM`.
        batch_first, dropout, bidirectional, dtype: as :class:`LSTM`.
        nonlinearity: ``'tanh'`` (default) or ``'relu'``.

    Returns ``(output, h_n)``.

    Example:
        >>> import minigrad
        >>> rnn = minigrad.nn.RNN(4, 6, nonlinearity="relu", bidirectional=True)
        >>> out, h = rnn(minigrad.randn(7, 2, 4))
        >>> out.shape, h.shape
        (minigrad.Size([7, 2, 12]), minigrad.Size([2, 2, 6]))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        dtype: DTypeLike = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: unknown nonlinearity {nonlinearity!r}; use 'tanh' or 'relu'")
        super().__init__(
            "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size,
            num_layers, bias, batch_first, dropout, bidirectional, 0, dtype,
        )  # fmt: skip
        self.nonlinearity = nonlinearity

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s + (f", nonlinearity={self.nonlinearity!r}" if self.nonlinearity != "tanh" else "")


class LSTM(RNNBase):
    """Long short-term memory, gates ``i, f, g, o``; optional projection (``proj_size``).

    ``c_t = f * c_{t-1} + i * g``, ``h_t = o * tanh(c_t)`` (times ``W_hr`` if ``proj_size``).

    Args:
        input_size: features of the input ``x``.
        hidden_size: features of the cell state (and of ``h`` without projection).
        num_layers: stacked layers.
        bias: learn ``bias_ih`` and ``bias_hh``.
        batch_first: input and output are ``(N, L, *)`` instead of ``(L, N, *)``.
        dropout: dropout on each layer's output but the last, in training mode.
        bidirectional: add a reverse direction (parameters ``..._reverse``).
        proj_size: project ``h`` to this size with ``weight_hr_l{k}`` (0: none).
        dtype: the parameters' dtype.

    Shapes: input ``(L, N, H_in)``, ``(N, L, H_in)`` with ``batch_first``, ``(L, H_in)``
    unbatched, or a ``PackedSequence``; ``h_0`` ``(D * num_layers, N, H_out)`` and ``c_0``
    ``(D * num_layers, N, hidden_size)`` (zeros if omitted). Returns
    ``(output, (h_n, c_n))`` with output ``(L, N, D * H_out)``.

    Example:
        >>> import minigrad
        >>> lstm = minigrad.nn.LSTM(3, 8, proj_size=2)
        >>> lstm.weight_hr_l0.shape, lstm.weight_hh_l0.shape
        (minigrad.Size([2, 8]), minigrad.Size([32, 2]))
        >>> out, (h, c) = lstm(minigrad.randn(5, 3))  # unbatched
        >>> out.shape, h.shape, c.shape
        (minigrad.Size([5, 2]), minigrad.Size([1, 2]), minigrad.Size([1, 8]))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            "LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, proj_size, dtype,
        )  # fmt: skip


class GRU(RNNBase):
    """Gated recurrent unit, gates ``r, z, n``: ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``,
    ``h' = (1 - z) * n + z * h``.

    Arguments and shapes as :class:`LSTM` (no ``proj_size``, no cell state); returns
    ``(output, h_n)``.

    Example:
        >>> import minigrad
        >>> gru = minigrad.nn.GRU(4, 5, num_layers=2, batch_first=True)
        >>> out, h = gru(minigrad.randn(3, 6, 4))
        >>> out.shape, h.shape
        (minigrad.Size([3, 6, 5]), minigrad.Size([2, 3, 5]))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        dtype: DTypeLike = None,
    ) -> None:
        super().__init__(
            "GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout,
            bidirectional, 0, dtype,
        )  # fmt: skip


# --------------------------------------------------------------------------- cells


class RNNCellBase(Module):
    """What the cells share: ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh`` and checks.

    Example:
        >>> import minigrad
        >>> cell = minigrad.nn.GRUCell(2, 3)
        >>> isinstance(cell, minigrad.nn.RNNCellBase), cell.weight_ih.shape
        (True, minigrad.Size([9, 2]))
    """

    _mode = "RNN_TANH"

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, dtype: DTypeLike
    ) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(empty(num_chunks * hidden_size, input_size, dtype=dtype))
        self.weight_hh = Parameter(empty(num_chunks * hidden_size, hidden_size, dtype=dtype))
        self.register_parameter("bias_ih", None)
        self.register_parameter("bias_hh", None)
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every weight and bias from ``U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))``."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        return s

    def _input(self, input: Any) -> tuple[Tensor, bool]:
        x = input if isinstance(input, Tensor) else Tensor(input)
        name = type(self).__name__
        if x.ndim not in (1, 2):
            raise ValueError(
                f"{name}: expected a 1-D (H_in) or 2-D (N, H_in) input, got {x.ndim}-D input of "
                f"shape {x.shape}"
            )
        if x.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{name}: input has {x.shape[-1]} features (shape {x.shape}) but the cell "
                f"expects input_size={self.input_size}"
            )
        return (x.unsqueeze(0), True) if x.ndim == 1 else (x, False)

    def _hidden(self, hx: Any, batch: int, unbatched: bool, what: str, dtype: Any) -> Tensor:
        if hx is None:
            return zeros(batch, self.hidden_size, dtype=dtype)
        h = hx if isinstance(hx, Tensor) else Tensor(hx)
        want = (self.hidden_size,) if unbatched else (batch, self.hidden_size)
        if tuple(h.shape) != want:
            raise RuntimeError(
                f"{type(self).__name__}: expected {what} of shape {want}, got {tuple(h.shape)}"
            )
        return h.unsqueeze(0) if unbatched else h

    def _gates(self, x: Tensor, h: Tensor) -> tuple[Tensor, Tensor]:
        return F.linear(x, self.weight_ih, self.bias_ih), F.linear(h, self.weight_hh, self.bias_hh)


class RNNCell(RNNCellBase):
    """One step of an Elman RNN: ``h' = tanh(W_ih x + b_ih + W_hh h + b_hh)`` (or ReLU).

    Shapes: input ``(N, H_in)`` or ``(H_in)``, ``hx`` ``(N, H)`` (zeros if omitted); returns ``h'``.

    Example:
        >>> import minigrad
        >>> cell = minigrad.nn.RNNCell(3, 4)
        >>> cell(minigrad.randn(2, 3)).shape
        minigrad.Size([2, 4])
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        dtype: DTypeLike = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: unknown nonlinearity {nonlinearity!r}")
        super().__init__(input_size, hidden_size, bias, 1, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, unbatched = self._input(input)
        h = self._hidden(hx, x.shape[0], unbatched, "hx", x.dtype)
        out = _rnn_step(*self._gates(x, h), self.nonlinearity == "relu")
        return out.squeeze(0) if unbatched else out


class LSTMCell(RNNCellBase):
    """One LSTM step (gates ``i, f, g, o``); ``hx`` is ``(h, c)``; returns ``(h', c')``.

    Example:
        >>> import minigrad
        >>> cell = minigrad.nn.LSTMCell(3, 4)
        >>> h, c = cell(minigrad.randn(2, 3))
        >>> h.shape, c.shape, cell.weight_ih.shape
        (minigrad.Size([2, 4]), minigrad.Size([2, 4]), minigrad.Size([16, 3]))
    """

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, dtype: DTypeLike = None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 4, dtype)

    def forward(self, input: Tensor, hx: Any = None) -> tuple[Tensor, Tensor]:
        x, unbatched = self._input(input)
        h0, c0 = (None, None) if hx is None else hx
        h = self._hidden(h0, x.shape[0], unbatched, "h", x.dtype)
        c = self._hidden(c0, x.shape[0], unbatched, "c", x.dtype)
        h_new, c_new = _lstm_step(*self._gates(x, h), c)
        return (h_new.squeeze(0), c_new.squeeze(0)) if unbatched else (h_new, c_new)


class GRUCell(RNNCellBase):
    """One GRU step (gates ``r, z, n``, PyTorch's formula); returns ``h'``.

    Example:
        >>> import minigrad
        >>> cell = minigrad.nn.GRUCell(3, 4)
        >>> cell(minigrad.randn(3), minigrad.zeros(4)).shape
        minigrad.Size([4])
    """

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, dtype: DTypeLike = None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, 3, dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        x, unbatched = self._input(input)
        h = self._hidden(hx, x.shape[0], unbatched, "hx", x.dtype)
        out = _gru_step(*self._gates(x, h), h)
        return out.squeeze(0) if unbatched else out
