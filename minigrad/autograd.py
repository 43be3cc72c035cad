"""The autograd engine: ``Function``, graph recording, the backward pass, grad modes.

A :class:`Function` subclass defines one differentiable op. ``forward(ctx, *arrays,
**attrs)`` works on NumPy arrays; ``backward(ctx, grad)`` receives the output's
gradient as a :class:`~minigrad.Tensor` and returns one gradient per positional
input (``None`` for inputs that need none). Writing ``backward`` with Tensor
operations makes it differentiable itself, so ``create_graph=True`` gives
higher-order derivatives. Built-in ops and user ops use exactly this class.

Example: a user-defined op ``cube(x) = x ** 3``

    >>> import minigrad
    >>> from minigrad.autograd import Function
    >>> class Cube(Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)     # saved arrays come back as Tensors
    ...         return x ** 3
    ...     @staticmethod
    ...     def backward(ctx, grad):
    ...         (x,) = ctx.saved_tensors
    ...         return grad * 3 * x * x      # Tensor ops: differentiable again
    >>> x = minigrad.tensor(2.0, requires_grad=True)
    >>> y = Cube.apply(x)
    >>> y.backward()
    >>> x.grad
    tensor(12.)

The engine sorts the graph iteratively (no recursion limit), reduces every
gradient to its input's shape in one place (so ops may return broadcast
gradients), frees saved values after ``backward()`` unless ``retain_graph=True``,
and checks version counters so that a saved tensor modified in place raises
an error instead of producing a wrong gradient.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np

if TYPE_CHECKING:
    from minigrad.tensor import Tensor

F = TypeVar("F", bound=Callable[..., Any])

# --------------------------------------------------------------------------- grad modes


class _GradMode(threading.local):
    enabled: bool = True


_grad_mode = _GradMode()


def is_grad_enabled() -> bool:
    """Return whether operations are currently recorded for autograd.

    Example:
        >>> import minigrad
        >>> with minigrad.no_grad():
        ...     minigrad.is_grad_enabled()
        False
    """
    return _grad_mode.enabled


class _GradModeContext:
    """Base of the grad-mode context managers; each also works as a decorator."""

    _mode: bool = True

    def __new__(cls, *args: Any) -> Any:
        # ``@no_grad`` (without parentheses) decorates at once, as in PyTorch.
        if cls is not set_grad_enabled and len(args) == 1 and callable(args[0]):
            return object.__new__(cls)(args[0])
        return object.__new__(cls)

    def __enter__(self) -> None:
        self._prev = _grad_mode.enabled
        _grad_mode.enabled = self._mode

    def __exit__(self, *exc: object) -> None:
        _grad_mode.enabled = self._prev

    def __call__(self, fn: F) -> F:
        mode = self._mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prev = _grad_mode.enabled
            _grad_mode.enabled = mode
            try:
                return fn(*args, **kwargs)
            finally:
                _grad_mode.enabled = prev

        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeContext):
    """Context manager and decorator that disables graph recording.

    Example:
        >>> import minigrad
        >>> x = minigrad.ones(2, requires_grad=True)
        >>> with minigrad.no_grad():
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    _mode = False


class enable_grad(_GradModeContext):
    """Context manager and decorator that enables graph recording (inside ``no_grad``).

    Example:
        >>> import minigrad
        >>> x = minigrad.ones(2, requires_grad=True)
        >>> with minigrad.no_grad(), minigrad.enable_grad():
        ...     (x * 2).requires_grad
        True
    """

    _mode = True


class set_grad_enabled(_GradModeContext):
    """Set grad mode on or off: as a function call, a context manager or a decorator.

    Like PyTorch's, calling it sets the mode at once; leaving a ``with`` block
    restores the previous mode.

    Example:
        >>> import minigrad
        >>> with minigrad.set_grad_enabled(False):
        ...     minigrad.is_grad_enabled()
        False
        >>> minigrad.is_grad_enabled()
        True
    """

    def __init__(self, mode: bool) -> None:
        self._mode = bool(mode)
        self._prev = _grad_mode.enabled
        _grad_mode.enabled = self._mode

    def __enter__(self) -> None:
        pass

    def __call__(self, fn: F) -> F:
        _grad_mode.enabled = self._prev  # used as a decorator: undo the eager switch
        return super().__call__(fn)


# --------------------------------------------------------------------------- graph nodes


