"""Queries that services and views share: the latest coding run of an encounter, and the one
insert-or-find-the-winner for rows that concurrent requests or jobs may create at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartapp.models.coding import CodingRun

T = TypeVar("T")


def latest_run(session: Session, encounter_id: int) -> CodingRun | None:
    """The encounter's newest coding run (the one the review page shows), or None before the first."""
    return session.scalar(
        select(CodingRun).where(CodingRun.encounter_id == encounter_id).order_by(CodingRun.id.desc()).limit(1)
    )


def insert_or_find(session: Session, existing: Select[T], row: T, *related: object) -> tuple[T, bool]:
    """Insert `row` (and rows that belong with it), or when a unique constraint says a concurrent
    transaction got there first, find the winner with `existing`: (row, True) or (winner, False).

    The insert runs in a savepoint, so losing the race rolls back only the insert, never the caller's
    other work in the same transaction (a launch's LaunchSession, its User, its audit rows)."""
    try:
        with savepoint(session):
            session.add_all([row, *related])
        return row, True
    except IntegrityError:
        winner = session.scalars(existing).first()
        if winner is None:   # the constraint that refused it was not the one `existing` looks for
            raise
        return winner, False


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """Work that, if it raises, is undone alone: the rest of the caller's transaction stays."""
    _begin_if_idle(session)
    with session.begin_nested():
        yield


def _begin_if_idle(session: Session) -> None:
    """SQLite's driver opens a transaction only before its first write; a SAVEPOINT outside one would
    become the transaction itself (and its RELEASE a commit). Open the real one first, IMMEDIATE: the
    savepoint is there to write, and a deferred transaction that read first could not upgrade to a
    writer once another process had committed (SQLITE_BUSY_SNAPSHOT, "database is locked")."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.dbapi_connection
        if driver is not None and not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
