"""Shared fixtures: a migrated database (SQLite file, or TEST_DATABASE_URL), a real Redis server,
and the whole product as real processes (Redis, sandbox EHR, web app, RQ worker) for integration
and browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import create_engine, text

from devstack.processes import GENEROUS_RATE_LIMITS, ManagedProcess, Stack, free_port, start_redis
from tests.support.app_factory import app_on

OUTPUT = Path(__file__).parent / "output"


def _fresh_database(url: str, suffix: str) -> str:
    """A PostgreSQL database of its own (`<name>_<suffix>`, recreated), so the live stack and the
    data-layer tests never share tables."""
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{suffix}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _reset_database(url: str) -> None:
    """Start PostgreSQL runs from an empty schema (SQLite files are new per test run anyway)."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


# Fixtures that put the app's database under a test: a test asking for one is not `no_app_db`.
_APP_DB_FIXTURES = frozenset({"database_url", "app", "seeded", "launcher"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a `no_app_db` mark on a test that reaches the app's database: the PostgreSQL pass of
    `make test` would silently stop covering it."""
    for item in items:
        if item.get_closest_marker("no_app_db") is None:
            continue
        used = _APP_DB_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if used:
            raise pytest.UsageError(f"{item.nodeid} is marked no_app_db but uses {', '.join(sorted(used))}")


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server process for the session; yields its URL."""
    work = tmp_path_factory.mktemp("redis")
    port = free_port()
    proc: ManagedProcess = start_redis(work / "data", port, work / "logs")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.stop(grace=2.0)


@pytest.fixture(scope="session")
def encryption_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'revrx.db'}"
    _reset_database(url)
    from smartapp.migrate import upgrade

    upgrade(url)
    return url


@pytest.fixture()
def app(database_url: str, redis_server: str, encryption_key: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on the session's migrated database and Redis (tables emptied after each test)."""
    yield from app_on(database_url, redis_server, encryption_key, tmp_path)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, encryption_key: str) -> Iterator[Stack]:
    """The whole product as real processes on free ports, as `make run` starts it."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = _fresh_database(url, "stack")
    running = Stack(instance_dir=tmp_path_factory.mktemp("stack"), database_url=url, encryption_key=encryption_key,
                    extra_env={"CODING_ENGINE": "local", "SECRET_KEY": "stack-secret", **GENEROUS_RATE_LIMITS})
    running.start()
    try:
        yield running
    finally:
        running.stop(grace=3.0)