class Context:
    """A node of the graph: the ``ctx`` a Function sees, and the output's ``grad_fn``.

    Attributes:
        fn: the :class:`Function` subclass that produced the output.
        name: ``"<Function>Backward"``, as PyTorch names its nodes.
        attrs: the keyword arguments the op was called with (shown by ``viz``).
        needs_input_grad: one bool per positional input.
        next_functions: per positional input, its ``grad_fn`` (or ``None`` for leaves
            and non-tensors).

    Any other attribute may be set on ``ctx`` in ``forward`` and read in ``backward``.

    Example:
        >>> import minigrad
        >>> x = minigrad.ones(2, 3, requires_grad=True)
        >>> node = x.sum(dim=1).grad_fn
        >>> node.name, node.attrs, node.needs_input_grad
        ('SumBackward', {'dim': (1,), 'keepdim': False}, (True,))
        >>> node.input_meta[0][0], node.next_functions
        ((2, 3), (None,))
    """

    if TYPE_CHECKING:  # ops set their own attributes on ctx; let type checkers allow them

        def __getattr__(self, name: str) -> Any: ...

        def __setattr__(self, name: str, value: Any) -> None: ...

    def __init__(self, fn: type[Function], inputs: Sequence[Any], attrs: dict[str, Any]):
        self.fn = fn
        self.name = fn.__name__ + "Backward"
        self.attrs = attrs
        # Per input: the producing node for non-leaves, the tensor itself for leaves.
        # Intermediate tensors are not referenced, so their memory can be freed.
        tensor_cls = _tensor_cls()
        needs, nodes, leaves = [], [], []
        meta: list[tuple[tuple[int, ...], np.dtype] | None] = []
        for a in inputs:
            if isinstance(a, tensor_cls):
                needs.append(a.requires_grad)
                nodes.append(a.grad_fn)
                leaves.append(a if a.grad_fn is None and a.requires_grad else None)
                meta.append((a.data.shape, a.data.dtype))
            else:
                needs.append(False)
                nodes.append(None)
                leaves.append(None)
                meta.append(None)
        self.needs_input_grad: tuple[bool, ...] = tuple(needs)
        self._input_nodes: tuple[Context | None, ...] = tuple(nodes)
        self._input_leaves: tuple[Tensor | None, ...] = tuple(leaves)
        self.input_meta: tuple[tuple[tuple[int, ...], np.dtype] | None, ...] = tuple(meta)
        self._inputs_for_saving = inputs
        self._saved: list[tuple[Any, int]] | None = []
        self._freed = False
        self._output_ref: Callable[[], Tensor | None] | None = None
        self._retained_ref: Callable[[], Tensor | None] | None = None
        self.output_meta: tuple[tuple[int, ...], np.dtype] | None = None

    # -- saving -------------------------------------------------------------
    def save_for_backward(self, *values: Any) -> None:
        """Save arrays (or Tensors) for ``backward``; they come back as Tensors.

        An array that is one of the op's inputs (or its output) comes back as that
        very Tensor, so a backward written in Tensor ops is differentiable through it.
        """
        if self._saved is None:
            raise RuntimeError(f"{self.name}: save_for_backward called after the graph was freed")
        self._saved = list(values)  # resolved to (tensor, version) pairs by Function.apply

    @property
    def saved_tensors(self) -> tuple[Tensor, ...]:
        """The saved values, as Tensors; raises if freed or modified in place since."""
        if self._freed or self._saved is None:
            raise RuntimeError(
                f"Trying to backward through the graph a second time (or to read the saved "
                f"values of {self.name} after they were freed by backward()). "
                f"Pass retain_graph=True to the first backward() to keep them."
            )
        out = []
        for tensor, version in self._saved:
            if tensor._version != version:
                raise RuntimeError(
                    f"one of the tensors needed for gradient computation (saved by {self.name}, "
                    f"shape {tensor.shape}) has been modified by an in-place operation: it is at "
                    f"version {tensor._version}, expected version {version}"
                )
            out.append(tensor)
        return tuple(out)

    @property
    def next_functions(self) -> tuple[Context | None, ...]:
        return self._input_nodes

    def _release(self) -> None:
        self._saved = None
        self._freed = True

    def __repr__(self) -> str:
        return f"<{self.name}>"


def _is_tensor(x: Any) -> bool:
    return isinstance(x, _tensor_cls())


@functools.cache
def _tensor_cls() -> type[Tensor]:
    from minigrad.tensor import Tensor

    return Tensor


