"""A local webhook receiver for subscription tests: records every request (method, path, headers, body)
and answers with the next status of a script (then 200), as an app that is down, slow or refusing would."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    at: float


class HookReceiver:
    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.statuses: list[int] = []   # answered in order, then 200
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                self._record("POST")

            def do_PUT(self) -> None:  # noqa: N802
                self._record("PUT")

            def _record(self, method: str) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw) if raw else None
                with receiver._lock:
                    receiver.hits.append(Hit(method, self.path, dict(self.headers), body, time.time()))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def bundles(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Notification Bundles received (optionally of one notification type)."""
        found = [h.body for h in list(self.hits) if isinstance(h.body, dict) and h.body.get("type") == "history"]
        return [b for b in found if kind is None or notification_type(b) == kind]

    def wait_for(self, kind: str, count: int = 1, timeout: float = 15.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.bundles(kind)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{count} {kind} notification(s) not received in {timeout}s; got {self.hits}")


def status_params(bundle: dict[str, Any]) -> dict[str, Any]:
    params = bundle["entry"][0]["resource"]["parameter"]
    return {p["name"]: p for p in params}


def notification_type(bundle: dict[str, Any]) -> str:
    return str(status_params(bundle)["type"]["valueCode"])


def event_numbers(bundle: dict[str, Any]) -> list[int]:
    params = bundle["entry"][0]["resource"]["parameter"]
    return [int(part["valueString"]) for p in params if p["name"] == "notification-event"
            for part in p["part"] if part["name"] == "event-number"]


@contextmanager
def hook_receiver() -> Iterator[HookReceiver]:
    receiver = HookReceiver()
    threading.Thread(target=receiver._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    try:
        yield receiver
    finally:
        receiver._httpd.shutdown()
        receiver._httpd.server_close()
