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
        dtype('float64')
        >>> minigrad.set_default_dtype(minigrad.float32)
    """
    global _default_dtype
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"set_default_dtype: only float32 and float64 are supported, got {dt}")
    _default_dtype = dt


def get_default_dtype() -> np.dtype:
    """Return the default floating dtype.

    Example:
        >>> import minigrad
        >>> minigrad.get_default_dtype()
        dtype('float32')
    """
    return _default_dtype


def _infer_array(data: Any, dtype: DTypeLike | None) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.array(data, dtype=np.dtype(dtype))
    if isinstance(data, np.ndarray):
        return data.copy()
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
        data: the underlying ``numpy.ndarray``.
        grad: the accumulated gradient (a Tensor), or ``None``.
        requires_grad: whether operations on it are recorded.
        grad_fn: the graph node that produced it (``None`` for leaves).

    Example:
        >>> import minigrad
        >>> t = minigrad.Tensor([1, 2, 3])
        >>> t.dtype, t.shape
        (dtype('int64'), (3,))
    """

    __array_priority__ = 1000  # make ndarray <op> Tensor defer to Tensor

    def __init__(self, data: Any, dtype: DTypeLike | None = None, requires_grad: bool = False):
        self.data: np.ndarray = _infer_array(data, dtype)
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
        t.data = data
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
    def _version(self) -> int:
        """How many times the data was modified in place (shared with views and detach())."""
        return self._version_cell[0]

    @_version.setter
    def _version(self, value: int) -> None:
        self._version_cell[0] = value

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape, a tuple of ints."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        """The NumPy dtype of the elements."""
        return self.data.dtype

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
        return self.shape if dim is None else self.shape[dim]

    def dim(self) -> int:
        """The number of dimensions (PyTorch's ``dim()``)."""
        return self.data.ndim

    def numel(self) -> int:
        """The number of elements."""
        return int(self.data.size)

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
        return self.data

    def item(self) -> Any:
        """Return the value of a one-element tensor as a Python number.

        Example:
            >>> import minigrad
            >>> minigrad.tensor([2.5]).item()
            2.5
        """
        if self.data.size != 1:
            raise ValueError(
                f"item(): only one-element tensors can be converted, this one has shape "
                f"{self.shape}"
            )
        return self.data.item()

    def tolist(self) -> Any:
        """Return the data as (nested) Python lists."""
        return self.data.tolist()

    def detach(self) -> Tensor:
        """Return a tensor sharing this one's data, outside the graph.

        Example:
            >>> import minigrad
            >>> x = minigrad.ones(2, requires_grad=True)
            >>> (x * 2).detach().requires_grad
            False
        """
        t = Tensor._make(self.data)
        t._version_cell = self._version_cell  # in-place writes to either are seen by both
        return t

    def clone(self) -> Tensor:
        """Return a copy of the tensor (differentiable)."""
        return minigrad.ops.elementwise.Clone.apply(self)

    def to(self, dtype: DTypeLike) -> Tensor:
        """Return the tensor cast to ``dtype`` (differentiable between float dtypes).

        Example:
            >>> import minigrad
            >>> minigrad.tensor([1.0]).to(minigrad.float64).dtype
            dtype('float64')
        """
        dtype = np.dtype(dtype)
        if dtype == self.dtype:
            return self
        return minigrad.ops.elementwise.Cast.apply(self, dtype=dtype)

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

    def __float__(self) -> builtins.float:
        return float(self.item())

    def __int__(self) -> builtins.int:
        return int(self.item())

    def __bool__(self) -> builtins.bool:
        if self.data.size != 1:
            raise RuntimeError(
                f"the truth value of a tensor with {self.data.size} elements is ambiguous"
            )
        return bool(self.data)

    def __index__(self) -> builtins.int:
        if self.data.size != 1 or self.dtype.kind not in "iu":
            raise TypeError("only integer tensors of a single element can be used as an index")
        return int(self.data)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

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
            self._write(name, op(self, *args, **kwargs).data)
            return self
        self._check_inplace_allowed(name)
        base = self._base
        base_before = base._snapshot() if base is not None and self._view_fn else None
        result = op(self._snapshot(), *args, **kwargs)
        self._write(name, result.data)
        if base is not None and base_before is not None:
            from minigrad.ops.shape import _scatter_view

            new_base = _scatter_view(base_before, result, self._view_fn)
            base._adopt(new_base)
            self._adopt(self._view_fn(base))
        else:
            self._adopt(result)
        return self

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
        t = Tensor._make(self.data.copy())
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
        if not self.data.flags.writeable:
            raise RuntimeError(
                f"{name}: unsupported operation: more than one element of the written-to tensor "
                f"refers to a single memory location (an expanded view?). Please clone() the "
                f"tensor before performing the operation."
            )

    def _write(self, name: str, values: np.ndarray) -> None:
        self._check_writeable(name)
        if values.shape != self.data.shape:
            raise RuntimeError(
                f"{name}: output with shape {list(self.data.shape)} doesn't match the broadcast "
                f"shape {list(values.shape)}"
            )
        if not can_cast(values.dtype, self.data.dtype):
            raise RuntimeError(
                f"{name}: result type {_type_name(values.dtype)} can't be cast to the desired "
                f"output type {_type_name(self.data.dtype)}"
            )
        np.copyto(self.data, values, casting="unsafe")
        self._version += 1

    def _fill_from(self, name: str, src: Any) -> Tensor:
        """Overwrite with ``src`` broadcast to this shape and cast to this dtype (``copy_``)."""
        if not is_grad_enabled() or not (self.requires_grad or _requires_grad((src,), {})):
            value = np.asarray(src.data if isinstance(src, Tensor) else src)
            self._check_writeable(name)
            try:
                np.copyto(self.data, np.broadcast_to(value, self.shape), casting="unsafe")
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
            v = value.data if isinstance(value, Tensor) else value
            self._check_writeable("__setitem__")
            minigrad.ops.shape.assign(self.data, index, v)
            self._version += 1
            return
        self._inplace_op("__setitem__", minigrad.ops.shape._index_put, index, value)

    # ------------------------------------------------------------------ repr
    def __repr__(self) -> str:
        extras = []
        if self.data.size == 0:
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
        return "tensor(" + format_values(self.data) + "".join(", " + e for e in extras) + ")"

    def __format__(self, spec: str) -> str:
        if (self.data.size == 1 and self.ndim == 0) or (spec and self.data.size == 1):
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
            (2, 2)
        """
        return minigrad.ops.expand(self, *other.shape)

    def square(self) -> Tensor:
        """``self * self``."""
        return minigrad.ops.mul(self, self)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """Replace elements where ``mask`` is true by ``value``."""
        return minigrad.ops.where(mask, value, self)

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

    def __ilshift__(self, other: Any) -> Tensor:
        return self.bitwise_left_shift_(other)

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

    def __rlshift__(self, other: Any) -> Tensor:
        return minigrad.ops.bitwise_left_shift(other, self)

    def __rmatmul__(self, other: Any) -> Tensor:
        return minigrad.ops.matmul(other, self)

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

    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``input + alpha * other`` with broadcasting: see :func:`minigrad.ops.add`."""
        return minigrad.ops.add(self, other, alpha=alpha)

    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """In-place :meth:`add`: the result is written into this tensor."""
        return self._inplace_op("add_", minigrad.ops.add, other, alpha=alpha)

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

    def broadcast_to(self, shape: Any) -> Tensor:
        """
        Broadcast to ``shape`` (NumPy/PyTorch broadcasting rules): see
        :func:`minigrad.ops.broadcast_to`.
        """
        return minigrad.ops.broadcast_to(self, shape)

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

    def clip(self, min: Any = None, max: Any = None) -> Tensor:
        """
        Clamp into ``[min, max]``; the gradient flows where ``min <= x <= max``: see
        :func:`minigrad.ops.clamp`.
        """
        return minigrad.ops.clamp(self, min, max)

    def clip_(self, min: Any = None, max: Any = None) -> Tensor:
        """In-place :meth:`clip`: the result is written into this tensor."""
        return self._inplace_op("clip_", minigrad.ops.clamp, min, max)

    def cos(self) -> Tensor:
        """Cosine (radians): see :func:`minigrad.ops.cos`."""
        return minigrad.ops.cos(self)

    def cos_(self) -> Tensor:
        """In-place :meth:`cos`: the result is written into this tensor."""
        return self._inplace_op("cos_", minigrad.ops.cos)

    def div(self, other: Any) -> Tensor:
        """
        ``input / other`` (true division: integers give the default float dtype): see
        :func:`minigrad.ops.div`.
        """
        return minigrad.ops.div(self, other)

    def div_(self, other: Any) -> Tensor:
        """In-place :meth:`div`: the result is written into this tensor."""
        return self._inplace_op("div_", minigrad.ops.div, other)

    def eq(self, other: Any) -> Tensor:
        """Elementwise ``==`` as a bool tensor (no gradient): see :func:`minigrad.ops.eq`."""
        return minigrad.ops.eq(self, other)

    def exp(self) -> Tensor:
        """Elementwise exponential: see :func:`minigrad.ops.exp`."""
        return minigrad.ops.exp(self)

    def exp_(self) -> Tensor:
        """In-place :meth:`exp`: the result is written into this tensor."""
        return self._inplace_op("exp_", minigrad.ops.exp)

    def expand(self, *sizes: Any) -> Tensor:
        """
        Broadcast to a larger shape; ``-1`` keeps a dimension's size: see
        :func:`minigrad.ops.expand`.
        """
        return minigrad.ops.expand(self, *sizes)

    def flatten(self, start_dim: Any = 0, end_dim: Any = -1) -> Tensor:
        """
        Merge dimensions ``start_dim`` through ``end_dim`` into one: see
        :func:`minigrad.ops.flatten`.
        """
        return minigrad.ops.flatten(self, start_dim, end_dim)

    def ge(self, other: Any) -> Tensor:
        """Elementwise ``>=`` as a bool tensor (no gradient): see :func:`minigrad.ops.ge`."""
        return minigrad.ops.ge(self, other)

    def gt(self, other: Any) -> Tensor:
        """Elementwise ``>`` as a bool tensor (no gradient): see :func:`minigrad.ops.gt`."""
        return minigrad.ops.gt(self, other)

    def le(self, other: Any) -> Tensor:
        """Elementwise ``<=`` as a bool tensor (no gradient): see :func:`minigrad.ops.le`."""
        return minigrad.ops.le(self, other)

    def log(self) -> Tensor:
        """
        Natural logarithm (``-inf`` at 0, ``nan`` below, as PyTorch): see
        :func:`minigrad.ops.log`.
        """
        return minigrad.ops.log(self)

    def log_(self) -> Tensor:
        """In-place :meth:`log`: the result is written into this tensor."""
        return self._inplace_op("log_", minigrad.ops.log)

    def log_softmax(self, dim: Any) -> Tensor:
        """
        Log-softmax along ``dim``, stable for logits of any size: see
        :func:`minigrad.ops.log_softmax`.
        """
        return minigrad.ops.log_softmax(self, dim)

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

    def mul(self, other: Any) -> Tensor:
        """``input * other`` with broadcasting: see :func:`minigrad.ops.mul`."""
        return minigrad.ops.mul(self, other)

    def mul_(self, other: Any) -> Tensor:
        """In-place :meth:`mul`: the result is written into this tensor."""
        return self._inplace_op("mul_", minigrad.ops.mul, other)

    def ne(self, other: Any) -> Tensor:
        """Elementwise ``!=`` as a bool tensor (no gradient): see :func:`minigrad.ops.ne`."""
        return minigrad.ops.ne(self, other)

    def neg(self) -> Tensor:
        """``-input``: see :func:`minigrad.ops.neg`."""
        return minigrad.ops.neg(self)

    def neg_(self) -> Tensor:
        """In-place :meth:`neg`: the result is written into this tensor."""
        return self._inplace_op("neg_", minigrad.ops.neg)

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

    def prod(self, dim: Any = None, keepdim: Any = False) -> Tensor:
        """
        Product over ``dim``; the gradient is exact even where elements are 0: see
        :func:`minigrad.ops.prod`.
        """
        return minigrad.ops.prod(self, dim, keepdim)

    def relu(self) -> Tensor:
        """``max(x, 0)``; the gradient at 0 is 0: see :func:`minigrad.ops.relu`."""
        return minigrad.ops.relu(self)

    def relu_(self) -> Tensor:
        """In-place :meth:`relu`: the result is written into this tensor."""
        return self._inplace_op("relu_", minigrad.ops.relu)

    def reshape(self, *shape: Any) -> Tensor:
        """
        The same elements in a new shape; one dimension may be -1: see
        :func:`minigrad.ops.reshape`.
        """
        return minigrad.ops.reshape(self, *shape)

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

    def softmax(self, dim: Any) -> Tensor:
        """
        Softmax along ``dim``, stable for logits of any size: see :func:`minigrad.ops.softmax`.
        """
        return minigrad.ops.softmax(self, dim)

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

    def squeeze(self, dim: Any = None) -> Tensor:
        """
        Remove dimensions of size 1 (all, or those in ``dim`` that are 1): see
        :func:`minigrad.ops.squeeze`.
        """
        return minigrad.ops.squeeze(self, dim)

    def std(self, dim: Any = None, *, correction: Any = 1, keepdim: Any = False) -> Tensor:
        """Standard deviation: ``sqrt(var(...))``: see :func:`minigrad.ops.std`."""
        return minigrad.ops.std(self, dim, correction=correction, keepdim=keepdim)

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

    def t(self) -> Tensor:
        """
        Transpose a matrix (a tensor of at most 2 dimensions; 0-d and 1-d stay as they are): see
        :func:`minigrad.ops.t`.
        """
        return minigrad.ops.t(self)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent: see :func:`minigrad.ops.tanh`."""
        return minigrad.ops.tanh(self)

    def tanh_(self) -> Tensor:
        """In-place :meth:`tanh`: the result is written into this tensor."""
        return self._inplace_op("tanh_", minigrad.ops.tanh)

    def transpose(self, dim0: Any, dim1: Any) -> Tensor:
        """Swap two dimensions: see :func:`minigrad.ops.transpose`."""
        return minigrad.ops.transpose(self, dim0, dim1)

    def unsqueeze(self, dim: Any) -> Tensor:
        """
        Insert a dimension of size 1 at ``dim`` (``-1`` appends): see
        :func:`minigrad.ops.unsqueeze`.
        """
        return minigrad.ops.unsqueeze(self, dim)

    def var(self, dim: Any = None, *, correction: Any = 1, keepdim: Any = False) -> Tensor:
        """
        Variance over ``dim`` with ``correction`` (1: Bessel's, PyTorch's default): see
        :func:`minigrad.ops.var`.
        """
        return minigrad.ops.var(self, dim, correction=correction, keepdim=keepdim)

    def view(self, *shape: Any) -> Tensor:
        """
        The same memory seen in a new shape; raises where a copy would be needed: see
        :func:`minigrad.ops.view`.
        """
        return minigrad.ops.view(self, *shape)

    def where(self, condition: Any, other: Any) -> Tensor:
        """
        Elements of ``input`` where ``condition`` holds, else of ``other``: see
        :func:`minigrad.ops.where`.
        """
        return minigrad.ops.where(condition, self, other)

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
    width = builtins.max((len(fmt(v)) for v in flat.tolist()), default=1)

    def one(v: Any) -> str:
        return fmt(v.item() if hasattr(v, "item") else v).rjust(width)

    if a.ndim == 0:
        return one(a)
    return np.array2string(
        a,
        max_line_width=80,
        separator=", ",
        prefix="tensor(",
        formatter={"all": one},
        threshold=1000,
        edgeitems=3,
    )


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
