"""Rendering through Graphviz's ``dot``, with an error that says how to install it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import graphviz

if TYPE_CHECKING:
    from minigrad.viz._model import GraphModel

FORMATS = ("svg", "png", "pdf", "dot")
_SUFFIX_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}

INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH, and rendering a graph to an image "
    "needs it. Install it with `apt-get install graphviz` (Debian/Ubuntu), "
    "`brew install graphviz` (macOS) or `conda install graphviz`. The DOT source is "
    "available without it, as `graph.source` (or save it with format='dot')."
)


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Raised when a graph is rendered but Graphviz's ``dot`` is not installed.

    A subclass of ``graphviz.ExecutableNotFound`` (and so of ``RuntimeError``); its
    message says how to install Graphviz. The graph's ``.source`` stays usable.

    Example:
        >>> from minigrad.viz import GraphvizNotFoundError
        >>> "apt-get install graphviz" in str(GraphvizNotFoundError())
        True
    """

    def __init__(self, *args: Any) -> None:
        RuntimeError.__init__(self, INSTALL_HINT)


@contextlib.contextmanager
def explain_missing_dot() -> Iterator[None]:
    """Turn graphviz's bare "failed to execute 'dot'" into :class:`GraphvizNotFoundError`."""
    try:
        yield
    except GraphvizNotFoundError:
        raise
    except graphviz.ExecutableNotFound as e:
        raise GraphvizNotFoundError() from e


class VizDigraph(graphviz.Digraph):
    """The ``graphviz.Digraph`` that :func:`~minigrad.viz.draw_graph` returns.

    It behaves as a plain Digraph (``.source``, ``.pipe()``, ``.render()``, display in
    Jupyter), with two additions: ``.model``, the :class:`~minigrad.viz.GraphModel`
    it was drawn from (nodes, edges and clusters, easy to inspect), and a
    :class:`GraphvizNotFoundError` that explains how to install Graphviz when
    ``dot`` is missing.

    Example:
        >>> import minigrad
        >>> from minigrad import viz
        >>> x = minigrad.ones(3, requires_grad=True)
        >>> g = viz.draw_graph((x * 2).sum())
        >>> g.source.startswith("digraph")
        True
        >>> [n.label for n in g.model.nodes if n.kind == "op"]
        ['MulBackward0\\n(3,)', 'SumBackward0\\ndim=(0,), keepdim=False\\n()']
    """

    model: GraphModel | None = None

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with explain_missing_dot():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with explain_missing_dot():
            return super().render(*args, **kwargs)

    def unflatten(self, *args: Any, **kwargs: Any) -> Any:
        with explain_missing_dot():
            return super().unflatten(*args, **kwargs)


def format_for(path: str | os.PathLike[str], format: str | None) -> str:
    """The output format: ``format`` if given, else from the file's suffix."""
    if format is None:
        suffix = Path(path).suffix.lower()
        if suffix not in _SUFFIX_FORMATS:
            raise ValueError(
                f"cannot tell the format of {os.fspath(path)!r} from its suffix; "
                f"use one of {', '.join(_SUFFIX_FORMATS)} or pass format= ({', '.join(FORMATS)})"
            )
        return _SUFFIX_FORMATS[suffix]
    fmt = format.lower().lstrip(".")
    if fmt == "gv":
        fmt = "dot"
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    return fmt


def save(graph: graphviz.Digraph, path: str | os.PathLike[str], format: str | None = None) -> Path:
    """Write ``graph`` to ``path`` as SVG, PNG, PDF (through ``dot``) or DOT source.

    Args:
        graph: a Digraph, e.g. from :func:`~minigrad.viz.draw_graph`.
        path: the file to write; its suffix picks the format unless ``format`` is given.
        format: ``"svg"``, ``"png"``, ``"pdf"`` or ``"dot"`` (the source, no Graphviz needed).

    Returns:
        The path written.

    Raises:
        GraphvizNotFoundError: an image format was asked for and ``dot`` is not installed.

    Example:
        >>> import minigrad, tempfile, pathlib
        >>> from minigrad import viz
        >>> x = minigrad.ones(2, requires_grad=True)
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "graph.dot"
        >>> viz.save(viz.draw_graph(x.exp()), out).read_text().startswith("digraph")
        True
    """
    fmt = format_for(path, format)
    path = Path(path)
    if fmt == "dot":
        path.write_text(graph.source, encoding="utf-8")
        return path
    with explain_missing_dot():
        data = graph.pipe(format=fmt)
    path.write_bytes(data)
    return path
