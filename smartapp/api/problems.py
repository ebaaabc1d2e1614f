"""Problem details (RFC 9457, `application/problem+json`) for every API error; nothing internal."""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

from smartapp.api import bp
from smartapp.errors import QUEUE_DOWN, RETRY_AFTER_S, UserFacingError
from smartapp.extensions import db
from smartapp.jobqueue import QueueUnavailable

log = logging.getLogger(__name__)


class ApiProblem(Exception):
    def __init__(self, status: int, title: str, detail: str = "") -> None:
        super().__init__(f"{status} {title}")
        self.status, self.title, self.detail = status, title, detail


def problem(status: int, title: str, detail: str = "", **extensions: Any) -> Response:
    """`extensions`: RFC 9457 extension members (e.g. the submission a failed approval made)."""
    response = jsonify({"type": "about:blank", "title": title, "status": status, "detail": detail, **extensions})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


@bp.errorhandler(ApiProblem)
def _api_problem(err: ApiProblem) -> Response:
    db.session.rollback()
    return problem(err.status, err.title, err.detail)


@bp.errorhandler(UserFacingError)
def _user_facing(err: UserFacingError) -> Response:
    db.session.rollback()
    return problem(err.status, err.title, err.message)


@bp.errorhandler(QueueUnavailable)
def _queue_down(err: QueueUnavailable) -> Response:
    db.session.rollback()
    response = problem(503, "Service Unavailable", QUEUE_DOWN)
    response.headers["Retry-After"] = RETRY_AFTER_S
    return response


@bp.errorhandler(HTTPException)
def _http(err: HTTPException) -> Response:
    return problem(err.code or 500, err.name, err.description or "")


@bp.errorhandler(Exception)
def _unexpected(err: Exception) -> Response:
    db.session.rollback()
    log.exception("API error: %s", type(err).__name__)
    return problem(500, "Internal Server Error", "An unexpected error occurred; nothing was changed.")
