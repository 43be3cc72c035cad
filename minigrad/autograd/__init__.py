"""Automatic differentiation: ``Function``, graph nodes, the backward engine, grad modes.

A :class:`Function` subclass defines one differentiable op, as in PyTorch:
``forward(ctx, *args)`` receives Tensors, ``backward(ctx, *grad_outputs)`` returns
one gradient per input. Built-in ops use :class:`ArrayFunction`, the same thing
on NumPy arrays. Writing ``backward`` with Tensor operations makes it
differentiable itself, so ``create_graph=True`` gives higher-order derivatives.

Example: a user-defined op ``cube(x) = x ** 3``

    >>> import minigrad
    >>> class Cube(minigrad.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
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

The graph is sorted iteratively (no recursion limit); saved values are freed
after ``backward()`` unless ``retain_graph=True``; version counters make a saved
tensor modified in place raise an error instead of producing a wrong gradient.
"""

from minigrad.autograd import engine, function, grad_mode, graph
from minigrad.autograd.engine import backward, grad
from minigrad.autograd.function import ArrayFunction, Function, once_differentiable
from minigrad.autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from minigrad.autograd.graph import AccumulateGrad, Context, Node

__all__ = [
    "AccumulateGrad",
    "ArrayFunction",
    "Context",
    "Function",
    "Node",
    "backward",
    "enable_grad",
    "engine",
    "function",
    "grad",
    "grad_mode",
    "graph",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "once_differentiable",
    "set_grad_enabled",
]
