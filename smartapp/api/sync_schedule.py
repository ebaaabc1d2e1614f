"""`/api/v1/fhir-connections/<id>/sync-schedule`: which mode brings new encounters in (subscription,
scheduled sync or manual) and why; read and change the connection's scheduled incremental sync."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from smartapp.api import bp
from smartapp.api.auth import api_user
from smartapp.api.inputs import parse_body
from smartapp.connections.service import connection_for
from smartapp.extensions import db
from smartapp.inputs import ScheduleUpdate
from smartapp.models import FhirConnection
from smartapp.sources.schedule import configure, describe
from smartapp.web.sync_schedule import jwks_url


def _body(connection: FhirConnection) -> dict[str, Any]:
    return {"connection_id": connection.id, **describe(db.session, connection), "jwks_url": jwks_url(connection)}


@bp.get("/fhir-connections/<int:connection_id>/sync-schedule")
def show_sync_schedule(connection_id: int) -> Response:
    connection = connection_for(db.session, api_user(), connection_id)
    body = _body(connection)
    db.session.commit()
    return jsonify(body)


@bp.put("/fhir-connections/<int:connection_id>/sync-schedule")
def change_sync_schedule(connection_id: int) -> Response:
    user = api_user()
    connection = connection_for(db.session, user, connection_id)
    wanted = parse_body(ScheduleUpdate)
    configure(db.session, user, connection, enabled=wanted.enabled, interval_minutes=wanted.interval_minutes,
              bulk_group_id=wanted.bulk_group_id, patient_ids=list(wanted.patient_ids) if wanted.patient_ids is not None
              else None)
    db.session.commit()
    return jsonify(_body(connection))
