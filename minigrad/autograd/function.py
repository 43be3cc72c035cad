"""Differentiable functions: PyTorch's ``autograd.Function`` and the array-level base of built-ins.

Two bases share one engine:

* :class:`Function` is PyTorch's: ``forward(ctx, *args)`` receives the Tensors
  themselves (with recording off), so it may call any Tensor op;
  ``backward(ctx, *grad_outputs)`` returns one gradient per ``forward`` argument.
  ``ctx.save_for_backward``, ``ctx.saved_tensors``, ``ctx.needs_input_grad``,
  ``ctx.mark_dirty``, ``ctx.mark_non_differentiable`` and
  ``ctx.set_materialize_grads`` behave as PyTorch's, and so does
  :func:`once_differentiable`. PyTorch's newer style (a ``forward`` without
  ``ctx`` plus ``setup_context(ctx, inputs, output)``) works too.
* :class:`ArrayFunction` is the faster base the built-in ops use: ``forward``
  receives NumPy arrays and returns arrays; everything else is the same.

A backward written in Tensor ops is differentiable again, so
``backward(create_graph=True)`` gives higher-order derivatives. ``ctx.create_graph``
tells backward whether that is happening.

Example: PyTorch's tutorial ReLU, unchanged
    >>> import minigrad
    >>> class MyReLU(minigrad.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, input):
    ...         ctx.save_for_backward(input)
    ...         return input.clamp(min=0)
    ...     @staticmethod
    ...     def backward(ctx, grad_output):
    ...         (input,) = ctx.saved_tensors
    ...         grad_input = grad_output.clone()
    ...         grad_input[input < 0] = 0
    ...         return grad_input
    >>> x = minigrad.tensor([-1.0, 2.0], requires_grad=True)
    >>> MyReLU.apply(x).sum().backward()
    >>> x.grad
    tensor([0., 1.])
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from minigrad.autograd.grad_mode import _grad_mode, no_grad
from minigrad.autograd.graph import (
    SAVED_INPUT,
    SAVED_INTERMEDIATE,
    SAVED_OUTPUT,
    Node,
)
from minigrad.tensor import Tensor

B = TypeVar("B", bound=Callable[..., Any])

__all__ = ["ArrayFunction", "Function", "once_differentiable"]


class FunctionBase:
    """What both kinds of Function share: the engine calls ``backward(ctx, *grads)``."""

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError(
            "backward is not implemented for this Function: define a static backward method"
        )


def _share_storage(
    out: Tensor, args: Sequence[Any], cls: type, attrs: dict[str, Any], index: int | None = None
) -> None:
    """An output that shares memory with an input shares its version counter; the
    output of a view op also records its base and how to make it again from there,
    so an in-place write through it can be recorded (see ``Tensor._inplace_op``).
    ``index`` is the output's position when the op returns several views."""
    data = out._data
    for a in args:
        if isinstance(a, Tensor) and np.may_share_memory(a._data, data):
            out._version_cell = a._version_cell
            if cls.is_view:  # type: ignore[attr-defined]
                out._base = base = a if a._base is None else a._base
                out._seen_rebases = base._rebases
                out._view_fn = functools.partial(
                    _remake_view,
                    cls,
                    tuple(args[1:]),
                    attrs,
                    a._view_fn if a._base is not None else None,
                    index,
                )
            return


def _remake_view(
    cls: Any, rest: tuple[Any, ...], attrs: dict[str, Any], parent: Any, index: int | None,
    base: Any,
) -> Any:  # fmt: skip
    """The view op applied again to ``base`` (through the parent view, if any)."""
    made = cls.apply(base if parent is None else parent(base), *rest, **attrs)
    return made if index is None else made[index]


