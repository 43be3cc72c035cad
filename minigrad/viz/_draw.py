"""The drawing entry points: ``draw_graph`` (any graph) and ``draw_module`` (a model)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from minigrad import random as _random
from minigrad.autograd import enable_grad
from minigrad.tensor import Tensor, get_default_dtype
from minigrad.viz._build import build_graph
from minigrad.viz._render import VizDigraph
from minigrad.viz._trace import trace_modules


def draw_graph(
    output: Tensor | Sequence[Tensor],
    params: Any = None,
    show_shapes: bool = True,
    show_dtypes: bool = False,
    show_saved: bool = False,
    rankdir: str = "TB",
    collapse: str | None = None,
    *,
    depth: int = 1,
    expand: Iterable[str] = (),
) -> VizDigraph:
    """Draw the graph that produced ``output`` as a ``graphviz.Digraph``.

    Ops are grey boxes with the op's name, its salient arguments (``dim``, ``stride``,
    ``padding``...) and its output's shape. Tensors: parameters light blue (named),
    other leaves that require grad yellow, outputs green, saved tensors orange
    (``show_saved``), and tensors that need no grad dashed. A tensor used twice is
    one node with two edges. Drawing reads the graph and changes nothing:
    ``backward()`` gives the same gradients afterwards.

    Args:
        output: a Tensor, or a tuple of Tensors drawn together.
        params: names for tensors: a dict of name -> Tensor, a Module (named by
            ``named_parameters()``, e.g. ``conv1.weight``), or a
            :class:`~minigrad.viz.ModuleTrace` of the forward that made ``output``
            (names plus each module call's exact ops).
        show_shapes: print shapes on tensors and ops.
        show_dtypes: print dtypes too.
        show_saved: draw the tensors each op saved for backward (dotted edges).
        rankdir: ``"TB"`` (top to bottom), ``"LR"``, ``"BT"`` or ``"RL"``.
        collapse: ``None`` draws every op (framed by module when ``params`` is a Module
            or trace); ``"module"`` draws each module call as one box, so graphs of
            thousands of ops stay legible and render in seconds.
        depth: with ``collapse="module"``, the nesting level drawn as boxes: 1 boxes
            the model's children, 2 their children (with the children as frames),
            0 the whole model. A module without sub-modules is always one box.
        expand: module names (``"layer1"``, ``"layer1.0"``) to open into frames
            even when collapsed; naming a module opens its parents too.

    Without a trace, ``collapse="module"`` groups ops by the parameters they use, so
    parameter-free modules (ReLU, pooling) stay as plain ops; trace the forward with
    :func:`~minigrad.viz.trace_modules` (or use :func:`draw_module`) for exact boxes.

    Returns:
        A :class:`~minigrad.viz.VizDigraph`: render with ``.render()``/``.pipe()`` or
        :func:`~minigrad.viz.save`; ``.source`` holds the DOT text; ``.model`` the
        nodes and edges.

    Example:
        >>> import minigrad
        >>> from minigrad import viz
        >>> w = minigrad.randn(3, 2, requires_grad=True)
        >>> x = minigrad.randn(4, 3)
        >>> loss = (x @ w).relu().mean()
        >>> g = viz.draw_graph(loss, params={"w": w})
        >>> [n.label.split("\\n")[0] for n in g.model.nodes]
        ['MatMulBackward0', 'ReluBackward0', 'MeanBackward0', 'w', '(4, 3)', 'output']
        >>> "MatMulBackward0" in g.source
        True
    """
    model = build_graph(
        output,
        params,
        show_shapes=show_shapes,
        show_dtypes=show_dtypes,
        show_saved=show_saved,
        rankdir=rankdir,
        collapse=collapse,
        depth=depth,
        expand=expand,
    )
    return model.to_digraph()


def draw_module(
    module: Any,
    input_shape: Sequence[int] | Sequence[Sequence[int]],
    show_shapes: bool = True,
    show_dtypes: bool = False,
    rankdir: str = "TB",
    collapse: str | None = "module",
    *,
    depth: int = 1,
    expand: Iterable[str] = (),
) -> VizDigraph:
    """Trace one forward pass of ``module`` on a random input and draw its structure.

    By default each sub-module is one box (``collapse="module"``); pass
    ``collapse=None`` to see every op, framed by module, or ``depth``/``expand``
    to open chosen modules. The module is left as it was: buffers (e.g. batch-norm
    statistics) and the global random state are restored, and no gradient is computed.

    Args:
        module: a ``minigrad.nn.Module``.
        input_shape: the input's shape, e.g. ``(1, 1, 28, 28)``, or a list of shapes
            for a module with several inputs.
        show_shapes, show_dtypes, rankdir, collapse, depth, expand: as in :func:`draw_graph`.

    Example:
        >>> from minigrad import nn, viz
        >>> net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        >>> g = viz.draw_module(net, (1, 4))
        >>> [n.label.split("\\n")[0] for n in g.model.nodes if n.kind in ("module", "leaf")]
        ['input', '0 (Linear)', '1 (ReLU)', '2 (Linear)']
    """
    shapes = _input_shapes(input_shape)
    rng = np.random.default_rng(0)  # a local generator: the global seed is untouched
    inputs = [
        Tensor(rng.standard_normal(s).astype(get_default_dtype()), requires_grad=True)
        for s in shapes
    ]
    restore = _snapshot(module)
    try:
        with enable_grad(), trace_modules(module) as trace:
            output = module(*inputs)
    finally:
        restore()
    outputs = [t for t in _flatten(output) if isinstance(t, Tensor)]
    if not outputs:
        raise TypeError(f"draw_module: {type(module).__name__} returned no Tensor")
    return draw_graph(
        tuple(outputs),
        trace,
        show_shapes=show_shapes,
        show_dtypes=show_dtypes,
        rankdir=rankdir,
        collapse=collapse,
        depth=depth,
        expand=expand,
    )


def _input_shapes(input_shape: Any) -> list[tuple[int, ...]]:
    try:
        items = list(input_shape)
    except TypeError:
        items = None
    if items is not None and all(isinstance(s, (int, np.integer)) for s in items):
        shapes = [tuple(int(s) for s in items)]
    elif items and all(
        isinstance(s, (tuple, list)) and all(isinstance(d, (int, np.integer)) for d in s)
        for s in items
    ):
        shapes = [tuple(int(d) for d in s) for s in items]
    else:
        raise TypeError(
            f"draw_module: input_shape should be a shape like (1, 1, 28, 28) or a list of "
            f"shapes, got {input_shape!r}"
        )
    for s in shapes:
        if any(d < 0 for d in s):
            raise ValueError(f"draw_module: input shape {s} has a negative size")
    return shapes


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, (tuple, list)):
        return [v for item in value for v in _flatten(item)]
    if isinstance(value, dict):
        return [v for item in value.values() for v in _flatten(item)]
    return [value]


def _snapshot(module: Any) -> Any:
    """Save what a forward pass may change (buffers, the global RNG); return a restorer."""
    rng_state = _random.get_rng_state()
    named = getattr(module, "named_buffers", None)
    buffers = list(named()) if named is not None else []
    saved = [(name, buf, buf._data.copy(), buf._version) for name, buf in buffers]

    def restore() -> None:
        _random.set_rng_state(rng_state)
        current = dict(named()) if named is not None else {}
        for name, buf, data, version in saved:
            if current.get(name) is not buf:  # the attribute was replaced: put it back
                owner, _, attr = name.rpartition(".")
                target = module.get_submodule(owner) if owner else module
                setattr(target, attr, buf)
            if buf._data is not data and not np.array_equal(buf._data, data):
                buf._data = data
            buf._version = version

    return restore
