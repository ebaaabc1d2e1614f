"""Batch sync requests: start one, cancel one, and the summary the sync page and the API show.

The counts come from the sync's items and their coding runs (see `models/sync.py`), so they are right
however often a job was interrupted and run again. `refresh_status()` moves a sync whose pages are all
read to COMPLETE once its last coding run has finished; it is called wherever the summary is read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.connections.service import connection_for, owned_row, require_manager
from smartapp.errors import UserFacingError
from smartapp.inputs import SyncRequest
from smartapp.jobqueue import jobs
from smartapp.models import (
    AuthType,
    CodingRun,
    Encounter,
    EncounterStatus,
    ItemOutcome,
    RunStatus,
    SyncItem,
    SyncRun,
    SyncStatus,
    User,
)
from smartapp.runs.requests import BATCH_JOB_PREFIX

SYNC_JOB = "workers.jobs.sync_encounters"
ACTIVE = (SyncStatus.QUEUED, SyncStatus.RUNNING, SyncStatus.CODING)


def job_id_for(run: SyncRun) -> str:
    return f"sync-run-{run.id}"


def start_sync(session: Session, user: User, request: SyncRequest) -> SyncRun:
    require_manager(user)
    connection = connection_for(session, user, request.fhir_connection_id)
    if not connection.active:
        raise UserFacingError(409, "Connection inactive", "Activate the connection before syncing from it.")
    if connection.auth_type == AuthType.SMART_LAUNCH:
        raise UserFacingError(409, "Connection cannot sync", "SMART launch connections need a person; use "
                              "Backend Services, client credentials, Basic or an API key for batch sync.")
    running = session.scalar(select(SyncRun).where(SyncRun.connection_id == connection.id,
                                                   SyncRun.status.in_(ACTIVE)).limit(1))
    if running is not None:
        raise UserFacingError(409, "A sync is already running", f"Sync {running.id} on this connection has not "
                              "finished; wait for it or cancel it.")
    run = SyncRun(organization_id=connection.organization_id, connection_id=connection.id, requested_by_id=user.id,
                  duplicate_policy=request.duplicate_policy,
                  criteria={**request.model_dump(mode="json", exclude={"fhir_connection_id", "duplicate_policy"}),
                            "source": "auto"})   # Bulk Data or search: decided by the job (sync_mode.py)
    session.add(run)
    session.flush()
    run.job_id = job_id_for(run)
    audit.record(session, action="sync-start", actor=user, resource_type="FhirConnection",
                 resource_id=str(connection.id), detail=f"sync {run.id}, policy {request.duplicate_policy.value}")
    jobs.enqueue_after_commit(session, SYNC_JOB, run.id, job_id=run.job_id)
    return run


def sync_for(session: Session, user: User, sync_id: int) -> SyncRun:
    return owned_row(session, SyncRun, sync_id, user, "sync")


def _cancel_job(job_id: str | None) -> None:
    if not job_id or jobs.redis is None:
        return
    try:
        Job.fetch(job_id, connection=jobs.redis).cancel()
    except (NoSuchJobError, Exception):   # noqa: BLE001 - already finished, started or gone: nothing to cancel
        return


def cancel_pending(session: Session, run: SyncRun) -> int:
    """Withdraw coding that has not started: the RQ job is cancelled (a single run's) and the waiting run removed."""
    rows = session.execute(
        select(SyncItem, CodingRun).join(CodingRun, CodingRun.id == SyncItem.coding_run_id)
        .where(SyncItem.sync_run_id == run.id, CodingRun.status == RunStatus.PENDING)
    ).all()
    for item, coding in rows:
        if not (coding.job_id or "").startswith(BATCH_JOB_PREFIX):
            # A batch's job is left to run: it skips the runs removed here, and still codes the others.
            _cancel_job(coding.job_id)
        encounter = session.get(Encounter, coding.encounter_id)
        if encounter is not None and encounter.status == EncounterStatus.CODING:
            encounter.status = EncounterStatus.NEW
        item.outcome, item.coding_run_id = ItemOutcome.CANCELLED, None
        session.delete(coding)
    return len(rows)


def cancel_sync(session: Session, user: User, run: SyncRun) -> None:
    require_manager(user)
    if run.status.terminal:
        return
    run.cancel_requested = True
    withdrawn = cancel_pending(session, run)
    if run.status != SyncStatus.RUNNING:
        # Nobody is paging: finish now. A running sync job sees the flag before its next encounter.
        _cancel_job(run.job_id)
        run.status, run.finished_at = SyncStatus.CANCELLED, datetime.now(UTC)
    audit.record(session, action="sync-cancel", actor=user, resource_type="FhirConnection",
                 resource_id=str(run.connection_id), detail=f"sync {run.id}, {withdrawn} coding jobs withdrawn")


def counts(session: Session, run: SyncRun) -> dict[str, int]:
    outcome, status = SyncItem.outcome, CodingRun.status
    row = session.execute(
        select(
            func.count(SyncItem.id),
            func.sum(case((outcome == ItemOutcome.NEW, 1), else_=0)),
            func.sum(case((outcome == ItemOutcome.SKIPPED, 1), else_=0)),
            func.sum(case((outcome.in_([ItemOutcome.OVERWRITTEN, ItemOutcome.VERSIONED]), 1), else_=0)),
            func.sum(case((SyncItem.coding_run_id.is_not(None), 1), else_=0)),
            func.sum(case((status == RunStatus.COMPLETE, 1), else_=0)),
            func.sum(case((outcome == ItemOutcome.FAILED, 1), (status == RunStatus.FAILED, 1), else_=0)),
            func.sum(case((outcome == ItemOutcome.CANCELLED, 1), else_=0)),
            func.sum(case((status.in_([RunStatus.PENDING, RunStatus.RUNNING]), 1), else_=0)),
        ).select_from(SyncItem).outerjoin(CodingRun, CodingRun.id == SyncItem.coding_run_id)
        .where(SyncItem.sync_run_id == run.id)
    ).one()
    keys = ("total_found", "new", "skipped", "updated", "queued", "processed", "failed", "cancelled", "coding")
    return {k: int(v or 0) for k, v in zip(keys, row, strict=True)}


def refresh_status(session: Session, run: SyncRun) -> dict[str, int]:
    numbers = counts(session, run)
    if run.status == SyncStatus.CODING and numbers["coding"] == 0:
        run.status, run.finished_at = SyncStatus.COMPLETE, datetime.now(UTC)
    return numbers


def summary(session: Session, run: SyncRun) -> dict[str, Any]:
    numbers = refresh_status(session, run)
    done = numbers["skipped"] + numbers["processed"] + numbers["failed"] + numbers["cancelled"]
    total = numbers["total_found"]
    progress = 100 if run.status.terminal else (round(100 * done / total) if total else 0)
    return {
        "id": run.id, "connection_id": run.connection_id, "status": run.status.value,
        "duplicate_policy": run.duplicate_policy.value, "criteria": run.criteria,
        **{k: v for k, v in numbers.items() if k != "coding"}, "waiting": numbers["coding"],
        "progress": min(progress, 100), "pages_fetched": run.pages_fetched, "cancel_requested": run.cancel_requested,
        "error": run.error, "created_at": run.created_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


def recent_syncs(session: Session, connection_id: int, limit: int = 5) -> list[SyncRun]:
    return list(session.scalars(select(SyncRun).where(SyncRun.connection_id == connection_id)
                                .order_by(SyncRun.id.desc()).limit(limit)))
