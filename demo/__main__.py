"""Serve the digit-drawing demo with waitress: ``python -m demo [--host H] [--port P]``.

The pretrained LeNet-5 is loaded once, before the server starts listening.

Example:
    >>> from demo.__main__ import parse_args
    >>> args = parse_args(["--port", "8123", "--threads", "2"])
    >>> args.host, args.port, args.threads
    ('127.0.0.1', 8123, 2)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from train.cli import add_common_flags, guarded


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (see ``python -m demo --help``)."""
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description="Draw a digit in the browser and see what the pretrained LeNet-5 says.",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to listen on (default: 127.0.0.1; 0.0.0.0 lets phones on your network in)",
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument(
        "--threads", type=int, default=4, help="worker threads answering requests (default: 4)"
    )
    parser.add_argument(
        "--weights", default=None, help="LeNet-5 state dict (default: the pretrained weights)"
    )
    add_common_flags(parser)
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, got {args.port}")
    if args.threads < 1:
        parser.error(f"--threads must be at least 1, got {args.threads}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Load and check the model, then serve the demo until interrupted; returns the exit status.

    Problems (missing Flask, missing or broken weights) are ``error: ...`` on
    stderr with exit status 2; ``--debug`` shows the traceback instead.
    """
    args = parse_args(argv)
    return guarded(lambda: _serve(args), args.debug, "python -m demo")


def _serve(args: argparse.Namespace) -> int:
    try:
        from demo.app import create_app, lenet_predictor
        from demo.server import make_server
    except ImportError as error:
        raise RuntimeError(
            f"demo: {error.name} is missing; install the demo extra: pip install -e '.[demo]'"
        ) from None
    predictor = lenet_predictor(args.weights, allow_nonfinite=args.allow_nonfinite)
    app = create_app(predict_fn=predictor)
    server = make_server(app, host=args.host, port=args.port, threads=args.threads)
    print(
        f"demo: LeNet-5 loaded; open http://{args.host}:{server.effective_port}/ (Ctrl+C stops)",
        flush=True,
    )
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
