"""A forked process (RQ's work-horse) opens its own database connections instead of reusing the
parent's pooled ones; sharing them broke jobs on PostgreSQL ("prepared statement already exists")."""

from __future__ import annotations

import os

import pytest
from flask import Flask
from sqlalchemy import text

from smartapp.extensions import db

pytestmark = pytest.mark.db


def test_a_forked_child_does_not_reuse_the_parents_pooled_connection(app: Flask) -> None:
    assert db.engine is not None
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        parents = conn.connection.dbapi_connection   # back to the pool when the block ends
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: report, then leave without running the parent's pytest teardown
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                fresh = conn.connection.dbapi_connection is not parents
            os.write(write, b"fresh" if fresh else b"reused")
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            os.write(write, f"error {type(exc).__name__}".encode())
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 100).decode()
    os.waitpid(pid, 0)
    os.close(read)
    assert answer == "fresh"
    with db.engine.connect() as conn:   # and the parent's own connection still works
        assert conn.execute(text("SELECT 1")).scalar() == 1
