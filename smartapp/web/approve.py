"""Approve & write back (HTMX): the preview of exactly what will be sent, the confirm that queues it,
and the write-back panel (progress while the job runs, then results, errors with a retry, history).
All swap `#writeback`.

The confirm returns at once: the write-back is an RQ job (`workers.jobs.write_back`, one job id per
encounter, shared with "Approve selected"), so a slow or unreachable EHR never holds the request, and
the panel polls until the job is done. A double click queues one job and sends one Claim (the job id,
the encounter's APPROVING state and the submission's idempotency key each hold that)."""

from __future__ import annotations

import json

from flask import Response, make_response, render_template, request
from flask_login import login_required
from sqlalchemy import select

from smartapp.access import why_not_decide
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.jobqueue import jobs
from smartapp.models import ClaimSubmission, CodingRun, Encounter, EncounterStatus, SubmissionStatus
from smartapp.models.queries import latest_run
from smartapp.review.approved import approved_codes
from smartapp.review.locking import is_locked
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user, user
from smartapp.web.review_context import review_context, writeback_context
from smartapp.web.review_guard import require_complete
from smartapp.web.runtime import runtime
from smartapp.writeback.plan import Plan
from smartapp.writeback.queueing import request_write_back
from smartapp.writeback.service import PLAN_CHANGED, abandoned, preview


def _approvable(encounter_id: int) -> tuple[Encounter, CodingRun]:
    enc = encounter_for_user(encounter_id)
    why = why_not_decide(user(), enc)
    if why is not None:
        raise UserFacingError(403, "You cannot approve this encounter", why)
    return enc, require_complete(latest_run(db.session, enc.id))


def _render_preview(enc: Encounter, run: CodingRun, plan: Plan, changed: bool = False,
                    choice_missing: bool = False) -> str:
    payload = [o.body for o in plan.outgoing]   # what is POSTed (Oracle's $create: its Parameters)
    return render_template(
        "partials/_writeback_preview.html", plan=plan, changed=changed, choice_missing=choice_missing,
        payload_json=json.dumps(payload[0] if len(payload) == 1 else payload, indent=2),
        **writeback_context(enc, run),
    )


def _panel(enc: Encounter, run: CodingRun | None) -> Response:
    """The write-back panel; once written back, the whole review panel instead, since every code
    on it has just become read-only."""
    if run is not None and is_locked(db.session, run):
        response = make_response(render_template("partials/_coding.html", **review_context(enc, run)))
        response.headers["HX-Retarget"] = "#coding"
        response.headers["HX-Reswap"] = "outerHTML"
        return response
    return make_response(render_template("partials/_writeback.html", **writeback_context(enc, run)))


@bp.get("/encounters/<int:encounter_id>/writeback")
@login_required
def writeback_panel(encounter_id: int) -> Response:
    enc = encounter_for_user(encounter_id)
    return _panel(enc, latest_run(db.session, enc.id))


@bp.get("/encounters/<int:encounter_id>/writeback/preview")
@login_required
def writeback_preview(encounter_id: int) -> str:
    enc, run = _approvable(encounter_id)
    plan = preview(db.session, enc, run, user(), runtime().ehr.route(db.session, enc, user()))
    db.session.commit()   # the reads were audited
    return _render_preview(enc, run, plan)


@bp.post("/encounters/<int:encounter_id>/approve")
@login_required
def approve(encounter_id: int) -> Response | str:
    enc, run = _approvable(encounter_id)
    jobs.require_available()
    # A repeat (double click, another tab) after the write-back was sent or queued reports it, asking nothing.
    if enc.status != EncounterStatus.APPROVING and not _sent_or_sending(run):
        if not approved_codes(run).lines and request.form.get("without_service_line") != "yes":
            # A Claim without a service line is sent only on an explicit choice (the preview asks).
            plan = preview(db.session, enc, run, user(), runtime().ehr.route(db.session, enc, user()))
            if plan.claim_without_lines:
                db.session.commit()   # the reads were audited
                return _render_preview(enc, run, plan, choice_missing=True)
        # Queued on commit; the job starts by checking the encounter is still approving.
        request_write_back(db.session, enc, user(), accept_pending=False, digest=request.form.get("digest") or None)
    db.session.commit()
    return _panel(enc, run)


def _sent_or_sending(run: CodingRun) -> bool:
    """This run's write-back is done, or under way (a second click changes nothing); one whose sender
    died (abandoned) may be retried."""
    row = db.session.scalar(select(ClaimSubmission).where(ClaimSubmission.run_id == run.id)
                            .order_by(ClaimSubmission.id.desc()).limit(1))
    return row is not None and (row.status.written_back
                                or (row.status == SubmissionStatus.SENDING and not abandoned(row)))


@bp.app_template_global()
def plan_changed_message() -> str:
    return PLAN_CHANGED
