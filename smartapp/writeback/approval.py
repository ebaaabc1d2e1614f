"""Approving an encounter's latest coding without the review page: the queue's "Approve selected" and
`POST /api/v1/encounters/<id>/approve`. Optionally every pending code is accepted first (as the queue
does); then the write-back runs exactly as from the page, with the same one-Claim guarantee."""

from __future__ import annotations

from sqlalchemy.orm import Session

from smartapp.ingest.coding_requests import latest_run
from smartapp.models import ClaimSubmission, Encounter, RunStatus, User
from smartapp.review.decisions import accept_all_pending
from smartapp.review.locking import is_locked
from smartapp.writeback.routing import Route
from smartapp.writeback.service import approve_and_write_back


class NotReady(RuntimeError):
    """No finished coding run to approve; the message says so in words."""


def approve_latest(session: Session, encounter: Encounter, user: User, route: Route, *,
                   accept_pending: bool) -> ClaimSubmission:
    run = latest_run(session, encounter.id)
    if run is None or run.status != RunStatus.COMPLETE:
        raise NotReady("This encounter has no finished coding to approve yet.")
    if accept_pending and not is_locked(session, run):   # written back: its decisions are final
        accept_all_pending(session, list(run.suggestions), user)
    return approve_and_write_back(session, encounter, run, user, route)
