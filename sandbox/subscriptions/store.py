"""Subscriptions and their numbered events, in the sandbox's SQLite file (tables of their own).

`record_change()` is the one hook the FHIR API calls, inside the transaction that writes a resource:
every live subscription the change triggers gets its next event number, so numbering and the write
are atomic and an event is never numbered twice. The delivery thread (`delivery.py`) sends what is
recorded, in order.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from sandbox.store import now_instant
from sandbox.subscriptions.topics import (
    TOPICS,
    criteria_fires,
    criteria_match,
    note_encounter,
    topic_fires,
)

Resource = dict[str, Any]
LIVE = ("active", "error")   # statuses that collect events ("requested" waits for its handshake)

SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (
    id TEXT PRIMARY KEY,
    client_id TEXT,
    status TEXT NOT NULL,
    topic TEXT,
    criteria TEXT NOT NULL,
    filters TEXT NOT NULL DEFAULT '[]',
    endpoint TEXT NOT NULL,
    headers TEXT NOT NULL DEFAULT '[]',
    payload TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT 'id-only',
    heartbeat INTEGER NOT NULL DEFAULT 0,
    timeout INTEGER NOT NULL DEFAULT 10,
    max_count INTEGER NOT NULL DEFAULT 1,
    events INTEGER NOT NULL DEFAULT 0,
    delivered INTEGER NOT NULL DEFAULT 0,
    last_sent REAL NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS subscription_events (
    subscription_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    focus TEXT NOT NULL,
    context TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (subscription_id, number)
);
"""


def init_tables(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


@dataclass
class Sub:
    id: str
    client_id: str | None
    status: str
    topic: str | None
    criteria: str
    filters: list[str]
    endpoint: str
    headers: list[str]
    payload: str
    content: str
    heartbeat: int
    timeout: int
    max_count: int
    events: int
    delivered: int
    last_sent: float
    next_attempt: float
    attempts: int
    last_error: str | None
    body: Resource

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Sub:
        data = dict(row)
        body = json.loads(data.pop("json"))
        data["filters"] = json.loads(data["filters"])
        data["headers"] = json.loads(data["headers"])
        return cls(body=body, **data)


def get(conn: sqlite3.Connection, sid: str) -> Sub | None:
    row = conn.execute("SELECT * FROM subscriptions WHERE id = ?", (sid,)).fetchone()
    return Sub.from_row(row) if row else None


def all_subs(conn: sqlite3.Connection, statuses: tuple[str, ...] | None = None) -> list[Sub]:
    if statuses:
        marks = ",".join("?" * len(statuses))
        rows = conn.execute(f"SELECT * FROM subscriptions WHERE status IN ({marks}) ORDER BY rowid",  # noqa: S608
                            statuses).fetchall()
    else:
        rows = conn.execute("SELECT * FROM subscriptions ORDER BY rowid").fetchall()
    return [Sub.from_row(r) for r in rows]


def save(conn: sqlite3.Connection, sub: Sub) -> None:
    """Insert or replace the whole row (callers hold the transaction)."""
    conn.execute(
        "INSERT OR REPLACE INTO subscriptions (id, client_id, status, topic, criteria, filters, endpoint, headers,"
        " payload, content, heartbeat, timeout, max_count, events, delivered, last_sent, next_attempt, attempts,"
        " last_error, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sub.id, sub.client_id, sub.status, sub.topic, sub.criteria, json.dumps(sub.filters), sub.endpoint,
         json.dumps(sub.headers), sub.payload, sub.content, sub.heartbeat, sub.timeout, sub.max_count, sub.events,
         sub.delivered, sub.last_sent, sub.next_attempt, sub.attempts, sub.last_error, json.dumps(sub.body)))


def delete(conn: sqlite3.Connection, sid: str) -> bool:
    gone = conn.execute("DELETE FROM subscriptions WHERE id = ?", (sid,)).rowcount
    conn.execute("DELETE FROM subscription_events WHERE subscription_id = ?", (sid,))
    return bool(gone)


def events(conn: sqlite3.Connection, sid: str, since: int, until: int | None = None,
           limit: int = 1000) -> list[sqlite3.Row]:
    rows: list[sqlite3.Row] = conn.execute(
        "SELECT * FROM subscription_events WHERE subscription_id = ? AND number >= ? AND number <= ? "
        "ORDER BY number LIMIT ?", (sid, since, until if until is not None else 2**62, limit)).fetchall()
    return rows


def _filters_pass(sub: Sub, resource: Resource, fhir_base: str) -> bool:
    for raw in sub.filters:
        query = raw if "?" in raw else f"{resource['resourceType']}?{raw}"
        if query.partition("?")[0] != resource["resourceType"]:
            continue   # a filter on another type of this topic
        if not criteria_match(query, resource, fhir_base):
            return False
    return True


def _fires(sub: Sub, before: Resource | None, after: Resource, fhir_base: str) -> bool:
    if sub.topic:
        topic = TOPICS.get(sub.topic)
        return topic is not None and topic_fires(topic, before, after) and _filters_pass(sub, after, fhir_base)
    try:
        return criteria_fires(sub.criteria, before, after, fhir_base)
    except ValueError:
        return False


def record_change(conn: sqlite3.Connection, before: Resource | None, after: Resource, fhir_base: str) -> int:
    """Number an event on every live subscription this write triggers; returns how many were recorded.

    Called inside the write's transaction. Cheap when nobody subscribes (one indexed query)."""
    subs = all_subs(conn, LIVE)
    if not subs:
        return 0
    recorded = 0
    focus = f"{after['resourceType']}/{after['id']}"
    context = note_encounter(after) if after["resourceType"] == "DocumentReference" else None
    for sub in subs:
        if not _fires(sub, before, after, fhir_base):
            continue
        number = sub.events + 1
        conn.execute("INSERT INTO subscription_events (subscription_id, number, focus, context, at) "
                     "VALUES (?, ?, ?, ?, ?)", (sub.id, number, focus, context, now_instant()))
        conn.execute("UPDATE subscriptions SET events = ? WHERE id = ?", (number, sub.id))
        recorded += 1
    if recorded:
        from sandbox.subscriptions.delivery import poke

        poke()
    return recorded


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failures in a row: 0.5, 1, 2, 4 … capped at 60."""
    return float(min(60.0, 0.5 * 2 ** max(0, attempts - 1)))


def now() -> float:
    return time.time()
