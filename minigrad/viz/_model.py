"""The graph model: nodes, edges and clusters, independent of Graphviz, and its styles."""

from __future__ import annotations

from dataclasses import dataclass, field

import graphviz

from minigrad.viz._render import VizDigraph

#: Node kinds and their Graphviz styles (colours follow torchviz where it has one).
STYLES: dict[str, dict[str, str]] = {
    "op": {"shape": "box", "style": "filled,rounded", "fillcolor": "#e8e8e8"},
    "param": {"shape": "box", "style": "filled", "fillcolor": "lightblue"},
    "leaf": {"shape": "box", "style": "filled", "fillcolor": "#ffe49c"},
    "output": {"shape": "box", "style": "filled", "fillcolor": "darkolivegreen1"},
    "saved": {"shape": "box", "style": "filled", "fillcolor": "orange"},
    "constant": {"shape": "box", "style": "dashed", "color": "gray55", "fontcolor": "gray30"},
    "module": {"shape": "box3d", "style": "filled", "fillcolor": "#d9d2f5"},
}
KINDS = tuple(STYLES)
_CLUSTER_STYLE = {"style": "rounded,dashed", "color": "gray45", "labeljust": "l", "fontsize": "10"}
_GRAPH_STYLE = {"nodesep": "0.25", "ranksep": "0.3", "fontname": "Helvetica"}
_NODE_STYLE = {"fontname": "Helvetica", "fontsize": "10", "height": "0.2", "margin": "0.1,0.04"}
_EDGE_STYLE = {"arrowsize": "0.6"}


@dataclass(frozen=True)
class Node:
    """One drawn node: an op, a tensor (param/leaf/output/saved/constant) or a module box."""

    id: str
    kind: str
    label: str
    cluster: str | None = None


@dataclass(frozen=True)
class Edge:
    """A data edge from producer to consumer; ``saved`` edges (dotted) go to the op that saved."""

    src: str
    dst: str
    saved: bool = False


@dataclass(frozen=True)
class Cluster:
    """An expanded module call, drawn as a frame around its nodes (nested via ``parent``)."""

    id: str
    label: str
    parent: str | None = None


@dataclass
class GraphModel:
    """What :func:`~minigrad.viz.draw_graph` draws, as plain data: nodes, edges, clusters.

    Labels use ``"\\n"`` between lines. :meth:`structure` gives an order-free
    summary for tests; :meth:`to_digraph` renders it with Graphviz.

    Example:
        >>> import minigrad
        >>> from minigrad import viz
        >>> x = minigrad.tensor([1.0, 2.0], requires_grad=True)
        >>> model = viz.build_graph(x * x, params={"x": x})
        >>> model.structure()["edges"]
        [('MulBackward0\\n(2,)', 'output\\n(2,)'), ('x\\n(2,)', 'MulBackward0\\n(2,)'), ('x\\n(2,)', 'MulBackward0\\n(2,)')]
    """  # noqa: E501

    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    rankdir: str = "TB"

    def node(self, id: str) -> Node:
        """The node with this id."""
        for n in self.nodes:
            if n.id == id:
                return n
        raise KeyError(id)

    def count(self, kind: str | None = None) -> int:
        """The number of nodes (of one kind, if given)."""
        return sum(1 for n in self.nodes if kind is None or n.kind == kind)

    def structure(self) -> dict[str, list[tuple[str, ...]]]:
        """Nodes as sorted ``(kind, label)`` and edges as sorted ``(src label, dst label)``
        (``"saved"`` appended to saved edges): the graph without its arbitrary ids."""
        label = {n.id: n.label for n in self.nodes}
        edges = [
            (label[e.src], label[e.dst], "saved") if e.saved else (label[e.src], label[e.dst])
            for e in self.edges
        ]
        return {"nodes": sorted((n.kind, n.label) for n in self.nodes), "edges": sorted(edges)}

    def to_digraph(self, name: str = "minigrad") -> VizDigraph:
        """Render the model as a Graphviz digraph (clusters nested as subgraphs)."""
        g = VizDigraph(
            name,
            graph_attr={**_GRAPH_STYLE, "rankdir": self.rankdir},
            node_attr=_NODE_STYLE,
            edge_attr=_EDGE_STYLE,
        )
        g.model = self
        by_cluster: dict[str | None, list[Node]] = {}
        for n in self.nodes:
            by_cluster.setdefault(n.cluster, []).append(n)
        children: dict[str | None, list[Cluster]] = {}
        for c in self.clusters:
            children.setdefault(c.parent, []).append(c)
        _add_nodes(g, by_cluster.get(None, []))
        for c in children.get(None, []):
            g.subgraph(_cluster_graph(c, by_cluster, children))
        for e in self.edges:
            if e.saved:
                g.edge(e.src, e.dst, style="dotted", arrowhead="none", color="darkorange3")
            else:
                g.edge(e.src, e.dst)
        return g


def _escape(label: str) -> str:
    """Graphviz label text: backslashes doubled, line breaks as ``\\n``."""
    return label.replace("\\", "\\\\").replace("\n", "\\n")


def _add_nodes(g: graphviz.Digraph, nodes: list[Node]) -> None:
    for n in nodes:
        g.node(n.id, _escape(n.label), **STYLES[n.kind])


def _cluster_graph(
    cluster: Cluster,
    by_cluster: dict[str | None, list[Node]],
    children: dict[str | None, list[Cluster]],
) -> graphviz.Digraph:
    # Clusters nest only as deep as modules do; recursion is bounded by module depth.
    sub = graphviz.Digraph(
        cluster.id, graph_attr={**_CLUSTER_STYLE, "label": _escape(cluster.label)}
    )
    _add_nodes(sub, by_cluster.get(cluster.id, []))
    for child in children.get(cluster.id, []):
        sub.subgraph(_cluster_graph(child, by_cluster, children))
    return sub
