"""Graph nodes: the ``ctx`` an op's forward and backward share, which is also ``grad_fn``.

A :class:`Node` is made by ``Function.apply`` for every recorded call. It holds
what backward needs and nothing else: per positional input, the node that
produced it (or the leaf's :class:`AccumulateGrad`), its shape and dtype; the
values saved with :meth:`Node.save_for_backward`, each with the version it had
when saved; and the op's keyword attributes.

Reading the graph (``viz`` does) goes through the read-only properties
``name()``, ``next_functions``, ``input_nodes``, ``input_leaves``, ``input_meta``,
``output_meta``, ``attrs`` and ``saved_values``; they never check versions and
never change anything.

Example:
    >>> import minigrad
    >>> x = minigrad.ones(2, 3, requires_grad=True)
    >>> node = x.sum(dim=1).grad_fn
    >>> node.name(), node.attrs, node.needs_input_grad
    ('SumBackward0', {'dim': (1,), 'keepdim': False}, (True,))
    >>> node.next_functions
    ((<AccumulateGrad>, 0),)
    >>> node.next_functions[0][0].variable is x
    True
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from minigrad.tensor import Tensor

if TYPE_CHECKING:
    from minigrad.autograd.function import FunctionBase

Meta = tuple[tuple[int, ...], np.dtype]

__all__ = ["AccumulateGrad", "Context", "Node"]

# What a saved value is to the op that saved it: backward through an intermediate
# (neither an input nor an output) cannot be differentiated again correctly.
SAVED_INPUT, SAVED_OUTPUT, SAVED_INTERMEDIATE = 0, 1, 2


class AccumulateGrad:
    """The node that stands for a leaf tensor in ``next_functions`` (as PyTorch's).

    Attributes:
        variable: the leaf tensor whose ``.grad`` receives the gradient.

    Example:
        >>> import minigrad
        >>> w = minigrad.ones(2, requires_grad=True)
        >>> acc, _ = (w * 2).grad_fn.next_functions[0]
        >>> acc, acc.name(), acc.variable is w
        (<AccumulateGrad>, 'AccumulateGrad', True)
    """

    __slots__ = ("__weakref__", "_hooks", "variable")

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable
        self._hooks: dict[int, Callable[[Tensor], Tensor | None]] = {}

    def register_tensor_hook(self, index: int, hook: Callable[[Tensor], Any]) -> HookHandle:
        """Call ``hook(grad)`` on the leaf's gradient before it reaches ``.grad``."""
        return HookHandle(self._hooks, hook)

    def apply_hooks(self, index: int, grad: Tensor) -> Tensor:
        """The gradient after the leaf's hooks (each may return a replacement)."""
        return _run_hooks(self._hooks, grad)

    def name(self) -> str:
        """``"AccumulateGrad"``, as PyTorch names it."""
        return "AccumulateGrad"

    @property
    def next_functions(self) -> tuple[()]:
        """A leaf has no inputs."""
        return ()

    def __repr__(self) -> str:
        return "<AccumulateGrad>"


class HookHandle:
    """What ``Tensor.register_hook`` returns: ``remove()`` unregisters the hook.

    Example:
        >>> import minigrad
        >>> x = minigrad.ones(2, requires_grad=True)
        >>> h = x.register_hook(lambda g: g * 0)
        >>> h.remove()
        >>> (x * 3).sum().backward()
        >>> x.grad
        tensor([3., 3.])
    """

    _next_id = 0

    def __init__(self, hooks: dict[int, Any], hook: Any) -> None:
        HookHandle._next_id += 1
        self.id = HookHandle._next_id
        self._hooks = hooks
        hooks[self.id] = hook

    def remove(self) -> None:
        """Unregister the hook (a second call does nothing)."""
        self._hooks.pop(self.id, None)


def _run_hooks(hooks: dict[int, Any], grad: Tensor) -> Tensor:
    from minigrad.tensor import Tensor

    for hook in list(hooks.values()):
        out = hook(grad)
        if out is not None:
            if not isinstance(out, Tensor):
                raise TypeError(
                    f"a tensor hook must return a Tensor or None, got {type(out).__name__}"
                )
            if out.shape != grad.shape:
                raise RuntimeError(
                    f"hook returned a gradient of shape {list(out.shape)} for a gradient of "
                    f"shape {list(grad.shape)}"
                )
            grad = out
    return grad


def grad_accumulator(t: Tensor) -> AccumulateGrad:
    """The (one, cached) :class:`AccumulateGrad` node of a leaf tensor."""
    acc = t._accumulator
    if acc is None:
        acc = t._accumulator = AccumulateGrad(t)
    return acc


class Node:
    """A recorded op call: the ``ctx`` its Function sees, and its outputs' ``grad_fn``.

    In ``forward``, save what backward needs with :meth:`save_for_backward` (other
    plain attributes, such as ints, shapes or flags, may be set on ``ctx``
    directly; arrays and tensors may not, so the engine can free and
    version-check every value backward uses). In ``backward``, read them back
    with :attr:`saved_tensors`; :attr:`create_graph` tells whether the backward
    pass is itself being recorded (``backward(create_graph=True)``), i.e. whether
    the gradient must be computed with differentiable Tensor ops.

    Attributes:
        needs_input_grad: one bool per positional input.
        create_graph: True while a backward that records a graph runs.
        attrs: the keyword arguments the op was called with.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> node = (x.exp() * 3).grad_fn
        >>> node, node.needs_input_grad, node.next_functions[0]
        (<MulBackward0>, (True, False), (<ExpBackward0>, 0))
        >>> [t.shape for t in node.saved_values if t is not None]
        [minigrad.Size([2]), minigrad.Size([])]
    """

    if TYPE_CHECKING:  # ops set their own (plain) attributes on ctx

        def __getattr__(self, name: str) -> Any: ...

    def __init__(self, fn: type[FunctionBase], inputs: Sequence[Any], attrs: dict[str, Any]):
        d = self.__dict__
        d["fn"] = fn
        d["attrs"] = attrs
        needs: list[bool] = []
        nexts: list[tuple[Any, int]] = []
        meta: list[Meta | None] = []
        for a in inputs:
            if isinstance(a, Tensor):
                if a._base is not None and a._seen_rebases != a._base._rebases:
                    a._refresh_view()  # its base was written in place since: see Tensor
                rg = a.requires_grad
                needs.append(rg)
                if a.grad_fn is not None:
                    nexts.append((a.grad_fn, a._output_nr))
                elif rg:
                    nexts.append((grad_accumulator(a), 0))
                else:
                    nexts.append((None, 0))
                meta.append((a._data.shape, a._data.dtype))
            else:
                needs.append(False)
                nexts.append((None, 0))
                meta.append(None)
        d["needs_input_grad"] = tuple(needs)
        d["_next"] = tuple(nexts)
        d["input_meta"] = tuple(meta)
        d["_saved"] = []
        d["_freed"] = False
        d["create_graph"] = False
        d["materialize_grads"] = True
        d["_dirty"] = ()
        d["_non_differentiable"] = ()
        d["_once_differentiable"] = False
        d["_outputs_meta"] = ()
        d["_retained"] = None
        d["_tensor_hooks"] = None

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, (np.ndarray, Tensor)) and not name.startswith("_"):
            raise TypeError(
                f"{self.name()}: ctx.{name} = <{type(value).__name__}>: save arrays and tensors "
                f"with ctx.save_for_backward(...) so the engine can free them after backward "
                f"and check them for in-place changes"
            )
        self.__dict__[name] = value

    # -- forward side ---------------------------------------------------------
    def save_for_backward(self, *values: Any) -> None:
        """Save tensors (or, in array-level ops, arrays) for ``backward``.

        A value that is one of the op's inputs or outputs comes back as that very
        Tensor, so a backward written in Tensor ops stays differentiable through it.
        ``None`` is kept as ``None``.
        """
        if self._freed:
            raise RuntimeError(f"{self.name()}: save_for_backward called after backward freed it")
        self.__dict__["_saved"] = list(values)  # resolved by Function.apply

    def mark_dirty(self, *tensors: Tensor) -> None:
        """Declare inputs that ``forward`` modified in place (PyTorch-style Functions)."""
        self.__dict__["_dirty"] = tuple(tensors)

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """Declare outputs that have no gradient (indices, masks): they won't require grad."""
        self.__dict__["_non_differentiable"] = tuple(tensors)

    def set_materialize_grads(self, value: bool) -> None:
        """With False, backward receives ``None`` (not zeros) for outputs that got no gradient."""
        self.__dict__["materialize_grads"] = bool(value)

    # -- backward side --------------------------------------------------------
    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The saved values as Tensors; raises if freed, or if one was modified in place."""
        if self._freed:
            raise RuntimeError(
                f"Trying to backward through the graph a second time (or to read the saved "
                f"values of {self.name()} after they were freed by backward()). "
                f"Pass retain_graph=True to the first backward() to keep them."
            )
        out: list[Any] = []
        for entry in self._saved:
            if entry is None:
                out.append(None)
                continue
            tensor, version, kind = entry
            if tensor._version != version:
                raise RuntimeError(
                    f"one of the tensors needed for gradient computation (saved by "
                    f"{self.name()}, shape {tensor.shape}) has been modified by an in-place "
                    f"operation: it is at version {tensor._version}, expected version {version}"
                )
            if kind == SAVED_INTERMEDIATE and self.create_graph:
                self._check_intermediate(tensor)
            out.append(tensor)
        return tuple(out)

    def _check_intermediate(self, tensor: Tensor) -> None:
        from minigrad.autograd.function import Function

        if (
            issubclass(self.fn, Function)
            and not self._once_differentiable
            and tensor.dtype.kind == "f"
        ):
            raise RuntimeError(
                f"{self.fn.__name__}.backward was called with create_graph=True and uses a "
                f"tensor of shape {tensor.shape} that forward saved but that is neither an "
                f"input nor an output of forward. Its dependence on the inputs was not "
                f"recorded, so a higher-order gradient through it would be silently wrong. "
                f"Either return it from forward as an extra output (and save that output), "
                f"recompute it in backward from the saved inputs, or decorate backward with "
                f"@minigrad.autograd.function.once_differentiable."
            )

    # -- read-only view (viz, introspection) ------------------------------------
    def name(self) -> str:
        """``"<Function>Backward0"``, as PyTorch names its nodes."""
        return self.fn.__name__ + "Backward0"

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """Per positional input: ``(node, output index)``; leaves give their
        :class:`AccumulateGrad`, inputs that need no gradient ``(None, 0)``."""
        return self._next

    @property
    def input_nodes(self) -> tuple[Node | None, ...]:
        """Per positional input, the node that produced it (``None`` for leaves and constants)."""
        return tuple(n if isinstance(n, Node) else None for n, _ in self._next)

    @property
    def input_leaves(self) -> tuple[Tensor | None, ...]:
        """Per positional input, the leaf tensor that requires grad (else ``None``)."""
        return tuple(n.variable if isinstance(n, AccumulateGrad) else None for n, _ in self._next)

    @property
    def output_meta(self) -> Meta | None:
        """``(shape, dtype)`` of the first output."""
        return self._outputs_meta[0] if self._outputs_meta else None

    @property
    def outputs_meta(self) -> tuple[Meta, ...]:
        """``(shape, dtype)`` of every output."""
        return self._outputs_meta

    @property
    def saved_values(self) -> tuple[Tensor | None, ...] | None:
        """The saved tensors without version checks, or ``None`` once freed (for viz)."""
        if self._freed:
            return None
        return tuple(None if e is None else e[0] for e in self._saved)

    @property
    def is_freed(self) -> bool:
        """True once backward has released the saved values."""
        return self._freed

    def register_retained(self, index: int, tensor: Tensor) -> None:
        """Keep ``.grad`` for output ``index`` (``Tensor.retain_grad``)."""
        if self._retained is None:
            self.__dict__["_retained"] = {}
        self._retained[index] = weakref.ref(tensor)

    def register_tensor_hook(self, index: int, hook: Callable[[Tensor], Any]) -> HookHandle:
        """Call ``hook(grad)`` on output ``index``'s gradient (``Tensor.register_hook``)."""
        if self._tensor_hooks is None:
            self.__dict__["_tensor_hooks"] = {}
        return HookHandle(self._tensor_hooks.setdefault(index, {}), hook)

    def apply_hooks(self, index: int, grad: Tensor) -> Tensor:
        """Output ``index``'s gradient after its hooks (each may return a replacement)."""
        hooks = self._tensor_hooks
        if not hooks or index not in hooks:
            return grad
        return _run_hooks(hooks[index], grad)

    def retained(self, index: int) -> Tensor | None:
        """The output tensor that asked to retain its gradient, if alive."""
        refs: dict[int, Callable[[], Tensor | None]] | None = self._retained
        if not refs or index not in refs:
            return None
        return refs[index]()

    def _release(self) -> None:
        self.__dict__["_saved"] = []
        self.__dict__["_freed"] = True

    def __repr__(self) -> str:
        return f"<{self.name()}>"


Context = Node
