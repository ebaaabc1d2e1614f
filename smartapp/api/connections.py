"""`/api/v1/fhir-connections`: create, list, show, change, delete and test FHIR connections.

Secrets are write-only: responses carry `has_secret` and, for Backend Services, the public key set
to register with the EHR. Another organization's connection (than the token's), and another person's
private connection, answer 404 as an unknown id does. The organization's shared connections are
changed by its administrators; a private one by its owner.
"""

from __future__ import annotations

from flask import Response, jsonify, url_for

from smartapp.api import bp
from smartapp.api.auth import api_user
from smartapp.api.inputs import parse_body
from smartapp.connections.check import check_connection
from smartapp.connections.service import (
    connection_for,
    create_connection,
    delete_connection,
    describe,
    list_connections,
    require_manager,
    update_connection,
)
from smartapp.extensions import db
from smartapp.inputs import ConnectionCreate, ConnectionUpdate
from smartapp.sources.sync_mode import mode_of
from smartapp.subscriptions.manage import forget_on_ehr, subscriptions_of
from smartapp.web.runtime import runtime
from smartapp.web.sync_schedule import jwks_url


@bp.get("/fhir-connections")
def list_fhir_connections() -> Response:
    return jsonify({"items": [describe(c) for c in list_connections(db.session, api_user())]})


@bp.post("/fhir-connections")
def create_fhir_connection() -> tuple[Response, int, dict[str, str]]:
    data = parse_body(ConnectionCreate)
    connection = create_connection(db.session, api_user(), data)
    db.session.commit()
    location = url_for("api.show_fhir_connection", connection_id=connection.id)
    return jsonify(describe(connection)), 201, {"Location": location}


@bp.get("/fhir-connections/<int:connection_id>")
def show_fhir_connection(connection_id: int) -> Response:
    connection = connection_for(db.session, api_user(), connection_id)
    # Which way new encounters arrive (subscription, scheduled sync, manual) and why: sync-schedule has more.
    return jsonify({**describe(connection), "sync_mode": mode_of(db.session, connection).as_dict(),
                    "jwks_url": jwks_url(connection)})


@bp.patch("/fhir-connections/<int:connection_id>")
def update_fhir_connection(connection_id: int) -> Response:
    user = api_user()
    connection = connection_for(db.session, user, connection_id)
    require_manager(user)
    update_connection(db.session, user, connection, parse_body(ConnectionUpdate))
    db.session.commit()
    return jsonify(describe(connection))


@bp.delete("/fhir-connections/<int:connection_id>")
def delete_fhir_connection(connection_id: int) -> tuple[str, int]:
    user = api_user()
    connection = connection_for(db.session, user, connection_id)
    subs = subscriptions_of(db.session, connection)
    delete_connection(db.session, user, connection)
    forget_on_ehr(db.session, runtime().ehr, user, connection, subs)   # its EHR stops notifying
    db.session.commit()
    return "", 204


@bp.post("/fhir-connections/<int:connection_id>/test")
def test_fhir_connection(connection_id: int) -> Response:
    user = api_user()
    connection = connection_for(db.session, user, connection_id)
    require_manager(user)
    result = check_connection(db.session, runtime().ehr, user, connection)
    db.session.commit()
    return jsonify(result.as_dict())
