"""The sync page: a progress bar that polls itself until the sync is finished, and cancel."""

from __future__ import annotations

from flask import Response, make_response, redirect, render_template, url_for
from flask_login import login_required

from smartapp.connections.service import describe
from smartapp.extensions import db
from smartapp.models import FhirConnection, SyncRun
from smartapp.recovery import recover_throttled
from smartapp.sources.sync import cancel_sync, summary, sync_for
from smartapp.web import bp
from smartapp.web.auth import is_htmx, user


def _context(run: SyncRun) -> dict[str, object]:
    if not run.status.terminal:
        recover_throttled(db.session, run.id)   # a dead worker's share goes back on the queue
    connection = db.session.get(FhirConnection, run.connection_id)
    context: dict[str, object] = {"s": summary(db.session, run), "terminal": run.status.terminal,
                                  "connection": describe(connection) if connection else None}
    db.session.commit()   # a sync whose coding has all finished is marked complete
    return context


@bp.get("/syncs/<int:sync_id>")
@login_required
def sync_page(sync_id: int) -> str:
    return render_template("sync.html", **_context(sync_for(db.session, user(), sync_id)))


@bp.get("/syncs/<int:sync_id>/progress")
@login_required
def sync_progress(sync_id: int) -> Response:
    run = sync_for(db.session, user(), sync_id)
    if not is_htmx():
        response = make_response(redirect(url_for("web.sync_page", sync_id=run.id)))
    else:
        response = make_response(render_template("partials/_sync_progress.html", **_context(run)))
    response.headers["Vary"] = "HX-Request"
    return response


@bp.post("/syncs/<int:sync_id>/cancel")
@login_required
def cancel_sync_now(sync_id: int) -> str:
    run = sync_for(db.session, user(), sync_id)
    cancel_sync(db.session, user(), run)
    db.session.commit()
    return render_template("partials/_sync_progress.html", **_context(run))
