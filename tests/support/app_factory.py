"""The app the unit tests sign in to: built on the session's migrated database and a given Redis, its
tables emptied after the test (the `app` fixture, and fixtures that need another Redis)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask import Flask

from devstack.processes import GENEROUS_RATE_LIMITS


def app_on(database_url: str, redis_url: str, encryption_key: str, tmp_path: Path) -> Iterator[Flask]:
    """The body of an app fixture: the app on the session's migrated database and the given Redis
    (tables emptied after the test)."""
    from smartapp import create_app
    from smartapp.config import Settings
    from smartapp.extensions import db
    from smartapp.models import Base

    env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "REVRX_ENCRYPTION_KEY": encryption_key,
           "REVRX_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "test-secret", "APP_BASE_URL": "http://127.0.0.1:5000",
           **GENEROUS_RATE_LIMITS}
    flask_app = create_app(Settings.from_env(env, testing=True))
    yield flask_app
    with flask_app.app_context():
        db.session.rollback()
        with db.session.begin():
            for table in reversed(Base.metadata.sorted_tables):
                db.session.execute(table.delete())
        db.remove()
