"""`GET /api/v1/openapi.json`: the API description (public, like any API's documentation)."""

from __future__ import annotations

from flask import Response, jsonify

from smartapp.api import bp
from smartapp.api.openapi_spec import build_document
from smartapp.web.runtime import absolute_url


@bp.get("/openapi.json")
def openapi_document() -> Response:
    server = absolute_url("api.openapi_document").rsplit("/openapi.json", 1)[0]
    return jsonify(build_document(server))
