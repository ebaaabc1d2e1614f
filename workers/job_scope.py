"""The one place a job gets what it runs with: this process's `Runtime` (made on first use, no Flask app)
and a database session that is closed when the job ends, whatever happened. The job itself commits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from smartapp.config import Settings
from smartapp.db import db
from smartapp.logging_setup import configure_root_logging
from smartapp.runtime import Runtime, build_runtime

P = ParamSpec("P")
R = TypeVar("R")

_runtime: Runtime | None = None


def runtime(worker: bool = False) -> Runtime:
    """This process's runtime: settings from the environment, encryption, Redis, registrations, database.
    A worker process (`worker`, `python -m workers`) keeps one pooled database connection for all its
    jobs (jobs run one at a time, in the worker's own process: workers/worker.py)."""
    global _runtime
    if _runtime is None:
        settings = Settings.from_env()
        configure_root_logging()
        _runtime = build_runtime(settings)
        db.configure(settings.database_url, pool_size=1 if worker else None)
    return _runtime


def job(func: Callable[Concatenate[Session, Runtime, P], R]) -> Callable[P, R]:
    """Run `func(session, runtime, *ids)`; the session is rolled back if uncommitted and always removed."""
    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        rt = runtime()
        try:
            return func(db.session, rt, *args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        finally:
            db.remove()

    return wrapper
