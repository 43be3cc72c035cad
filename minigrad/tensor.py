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
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

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
        return _ops.elementwise.Clone.apply(self)

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
        return _ops.elementwise.Cast.apply(self, dtype=dtype)

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
    def _check_inplace(self, name: str) -> None:
        if self.requires_grad and is_grad_enabled():
            what = (
                "a leaf tensor that requires grad"
                if self.grad_fn is None
                else "a tensor in a graph"
            )
            raise RuntimeError(
                f"{name}: in-place operation on {what}; wrap it in minigrad.no_grad() "
                f"(as optimizers do) or work on a copy"
            )

    def _inplace(self, name: str, value: Any) -> Tensor:
        self._check_inplace(name)
        value = np.asarray(value.data if isinstance(value, Tensor) else value)
        try:
            result = np.broadcast_to(value, self.shape)
        except ValueError:
            raise ValueError(
                f"{name}: a value of shape {value.shape} cannot be written into a tensor of shape "
                f"{self.shape}"
            ) from None
        np.copyto(self.data, result, casting="unsafe")
        self._version += 1
        return self

    def _other(self, other: Any, name: str = "") -> np.ndarray:
        o = other.data if isinstance(other, Tensor) else np.asarray(other)
        if name:  # an operand of in-place arithmetic: it must broadcast to self's shape
            try:
                ok = np.broadcast_shapes(o.shape, self.shape) == self.shape
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(
                    f"{name}: a value of shape {o.shape} cannot be written into a tensor of "
                    f"shape {self.shape}"
                )
        return o

    def zero_(self) -> Tensor:
        """Fill with zeros in place.

        Example:
            >>> import minigrad
            >>> minigrad.ones(2).zero_()
            tensor([0., 0.])
        """
        return self._inplace("zero_", 0)

    def fill_(self, value: Any) -> Tensor:
        """Fill with ``value`` in place."""
        return self._inplace("fill_", value)

    def copy_(self, src: Any) -> Tensor:
        """Copy ``src`` (broadcast to this shape) into this tensor in place."""
        return self._inplace("copy_", src)

    def add_(self, other: Any, alpha: builtins.float = 1.0) -> Tensor:
        """``self += alpha * other`` in place.

        Example:
            >>> import minigrad
            >>> minigrad.ones(2).add_(minigrad.ones(2), alpha=0.5)
            tensor([1.5, 1.5])
        """
        o = self._other(other, "add_")
        return self._inplace("add_", self.data + (o if alpha == 1 else alpha * o))

    def sub_(self, other: Any, alpha: builtins.float = 1.0) -> Tensor:
        """``self -= alpha * other`` in place."""
        o = self._other(other, "sub_")
        return self._inplace("sub_", self.data - (o if alpha == 1 else alpha * o))

    def mul_(self, other: Any) -> Tensor:
        """``self *= other`` in place."""
        return self._inplace("mul_", self.data * self._other(other, "mul_"))

    def div_(self, other: Any) -> Tensor:
        """``self /= other`` in place."""
        return self._inplace("div_", self.data / self._other(other, "div_"))

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:
        """Clamp in place."""
        return self._inplace("clamp_", np.clip(self.data, min, max))

    def addcmul_(self, t1: Any, t2: Any, value: builtins.float = 1.0) -> Tensor:
        """``self += value * t1 * t2`` in place."""
        return self._inplace(
            "addcmul_",
            self.data + value * self._other(t1, "addcmul_") * self._other(t2, "addcmul_"),
        )

    def addcdiv_(self, t1: Any, t2: Any, value: builtins.float = 1.0) -> Tensor:
        """``self += value * t1 / t2`` in place."""
        return self._inplace(
            "addcdiv_",
            self.data + value * self._other(t1, "addcdiv_") / self._other(t2, "addcdiv_"),
        )

    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def __setitem__(self, index: Any, value: Any) -> None:
        self._check_inplace("__setitem__")
        self.data[_ops.shape.normalize_index(index)] = self._other(value)
        self._version += 1

    # ------------------------------------------------------------------ repr
    def __repr__(self) -> str:
        body = np.array2string(
            self.data, separator=", ", prefix="tensor(", precision=4, threshold=200, edgeitems=3
        )
        extras = []
        if self.dtype not in (_default_dtype, np.dtype(np.int64), np.dtype(np.bool_)):
            extras.append(f"dtype=minigrad.{self.dtype.name}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{self.grad_fn.name()}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + body + "".join(", " + e for e in extras) + ")"

    def __hash__(self) -> builtins.int:
        return id(self)

    # ------------------------------------------------------------------ operators
    def __add__(self, other: Any) -> Tensor:
        return _ops.add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _ops.add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _ops.sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _ops.sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _ops.mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _ops.mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _ops.div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _ops.div(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return _ops.pow(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return _ops.pow(other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return _ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return _ops.matmul(other, self)

    def __neg__(self) -> Tensor:
        return _ops.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return _ops.abs(self)

    def __getitem__(self, index: Any) -> Tensor:
        return _ops.getitem(self, index)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.eq(self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _ops.ne(self, other)

    def __lt__(self, other: Any) -> Tensor:
        return _ops.lt(self, other)

    def __le__(self, other: Any) -> Tensor:
        return _ops.le(self, other)

    def __gt__(self, other: Any) -> Tensor:
        return _ops.gt(self, other)

    def __ge__(self, other: Any) -> Tensor:
        return _ops.ge(self, other)

    def __invert__(self) -> Tensor:
        return _ops.logical_not(self)

    def __and__(self, other: Any) -> Tensor:
        return _ops.logical_and(self, other)

    def __or__(self, other: Any) -> Tensor:
        return _ops.logical_or(self, other)

    # ------------------------------------------------------------------ methods -> ops
    def neg(self) -> Tensor:
        """``-self``."""
        return _ops.neg(self)

    def abs(self) -> Tensor:
        """Absolute value."""
        return _ops.abs(self)

    def exp(self) -> Tensor:
        """Elementwise ``e ** self``."""
        return _ops.exp(self)

    def log(self) -> Tensor:
        """Natural logarithm."""
        return _ops.log(self)

    def sqrt(self) -> Tensor:
        """Square root."""
        return _ops.sqrt(self)

    def sin(self) -> Tensor:
        """Sine."""
        return _ops.sin(self)

    def cos(self) -> Tensor:
        """Cosine."""
        return _ops.cos(self)

    def tanh(self) -> Tensor:
        """Hyperbolic tangent."""
        return _ops.tanh(self)

    def sigmoid(self) -> Tensor:
        """Logistic sigmoid."""
        return _ops.sigmoid(self)

    def relu(self) -> Tensor:
        """``max(self, 0)``."""
        return _ops.relu(self)

    def sign(self) -> Tensor:
        """Sign (-1, 0, 1), without gradient."""
        return _ops.sign(self)

    def square(self) -> Tensor:
        """``self * self``."""
        return _ops.mul(self, self)

    def pow(self, exponent: Any) -> Tensor:
        """``self ** exponent``."""
        return _ops.pow(self, exponent)

    def add(self, other: Any) -> Tensor:
        """``self + other``."""
        return _ops.add(self, other)

    def sub(self, other: Any) -> Tensor:
        """``self - other``."""
        return _ops.sub(self, other)

    def mul(self, other: Any) -> Tensor:
        """``self * other``."""
        return _ops.mul(self, other)

    def div(self, other: Any) -> Tensor:
        """``self / other``."""
        return _ops.div(self, other)

    def matmul(self, other: Any) -> Tensor:
        """``self @ other``."""
        return _ops.matmul(self, other)

    def maximum(self, other: Any) -> Tensor:
        """Elementwise maximum."""
        return _ops.maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        """Elementwise minimum."""
        return _ops.minimum(self, other)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """Clamp into ``[min, max]``."""
        return _ops.clamp(self, min, max)

    clip = clamp

    def sum(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Sum over ``dim`` (all dims by default)."""
        return _ops.sum(self, dim, keepdim)

    def mean(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Mean over ``dim``."""
        return _ops.mean(self, dim, keepdim)

    def prod(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Product over ``dim``."""
        return _ops.prod(self, dim, keepdim)

    def var(
        self, dim: Any = None, *, correction: builtins.int = 1, keepdim: builtins.bool = False
    ) -> Tensor:
        """Variance over ``dim`` (Bessel-corrected by default, as PyTorch)."""
        return _ops.var(self, dim, correction=correction, keepdim=keepdim)

    def std(
        self, dim: Any = None, *, correction: builtins.int = 1, keepdim: builtins.bool = False
    ) -> Tensor:
        """Standard deviation over ``dim``."""
        return _ops.std(self, dim, correction=correction, keepdim=keepdim)

    def max(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """Maximum; with ``dim``, the pair ``(values, indices)``."""
        return _ops.max(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: builtins.bool = False) -> Any:
        """Minimum; with ``dim``, the pair ``(values, indices)``."""
        return _ops.min(self, dim, keepdim)

    def amax(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Maximum over ``dim``."""
        return _ops.amax(self, dim, keepdim)

    def amin(self, dim: Any = None, keepdim: builtins.bool = False) -> Tensor:
        """Minimum over ``dim``."""
        return _ops.amin(self, dim, keepdim)

    def argmax(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Tensor:
        """Index of the maximum."""
        return _ops.argmax(self, dim, keepdim)

    def argmin(self, dim: builtins.int | None = None, keepdim: builtins.bool = False) -> Tensor:
        """Index of the minimum."""
        return _ops.argmin(self, dim, keepdim)

    def logsumexp(self, dim: Any, keepdim: builtins.bool = False) -> Tensor:
        """``log(sum(exp(self)))`` over ``dim``, computed stably."""
        return _ops.logsumexp(self, dim, keepdim)

    def softmax(self, dim: builtins.int) -> Tensor:
        """Softmax along ``dim``."""
        return _ops.softmax(self, dim)

    def log_softmax(self, dim: builtins.int) -> Tensor:
        """Log-softmax along ``dim``."""
        return _ops.log_softmax(self, dim)

    def reshape(self, *shape: Any) -> Tensor:
        """Same data in a new shape (one dim may be -1)."""
        return _ops.reshape(self, *shape)

    def view(self, *shape: Any) -> Tensor:
        """Alias of :meth:`reshape`."""
        return _ops.reshape(self, *shape)

    def permute(self, *dims: Any) -> Tensor:
        """Reorder the dimensions."""
        return _ops.permute(self, *dims)

    def transpose(self, dim0: builtins.int, dim1: builtins.int) -> Tensor:
        """Swap two dimensions."""
        return _ops.transpose(self, dim0, dim1)

    def flatten(self, start_dim: builtins.int = 0, end_dim: builtins.int = -1) -> Tensor:
        """Merge dimensions ``start_dim..end_dim`` into one."""
        return _ops.flatten(self, start_dim, end_dim)

    def squeeze(self, dim: Any = None) -> Tensor:
        """Remove dimensions of size 1."""
        return _ops.squeeze(self, dim)

    def unsqueeze(self, dim: builtins.int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        return _ops.unsqueeze(self, dim)

    def expand(self, *sizes: Any) -> Tensor:
        """Broadcast to a larger shape (-1 keeps a size)."""
        return _ops.expand(self, *sizes)

    def broadcast_to(self, shape: Sequence[builtins.int]) -> Tensor:
        """Broadcast to ``shape``."""
        return _ops.broadcast_to(self, shape)

    def expand_as(self, other: Tensor) -> Tensor:
        """Broadcast to ``other``'s shape."""
        return _ops.broadcast_to(self, other.shape)

    def split(self, split_size_or_sections: Any, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Split into pieces of a size, or of the listed sizes."""
        return _ops.split(self, split_size_or_sections, dim)

    def chunk(self, chunks: builtins.int, dim: builtins.int = 0) -> tuple[Tensor, ...]:
        """Split into ``chunks`` nearly equal pieces."""
        return _ops.chunk(self, chunks, dim)

    def masked_fill(self, mask: Any, value: builtins.float) -> Tensor:
        """Replace elements where ``mask`` is true by ``value``."""
        return _ops.where(mask, value, self)

    def eq(self, other: Any) -> Tensor:
        """Elementwise ``self == other`` as a bool tensor (no gradient).

        Example:
            >>> import minigrad
            >>> minigrad.tensor([1, 2]).eq(2)
            tensor([False,  True])
        """
        return _ops.eq(self, other)

    def ne(self, other: Any) -> Tensor:
        """Elementwise ``self != other`` as a bool tensor."""
        return _ops.ne(self, other)

    def lt(self, other: Any) -> Tensor:
        """Elementwise ``self < other`` as a bool tensor."""
        return _ops.lt(self, other)

    def le(self, other: Any) -> Tensor:
        """Elementwise ``self <= other`` as a bool tensor."""
        return _ops.le(self, other)

    def gt(self, other: Any) -> Tensor:
        """Elementwise ``self > other`` as a bool tensor."""
        return _ops.gt(self, other)

    def ge(self, other: Any) -> Tensor:
        """Elementwise ``self >= other`` as a bool tensor."""
        return _ops.ge(self, other)


def _register_ops() -> None:
    global _ops
    import minigrad.ops as ops_module

    _ops = ops_module


_ops: Any = None
