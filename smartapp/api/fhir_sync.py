"""`/api/v1/fhir/*`: ingest one encounter, start a batch sync, watch it, cancel it."""

from __future__ import annotations

from flask import Response, jsonify, url_for

from smartapp.api import bp
from smartapp.api.auth import api_user
from smartapp.api.inputs import parse_body
from smartapp.api.schemas import IngestRequest
from smartapp.connections.service import connection_for, require_manager
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.inputs import SyncRequest
from smartapp.jobqueue import jobs
from smartapp.models import AuthType
from smartapp.recovery import recover_throttled
from smartapp.sources.sync import cancel_sync, recent_syncs, start_sync, summary, sync_for
from smartapp.sources.synced import code, place_encounter
from smartapp.web.runtime import runtime
from smartapp.worklist import describe_encounter


@bp.post("/fhir/ingest-encounter")
def ingest_encounter() -> tuple[Response, int]:
    user = api_user()
    data = parse_body(IngestRequest)
    connection = connection_for(db.session, user, data.fhir_connection_id)
    require_manager(user)
    if not connection.active or connection.auth_type == AuthType.SMART_LAUNCH:
        raise UserFacingError(409, "Connection cannot ingest", "Use an active backend connection.")
    jobs.require_available()   # all or nothing: no encounter is placed when it could not be coded
    encounter, outcome = place_encounter(db.session, connection, data.fhir_encounter_id, data.duplicate_policy)
    run = code(db.session, encounter, outcome, user, runtime().settings.coding_engine)
    db.session.commit()
    body = {"encounter": describe_encounter(encounter), "outcome": outcome.value,
            "coding_run_id": run.id if run else None,
            "status_url": url_for("api.show_encounter", encounter_id=encounter.id)}
    return jsonify(body), 202 if run else 200


@bp.post("/fhir/sync-encounters")
def sync_encounters() -> tuple[Response, int, dict[str, str]]:
    user, wanted = api_user(), parse_body(SyncRequest)
    jobs.require_available()
    run = start_sync(db.session, user, wanted)
    body = summary(db.session, run)
    db.session.commit()
    return jsonify(body), 202, {"Location": url_for("api.show_sync", sync_id=run.id)}


@bp.get("/fhir/sync-status/<int:connection_id>")
def sync_status(connection_id: int) -> Response:
    connection = connection_for(db.session, api_user(), connection_id)
    runs = recent_syncs(db.session, connection.id)
    if runs and not runs[0].status.terminal:
        recover_throttled(db.session, runs[0].id)
    items = [summary(db.session, r) for r in runs]
    db.session.commit()   # a sync whose coding has all finished is marked complete
    return jsonify({"connection_id": connection.id,
                    "last_sync_at": connection.last_sync_at.isoformat() if connection.last_sync_at else None,
                    "last_error": connection.last_error, "latest": items[0] if items else None, "recent": items})


@bp.get("/fhir/syncs/<int:sync_id>")
def show_sync(sync_id: int) -> Response:
    run = sync_for(db.session, api_user(), sync_id)
    if not run.status.terminal:
        recover_throttled(db.session, run.id)
    body = summary(db.session, run)
    db.session.commit()
    return jsonify(body)


@bp.post("/fhir/syncs/<int:sync_id>/cancel")
def cancel(sync_id: int) -> Response:
    user = api_user()
    run = sync_for(db.session, user, sync_id)
    cancel_sync(db.session, user, run)
    body = summary(db.session, run)
    db.session.commit()
    return jsonify(body)
