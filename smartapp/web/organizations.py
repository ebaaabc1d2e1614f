"""The header's organisation switcher: a person who belongs to several organisations chooses the one
they act in. Everything after — pages, the queue, counts, exports — is scoped to it (smartapp/access.py
reads `User.organization_id`, which the session's choice sets; smartapp/web/auth.py)."""

from __future__ import annotations

from flask import Response, redirect, request, session, url_for
from flask_login import login_required

from smartapp import audit
from smartapp.connections.service import MAX_ID
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.web import bp
from smartapp.web.auth import ORG_KEY, user


@bp.post("/organization")
@login_required
def switch_organization() -> Response:
    """Act in another of one's organisations; back to the queue (the page one came from may show
    the other organisation's objects, which now do not exist)."""
    me = user()
    raw = request.form.get("organization_id", "")
    chosen = int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_ID else None
    if chosen is None or not me.act_in(chosen):
        raise UserFacingError(404, "Organization not found", "You are not a member of this organization.")
    session[ORG_KEY] = chosen
    audit.record(db.session, action="organization-switch", actor=me, resource_type="Organization",
                 resource_id=str(chosen))
    db.session.commit()
    return redirect(url_for("web.home"))  # type: ignore[return-value]
