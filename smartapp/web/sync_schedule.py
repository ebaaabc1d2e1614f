"""The connection page's scheduled-sync section (switch on/off, every N minutes, Bulk Data group, patients)
and each connection's public key set at a stable URL (`/jwks/<token>.json`) for EHRs that register a JWK
Set URL instead of a pasted key set (Epic's backend apps must)."""

from __future__ import annotations

from flask import Response, abort, jsonify, redirect, request, url_for
from flask_login import login_required
from sqlalchemy import select

from smartapp.connections.service import connection_for
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.fhir.service_auth import ServiceAuthError, public_jwks
from smartapp.models import AuthType, FhirConnection
from smartapp.sources.schedule import configure
from smartapp.web import bp
from smartapp.web.auth import user
from smartapp.web.runtime import runtime


def jwks_url(connection: FhirConnection) -> str | None:
    """The absolute URL of the connection's public key set (None: it signs with no key of ours)."""
    if connection.auth_type != AuthType.BACKEND_SERVICES or not connection.secret or not connection.jwks_token:
        return None
    return runtime().settings.app_base_url + url_for("web.connection_jwks", token=connection.jwks_token)


def _minutes(raw: str | None) -> float | None:
    if not raw or not raw.strip():
        return None
    try:
        return float(raw)
    except ValueError:
        raise UserFacingError(422, "Invalid schedule", "Sync every: a number of minutes.") from None


@bp.post("/connections/<int:connection_id>/schedule")
@login_required
def save_sync_schedule(connection_id: int) -> Response:
    connection = connection_for(db.session, user(), connection_id)
    form = request.form
    patients = [p.strip() for p in form.get("patient_ids", "").replace("\n", ",").split(",") if p.strip()]
    configure(db.session, user(), connection, enabled=form.get("enabled") == "on",
              interval_minutes=_minutes(form.get("interval_minutes")),
              bulk_group_id=form.get("bulk_group_id", ""), patient_ids=patients)
    db.session.commit()
    return redirect(url_for("web.connection_page", connection_id=connection.id))  # type: ignore[return-value]


@bp.get("/jwks/<token>.json")
def connection_jwks(token: str) -> Response:
    """Public on purpose (an EHR fetches it without signing in); the token is unguessable and the answer
    holds public keys only. Unknown tokens and connections without a key of ours answer 404."""
    if len(token) > 64:
        abort(404)
    connection = db.session.scalar(select(FhirConnection).where(FhirConnection.jwks_token == token))
    if connection is None or connection.auth_type != AuthType.BACKEND_SERVICES or not connection.secret:
        abort(404)
    try:
        keys = public_jwks(connection.secret)
    except ServiceAuthError:
        abort(404)
    response = jsonify(keys)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
