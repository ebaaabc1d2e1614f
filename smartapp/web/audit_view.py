"""The audit trail of one encounter, and of the whole (active) organisation for its administrators: who
did what to which resource, how it ended, and when. An administrator sees their organisation's events
only, never another's, whichever other organisations they also belong to.

Shows only what AuditEvent holds (ids, actions, outcomes, codes) — never note text or names of
patients; the actor is shown by display name for people and as-is for the worker.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import login_required
from sqlalchemy import func, select

from smartapp.access import can_see_audit, why_not_administer
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.models import AuditEvent, User
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user, is_htmx, user

PAGE = 200


@bp.get("/encounters/<int:encounter_id>/audit")
@login_required
def encounter_audit(encounter_id: int) -> str:
    enc = encounter_for_user(encounter_id)
    if not can_see_audit(user(), enc):
        raise UserFacingError(403, "Audit not available", "Your role cannot see this encounter's audit trail.")
    action = request.args.get("action") or None
    query = select(AuditEvent).where(AuditEvent.encounter_id == enc.id)
    if action:
        query = query.where(AuditEvent.action == action)
    events = db.session.scalars(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(PAGE)).all()
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.encounter_id == enc.id)
                                 .group_by(AuditEvent.action).order_by(AuditEvent.action)).all()
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.encounter_id == enc.id))
    ids = {e.actor_id for e in events if e.actor_id}
    names = {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    template = "partials/_audit_table.html" if is_htmx() else "audit.html"
    return render_template(template, encounter=enc, events=events, names=names, actions=actions,
                           action=action, total=total, page=PAGE)


@bp.get("/audit")
@login_required
def organization_audit() -> str:
    """The active organisation's trail (administrators): sign-ins, role and membership changes, syncs,
    decisions, write-backs — its events only."""
    me = user()
    if why_not_administer(me) is not None:
        raise UserFacingError(403, "Audit not available", "Only an administrator sees the organization's audit trail.")
    mine = AuditEvent.organization_id == me.organization_id
    action = request.args.get("action") or None
    query = select(AuditEvent).where(mine)
    if action:
        query = query.where(AuditEvent.action == action)
    events = db.session.scalars(query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(PAGE)).all()
    actions = db.session.scalars(select(AuditEvent.action).where(mine).group_by(AuditEvent.action)
                                 .order_by(AuditEvent.action)).all()
    total = db.session.scalar(select(func.count()).select_from(AuditEvent).where(mine))
    ids = {e.actor_id for e in events if e.actor_id}
    names = {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(ids)))}
    template = "partials/_audit_table.html" if is_htmx() else "org_audit.html"
    return render_template(template, organization=me.organization, events=events, names=names, actions=actions,
                           action=action, total=total, page=PAGE)
