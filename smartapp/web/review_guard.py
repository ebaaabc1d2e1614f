"""The checks every changing request on the review page makes: the role may change this encounter,
and the run has not been written back (locked)."""

from __future__ import annotations

from smartapp.access import why_not_decide
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.models import CodingRun, Encounter, RunStatus
from smartapp.models.queries import latest_run
from smartapp.review.locking import LOCKED_MESSAGE, is_locked
from smartapp.web.auth import encounter_for_user, user


def require_can_change(encounter: Encounter, run: CodingRun | None) -> None:
    """403 for a role that may not change this encounter; 409 when `run` is locked by a write-back."""
    why = why_not_decide(user(), encounter)
    if why is not None:
        raise UserFacingError(403, "You cannot change this encounter", why)
    if run is not None and is_locked(db.session, run):
        raise UserFacingError(409, "Already written back", LOCKED_MESSAGE)


def require_complete(run: CodingRun | None) -> CodingRun:
    if run is None or run.status != RunStatus.COMPLETE:
        raise UserFacingError(409, "Coding is not finished", "Wait for the suggestions before changing codes.")
    return run


def coded_encounter(encounter_id: int) -> tuple[Encounter, CodingRun]:
    """The signed-in user's encounter (404 across organizations) and its finished coding run (409 if not)."""
    enc = encounter_for_user(encounter_id)
    return enc, require_complete(latest_run(db.session, enc.id))


def changeable_encounter(encounter_id: int) -> tuple[Encounter, CodingRun]:
    """As coded_encounter, for requests that change codes: the role may, and no write-back locks it."""
    enc, run = coded_encounter(encounter_id)
    require_can_change(enc, run)
    return enc, run
