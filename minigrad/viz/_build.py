"""Walk a finished graph and build the :class:`GraphModel` that ``draw_graph`` renders.

The walk only reads what the graph already holds (each node's inputs, metadata
and saved values); it calls no op and changes no tensor, so drawing before
``backward()`` leaves the gradients exactly as they would have been.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from minigrad.tensor import Tensor
from minigrad.viz._labels import format_attrs, format_meta
from minigrad.viz._model import Cluster, Edge, GraphModel, Node
from minigrad.viz._trace import ModuleCall, ModuleTrace, group_by_params

if TYPE_CHECKING:
    from minigrad.autograd import Context

RANKDIRS = ("TB", "LR", "BT", "RL")
COLLAPSE_MODES = (None, "module")
LARGE_GRAPH = 5000  # nodes beyond which an uncollapsed graph takes dot a long time


@dataclass
class Options:
    """The drawing options that shape labels and grouping."""

    shapes: bool
    dtypes: bool
    saved: bool
    collapse: str | None
    depth: int
    expand: frozenset[str]


def collect_ops(roots: Iterable[Context]) -> list[Context]:
    """Every node reachable from ``roots``, producers before consumers (iterative DFS)."""
    order: list[Context] = []
    seen: set[int] = set()
    for root in roots:
        if id(root) in seen:
            continue
        seen.add(id(root))
        stack = [(root, iter(root.input_nodes))]
        while stack:
            node, inputs = stack[-1]
            for child in inputs:
                if child is not None and id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(child.input_nodes)))
                    break
            else:
                stack.pop()
                order.append(node)
    return order


def _as_outputs(output: Any) -> list[Tensor]:
    outputs = [output] if isinstance(output, Tensor) else output
    if not isinstance(outputs, (tuple, list)) or not all(isinstance(t, Tensor) for t in outputs):
        raise TypeError(
            "draw_graph: output must be a Tensor or a tuple of Tensors, "
            f"got {type(output).__name__}"
        )
    unique: dict[int, Tensor] = {}
    for t in outputs:
        unique.setdefault(id(t), t)
    return list(unique.values())


def _resolve_params(params: Any) -> tuple[dict[int, str], Any, ModuleTrace | None]:
    """``id(tensor) -> name``, the module (if any) and the trace (if any)."""
    if params is None:
        return {}, None, None
    if isinstance(params, ModuleTrace):
        names = {id(p): n for n, p in params.module.named_parameters()}
        return {**params.input_names(), **names}, params.module, params
    if hasattr(params, "named_parameters"):
        return {id(p): n for n, p in params.named_parameters()}, params, None
    if isinstance(params, Mapping):
        names = {}
        for name, t in params.items():
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"draw_graph: params[{name!r}] should be a Tensor, got {type(t).__name__}"
                )
            names[id(t)] = str(name)
        return names, None, None
    raise TypeError(
        "draw_graph: params should be a dict of name -> Tensor, a Module or a ModuleTrace, "
        f"got {type(params).__name__}"
    )


class _Builder:
    """Builds the model in one pass over the ops; see :func:`build_graph`."""

    def __init__(self, opts: Options, names: dict[int, str], owners: dict[int, ModuleCall]):
        self.opts = opts
        self.names = names
        self.owners = owners
        self.model = GraphModel()
        self.ids: dict[int, str] = {}  # id(op or tensor) -> node id
        self.counter = 0
        # Calls with nested calls that own ops: only these may be drawn as clusters.
        self.parents = {id(c) for call in owners.values() for c in call.ancestry()[:-1]}
        self.clusters: dict[int, str] = {}  # id(call) -> cluster id
        self.boxes: dict[int, str] = {}  # id(call) -> module node id
        self.box_info: dict[str, tuple[ModuleCall, str | None]] = {}  # box -> (call, cluster)
        self.box_ops: dict[str, int] = {}
        self.node_cluster: dict[str, str | None] = {}
        self.edge_set: set[tuple[str, str, bool]] = set()
        self.param_ids: set[int] = set()
        self.param_sizes: dict[str, int] = {}  # module path -> parameters under it
        self.cluster_parents: dict[str, str | None] = {}

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def tensor_lines(self, name: str | None, meta: Any) -> str:
        lines = [name] if name else []
        text = format_meta(meta, self.opts.shapes, self.opts.dtypes)
        if text:
            lines.append(text)
        return "\n".join(lines)

    # -- grouping ------------------------------------------------------------------
    def collapsed(self, call: ModuleCall) -> bool:
        if self.opts.collapse != "module" or call.path in self.opts.expand:
            return False
        return call.depth >= self.opts.depth or id(call) not in self.parents

    def place(self, op: Context) -> tuple[str | None, str | None]:
        """(module box id or None, cluster id or None) for an op."""
        call = self.owners.get(id(op))
        if call is None:
            return None, None
        cluster = None
        for c in call.ancestry():
            if self.collapsed(c):
                return self.box(c, cluster), cluster
            cluster = self.cluster(c, cluster)
        return None, cluster

    def cluster(self, call: ModuleCall, parent: str | None) -> str:
        if id(call) not in self.clusters:
            cid = f"cluster_{len(self.clusters) + 1}"
            self.clusters[id(call)] = cid
            self.model.clusters.append(Cluster(cid, self.call_title(call), parent))
        return self.clusters[id(call)]

    def call_title(self, call: ModuleCall) -> str:
        title = f"{call.path} ({call.type_name})" if call.path else call.type_name
        return title + (f" #{call.number}" if call.number > 1 else "")

    def box(self, call: ModuleCall, cluster: str | None) -> str:
        if id(call) not in self.boxes:
            bid = self.new_id("m")
            self.boxes[id(call)] = bid
            self.box_ops[bid] = 0
            self.box_info[bid] = (call, cluster)
        return self.boxes[id(call)]

    # -- nodes and edges -----------------------------------------------------------
    def add_node(self, node_id: str, kind: str, label: str, cluster: str | None) -> str:
        self.model.nodes.append(Node(node_id, kind, label or kind, cluster))
        self.node_cluster[node_id] = cluster
        return node_id

    def is_box(self, node_id: str) -> bool:
        return node_id in self.box_info

    def edge(self, src: str, dst: str, saved: bool = False, dedupe: bool = False) -> None:
        if dedupe:
            if (src, dst, saved) in self.edge_set:
                return
            self.edge_set.add((src, dst, saved))
        self.model.edges.append(Edge(src, dst, saved))

    def tensor_node(self, t: Tensor, kind: str, cluster: str | None) -> str:
        if id(t) not in self.ids:
            name = self.names.get(id(t))
            if kind == "leaf" and name is not None and id(t) in self.param_ids:
                kind = "param"
            label = self.tensor_lines(name, (t.shape, t.dtype))
            self.ids[id(t)] = self.add_node(self.new_id("t"), kind, label, cluster)
        return self.ids[id(t)]

    def build(self, ops: list[Context], outputs: list[Tensor], param_ids: set[int]) -> GraphModel:
        self.param_ids = param_ids
        placement = {id(op): self.place(op) for op in ops}
        rep: dict[int, str] = {}
        for op in ops:
            box, cluster = placement[id(op)]
            if box is not None:
                rep[id(op)] = box
                self.box_ops[box] += 1
                continue
            lines = [op.name(), *format_attrs(op.attrs)]
            meta = format_meta(op.output_meta, self.opts.shapes, self.opts.dtypes)
            rep[id(op)] = self.add_node(
                self.new_id("op"), "op", "\n".join([*lines, meta] if meta else lines), cluster
            )
        self.add_leaves(ops, rep, placement)
        self.add_inner_edges(ops, rep)
        self.add_boxes(ops, rep, outputs)
        self.add_outputs(outputs, rep)
        if self.opts.saved:
            self.add_saved(ops, rep, placement)
        return self.model

    def add_leaves(
        self, ops: list[Context], rep: dict[int, str], placement: dict[int, Any]
    ) -> None:
        """Leaf tensors that require grad, placed in their consumers' common cluster."""
        consumers: dict[int, list[str]] = {}
        clusters: dict[int, list[str | None]] = {}
        leaves: dict[int, Tensor] = {}
        for op in ops:
            for leaf in op.input_leaves:
                if leaf is not None:
                    leaves[id(leaf)] = leaf
                    consumers.setdefault(id(leaf), []).append(rep[id(op)])
                    clusters.setdefault(id(leaf), []).append(placement[id(op)][1])
        for key, leaf in leaves.items():
            reps = set(consumers[key])
            if len(reps) == 1 and self.hidden_in_box(leaf, next(iter(reps))):
                continue
            node = self.tensor_node(leaf, "leaf", self.common_cluster(clusters[key]))
            for dst in consumers[key]:
                self.edge(node, dst, dedupe=self.is_box(dst))

    def hidden_in_box(self, leaf: Tensor, rep: str) -> bool:
        """A parameter used only inside the collapsed module that owns it is not drawn."""
        if not self.is_box(rep) or id(leaf) not in self.param_ids:
            return False
        call = self.box_info[rep][0]
        name = self.names.get(id(leaf), "")
        return not call.path or name.startswith(call.path + ".")

    def common_cluster(self, clusters: list[str | None]) -> str | None:
        """The innermost cluster that holds all of ``clusters`` (``None``: the top level)."""
        if len(self.cluster_parents) != len(self.model.clusters):
            self.cluster_parents = {c.id: c.parent for c in self.model.clusters}
        parents = self.cluster_parents

        def chain(c: str | None) -> list[str | None]:
            out: list[str | None] = [None]
            while c is not None:
                out.insert(1, c)
                c = parents[c]
            return out

        chains = [chain(c) for c in set(clusters)]
        common: str | None = None
        for level in zip(*chains):
            if len(set(level)) != 1:
                break
            common = level[0]
        return common

    def add_inner_edges(self, ops: list[Context], rep: dict[int, str]) -> None:
        """Edges between ops (and constants feeding drawn ops)."""
        for op in ops:
            dst = rep[id(op)]
            in_box = self.is_box(dst)
            for child, leaf, meta in zip(op.input_nodes, op.input_leaves, op.input_meta):
                if child is not None:
                    src = rep[id(child)]
                    if src != dst:
                        self.edge(src, dst, dedupe=in_box or self.is_box(src))
                elif leaf is None and meta is not None and not in_box:
                    cluster = self.node_cluster[dst]
                    label = self.tensor_lines(None, meta) or "constant"
                    self.edge(self.add_node(self.new_id("c"), "constant", label, cluster), dst)

    def add_boxes(self, ops: list[Context], rep: dict[int, str], outputs: list[Tensor]) -> None:
        """One node per collapsed module call, with its traced constant inputs."""
        if not self.boxes:
            return
        exits: dict[str, list[Any]] = {}
        consumed_outside = {id(t.grad_fn) for t in outputs if t.grad_fn is not None}
        for op in ops:
            for child in op.input_nodes:
                if child is not None and rep[id(child)] != rep[id(op)]:
                    consumed_outside.add(id(child))
        for op in ops:
            if self.is_box(rep[id(op)]) and id(op) in consumed_outside:
                exits.setdefault(rep[id(op)], []).append(op.output_meta)
        for bid, (call, cluster) in self.box_info.items():
            metas = call.output_meta or exits.get(bid, [])
            lines = [self.call_title(call)]
            shapes = list(
                dict.fromkeys(format_meta(m, self.opts.shapes, self.opts.dtypes) for m in metas)
            )
            if shapes and shapes[0]:
                lines.append(", ".join(shapes[:3]) + (", …" if len(shapes) > 3 else ""))
            n, weights = self.box_ops[bid], self.param_sizes.get(call.path, 0)
            stats = [f"{n} ops"] if n > 1 else []
            stats += [f"{weights:,} params"] if weights else []
            if stats:
                lines.append(", ".join(stats))
            self.add_node(bid, "module", "\n".join(lines), cluster)
            for t, meta in call.constant_inputs:
                if id(t) not in self.ids:
                    label = self.tensor_lines(self.names.get(id(t)), meta) or "constant"
                    self.ids[id(t)] = self.add_node(self.new_id("c"), "constant", label, cluster)
                self.edge(self.ids[id(t)], bid, dedupe=True)

    def add_outputs(self, outputs: list[Tensor], rep: dict[int, str]) -> None:
        for t in outputs:
            if t.grad_fn is None:
                self.tensor_node(t, "output", None)
                continue
            label = self.tensor_lines(self.names.get(id(t), "output"), (t.shape, t.dtype))
            node = self.add_node(self.new_id("out"), "output", label, None)
            self.edge(rep[id(t.grad_fn)], node)

    def add_saved(self, ops: list[Context], rep: dict[int, str], placement: dict) -> None:
        """Saved tensors (orange), with dotted edges to the ops that saved them."""
        for op in ops:
            dst = rep[id(op)]
            saved = op.saved_values  # the read-only view: never version-checked
            if self.is_box(dst) or not saved:
                continue
            for item in saved:
                t = item
                if not isinstance(t, Tensor):
                    continue
                producer = t.grad_fn
                if producer is not None and producer is not op and id(producer) in rep:
                    src = rep[id(producer)]  # an intermediate result: its op's output
                elif id(t) in self.ids:
                    src = self.ids[id(t)]
                else:
                    name = self.names.get(id(t)) or ("result" if producer is op else "saved")
                    label = self.tensor_lines(name, (t.shape, t.dtype))
                    src = self.add_node(self.new_id("s"), "saved", label, placement[id(op)][1])
                    self.ids[id(t)] = src
                self.edge(src, dst, saved=True, dedupe=True)


