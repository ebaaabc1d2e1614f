"""A tiny local HTTP server for unit tests of code that fetches or posts JSON (SMART discovery, JWKS,
style documents, an OpenAI-compatible API): routes map a path to (status, JSON body); every request
is recorded, with the body of every POST (JSON parsed, anything else as text)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

POLL_SECONDS = 0.01


class JsonServer:
    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, Any]] = {}
        self.hits: list[str] = []
        self.posted: list[Any] = []   # the JSON body of every POST, in order
        # Answers that depend on the request's headers (path, headers) -> (status, body), or None for `routes`.
        self.answer: Callable[[str, Message], tuple[int, Any] | None] | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self._answer()

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    server.posted.append(json.loads(raw))
                except ValueError:   # a form post (an OAuth token request): kept as text
                    server.posted.append(raw.decode())
                self._answer()

            def _answer(self) -> None:
                server.hits.append(self.path)
                answered = server.answer(self.path, self.headers) if server.answer is not None else None
                status, body = answered or server.routes.get(self.path.split("?")[0], (404, {"error": "not found"}))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> JsonServer:
        # shutdown() waits for serve_forever's next poll; the default 0.5 s poll made every stop wait
        # half a second (about 10 s over the unit run). A 10 ms poll is idle cost nobody notices.
        threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": POLL_SECONDS},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def json_server() -> Iterator[JsonServer]:
    server = JsonServer().start()
    try:
        yield server
    finally:
        server.stop()
