"""Command line: draw a model's graph to SVG, PNG, PDF or DOT.

    python -m minigrad.viz models.lenet:LeNet5 --input-shape 1,1,28,28 -o lenet.svg
    python -m minigrad.viz models.lenet:LeNet5 --input-shape 1,1,28,28 --collapse none -o ops.pdf
    python -m minigrad.viz mypkg.nets:make_net --input-shape 8,32 --format dot -o -

The target is ``module:attribute``: a Module class, or any callable that takes no
argument and returns a Module.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from minigrad.viz._build import RANKDIRS
from minigrad.viz._draw import draw_module
from minigrad.viz._render import FORMATS, GraphvizNotFoundError, explain_missing_dot, format_for


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m minigrad.viz",
        description="Trace one forward pass of a model and draw its computation graph.",
    )
    p.add_argument("target", help="the model, as module:Class or module:factory (no arguments)")
    p.add_argument(
        "--input-shape",
        required=True,
        action="append",
        metavar="N,C,H,W",
        help="comma-separated input shape, e.g. 1,1,28,28 (repeat for several inputs)",
    )
    p.add_argument("-o", "--output", help="file to write ('-' for stdout; default <Class>.svg)")
    p.add_argument("--format", choices=FORMATS, help="output format (default: from -o's suffix)")
    p.add_argument(
        "--collapse",
        choices=("module", "none"),
        default="module",
        help="'module': one box per module (default); 'none': every op, framed by module",
    )
    p.add_argument(
        "--depth", type=int, default=1, help="module nesting level drawn as boxes (default 1)"
    )
    p.add_argument(
        "--expand",
        action="append",
        default=[],
        metavar="NAME",
        help="open this module into a frame of its parts (repeatable), e.g. layer1",
    )
    p.add_argument("--rankdir", choices=RANKDIRS, default="TB", help="layout direction")
    p.add_argument("--dtypes", action="store_true", help="show dtypes")
    p.add_argument("--no-shapes", action="store_true", help="hide shapes")
    return p


def _parse_shape(parser: argparse.ArgumentParser, text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(s) for s in text.replace("x", ",").split(",") if s.strip())
    except ValueError:
        parser.error(f"--input-shape: expected integers separated by commas, got {text!r}")
    if not shape or any(d < 0 for d in shape):
        parser.error(f"--input-shape: expected non-negative sizes like 1,1,28,28, got {text!r}")
    return shape


def _load(parser: argparse.ArgumentParser, target: str) -> Any:
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        parser.error(f"target must look like package.module:ClassName, got {target!r}")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as e:
        parser.error(f"cannot import {module_name!r}: {e}")
    for part in attr.split("."):
        if not hasattr(obj, part):
            parser.error(f"{module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if not callable(obj):
        parser.error(f"{target} is not a class or a callable")
    try:
        model = obj()
    except TypeError as e:
        parser.error(f"cannot build {target} without arguments: {e}")
    if not hasattr(model, "named_modules"):
        parser.error(f"{target}() returned a {type(model).__name__}, not a Module")
    return model


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Example:
        >>> import io, contextlib
        >>> from minigrad.viz.__main__ import main
        >>> out = io.StringIO()
        >>> with contextlib.redirect_stdout(out):
        ...     main(["minigrad.nn:Tanh", "--input-shape", "2,3", "-o", "-"])
        0
        >>> out.getvalue().startswith("digraph")
        True
    """
    parser = _parser()
    args = parser.parse_args(argv)
    shapes = [_parse_shape(parser, s) for s in args.input_shape]
    if args.depth < 0:
        parser.error(f"--depth must be >= 0, got {args.depth}")
    model = _load(parser, args.target)
    out = args.output or f"{type(model).__name__.lower()}.{args.format or 'svg'}"
    try:
        fmt = format_for(out, args.format) if out != "-" else (args.format or "dot")
    except ValueError as e:
        parser.error(str(e))
    known = [name for name, _ in model.named_modules() if name]
    for name in args.expand:
        if name not in known:
            parser.error(f"--expand: no module named {name!r}; the model has {', '.join(known)}")
    try:
        graph = draw_module(
            model,
            shapes[0] if len(shapes) == 1 else shapes,
            show_shapes=not args.no_shapes,
            show_dtypes=args.dtypes,
            rankdir=args.rankdir,
            collapse=None if args.collapse == "none" else "module",
            depth=args.depth,
            expand=args.expand,
        )
    except Exception as e:  # the model's own forward failed: say on what input
        shown = " and ".join(",".join(map(str, s)) for s in shapes)
        parser.error(f"{args.target} failed on an input of shape {shown}: {type(e).__name__}: {e}")
    try:
        if fmt == "dot":
            data = graph.source.encode()
        else:
            with explain_missing_dot():
                data = graph.pipe(format=fmt)
    except GraphvizNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if out == "-":
        if fmt == "dot":
            sys.stdout.write(graph.source)
        else:
            sys.stdout.buffer.write(data)
        return 0
    Path(out).write_bytes(data)
    assert graph.model is not None
    print(f"wrote {out} ({len(graph.model.nodes)} nodes, {fmt})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
