"""The database engine and the request/job-scoped session.

Plain SQLAlchemy 2.0: one engine per app, a scoped session removed at the end of every request and
job (the app context's teardown). SQLite gets WAL and foreign keys so the web app and the worker can
share the file. A forked process never reuses its parent's pooled connections.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

from flask import Flask
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from smartapp.security.files import create_private


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit costs no fsync (~3 ms here,
    # taken while holding SQLite's one write lock, four times per coding job: the workers queued behind
    # each other's fsyncs). The database stays consistent whatever happens; only a power loss or an
    # OS crash (not a process crash) can undo the last commits, which recovery and the idempotent jobs
    # redo. Deployments that cannot accept even that run PostgreSQL (docs/operations.md).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _private_sqlite_file(url: str) -> None:
    """Create the SQLite file 0600 in a 0700 folder before SQLite does (its -wal and -shm files copy the
    database file's mode); an existing file is left as the operator has it."""
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        create_private(Path(database), b"")


def make_engine(url: str, pool_size: int | None = None) -> Engine:
    """The engine for `url`. `pool_size` (a worker: 1) caps the connections kept open; the default is
    SQLAlchemy's (5, for the web app's threads). A worker runs one job at a time on one thread, so one
    connection, opened at start-up and reused by every job, is all it needs; a thread that wants
    another briefly gets an overflow connection, closed when returned."""
    pool: dict[str, Any] = {} if pool_size is None else {"pool_size": pool_size, "max_overflow": 4}
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool)


class Database:
    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._factory = sessionmaker(expire_on_commit=False)
        self._scoped: scoped_session[Session] = scoped_session(self._factory)
        # The scoped proxy behaves as the Session of the current request or job; typed as one.
        self.session: Session = cast(Session, self._scoped)
        os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        """A forked child (a gunicorn worker, a document-extraction child) must not use its parent's
        pooled connections: a copy would share its socket, and its server-side state (psycopg's
        prepared statements), with the parent. The child drops the copies without closing them and
        opens its own."""
        if self.engine is not None:
            self.engine.dispose(close=False)

    def configure(self, url: str, pool_size: int | None = None) -> None:
        """Bind to the database at `url` (the worker's way in; the app also ends sessions per request)."""
        if self.engine is not None:
            self._scoped.remove()
            self.engine.dispose()
        self.engine = make_engine(url, pool_size)
        self._factory.configure(bind=self.engine)

    def init_app(self, app: Flask, url: str) -> None:
        self.configure(url)

        @app.teardown_appcontext
        def _remove_session(exc: BaseException | None) -> None:
            if exc is not None:
                self._scoped.rollback()
            self._scoped.remove()

    def remove(self) -> None:
        """End the current scope's session (tests and jobs that run outside a request)."""
        self._scoped.remove()


db = Database()


def database_ready(session: Session) -> bool:
    """Whether the database answers a trivial query now (the readiness check)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        session.rollback()
        return False
