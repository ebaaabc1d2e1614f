"""The one place a job gets its Flask app context: one app per worker process, made on first use."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask

from smartapp.config import Settings

P = ParamSpec("P")
R = TypeVar("R")

_app: Flask | None = None


def app() -> Flask:
    global _app
    if _app is None:
        from smartapp import create_app

        _app = create_app()
    return _app


def settings() -> Settings:
    """The worker's configuration: the same `Settings` the app was made with (read once)."""
    settings: Settings = app().config["SETTINGS"]
    return settings


def with_app_context(func: Callable[P, R]) -> Callable[P, R]:
    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with app().app_context():
            return func(*args, **kwargs)

    return wrapper