def build_graph(
    output: Tensor | Sequence[Tensor],
    params: Any = None,
    show_shapes: bool = True,
    show_dtypes: bool = False,
    show_saved: bool = False,
    rankdir: str = "TB",
    collapse: str | None = None,
    depth: int = 1,
    expand: Iterable[str] = (),
) -> GraphModel:
    """Build the :class:`GraphModel` (nodes, edges, clusters) that :func:`draw_graph` draws.

    Takes the same arguments as :func:`draw_graph`; useful to inspect or test a
    graph without Graphviz.

    Example:
        >>> import minigrad
        >>> from minigrad import viz
        >>> a = minigrad.ones(2, 3, requires_grad=True)
        >>> m = viz.build_graph(a.sum(dim=1), params={"a": a})
        >>> [(n.kind, n.label) for n in m.nodes]
        [('op', 'SumBackward0\\ndim=(1,), keepdim=False\\n(2,)'), ('param', 'a\\n(2, 3)'), ('output', 'output\\n(2,)')]
    """  # noqa: E501
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if collapse not in COLLAPSE_MODES:
        raise ValueError(f"collapse must be None or 'module', got {collapse!r}")
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be an int >= 0, got {depth!r}")
    outputs = _as_outputs(output)
    names, module, trace = _resolve_params(params)
    if module is None and (collapse is not None or expand):
        raise ValueError(
            "draw_graph: collapse='module' (and expand) needs the model: pass params=model, "
            "or params=trace from `with minigrad.viz.trace_modules(model) as trace:`"
        )
    ops = collect_ops(t.grad_fn for t in outputs if t.grad_fn is not None)
    owners: dict[int, ModuleCall] = {}
    if trace is not None:
        owners = {id(op): c for op in ops if (c := trace.owner(op)) is not None}
    elif module is not None:
        types = {n: type(m).__name__ for n, m in module.named_modules()}
        param_paths = {id(p): n.rpartition(".")[0] for n, p in module.named_parameters()}
        owners = group_by_params(ops, param_paths, types)
    expand = frozenset(_expand_paths(expand, module))
    opts = Options(show_shapes, show_dtypes, show_saved, collapse, depth, expand)
    builder = _Builder(opts, names, owners)
    if module is not None:
        builder.param_sizes = _param_sizes(module)
    param_ids = set(names) if module is None else _param_ids(module)
    model = builder.build(ops, outputs, param_ids)
    model.rankdir = rankdir
    if len(model.nodes) > LARGE_GRAPH:
        warnings.warn(
            f"draw_graph: {len(model.nodes)} nodes will take Graphviz a long time to lay out; "
            "pass the model (params=model or a trace) with collapse='module'",
            stacklevel=3,
        )
    return model


def _param_ids(module: Any) -> set[int]:
    return {id(p) for p in module.parameters()}


def _param_sizes(module: Any) -> dict[str, int]:
    """Module path -> number of parameter elements under it (each tensor once)."""
    sizes: dict[str, int] = {}
    for name, p in module.named_parameters():
        parts = name.split(".")[:-1]
        for i in range(len(parts) + 1):
            path = ".".join(parts[:i])
            sizes[path] = sizes.get(path, 0) + int(p.numel())
    return sizes


def _expand_paths(expand: Iterable[str], module: Any) -> set[str]:
    """The named module paths and all their ancestors; unknown names raise."""
    if isinstance(expand, str):
        expand = [expand]
    paths: set[str] = set()
    known = {n for n, _ in module.named_modules()} if module is not None else set()
    for name in expand:
        if name not in known:
            raise ValueError(
                f"expand: no module named {name!r}; the model has "
                + ", ".join(repr(k) for k in sorted(known) if k)
            )
        parts = name.split(".")
        paths.update(".".join(parts[:i]) for i in range(len(parts) + 1))
    return paths
