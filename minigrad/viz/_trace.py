"""Which module call created which graph node: traced with forward hooks, or inferred.

:class:`ModuleTrace` hooks every sub-module of a model for the length of a ``with``
block. When a module's forward returns, the nodes reachable from its outputs that
are neither its inputs' nodes nor older than the call itself are the ones its
forward created; nodes already claimed by a nested call stay with the innermost one.
Hooks are removed on exit, and nothing is stored on tensors or graph nodes.

Without a trace, :func:`group_by_params` infers an approximate grouping from the
parameters each op uses (parameter-free modules such as ReLU then stay ungrouped).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from minigrad.tensor import Tensor

if TYPE_CHECKING:
    from minigrad.autograd import Context

Meta = tuple[tuple[int, ...], Any]


@dataclass(eq=False)
class ModuleCall:
    """One call of one module's forward (a module called twice makes two calls).

    ``path`` is its name in ``named_modules()`` (``""`` for the model itself),
    ``depth`` the number of dotted parts in it, ``parent`` the enclosing call.
    """

    index: int
    path: str
    type_name: str
    parent: ModuleCall | None
    input_nodes: frozenset[int] = frozenset()
    constant_inputs: list[tuple[Tensor, Meta]] = field(default_factory=list)
    output_meta: list[Meta] = field(default_factory=list)
    number: int = 1  # 1 for the first call of this path, 2 for the second, ...

    @property
    def depth(self) -> int:
        return 0 if not self.path else self.path.count(".") + 1

    def ancestry(self) -> list[ModuleCall]:
        """The calls from the outermost down to this one."""
        chain: list[ModuleCall] = []
        call: ModuleCall | None = self
        while call is not None:
            chain.append(call)
            call = call.parent
        return chain[::-1]


def tensors_in(value: Any) -> Iterator[Tensor]:
    """The Tensors inside a module's arguments or output (tuples, lists, dicts)."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, Tensor):
            yield v
        elif isinstance(v, (tuple, list)):
            stack.extend(reversed(v))
        elif isinstance(v, dict):
            stack.extend(reversed(list(v.values())))


class ModuleTrace:
    """A record of which module call created which graph node, during one ``with`` block.

    Pass it as ``params=`` to :func:`~minigrad.viz.draw_graph` to name parameters,
    frame each module's ops in a cluster, and collapse modules with
    ``collapse="module"``. Use :func:`~minigrad.viz.trace_modules` to make one.

    Attributes:
        module: the traced model.
        calls: every module call, in the order the calls began.

    Example:
        >>> import minigrad
        >>> from minigrad import nn, viz
        >>> net = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
        >>> with viz.trace_modules(net) as trace:
        ...     y = net(minigrad.ones(2, 4))
        >>> [(c.path, c.type_name) for c in trace.calls]
        [('', 'Sequential'), ('0', 'Linear'), ('1', 'ReLU')]
        >>> trace.owner(y.grad_fn).path
        '1'
    """

    def __init__(self, module: Any) -> None:
        if not hasattr(module, "named_modules"):
            raise TypeError(f"trace_modules: expected a Module, got {type(module).__name__}")
        self.module = module
        self.calls: list[ModuleCall] = []
        self._owner: weakref.WeakKeyDictionary[Context, ModuleCall] = weakref.WeakKeyDictionary()
        self._names = {id(m): name for name, m in module.named_modules()}
        self._stack: list[ModuleCall] = []
        self._handles: list[Any] = []
        self._counts: dict[str, int] = {}
        self._inputs: list[weakref.ref[Tensor]] = []

    def __enter__(self) -> ModuleTrace:
        for _, m in self.module.named_modules():
            self._handles.append(m.register_forward_pre_hook(self._before))
            self._handles.append(m.register_forward_hook(self._after))
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
        self._stack.clear()

    def owner(self, node: Context) -> ModuleCall | None:
        """The innermost module call that created ``node`` (``None`` if none did)."""
        return self._owner.get(node)

    def input_names(self) -> dict[int, str]:
        """``id(tensor) -> "input"`` for the model's own (still alive) input tensors."""
        alive = [t for ref in self._inputs if (t := ref()) is not None]
        if len(alive) == 1:
            return {id(alive[0]): "input"}
        return {id(t): f"input{i}" for i, t in enumerate(alive)}

    # -- hooks -----------------------------------------------------------------
    def _before(self, module: Any, args: tuple[Any, ...]) -> None:
        path = self._names[id(module)]
        self._counts[path] = self._counts.get(path, 0) + 1
        tensors = list(tensors_in(args))
        call = ModuleCall(
            index=len(self.calls),
            path=path,
            type_name=type(module).__name__,
            parent=self._stack[-1] if self._stack else None,
            input_nodes=frozenset(id(t.grad_fn) for t in tensors if t.grad_fn is not None),
            constant_inputs=[(t, (t.shape, t.dtype)) for t in tensors if not t.requires_grad],
            number=self._counts[path],
        )
        if call.parent is None:
            self._inputs.extend(weakref.ref(t) for t in tensors)
        self.calls.append(call)
        self._stack.append(call)

    def _after(self, module: Any, args: tuple[Any, ...], output: Any) -> None:
        path = self._names[id(module)]
        while self._stack and self._stack[-1].path != path:
            self._stack.pop()  # a nested forward raised: its call never finished
        if not self._stack:
            return
        call = self._stack.pop()
        outputs = list(tensors_in(output))
        call.output_meta = [(t.shape, t.dtype) for t in outputs]
        self._claim(call, [t.grad_fn for t in outputs if t.grad_fn is not None])

    def _claim(self, call: ModuleCall, roots: Sequence[Context]) -> None:
        """Give ``call`` every unclaimed node between its outputs and its inputs."""
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            if id(node) in seen or id(node) in call.input_nodes:
                continue
            seen.add(id(node))
            owner = self._owner.get(node)
            if owner is None:
                self._owner[node] = call
            elif owner.index < call.index:
                continue  # made before this call began (e.g. by an earlier sibling)
            stack.extend(c for c in node.input_nodes if c is not None)


