"""The backward pass: an iterative topological walk that calls each node's backward once.

The engine sorts the graph iteratively (no recursion limit), sums the gradients
each node receives from its consumers, reduces every gradient to its input's
shape in one place (so ops may return broadcast gradients), checks what each
backward returns (count, type, dtype, shape) with errors naming the Function and
the input, frees saved values after ``backward()`` unless ``retain_graph=True``,
and tells each backward whether a graph is being built (``ctx.create_graph``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from minigrad.autograd.grad_mode import set_grad_enabled
from minigrad.autograd.graph import AccumulateGrad, Node
from minigrad.tensor import Tensor

__all__ = ["backward", "grad"]


def _topological_order(roots: Iterable[Node]) -> list[Node]:
    """Nodes reachable from ``roots``, each after every node that consumes it."""
    order: list[Node] = []
    visited: set[int] = set()
    stack: list[tuple[Node, bool]] = [(r, False) for r in roots]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in visited:
            continue
        visited.add(id(node))
        stack.append((node, True))
        for child, _ in node._next:
            if isinstance(child, Node) and id(child) not in visited:
                stack.append((child, False))
    order.reverse()  # post-order reversed: consumers before producers
    return order


def _reduce_to_shape(grad: Tensor, shape: tuple[int, ...], node: Node, index: int) -> Tensor:
    """Sum a broadcast gradient down to ``shape`` (the one place broadcasting is undone)."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    ok = lead >= 0 and all(s in (1, g) for s, g in zip(shape, grad.shape[lead:]))
    if not ok:
        raise RuntimeError(
            f"{node.fn.__name__}.backward returned a gradient of shape {tuple(grad.shape)} for "
            f"input {index}, which has shape {tuple(shape)}"
        )
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and grad.shape[lead + i] != 1
    )
    if axes:
        grad = grad.sum(dim=axes, keepdim=True)
    return grad.reshape(shape)


def _as_grad_tuple(node: Node, grads: Any) -> tuple[Any, ...]:
    if not isinstance(grads, tuple):
        grads = (grads,)
    n = len(node.needs_input_grad)
    if len(grads) != n and not (len(grads) > n and all(g is None for g in grads[n:])):
        raise RuntimeError(
            f"{node.fn.__name__}.backward returned {len(grads)} gradients but forward took "
            f"{n} positional inputs (return one per input, None where there is none)"
        )
    return grads[:n]


def _checked_grad(node: Node, i: int, g: Any) -> Tensor:
    """A gradient for input ``i``, as a Tensor of the input's shape and dtype."""
    if not isinstance(g, Tensor):
        if isinstance(g, np.ndarray) and not _is_tensor_level(node):
            g = Tensor._make(g)
        else:
            raise TypeError(
                f"{node.fn.__name__}.backward returned a {type(g).__name__} as the gradient "
                f"of input {i}; expected a Tensor or None"
            )
    shape, dtype = node.input_meta[i]  # type: ignore[misc]
    data = g._data
    if data.dtype.kind != "f":
        raise RuntimeError(
            f"{node.fn.__name__}.backward returned a gradient of dtype {g.dtype} for input "
            f"{i}, which is {dtype}: gradients must be floating"
        )
    if data.shape != shape:
        g = _reduce_to_shape(g, shape, node, i)
    if g._data.dtype != dtype:
        g = g.to(dtype)
    return g


def _is_tensor_level(node: Node) -> bool:
    from minigrad.autograd.function import Function

    return issubclass(node.fn, Function)


def _accumulate(store: dict[Any, Tensor], key: Any, grad: Tensor) -> None:
    prev = store.get(key)
    store[key] = grad if prev is None else prev + grad


def _node_grads(node: Node, received: dict[int, Tensor]) -> list[Tensor | None]:
    """One gradient per output, zeros (or None, per set_materialize_grads) where none came."""
    grads: list[Tensor | None] = []
    for k, (shape, dtype) in enumerate(node._outputs_meta):
        g = received.get(k)
        if g is None and node.materialize_grads:
            g = Tensor._make(np.zeros(shape, dtype=dtype))
        grads.append(g)
    return grads


