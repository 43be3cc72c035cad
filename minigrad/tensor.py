"""The :class:`Tensor`: an ndarray that records the operations applied to it.

Example:
    >>> import minigrad
    >>> x = minigrad.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y
    tensor(30., grad_fn=<SumBackward0>)
    >>> y.backward()
    >>> x.grad
    tensor([[2., 4.],
            [6., 8.]])
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

import numpy as np

import minigrad
from minigrad.autograd.grad_mode import is_grad_enabled
from minigrad.device import CPU, as_device
from minigrad.device import device as Device
from minigrad.dtypes import _BY_NP, to_dtype
from minigrad.dtypes import dtype as DType
from minigrad.size import Size

if TYPE_CHECKING:
    from minigrad.autograd.graph import AccumulateGrad, Node

DTypeLike = Any

_default_dtype: np.dtype = np.dtype(np.float32)


def set_default_dtype(dtype: DTypeLike) -> None:
    """Set the floating dtype that Python floats become (``float32`` or ``float64``).

    Example:
        >>> import minigrad
        >>> minigrad.set_default_dtype(minigrad.float64)
        >>> minigrad.tensor(1.5).dtype
        minigrad.float64
        >>> minigrad.set_default_dtype(minigrad.float32)
    """
    global _default_dtype
    dt = to_dtype(dtype).dtype
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"set_default_dtype: only float32 and float64 are supported, got {dt}")
    _default_dtype = dt


def get_default_dtype() -> np.dtype:  # a minigrad.dtype, standing in for the np.dtype
    """Return the default floating dtype.

    Example:
        >>> import minigrad
        >>> minigrad.get_default_dtype()
        minigrad.float32
    """
    return to_dtype(_default_dtype)  # type: ignore[return-value]


def _infer_array(data: Any, dtype: DTypeLike | None) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data._data
    if dtype is not None:
        return np.array(data, dtype=to_dtype(dtype).dtype)
    if isinstance(data, (np.ndarray, np.generic)):
        return np.array(data)  # NumPy arrays and scalars keep their dtype (as torch.tensor)
    arr = np.array(data)
    if arr.dtype == np.float64 and not _has_numpy_float64(data):
        arr = arr.astype(_default_dtype)
    elif arr.dtype.kind == "i":
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "fbiu":
        raise TypeError(f"tensor: cannot make a tensor from data of type {arr.dtype}")
    return arr


def _has_numpy_float64(data: Any) -> bool:
    """True if nested data holds an explicit float64 NumPy value (which stays float64)."""
    if isinstance(data, np.ndarray):
        return data.dtype == np.float64
    if isinstance(data, np.float64):
        return True
    if isinstance(data, (list, tuple)):
        return any(_has_numpy_float64(d) for d in data)
    return False


class Tensor:
    """A multi-dimensional array with automatic differentiation.

    Args:
        data: a scalar, a nested list, an ndarray or a Tensor (copied).
        dtype: a NumPy dtype; by default Python floats become the default dtype
            (float32), integers int64, bools bool, and arrays keep their dtype.
        requires_grad: record operations on this tensor for ``backward()``.

    Attributes:
        data: the values as a Tensor outside the graph (shares storage; see :attr:`data`).
        grad: the accumulated gradient (a Tensor), or ``None``.
        requires_grad: whether operations on it are recorded.
        grad_fn: the graph node that produced it (``None`` for leaves).

    Example:
        >>> import minigrad
        >>> t = minigrad.Tensor([1, 2, 3])  # as torch.Tensor: float32 (tensor() infers int64)
        >>> t.dtype, t.shape, minigrad.Tensor(2, 3).shape
        (minigrad.float32, minigrad.Size([3]), minigrad.Size([2, 3]))
    """

    __array_priority__ = 1000  # make ndarray <op> Tensor defer to Tensor
    # Recorded in-place writes to this tensor (as a base) so far, and, for a view, the
    # count its grad_fn was made at: a view whose base was rebased since is refreshed.
    _rebases = 0
    _seen_rebases = 0

    def __init__(
        self,
        data: Any = (),
        *size: Any,
        dtype: DTypeLike | None = None,
        requires_grad: bool = False,
    ):
        if size and _is_size(data) and all(_is_size(n) for n in size):
            # Tensor(2, 3): PyTorch's legacy constructor, uninitialised values of that shape
            # (a single int stays a value: Tensor(3) is tensor(3), where torch gives shape (3,)).
            array = np.empty((int(data), *(int(n) for n in size)), dtype=_legacy_dtype(dtype))
        elif size:
            dtype = size[0] if dtype is None and len(size) == 1 else dtype
            if len(size) > 1 or dtype is not size[0]:
                raise TypeError(
                    f"Tensor(): expected sizes (ints) or one data argument, got {len(size) + 1} "
                    f"arguments ({type(data).__name__}, ...)"
                )
            array = _infer_array(data, dtype)
        elif isinstance(data, (list, tuple)) and dtype is None:
            array = np.array(_infer_array(data, None), dtype=_default_dtype)  # as torch.Tensor
        else:
            array = _infer_array(data, dtype)
        self._data: np.ndarray = array
        self.grad: Tensor | None = None
        self.grad_fn: Node | None = None
        self._version_cell = [0]
        self._output_nr = 0
        self._base: Tensor | None = None
        self._view_fn: Any = None
        self._accumulator: AccumulateGrad | None = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, data: np.ndarray) -> Tensor:
        """Wrap an ndarray without copying (internal)."""
        t = cls.__new__(cls)
        t._data = data
        t.grad = None
        t.grad_fn = None
        t._version_cell = [0]
        t._output_nr = 0
        t._base = None
        t._view_fn = None
        t._accumulator = None
        t.requires_grad = False
        return t

    # ------------------------------------------------------------------ properties
    @property
    def data(self) -> Tensor:
        """The values as a tensor outside the graph, over the same storage (PyTorch's ``.data``).

        Writes through it change this tensor without autograd seeing them (its
        version counter is its own), as PyTorch's; ``.numpy()`` gives the array.
        Assigning ``t.data = other`` replaces the storage with ``other``'s (a Tensor
        or an ndarray), shape and dtype included.

        Example:
            >>> import minigrad
            >>> w = minigrad.ones(2, requires_grad=True)
            >>> w.data.add_(1.0)
            tensor([2., 2.])
            >>> w
            tensor([2., 2.], requires_grad=True)
            >>> w.data = minigrad.zeros(3)
            >>> w.tolist()
            [0.0, 0.0, 0.0]
        """
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Any) -> None:
        if isinstance(value, Tensor):
            self._data = value._data
        elif isinstance(value, np.ndarray):
            self._data = value
        else:
            raise TypeError(
                f"data: expected a Tensor (or a numpy.ndarray), got {type(value).__name__}"
            )

    @property
    def _version(self) -> int:
        """How many times the data was modified in place (shared with views and detach())."""
        return self._version_cell[0]

    @_version.setter
    def _version(self, value: int) -> None:
        self._version_cell[0] = value

    @property
    def shape(self) -> Size:
        """The shape: a :class:`minigrad.Size` (a tuple of ints, printed as torch's).

        Example:
            >>> import minigrad
            >>> minigrad.zeros(2, 3).shape
            minigrad.Size([2, 3])
        """
        return tuple.__new__(Size, self._data.shape)  # ints already: skip Size's checks

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:  # a minigrad.dtype, which stands in for the np.dtype
        """The element type, e.g. ``minigrad.float32`` (equal to the NumPy dtype too).

        Example:
            >>> import numpy as np
            >>> import minigrad
            >>> x = minigrad.zeros(2)
            >>> x.dtype, x.dtype == np.float32
            (minigrad.float32, True)
        """
        dt = self._data.dtype
        return _BY_NP.get(dt) or to_dtype(dt)  # type: ignore[return-value]

    @property
    def device(self) -> Device:
        """The device holding the values: always ``device(type='cpu')``.

        Example:
            >>> import minigrad
            >>> minigrad.zeros(2).device
            device(type='cpu')
        """
        return CPU

    @property
    def is_cuda(self) -> builtins.bool:
        """Whether the tensor is on a CUDA device: never."""
        return False

    @property
    def is_cpu(self) -> builtins.bool:
        """Whether the tensor is on the CPU: always."""
        return True

    @property
    def is_leaf(self) -> bool:
        """True if no recorded op produced this tensor (users create leaves).

        Example:
            >>> import minigrad
            >>> x = minigrad.ones(2, requires_grad=True)
            >>> x.is_leaf, (x * 2).is_leaf
            (True, False)
        """
        return self.grad_fn is None

    @property
    def T(self) -> Tensor:
        """The tensor with its dimensions reversed (a matrix transposed)."""
        return self.permute(*reversed(range(self.ndim)))

    def size(self, dim: int | None = None) -> Any:
        """The shape, or its length along ``dim`` (PyTorch's ``size()``).

        Example:
            >>> import minigrad
            >>> minigrad.zeros(2, 3).size(-1)
            3
        """
        if dim is None:
            return tuple.__new__(Size, self._data.shape)
        if not _is_size(dim):
            raise TypeError(f"size(): argument 'dim' must be int, not {type(dim).__name__}")
        ndim = self._data.ndim
        if ndim and not -ndim <= dim < ndim:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], "
                f"but got {dim})"
            )
        if ndim == 0:
            raise IndexError(f"size(): dimension specified as {dim} but tensor has no dimensions")
        return self._data.shape[dim]

    def dim(self) -> int:
        """The number of dimensions (PyTorch's ``dim()``)."""
        return self._data.ndim

    def numel(self) -> int:
        """The number of elements."""
        return int(self._data.size)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    # ------------------------------------------------------------------ conversion
    def numpy(self) -> np.ndarray:
        """Return the underlying array (shared, not copied).

        Example:
            >>> import minigrad
            >>> minigrad.tensor([1.0, 2.0]).numpy()
            array([1., 2.], dtype=float32)
        """
        return self._data

    def item(self) -> Any:
        """Return the value of a one-element tensor as a Python number.

        Example:
            >>> import minigrad
            >>> minigrad.tensor([2.5]).item()
            2.5
        """
        if self._data.size != 1:
            raise RuntimeError(
                f"item(): a Tensor with {self._data.size} elements cannot be converted to Scalar "
                f"(only one-element tensors can be converted, this one has shape {self.shape})"
            )
        return self._data.item()

    def tolist(self) -> Any:
        """Return the data as (nested) Python lists."""
        return self._data.tolist()

    def detach(self) -> Tensor:
        """Return a tensor sharing this one's data, outside the graph.

        Example:
            >>> import minigrad
            >>> x = minigrad.ones(2, requires_grad=True)
            >>> (x * 2).detach().requires_grad
            False
        """
        t = Tensor._make(self._data)
        t._version_cell = self._version_cell  # in-place writes to either are seen by both
        return t

    def clone(self) -> Tensor:
        """Return a copy of the tensor (differentiable)."""
        return minigrad.ops.elementwise.Clone.apply(self)

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """Return the tensor with another dtype and/or device, as PyTorch's ``to``.

        The forms: ``to(dtype)``, ``to(device, dtype=None)``, ``to(other)`` (its dtype
        and device), and keywords ``dtype=``, ``device=``, ``non_blocking=``, ``copy=``.
        The device can only be the CPU; ``None`` changes nothing. The tensor itself is
        returned when nothing changes (unless ``copy=True``); a cast between float
        dtypes is differentiable.

        Example:
            >>> import minigrad
            >>> x = minigrad.tensor([1.0])
            >>> x.to(minigrad.float64).dtype, x.to("cpu") is x, x.to("cpu", minigrad.int64)
            (minigrad.float64, True, tensor([1]))
        """
        dtype, copy = _parse_to(args, kwargs)
        out = self
        if dtype is not None and dtype != self.dtype:
            out = minigrad.ops.elementwise.Cast.apply(self, dtype=dtype.dtype)
        return out.clone() if copy and out is self else out

    def cpu(self, memory_format: Any = None) -> Tensor:
        """This tensor (it is on the CPU already), as PyTorch's ``cpu()``.

        Example:
            >>> import minigrad
            >>> x = minigrad.ones(2)
            >>> x.cpu() is x
            True
        """
        return self

    def cuda(self, device: Any = None, non_blocking: builtins.bool = False) -> Tensor:
        """Refused: minigrad runs on the CPU only (raises ``RuntimeError``).

        Example:
            >>> import minigrad
            >>> minigrad.ones(2).cuda()
            Traceback (most recent call last):
                ...
            RuntimeError: Tensor.cuda(): minigrad runs on the CPU only; ...
        """
        raise RuntimeError(
            "Tensor.cuda(): minigrad runs on the CPU only; use .to(device) with "
            "device = minigrad.device('cuda' if minigrad.cuda.is_available() else 'cpu')"
        )

    def type(self, dtype: Any = None, non_blocking: builtins.bool = False) -> Any:
        """With no argument, the type name (``'minigrad.FloatTensor'``); else cast to ``dtype``.

        ``dtype`` may be a dtype, a legacy tensor type (``minigrad.LongTensor``) or its
        name (``'minigrad.LongTensor'``, ``'torch.LongTensor'``).

        Example:
            >>> import minigrad
            >>> x = minigrad.tensor([1.5])
            >>> x.type(), x.type(minigrad.int64), x.type("torch.DoubleTensor").dtype
            ('minigrad.FloatTensor', tensor([1]), minigrad.float64)
        """
        if dtype is None:
            return "minigrad." + _TYPE_NAMES.get(self.dtype.name, "Tensor") + "Tensor"
        return self.to(_legacy_type_dtype(dtype))

    def float(self) -> Tensor:
        """Cast to float32."""
        return self.to(np.float32)

    def double(self) -> Tensor:
        """Cast to float64."""
        return self.to(np.float64)

    def long(self) -> Tensor:
        """Cast to int64."""
        return self.to(np.int64)

    def int(self) -> Tensor:
        """Cast to int32."""
        return self.to(np.int32)

    def bool(self) -> Tensor:
        """Cast to bool."""
        return self.to(np.bool_)

    def half(self) -> Tensor:
        """Cast to float16."""
        return self.to(np.float16)

    def short(self) -> Tensor:
        """Cast to int16."""
        return self.to(np.int16)

    def byte(self) -> Tensor:
        """Cast to uint8."""
        return self.to(np.uint8)

    def char(self) -> Tensor:
        """Cast to int8."""
        return self.to(np.int8)

    def bfloat16(self) -> Tensor:
        """Refused: NumPy has no bfloat16 (raises ``TypeError``)."""
        return self.to(minigrad.dtypes.bfloat16)

    def __float__(self) -> builtins.float:
        return float(self.item())

    def __int__(self) -> builtins.int:
        return int(self.item())

    def __bool__(self) -> builtins.bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"the truth value of a tensor with {self._data.size} elements is ambiguous"
            )
        return bool(self._data)

    def __index__(self) -> builtins.int:
        if self._data.size != 1 or self.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be used as an index")
        return int(self._data)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    # ------------------------------------------------------------------ autograd
    def requires_grad_(self, requires_grad: builtins.bool = True) -> Tensor:
        """Set ``requires_grad`` in place (leaves only) and return the tensor.

        Example:
            >>> import minigrad
            >>> minigrad.zeros(2).requires_grad_().requires_grad
            True
        """
        if requires_grad and self.dtype.kind not in "fc":
            raise RuntimeError(
                f"only tensors of floating dtype can require gradients, this one is {self.dtype}"
            )
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError(
                "requires_grad_(False) on a non-leaf tensor: use .detach() to leave the graph"
            )
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after ``backward()``.

        Example:
            >>> import minigrad
            >>> x = minigrad.tensor(3.0, requires_grad=True)
            >>> y = x * 2
            >>> y.retain_grad()
            >>> (y * y).backward()
            >>> y.grad
            tensor(12.)
        """
        if self.grad_fn is None:
            return
        self.grad_fn.register_retained(self._output_nr, self)

    def backward(
        self,
        gradient: Any = None,
        retain_graph: builtins.bool | None = None,
        create_graph: builtins.bool = False,
        inputs: Any = None,
    ) -> None:
        """Compute gradients of this tensor and accumulate them into the leaves' ``.grad``.

        Args:
            gradient: the gradient of some scalar with respect to this tensor; may be
                omitted only for a one-element tensor.
            retain_graph: keep the graph's saved values for another backward
                (defaults to ``create_graph``).
            create_graph: record the backward pass, making gradients differentiable.

        Example:
            >>> import minigrad
            >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
            >>> (x ** 2).backward(minigrad.ones(2))
            >>> x.grad
            tensor([2., 4.])
        """
        from minigrad.autograd.engine import backward

        backward(self, None if gradient is None else [gradient], retain_graph, create_graph, inputs)

    # ------------------------------------------------------------------ in-place ops
    def _inplace_op(self, name: str, op: Any, *args: Any, **kwargs: Any) -> Tensor:
        """Compute ``op(self, *args, **kwargs)`` and write the result into this tensor.

        This is every in-place method (``add_``, ``clamp_``, ``x[i] = v``...). The
        result must keep this tensor's shape, and its dtype must be castable to this
        one's (as PyTorch's: a float result cannot go into an integer tensor). While
        autograd records, the write is recorded too: this tensor's ``grad_fn``
        becomes the op's, and for a view its base's history is rewritten, so the
        gradients stay right. A leaf that requires grad (or a view of one) refuses.
        """
        if not is_grad_enabled() or not (self.requires_grad or _requires_grad(args, kwargs)):
            self._write(name, op(self, *args, **kwargs)._data)
            return self
        self._check_inplace_allowed(name)
        base = self._base
        base_before = base._snapshot() if base is not None and self._view_fn else None
        result = op(self._snapshot(), *args, **kwargs)
        self._write(name, result._data)
        if base is not None and base_before is not None:
            from minigrad.ops.shape import _scatter_view

            new_base = _scatter_view(base_before, result, self._view_fn)
            base._adopt(new_base)
            base._rebases += 1  # every other view of base now has a stale grad_fn
            self._adopt(self._view_fn(base))
            self._seen_rebases = base._rebases
        else:
            self._adopt(result)
            self._rebases += 1
        return self

    def _refresh_view(self) -> None:
        """Make this view's ``grad_fn`` again from its base, after an in-place write to the
        base or to another view of it (PyTorch regenerates such views the same way)."""
        base = self._base
        if base is None or self._view_fn is None or not is_grad_enabled():
            return
        self._adopt(self._view_fn(base))
        self._seen_rebases = base._rebases

    def _check_inplace_allowed(self, name: str) -> None:
        base = self._base
        if self.requires_grad and self.grad_fn is None:
            what = "a leaf Variable that requires grad"
        elif base is not None and base.requires_grad and base.grad_fn is None:
            what = "a view of a leaf Variable that requires grad"
        else:
            return
        raise RuntimeError(
            f"{name}: {what} is being used in an in-place operation; wrap it in "
            f"minigrad.no_grad() (as optimizers do) or work on a copy (.clone())"
        )

    def _snapshot(self) -> Tensor:
        """A copy of the values that keeps this tensor's place in the graph."""
        t = Tensor._make(self._data.copy())
        t.grad_fn, t._output_nr, t.requires_grad = self.grad_fn, self._output_nr, self.requires_grad
        t._accumulator = self._accumulator if self.grad_fn is None else None
        if t.requires_grad and t.grad_fn is None:
            from minigrad.autograd.graph import grad_accumulator

            t._accumulator = grad_accumulator(self)  # the leaf itself receives the gradient
        return t

    def _adopt(self, result: Tensor) -> None:
        """Take over ``result``'s place in the graph (after an in-place write)."""
        self.grad_fn, self._output_nr = result.grad_fn, result._output_nr
        self.requires_grad = result.requires_grad

    def _check_writeable(self, name: str) -> None:
        if not self._data.flags.writeable:
            raise RuntimeError(
                f"{name}: unsupported operation: more than one element of the written-to tensor "
                f"refers to a single memory location (an expanded view?). Please clone() the "
                f"tensor before performing the operation."
            )

    def _write(self, name: str, values: np.ndarray) -> None:
        self._check_writeable(name)
        if values.shape != self._data.shape:
            raise RuntimeError(
                f"{name}: output with shape {list(self._data.shape)} doesn't match the broadcast "
                f"shape {list(values.shape)}"
            )
        if not can_cast(values.dtype, self._data.dtype):
            raise RuntimeError(
                f"{name}: result type {_type_name(values.dtype)} can't be cast to the desired "
                f"output type {_type_name(self._data.dtype)}"
            )
        np.copyto(self._data, values, casting="unsafe")
        self._version += 1

    def _fill_from(self, name: str, src: Any) -> Tensor:
        """Overwrite with ``src`` broadcast to this shape and cast to this dtype (``copy_``)."""
        if not is_grad_enabled() or not (self.requires_grad or _requires_grad((src,), {})):
            value = np.asarray(src._data if isinstance(src, Tensor) else src)
            self._check_writeable(name)
            try:
                np.copyto(self._data, np.broadcast_to(value, self.shape), casting="unsafe")
            except ValueError:
                raise RuntimeError(
                    f"{name}: a value of shape {list(value.shape)} cannot be written into a "
                    f"tensor of shape {list(self.shape)}"
                ) from None
            self._version += 1
            return self
        return self._inplace_op(name, minigrad.ops.shape._overwrite, src)

    def zero_(self) -> Tensor:
        """Fill with zeros in place.

        Example:
            >>> import minigrad
            >>> minigrad.ones(2).zero_()
            tensor([0., 0.])
        """
        return self._fill_from("zero_", 0)

    def fill_(self, value: Any) -> Tensor:
        """Fill with ``value`` in place.

        Example:
            >>> import minigrad
            >>> minigrad.zeros(2).fill_(3)
            tensor([3., 3.])
        """
        return self._fill_from("fill_", value)

    def copy_(self, src: Any, non_blocking: builtins.bool = False) -> Tensor:
        """Copy ``src`` (broadcast to this shape, cast to this dtype) into this tensor.

        Example:
            >>> import minigrad
            >>> minigrad.zeros(2, 2).copy_(minigrad.tensor([1.0, 2.0]))
            tensor([[1., 2.],
                    [1., 2.]])
        """
        return self._fill_from("copy_", src)

    def addcmul_(self, tensor1: Any, tensor2: Any, value: builtins.float = 1.0) -> Tensor:
        """``self += value * tensor1 * tensor2`` in place.

        Example:
            >>> import minigrad
            >>> minigrad.ones(2).addcmul_(minigrad.tensor([1.0, 2.0]), minigrad.tensor(3.0))
            tensor([4., 7.])
        """
        return self.add_(minigrad.ops.mul(tensor1, tensor2), alpha=value)

    def addcdiv_(self, tensor1: Any, tensor2: Any, value: builtins.float = 1.0) -> Tensor:
        """``self += value * tensor1 / tensor2`` in place.

        Example:
            >>> import minigrad
            >>> minigrad.ones(2).addcdiv_(minigrad.tensor([1.0, 2.0]), minigrad.tensor(4.0))
            tensor([1.2500, 1.5000])
        """
        return self.add_(minigrad.ops.div(tensor1, tensor2), alpha=value)

    def __setitem__(self, index: Any, value: Any) -> None:
        if not is_grad_enabled() or not (self.requires_grad or _requires_grad((value,), {})):
            index = minigrad.ops.shape.normalize_index(index)
            v = value._data if isinstance(value, Tensor) else value
            self._check_writeable("__setitem__")
            minigrad.ops.shape._assign(self._data, index, v)
            self._version += 1
            return
        self._inplace_op("__setitem__", minigrad.ops.shape._index_put, index, value)

    # ------------------------------------------------------------------ repr
    def __repr__(self) -> str:
        extras = []
        if self._data.size == 0:
            if self.ndim != 1:
                extras.append(f"size={tuple(self.shape)}")
            if self.dtype != _default_dtype:
                extras.append(f"dtype=minigrad.{self.dtype.name}")
        elif self.dtype not in (_default_dtype, np.dtype(np.int64), np.dtype(np.bool_)):
            extras.append(f"dtype=minigrad.{self.dtype.name}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{self.grad_fn.name()}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + format_values(self._data) + "".join(", " + e for e in extras) + ")"

    def __format__(self, spec: str) -> str:
        if (self._data.size == 1 and self.ndim == 0) or (spec and self._data.size == 1):
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __hash__(self) -> builtins.int:
        return id(self)

    def __pos__(self) -> Tensor:
        return self

    def expand_as(self, other: Tensor) -> Tensor:
        """Broadcast to ``other``'s shape.

        Example:
            >>> import minigrad
            >>> minigrad.tensor([1.0, 2.0]).expand_as(minigrad.zeros(2, 2)).shape
            minigrad.Size([2, 2])
        """
        return minigrad.ops.expand(self, *other.shape)

    def view_as(self, other: Tensor) -> Tensor:
        """View with ``other``'s shape (shares memory, as :meth:`view`).

        Example:
            >>> import minigrad
            >>> minigrad.arange(6).view_as(minigrad.zeros(2, 3)).shape
            minigrad.Size([2, 3])
        """
        return self.view(*other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        """Reshape to ``other``'s shape.

        Example:
            >>> import minigrad
            >>> minigrad.arange(6).reshape_as(minigrad.zeros(3, 2)).shape
            minigrad.Size([3, 2])
        """
        return minigrad.ops.reshape(self, *other.shape)

    # ------------------------------------------------------------------ new_* factories
    def _new(self, data: np.ndarray, requires_grad: builtins.bool, device: Any, who: str) -> Tensor:
        as_device(device, who)
        t = Tensor._make(data)
        return t.requires_grad_(True) if requires_grad else t

    def new_tensor(
        self,
        data: Any,
        dtype: DTypeLike | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """A new tensor from ``data`` with this tensor's dtype by default (always copies).

        Example:
            >>> import minigrad
            >>> minigrad.zeros(1, dtype=minigrad.float64).new_tensor([1, 2])
            tensor([1., 2.], dtype=minigrad.float64)
        """
        array = _infer_array(data, self.dtype if dtype is None else dtype)
        return self._new(array, requires_grad, device, "new_tensor")

    def new_full(
        self,
        size: Any,
        fill_value: Any,
        *,
        dtype: DTypeLike | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """A tensor of ``size`` filled with ``fill_value``, with this tensor's dtype by default.

        Example:
            >>> import minigrad
            >>> minigrad.zeros(1).new_full((2,), 3.5)
            tensor([3.5000, 3.5000])
        """
        shape = minigrad.creation._size((size,))
        array = np.full(shape, fill_value, dtype=_legacy_type_np(self, dtype))
        return self._new(array, requires_grad, device, "new_full")

    def new_zeros(
        self,
        *size: Any,
        dtype: DTypeLike | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """Zeros of ``size``, with this tensor's dtype by default.

        Example:
            >>> import minigrad
            >>> minigrad.arange(3).new_zeros(2, 2)
            tensor([[0, 0],
                    [0, 0]])
        """
        shape = minigrad.creation._size(size)
        array = np.zeros(shape, dtype=_legacy_type_np(self, dtype))
        return self._new(array, requires_grad, device, "new_zeros")

    def new_ones(
        self,
        *size: Any,
        dtype: DTypeLike | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """Ones of ``size``, with this tensor's dtype by default.

        Example:
            >>> import minigrad
            >>> minigrad.zeros(1).new_ones(2)
            tensor([1., 1.])
        """
        shape = minigrad.creation._size(size)
        array = np.ones(shape, dtype=_legacy_type_np(self, dtype))
        return self._new(array, requires_grad, device, "new_ones")

    def new_empty(
        self,
        *size: Any,
        dtype: DTypeLike | None = None,
        device: Any = None,
        requires_grad: builtins.bool = False,
    ) -> Tensor:
        """An uninitialised tensor of ``size``, with this tensor's dtype by default.

        Example:
            >>> import minigrad
            >>> minigrad.zeros(1).new_empty(2, 3).shape
            minigrad.Size([2, 3])
        """
        shape = minigrad.creation._size(size)
        array = np.empty(shape, dtype=_legacy_type_np(self, dtype))
        return self._new(array, requires_grad, device, "new_empty")

    # ------------------------------------------------------------------ layout and size
    def contiguous(self, memory_format: Any = None) -> Tensor:
        """This tensor if its memory is C-contiguous, else a contiguous copy (differentiable).

        Example:
            >>> import minigrad
            >>> x = minigrad.zeros(2, 3)
            >>> x.contiguous() is x, x.t().contiguous().is_contiguous()
            (True, True)
        """
        if self._data.flags.c_contiguous:
            return self
        out = self.clone()  # a fresh result: its storage may be laid out anew
        out._data = np.ascontiguousarray(out._data)
        return out

    def is_contiguous(self, memory_format: Any = None) -> builtins.bool:
        """Whether the values are laid out C-contiguously (a transpose is not).

        Example:
            >>> import minigrad
            >>> minigrad.zeros(2, 3).is_contiguous(), minigrad.zeros(2, 3).t().is_contiguous()
            (True, False)
        """
        return builtins.bool(self._data.flags.c_contiguous)

    def element_size(self) -> builtins.int:
        """The size of one element in bytes.

        Example:
            >>> import minigrad
            >>> minigrad.zeros(1).element_size(), minigrad.arange(1).element_size()
            (4, 8)
        """
        return builtins.int(self._data.itemsize)

    def nelement(self) -> builtins.int:
        """The number of elements (as :meth:`numel`).

        Example:
            >>> import minigrad
            >>> minigrad.zeros(2, 3).nelement()
            6
        """
        return self.numel()

    def ndimension(self) -> builtins.int:
        """The number of dimensions (as :meth:`dim`).

        Example:
            >>> import minigrad
            >>> minigrad.zeros(2, 3).ndimension()
            2
        """
        return self.dim()

    # ------------------------------------------------------------------ autograd extras
    def detach_(self) -> Tensor:
        """Detach this tensor from the graph in place (it becomes a leaf) and return it.

        Example:
            >>> import minigrad
            >>> y = minigrad.ones(2, requires_grad=True) * 2
            >>> y.detach_().is_leaf, y.requires_grad
            (True, False)
        """
        if self._base is not None and self._view_fn is not None and self._base.requires_grad:
            raise RuntimeError(
                "detach_(): cannot detach a view of a tensor that requires grad in place; "
                "use .detach() instead"
            )
        self.grad_fn, self._output_nr, self.requires_grad = None, 0, False
        return self

    def register_hook(self, hook: Any) -> Any:
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one.

        As PyTorch's: the returned gradient replaces the original for everything
        downstream (and for ``.grad`` of a leaf); returning ``None`` keeps it. The
        result has a ``remove()`` method that unregisters the hook.

        Example:
            >>> import minigrad
            >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
            >>> handle = x.register_hook(lambda g: g * 10)
            >>> (x * x).sum().backward()
            >>> x.grad
            tensor([20., 40.])
            >>> handle.remove()
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        from minigrad.autograd.graph import grad_accumulator

        node = self.grad_fn if self.grad_fn is not None else grad_accumulator(self)
        return node.register_tensor_hook(self._output_nr, hook)

    # <generated by minigrad.ops.codegen: op methods; do not edit by hand>
    # fmt: off

    def __abs__(self) -> Tensor:
        return minigrad.ops.abs(self)

    def __add__(self, other: Any) -> Tensor:
        return minigrad.ops.add(self, other)

    def __and__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_and(self, other)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return minigrad.ops.eq(self, other)

    def __floordiv__(self, other: Any) -> Tensor:
        return minigrad.ops.floor_divide(self, other)

    def __ge__(self, other: Any) -> Tensor:
        return minigrad.ops.ge(self, other)

    def __getitem__(self, other: Any) -> Tensor:
        return minigrad.ops.getitem(self, other)

    def __gt__(self, other: Any) -> Tensor:
        return minigrad.ops.gt(self, other)

    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __iand__(self, other: Any) -> Tensor:
        return self.bitwise_and_(other)

    def __ifloordiv__(self, other: Any) -> Tensor:
        return self.floor_divide_(other)

    def __ilshift__(self, other: Any) -> Tensor:
        return self.bitwise_left_shift_(other)

    def __imod__(self, other: Any) -> Tensor:
        return self.remainder_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __invert__(self) -> Tensor:
        return minigrad.ops.bitwise_not(self)

    def __ior__(self, other: Any) -> Tensor:
        return self.bitwise_or_(other)

    def __ipow__(self, other: Any) -> Tensor:
        return self.pow_(other)

    def __irshift__(self, other: Any) -> Tensor:
        return self.bitwise_right_shift_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def __ixor__(self, other: Any) -> Tensor:
        return self.bitwise_xor_(other)

    def __le__(self, other: Any) -> Tensor:
        return minigrad.ops.le(self, other)

    def __lshift__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_left_shift(self, other)

    def __lt__(self, other: Any) -> Tensor:
        return minigrad.ops.lt(self, other)

    def __matmul__(self, other: Any) -> Tensor:
        return minigrad.ops.matmul(self, other)

    def __mod__(self, other: Any) -> Tensor:
        return minigrad.ops.remainder(self, other)

    def __mul__(self, other: Any) -> Tensor:
        return minigrad.ops.mul(self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return minigrad.ops.ne(self, other)

    def __neg__(self) -> Tensor:
        return minigrad.ops.neg(self)

    def __or__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_or(self, other)

    def __pow__(self, other: Any) -> Tensor:
        return minigrad.ops.pow(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return minigrad.ops.add(other, self)

    def __rand__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_and(other, self)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return minigrad.ops.floor_divide(other, self)

    def __rlshift__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_left_shift(other, self)

    def __rmatmul__(self, other: Any) -> Tensor:
        return minigrad.ops.matmul(other, self)

    def __rmod__(self, other: Any) -> Tensor:
        return minigrad.ops.remainder(other, self)

    def __rmul__(self, other: Any) -> Tensor:
        return minigrad.ops.mul(other, self)

    def __ror__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_or(other, self)

    def __rpow__(self, other: Any) -> Tensor:
        return minigrad.ops.pow(other, self)

    def __rrshift__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_right_shift(other, self)

    def __rshift__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_right_shift(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return minigrad.ops.sub(other, self)

    def __rtruediv__(self, other: Any) -> Tensor:
        return minigrad.ops.div(other, self)

    def __rxor__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_xor(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return minigrad.ops.sub(self, other)

    def __truediv__(self, other: Any) -> Tensor:
        return minigrad.ops.div(self, other)

    def __xor__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_xor(self, other)

    def abs(self) -> Tensor:
        """Absolute value; its gradient at 0 is 0: see :func:`minigrad.ops.abs`."""
        return minigrad.ops.abs(self)

    def abs_(self) -> Tensor:
        """In-place :meth:`abs`: the result is written into this tensor."""
        return self._inplace_op("abs_", minigrad.ops.abs)

    def acos(self) -> Tensor:
        """
        Inverse cosine, in ``[0, pi]`` (``nan`` outside ``[-1, 1]``): see
        :func:`minigrad.ops.acos`.
        """
        return minigrad.ops.acos(self)

    def acos_(self) -> Tensor:
        """In-place :meth:`acos`: the result is written into this tensor."""
        return self._inplace_op("acos_", minigrad.ops.acos)

    def acosh(self) -> Tensor:
        """Inverse hyperbolic cosine (``nan`` below 1): see :func:`minigrad.ops.acosh`."""
        return minigrad.ops.acosh(self)

    def acosh_(self) -> Tensor:
        """In-place :meth:`acosh`: the result is written into this tensor."""
        return self._inplace_op("acosh_", minigrad.ops.acosh)

    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``input + alpha * other`` with broadcasting: see :func:`minigrad.ops.add`."""
        return minigrad.ops.add(self, other, alpha=alpha)

    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """In-place :meth:`add`: the result is written into this tensor."""
        return self._inplace_op("add_", minigrad.ops.add, other, alpha=alpha)

    def addmm(self, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """
        ``beta * input + alpha * (mat1 @ mat2)``; ``input`` broadcasts to ``(n, m)``: see
        :func:`minigrad.ops.addmm`.
        """
        return minigrad.ops.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def all(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Whether every element (along ``dim``) is nonzero (bool; ``uint8`` stays ``uint8``): see
        :func:`minigrad.ops.all`.
        """
        return minigrad.ops.all(self, dim, keepdim)

    def allclose(self, other: Any, rtol: Any = 1e-05, atol: Any = 1e-08, equal_nan: Any = False) -> builtins.bool:  # noqa: E501
        """
        Whether every element is ``isclose`` (a Python bool): see :func:`minigrad.ops.allclose`.
        """
        return minigrad.ops.allclose(self, other, rtol, atol, equal_nan)

    def amax(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Maximum over ``dim`` (all by default); ties share the gradient equally: see
        :func:`minigrad.ops.amax`.
        """
        return minigrad.ops.amax(self, dim, keepdim)

    def amin(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Minimum over ``dim`` (all by default); ties share the gradient equally: see
        :func:`minigrad.ops.amin`.
        """
        return minigrad.ops.amin(self, dim, keepdim)

    def aminmax(self, *, dim: Any = None, keepdim: Any = False) -> Any:
        """
        ``(amin, amax)`` over ``dim`` (all by default); ties share the gradient equally: see
        :func:`minigrad.ops.aminmax`.
        """
        return minigrad.ops.aminmax(self, dim=dim, keepdim=keepdim)

    def any(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Whether some element (along ``dim``) is nonzero (bool; ``uint8`` stays ``uint8``): see
        :func:`minigrad.ops.any`.
        """
        return minigrad.ops.any(self, dim, keepdim)

    def arccos(self) -> Tensor:
        """
        Inverse cosine, in ``[0, pi]`` (``nan`` outside ``[-1, 1]``): see
        :func:`minigrad.ops.acos`.
        """
        return minigrad.ops.acos(self)

    def arccos_(self) -> Tensor:
        """In-place :meth:`arccos`: the result is written into this tensor."""
        return self._inplace_op("arccos_", minigrad.ops.acos)

    def arccosh(self) -> Tensor:
        """Inverse hyperbolic cosine (``nan`` below 1): see :func:`minigrad.ops.acosh`."""
        return minigrad.ops.acosh(self)

    def arccosh_(self) -> Tensor:
        """In-place :meth:`arccosh`: the result is written into this tensor."""
        return self._inplace_op("arccosh_", minigrad.ops.acosh)

    def arcsin(self) -> Tensor:
        """
        Inverse sine, in ``[-pi/2, pi/2]`` (``nan`` outside ``[-1, 1]``): see
        :func:`minigrad.ops.asin`.
        """
        return minigrad.ops.asin(self)

    def arcsin_(self) -> Tensor:
        """In-place :meth:`arcsin`: the result is written into this tensor."""
        return self._inplace_op("arcsin_", minigrad.ops.asin)

    def arcsinh(self) -> Tensor:
        """Inverse hyperbolic sine: see :func:`minigrad.ops.asinh`."""
        return minigrad.ops.asinh(self)

    def arcsinh_(self) -> Tensor:
        """In-place :meth:`arcsinh`: the result is written into this tensor."""
        return self._inplace_op("arcsinh_", minigrad.ops.asinh)

    def arctan(self) -> Tensor:
        """Inverse tangent, in ``(-pi/2, pi/2)``: see :func:`minigrad.ops.atan`."""
        return minigrad.ops.atan(self)

    def arctan2(self, other: Any) -> Tensor:
        """
        The angle of the point ``(other, input)``: ``atan(input / other)`` in the right
        quadrant: see :func:`minigrad.ops.atan2`.
        """
        return minigrad.ops.atan2(self, other)

    def arctan2_(self, other: Any) -> Tensor:
        """In-place :meth:`arctan2`: the result is written into this tensor."""
        return self._inplace_op("arctan2_", minigrad.ops.atan2, other)

    def arctan_(self) -> Tensor:
        """In-place :meth:`arctan`: the result is written into this tensor."""
        return self._inplace_op("arctan_", minigrad.ops.atan)

    def arctanh(self) -> Tensor:
        """
        Inverse hyperbolic tangent (``±inf`` at ``±1``, ``nan`` outside): see
        :func:`minigrad.ops.atanh`.
        """
        return minigrad.ops.atanh(self)

    def arctanh_(self) -> Tensor:
        """In-place :meth:`arctanh`: the result is written into this tensor."""
        return self._inplace_op("arctanh_", minigrad.ops.atanh)

    def argmax(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Index of the maximum (of the flattened input when ``dim`` is None): see
        :func:`minigrad.ops.argmax`.
        """
        return minigrad.ops.argmax(self, dim, keepdim)

    def argmin(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Index of the minimum (of the flattened input when ``dim`` is None): see
        :func:`minigrad.ops.argmin`.
        """
        return minigrad.ops.argmin(self, dim, keepdim)

    def argsort(self, dim: Any = -1, descending: Any = False, stable: Any = False) -> Tensor:
        """
        The indices that sort ``input`` along ``dim`` (stable; NaN as the largest value): see
        :func:`minigrad.ops.argsort`.
        """
        return minigrad.ops.argsort(self, dim, descending, stable)

    def asin(self) -> Tensor:
        """
        Inverse sine, in ``[-pi/2, pi/2]`` (``nan`` outside ``[-1, 1]``): see
        :func:`minigrad.ops.asin`.
        """
        return minigrad.ops.asin(self)

    def asin_(self) -> Tensor:
        """In-place :meth:`asin`: the result is written into this tensor."""
        return self._inplace_op("asin_", minigrad.ops.asin)

    def asinh(self) -> Tensor:
        """Inverse hyperbolic sine: see :func:`minigrad.ops.asinh`."""
        return minigrad.ops.asinh(self)

    def asinh_(self) -> Tensor:
        """In-place :meth:`asinh`: the result is written into this tensor."""
        return self._inplace_op("asinh_", minigrad.ops.asinh)

    def atan(self) -> Tensor:
        """Inverse tangent, in ``(-pi/2, pi/2)``: see :func:`minigrad.ops.atan`."""
        return minigrad.ops.atan(self)

    def atan2(self, other: Any) -> Tensor:
        """
        The angle of the point ``(other, input)``: ``atan(input / other)`` in the right
        quadrant: see :func:`minigrad.ops.atan2`.
        """
        return minigrad.ops.atan2(self, other)

    def atan2_(self, other: Any) -> Tensor:
        """In-place :meth:`atan2`: the result is written into this tensor."""
        return self._inplace_op("atan2_", minigrad.ops.atan2, other)

    def atan_(self) -> Tensor:
        """In-place :meth:`atan`: the result is written into this tensor."""
        return self._inplace_op("atan_", minigrad.ops.atan)

    def atanh(self) -> Tensor:
        """
        Inverse hyperbolic tangent (``±inf`` at ``±1``, ``nan`` outside): see
        :func:`minigrad.ops.atanh`.
        """
        return minigrad.ops.atanh(self)

    def atanh_(self) -> Tensor:
        """In-place :meth:`atanh`: the result is written into this tensor."""
        return self._inplace_op("atanh_", minigrad.ops.atanh)

    def baddbmm(self, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """
        ``beta * input + alpha * bmm(batch1, batch2)``; ``input`` broadcasts to ``(b, n, m)``:
        see :func:`minigrad.ops.baddbmm`.
        """
        return minigrad.ops.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def bernoulli(self, p: Any = None, *, generator: Any = None) -> Tensor:
        """
        Draw 0 or 1 for each element: 1 with probability ``input`` (or ``p`` if given): see
        :func:`minigrad.ops.bernoulli`.
        """
        return minigrad.ops.bernoulli(self, p, generator=generator)

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """
        Fill ``input`` with 0/1 draws, 1 with probability ``p`` (a number or a tensor): see
        :func:`minigrad.ops.bernoulli_`.
        """
        return minigrad.ops.bernoulli_(self, p, generator=generator)

    def bitwise_and(self, other: Any) -> Tensor:
        """
        Bitwise and of integer tensors (logical and of bool tensors): the ``&`` operator: see
        :func:`minigrad.ops.bitwise_and`.
        """
        return minigrad.ops.bitwise_and(self, other)

    def bitwise_and_(self, other: Any) -> Tensor:
        """In-place :meth:`bitwise_and`: the result is written into this tensor."""
        return self._inplace_op("bitwise_and_", minigrad.ops.bitwise_and, other)

    def bitwise_left_shift(self, other: Any) -> Tensor:
        """
        ``input << other`` on integer tensors: see :func:`minigrad.ops.bitwise_left_shift`.
        """
        return minigrad.ops.bitwise_left_shift(self, other)

    def bitwise_left_shift_(self, other: Any) -> Tensor:
        """In-place :meth:`bitwise_left_shift`: the result is written into this tensor."""
        return self._inplace_op("bitwise_left_shift_", minigrad.ops.bitwise_left_shift, other)

    def bitwise_not(self) -> Tensor:
        """
        Bitwise not of integers (logical not of bool): the ``~`` operator: see
        :func:`minigrad.ops.bitwise_not`.
        """
        return minigrad.ops.bitwise_not(self)

    def bitwise_not_(self) -> Tensor:
        """In-place :meth:`bitwise_not`: the result is written into this tensor."""
        return self._inplace_op("bitwise_not_", minigrad.ops.bitwise_not)

    def bitwise_or(self, other: Any) -> Tensor:
        """
        Bitwise or of integer tensors (logical or of bool tensors): the ``|`` operator: see
        :func:`minigrad.ops.bitwise_or`.
        """
        return minigrad.ops.bitwise_or(self, other)

    def bitwise_or_(self, other: Any) -> Tensor:
        """In-place :meth:`bitwise_or`: the result is written into this tensor."""
        return self._inplace_op("bitwise_or_", minigrad.ops.bitwise_or, other)

    def bitwise_right_shift(self, other: Any) -> Tensor:
        """
        ``input >> other`` on integer tensors: see :func:`minigrad.ops.bitwise_right_shift`.
        """
        return minigrad.ops.bitwise_right_shift(self, other)

    def bitwise_right_shift_(self, other: Any) -> Tensor:
        """In-place :meth:`bitwise_right_shift`: the result is written into this tensor."""
        return self._inplace_op("bitwise_right_shift_", minigrad.ops.bitwise_right_shift, other)

    def bitwise_xor(self, other: Any) -> Tensor:
        """
        Bitwise exclusive or (logical on bool): the ``^`` operator: see
        :func:`minigrad.ops.bitwise_xor`.
        """
        return minigrad.ops.bitwise_xor(self, other)

    def bitwise_xor_(self, other: Any) -> Tensor:
        """In-place :meth:`bitwise_xor`: the result is written into this tensor."""
        return self._inplace_op("bitwise_xor_", minigrad.ops.bitwise_xor, other)

    def bmm(self, mat2: Any) -> Tensor:
        """
        Batched matrix product of two 3-D tensors with the same batch (no broadcasting): see
        :func:`minigrad.ops.bmm`.
        """
        return minigrad.ops.bmm(self, mat2)

    def broadcast_to(self, shape: Any) -> Tensor:
        """
        Broadcast to ``shape`` (NumPy/PyTorch broadcasting rules): see
        :func:`minigrad.ops.broadcast_to`.
        """
        return minigrad.ops.broadcast_to(self, shape)

    def cauchy_(self, median: Any = 0.0, sigma: Any = 1.0, *, generator: Any = None) -> Tensor:
        """
        Fill ``input`` with Cauchy draws ``median + sigma * tan(pi * (u - 1/2))``: see
        :func:`minigrad.ops.cauchy_`.
        """
        return minigrad.ops.cauchy_(self, median, sigma, generator=generator)

    def ceil(self) -> Tensor:
        """
        The smallest integer ``>= input``, elementwise (gradient 0): see
        :func:`minigrad.ops.ceil`.
        """
        return minigrad.ops.ceil(self)

    def ceil_(self) -> Tensor:
        """In-place :meth:`ceil`: the result is written into this tensor."""
        return self._inplace_op("ceil_", minigrad.ops.ceil)

    def chunk(self, chunks: Any, dim: Any = 0) -> tuple[Tensor, ...]:
        """
        Split into ``chunks`` pieces of ``ceil(n / chunks)`` (PyTorch's rule; maybe fewer): see
        :func:`minigrad.ops.chunk`.
        """
        return minigrad.ops.chunk(self, chunks, dim)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """
        Clamp into ``[min, max]``; the gradient flows where ``min <= x <= max``: see
        :func:`minigrad.ops.clamp`.
        """
        return minigrad.ops.clamp(self, min, max)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:
        """In-place :meth:`clamp`: the result is written into this tensor."""
        return self._inplace_op("clamp_", minigrad.ops.clamp, min, max)

    def clamp_max(self, max: Any) -> Tensor:
        """
        ``min(input, max)``: ``clamp(input, max=max)`` (gradient where ``input <= max``): see
        :func:`minigrad.ops.clamp_max`.
        """
        return minigrad.ops.clamp_max(self, max)

    def clamp_max_(self, max: Any) -> Tensor:
        """In-place :meth:`clamp_max`: the result is written into this tensor."""
        return self._inplace_op("clamp_max_", minigrad.ops.clamp_max, max)

    def clamp_min(self, min: Any) -> Tensor:
        """
        ``max(input, min)``: ``clamp(input, min=min)`` (gradient where ``input >= min``): see
        :func:`minigrad.ops.clamp_min`.
        """
        return minigrad.ops.clamp_min(self, min)

    def clamp_min_(self, min: Any) -> Tensor:
        """In-place :meth:`clamp_min`: the result is written into this tensor."""
        return self._inplace_op("clamp_min_", minigrad.ops.clamp_min, min)

    def clip(self, min: Any = None, max: Any = None) -> Tensor:
        """
        Clamp into ``[min, max]``; the gradient flows where ``min <= x <= max``: see
        :func:`minigrad.ops.clamp`.
        """
        return minigrad.ops.clamp(self, min, max)

    def clip_(self, min: Any = None, max: Any = None) -> Tensor:
        """In-place :meth:`clip`: the result is written into this tensor."""
        return self._inplace_op("clip_", minigrad.ops.clamp, min, max)

    def copysign(self, other: Any) -> Tensor:
        """
        ``|input|`` with the sign of ``other`` (integers give the default float dtype): see
        :func:`minigrad.ops.copysign`.
        """
        return minigrad.ops.copysign(self, other)

    def copysign_(self, other: Any) -> Tensor:
        """In-place :meth:`copysign`: the result is written into this tensor."""
        return self._inplace_op("copysign_", minigrad.ops.copysign, other)

    def cos(self) -> Tensor:
        """Cosine (radians): see :func:`minigrad.ops.cos`."""
        return minigrad.ops.cos(self)

    def cos_(self) -> Tensor:
        """In-place :meth:`cos`: the result is written into this tensor."""
        return self._inplace_op("cos_", minigrad.ops.cos)

    def cosh(self) -> Tensor:
        """Hyperbolic cosine: see :func:`minigrad.ops.cosh`."""
        return minigrad.ops.cosh(self)

    def cosh_(self) -> Tensor:
        """In-place :meth:`cosh`: the result is written into this tensor."""
        return self._inplace_op("cosh_", minigrad.ops.cosh)

    def count_nonzero(self, dim: Any = None) -> Tensor:
        """
        The number of nonzero elements over ``dim`` (all by default), as int64: see
        :func:`minigrad.ops.count_nonzero`.
        """
        return minigrad.ops.count_nonzero(self, dim)

    def cross(self, other: Any, dim: Any = None) -> Tensor:
        """
        Cross product of 3-vectors along ``dim`` (batch dims broadcast): see
        :func:`minigrad.ops.cross`.
        """
        return minigrad.ops.cross(self, other, dim)

    def cummax(self, dim: Any) -> Any:
        """
        Running maximum along ``dim``: ``(values, indices)``; at ties the index is the latest:
        see :func:`minigrad.ops.cummax`.
        """
        return minigrad.ops.cummax(self, dim)

    def cummin(self, dim: Any) -> Any:
        """
        Running minimum along ``dim``: ``(values, indices)``; at ties the index is the latest:
        see :func:`minigrad.ops.cummin`.
        """
        return minigrad.ops.cummin(self, dim)

    def cumprod(self, dim: Any, *, dtype: Any = None) -> Tensor:
        """
        Cumulative product along ``dim``; its gradient is exact with zeros in the input: see
        :func:`minigrad.ops.cumprod`.
        """
        return minigrad.ops.cumprod(self, dim, dtype=dtype)

    def cumprod_(self, dim: Any, *, dtype: Any = None) -> Tensor:
        """In-place :meth:`cumprod`: the result is written into this tensor."""
        return self._inplace_op("cumprod_", minigrad.ops.cumprod, dim, dtype=dtype)

    def cumsum(self, dim: Any, *, dtype: Any = None) -> Tensor:
        """
        Cumulative sum along ``dim`` (integers accumulate in int64, or in ``dtype``): see
        :func:`minigrad.ops.cumsum`.
        """
        return minigrad.ops.cumsum(self, dim, dtype=dtype)

    def cumsum_(self, dim: Any, *, dtype: Any = None) -> Tensor:
        """In-place :meth:`cumsum`: the result is written into this tensor."""
        return self._inplace_op("cumsum_", minigrad.ops.cumsum, dim, dtype=dtype)

    def det(self) -> Tensor:
        """
        The determinant of each square matrix (``torch.det``; as :func:`linalg_det`): see
        :func:`minigrad.ops.det`.
        """
        return minigrad.ops.det(self)

    def diag(self, diagonal: Any = 0) -> Tensor:
        """
        A vector's square diagonal matrix, or a matrix's diagonal (a copy), at ``diagonal``: see
        :func:`minigrad.ops.diag`.
        """
        return minigrad.ops.diag(self, diagonal)

    def diag_embed(self, offset: Any = 0, dim1: Any = -2, dim2: Any = -1) -> Tensor:
        """
        Matrices (in dims ``dim1``, ``dim2``) with the last dim of ``input`` on a diagonal: see
        :func:`minigrad.ops.diag_embed`.
        """
        return minigrad.ops.diag_embed(self, offset, dim1, dim2)

    def diagonal(self, offset: Any = 0, dim1: Any = 0, dim2: Any = 1) -> Tensor:
        """
        The diagonal of dims ``dim1``, ``dim2`` (above it if ``offset > 0``) as the last dim: a
        view: see :func:`minigrad.ops.diagonal`.
        """
        return minigrad.ops.diagonal(self, offset, dim1, dim2)

    def div(self, other: Any, *, rounding_mode: Any = None) -> Tensor:
        """
        ``input / other`` (true division: integers give the default float dtype): see
        :func:`minigrad.ops.div`.
        """
        return minigrad.ops.div(self, other, rounding_mode=rounding_mode)

    def div_(self, other: Any, *, rounding_mode: Any = None) -> Tensor:
        """In-place :meth:`div`: the result is written into this tensor."""
        return self._inplace_op("div_", minigrad.ops.div, other, rounding_mode=rounding_mode)

    def dot(self, other: Any) -> Tensor:
        """
        Dot product of two 1-D tensors of the same length (a 0-d result): see
        :func:`minigrad.ops.dot`.
        """
        return minigrad.ops.dot(self, other)

    def eq(self, other: Any) -> Tensor:
        """Elementwise ``==`` as a bool tensor (no gradient): see :func:`minigrad.ops.eq`."""
        return minigrad.ops.eq(self, other)

    def equal(self, other: Any) -> builtins.bool:
        """
        Whether both tensors have the same shape and elements (a Python bool; ``nan != nan``):
        see :func:`minigrad.ops.equal`.
        """
        return minigrad.ops.equal(self, other)

    def erf(self) -> Tensor:
        """
        The error function ``2/sqrt(pi) * integral_0^x exp(-t^2) dt``: see
        :func:`minigrad.ops.erf`.
        """
        return minigrad.ops.erf(self)

    def erf_(self) -> Tensor:
        """In-place :meth:`erf`: the result is written into this tensor."""
        return self._inplace_op("erf_", minigrad.ops.erf)

    def erfinv(self) -> Tensor:
        """
        Inverse of ``erf`` on ``[-1, 1]`` (``±inf`` at ``±1``, ``nan`` outside): see
        :func:`minigrad.ops.erfinv`.
        """
        return minigrad.ops.erfinv(self)

    def erfinv_(self) -> Tensor:
        """In-place :meth:`erfinv`: the result is written into this tensor."""
        return self._inplace_op("erfinv_", minigrad.ops.erfinv)

    def exp(self) -> Tensor:
        """Elementwise exponential: see :func:`minigrad.ops.exp`."""
        return minigrad.ops.exp(self)

    def exp2(self) -> Tensor:
        """``2 ** input``: see :func:`minigrad.ops.exp2`."""
        return minigrad.ops.exp2(self)

    def exp2_(self) -> Tensor:
        """In-place :meth:`exp2`: the result is written into this tensor."""
        return self._inplace_op("exp2_", minigrad.ops.exp2)

    def exp_(self) -> Tensor:
        """In-place :meth:`exp`: the result is written into this tensor."""
        return self._inplace_op("exp_", minigrad.ops.exp)

    def expand(self, *sizes: Any) -> Tensor:
        """
        Broadcast to a larger shape; ``-1`` keeps a dimension's size: see
        :func:`minigrad.ops.expand`.
        """
        return minigrad.ops.expand(self, *sizes)

    def expm1(self) -> Tensor:
        """``exp(input) - 1``, accurate for small ``input``: see :func:`minigrad.ops.expm1`."""
        return minigrad.ops.expm1(self)

    def expm1_(self) -> Tensor:
        """In-place :meth:`expm1`: the result is written into this tensor."""
        return self._inplace_op("expm1_", minigrad.ops.expm1)

    def exponential_(self, lambd: Any = 1.0, *, generator: Any = None) -> Tensor:
        """
        Fill ``input`` with draws from the exponential distribution of rate ``lambd``: see
        :func:`minigrad.ops.exponential_`.
        """
        return minigrad.ops.exponential_(self, lambd, generator=generator)

    def flatten(self, start_dim: Any = 0, end_dim: Any = -1) -> Tensor:
        """
        Merge dimensions ``start_dim`` through ``end_dim`` into one: see
        :func:`minigrad.ops.flatten`.
        """
        return minigrad.ops.flatten(self, start_dim, end_dim)

    def flip(self, dims: Any) -> Tensor:
        """
        Reverse the order of elements along ``dims`` (a copy, as PyTorch's): see
        :func:`minigrad.ops.flip`.
        """
        return minigrad.ops.flip(self, dims)

    def floor(self) -> Tensor:
        """
        The largest integer ``<= input``, elementwise (gradient 0): see
        :func:`minigrad.ops.floor`.
        """
        return minigrad.ops.floor(self)

    def floor_(self) -> Tensor:
        """In-place :meth:`floor`: the result is written into this tensor."""
        return self._inplace_op("floor_", minigrad.ops.floor)

    def floor_divide(self, other: Any) -> Tensor:
        """
        Python's ``//``: the quotient rounded toward minus infinity (no gradient, as PyTorch):
        see :func:`minigrad.ops.floor_divide`.
        """
        return minigrad.ops.floor_divide(self, other)

    def floor_divide_(self, other: Any) -> Tensor:
        """In-place :meth:`floor_divide`: the result is written into this tensor."""
        return self._inplace_op("floor_divide_", minigrad.ops.floor_divide, other)

    def fmod(self, other: Any) -> Tensor:
        """
        C's remainder: ``input - trunc(input / other) * other``, the sign of ``input``: see
        :func:`minigrad.ops.fmod`.
        """
        return minigrad.ops.fmod(self, other)

    def fmod_(self, other: Any) -> Tensor:
        """In-place :meth:`fmod`: the result is written into this tensor."""
        return self._inplace_op("fmod_", minigrad.ops.fmod, other)

    def frac(self) -> Tensor:
        """
        The fractional part ``input - trunc(input)`` (floating inputs only, as PyTorch): see
        :func:`minigrad.ops.frac`.
        """
        return minigrad.ops.frac(self)

    def frac_(self) -> Tensor:
        """In-place :meth:`frac`: the result is written into this tensor."""
        return self._inplace_op("frac_", minigrad.ops.frac)

    def gather(self, dim: Any, index: Any, *, sparse_grad: Any = False) -> Tensor:
        """
        Values along ``dim`` at ``index``: ``out[i][j] = input[index[i][j]][j]`` for ``dim=0``:
        see :func:`minigrad.ops.gather`.
        """
        return minigrad.ops.gather(self, dim, index, sparse_grad=sparse_grad)

    def ge(self, other: Any) -> Tensor:
        """Elementwise ``>=`` as a bool tensor (no gradient): see :func:`minigrad.ops.ge`."""
        return minigrad.ops.ge(self, other)

    def geometric_(self, p: Any, *, generator: Any = None) -> Tensor:
        """
        Fill ``input`` with the number of trials up to the first success (probability ``p``):
        see :func:`minigrad.ops.geometric_`.
        """
        return minigrad.ops.geometric_(self, p, generator=generator)

    def gt(self, other: Any) -> Tensor:
        """Elementwise ``>`` as a bool tensor (no gradient): see :func:`minigrad.ops.gt`."""
        return minigrad.ops.gt(self, other)

    def hypot(self, other: Any) -> Tensor:
        """
        ``sqrt(input**2 + other**2)`` without overflow (floating inputs only, as PyTorch): see
        :func:`minigrad.ops.hypot`.
        """
        return minigrad.ops.hypot(self, other)

    def hypot_(self, other: Any) -> Tensor:
        """In-place :meth:`hypot`: the result is written into this tensor."""
        return self._inplace_op("hypot_", minigrad.ops.hypot, other)

    def index_add(self, dim: Any, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        """
        ``input`` with ``alpha * source`` added to the slices at ``index`` along ``dim``: see
        :func:`minigrad.ops.index_add`.
        """
        return minigrad.ops.index_add(self, dim, index, source, alpha=alpha)

    def index_add_(self, dim: Any, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        """In-place :meth:`index_add`: the result is written into this tensor."""
        return self._inplace_op("index_add_", minigrad.ops.index_add, dim, index, source, alpha=alpha)  # noqa: E501

    def index_copy(self, dim: Any, index: Any, source: Any) -> Tensor:
        """
        ``input`` with the slices at ``index`` along ``dim`` replaced by ``source``'s: see
        :func:`minigrad.ops.index_copy`.
        """
        return minigrad.ops.index_copy(self, dim, index, source)

    def index_copy_(self, dim: Any, index: Any, source: Any) -> Tensor:
        """In-place :meth:`index_copy`: the result is written into this tensor."""
        return self._inplace_op("index_copy_", minigrad.ops.index_copy, dim, index, source)

    def index_fill(self, dim: Any, index: Any, value: Any) -> Tensor:
        """
        ``input`` with the slices at ``index`` along ``dim`` set to ``value`` (number or 0-d
        tensor): see :func:`minigrad.ops.index_fill`.
        """
        return minigrad.ops.index_fill(self, dim, index, value)

    def index_fill_(self, dim: Any, index: Any, value: Any) -> Tensor:
        """In-place :meth:`index_fill`: the result is written into this tensor."""
        return self._inplace_op("index_fill_", minigrad.ops.index_fill, dim, index, value)

    def index_select(self, dim: Any, index: Any) -> Tensor:
        """
        The slices at ``index`` (a vector) along ``dim``; repeated indices repeat: see
        :func:`minigrad.ops.index_select`.
        """
        return minigrad.ops.index_select(self, dim, index)

    def inner(self, other: Any) -> Tensor:
        """
        Inner product over the last dimension of both (a product if either is 0-d): see
        :func:`minigrad.ops.inner`.
        """
        return minigrad.ops.inner(self, other)

    def inverse(self) -> Tensor:
        """
        The inverse of each square matrix (``torch.inverse``; as :func:`linalg_inv`): see
        :func:`minigrad.ops.inverse`.
        """
        return minigrad.ops.inverse(self)

    def isclose(self, other: Any, rtol: Any = 1e-05, atol: Any = 1e-08, equal_nan: Any = False) -> Tensor:  # noqa: E501
        """
        Where ``|input - other| <= atol + rtol * |other|`` (infinities close only to
        themselves): see :func:`minigrad.ops.isclose`.
        """
        return minigrad.ops.isclose(self, other, rtol, atol, equal_nan)

    def isfinite(self) -> Tensor:
        """
        Where ``input`` is neither ``nan`` nor infinite: see :func:`minigrad.ops.isfinite`.
        """
        return minigrad.ops.isfinite(self)

    def isinf(self) -> Tensor:
        """Where ``input`` is ``inf`` or ``-inf``: see :func:`minigrad.ops.isinf`."""
        return minigrad.ops.isinf(self)

    def isnan(self) -> Tensor:
        """Where ``input`` is ``nan``: see :func:`minigrad.ops.isnan`."""
        return minigrad.ops.isnan(self)

    def isneginf(self) -> Tensor:
        """Where ``input`` is ``-inf``: see :func:`minigrad.ops.isneginf`."""
        return minigrad.ops.isneginf(self)

    def isposinf(self) -> Tensor:
        """Where ``input`` is ``inf``: see :func:`minigrad.ops.isposinf`."""
        return minigrad.ops.isposinf(self)

    def kron(self, other: Any) -> Tensor:
        """
        Kronecker product: blocks ``input[i] * other``; the shorter shape is padded with 1s: see
        :func:`minigrad.ops.kron`.
        """
        return minigrad.ops.kron(self, other)

    def kthvalue(self, k: Any, dim: Any = -1, keepdim: Any = False) -> Any:
        """
        The ``k``-th smallest element (``k`` from 1) along ``dim``: ``(values, indices)``: see
        :func:`minigrad.ops.kthvalue`.
        """
        return minigrad.ops.kthvalue(self, k, dim, keepdim)

    def le(self, other: Any) -> Tensor:
        """Elementwise ``<=`` as a bool tensor (no gradient): see :func:`minigrad.ops.le`."""
        return minigrad.ops.le(self, other)

    def lerp(self, end: Any, weight: Any) -> Tensor:
        """
        Linear interpolation ``input + weight * (end - input)``; ``weight`` a number or tensor:
        see :func:`minigrad.ops.lerp`.
        """
        return minigrad.ops.lerp(self, end, weight)

    def lerp_(self, end: Any, weight: Any) -> Tensor:
        """In-place :meth:`lerp`: the result is written into this tensor."""
        return self._inplace_op("lerp_", minigrad.ops.lerp, end, weight)

    def log(self) -> Tensor:
        """
        Natural logarithm (``-inf`` at 0, ``nan`` below, as PyTorch): see
        :func:`minigrad.ops.log`.
        """
        return minigrad.ops.log(self)

    def log10(self) -> Tensor:
        """Base-10 logarithm: see :func:`minigrad.ops.log10`."""
        return minigrad.ops.log10(self)

    def log10_(self) -> Tensor:
        """In-place :meth:`log10`: the result is written into this tensor."""
        return self._inplace_op("log10_", minigrad.ops.log10)

    def log1p(self) -> Tensor:
        """``log(1 + input)``, accurate for small ``input``: see :func:`minigrad.ops.log1p`."""
        return minigrad.ops.log1p(self)

    def log1p_(self) -> Tensor:
        """In-place :meth:`log1p`: the result is written into this tensor."""
        return self._inplace_op("log1p_", minigrad.ops.log1p)

    def log2(self) -> Tensor:
        """Base-2 logarithm: see :func:`minigrad.ops.log2`."""
        return minigrad.ops.log2(self)

    def log2_(self) -> Tensor:
        """In-place :meth:`log2`: the result is written into this tensor."""
        return self._inplace_op("log2_", minigrad.ops.log2)

    def log_(self) -> Tensor:
        """In-place :meth:`log`: the result is written into this tensor."""
        return self._inplace_op("log_", minigrad.ops.log)

    def log_normal_(self, mean: Any = 1.0, std: Any = 2.0, *, generator: Any = None) -> Tensor:
        """
        Fill ``input`` with ``exp(N(mean, std²))`` draws: see :func:`minigrad.ops.log_normal_`.
        """
        return minigrad.ops.log_normal_(self, mean, std, generator=generator)

    def log_softmax(self, dim: Any) -> Tensor:
        """
        Log-softmax along ``dim``, stable for logits of any size: see
        :func:`minigrad.ops.log_softmax`.
        """
        return minigrad.ops.log_softmax(self, dim)

    def logaddexp(self, other: Any) -> Tensor:
        """
        ``log(exp(input) + exp(other))`` without overflow (floating inputs only): see
        :func:`minigrad.ops.logaddexp`.
        """
        return minigrad.ops.logaddexp(self, other)

    def logcumsumexp(self, dim: Any) -> Tensor:
        """
        ``log(cumsum(exp(input)))`` along ``dim``, computed without overflow: see
        :func:`minigrad.ops.logcumsumexp`.
        """
        return minigrad.ops.logcumsumexp(self, dim)

    def logdet(self) -> Tensor:
        """
        ``log(det(input))``: nan where the determinant is negative, -inf where it is 0: see
        :func:`minigrad.ops.logdet`.
        """
        return minigrad.ops.logdet(self)

    def logical_and(self, other: Any) -> Tensor:
        """Elementwise logical and: see :func:`minigrad.ops.logical_and`."""
        return minigrad.ops.logical_and(self, other)

    def logical_not(self) -> Tensor:
        """
        Elementwise logical not (any dtype; nonzero is true): see
        :func:`minigrad.ops.logical_not`.
        """
        return minigrad.ops.logical_not(self)

    def logical_or(self, other: Any) -> Tensor:
        """Elementwise logical or: see :func:`minigrad.ops.logical_or`."""
        return minigrad.ops.logical_or(self, other)

    def logical_xor(self, other: Any) -> Tensor:
        """Elementwise logical exclusive or: see :func:`minigrad.ops.logical_xor`."""
        return minigrad.ops.logical_xor(self, other)

    def logsumexp(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        ``log(sum(exp(x)))`` over ``dim``, stable for large inputs (its gradient is softmax):
        see :func:`minigrad.ops.logsumexp`.
        """
        return minigrad.ops.logsumexp(self, dim, keepdim)

    def lt(self, other: Any) -> Tensor:
        """Elementwise ``<`` as a bool tensor (no gradient): see :func:`minigrad.ops.lt`."""
        return minigrad.ops.lt(self, other)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """
        ``input`` with the elements where ``mask`` holds set to ``value`` (in the input's
        dtype): see :func:`minigrad.ops.masked_fill`.
        """
        return minigrad.ops.masked_fill(self, mask, value)

    def masked_fill_(self, mask: Any, value: Any) -> Tensor:
        """In-place :meth:`masked_fill`: the result is written into this tensor."""
        return self._inplace_op("masked_fill_", minigrad.ops.masked_fill, mask, value)

    def masked_scatter(self, mask: Any, source: Any) -> Tensor:
        """
        ``input`` with the elements where ``mask`` holds replaced, in order, by ``source``'s:
        see :func:`minigrad.ops.masked_scatter`.
        """
        return minigrad.ops.masked_scatter(self, mask, source)

    def masked_select(self, mask: Any) -> Tensor:
        """
        The elements where ``mask`` holds, as a 1-D tensor (input and mask broadcast): see
        :func:`minigrad.ops.masked_select`.
        """
        return minigrad.ops.masked_select(self, mask)

    def matmul(self, other: Any) -> Tensor:
        """
        Matrix product with broadcasting of batch dimensions: see :func:`minigrad.ops.matmul`.
        """
        return minigrad.ops.matmul(self, other)

    def max(self, dim: Any = None, keepdim: Any = False) -> Any:
        """
        The maximum; with ``dim``, the named tuple ``(values, indices)``: see
        :func:`minigrad.ops.max`.
        """
        return minigrad.ops.max(self, dim, keepdim)

    def maximum(self, other: Any) -> Tensor:
        """
        Elementwise maximum; ties share the gradient equally: see :func:`minigrad.ops.maximum`.
        """
        return minigrad.ops.maximum(self, other)

    def mean(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Mean over ``dim`` (all dims by default); floating inputs only: see
        :func:`minigrad.ops.mean`.
        """
        return minigrad.ops.mean(self, dim, keepdim)

    def median(self, dim: Any = None, keepdim: Any = False) -> Any:
        """
        The lower median: of all elements (a 0-d tensor), or along ``dim`` as ``(values,
        indices)``: see :func:`minigrad.ops.median`.
        """
        return minigrad.ops.median(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: Any = False) -> Any:
        """
        The minimum; with ``dim``, the named tuple ``(values, indices)``: see
        :func:`minigrad.ops.min`.
        """
        return minigrad.ops.min(self, dim, keepdim)

    def minimum(self, other: Any) -> Tensor:
        """
        Elementwise minimum; ties share the gradient equally: see :func:`minigrad.ops.minimum`.
        """
        return minigrad.ops.minimum(self, other)

    def mm(self, mat2: Any) -> Tensor:
        """
        Matrix product of two 2-D tensors (no broadcasting): ``(n, k) @ (k, m)``: see
        :func:`minigrad.ops.mm`.
        """
        return minigrad.ops.mm(self, mat2)

    def mode(self, dim: Any = -1, keepdim: Any = False) -> Any:
        """
        The most frequent value along ``dim`` (the smallest of equally frequent ones) and: see
        :func:`minigrad.ops.mode`.
        """
        return minigrad.ops.mode(self, dim, keepdim)

    def moveaxis(self, source: Any, destination: Any) -> Tensor:
        """Alias of :func:`movedim` (NumPy's name): see :func:`minigrad.ops.moveaxis`."""
        return minigrad.ops.moveaxis(self, source, destination)

    def movedim(self, source: Any, destination: Any) -> Tensor:
        """
        Move dims ``source`` to positions ``destination`` (the others keep their order): a view:
        see :func:`minigrad.ops.movedim`.
        """
        return minigrad.ops.movedim(self, source, destination)

    def msort(self) -> Tensor:
        """
        Sorted along dim 0 (the values of ``sort(input, dim=0)``): see
        :func:`minigrad.ops.msort`.
        """
        return minigrad.ops.msort(self)

    def mul(self, other: Any) -> Tensor:
        """``input * other`` with broadcasting: see :func:`minigrad.ops.mul`."""
        return minigrad.ops.mul(self, other)

    def mul_(self, other: Any) -> Tensor:
        """In-place :meth:`mul`: the result is written into this tensor."""
        return self._inplace_op("mul_", minigrad.ops.mul, other)

    def multinomial(self, num_samples: Any, replacement: Any = False, *, generator: Any = None) -> Tensor:  # noqa: E501
        """
        Sample category indices from the (unnormalised) weights in each row of ``input``: see
        :func:`minigrad.ops.multinomial`.
        """
        return minigrad.ops.multinomial(self, num_samples, replacement, generator=generator)

    def mv(self, vec: Any) -> Tensor:
        """
        Matrix-vector product: ``(n, m) @ (m,)`` gives ``(n,)``: see :func:`minigrad.ops.mv`.
        """
        return minigrad.ops.mv(self, vec)

    def nan_to_num(self, nan: Any = 0.0, posinf: Any = None, neginf: Any = None) -> Tensor:
        """
        Replace ``nan``, ``inf`` and ``-inf`` by ``nan`` (0), ``posinf`` and ``neginf`` (by: see
        :func:`minigrad.ops.nan_to_num`.
        """
        return minigrad.ops.nan_to_num(self, nan, posinf, neginf)

    def nan_to_num_(self, nan: Any = 0.0, posinf: Any = None, neginf: Any = None) -> Tensor:
        """In-place :meth:`nan_to_num`: the result is written into this tensor."""
        return self._inplace_op("nan_to_num_", minigrad.ops.nan_to_num, nan, posinf, neginf)

    def narrow(self, dim: Any, start: Any, length: Any) -> Tensor:
        """
        ``length`` elements from ``start`` along ``dim``: a view sharing the input's memory: see
        :func:`minigrad.ops.narrow`.
        """
        return minigrad.ops.narrow(self, dim, start, length)

    def ne(self, other: Any) -> Tensor:
        """Elementwise ``!=`` as a bool tensor (no gradient): see :func:`minigrad.ops.ne`."""
        return minigrad.ops.ne(self, other)

    def neg(self) -> Tensor:
        """``-input``: see :func:`minigrad.ops.neg`."""
        return minigrad.ops.neg(self)

    def neg_(self) -> Tensor:
        """In-place :meth:`neg`: the result is written into this tensor."""
        return self._inplace_op("neg_", minigrad.ops.neg)

    def nonzero(self, *, as_tuple: Any = False) -> Any:
        """
        The indices of the nonzero elements: an ``(n, ndim)`` int64 tensor, or one vector per
        dim: see :func:`minigrad.ops.nonzero`.
        """
        return minigrad.ops.nonzero(self, as_tuple=as_tuple)

    def norm(self, p: Any = 'fro', dim: Any = None, keepdim: Any = False, dtype: Any = None) -> Tensor:  # noqa: E501
        """
        ``torch.norm``: the vector ``p``-norm over ``dim`` (all by default); ``'fro'`` is the:
        see :func:`minigrad.ops.norm`.
        """
        return minigrad.ops.norm(self, p, dim, keepdim, dtype)

    def normal_(self, mean: Any = 0.0, std: Any = 1.0, *, generator: Any = None) -> Tensor:
        """Fill ``input`` with ``N(mean, std²)`` draws: see :func:`minigrad.ops.normal_`."""
        return minigrad.ops.normal_(self, mean, std, generator=generator)

    def outer(self, vec2: Any) -> Tensor:
        """
        Outer product of two vectors: ``out[i, j] = input[i] * vec2[j]``: see
        :func:`minigrad.ops.outer`.
        """
        return minigrad.ops.outer(self, vec2)

    def permute(self, *dims: Any) -> Tensor:
        """Reorder the dimensions: see :func:`minigrad.ops.permute`."""
        return minigrad.ops.permute(self, *dims)

    def pow(self, exponent: Any) -> Tensor:
        """
        ``input ** exponent``; integer powers of integers stay integers: see
        :func:`minigrad.ops.pow`.
        """
        return minigrad.ops.pow(self, exponent)

    def pow_(self, exponent: Any) -> Tensor:
        """In-place :meth:`pow`: the result is written into this tensor."""
        return self._inplace_op("pow_", minigrad.ops.pow, exponent)

    def prelu(self, weight: Any) -> Tensor:
        """
        ``x`` where positive, ``weight * x`` elsewhere; ``weight`` has 1 or ``C`` elements: see
        :func:`minigrad.ops.prelu`.
        """
        return minigrad.ops.prelu(self, weight)

    def prod(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Product over ``dim``; the gradient is exact even where elements are 0: see
        :func:`minigrad.ops.prod`.
        """
        return minigrad.ops.prod(self, dim, keepdim)

    def random_(self, from_: Any = 0, to: Any = None, *, generator: Any = None) -> Tensor:
        """
        Fill ``input`` with integers uniform in ``[from_, to)`` (``random_(to)`` means ``[0,
        to)``): see :func:`minigrad.ops.random_`.
        """
        return minigrad.ops.random_(self, from_, to, generator=generator)

    def reciprocal(self) -> Tensor:
        """
        ``1 / input`` (integers give the default float dtype): see
        :func:`minigrad.ops.reciprocal`.
        """
        return minigrad.ops.reciprocal(self)

    def reciprocal_(self) -> Tensor:
        """In-place :meth:`reciprocal`: the result is written into this tensor."""
        return self._inplace_op("reciprocal_", minigrad.ops.reciprocal)

    def relu(self) -> Tensor:
        """``max(x, 0)``; the gradient at 0 is 0: see :func:`minigrad.ops.relu`."""
        return minigrad.ops.relu(self)

    def relu_(self) -> Tensor:
        """In-place :meth:`relu`: the result is written into this tensor."""
        return self._inplace_op("relu_", minigrad.ops.relu)

    def remainder(self, other: Any) -> Tensor:
        """
        Python's ``%``: ``input - floor(input / other) * other``, the sign of ``other``: see
        :func:`minigrad.ops.remainder`.
        """
        return minigrad.ops.remainder(self, other)

    def remainder_(self, other: Any) -> Tensor:
        """In-place :meth:`remainder`: the result is written into this tensor."""
        return self._inplace_op("remainder_", minigrad.ops.remainder, other)

    def repeat(self, *sizes: Any) -> Tensor:
        """
        ``Tensor.repeat``: tile the input ``sizes[i]`` times along each dim (leading dims
        added): see :func:`minigrad.ops.repeat`.
        """
        return minigrad.ops.repeat(self, *sizes)

    def repeat_interleave(self, repeats: Any = None, dim: Any = None, *, output_size: Any = None) -> Tensor:  # noqa: E501
        """
        Repeat each element (or slice along ``dim``) ``repeats`` times, each copy next to the
        last: see :func:`minigrad.ops.repeat_interleave`.
        """
        return minigrad.ops.repeat_interleave(self, repeats, dim, output_size=output_size)

    def reshape(self, *shape: Any) -> Tensor:
        """
        The same elements in a new shape; one dimension may be -1: see
        :func:`minigrad.ops.reshape`.
        """
        return minigrad.ops.reshape(self, *shape)

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        """
        Shift elements circularly by ``shifts`` along ``dims`` (of the flattened input if none):
        see :func:`minigrad.ops.roll`.
        """
        return minigrad.ops.roll(self, shifts, dims)

    def rot90(self, k: Any = 1, dims: Any = (0, 1)) -> Tensor:
        """
        Rotate by 90 degrees ``k`` times in the plane of ``dims`` (from the first toward the
        second): see :func:`minigrad.ops.rot90`.
        """
        return minigrad.ops.rot90(self, k, dims)

    def round(self, *, decimals: Any = 0) -> Tensor:
        """
        Round half to even, to ``decimals`` decimal places (negative: to tens, hundreds...): see
        :func:`minigrad.ops.round`.
        """
        return minigrad.ops.round(self, decimals=decimals)

    def round_(self, *, decimals: Any = 0) -> Tensor:
        """In-place :meth:`round`: the result is written into this tensor."""
        return self._inplace_op("round_", minigrad.ops.round, decimals=decimals)

    def rsqrt(self) -> Tensor:
        """``1 / sqrt(input)`` (``inf`` at 0, ``nan`` below): see :func:`minigrad.ops.rsqrt`."""
        return minigrad.ops.rsqrt(self)

    def rsqrt_(self) -> Tensor:
        """In-place :meth:`rsqrt`: the result is written into this tensor."""
        return self._inplace_op("rsqrt_", minigrad.ops.rsqrt)

    def scatter(self, dim: Any, index: Any, src: Any = None, *, value: Any = None, reduce: Any = None) -> Tensor:  # noqa: E501
        """
        ``input`` with ``src`` (a tensor, or the number ``value``) written at ``index`` on
        ``dim``: see :func:`minigrad.ops.scatter`.
        """
        return minigrad.ops.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_(self, dim: Any, index: Any, src: Any = None, *, value: Any = None, reduce: Any = None) -> Tensor:  # noqa: E501
        """In-place :meth:`scatter`: the result is written into this tensor."""
        return self._inplace_op("scatter_", minigrad.ops.scatter, dim, index, src, value=value, reduce=reduce)  # noqa: E501

    def scatter_add(self, dim: Any, index: Any, src: Any) -> Tensor:
        """
        ``input`` with ``src`` added at ``index`` along ``dim``; repeated indices accumulate:
        see :func:`minigrad.ops.scatter_add`.
        """
        return minigrad.ops.scatter_add(self, dim, index, src)

    def scatter_add_(self, dim: Any, index: Any, src: Any) -> Tensor:
        """In-place :meth:`scatter_add`: the result is written into this tensor."""
        return self._inplace_op("scatter_add_", minigrad.ops.scatter_add, dim, index, src)

    def scatter_reduce(self, dim: Any, index: Any, src: Any, reduce: Any, *, include_self: Any = True) -> Tensor:  # noqa: E501
        """
        ``input`` with ``src`` reduced in at ``index`` along ``dim``: see
        :func:`minigrad.ops.scatter_reduce`.
        """
        return minigrad.ops.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    def scatter_reduce_(self, dim: Any, index: Any, src: Any, reduce: Any, *, include_self: Any = True) -> Tensor:  # noqa: E501
        """In-place :meth:`scatter_reduce`: the result is written into this tensor."""
        return self._inplace_op("scatter_reduce_", minigrad.ops.scatter_reduce, dim, index, src, reduce, include_self=include_self)  # noqa: E501

    def select(self, dim: Any, index: Any) -> Tensor:
        """
        The slice at ``index`` along ``dim`` (that dim removed): a view: see
        :func:`minigrad.ops.select`.
        """
        return minigrad.ops.select(self, dim, index)

    def sgn(self) -> Tensor:
        """
        The sign of each element (``sign`` for real tensors; gradient 0): see
        :func:`minigrad.ops.sgn`.
        """
        return minigrad.ops.sgn(self)

    def sgn_(self) -> Tensor:
        """In-place :meth:`sgn`: the result is written into this tensor."""
        return self._inplace_op("sgn_", minigrad.ops.sgn)

    def sigmoid(self) -> Tensor:
        """
        Logistic sigmoid ``1 / (1 + exp(-x))``, stable for large ``|x|``: see
        :func:`minigrad.ops.sigmoid`.
        """
        return minigrad.ops.sigmoid(self)

    def sigmoid_(self) -> Tensor:
        """In-place :meth:`sigmoid`: the result is written into this tensor."""
        return self._inplace_op("sigmoid_", minigrad.ops.sigmoid)

    def sign(self) -> Tensor:
        """
        Sign of each element (-1, 0 or 1); its gradient is 0 (as PyTorch's): see
        :func:`minigrad.ops.sign`.
        """
        return minigrad.ops.sign(self)

    def sign_(self) -> Tensor:
        """In-place :meth:`sign`: the result is written into this tensor."""
        return self._inplace_op("sign_", minigrad.ops.sign)

    def sin(self) -> Tensor:
        """Sine (radians): see :func:`minigrad.ops.sin`."""
        return minigrad.ops.sin(self)

    def sin_(self) -> Tensor:
        """In-place :meth:`sin`: the result is written into this tensor."""
        return self._inplace_op("sin_", minigrad.ops.sin)

    def sinh(self) -> Tensor:
        """Hyperbolic sine: see :func:`minigrad.ops.sinh`."""
        return minigrad.ops.sinh(self)

    def sinh_(self) -> Tensor:
        """In-place :meth:`sinh`: the result is written into this tensor."""
        return self._inplace_op("sinh_", minigrad.ops.sinh)

    def softmax(self, dim: Any) -> Tensor:
        """
        Softmax along ``dim``, stable for logits of any size: see :func:`minigrad.ops.softmax`.
        """
        return minigrad.ops.softmax(self, dim)

    def sort(self, dim: Any = -1, descending: Any = False, stable: Any = False) -> Any:
        """
        Sorted along ``dim``: ``(values, indices)``. The sort is always stable here: see
        :func:`minigrad.ops.sort`.
        """
        return minigrad.ops.sort(self, dim, descending, stable)

    def split(self, split_size_or_sections: Any, dim: Any = 0) -> tuple[Tensor, ...]:
        """
        Split into pieces of ``split_size`` (the last may be smaller) or of listed sizes: see
        :func:`minigrad.ops.split`.
        """
        return minigrad.ops.split(self, split_size_or_sections, dim)

    def sqrt(self) -> Tensor:
        """Square root (``nan`` below 0, as PyTorch): see :func:`minigrad.ops.sqrt`."""
        return minigrad.ops.sqrt(self)

    def sqrt_(self) -> Tensor:
        """In-place :meth:`sqrt`: the result is written into this tensor."""
        return self._inplace_op("sqrt_", minigrad.ops.sqrt)

    def square(self) -> Tensor:
        """``input * input`` (integers stay integers): see :func:`minigrad.ops.square`."""
        return minigrad.ops.square(self)

    def square_(self) -> Tensor:
        """In-place :meth:`square`: the result is written into this tensor."""
        return self._inplace_op("square_", minigrad.ops.square)

    def squeeze(self, dim: Any = None) -> Tensor:
        """
        Remove dimensions of size 1 (all, or those in ``dim`` that are 1): see
        :func:`minigrad.ops.squeeze`.
        """
        return minigrad.ops.squeeze(self, dim)

    def std(self, dim: Any = None, *, correction: Any = 1, keepdim: Any = False, unbiased: Any = None) -> Tensor:  # noqa: E501
        """Standard deviation: ``sqrt(var(...))``: see :func:`minigrad.ops.std`."""
        return minigrad.ops.std(self, dim, correction=correction, keepdim=keepdim, unbiased=unbiased)  # noqa: E501

    def sub(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``input - alpha * other`` with broadcasting: see :func:`minigrad.ops.sub`."""
        return minigrad.ops.sub(self, other, alpha=alpha)

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """In-place :meth:`sub`: the result is written into this tensor."""
        return self._inplace_op("sub_", minigrad.ops.sub, other, alpha=alpha)

    def sum(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Sum over ``dim`` (all dims by default). Integer and bool inputs sum to int64: see
        :func:`minigrad.ops.sum`.
        """
        return minigrad.ops.sum(self, dim, keepdim)

    def swapaxes(self, axis0: Any, axis1: Any) -> Tensor:
        """
        Alias of :func:`transpose` (NumPy's name): a view: see :func:`minigrad.ops.swapaxes`.
        """
        return minigrad.ops.swapaxes(self, axis0, axis1)

    def swapdims(self, dim0: Any, dim1: Any) -> Tensor:
        """Alias of :func:`transpose`: a view: see :func:`minigrad.ops.swapdims`."""
        return minigrad.ops.swapdims(self, dim0, dim1)

    def t(self) -> Tensor:
        """
        Transpose a matrix (a tensor of at most 2 dimensions; 0-d and 1-d stay as they are): see
        :func:`minigrad.ops.t`.
        """
        return minigrad.ops.t(self)

    def take(self, index: Any) -> Tensor:
        """
        Elements of the flattened input at ``index`` (negative counts from the end); index's
        shape: see :func:`minigrad.ops.take`.
        """
        return minigrad.ops.take(self, index)

    def take_along_dim(self, indices: Any, dim: Any = None) -> Tensor:
        """
        ``gather`` after broadcasting input and indices outside ``dim`` (flattened if no
        ``dim``): see :func:`minigrad.ops.take_along_dim`.
        """
        return minigrad.ops.take_along_dim(self, indices, dim)

    def tan(self) -> Tensor:
        """Tangent (radians): see :func:`minigrad.ops.tan`."""
        return minigrad.ops.tan(self)

    def tan_(self) -> Tensor:
        """In-place :meth:`tan`: the result is written into this tensor."""
        return self._inplace_op("tan_", minigrad.ops.tan)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent: see :func:`minigrad.ops.tanh`."""
        return minigrad.ops.tanh(self)

    def tanh_(self) -> Tensor:
        """In-place :meth:`tanh`: the result is written into this tensor."""
        return self._inplace_op("tanh_", minigrad.ops.tanh)

    def tensor_split(self, indices_or_sections: Any, dim: Any = 0) -> tuple[Tensor, ...]:
        """
        Split into ``n`` nearly equal views (the first ``size % n`` one longer), or at indices:
        see :func:`minigrad.ops.tensor_split`.
        """
        return minigrad.ops.tensor_split(self, indices_or_sections, dim)

    def tile(self, dims: Any) -> Tensor:
        """
        Repeat the input ``dims[i]`` times along each dim (missing leading ``dims`` are 1): see
        :func:`minigrad.ops.tile`.
        """
        return minigrad.ops.tile(self, dims)

    def topk(self, k: Any, dim: Any = -1, largest: Any = True, sorted: Any = True) -> Any:
        """
        The ``k`` largest (or smallest) elements along ``dim``: ``(values, indices)``, sorted:
        see :func:`minigrad.ops.topk`.
        """
        return minigrad.ops.topk(self, k, dim, largest, sorted)

    def transpose(self, dim0: Any, dim1: Any) -> Tensor:
        """Swap two dimensions: see :func:`minigrad.ops.transpose`."""
        return minigrad.ops.transpose(self, dim0, dim1)

    def tril(self, diagonal: Any = 0) -> Tensor:
        """
        The lower triangle of the last two dims (on and below ``diagonal``); the rest 0: see
        :func:`minigrad.ops.tril`.
        """
        return minigrad.ops.tril(self, diagonal)

    def tril_(self, diagonal: Any = 0) -> Tensor:
        """In-place :meth:`tril`: the result is written into this tensor."""
        return self._inplace_op("tril_", minigrad.ops.tril, diagonal)

    def triu(self, diagonal: Any = 0) -> Tensor:
        """
        The upper triangle of the last two dims (on and above ``diagonal``); the rest 0: see
        :func:`minigrad.ops.triu`.
        """
        return minigrad.ops.triu(self, diagonal)

    def triu_(self, diagonal: Any = 0) -> Tensor:
        """In-place :meth:`triu`: the result is written into this tensor."""
        return self._inplace_op("triu_", minigrad.ops.triu, diagonal)

    def trunc(self) -> Tensor:
        """
        The integer part, rounding toward zero (gradient 0): see :func:`minigrad.ops.trunc`.
        """
        return minigrad.ops.trunc(self)

    def trunc_(self) -> Tensor:
        """In-place :meth:`trunc`: the result is written into this tensor."""
        return self._inplace_op("trunc_", minigrad.ops.trunc)

    def unbind(self, dim: Any = 0) -> tuple[Tensor, ...]:
        """
        The slices along ``dim`` (that dim removed), as views: see :func:`minigrad.ops.unbind`.
        """
        return minigrad.ops.unbind(self, dim)

    def unflatten(self, dim: Any, sizes: Any) -> Tensor:
        """
        Split dim ``dim`` into ``sizes`` (one of them may be -1): see
        :func:`minigrad.ops.unflatten`.
        """
        return minigrad.ops.unflatten(self, dim, sizes)

    def unfold(self, dimension: Any, size: Any, step: Any) -> Tensor:
        """
        ``Tensor.unfold``: every window of ``size`` (every ``step``) along ``dimension``, as a
        view: see :func:`minigrad.ops.unfold`.
        """
        return minigrad.ops.unfold(self, dimension, size, step)

    def uniform_(self, from_: Any = 0.0, to: Any = 1.0, *, generator: Any = None) -> Tensor:
        """
        Fill ``input`` with draws uniform in ``[from_, to)`` (PyTorch's ``uniform_(from, to)``):
        see :func:`minigrad.ops.uniform_`.
        """
        return minigrad.ops.uniform_(self, from_, to, generator=generator)

    def unique(self, sorted: Any = True, return_inverse: Any = False, return_counts: Any = False, dim: Any = None) -> Any:  # noqa: E501
        """
        The unique elements (or slices along ``dim``), sorted; optionally with the inverse: see
        :func:`minigrad.ops.unique`.
        """
        return minigrad.ops.unique(self, sorted, return_inverse, return_counts, dim)

    def unsqueeze(self, dim: Any) -> Tensor:
        """
        Insert a dimension of size 1 at ``dim`` (``-1`` appends): see
        :func:`minigrad.ops.unsqueeze`.
        """
        return minigrad.ops.unsqueeze(self, dim)

    def var(self, dim: Any = None, *, correction: Any = 1, keepdim: Any = False, unbiased: Any = None) -> Tensor:  # noqa: E501
        """
        Variance over ``dim`` with ``correction`` (1: Bessel's, PyTorch's default): see
        :func:`minigrad.ops.var`.
        """
        return minigrad.ops.var(self, dim, correction=correction, keepdim=keepdim, unbiased=unbiased)  # noqa: E501

    def view(self, *shape: Any) -> Tensor:
        """
        The same memory seen in a new shape; raises where a copy would be needed: see
        :func:`minigrad.ops.view`.
        """
        return minigrad.ops.view(self, *shape)

    def where(self, condition: Any, other: Any = None) -> Any:
        """
        Elements of ``input`` where ``condition`` holds, else of ``other``: see
        :func:`minigrad.ops.where`.
        """
        return minigrad.ops.where(condition, self, other)

    def xlogy(self, other: Any) -> Tensor:
        """
        ``input * log(other)``, with 0 where ``input`` is 0 (as ``torch.xlogy``): see
        :func:`minigrad.ops.xlogy`.
        """
        return minigrad.ops.xlogy(self, other)

    def xlogy_(self, other: Any) -> Tensor:
        """In-place :meth:`xlogy`: the result is written into this tensor."""
        return self._inplace_op("xlogy_", minigrad.ops.xlogy, other)

    # fmt: on
    # </generated>


def format_values(a: np.ndarray) -> str:
    """The values as PyTorch prints them: ``[1.5000, 2.0000]``, ``[1., 2.]``, ``[1.0000e+10, ...]``.

    Floats are fixed-point with 4 decimals, or ``1.`` style when every value is an
    integer, or scientific when the magnitudes span more than 1000x (or pass 1e8,
    or go under 1e-4); all right-aligned to one width; more than 1000 elements are
    summarised with ``...`` (3 at each edge), as PyTorch does.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import format_values
        >>> format_values(np.array([1.5, 2.0])), format_values(np.array([1.0, -2.0]))
        ('[1.5000, 2.0000]', '[ 1., -2.]')
    """
    summarize = a.size > 1000
    shown = _summarized(a) if summarize else a
    if a.dtype.kind == "f":
        fmt = _float_format(shown.astype(np.float64))
    elif a.dtype.kind == "b":
        fmt = str
    else:
        fmt = str
    flat = shown.reshape(-1)
    if a.dtype.kind == "f":  # as PyTorch: the width of the nonzero finite values only
        flat = flat[np.isfinite(flat) & (flat != 0)]
    width = builtins.max((len(fmt(v)) for v in flat.tolist()), default=1)

    def one(v: Any) -> str:
        return fmt(v.item() if hasattr(v, "item") else v).rjust(width)

    if a.ndim == 0:
        return one(a)
    if summarize:
        return _summary_str(a, one, width, indent=len("tensor("))
    return np.array2string(
        a,
        max_line_width=80,
        separator=", ",
        prefix="tensor(",
        formatter={"all": one},
        threshold=1000,
        edgeitems=3,
    )


def _summary_str(a: np.ndarray, one: Any, width: builtins.int, indent: builtins.int) -> str:
    """PyTorch's layout of a summarised tensor: 3 items at each edge of every long
    dimension around ``...``, and a fixed number of items per line (as many of
    ``width + 2`` characters as fit in 80 columns after the indent)."""
    edge = 3
    if a.ndim == 1:
        per_line = builtins.max(1, (80 - indent) // (width + 2))
        n = a.shape[0]
        picks = [*range(edge), None, *range(n - edge, n)] if n > 2 * edge else list(range(n))
        items = [" ..." if i is None else one(a[i]) for i in picks]
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    n = a.shape[0]
    picks = [*range(edge), None, *range(n - edge, n)] if n > 2 * edge else list(range(n))
    rows = ["..." if i is None else _summary_str(a[i], one, width, indent + 1) for i in picks]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def _summarized(a: np.ndarray) -> np.ndarray:
    if a.ndim == 0:
        return a
    for axis, n in enumerate(a.shape):
        if n > 6:
            a = np.concatenate([a.take(range(3), axis), a.take(range(n - 3, n), axis)], axis)
    return a


def _float_format(values: np.ndarray) -> Any:
    finite = values[np.isfinite(values)]
    nonzero = np.abs(finite[finite != 0])
    hi = float(nonzero.max()) if nonzero.size else 0.0
    lo = float(nonzero.min()) if nonzero.size else 0.0
    integral = bool(np.all(finite == np.ceil(finite)))
    if integral:
        sci = nonzero.size > 0 and (hi / lo > 1000 or hi > 1e8)
        spec = "{:.4e}" if sci else "{:.0f}."
    else:
        sci = nonzero.size > 0 and (hi / lo > 1000 or hi > 1e8 or lo < 1e-4)
        spec = "{:.4e}" if sci else "{:.4f}"

    def fmt(v: builtins.float) -> str:
        if v != v:
            return "nan"
        if v in (np.inf, -np.inf):
            return "inf" if v > 0 else "-inf"
        return spec.format(v)

    return fmt


def _requires_grad(args: Any, kwargs: dict[str, Any]) -> builtins.bool:
    return any(isinstance(a, Tensor) and a.requires_grad for a in args) or any(
        isinstance(a, Tensor) and a.requires_grad for a in kwargs.values()
    )


def can_cast(from_: np.dtype, to: np.dtype) -> builtins.bool:
    """PyTorch's ``can_cast``: no cast to a lower category (float -> int, int -> bool).

    Example:
        >>> import minigrad
        >>> minigrad.can_cast(minigrad.float64, minigrad.float32)
        True
        >>> minigrad.can_cast(minigrad.float32, minigrad.int64)
        False
    """
    order = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}
    return order[np.dtype(from_).kind] <= order[np.dtype(to).kind]


def _type_name(dtype: np.dtype) -> str:
    """PyTorch's scalar type names, as its error messages use them."""
    names = {
        "float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
        "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
    }  # fmt: skip
    return names.get(np.dtype(dtype).name, np.dtype(dtype).name)


_TYPE_NAMES = {
    "float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
    "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
}  # fmt: skip
_TO_KEYWORDS = ("dtype", "device", "non_blocking", "copy", "memory_format")


def _is_size(value: Any) -> builtins.bool:
    return isinstance(value, (builtins.int, np.integer)) and not isinstance(value, builtins.bool)


def _legacy_dtype(dtype: Any) -> np.dtype:
    return _default_dtype if dtype is None else to_dtype(dtype).dtype


def _legacy_type_dtype(value: Any) -> Any:
    """The dtype of a legacy tensor type (``LongTensor``, ``'torch.LongTensor'``) or a dtype."""
    if isinstance(value, str):
        name = value.rpartition(".")[2]
        for np_name, short in _TYPE_NAMES.items():
            if name == short + "Tensor":
                return np.dtype(np_name)
        raise TypeError(f"type(): invalid type {value!r} (expected e.g. 'minigrad.FloatTensor')")
    legacy = getattr(value, "_legacy_dtype", None)
    return legacy if legacy is not None else value


def _parse_to(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[DType | None, Any]:
    """PyTorch's ``to`` overloads: (dtype) | (device, dtype) | (tensor), then non_blocking, copy."""
    for name in kwargs:
        if name not in _TO_KEYWORDS:
            raise TypeError(f"to() got an unexpected keyword argument {name!r}")
    dtype, device, copy = kwargs.get("dtype"), kwargs.get("device"), kwargs.get("copy", False)
    rest = list(args)
    if rest:
        first = rest.pop(0)
        if isinstance(first, Tensor):
            dtype = first.dtype if dtype is None else dtype
        elif isinstance(first, (str, Device)) or _is_size(first):
            device = first
            if rest and not isinstance(rest[0], builtins.bool):
                dtype = rest.pop(0)
        elif first is not None:
            dtype = first
    if len(rest) > 2:
        raise TypeError(f"to() takes at most 4 positional arguments ({len(args)} given)")
    if len(rest) == 2:
        copy = rest[1]
    as_device(device, "to")
    return (None if dtype is None else to_dtype(dtype)), copy


def _legacy_type_np(t: Tensor, dtype: Any) -> np.dtype:
    """``dtype`` as a NumPy dtype, ``t``'s dtype when it is ``None`` (the ``new_*`` default)."""
    return t._data.dtype if dtype is None else to_dtype(dtype).dtype