def trace_modules(module: Any) -> ModuleTrace:
    """Record, during a ``with`` block, which module call creates which graph node.

    The trace makes :func:`~minigrad.viz.draw_graph` frame every module's ops and
    collapse modules into single boxes (``collapse="module"``). Hooks are removed
    when the block ends; tensors and the graph are left untouched.

    Args:
        module: the model (a ``minigrad.nn.Module``).

    Example:
        >>> import minigrad
        >>> from minigrad import nn, viz
        >>> net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        >>> with viz.trace_modules(net) as trace:
        ...     loss = net(minigrad.ones(5, 4)).sum()
        >>> g = viz.draw_graph(loss, params=trace, collapse="module")
        >>> sorted(n.label.split("\\n")[0] for n in g.model.nodes if n.kind == "module")
        ['0 (Linear)', '1 (ReLU)', '2 (Linear)']
    """
    return ModuleTrace(module)


def group_by_params(
    ops: Sequence[Context], param_paths: dict[int, str], module_types: dict[str, str]
) -> dict[int, ModuleCall]:
    """Infer ``id(op) -> module call`` from the parameters each op uses (no trace).

    An op belongs to the module owning the parameters it reads, directly or through
    ops that read only that module's parameters (``weight.T``); an op that reads
    parameters of several modules belongs to their closest common sub-module, if any.
    """
    calls: dict[str, ModuleCall] = {}

    def call_for(path: str) -> ModuleCall:
        # The model itself is not a call here: which unowned ops (activations, the
        # loss) happen inside its forward is unknown without a trace.
        if path not in calls:
            up = path.rpartition(".")[0]
            parent = call_for(up) if up else None
            calls[path] = ModuleCall(len(calls), path, module_types.get(path, "Module"), parent)
        return calls[path]

    owner: dict[int, ModuleCall] = {}
    weight_side: dict[int, str] = {}  # ops computed from one module's parameters only
    for op in ops:
        paths: set[str] = set()
        param_only = True
        for child, leaf, meta in zip(op.input_nodes, op.input_leaves, op.input_meta):
            if child is not None and id(child) in weight_side:
                paths.add(weight_side[id(child)])
            elif leaf is not None and id(leaf) in param_paths:
                paths.add(param_paths[id(leaf)])
            elif meta is not None:
                param_only = False  # data flows in: an activation, an input, a constant
        path = _common_prefix(paths) if paths else ""
        if not path:
            continue
        owner[id(op)] = call_for(path)
        if param_only:
            weight_side[id(op)] = path
    return owner


def _common_prefix(paths: set[str]) -> str:
    parts = [p.split(".") if p else [] for p in paths]
    common: list[str] = []
    for group in zip(*parts):
        if len(set(group)) != 1:
            break
        common.append(group[0])
    return ".".join(common)
