"""`GET /api/v1/openapi.json`: the API description (public, like any API's documentation)."""

from __future__ import annotations

from flask import Response, jsonify, url_for

from smartapp.api import bp
from smartapp.api.openapi_spec import build_document


@bp.get("/openapi.json")
def openapi_document() -> Response:
    server = url_for("api.openapi_document", _external=True).rsplit("/openapi.json", 1)[0]
    return jsonify(build_document(server))
