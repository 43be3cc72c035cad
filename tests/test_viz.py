"""minigrad.viz: graph structure, styling, module collapsing, rendering, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minigrad
from minigrad import viz
from minigrad.viz.__main__ import main as cli_main

REPO = Path(__file__).resolve().parent.parent


def ops_named(model: viz.GraphModel, name: str) -> list:
    return [n for n in model.nodes if n.kind == "op" and n.label.split("\n")[0] == name]


def in_edges(model: viz.GraphModel, node_id: str) -> list:
    return [e for e in model.edges if e.dst == node_id and not e.saved]


def out_edges(model: viz.GraphModel, node_id: str) -> list:
    return [e for e in model.edges if e.src == node_id and not e.saved]


# --------------------------------------------------------------------------- structure


def test_known_expression_gives_exactly_these_nodes_and_edges():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    c = minigrad.tensor([3.0, 4.0])  # no grad: a dashed constant
    y = (x * x + c).sum()
    model = viz.build_graph(y, params={"x": x})
    mul, add = "MulBackward0\n(2,)", "AddBackward0\n(2,)"
    total = "SumBackward0\ndim=(0,), keepdim=False\n()"
    assert model.structure() == {
        "nodes": sorted(
            [
                ("op", mul),
                ("op", add),
                ("op", total),
                ("param", "x\n(2,)"),
                ("constant", "(2,)"),
                ("output", "output\n()"),
            ]
        ),
        "edges": sorted(
            [
                ("x\n(2,)", mul),
                ("x\n(2,)", mul),  # x * x: one node, two edges
                (mul, add),
                ("(2,)", add),
                (add, total),
                (total, "output\n()"),
            ]
        ),
    }


def test_shared_subexpression_is_drawn_once_with_one_edge_per_use():
    x = minigrad.tensor([0.5, 1.5], requires_grad=True)
    h = x.exp()
    y = h * h.sin()
    model = viz.build_graph(y)
    (exp,) = ops_named(model, "ExpBackward0")
    assert sorted(model.node(e.dst).label.split("\n")[0] for e in out_edges(model, exp.id)) == [
        "MulBackward0",
        "SinBackward0",
    ]
    (leaf,) = [n for n in model.nodes if n.kind == "leaf"]
    assert len(out_edges(model, leaf.id)) == 1


def test_tuple_of_outputs_shares_the_common_graph():
    x = minigrad.ones(3, requires_grad=True)
    h = x * 2.0
    model = viz.build_graph((h.sum(), h.exp()))
    assert model.count("output") == 2
    assert len(ops_named(model, "MulBackward0")) == 1
    assert model.count("op") == 3


def test_leaf_output_and_untracked_output():
    x = minigrad.ones(2, requires_grad=True)
    assert [n.kind for n in viz.build_graph(x).nodes] == ["output"]
    assert [n.kind for n in viz.build_graph(minigrad.zeros(2) * 3).nodes] == ["output"]


def _random_graph(choices: list[tuple[int, int, int]]) -> tuple[minigrad.Tensor, list]:
    """Build a graph from drawn (op, a, b) triples; a and b pick earlier tensors (reuse)."""
    rng = np.random.default_rng(0)
    leaves = [minigrad.tensor(rng.uniform(0.5, 1.5, 3), requires_grad=True) for _ in range(3)]
    pool = list(leaves)
    for op, a, b in choices:
        x, y = pool[a % len(pool)], pool[b % len(pool)]
        z = [x + y, x * y, x.tanh(), (x - y).sigmoid()][op]
        pool.append(z)
    return sum(pool[3:], pool[0]).sum(), leaves


def _reachable(root) -> list:
    seen, stack = {}, [root]
    while stack:
        node = stack.pop()
        if node is not None and id(node) not in seen:
            seen[id(node)] = node
            stack.extend(node.input_nodes)
    return list(seen.values())


graphs = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 50), st.integers(0, 50)), min_size=1, max_size=12
)


@given(graphs)
def test_every_node_drawn_once_and_every_input_an_edge(choices):
    y, _ = _random_graph(choices)
    model = viz.build_graph(y)
    nodes = _reachable(y.grad_fn)
    assert model.count("op") == len(nodes)
    data_edges = [e for e in model.edges if not e.saved]
    inputs = sum(sum(m is not None for m in n.input_meta) for n in nodes)
    assert len(data_edges) == inputs + 1  # + the edge to the output node
    ids = [n.id for n in model.nodes]
    assert len(ids) == len(set(ids))


@given(graphs)
def test_drawing_before_backward_changes_no_gradient(choices):
    y1, leaves1 = _random_graph(choices)
    y2, leaves2 = _random_graph(choices)
    g = viz.draw_graph(y2, show_saved=True, show_dtypes=True)
    assert g.source
    y1.backward()
    y2.backward()
    for a, b in zip(leaves1, leaves2):
        if a.grad is None:
            assert b.grad is None
        else:
            np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


def test_drawing_neither_retains_nor_frees_the_graph():
    x = minigrad.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    viz.save(viz.draw_graph(y, show_saved=True), Path(os.devnull), format="dot")
    y.backward()  # saved values were still there
    np.testing.assert_allclose(x.grad.numpy(), np.exp([1.0, 2.0]) * [2.0, 3.0], rtol=1e-6)
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()  # ...and freed by backward as usual, not kept alive by drawing
    assert viz.build_graph(y, show_saved=True).count("saved") == 0  # a freed graph draws


# --------------------------------------------------------------------------- labels and styles


def test_labels_carry_op_arguments_shapes_and_dtypes():
    x = minigrad.ones(2, 3, requires_grad=True)
    y = x.sum(dim=1, keepdim=True)
    (op,) = viz.build_graph(y, show_dtypes=True).nodes[:1]
    assert op.label == "SumBackward0\ndim=(1,), keepdim=True\n(2, 1) float32"
    bare = viz.build_graph(y, show_shapes=False)
    assert [n.label for n in bare.nodes] == [
        "SumBackward0\ndim=(1,), keepdim=True",
        "leaf",
        "output",
    ]


def test_kinds_are_styled_apart():
    w = minigrad.ones(2, requires_grad=True)
    b = minigrad.ones(2, requires_grad=True)
    y = (w * minigrad.tensor([1.0, 2.0]) + b).exp()
    g = viz.draw_graph(y, params={"w": w}, show_saved=True)
    assert {n.kind for n in g.model.nodes} == {"op", "param", "leaf", "constant", "output", "saved"}
    src = g.source
    for colour in ("lightblue", "darkolivegreen1", "orange", "#ffe49c", "dashed"):
        assert colour in src
    assert "style=dotted" in src  # the saved-tensor edge


def test_saved_values_point_back_to_their_tensors():
    w = minigrad.ones(2, 2, requires_grad=True)
    x = minigrad.ones(2, requires_grad=True)
    h = (x * 2.0).reshape(1, 2)
    y = (h @ w).exp()  # MatMul saves h (an intermediate) and w (a parameter); exp its result
    model = viz.build_graph(y, params={"w": w}, show_saved=True)

    def saved_into(op):
        return sorted(model.node(e.src).label for e in model.edges if e.saved and e.dst == op.id)

    (mm,) = ops_named(model, "MatMulBackward0")
    assert saved_into(mm) == ["ReshapeBackward0\nshape=(1, 2)\n(1, 2)", "w\n(2, 2)"]
    (exp,) = ops_named(model, "ExpBackward0")
    assert saved_into(exp) == ["result\n(1, 2)"]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rankdir": "UP"}, "rankdir"),
        ({"collapse": "layer"}, "collapse"),
        ({"collapse": "module"}, "needs the model"),
        ({"params": [1, 2]}, "params should be"),
        ({"params": {"w": 3.0}}, "should be a Tensor"),
    ],
)
def test_bad_arguments_say_what_was_expected(kwargs, match):
    x = minigrad.ones(2, requires_grad=True)
    with pytest.raises((ValueError, TypeError), match=match):
        viz.draw_graph(x * 2, **kwargs)
    with pytest.raises(TypeError, match="Tensor or a tuple"):
        viz.draw_graph([1.0])


def test_rankdir_reaches_the_dot_source():
    x = minigrad.ones(2, requires_grad=True)
    assert "rankdir=LR" in viz.draw_graph(x.exp(), rankdir="LR").source


# --------------------------------------------------------------------------- rendering


def test_missing_dot_says_how_to_install_it(tmp_path, monkeypatch):
    x = minigrad.ones(2, requires_grad=True)
    g = viz.draw_graph(x.exp())
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without dot
    with pytest.raises(viz.GraphvizNotFoundError, match="apt-get install graphviz"):
        g.pipe(format="svg")
    with pytest.raises(viz.GraphvizNotFoundError, match=r"\.source"):
        viz.save(g, tmp_path / "g.svg")
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        g.render(tmp_path / "g", format="png")
    assert "ExpBackward0" in g.source  # the source is still there
    assert viz.save(g, tmp_path / "g.dot").read_text().startswith("digraph")


def test_save_picks_the_format_from_the_suffix(tmp_path):
    x = minigrad.ones(2, requires_grad=True)
    g = viz.draw_graph(x.exp())
    assert viz.save(g, tmp_path / "a.svg").read_text().lstrip().startswith("<?xml")
    assert viz.save(g, tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"
    assert viz.save(g, tmp_path / "a.pdf").read_bytes()[:4] == b"%PDF"
    with pytest.raises(ValueError, match="suffix"):
        viz.save(g, tmp_path / "a.jpeg")


# --------------------------------------------------------------------------- modules

nn = pytest.importorskip("minigrad.nn")
F = nn.functional


def lenet():
    from models.lenet import LeNet5

    return LeNet5()


def lenet_loss(model):
    x = minigrad.randn(2, 1, 28, 28)
    with viz.trace_modules(model) as trace:
        logits = model(x)
    return F.cross_entropy(logits, minigrad.tensor([3, 7])), trace


def box_titles(model: viz.GraphModel) -> list[str]:
    return [n.label.split("\n")[0] for n in model.nodes if n.kind == "module"]


def test_lenet_forward_and_loss_render_to_svg_naming_every_parameter():
    model = lenet()
    loss, trace = lenet_loss(model)
    svg = viz.draw_graph(loss, params=trace).pipe(format="svg").decode()
    names = [n for n, _ in model.named_parameters()]
    assert len(names) == 10
    for name in names:
        assert f">{name}<" in svg
    assert "padding=(2, 2, 2, 2)" in svg  # conv1's salient arguments
    assert "kernel_size=(2, 2), stride=(2, 2)" in svg
    for title in ("conv1 (Conv2d)", "pool2 (MaxPool2d)", "fc3 (Linear)"):
        assert title in svg  # each module's ops are framed and titled
    # params=model (no trace) names them as well
    svg = viz.draw_graph(loss, params=model).pipe(format="svg").decode()
    assert all(f">{name}<" in svg for name in names)


def test_lenet_collapsed_is_one_box_per_layer():
    model = lenet()
    loss, trace = lenet_loss(model)
    g = viz.draw_graph(loss, params=trace, collapse="module")
    children = [n for n, _ in model.named_children()]
    assert box_titles(g.model) == [f"{n} ({type(getattr(model, n)).__name__})" for n in children]
    assert g.model.count("param") == 0  # each weight is inside its layer's box
    (conv1,) = [n for n in g.model.nodes if n.label.startswith("conv1")]
    assert conv1.label == "conv1 (Conv2d)\n(2, 6, 28, 28)\n156 params"
    assert [c.label for c in g.model.clusters] == ["LeNet5"]
    assert g.pipe(format="svg").lstrip().startswith(b"<?xml")


def test_collapse_without_a_trace_groups_ops_by_their_parameters():
    model = lenet()
    loss = F.cross_entropy(model(minigrad.randn(1, 1, 28, 28)), minigrad.tensor([1]))
    m = viz.build_graph(loss, params=model, collapse="module")
    assert box_titles(m) == [
        "conv1 (Conv2d)",
        "conv2 (Conv2d)",
        "fc1 (Linear)",
        "fc2 (Linear)",
        "fc3 (Linear)",
    ]
    assert len(ops_named(m, "ReluBackward0")) == 4  # parameter-free: plain ops
    assert m.count("param") == 0


def test_draw_module_traces_one_forward():
    g = viz.draw_module(lenet(), (1, 1, 28, 28))
    assert box_titles(g.model)[:3] == ["conv1 (Conv2d)", "relu1 (ReLU)", "pool1 (MaxPool2d)"]
    assert [n.label for n in g.model.nodes if n.kind == "leaf"] == ["input\n(1, 1, 28, 28)"]
    assert [n.label for n in g.model.nodes if n.kind == "output"] == ["output\n(1, 10)"]
    full = viz.draw_module(lenet(), (1, 1, 28, 28), collapse=None)
    assert full.model.count("module") == 0 and full.model.count("param") == 10


def test_draw_module_leaves_the_module_and_the_random_state_alone():
    net = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6), nn.Dropout(0.5), nn.Linear(6, 2))
    before = {k: np.array(v, copy=True) for k, v in net.state_dict().items()}
    minigrad.manual_seed(3)
    viz.draw_module(net, (8, 4))
    after_draw = minigrad.rand(4).numpy()
    minigrad.manual_seed(3)
    assert np.array_equal(minigrad.rand(4).numpy(), after_draw)
    for k, v in net.state_dict().items():
        np.testing.assert_array_equal(v, before[k], err_msg=k)
    assert all(p.grad is None for p in net.parameters())
    assert not net._forward_hooks and not net[0]._forward_pre_hooks  # hooks removed
    net(minigrad.randn(8, 4))  # a real forward does move the statistics
    assert not np.array_equal(net.state_dict()["1.running_mean"], before["1.running_mean"])


def test_a_module_called_twice_is_two_boxes():
    act = nn.Tanh()
    net = nn.Sequential(nn.Linear(3, 3), act, nn.Linear(3, 3), act)
    g = viz.draw_module(net, (2, 3))
    assert box_titles(g.model) == ["0 (Linear)", "1 (Tanh)", "2 (Linear)", "1 (Tanh) #2"]


def nested() -> nn.Module:
    def block() -> nn.Module:
        return nn.Sequential(nn.Linear(4, 4), nn.ReLU())

    return nn.Sequential(block(), block())


@pytest.mark.parametrize(
    ("kwargs", "boxes", "clusters"),
    [
        ({}, ["0 (Sequential)", "1 (Sequential)"], ["Sequential"]),
        ({"depth": 0}, ["Sequential"], []),
        (
            {"depth": 2},
            ["0.0 (Linear)", "0.1 (ReLU)", "1.0 (Linear)", "1.1 (ReLU)"],
            ["Sequential", "0 (Sequential)", "1 (Sequential)"],
        ),
        (
            {"expand": ["0"]},
            ["0.0 (Linear)", "0.1 (ReLU)", "1 (Sequential)"],
            ["Sequential", "0 (Sequential)"],
        ),
        (
            {"expand": ["1.0"]},
            ["0 (Sequential)", "1.1 (ReLU)"],
            ["Sequential", "1 (Sequential)", "1.0 (Linear)"],
        ),
    ],
)
def test_depth_and_expand_choose_boxes_and_frames(kwargs, boxes, clusters):
    g = viz.draw_module(nested(), (2, 4), **kwargs)
    assert box_titles(g.model) == boxes
    assert [c.label for c in g.model.clusters] == clusters


def test_expanding_an_unknown_module_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"no module named 'layer1'.*'0', '0.0'"):
        viz.draw_module(nested(), (2, 4), expand=["layer1"])


class Block(nn.Module):
    """A linear layer followed by a long chain of cheap elementwise ops."""

    def __init__(self, steps: int):
        super().__init__()
        self.fc = nn.Linear(8, 8)
        self.steps = steps

    def forward(self, x):
        h = self.fc(x)
        for _ in range(self.steps):
            h = h * 0.5 + h.tanh()
        return h


def test_ten_thousand_ops_collapse_to_a_few_boxes_and_render():
    net = nn.Sequential(*[Block(170) for _ in range(20)])
    with viz.trace_modules(net) as trace:
        loss = net(minigrad.randn(4, 8)).sum()
    assert len(_reachable(loss.grad_fn)) > 10_000
    g = viz.draw_graph(loss, params=trace, collapse="module")
    assert g.model.count("module") == 20
    assert len(g.model.nodes) < 30
    assert all("511 ops, 72 params" in n.label for n in g.model.nodes if n.kind == "module")
    assert g.pipe(format="svg").lstrip().startswith(b"<?xml")


# --------------------------------------------------------------------------- command line


def test_cli_writes_a_file(tmp_path, capsys):
    out = tmp_path / "lenet.svg"
    assert cli_main(["models.lenet:LeNet5", "--input-shape", "1,1,28,28", "-o", str(out)]) == 0
    svg = out.read_text()
    assert svg.lstrip().startswith("<?xml") and "conv1 (Conv2d)" in svg
    assert "wrote" in capsys.readouterr().err
    pdf = tmp_path / "ops.pdf"
    args = ["models.lenet:LeNet5", "--input-shape", "1,1,28,28", "--collapse", "none"]
    assert cli_main([*args, "--rankdir", "LR", "-o", str(pdf)]) == 0
    assert pdf.read_bytes()[:4] == b"%PDF"


def test_cli_runs_as_a_module(tmp_path):
    out = tmp_path / "lenet.dot"
    cmd = [sys.executable, "-m", "minigrad.viz", "models.lenet:LeNet5"]
    cmd += ["--input-shape", "1,1,28,28", "--expand", "fc1", "-o", str(out)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().startswith("digraph") and "MatmulAddBiasBackward0" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["models.lenet", "--input-shape", "1,1,28,28"], "module:ClassName"),
        (["models.nothere:X", "--input-shape", "1,4"], "cannot import 'models.nothere'"),
        (["models.lenet:Nope", "--input-shape", "1,4"], "no attribute 'Nope'"),
        (["models.lenet:LeNet5", "--input-shape", "1,a"], "expected integers"),
        (["models.lenet:LeNet5", "--input-shape", "1,1,28,28", "-o", "g.jpeg"], "suffix"),
        (["models.lenet:LeNet5", "--input-shape", "1,1,28,28", "--expand", "x"], "no module"),
        (["models.lenet:LeNet5"], "--input-shape"),
        (["models.lenet:LeNet5", "--input-shape", "1,1,28"], "failed on an input of shape 1,1,28"),
    ],
)
def test_cli_errors_are_clear(args, message, capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main(args)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_without_dot_explains_and_still_writes_dot(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    args = ["models.lenet:LeNet5", "--input-shape", "1,1,28,28"]
    assert cli_main([*args, "-o", str(tmp_path / "g.svg")]) == 1
    assert "apt-get install graphviz" in capsys.readouterr().err
    assert cli_main([*args, "-o", str(tmp_path / "g.dot")]) == 0
