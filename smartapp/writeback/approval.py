"""Approving an encounter's latest coding without the review page: the queue's "Approve selected" (a
job per encounter) and `POST /api/v1/encounters/<id>/approve`. Optionally every pending code is
accepted first (as the queue does); then the write-back runs exactly as from the page, with the same
one-Claim guarantee."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.access import why_not_decide
from smartapp.ehr_access.routing import Route
from smartapp.models import ClaimSubmission, Encounter, EncounterStatus, RunStatus, SubmissionStatus, User
from smartapp.models.queries import latest_run
from smartapp.review.decisions import accept_all_pending
from smartapp.review.locking import is_locked
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


def approve_queued(session: Session, encounter: Encounter, user: User, route: Route) -> EncounterStatus:
    """The job behind "Approve selected": accept what is pending, write back, and leave the encounter
    APPROVED, or READY again with the failed submission saying why (or still APPROVING while an
    interrupted send waits to be retried). Safe to run twice."""
    if encounter.status != EncounterStatus.APPROVING:
        return encounter.status   # a retried job whose first run finished
    if why_not_decide(user, encounter) is not None:   # the rule is asked again when the job runs
        encounter.status = EncounterStatus.READY
        session.commit()
        return encounter.status
    try:
        row = approve_latest(session, encounter, user, route, accept_pending=True)
    except NotReady:
        row = None
    except Exception:
        session.rollback()
        encounter.status = EncounterStatus.READY   # never stuck "approving"; the job's failure is logged
        session.commit()
        raise
    if row is not None and row.status == SubmissionStatus.SENDING:
        # Another attempt is sending, or one died mid-send (its worker was killed). Stay "approving":
        # recovery sends it again once that attempt is surely dead, and If-None-Exist finds anything
        # it had already created.
        return encounter.status
    done = row is not None and row.status.written_back
    encounter.status = EncounterStatus.APPROVED if done else EncounterStatus.READY
    session.commit()
    return encounter.status


def failed_writebacks(session: Session, encounters: Sequence[Encounter]) -> dict[int, str]:
    """Encounter id → why its latest write-back failed, for those whose latest one did (the queue
    shows it on the row, since "Approve selected" runs in the background)."""
    if not encounters:
        return {}
    latest: dict[int, ClaimSubmission] = {}
    for row in session.scalars(select(ClaimSubmission).where(
            ClaimSubmission.encounter_id.in_([e.id for e in encounters])).order_by(ClaimSubmission.id.desc())):
        latest.setdefault(row.encounter_id, row)
    return {eid: row.error or "Not written back." for eid, row in latest.items()
            if row.status == SubmissionStatus.FAILED}
