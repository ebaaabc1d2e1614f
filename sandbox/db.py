"""SQLite storage: the schema and one connection per request thread.

The sandbox runs on a threaded server (Werkzeug's, or gunicorn's threads in each process), so each
server thread keeps one connection and lends it to one request at a time (`flask.g`); a transaction a
request left open is rolled back at teardown. WAL mode lets readers run while one writer writes; writers that
must check-then-insert atomically (conditional create, single-use codes) use `BEGIN IMMEDIATE`.
Connections are in autocommit mode (`isolation_level=None`) so transactions are always explicit.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g

from sandbox import search_index

SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    last_updated TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (type, id)
);
CREATE TABLE IF NOT EXISTS launch_contexts (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    patient_id TEXT,
    encounter_id TEXT,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS auth_codes (
    code_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    user_id TEXT NOT NULL,
    patient_id TEXT,
    encounter_id TEXT,
    nonce TEXT,
    code_challenge TEXT,
    code_challenge_method TEXT,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS tokens (
    access_hash TEXT PRIMARY KEY,
    refresh_hash TEXT UNIQUE,
    code_hash TEXT,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    user_id TEXT,
    patient_id TEXT,
    encounter_id TEXT,
    issued_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    refresh_expires_at REAL,
    revoked INTEGER NOT NULL DEFAULT 0,
    refresh_revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tokens_code ON tokens(code_hash);
CREATE TABLE IF NOT EXISTS client_assertions (
    jti TEXT PRIMARY KEY,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def connect(db_path: str) -> sqlite3.Connection:
    """Open a connection with the pragmas every connection needs."""
    conn = sqlite3.connect(db_path, timeout=10.0, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 10000")
    # NORMAL is durable enough for a dev EHR in WAL mode and much faster than FULL.
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def init_db(db_path: str) -> None:
    """Create the file, switch it to WAL (a persistent, per-file setting) and create the tables."""
    if db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    conn = connect(db_path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(SCHEMA)
        search_index.ensure_index(conn)   # built once for a store made before the index existed
    finally:
        conn.close()


@contextmanager
def transaction(conn: sqlite3.Connection, immediate: bool = False) -> Iterator[sqlite3.Connection]:
    """An explicit transaction; IMMEDIATE takes the write lock up front (check-then-write)."""
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


_kept = threading.local()   # this thread's connection: (db path, connection)


def get_db() -> sqlite3.Connection:
    """The current request's connection: the one this server thread keeps open between requests
    (opening one, with its pragmas, was a fifth of a small FHIR search's CPU), or a new one."""
    if "sandbox_db" not in g:
        path = current_app.config["SANDBOX"].db_path
        kept: tuple[str, sqlite3.Connection] | None = getattr(_kept, "conn", None)
        if kept is not None and kept[0] != path:   # another app on this thread (tests): not ours
            kept[1].close()
            kept = None
        if kept is None:
            kept = (path, connect(path))
            _kept.conn = kept
        g.sandbox_db = kept[1]
    conn: sqlite3.Connection = g.sandbox_db
    return conn


def close_db(_exc: BaseException | None = None) -> None:
    """End the request's use of the connection: nothing it began stays open for the next request."""
    conn = g.pop("sandbox_db", None)
    if conn is not None and conn.in_transaction:
        conn.execute("ROLLBACK")


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_db)
