"""Flask-Login wiring, the active organisation of a browser session, and the access rules for encounters
(the active organisation only)."""

from __future__ import annotations

from flask import request, session
from flask_login import LoginManager, current_user

from smartapp.access import exists_for, why_not_decide, why_not_see
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.models import Encounter, User

ORG_KEY = "revrx_org"   # the active organisation's id, in the signed session cookie


def configure_login(manager: LoginManager) -> None:
    manager.login_view = "smart.start"

    @manager.user_loader
    def load_user(user_id: str) -> User | None:
        found = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        if found is not None:
            # The organisation chosen in the header's switcher, while the person is still a member
            # there; else their home organisation.
            chosen = session.get(ORG_KEY)
            if isinstance(chosen, int):
                found.act_in(chosen)
        return found

    @manager.unauthorized_handler
    def unauthorized() -> None:
        raise UserFacingError(401, "Please launch RevRX", "Your session has ended. Launch RevRX from the EHR, "
                              "or sign in from the start page.")


def user() -> User:
    u: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return u


def encounter_for_user(encounter_id: int) -> Encounter:
    """The encounter if the signed-in user may see it (smartapp.access): 404 for another organisation's
    (no existence leak), 403 with the reason for one of their own organisation they may not open."""
    encounter = db.session.get(Encounter, encounter_id)
    if encounter is None or not exists_for(user(), encounter):
        raise UserFacingError(404, "Encounter not found", "This encounter does not exist or belongs to "
                              "another organization.")
    why = why_not_see(user(), encounter)
    if why is not None:
        raise UserFacingError(403, "Not allowed", why)
    return encounter


def require_can_decide(encounter: Encounter) -> None:
    """403 with the reason unless the one rule (review.permissions) lets the signed-in user decide."""
    why = why_not_decide(user(), encounter)
    if why is not None:
        raise UserFacingError(403, "Not allowed", why)


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"
