"""What the review templates need, computed once per request: groups in order, evidence quotes and
highlights, who may change what, the lock after a write-back, the write-back options and history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from smartapp.access import why_not_decide
from smartapp.extensions import db
from smartapp.insights.hcc_review import hcc_view
from smartapp.models import ClaimSubmission, CodingRun, Decision, Encounter, LaunchSession, Suggestion, User
from smartapp.review.approved import ordered
from smartapp.review.decisions import REJECT_REASONS
from smartapp.review.locking import LOCKED_MESSAGE, written_back
from smartapp.web.auth import user
from smartapp.web.evidence import highlighted, quotes
from smartapp.web.runtime import runtime
from smartapp.writeback.plan import choose_for
from smartapp.writeback.strategies import STRATEGIES

GROUPS = (("diagnosis", "Diagnoses (ICD-10-CM)"), ("em", "Visit level (E/M)"), ("procedure", "Procedures"))


def first_listed_id(suggestions: list[Suggestion]) -> int | None:
    """The diagnosis a claim would list first: the top-ranked one not rejected."""
    for s in ordered(suggestions):
        if s.category == "diagnosis" and s.decision != Decision.REJECTED:
            return s.id
    return None


def permissions(encounter: Encounter, run: CodingRun | None) -> dict[str, Any]:
    why = why_not_decide(user(), encounter)
    locked = written_back(db.session, run) is not None
    return {"can_change": why is None and not locked and run is not None, "readonly_reason": why,
            "locked": locked, "locked_message": LOCKED_MESSAGE, "can_approve": why is None,
            "reasons": REJECT_REASONS}


def group_context(encounter: Encounter, run: CodingRun, category: str) -> dict[str, Any]:
    """For one group's fragment: its rows, their quotes, and the permissions."""
    everything = list(run.suggestions)
    rows = [s for s in ordered(everything) if s.category == category]
    notes_by_id = {n.id: n for n in encounter.notes} if any(s.evidence for s in rows) else {}
    return {
        "encounter": encounter, "run": run, "key": category, "label": dict(GROUPS)[category], "rows": rows,
        "quotes": {s.id: quotes(s, notes_by_id) for s in rows}, "first_id": first_listed_id(everything),
        "hcc": hcc_view(db.session, encounter, run), "oob_hcc": True, **permissions(encounter, run),
    }


def writeback_context(encounter: Encounter, run: CodingRun | None) -> dict[str, Any]:
    destination = runtime().ehr.route(db.session, encounter, user()).destination
    submissions = db.session.scalars(
        select(ClaimSubmission).where(ClaimSubmission.encounter_id == encounter.id).order_by(ClaimSubmission.id.desc())
    ).all()
    people_ids = {s.submitted_by_id for s in submissions if s.submitted_by_id}
    names = {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(people_ids)))}
    current = [s for s in submissions if run is not None and s.run_id == run.id]
    return {
        "encounter": encounter, "run": run, "submissions": submissions, "submitters": names,
        "latest": current[0] if current else None,
        # Scopes only: what the server accepts is asked when the preview opens, never while rendering.
        "availability": choose_for(destination, None),
        "ehr_name": destination.name if destination else "the EHR", "via": destination.via if destination else None,
        "strategies": STRATEGIES, **permissions(encounter, run),
    }


def review_context(encounter: Encounter, run: CodingRun | None) -> dict[str, Any]:
    notes = list(encounter.notes)
    suggestions = ordered(list(run.suggestions)) if run else []
    notes_by_id = {n.id: n for n in notes}
    launch = db.session.get(LaunchSession, encounter.launch_session_id) if encounter.launch_session_id else None
    return {
        **writeback_context(encounter, run),
        "groups": {key: [s for s in suggestions if s.category == key] for key, _ in GROUPS},
        "group_labels": GROUPS, "first_id": first_listed_id(suggestions),
        "quotes": {s.id: quotes(s, notes_by_id) for s in suggestions},
        "notes": [(n, highlighted(n, suggestions)) for n in notes],
        "banner": bool(launch and launch.need_patient_banner),
        "hcc": hcc_view(db.session, encounter, run),
    }
