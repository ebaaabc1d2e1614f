"""The People page: who in the organisation uses RevRX and in which role; administrators change roles."""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_login import login_required

from smartapp.accounts.roles import change_role, people
from smartapp.accounts.status import set_active
from smartapp.connections.service import MAX_ID
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.models import Role, User
from smartapp.web import bp
from smartapp.web.auth import user

ROLE_WORDS = {Role.ADMIN: "everything a coder does, and changes roles",
              Role.CODER: "works the queue, connections and syncs; reviews and approves any encounter",
              Role.CLINICIAN: "reviews and approves the encounters they launched",
              Role.READ_ONLY: "sees codes and audit trails, changes nothing"}


def _page(errors: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    me = user()
    return render_template("people.html", people=people(db.session, me.organization_id), me=me, roles=list(Role),
                           role_words=ROLE_WORDS, can_change=me.role == Role.ADMIN, errors=errors or [],
                           changed=request.args.get("changed")), status


@bp.get("/people")
@login_required
def people_page() -> tuple[str, int]:
    return _page()


@bp.post("/people/<int:user_id>/role")
@login_required
def set_person_role(user_id: int) -> Response | tuple[str, int]:
    me = user()
    target = db.session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if target is None or target.organization_id != me.organization_id:
        raise UserFacingError(404, "Not found", "There is nobody with this id in your organization.")
    try:
        role = Role(request.form.get("role", ""))
    except ValueError:
        return _page([f"Unknown role. Choose one of: {', '.join(r.value for r in Role)}."], 422)
    try:
        change_role(db.session, me, target, role)
    except UserFacingError as err:
        if err.status != 409:
            raise
        db.session.rollback()
        return _page([err.message], 409)
    db.session.commit()
    return redirect(url_for("web.people_page", changed=target.id))  # type: ignore[return-value]


@bp.post("/people/<int:user_id>/active")
@login_required
def set_person_active(user_id: int) -> Response | tuple[str, int]:
    """Deactivate (`active=0`) or reactivate (`active=1`): a deactivated person loses access at once."""
    me = user()
    target = db.session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if target is None or target.organization_id != me.organization_id:
        raise UserFacingError(404, "Not found", "There is nobody with this id in your organization.")
    try:
        set_active(db.session, me, target, request.form.get("active") == "1")
    except UserFacingError as err:
        if err.status != 409:
            raise
        db.session.rollback()
        return _page([err.message], 409)
    db.session.commit()
    return redirect(url_for("web.people_page", changed=target.id))  # type: ignore[return-value]
