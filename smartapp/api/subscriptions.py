"""`/api/v1`: a connection's FHIR subscriptions and auto-code settings.

- `GET|POST /fhir-connections/<id>/subscriptions`: list; subscribe (body: `heartbeat_seconds`, `notes`).
- `GET|DELETE /subscriptions/<id>`, `POST /subscriptions/<id>/pause`, `POST /subscriptions/<id>/resume`.
- `GET|PUT /fhir-connections/<id>/auto-code`: `{"auto_code": true, "encounter_classes": ["AMB"]}`.
Another organisation's ids answer as connections do (smartapp.connections.service).
"""

from __future__ import annotations

from typing import Literal

from flask import Response, jsonify
from pydantic import BaseModel, ConfigDict, Field

from smartapp.api import bp
from smartapp.api.auth import api_user
from smartapp.api.inputs import parse_body
from smartapp.connections.service import connection_for, require_manager
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.subscriptions import auto_code, manage
from smartapp.web.runtime import runtime


class SubscribeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    heartbeat_seconds: int = Field(default=manage.DEFAULT_HEARTBEAT_S, ge=5, le=86400)
    notes: bool = True
    mode: Literal["auto", "topic", "criteria"] = "auto"


class AutoCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    auto_code: bool
    encounter_classes: list[str] = Field(default_factory=list, max_length=20)


@bp.get("/fhir-connections/<int:connection_id>/subscriptions")
def list_subscriptions(connection_id: int) -> Response:
    connection = connection_for(db.session, api_user(), connection_id)
    return jsonify({"items": [manage.describe(s) for s in manage.subscriptions_of(db.session, connection)]})


@bp.post("/fhir-connections/<int:connection_id>/subscriptions")
def subscribe(connection_id: int) -> tuple[Response, int]:
    user = api_user()
    connection = connection_for(db.session, user, connection_id)
    wanted = parse_body(SubscribeRequest)
    made = manage.create_subscriptions(db.session, runtime().ehr, user, connection, runtime().settings.app_base_url,
                                       heartbeat_s=wanted.heartbeat_seconds, notes=wanted.notes, mode=wanted.mode)
    db.session.commit()
    return jsonify({"items": [manage.describe(s) for s in made]}), 201


@bp.get("/subscriptions/<int:subscription_id>")
def show_subscription(subscription_id: int) -> Response:
    return jsonify(manage.describe(manage.subscription_for(db.session, api_user(), subscription_id)))


@bp.post("/subscriptions/<int:subscription_id>/<any(pause, resume):action>")
def pause_or_resume(subscription_id: int, action: str) -> Response:
    user = api_user()
    sub = manage.subscription_for(db.session, user, subscription_id)
    manage.set_paused(db.session, runtime().ehr, user, sub, action == "pause", runtime().settings.app_base_url)
    db.session.commit()
    return jsonify(manage.describe(sub))


@bp.delete("/subscriptions/<int:subscription_id>")
def remove_subscription(subscription_id: int) -> tuple[str, int]:
    user = api_user()
    manage.delete_subscription(db.session, runtime().ehr, user, manage.subscription_for(db.session, user,
                                                                                         subscription_id))
    db.session.commit()
    return "", 204


@bp.get("/fhir-connections/<int:connection_id>/auto-code")
def show_auto_code(connection_id: int) -> Response:
    connection = connection_for(db.session, api_user(), connection_id)
    return jsonify(auto_code.describe_settings(auto_code.settings_for(db.session, connection)))


@bp.put("/fhir-connections/<int:connection_id>/auto-code")
def set_auto_code(connection_id: int) -> Response:
    user = api_user()
    connection = connection_for(db.session, user, connection_id)
    require_manager(user, connection)
    wanted = parse_body(AutoCodeRequest)
    try:
        saved = auto_code.save_settings(db.session, connection, wanted.auto_code, wanted.encounter_classes)
    except ValueError as err:
        raise UserFacingError(422, "Invalid auto-code settings", str(err)) from None
    db.session.commit()
    return jsonify(auto_code.describe_settings(saved))
