"""HTMX endpoints for decisions: each swaps one suggestion row (or the panel, for accept-all)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import login_required

from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.ingest.coding_requests import latest_run
from smartapp.models import Decision, Suggestion
from smartapp.review.decisions import accept_all_pending, decide
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user, require_can_decide, user
from smartapp.web.evidence import quotes
from smartapp.web.pages import review_context

_DECISIONS = {"accept": Decision.ACCEPTED, "reject": Decision.REJECTED, "reset": Decision.PENDING}


@bp.post("/suggestions/<int:suggestion_id>/decision")
@login_required
def decide_suggestion(suggestion_id: int) -> str:
    suggestion = db.session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise UserFacingError(404, "Code not found", "This suggestion no longer exists; reload the page.")
    enc = encounter_for_user(suggestion.run.encounter_id)
    require_can_decide(enc)
    decision = _DECISIONS.get(request.form.get("decision", ""))
    if decision is None:
        raise UserFacingError(400, "Unknown decision", "Choose accept or reject.")
    decide(db.session, suggestion, decision, user(), request.form.get("reason"))
    notes_by_id = {n.id: n for n in enc.notes}
    return render_template("partials/_suggestion.html", s=suggestion,
                           quotes={suggestion.id: quotes(suggestion, notes_by_id)})


@bp.post("/encounters/<int:encounter_id>/accept-all")
@login_required
def accept_all(encounter_id: int) -> str:
    enc = encounter_for_user(encounter_id)
    require_can_decide(enc)
    run = latest_run(db.session, enc.id)
    if run is not None:
        accept_all_pending(db.session, list(run.suggestions), user())
    return render_template("partials/_coding.html", **review_context(enc, run))
