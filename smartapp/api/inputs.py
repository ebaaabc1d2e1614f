"""Request bodies and query strings validated with the shared pydantic models; a 422 problem
(with the field errors, never the submitted values) when they do not fit."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Response, jsonify, request
from pydantic import BaseModel, ValidationError

from smartapp.api import bp
from smartapp.api.problems import ApiProblem
from smartapp.extensions import db

M = TypeVar("M", bound=BaseModel)


class InvalidInput(ApiProblem):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(422, "Unprocessable Content", "The request does not match the schema; see errors.")
        self.errors = errors


@bp.errorhandler(InvalidInput)
def _invalid(err: InvalidInput) -> Response:
    db.session.rollback()
    response = jsonify({"type": "about:blank", "title": err.title, "status": err.status, "detail": err.detail,
                        "errors": err.errors})
    response.status_code = err.status
    response.mimetype = "application/problem+json"
    return response


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [{"field": ".".join(str(p) for p in e["loc"]) or "(body)", "message": e["msg"][:300]}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)][:50]


def parse_body(model: type[M]) -> M:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiProblem(400, "Bad Request", "Send a JSON object with Content-Type: application/json.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(_errors(exc)) from None


def parse_query(model: type[M]) -> M:
    """Known query parameters only (unknown ones, like cache busters, are ignored); the last value wins."""
    known = {k: v for k, v in request.args.items() if k in model.model_fields and v != ""}
    try:
        return model.model_validate(known)
    except ValidationError as exc:
        raise InvalidInput(_errors(exc)) from None