class Function:
    """Base class of every differentiable op (see the module docstring for an example).

    Subclasses implement two static methods:

    * ``forward(ctx, *args, **attrs) -> ndarray``: Tensor arguments arrive as their
      NumPy arrays; other arguments arrive unchanged.
    * ``backward(ctx, grad) -> gradient or tuple of gradients``: one per positional
      argument, each a Tensor, an array or ``None``. Gradients may have a
      broadcast shape: the engine sums them down to each input's shape.

    Call an op with ``MyFunction.apply(*args, **attrs)``.

    Example: ``scale(x, factor=c)``, with a keyword attribute and a constant argument
        >>> import minigrad
        >>> from minigrad.autograd import Function
        >>> class Scale(Function):
        ...     @staticmethod
        ...     def forward(ctx, x, factor):
        ...         ctx.factor = factor
        ...         return x * factor
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         return grad * ctx.factor, None   # no gradient for the constant
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> Scale.apply(x, 3.0).sum().backward()
        >>> x.grad
        tensor([3., 3.])
    """

    @staticmethod
    def forward(ctx: Context, *args: Any, **attrs: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Context, grad: Tensor) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **attrs: Any) -> Tensor:
        tensor_cls = _tensor_cls()
        ctx = Context(cls, args, attrs)
        arrays = [a.data if isinstance(a, tensor_cls) else a for a in args]
        raw = cls.forward(ctx, *arrays, **attrs)
        # NumPy returns scalars for 0-d results; a tensor always holds an ndarray.
        out_data = raw if isinstance(raw, np.ndarray) else np.asarray(raw)
        record = _grad_mode.enabled and any(ctx.needs_input_grad) and out_data.dtype.kind == "f"
        out = tensor_cls._make(out_data)
        if out_data.base is not None:
            for a in args:
                if isinstance(a, tensor_cls) and np.may_share_memory(a.data, out_data):
                    # A view (reshape, permute...): in-place writes to either bump both.
                    out._version_cell = a._version_cell
                    break
        if record:
            out.requires_grad = True
            out.grad_fn = ctx
            ctx._output_ref = weakref.ref(out)
            ctx.output_meta = (out_data.shape, out_data.dtype)
            ctx._saved = _resolve_saved(ctx._saved or [], args, arrays, (raw, out_data), out)
        else:
            ctx._saved = None
        del ctx._inputs_for_saving
        return out


def _resolve_saved(
    values: list[Any],
    args: Sequence[Any],
    arrays: Sequence[Any],
    out_forms: tuple[Any, Any],
    out: Tensor,
) -> list[tuple[Tensor, int]]:
    """Map saved arrays back to the input/output Tensors they are, with their versions."""
    tensor_cls = _tensor_cls()
    resolved = []
    for v in values:
        if isinstance(v, tensor_cls):
            resolved.append((v, v._version))
            continue
        tensor = None
        for arg, arr in zip(args, arrays):
            if isinstance(arg, tensor_cls) and arr is v:
                tensor = arg
                break
        if tensor is None:
            is_out = v is out_forms[0] or v is out_forms[1]
            tensor = out if is_out else tensor_cls._make(np.asarray(v))
        resolved.append((tensor, tensor._version))
    return resolved


# --------------------------------------------------------------------------- the engine


def _topological_order(roots: Iterable[Context]) -> list[Context]:
    """Nodes reachable from ``roots``, each after every node that consumes it."""
    order: list[Context] = []
    visited: set[int] = set()
    stack: list[tuple[Context, bool]] = [(r, False) for r in roots]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for child in node._input_nodes:
            if child is not None and id(child) not in visited:
                stack.append((child, False))
    order.reverse()  # post-order reversed: consumers before producers
    return order


