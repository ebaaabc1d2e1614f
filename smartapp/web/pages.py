"""Full pages (home, encounter review) and the coding-status partial the review page polls."""

from __future__ import annotations

from flask import Response, current_app, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required

from smartapp import audit
from smartapp.db import database_ready
from smartapp.extensions import db, jobs
from smartapp.models import RunStatus
from smartapp.models.queries import latest_run
from smartapp.review.wording import for_coder
from smartapp.runs.requests import request_coding
from smartapp.subscriptions import auto_code as arrivals
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user, is_htmx, user
from smartapp.web.queue import render_queue
from smartapp.web.review_context import review_context
from smartapp.web.review_guard import require_can_change
from smartapp.web.typeahead import warm_code_set

__all__ = ["review_context"]   # imported from here by older callers


@bp.app_template_filter("for_coder")
def _for_coder(rationale: str | None) -> str:
    return for_coder(rationale)


@bp.get("/healthz")
def healthz() -> dict[str, bool]:
    """Liveness: the process answers. Readiness (can it do work?) is /readyz."""
    return {"ok": True}


@bp.get("/readyz")
def readyz() -> tuple[dict[str, bool], int]:
    """Readiness for a load balancer: the database and Redis (the job queue) both answer; 503 if not."""
    checks = {"database": database_ready(db.session), "redis": jobs.available()}
    return {"ok": all(checks.values()), **checks}, 200 if all(checks.values()) else 503


@bp.get("/")
def home() -> Response | str:
    if not current_user.is_authenticated:
        return redirect(url_for("smart.start"))  # type: ignore[return-value]
    return render_queue()   # the work queue (smartapp/web/queue.py)


@bp.get("/encounters/<int:encounter_id>")
@login_required
def encounter(encounter_id: int) -> str:
    enc = encounter_for_user(encounter_id)
    run = latest_run(db.session, enc.id)
    # Showing the notes is a read of patient data: audited (ids only).
    audit.record(db.session, action="view", actor=user(), resource_type="Encounter",
                 resource_id=enc.fhir_encounter_id or str(enc.id), encounter_id=enc.id)
    arrivals.mark_seen(db.session, enc.id)   # no longer "new" in the queue
    db.session.commit()
    warm_code_set()
    return render_template("encounter.html", **review_context(enc, run))


@bp.get("/encounters/<int:encounter_id>/coding")
@login_required
def coding_status(encounter_id: int) -> Response:
    """The poller asks here every second; once the run is done it gets the review panel instead."""
    enc = encounter_for_user(encounter_id)
    if not is_htmx():
        response = make_response(redirect(url_for("web.encounter", encounter_id=enc.id)))
    else:
        run = latest_run(db.session, enc.id)
        if run is None or not run.status.terminal:
            html = render_template("partials/_coding.html", encounter=enc, run=run)   # still waiting: cheap
        else:
            html = render_template("partials/_coding.html", oob_header=True, **review_context(enc, run))
        response = make_response(html)
    response.headers["Vary"] = "HX-Request"
    return response


@bp.post("/encounters/<int:encounter_id>/rerun")
@login_required
def rerun(encounter_id: int) -> str:
    enc = encounter_for_user(encounter_id)
    require_can_change(enc, None)   # allowed after a write-back: re-running is how codes reopen
    jobs.require_available()
    waiting = latest_run(db.session, enc.id)
    # A run no worker has started yet is queued again as it is; anything else is coded anew.
    stranded = waiting is not None and waiting.status == RunStatus.PENDING
    run = request_coding(db.session, enc, user=user(), launch_session_id=enc.launch_session_id,
                         engine=current_app.config["SETTINGS"].coding_engine, rerun=not stranded)
    arrivals.clear_note_waiting(db.session, enc.id)   # the coder consented to a re-code
    db.session.commit()
    return render_template("partials/_coding.html", **review_context(enc, run))
