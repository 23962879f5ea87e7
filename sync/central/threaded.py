"""The central served by uvicorn in a thread of the calling process, on loopback.

For the demo's embedded central (DESIGN.md §10) and for tests: a real HTTP server on a free
port of 127.0.0.1, started and stopped from Python. ``localhr central serve`` runs the
central as its own process instead.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn

START_TIMEOUT_S = 15.0


class ThreadedServer:
    """``app`` served on ``127.0.0.1`` at a free port until :meth:`stop`."""

    def __init__(self, app: Any, *, name: str = "central") -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on", loop="asyncio", http="h11")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._sock]},
            name=f"{name}:{self.port}",
            daemon=True,
        )

    def start(self) -> ThreadedServer:
        """Start serving; returns once the server answers (RuntimeError if it cannot)."""
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._sock.close()
                raise RuntimeError("the central did not start")
            time.sleep(0.01)
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout_s: float = 15.0) -> bool:
        """Ask the server to finish its requests and end; True once its thread has."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout_s)
        self._sock.close()
        return not self._thread.is_alive()
