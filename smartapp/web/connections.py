"""FHIR connection pages: list and add, edit, test (HTMX), delete, and start a sync."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, render_template, request, url_for
from flask_login import login_required
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from smartapp.access import why_not_manage_connection, why_not_manage_connections, why_not_share_connection
from smartapp.connections.check import check_connection
from smartapp.connections.service import (
    SUGGESTED_SCOPE,
    connection_for,
    create_connection,
    delete_connection,
    describe,
    list_connections,
    require_manager,
    update_connection,
)
from smartapp.errors import UserFacingError
from smartapp.extensions import db, jobs
from smartapp.inputs import ConnectionCreate, ConnectionUpdate, SyncAuthType, SyncRequest
from smartapp.models import DuplicatePolicy
from smartapp.sources.schedule import describe as describe_schedule
from smartapp.sources.sync import recent_syncs, start_sync, summary
from smartapp.subscriptions.manage import forget_on_ehr, subscriptions_of
from smartapp.web import bp
from smartapp.web.auth import user
from smartapp.web.runtime import runtime
from smartapp.web.sync_schedule import jwks_url
from smartapp.writeback.strategies import STRATEGIES

_TEXT = ("name", "base_url", "auth_type", "client_id", "secret", "token_endpoint", "scope")


def _form_errors(exc: ValidationError) -> list[str]:
    out = []
    for e in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in e["loc"])
        out.append(f"{where}: {e['msg']}" if where else str(e["msg"]).removeprefix("Value error, "))
    return out


def _connection_form(form: MultiDict[str, str], partial: bool) -> dict[str, Any]:
    data: dict[str, Any] = {k: form.get(k, "").strip() for k in _TEXT if form.get(k, "").strip() or not partial}
    data = {k: (v or None) for k, v in data.items()}
    if not partial:
        data["generate_key"] = form.get("generate_key") == "on"
        if form.get("sharing") in ("organization", "private"):
            data["private"] = form["sharing"] == "private"
    data["active"] = form.get("active") == "on" if partial else True
    if form.get("writeback_form"):   # the edit form's fieldset: none ticked is an error, not "keep"
        data["writeback"] = form.getlist("writeback")
        data["claim_status"] = form.get("claim_status") or None
    return data


def _page(errors: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    me = user()
    return render_template("connections.html", connections=[describe(c) for c in list_connections(db.session, me)],
                           auth_types=list(SyncAuthType), can_manage=why_not_manage_connections(me) is None,
                           why_not_manage=why_not_manage_connections(me), errors=errors or [],
                           suggested_scope=SUGGESTED_SCOPE, can_share=why_not_share_connection(me) is None,
                           form=request.form), status


@bp.get("/connections")
@login_required
def connections() -> tuple[str, int]:
    return _page()


@bp.post("/connections")
@login_required
def add_connection() -> Response | tuple[str, int]:
    try:
        data = ConnectionCreate.model_validate(_connection_form(request.form, partial=False))
    except ValidationError as exc:
        return _page(_form_errors(exc), 422)
    connection = create_connection(db.session, user(), data)
    db.session.commit()
    return redirect(url_for("web.connection_page", connection_id=connection.id))  # type: ignore[return-value]


def _detail(connection_id: int, errors: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    me = user()
    connection = connection_for(db.session, me, connection_id)
    runs = [summary(db.session, r) for r in recent_syncs(db.session, connection.id)]
    schedule = describe_schedule(db.session, connection)
    db.session.commit()   # a sync whose coding has all finished is marked complete
    return render_template("connection.html", c=describe(connection), runs=runs, auth_types=list(SyncAuthType),
                           schedule=schedule, jwks_url=jwks_url(connection),
                           strategies=STRATEGIES,
                           policies=list(DuplicatePolicy), can_manage=why_not_manage_connections(me) is None,
                           can_change=why_not_manage_connection(me, connection) is None,
                           why_not_manage=why_not_manage_connections(me),
                           errors=errors or []), status


@bp.get("/connections/<int:connection_id>")
@login_required
def connection_page(connection_id: int) -> tuple[str, int]:
    return _detail(connection_id)


@bp.post("/connections/<int:connection_id>")
@login_required
def edit_connection(connection_id: int) -> Response | tuple[str, int]:
    connection = connection_for(db.session, user(), connection_id)
    try:
        data = ConnectionUpdate.model_validate(_connection_form(request.form, partial=True))
        update_connection(db.session, user(), connection, data)
    except ValidationError as exc:
        return _detail(connection_id, _form_errors(exc), 422)
    except UserFacingError as err:
        if err.status != 422:
            raise
        db.session.rollback()
        return _detail(connection_id, [err.message], 422)
    db.session.commit()
    return redirect(url_for("web.connection_page", connection_id=connection_id))  # type: ignore[return-value]


@bp.post("/connections/<int:connection_id>/delete")
@login_required
def remove_connection(connection_id: int) -> Response:
    connection = connection_for(db.session, user(), connection_id)
    subs = subscriptions_of(db.session, connection)
    delete_connection(db.session, user(), connection)
    forget_on_ehr(db.session, runtime().ehr, user(), connection, subs)   # its EHR stops notifying
    db.session.commit()
    return redirect(url_for("web.connections"))  # type: ignore[return-value]


@bp.post("/connections/<int:connection_id>/test")
@login_required
def test_connection_now(connection_id: int) -> str:
    connection = connection_for(db.session, user(), connection_id)
    require_manager(user())
    result = check_connection(db.session, runtime().ehr, user(), connection)
    db.session.commit()
    return render_template("partials/_connection_test.html", result=result)


def _sync_form(form: MultiDict[str, str], connection_id: int) -> dict[str, Any]:
    data: dict[str, Any] = {"fhir_connection_id": connection_id,
                            "duplicate_policy": form.get("duplicate_policy") or "skip"}
    for key in ("date_from", "date_to", "limit", "page_size"):
        if form.get(key, "").strip():
            data[key] = form[key].strip()
    patients = [p.strip() for p in form.get("patient_ids", "").replace("\n", ",").split(",") if p.strip()]
    if patients:
        data["patient_ids"] = patients
    if form.getlist("statuses"):
        data["statuses"] = form.getlist("statuses")
    return data


@bp.post("/connections/<int:connection_id>/sync")
@login_required
def start_sync_now(connection_id: int) -> Response | tuple[str, int]:
    try:
        wanted = SyncRequest.model_validate(_sync_form(request.form, connection_id))
    except ValidationError as exc:
        return _detail(connection_id, _form_errors(exc), 422)
    jobs.require_available()
    run = start_sync(db.session, user(), wanted)
    db.session.commit()
    return redirect(url_for("web.sync_page", sync_id=run.id))  # type: ignore[return-value]
