"""Approving an encounter's latest coding as a job: the review page's "Approve & write back" and the
queue's "Approve selected" (one job per encounter, the same job id), and
`POST /api/v1/encounters/<id>/approve`. The queue accepts every pending code first; the page sends
exactly what the person previewed. Either way the write-back runs with the same one-Claim guarantee."""

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
from smartapp.writeback.service import PlanChanged, approve_and_write_back, record_plan_changed


class NotReady(RuntimeError):
    """No finished coding run to approve; the message says so in words."""


def approve_latest(session: Session, encounter: Encounter, user: User, route: Route, *,
                   accept_pending: bool, without_service_line: bool = False) -> ClaimSubmission:
    """Approve the latest finished run. A Claim without a service line is refused unless
    `without_service_line` says the caller chose it ("Approve selected" never does: a bulk action
    makes no such choice unseen)."""
    run = latest_run(session, encounter.id)
    if run is None or run.status != RunStatus.COMPLETE:
        raise NotReady("This encounter has no finished coding to approve yet.")
    if accept_pending and not is_locked(session, run):   # written back: its decisions are final
        accept_all_pending(session, list(run.suggestions), user)
    return approve_and_write_back(session, encounter, run, user, route, without_service_line=without_service_line)


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


def approve_reviewed(session: Session, encounter: Encounter, user: User, route: Route,
                     expected_digest: str | None) -> str:
    """The job behind the page's "Approve & write back" (and recovery's resend of an interrupted one):
    send the latest run's decided codes as they are, only if they are still what the person previewed
    (`expected_digest`; None: no preview to hold to). Leaves the encounter APPROVED, or READY with the
    failed submission saying why (also when the codes changed after the preview). Safe to run twice."""
    if encounter.status != EncounterStatus.APPROVING:
        return encounter.status.value   # a retried job whose first run finished
    run = latest_run(session, encounter.id)
    if why_not_decide(user, encounter) is not None or run is None or run.status != RunStatus.COMPLETE:
        encounter.status = EncounterStatus.READY
        session.commit()
        return encounter.status.value
    try:
        # The page queues this only after the person previewed it and, for a Claim without a service line,
        # chose to send it so; the digest holds the job to exactly that preview.
        row = approve_and_write_back(session, encounter, run, user, route, expected_digest=expected_digest,
                                     without_service_line=True)
    except PlanChanged:
        row = record_plan_changed(session, encounter, run, user)   # nothing sent; the reads stay audited
    except Exception:
        session.rollback()
        encounter.status = EncounterStatus.READY   # never stuck "approving"; the job's failure is logged
        session.commit()
        raise
    if row.status == SubmissionStatus.SENDING:
        return encounter.status.value   # another attempt is sending, or one died mid-send: recovery resends
    encounter.status = EncounterStatus.APPROVED if row.status.written_back else EncounterStatus.READY
    session.commit()
    return encounter.status.value


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