class ArrayFunction(FunctionBase):
    """Base of the built-in ops: ``forward(ctx, *arrays, **attrs)`` works on NumPy arrays.

    Tensor arguments arrive as their arrays, other arguments unchanged; forward
    returns an array (or a tuple of arrays). Saved arrays that are inputs or the
    output come back from ``ctx.saved_tensors`` as those Tensors; any other saved
    array comes back as a constant, so a backward that must be differentiable
    again (``ctx.create_graph``) may only use it as a constant (a mask, an index).
    Set ``is_view = True`` on ops whose output is a view of their first input.

    Example: ``scale(x, factor=c)``
        >>> import minigrad
        >>> from minigrad.autograd.function import ArrayFunction
        >>> class Scale(ArrayFunction):
        ...     @staticmethod
        ...     def forward(ctx, x, factor):
        ...         ctx.factor = factor
        ...         return x * factor
        ...     @staticmethod
        ...     def backward(ctx, grad):
        ...         return grad * ctx.factor, None
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> Scale.apply(x, 3.0).sum().backward()
        >>> x.grad
        tensor([3., 3.])
    """

    is_view = False

    @classmethod
    def apply(cls, *args: Any, **attrs: Any) -> Any:
        ctx = Node(cls, args, attrs)
        arrays = [a._data if isinstance(a, Tensor) else a for a in args]
        raw = cls.forward(ctx, *arrays, **attrs)
        multi = isinstance(raw, tuple)
        raws = raw if multi else (raw,)
        record = _grad_mode.enabled and any(ctx.needs_input_grad)
        outs = []
        for i, r in enumerate(raws):
            # NumPy returns scalars for 0-d results; a tensor always holds an ndarray.
            data = r if isinstance(r, np.ndarray) else np.asarray(r)
            out = Tensor._make(data)
            if data.base is not None:
                _share_storage(out, args, cls, attrs, i if multi else None)
            if record and data.dtype.kind == "f":
                out.requires_grad = True
                out.grad_fn = ctx
                out._output_nr = i
            outs.append(out)
        if record:
            d = ctx.__dict__
            d["_outputs_meta"] = tuple((o._data.shape, o._data.dtype) for o in outs)
            d["_saved"] = _resolve_arrays(ctx._saved, args, arrays, raws, outs)
        else:
            ctx.__dict__["_saved"] = []
        return tuple(outs) if multi else outs[0]


def _resolve_arrays(
    values: list[Any],
    args: Sequence[Any],
    arrays: Sequence[Any],
    raws: Sequence[Any],
    outs: Sequence[Tensor],
) -> list[Any]:
    """Map saved arrays back to the input/output Tensors they are, with their versions."""
    resolved: list[Any] = []
    for v in values:
        if v is None:
            resolved.append(None)
            continue
        if isinstance(v, Tensor):
            resolved.append((v, v._version, SAVED_INPUT))
            continue
        found = None
        for arg, arr in zip(args, arrays):
            if arr is v and isinstance(arg, Tensor):
                found = (arg, SAVED_INPUT)
                break
        if found is None:
            for raw, out in zip(raws, outs):
                if v is raw or v is out._data:
                    found = (out, SAVED_OUTPUT)
                    break
        if found is None:
            found = (Tensor._make(np.asarray(v)), SAVED_INTERMEDIATE)
        t, kind = found
        resolved.append((t, t._version, kind))
    return resolved


class Function(FunctionBase):
    """PyTorch's ``torch.autograd.Function``: subclass it to define an op with its gradient.

    ``forward(ctx, *args, **kwargs)`` receives Tensors (recording is off inside) and
    returns a Tensor or a tuple of them; ``backward(ctx, *grad_outputs)`` receives
    one gradient per output and returns one per ``forward`` argument (``None`` for
    arguments that are not Tensors or need no gradient). Call it with ``.apply``.

    A Tensor that ``forward`` saved but that is neither an input nor an output is
    a constant to the engine: a second derivative through it would be wrong, so
    ``backward(create_graph=True)`` refuses to use it and says what to do.

    Example: PyTorch's tutorial Legendre polynomial ``P3(x) = (5x^3 - 3x) / 2``
        >>> import minigrad
        >>> class LegendrePolynomial3(minigrad.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, input):
        ...         ctx.save_for_backward(input)
        ...         return 0.5 * (5 * input ** 3 - 3 * input)
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         (input,) = ctx.saved_tensors
        ...         return grad_output * 1.5 * (5 * input ** 2 - 1)
        >>> x = minigrad.tensor([0.5, 2.0], requires_grad=True)
        >>> y = LegendrePolynomial3.apply(x)
        >>> y
        tensor([-0.4375, 17.0000], grad_fn=<LegendrePolynomial3Backward0>)
        >>> (g,) = minigrad.autograd.grad(y.sum(), x, create_graph=True)
        >>> g, minigrad.autograd.grad(g.sum(), x)[0]
        (tensor([ 0.3750, 28.5000], grad_fn=<...>), tensor([ 7.5000, 30.0000]))
    """

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        ctx = Node(cls, args, kwargs)
        new_style = cls.setup_context is not Function.setup_context
        with no_grad():
            if new_style:
                result = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, result)
            else:
                result = cls.forward(ctx, *args, **kwargs)
        multi = isinstance(result, tuple)
        returned = list(result) if multi else [result]
        record = _grad_mode.enabled and any(ctx.needs_input_grad)
        dirty = {id(t) for t in ctx._dirty}
        non_diff = {id(t) for t in ctx._non_differentiable}
        input_ids = {id(a) for a in args if isinstance(a, Tensor)}
        outs: list[Any] = []
        for i, o in enumerate(returned):
            if not isinstance(o, Tensor):
                outs.append(o)
                continue
            if id(o) in dirty:
                _check_dirty(cls, o)
                out = o
            elif id(o) in input_ids or o.grad_fn is not None or o.requires_grad:
                out = Tensor._make(o._data)  # a fresh node over the same storage
                out._version_cell = o._version_cell
            else:
                out = o
            if record and out.dtype.kind == "f" and id(o) not in non_diff:
                out.requires_grad = True
                out.grad_fn = ctx
                out._output_nr = i
            outs.append(out)
        if record:
            d = ctx.__dict__
            tensors = [o for o in outs if isinstance(o, Tensor)]
            d["_outputs_meta"] = tuple((o._data.shape, o._data.dtype) for o in tensors)
            d["_saved"] = _resolve_tensors(cls, ctx._saved, args, returned, outs)
        else:
            ctx.__dict__["_saved"] = []
        return tuple(outs) if multi else outs[0]