def run_backward(
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
    node_grads: dict[int, dict[int, Tensor]] = {}
    leaf_grads: dict[int, Tensor] = {}
    leaves: dict[int, Tensor] = {}
    for root, g in zip(roots, root_grads):
        if root.grad_fn is None:
            _accumulate(leaf_grads, id(root), g)
            leaves[id(root)] = root
        else:
            _accumulate(node_grads.setdefault(id(root.grad_fn), {}), root._output_nr, g)

    order = _topological_order(r.grad_fn for r in roots if r.grad_fn is not None)
    captured_outputs: dict[tuple[int, int], Tensor] = {}
    if capture is not None:
        captured_outputs = {
            (id(t.grad_fn), t._output_nr): t for t in capture if t.grad_fn is not None
        }
        order = _prune_to_captured(
            order, {k[0] for k in captured_outputs}, {id(t) for t in capture}
        )

    captured: dict[int, Tensor] = {}
    with set_grad_enabled(create_graph):
        for node in order:
            received = node_grads.pop(id(node), None)
            if received is None:
                continue
            for k in list(received):
                received[k] = g = node.apply_hooks(k, received[k])  # Tensor.register_hook
                if capture is None:
                    kept = node.retained(k)
                    if kept is not None:
                        _accumulate_into_leaf(kept, g, create_graph)
                else:
                    t = captured_outputs.get((id(node), k))
                    if t is not None:
                        captured[id(t)] = g
            node.__dict__["create_graph"] = create_graph
            input_grads = _as_grad_tuple(node, node.fn.backward(node, *_node_grads(node, received)))
            if not retain_graph:
                node._release()
            for i, (g, needed) in enumerate(zip(input_grads, node.needs_input_grad)):
                if g is None or not needed:
                    continue
                g = _checked_grad(node, i, g)
                child, nr = node._next[i]
                if isinstance(child, Node):
                    _accumulate(node_grads.setdefault(id(child), {}), nr, g)
                elif isinstance(child, AccumulateGrad):
                    leaf = child.variable
                    _accumulate(leaf_grads, id(leaf), g)
                    leaves[id(leaf)] = leaf

    for key, g in leaf_grads.items():
        acc = leaves[key]._accumulator
        if acc is not None and acc._hooks:
            leaf_grads[key] = acc.apply_hooks(0, g)
    if capture is not None:
        for t in capture:
            if t.grad_fn is None and id(t) in leaf_grads:
                captured[id(t)] = leaf_grads[id(t)]
        return captured
    for key, g in leaf_grads.items():
        _accumulate_into_leaf(leaves[key], g, create_graph)
    return {}


def _prune_to_captured(
    order: list[Node], captured_nodes: set[int], captured_leaves: set[int]
) -> list[Node]:
    """Keep only nodes from which a captured tensor can be reached."""
    needed: set[int] = set()
    for node in reversed(order):  # producers first
        for child, _ in node._next:
            if (isinstance(child, Node) and id(child) in needed) or (
                isinstance(child, AccumulateGrad) and id(child.variable) in captured_leaves
            ):
                needed.add(id(node))
                break
        else:
            if id(node) in captured_nodes:
                needed.add(id(node))
    return [n for n in order if id(n) in needed]


def _accumulate_into_leaf(tensor: Tensor, grad: Tensor, create_graph: bool) -> None:
    if create_graph:
        tensor.grad = grad if tensor.grad is None else tensor.grad + grad
    elif tensor.grad is None:
        # A fresh array: gradients never alias each other or the graph's values.
        tensor.grad = Tensor._make(np.array(grad._data, dtype=tensor.dtype, copy=True))
    else:
        tensor.grad._data = tensor.grad._data + grad._data


def make_root_grads(
    outputs: Sequence[Tensor], grad_outputs: Sequence[Any] | None, who: str
) -> list[Tensor]:
    """The gradients backward starts from: given ones (checked) or ones for scalars."""
    grads = []
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(
            f"{who}: got {len(outputs)} outputs but {len(grad_outputs)} gradients for them"
        )
    for out, g in zip(outputs, grad_outputs):
        if out._base is not None and out._seen_rebases != out._base._rebases:
            out._refresh_view()
        if not out.requires_grad:
            raise RuntimeError(
                f"element 0 of tensors does not require grad and does not have a grad_fn "
                f"({who}: a tensor of shape {tuple(out.shape)} was computed under no_grad, or "
                f"from tensors without requires_grad=True)"
            )
        if g is None:
            if out._data.size != 1:
                raise RuntimeError(
                    f"grad can be implicitly created only for scalar outputs ({who}: the "
                    f"output has shape {tuple(out.shape)}; pass a gradient of that shape)"
                )
            g = Tensor._make(np.ones(out.shape, dtype=out.dtype))
        else:
            g = g if isinstance(g, Tensor) else Tensor._make(np.asarray(g, dtype=out.dtype))
            if g.shape != out.shape:
                raise RuntimeError(
                    f"{who}: gradient has shape {tuple(g.shape)} but the output has shape "
                    f"{tuple(out.shape)}"
                )
        grads.append(g)
    return grads


def tensor_list(tensors: Tensor | Sequence[Tensor]) -> list[Tensor]:
    """``[tensors]`` for one Tensor, ``list(tensors)`` for a sequence of them."""
    if isinstance(tensors, Tensor):
        return [tensors]
    return list(tensors)


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
) -> None:
    """Accumulate gradients of ``tensors`` into the leaves' ``.grad``.

    Equivalent to ``tensor.backward(...)``, for several outputs at once. With
    ``inputs``, only those tensors' ``.grad`` are accumulated.

    Example:
        >>> import minigrad
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> minigrad.autograd.backward([(x * x).sum(), x.sum()])
        >>> x.grad
        tensor([3., 5.])
    """
    outputs = tensor_list(tensors)
    if grad_tensors is not None and isinstance(grad_tensors, (Tensor, np.ndarray)):
        grad_tensors = [grad_tensors]
    grads = make_root_grads(outputs, grad_tensors, "backward")
    retain = create_graph if retain_graph is None else retain_graph
    if inputs is None:
        run_backward(outputs, grads, retain, create_graph)
        return
    ins = tensor_list(inputs)
    captured = run_backward(outputs, grads, retain, create_graph, capture=ins)
    for t in ins:
        g = captured.get(id(t))
        if g is not None:
            _accumulate_into_leaf(t, g, create_graph)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Any, ...]:
    """Return the gradients of ``outputs`` with respect to ``inputs``, leaving ``.grad`` alone.

    Args:
        outputs: a Tensor or a sequence of Tensors.
        inputs: the Tensors to differentiate with respect to (leaves or not).
        grad_outputs: the gradients of the outputs (needed for non-scalar outputs).
        retain_graph: keep the graph for another backward (default: ``create_graph``).
        create_graph: record the gradient computation, for higher-order derivatives.
        allow_unused: return ``None`` for an input the outputs do not depend on,
            instead of raising.
        materialize_grads: return zeros instead of ``None`` for unused inputs.

    Example: the second derivative of ``x ** 3`` at 2 is ``6 * 2``
        >>> import minigrad
        >>> x = minigrad.tensor(2.0, requires_grad=True)
        >>> (dx,) = minigrad.autograd.grad(x ** 3, x, create_graph=True)
        >>> dx
        tensor(12., grad_fn=<...>)
        >>> minigrad.autograd.grad(dx, x)
        (tensor(12.),)
    """
    outs = tensor_list(outputs)
    ins = tensor_list(inputs)
    for i, t in enumerate(ins):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"grad: input {i} is not a Tensor that requires grad")
    if grad_outputs is not None and isinstance(grad_outputs, (Tensor, np.ndarray)):
        grad_outputs = [grad_outputs]
    root_grads = make_root_grads(outs, grad_outputs, "grad")
    retain = create_graph if retain_graph is None else retain_graph
    captured = run_backward(outs, root_grads, retain, create_graph, capture=ins)
    result: list[Tensor | None] = []
    for i, t in enumerate(ins):
        g = captured.get(id(t))
        if g is None:
            if materialize_grads:
                g = Tensor._make(np.zeros(t.shape, dtype=t.dtype))
            elif not allow_unused:
                raise RuntimeError(
                    f"One of the differentiated Tensors appears to not have been used in the "
                    f"graph (grad: input {i}, shape {tuple(t.shape)}); set allow_unused=True "
                    f"if this is the desired behavior"
                )
        elif not create_graph:
            g = Tensor._make(np.array(g._data, copy=True))
        result.append(g)
    return tuple(result)
