"""Serving the demo with waitress, in the foreground or in a background thread.

Example:
    >>> import json, urllib.request
    >>> import numpy as np
    >>> from demo.app import create_app
    >>> from demo.server import serve_in_background
    >>> app = create_app(predict_fn=lambda batch: np.eye(10)[[7] * len(batch)])
    >>> with serve_in_background(app) as url:
    ...     with urllib.request.urlopen(url + "api/health", timeout=10) as response:
    ...         json.load(response)
    {'status': 'ok'}
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from demo.app import MAX_CONTENT_LENGTH

#: waitress's own body limit sits well above Flask's, so that Flask answers oversized
#: bodies with its JSON 400; only bodies past this (64 MiB) get waitress's plain 413.
WAITRESS_BODY_LIMIT = 8 * MAX_CONTENT_LENGTH


def make_server(app: Any, host: str = "127.0.0.1", port: int = 8000, threads: int = 4) -> Any:
    """A waitress server for ``app`` bound to ``host:port`` (port 0 picks a free one).

    Call ``.run()`` to serve (until interrupted); ``.effective_port`` is the port
    actually bound. :func:`serve_in_background` shows it at work.
    """
    import waitress.server

    return waitress.server.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=WAITRESS_BODY_LIMIT,
        ident="minigrad-demo",
    )


@contextmanager
def serve_in_background(app: Any, threads: int = 4) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 at a free port in a thread; yields the base URL.

    The server stops when the ``with`` block ends. Useful in tests and notebooks.
    """
    server = make_server(app, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, name="demo-waitress", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/"
    finally:
        stop(server)
        thread.join(timeout=5)


def stop(server: Any) -> None:
    """Stop a server that :func:`make_server` made and another thread runs.

    The sockets are closed by the server's own thread (through waitress's
    trigger), so its event loop ends cleanly; then the worker threads stop.
    """

    def close_everything() -> None:
        for channel in list(server.active_channels.values()):
            channel.close()
        server.close()

    server.trigger.pull_trigger(close_everything)
    server.task_dispatcher.shutdown(timeout=5)
