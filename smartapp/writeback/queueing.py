"""Queueing an approval's write-back as a job, with the request recorded in the database first.

The database is the truth and Redis only the queue: the encounter goes "approving" and an audit record
says who asked, how ("Approve & write back" with the preview's digest, or "Approve selected", which
accepts pending codes first), in the same transaction; the job is queued when it commits. If Redis
loses the job before a worker starts it, recovery (smartapp/recovery.py) reads that record and queues
the same job again, as the same person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.jobqueue import jobs
from smartapp.models import AuditEvent, Encounter, EncounterStatus, User
from smartapp.models.base import as_utc

APPROVE_JOB = "workers.jobs.approve_encounter"   # "Approve selected": accepts pending codes first
WRITE_BACK_JOB = "workers.jobs.write_back"        # the page's approve, and resending an interrupted one
APPROVE_JOB_PREFIX = "approve-encounter-"
REQUESTED = "approve-requested"
_SLACK = timedelta(seconds=5)   # the request's record and the encounter's change share a transaction
_SELECTED = "approve selected"
_REVIEWED = "approve; preview "


def job_id_for(encounter: Encounter) -> str:
    return f"{APPROVE_JOB_PREFIX}{encounter.id}"


def request_write_back(session: Session, encounter: Encounter, user: User, *, accept_pending: bool,
                       digest: str | None = None) -> None:
    """Mark the encounter approving, record the request, queue its job when the caller commits."""
    encounter.status = EncounterStatus.APPROVING
    how = _SELECTED if accept_pending else f"{_REVIEWED}{digest or '-'}"
    audit.record(session, action=REQUESTED, actor=user, resource_type="Encounter", encounter_id=encounter.id,
                 detail=how)
    if accept_pending:
        jobs.enqueue_after_commit(session, APPROVE_JOB, encounter.id, user.id, job_id=job_id_for(encounter))
    else:
        jobs.enqueue_after_commit(session, WRITE_BACK_JOB, encounter.id, user.id, digest or "",
                                  job_id=job_id_for(encounter))


@dataclass(frozen=True)
class Requested:
    job: str
    args: tuple[int | str, ...]


def requested(session: Session, encounter: Encounter) -> Requested | None:
    """The job of the request that made this encounter approving, from its audit record; None when
    there is none (e.g. it was made approving before requests were recorded)."""
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.encounter_id == encounter.id, AuditEvent.action == REQUESTED)
        .order_by(AuditEvent.id.desc()).limit(1)).first()
    if event is None or event.actor_id is None or not event.detail:
        return None
    if encounter.updated_at is not None and as_utc(event.created_at) < as_utc(encounter.updated_at).replace(
            microsecond=0) - _SLACK:
        return None   # an older request; this approving state came some other way
    if event.detail == _SELECTED:
        return Requested(APPROVE_JOB, (encounter.id, event.actor_id))
    if event.detail.startswith(_REVIEWED):
        digest = event.detail[len(_REVIEWED):]
        return Requested(WRITE_BACK_JOB, (encounter.id, event.actor_id, "" if digest == "-" else digest))
    return None

