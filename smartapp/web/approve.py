"""Approve & write back (HTMX): swaps the write-back panel with the Claim id or the EHR's error."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.ingest.coding_requests import latest_run
from smartapp.models import RunStatus
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user, require_can_decide, user
from smartapp.web.pages import review_context
from smartapp.writeback.service import approve_and_write_back


@bp.post("/encounters/<int:encounter_id>/approve")
@login_required
def approve(encounter_id: int) -> str:
    enc = encounter_for_user(encounter_id)
    require_can_decide(enc)
    run = latest_run(db.session, enc.id)
    if run is None or run.status != RunStatus.COMPLETE:
        raise UserFacingError(409, "Coding is not finished", "Wait for the suggestions before approving.")
    submission = approve_and_write_back(db.session, enc, run, user())
    return render_template("partials/_writeback.html", submission=submission, **review_context(enc, run))
