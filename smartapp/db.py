"""The database engine and the request/job-scoped session.

Plain SQLAlchemy 2.0: one engine per app, a scoped session removed at the end of every request and
job (the app context's teardown). SQLite gets WAL and foreign keys so the web app and the worker can
share the file. A forked process (RQ's work-horse) never reuses its parent's pooled connections.
"""

from __future__ import annotations

import os
from typing import Any, cast

from flask import Flask
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._factory = sessionmaker(expire_on_commit=False)
        self._scoped: scoped_session[Session] = scoped_session(self._factory)
        # The scoped proxy behaves as the Session of the current request or job; typed as one.
        self.session: Session = cast(Session, self._scoped)
        os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        """RQ forks a work-horse per job. A pooled connection copied into the child would share its
        socket, and its server-side state (psycopg's prepared statements), with the parent and every
        other horse: the child drops the copies without closing them and opens its own."""
        if self.engine is not None:
            self.engine.dispose(close=False)

    def configure(self, url: str) -> None:
        """Bind to the database at `url` (the worker's way in; the app also ends sessions per request)."""
        if self.engine is not None:
            self._scoped.remove()
            self.engine.dispose()
        self.engine = make_engine(url)
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