def _check_dirty(cls: type, t: Tensor) -> None:
    if t.requires_grad and t.grad_fn is None and _grad_mode.enabled:
        raise RuntimeError(
            f"{cls.__name__}: a leaf tensor that requires grad (shape {t.shape}) was "
            f"modified in place by forward (ctx.mark_dirty); work on a copy (x.clone())"
        )


def _resolve_tensors(
    cls: type, values: list[Any], args: Sequence[Any], returned: Sequence[Any], outs: Sequence[Any]
) -> list[Any]:
    resolved: list[Any] = []
    for v in values:
        if v is None:
            resolved.append(None)
            continue
        if not isinstance(v, Tensor):
            raise TypeError(
                f"{cls.__name__}: save_for_backward takes Tensors or None, got "
                f"{type(v).__name__}; plain values can be stored as ctx attributes"
            )
        kind = SAVED_INTERMEDIATE
        t = v
        if any(v is a for a in args):
            kind = SAVED_INPUT
        else:
            for r, o in zip(returned, outs):
                if v is r or v is o:
                    kind, t = SAVED_OUTPUT, o
                    break
        resolved.append((t, t._version, kind))
    return resolved


class _OnceDifferentiableGuard(ArrayFunction):
    """Passes a gradient through; differentiating it again raises (see once_differentiable)."""

    @staticmethod
    def forward(ctx: Node, grad: Any, origin: str) -> Any:
        ctx.origin = origin
        return grad.view()

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Any:
        raise RuntimeError(
            f"trying to differentiate twice a function that was marked with "
            f"@once_differentiable ({ctx.origin}.backward)"
        )


def _guard(g: Tensor, origin: str) -> Tensor:
    leaf = Tensor._make(g._data)
    leaf.requires_grad = True  # so that the guard is recorded (as PyTorch's DelayedError)
    out: Tensor = _OnceDifferentiableGuard.apply(leaf, origin=origin)
    return out


def once_differentiable(backward: B) -> B:
    """Mark a ``backward`` that is not differentiable itself (PyTorch's decorator).

    It runs without recording, and its gradients refuse to be differentiated again,
    with an error naming the Function, instead of giving wrong higher-order results.

    Example:
        >>> import minigrad, numpy as np
        >>> from minigrad.autograd.function import Function, once_differentiable
        >>> class Cube(Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x ** 3
        ...     @staticmethod
        ...     @once_differentiable
        ...     def backward(ctx, grad):
        ...         (x,) = ctx.saved_tensors
        ...         return minigrad.tensor(3 * x.numpy() ** 2) * grad
        >>> x = minigrad.tensor(2.0, requires_grad=True)
        >>> Cube.apply(x).backward()
        >>> x.grad
        tensor(12.)
    """

    @functools.wraps(backward)
    def wrapper(ctx: Node, *grads: Any) -> Any:
        ctx.__dict__["_once_differentiable"] = True
        with no_grad():
            result = backward(ctx, *grads)
        if not ctx.create_graph:
            return result
        # A graph is being built: guard every gradient (even when the upstream gradient
        # is a constant), so that a second derivative through this backward always
        # raises instead of silently missing this Function's contribution.
        single = not isinstance(result, tuple)
        items = (result,) if single else result
        guarded = tuple(
            _guard(g, ctx.fn.__name__) if isinstance(g, Tensor) and g.dtype.kind == "f" else g
            for g in items
        )
        return guarded[0] if single else guarded

    return wrapper  # type: ignore[return-value]
