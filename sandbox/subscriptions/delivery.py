"""Delivery: one background thread per sandbox database sends handshakes, events and heartbeats.

Per subscription, events go out in number order, at most `max_count` per notification. A delivery that
fails (no answer, a timeout, a 5xx) is tried again after 0.5, 1, 2, 4 … 60 s, with the subscription's
status `error` and its `error` text saying what happened; later events wait behind it, so the
receiver never sees a gap the sender caused. A 4xx is the receiver refusing that notification: it is
not sent again (the refusal is kept as the error; the receiver can fetch the events with `$events`).
A `requested` subscription gets a handshake first and becomes `active` when the endpoint accepts it.
Heartbeats go out when nothing else was sent for `heartbeat` seconds.
"""

from __future__ import annotations

import fcntl
import json
import logging
import threading
import time
from typing import Any

import requests

from sandbox.db import connect, transaction
from sandbox.store import ResourceStore
from sandbox.subscriptions import store
from sandbox.subscriptions.bundles import notification
from sandbox.subscriptions.store import Sub

log = logging.getLogger(__name__)
TICK_S = 0.25
_lock = threading.Lock()
_running: dict[str, Deliverer] = {}


def poke() -> None:
    """Something new to send: wake every delivery thread now rather than at its next tick."""
    for deliverer in list(_running.values()):
        deliverer.wake.set()


def ensure_started(db_path: str, fhir_base: str) -> Deliverer:
    """The delivery thread of this database, started on first need (not in every test app)."""
    with _lock:
        found = _running.get(db_path)
        if found is None or not found.is_alive():
            found = Deliverer(db_path, fhir_base)
            _running[db_path] = found
            found.start()
        return found


class Deliverer(threading.Thread):
    def __init__(self, db_path: str, fhir_base: str) -> None:
        super().__init__(name=f"subscription-delivery:{db_path}", daemon=True)
        self.db_path, self.fhir_base = db_path, fhir_base
        self.wake = threading.Event()
        self.http = requests.Session()

    def run(self) -> None:
        self._only_deliverer()
        conn = connect(self.db_path)
        while True:
            self.wake.wait(TICK_S)
            self.wake.clear()
            try:
                for sub in store.all_subs(conn, ("requested", "active", "error")):
                    if sub.next_attempt <= time.time():
                        self._work(conn, sub)
            except Exception:   # noqa: BLE001 - the thread must outlive any one bad row
                log.exception("subscription delivery failed")
                time.sleep(1.0)

    def _only_deliverer(self) -> None:
        """Wait until no other process delivers for this database. A sandbox served by several
        processes (sandbox/server.py) starts a deliverer in each; two would send the same event twice.
        The lock is the kernel's: it goes with a process that dies, and the next in line takes over."""
        if self.db_path == ":memory:":
            return
        self._lock_file = open(f"{self.db_path}.delivery.lock", "a+")  # noqa: SIM115 - held for the thread's life
        fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX)   # blocks this thread only

    def _work(self, conn: Any, sub: Sub) -> None:
        if sub.status == "requested":
            if sub.topic:
                self._send(conn, sub, "handshake", [], handshake=True)
            else:   # plain R4 subscriptions have no handshake: active at once
                self._update(conn, sub.id, "status = CASE WHEN status = 'requested' THEN 'active' ELSE status END")
            return
        pending = store.events(conn, sub.id, sub.delivered + 1, limit=sub.max_count if sub.topic else 1)
        # Read again: an event recorded between the two reads must be counted in events-since-start.
        sub = store.get(conn, sub.id) or sub
        if pending:
            self._send(conn, sub, "event-notification", pending)
        elif sub.topic and sub.heartbeat and time.time() - sub.last_sent >= sub.heartbeat:
            self._send(conn, sub, "heartbeat", [])

    def _request(self, sub: Sub, kind: str, rows: list[Any], conn: Any) -> requests.Response:
        headers = {"Content-Type": "application/fhir+json"}
        for line in sub.headers:
            name, _, value = line.partition(":")
            if name.strip():
                headers[name.strip()] = value.strip()
        if sub.topic:
            body = notification(sub, self.fhir_base, kind, rows)
            return self.http.post(sub.endpoint, data=json.dumps(body), headers=headers, timeout=sub.timeout)
        focus = rows[0]["focus"]
        if not sub.payload:   # a plain R4 ping: an empty POST, the receiver looks up what changed
            headers.pop("Content-Type")
            return self.http.post(sub.endpoint, data=b"", headers=headers, timeout=sub.timeout)
        rtype, _, rid = focus.partition("/")
        resource = ResourceStore(conn).get(rtype, rid) or {}
        return self.http.put(f"{sub.endpoint.rstrip('/')}/{focus}", data=json.dumps(resource), headers=headers,
                             timeout=sub.timeout)

    def _send(self, conn: Any, sub: Sub, kind: str, rows: list[Any], handshake: bool = False) -> None:
        last = rows[-1]["number"] if rows else sub.delivered
        try:
            resp = self._request(sub, kind, rows, conn)
        except requests.RequestException as exc:
            return self._failed(conn, sub, f"{kind} to {sub.endpoint} failed: {type(exc).__name__}", retry=True)
        if 200 <= resp.status_code < 300:
            self._update(conn, sub.id, "delivered = MAX(delivered, ?), last_sent = ?, attempts = 0, next_attempt = 0,"
                         " last_error = NULL, status = CASE WHEN status IN ('requested', 'error') THEN 'active'"
                         " ELSE status END", last, time.time())
            return None
        detail = f"{kind} to {sub.endpoint} answered HTTP {resp.status_code}: {resp.text[:200]}"
        if 400 <= resp.status_code < 500 and not handshake:
            # Refused: sending it again would be refused again. Move past it; the error stays visible.
            self._update(conn, sub.id, "delivered = MAX(delivered, ?), last_sent = ?, attempts = 0, next_attempt = 0, "
                         "last_error = ?, status = CASE WHEN status = 'active' THEN 'error' ELSE status END",
                         last, time.time(), detail)
            return None
        return self._failed(conn, sub, detail, retry=True, handshake=handshake)

    def _failed(self, conn: Any, sub: Sub, detail: str, retry: bool, handshake: bool = False) -> None:
        attempts = sub.attempts + 1
        wait = store.backoff(attempts) if retry else 0.0
        # A failed handshake leaves the subscription `requested` (tried again); a failed delivery: `error`.
        self._update(conn, sub.id, "attempts = ?, next_attempt = ?, last_error = ?, last_sent = ?, "
                     "status = CASE WHEN status = 'active' THEN 'error' ELSE status END",
                     attempts, time.time() + wait, detail, time.time() if not handshake else sub.last_sent)
        log.info("subscription %s: %s (attempt %d, next in %.1fs)", sub.id, detail, attempts, wait)

    @staticmethod
    def _update(conn: Any, sid: str, assignments: str, *args: Any) -> None:
        with transaction(conn, immediate=True):
            conn.execute(f"UPDATE subscriptions SET {assignments} WHERE id = ?", (*args, sid))  # noqa: S608
