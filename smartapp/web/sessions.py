"""Browser sign-in and sign-out over server-side sessions (smartapp/accounts/sessions.py), and the
check every page request passes before its view runs.

The signed cookie names a session row; a request whose row is revoked, idle, too old or whose person
was deactivated is treated as signed out (and the cookie emptied), so a copy of the cookie taken before
sign-out opens nothing. Requests the page makes by itself (pollers send `poll=1`) do not count as the
person's activity.
"""

from __future__ import annotations

import logging

from flask import Flask, request, session
from flask_login import login_user, logout_user

from smartapp.accounts import sessions
from smartapp.extensions import db
from smartapp.models import User
from smartapp.web.runtime import runtime

log = logging.getLogger(__name__)
SID_KEY = "revrx_sid"


def _lifetimes() -> sessions.Lifetimes:
    settings = runtime().settings
    return sessions.Lifetimes.of(settings.session_idle_minutes, settings.session_absolute_hours)


def sign_in(user: User) -> None:
    """A fresh cookie session (so a CSRF token or anything else planted before sign-in does not
    survive it) naming a new server-side session."""
    session.clear()
    token = sessions.start(db.session, user)
    login_user(user)
    session[SID_KEY] = token


def sign_out() -> None:
    row = sessions.find(db.session, session.get(SID_KEY))
    if row is not None:
        sessions.end(row, "logout")
        db.session.commit()
    logout_user()
    session.clear()


def is_background() -> bool:
    """A request the page made by itself (a poller), not a person's click."""
    return request.args.get("poll") == "1"


def register_session_check(app: Flask) -> None:
    @app.before_request
    def check_session() -> None:
        if request.endpoint == "static" or "_user_id" not in session:
            return   # the API authenticates by token, anonymous pages by nothing
        row = sessions.find(db.session, session.get(SID_KEY))
        why = "unknown" if row is None else sessions.why_ended(row, _lifetimes())
        if row is not None and why is None and str(row.user_id) != str(session.get("_user_id")):
            why = "mismatch"
        if why is not None:
            if row is not None and row.revoked_at is None:
                sessions.end(row, why)
                db.session.commit()
            log.info("session ended (%s)", why)
            session.clear()   # Flask-Login now sees nobody: login_required answers 401
            return
        if row is not None and not is_background() and sessions.touch(row):
            db.session.commit()
