"""One set of error handlers: a page, or a small fragment for HTMX requests; nothing internal shown."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from smartapp.errors import QUEUE_DOWN, RETRY_AFTER_S, UserFacingError
from smartapp.extensions import db
from smartapp.jobqueue import QueueUnavailable
from smartapp.web.auth import is_htmx

log = logging.getLogger(__name__)


def _render(status: int, title: str, message: str) -> tuple[str, int]:
    template = "partials/_error.html" if is_htmx() else "error.html"
    return render_template(template, status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(UserFacingError)
    def user_facing(err: UserFacingError) -> tuple[str, int]:
        db.session.rollback()
        return _render(err.status, err.title, err.message)

    @app.errorhandler(QueueUnavailable)
    def queue_down(err: QueueUnavailable) -> tuple[str, int, dict[str, str]]:
        db.session.rollback()
        return (*_render(503, "Work cannot be queued right now", QUEUE_DOWN), {"Retry-After": RETRY_AFTER_S})

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> tuple[str, int]:
        status = err.code or 500
        if status == 400 and "CSRF" in (err.description or ""):
            return _render(400, "This form has expired", "Reload the page and try again.")
        return _render(status, err.name, err.description or "")

    @app.errorhandler(Exception)
    def unexpected(err: Exception) -> tuple[str, int]:
        db.session.rollback()
        log.exception("unhandled error: %s", type(err).__name__)
        return _render(500, "Something went wrong", "RevRX hit an unexpected error. Nothing was lost; "
                       "try again, and tell your administrator if it keeps happening.")
