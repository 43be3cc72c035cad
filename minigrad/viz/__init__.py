"""Computation graphs rendered with Graphviz, readable at any size.

:func:`draw_graph` draws the graph behind any tensor: ops with their arguments and
output shapes, parameters named as the model names them, outputs and saved tensors
in their own colours. With the model's structure (:func:`trace_modules`, or
:func:`draw_module` which traces one forward pass itself), each module is framed,
or collapsed into one box (``collapse="module"``) so that a network of thousands
of ops fits on a page. Drawing only reads the graph: it records nothing and
changes nothing.

Rendering to SVG, PNG or PDF goes through Graphviz's ``dot`` program
(``apt-get install graphviz``); without it, :class:`GraphvizNotFoundError` says so
and the DOT text stays available as ``.source``. From the command line::

    python -m minigrad.viz models.lenet:LeNet5 --input-shape 1,1,28,28 -o lenet.svg

Example:
    >>> import minigrad
    >>> from minigrad import viz
    >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    >>> y = (x * x + x).sum()
    >>> g = viz.draw_graph(y, params={"x": x})
    >>> g.model.count("op"), g.model.count("param")
    (3, 1)
"""

from minigrad.viz._build import build_graph
from minigrad.viz._draw import draw_graph, draw_module
from minigrad.viz._model import GraphModel
from minigrad.viz._render import GraphvizNotFoundError, VizDigraph, save
from minigrad.viz._trace import ModuleTrace, trace_modules

__all__ = [
    "GraphModel",
    "GraphvizNotFoundError",
    "ModuleTrace",
    "VizDigraph",
    "build_graph",
    "draw_graph",
    "draw_module",
    "save",
    "trace_modules",
]
