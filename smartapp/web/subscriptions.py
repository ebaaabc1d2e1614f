"""The connection page's subscription section: subscribe, pause, resume, delete, the auto-code switch,
and the section itself as a partial that refreshes while a subscription waits for its handshake."""

from __future__ import annotations

from typing import Any

from flask import Response, redirect, render_template, request, url_for
from flask_login import login_required

from smartapp.access import why_not_manage_connections
from smartapp.connections.service import connection_for, require_manager
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.subscriptions import auto_code, manage
from smartapp.web import bp
from smartapp.web.auth import user
from smartapp.web.connections import _detail
from smartapp.web.runtime import runtime

WAITING = ("creating", "requested")


@bp.app_template_global()
def subscription_panel(connection_id: int) -> dict[str, Any]:
    """What the section shows for a connection the caller may already see (the page checked)."""
    connection = connection_for(db.session, user(), connection_id)
    subs = [manage.describe(s) for s in manage.subscriptions_of(db.session, connection)]
    return {"subscriptions": subs, "settings": auto_code.describe_settings(auto_code.settings_for(db.session,
                                                                                                  connection)),
            "classes": auto_code.CLASS_CHOICES, "waiting": any(s["status"] in WAITING for s in subs),
            "can_manage": why_not_manage_connections(user()) is None, "connection_id": connection.id}


def _back(connection_id: int) -> Response:
    return redirect(url_for("web.connection_page", connection_id=connection_id))  # type: ignore[return-value]


def _or_page(connection_id: int, err: UserFacingError) -> tuple[str, int]:
    db.session.rollback()
    return _detail(connection_id, [f"{err.title}: {err.message}"], err.status if err.status < 500 else 502)


@bp.get("/connections/<int:connection_id>/subscriptions")
@login_required
def subscription_section(connection_id: int) -> str:
    return render_template("partials/_subscriptions.html", connection_id=connection_id)


@bp.post("/connections/<int:connection_id>/subscriptions")
@login_required
def subscribe_connection(connection_id: int) -> Response | tuple[str, int]:
    me = user()
    connection = connection_for(db.session, me, connection_id)
    heartbeat = request.form.get("heartbeat_seconds", type=int) or manage.DEFAULT_HEARTBEAT_S
    try:
        manage.create_subscriptions(db.session, runtime().ehr, me, connection, runtime().settings.app_base_url,
                                    heartbeat_s=max(5, min(heartbeat, 86400)), notes=request.form.get("notes") == "on")
    except UserFacingError as err:
        if err.status == 403:
            raise
        return _or_page(connection_id, err)
    db.session.commit()
    return _back(connection_id)


@bp.post("/subscriptions/<int:subscription_id>/<any(pause, resume):action>")
@login_required
def change_subscription(subscription_id: int, action: str) -> Response | tuple[str, int]:
    me = user()
    sub = manage.subscription_for(db.session, me, subscription_id)
    try:
        manage.set_paused(db.session, runtime().ehr, me, sub, action == "pause", runtime().settings.app_base_url)
    except UserFacingError as err:
        if err.status == 403:
            raise
        return _or_page(sub.connection_id, err)
    db.session.commit()
    return _back(sub.connection_id)


@bp.post("/subscriptions/<int:subscription_id>/delete")
@login_required
def delete_subscription(subscription_id: int) -> Response | tuple[str, int]:
    me = user()
    sub = manage.subscription_for(db.session, me, subscription_id)
    connection_id = sub.connection_id
    try:
        manage.delete_subscription(db.session, runtime().ehr, me, sub)
    except UserFacingError as err:
        if err.status == 403:
            raise
        return _or_page(connection_id, err)
    db.session.commit()
    return _back(connection_id)


@bp.post("/connections/<int:connection_id>/auto-code")
@login_required
def save_auto_code(connection_id: int) -> Response | tuple[str, int]:
    me = user()
    connection = connection_for(db.session, me, connection_id)
    require_manager(me, connection)
    try:
        auto_code.save_settings(db.session, connection, request.form.get("auto_code") == "on",
                                request.form.getlist("classes"))
    except ValueError as err:
        return _detail(connection_id, [str(err)], 422)
    db.session.commit()
    return _back(connection_id)


@bp.app_template_global()
def arrival_badges(items: list[Any]) -> dict[int, str]:
    """"new" / "new note" badges for queue rows that came by subscription."""
    return auto_code.badges(db.session, [e.id for e in items])


@bp.app_template_global()
def subscriptions_live() -> bool:
    """Whether the signed-in user's organisation has a live subscription (the queue then keeps polling:
    encounters arrive without anyone asking)."""
    return manage.organisation_subscribed(db.session, user().organization_id)