def _reduce_to_shape(grad: Tensor, shape: tuple[int, ...], node: Context, index: int) -> Tensor:
    """Sum a broadcast gradient down to ``shape`` (the one place broadcasting is undone)."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    ok = lead >= 0 and all(s in (1, g) for s, g in zip(shape, grad.shape[lead:]))
    if not ok:
        raise RuntimeError(
            f"{node.name} returned a gradient of shape {grad.shape} for input {index}, "
            f"which has shape {shape}"
        )
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and grad.shape[lead + i] != 1
    )
    if axes:
        grad = grad.sum(dim=axes, keepdim=True)
    return grad.reshape(shape)


def _as_grad_tuple(node: Context, grads: Any) -> tuple[Any, ...]:
    if not isinstance(grads, tuple):
        grads = (grads,)
    if len(grads) != len(node.needs_input_grad):
        raise RuntimeError(
            f"{node.name}.backward returned {len(grads)} gradients but the op has "
            f"{len(node.needs_input_grad)} positional inputs"
        )
    return grads


def _accumulate(store: dict[Any, Tensor], key: Any, grad: Tensor) -> None:
    prev = store.get(key)
    store[key] = grad if prev is None else prev + grad


def _run_backward(
    roots: Sequence[Tensor],
    root_grads: Sequence[Tensor],
    retain_graph: bool,
    create_graph: bool,
    capture: Sequence[Tensor] | None = None,
) -> dict[int, Tensor]:
    """Back-propagate ``root_grads`` from ``roots``.

    Without ``capture``, gradients accumulate into leaves' ``.grad`` (and retained
    non-leaves'). With ``capture``, nothing is written; the gradients of the
    captured tensors are returned, keyed by ``id``.
    """
    tensor_cls = _tensor_cls()
    node_grads: dict[int, Tensor] = {}
    leaf_grads: dict[int, Tensor] = {}
    leaves: dict[int, Tensor] = {}
    for root, g in zip(roots, root_grads):
        if root.grad_fn is None:
            _accumulate(leaf_grads, id(root), g)
            leaves[id(root)] = root
        else:
            _accumulate(node_grads, id(root.grad_fn), g)

    order = _topological_order(r.grad_fn for r in roots if r.grad_fn is not None)
    captured_nodes = {}
    if capture is not None:
        captured_nodes = {id(t.grad_fn): t for t in capture if t.grad_fn is not None}
        order = _prune_to_captured(order, captured_nodes, {id(t) for t in capture})

    captured: dict[int, Tensor] = {}
    with set_grad_enabled(create_graph):
        for node in order:
            grad = node_grads.pop(id(node), None)
            if grad is None:
                continue
            if capture is None:
                _store_retained_grad(node, grad, create_graph)
            elif id(node) in captured_nodes:
                captured[id(captured_nodes[id(node)])] = grad
            input_grads = _as_grad_tuple(node, node.fn.backward(node, grad))
            if not retain_graph:
                node._release()
            for i, (g, needed) in enumerate(zip(input_grads, node.needs_input_grad)):
                if g is None or not needed:
                    continue
                g = g if isinstance(g, tensor_cls) else tensor_cls._make(np.asarray(g))
                shape, dtype = node.input_meta[i]  # type: ignore[misc]
                g = _reduce_to_shape(g, shape, node, i)
                if g.dtype != dtype:
                    g = g.to(dtype)
                child = node._input_nodes[i]
                if child is not None:
                    _accumulate(node_grads, id(child), g)
                else:
                    leaf = node._input_leaves[i]
                    assert leaf is not None
                    _accumulate(leaf_grads, id(leaf), g)
                    leaves[id(leaf)] = leaf

    if capture is not None:
        for t in capture:
            if t.grad_fn is None and id(t) in leaf_grads:
                captured[id(t)] = leaf_grads[id(t)]
        return captured
    for key, g in leaf_grads.items():
        _accumulate_into_leaf(leaves[key], g, create_graph)
    return {}


def _prune_to_captured(
    order: list[Context], captured_nodes: dict[int, Any], captured_leaves: set[int]
) -> list[Context]:
    """Keep only nodes from which a captured tensor can be reached."""
    needed: set[int] = set()
    for node in reversed(order):  # producers first
        if (
            id(node) in captured_nodes
            or any(c is not None and id(c) in needed for c in node._input_nodes)
            or any(leaf is not None and id(leaf) in captured_leaves for leaf in node._input_leaves)
        ):
            needed.add(id(node))
    return [n for n in order if id(n) in needed]


def _store_retained_grad(node: Context, grad: Tensor, create_graph: bool) -> None:
    ref = node._retained_ref
    tensor = ref() if ref is not None else None
    if tensor is not None:
        _accumulate_into_leaf(tensor, grad, create_graph)


def _accumulate_into_leaf(tensor: Tensor, grad: Tensor, create_graph: bool) -> None:
    tensor_cls = _tensor_cls()
    if create_graph:
        tensor.grad = grad if tensor.grad is None else tensor.grad + grad
    elif tensor.grad is None:
        # A fresh array: gradients never alias each other or the graph's values.
        tensor.grad = tensor_cls._make(np.array(grad.data, dtype=tensor.dtype, copy=True))
    else:
        tensor.grad.data = tensor.grad.data + grad.data


def _make_root_grads(
    outputs: Sequence[Tensor], grad_outputs: Sequence[Any] | None, who: str
) -> list[Tensor]:
    tensor_cls = _tensor_cls()
    grads = []
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(
            f"{who}: got {len(outputs)} outputs but {len(grad_outputs)} gradients for them"
        )
    for out, g in zip(outputs, grad_outputs):
        if not out.requires_grad:
            raise RuntimeError(
                f"{who}: a tensor of shape {out.shape} does not require grad and has no grad_fn "
                f"(was it computed under no_grad, or from tensors without requires_grad=True?)"
            )
        if g is None:
            if out.data.size != 1:
                raise RuntimeError(
                    f"{who}: grad can be implicitly created only for scalar outputs, but the "
                    f"output has shape {out.shape}; pass a gradient of that shape"
                )
            g = tensor_cls._make(np.ones(out.shape, dtype=out.dtype))
        else:
            g = g if isinstance(g, tensor_cls) else tensor_cls._make(np.asarray(g, dtype=out.dtype))
            if g.shape != out.shape:
                raise RuntimeError(
                    f"{who}: gradient has shape {g.shape} but the output has shape {out.shape}"
                )
        grads.append(g)
    return grads


def _tensor_list(tensors: Tensor | Sequence[Tensor]) -> list[Tensor]:
    """``[tensors]`` for one Tensor, ``list(tensors)`` for a sequence of them."""
    if isinstance(tensors, _tensor_cls()):
        return [tensors]
    # ``type[Tensor]`` could be a subclass, so mypy cannot narrow the other branch.
    return list(cast("Sequence[Tensor]", tensors))


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
) -> None:
    """Accumulate gradients of ``tensors`` into the leaves' ``.grad``.

    Equivalent to ``tensor.backward(...)``, for several outputs at once.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> minigrad.autograd.backward([(x * x).sum(), x.sum()])
        >>> x.grad
        tensor([3., 5.])
    """
    outputs = _tensor_list(tensors)
    if grad_tensors is not None and isinstance(grad_tensors, (_tensor_cls(), np.ndarray)):
        grad_tensors = [grad_tensors]
    grads = _make_root_grads(outputs, grad_tensors, "backward")
    retain = create_graph if retain_graph is None else retain_graph
    _run_backward(outputs, grads, retain, create_graph)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return the gradients of ``outputs`` with respect to ``inputs``, leaving ``.grad`` alone.

    Args:
        outputs: a Tensor or a sequence of Tensors.
        inputs: the Tensors to differentiate with respect to (leaves or not).
        grad_outputs: the gradients of the outputs (needed for non-scalar outputs).
        retain_graph: keep the graph for another backward (default: ``create_graph``).
        create_graph: record the gradient computation, for higher-order derivatives.
        allow_unused: return ``None`` for an input the outputs do not depend on,
            instead of raising.

    Example: the second derivative of ``x ** 3`` at 2 is ``6 * 2``
        >>> import minigrad
        >>> x = minigrad.tensor(2.0, requires_grad=True)
        >>> (dx,) = minigrad.grad(x ** 3, x, create_graph=True)
        >>> dx
        tensor(12., grad_fn=<...>)
        >>> minigrad.grad(dx, x)
        (tensor(12.),)
    """
    tensor_cls = _tensor_cls()
    outs = _tensor_list(outputs)
    ins = _tensor_list(inputs)
    for i, t in enumerate(ins):
        if not isinstance(t, tensor_cls) or not t.requires_grad:
            raise RuntimeError(f"grad: input {i} is not a Tensor that requires grad")
    if grad_outputs is not None and isinstance(grad_outputs, (tensor_cls, np.ndarray)):
        grad_outputs = [grad_outputs]
    root_grads = _make_root_grads(outs, grad_outputs, "grad")
    retain = create_graph if retain_graph is None else retain_graph
    captured = _run_backward(outs, root_grads, retain, create_graph, capture=ins)
    result: list[Tensor | None] = []
    for i, t in enumerate(ins):
        g = captured.get(id(t))
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {i} (shape {t.shape}) was not used to compute the outputs; "
                f"pass allow_unused=True to get None for it"
            )
        if g is not None and not create_graph:
            g = tensor_cls._make(np.array(g.data, copy=True))
        result.append(g)
    return tuple(result)
