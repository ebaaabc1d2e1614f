"""The coder's work queue: every encounter of the organization, filtered, sorted, paged, with live
status while coding runs, and bulk "code selected" / "approve selected"."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, make_response, render_template, request, url_for
from flask_login import login_required
from pydantic import ValidationError

from smartapp.access import scope_note
from smartapp.connections.service import list_connections
from smartapp.extensions import db, jobs
from smartapp.inputs import EncounterQuery
from smartapp.models import Encounter, EncounterSource, EncounterStatus
from smartapp.models.queries import latest_run
from smartapp.runs.requests import request_coding
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user, is_htmx, require_can_decide, user
from smartapp.worklist import find_encounters, matching_ids, patient_summary
from smartapp.writeback.approval import failed_writebacks
from smartapp.writeback.queueing import request_write_back

MAX_BULK = 200
MAX_ALL_MATCHING = 5000   # "all N matching the filter": one request queues at most this many jobs
QUEUE_SORT = "-date_of_service"   # a coder works the newest visits first (the API keeps its own default)
SORTS = [("-date_of_service", "Date of service, newest first"), ("date_of_service", "Date of service, oldest first"),
         ("-updated_at", "Last change, newest first"), ("status", "Status"), ("provider", "Provider")]


def _query() -> tuple[EncounterQuery, list[str]]:
    known = {k: v for k, v in request.args.items() if k in EncounterQuery.model_fields and v != ""}
    known.setdefault("sort", QUEUE_SORT)
    try:
        return EncounterQuery.model_validate(known), []
    except ValidationError as exc:
        fields = sorted({str(e["loc"][0]) for e in exc.errors() if e["loc"]})
        return EncounterQuery.model_validate({}), [f"Ignored an invalid filter: {', '.join(fields)}."]


def _context(notices: list[str] | None = None) -> dict[str, object]:
    q, problems = _query()
    page = find_encounters(db.session, user(), q)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k in EncounterQuery.model_fields and v != ""}

    def page_url(number: int) -> str:
        return url_for("web.home", **{**args, "page": number})

    def sort_url(column: str) -> str:
        descending = q.sort == column
        return url_for("web.home", **{**args, "sort": f"-{column}" if descending else column, "page": 1})

    return {"q": q, "page": page, "args": args, "page_url": page_url, "sort_url": sort_url,
            "failures": failed_writebacks(db.session, [e for e in page.items if e.status == EncounterStatus.READY]),
            "live": any(e.status.busy for e in page.items), "notices": (notices or []) + problems,
            "statuses": list(EncounterStatus), "sources": list(EncounterSource), "sorts": SORTS,
            "patient_of": patient_summary, "max_all": MAX_ALL_MATCHING, "scope_note": scope_note(user()),
            "connections": list_connections(db.session, user()),
            "rows_url": url_for("web.queue_rows", **args, poll=1)}   # poll: not a person's activity


def render_queue() -> str:
    return render_template("queue.html", **_context())


@bp.get("/queue/rows")
@login_required
def queue_rows() -> Response:
    """The table body alone: the live poller and the bulk actions swap it in place."""
    response = make_response(render_template("partials/_queue_rows.html", **_context()))
    response.headers["Vary"] = "HX-Request"
    return response


def _selected() -> list[Encounter]:
    """The ticked rows, or with `all_matching` every encounter the URL's filter matches (every page)."""
    if request.form.get("all_matching") == "yes":
        q, _ = _query()
        ids = matching_ids(db.session, user(), q, MAX_ALL_MATCHING)
    else:
        ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()][:MAX_BULK]
    return [encounter_for_user(i) for i in dict.fromkeys(ids)]


def _rows_with(notices: list[str]) -> Response | str:
    if is_htmx():
        return render_template("partials/_queue_rows.html", **_context(notices))
    return render_template("queue.html", **_context(notices))


@bp.post("/queue/code")
@login_required
def code_selected() -> Response | str:
    queued, skipped = 0, 0
    engine = current_app.config["SETTINGS"].coding_engine
    jobs.require_available()
    for encounter in _selected():
        require_can_decide(encounter)
        if encounter.status == EncounterStatus.APPROVED:
            skipped += 1   # approved work is not redone in bulk; uploads are coded like EHR encounters
            continue
        run = latest_run(db.session, encounter.id)
        rerun = run is not None and run.status.terminal
        request_coding(db.session, encounter, user=user(), launch_session_id=None, engine=engine, rerun=rerun)
        queued += 1
    db.session.commit()
    message = f"{queued} encounter{'s' if queued != 1 else ''} queued for coding."
    return _rows_with([message + (f" {skipped} skipped (already approved)." if skipped else "")])


@bp.post("/queue/approve")
@login_required
def approve_selected() -> Response | str:
    """One job per encounter (a write-back waits on the EHR; a page of them must not hold the request)."""
    ready, not_ready = [], 0
    jobs.require_available()
    for encounter in _selected():
        require_can_decide(encounter)
        if encounter.status != EncounterStatus.READY:
            not_ready += 1
            continue
        # Queued on commit: each job starts by checking its encounter is approving.
        request_write_back(db.session, encounter, user(), accept_pending=True)
        ready.append(encounter.id)
    db.session.commit()
    queued = len(ready)
    notices = [f"{queued} encounter{'s' if queued != 1 else ''} queued for approval and write-back."
               + (" Their status changes here as each one is written back." if queued else "")]
    if not_ready:
        notices.append(f"{not_ready} not ready (still coding, failed or already approved).")
    return _rows_with(notices)
