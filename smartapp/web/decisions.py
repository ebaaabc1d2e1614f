"""HTMX endpoints for decisions on suggested codes. Each swaps one fragment: the code's group (so the
first-listed badge and the order stay right), or the whole panel for accept-all."""

from __future__ import annotations

from flask import render_template, request
from flask_login import login_required

from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.models import Decision, Encounter, Suggestion
from smartapp.models.queries import latest_run
from smartapp.review.decisions import accept_all_pending, decide
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user, user
from smartapp.web.review_context import group_context, review_context
from smartapp.web.review_guard import changeable_encounter, require_can_change

_DECISIONS = {"accept": Decision.ACCEPTED, "reject": Decision.REJECTED, "reset": Decision.PENDING}


def changeable_suggestion(suggestion_id: int) -> tuple[Suggestion, Encounter]:
    """The suggestion, if the user may change it now (its encounter, latest run, not locked)."""
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise UserFacingError(404, "Code not found", "This suggestion no longer exists; reload the page.")
    enc = encounter_for_user(suggestion.run.encounter_id)
    require_can_change(enc, suggestion.run)
    current = latest_run(db.session, enc.id)
    if current is None or current.id != suggestion.run_id:
        raise UserFacingError(409, "Coding was re-run", "These suggestions are from an earlier run; reload the page.")
    return suggestion, enc


def render_group(enc: Encounter, suggestion: Suggestion) -> str:
    return render_template("partials/_group.html", **group_context(enc, suggestion.run, suggestion.category))


@bp.post("/suggestions/<int:suggestion_id>/decision")
@login_required
def decide_suggestion(suggestion_id: int) -> str:
    suggestion, enc = changeable_suggestion(suggestion_id)
    decision = _DECISIONS.get(request.form.get("decision", ""))
    if decision is None:
        raise UserFacingError(400, "Unknown decision", "Choose accept or reject.")
    reason = request.form.get("reason") or None
    if reason == "other":
        reason = request.form.get("other_reason") or None
    decide(db.session, suggestion, decision, user(), reason)
    db.session.commit()
    return render_group(enc, suggestion)


@bp.post("/encounters/<int:encounter_id>/accept-all")
@login_required
def accept_all(encounter_id: int) -> str:
    enc, run = changeable_encounter(encounter_id)
    accept_all_pending(db.session, list(run.suggestions), user())
    db.session.commit()
    return render_template("partials/_coding.html", **review_context(enc, run))
