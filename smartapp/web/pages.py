"""Full pages (home, encounter review) and the coding-status partial the review page polls."""

from __future__ import annotations

from flask import Response, current_app, make_response, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from smartapp.extensions import db
from smartapp.ingest.coding_requests import latest_run, request_coding
from smartapp.models import ClaimSubmission, CodingRun, Encounter, LaunchSession
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user, is_htmx, require_can_decide, user
from smartapp.web.evidence import highlighted, quotes
from smartapp.writeback.availability import writeback_availability


@bp.get("/healthz")
def healthz() -> dict[str, bool]:
    return {"ok": True}


@bp.get("/")
def home() -> Response | str:
    if not current_user.is_authenticated:
        return redirect(url_for("smart.start"))  # type: ignore[return-value]
    encounters = db.session.scalars(
        select(Encounter).where(Encounter.organization_id == user().organization_id)
        .order_by(Encounter.updated_at.desc()).limit(100)
    ).all()
    return render_template("home.html", encounters=encounters)


def review_context(encounter: Encounter, run: CodingRun | None) -> dict[str, object]:
    notes = list(encounter.notes)
    notes_by_id = {n.id: n for n in notes}
    suggestions = list(run.suggestions) if run else []
    groups = {
        "diagnosis": [s for s in suggestions if s.category == "diagnosis"],
        "em": [s for s in suggestions if s.category == "em"],
        "procedure": [s for s in suggestions if s.category == "procedure"],
    }
    submissions = db.session.scalars(
        select(ClaimSubmission).where(ClaimSubmission.encounter_id == encounter.id).order_by(ClaimSubmission.id.desc())
    ).all()
    launch = db.session.get(LaunchSession, encounter.launch_session_id) if encounter.launch_session_id else None
    return {
        "encounter": encounter, "run": run, "groups": groups,
        "quotes": {s.id: quotes(s, notes_by_id) for s in suggestions},
        "notes": [(n, highlighted(n, suggestions)) for n in notes],
        "submissions": submissions,
        "availability": writeback_availability(launch, current_app.extensions["revrx.registry"]),
        "banner": bool(launch and launch.need_patient_banner),
    }


@bp.get("/encounters/<int:encounter_id>")
@login_required
def encounter(encounter_id: int) -> str:
    enc = encounter_for_user(encounter_id)
    run = latest_run(db.session, enc.id)
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
        response = make_response(render_template("partials/_coding.html", oob_header=True, **review_context(enc, run)))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.post("/encounters/<int:encounter_id>/rerun")
@login_required
def rerun(encounter_id: int) -> str:
    enc = encounter_for_user(encounter_id)
    require_can_decide(enc)
    run = request_coding(db.session, enc, user=user(), launch_session_id=enc.launch_session_id,
                         engine=current_app.config["SETTINGS"].coding_engine, rerun=True)
    return render_template("partials/_coding.html", **review_context(enc, run))
