"""Scheduled incremental sync (issue 17): every N minutes per connection, read what the EHR changed since
the last window and code the finished encounters, where the EHR offers no Subscription.

Who runs it: every RQ worker, on each turn of its loop (a few seconds apart when idle), asks `any_due()`
at most once per `TICK_S` across all workers (a Redis lock), and only when a window is due queues one
`run_due` job (a fixed job id: never two waiting). `run_due` claims each due schedule with a conditional
UPDATE of `next_run_at` (only one transaction can move it from the value it read), and starts a window
only when no sync of that connection is still reading (QUEUED or RUNNING): at most one window in flight
per connection, however many workers and scheduler passes there are. The window itself is an ordinary
SyncRun (requested by nobody, duplicate policy `skip`), so its progress, recovery after a crash and
counts are those of any sync.

Windows: `since` moves forward only when a window's reading finished (to its start, less `OVERLAP_S`
for clocks that disagree, or to the Bulk Data export's `transactionTime`); a failed window is read again.
The overlap may bring an encounter twice: `skip` leaves the second sighting alone. While the connection is
in subscription mode (sync_mode.py) a due window is claimed but not read: the EHR's notifications bring
the encounters, and the schedule takes over again when the subscription is paused or deleted.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.connections.service import require_manager
from smartapp.errors import UserFacingError
from smartapp.jobqueue import jobs
from smartapp.models import AuthType, DuplicatePolicy, FhirConnection, SyncRun, SyncSchedule, SyncStatus, User
from smartapp.models.base import as_utc
from smartapp.sources.sync import SYNC_JOB, job_id_for
from smartapp.sources.sync_mode import SUBSCRIPTION, mode_of, schedule_of

log = logging.getLogger(__name__)
SCHEDULER_JOB = "workers.jobs.run_sync_schedules"
SCHEDULER_JOB_ID = "sync-scheduler"
TICK_S = 5              # how often (at most) the workers together look for due windows
OVERLAP_S = 60          # each window reads this far back into the previous one
WINDOW_LIMIT = 1000     # encounters one window queues at most (the next window goes on from there)
MIN_INTERVAL_S, MAX_INTERVAL_S = 6, 24 * 3600
READING = (SyncStatus.QUEUED, SyncStatus.RUNNING)


def _now() -> datetime:
    return datetime.now(UTC)


def configure(session: Session, user: User, connection: FhirConnection, *, enabled: bool | None = None,
              interval_minutes: float | None = None, bulk_group_id: str | None = None,
              patient_ids: list[str] | None = None) -> SyncSchedule:
    """Change a connection's schedule (None keeps a value). Switching it on starts the first window now,
    reading from now on (what is already in the EHR is a manual sync's job)."""
    require_manager(user, connection)
    schedule = schedule_of(session, connection)
    if interval_minutes is not None:
        seconds = round(interval_minutes * 60)
        if not MIN_INTERVAL_S <= seconds <= MAX_INTERVAL_S:
            raise UserFacingError(422, "Invalid schedule", "Sync every 0.1 to 1,440 minutes.")
        schedule.interval_s = seconds
    if bulk_group_id is not None:
        schedule.bulk_group_id = bulk_group_id.strip()[:255] or None
    if patient_ids is not None:
        schedule.patient_ids = [p.strip()[:255] for p in patient_ids if p.strip()][:500]
    if enabled is not None and enabled != schedule.enabled:
        if enabled and (not connection.active or connection.auth_type == AuthType.SMART_LAUNCH):
            raise UserFacingError(409, "Connection cannot sync", "Scheduled sync needs an active backend connection "
                                  "(Backend Services, client credentials, Basic or an API key).")
        schedule.enabled = enabled
        if enabled:
            schedule.since = schedule.since or _now()
            schedule.next_run_at = _now()
            schedule.last_error = None
    elif schedule.enabled and interval_minutes is not None:
        soonest = _now() + timedelta(seconds=schedule.interval_s)
        schedule.next_run_at = min(as_utc(schedule.next_run_at or _now()), soonest)
    schedule.updated_at = _now()
    audit.record(session, action="sync-schedule", actor=user, resource_type="FhirConnection",
                 resource_id=str(connection.id),
                 detail=f"{'on' if schedule.enabled else 'off'}, every {schedule.interval_s} s")
    return schedule


def describe(session: Session, connection: FhirConnection) -> dict[str, Any]:
    """The schedule and the active mode, as the connection page and the API show them."""
    schedule = session.scalar(select(SyncSchedule).where(SyncSchedule.connection_id == connection.id))
    mode = mode_of(session, connection).as_dict()
    if schedule is None:
        return {"mode": mode, "enabled": False, "interval_minutes": 15.0, "bulk_group_id": None, "patient_ids": [],
                "since": None, "next_run_at": None, "last_run_at": None, "last_sync_id": None, "last_error": None,
                "source": None, "source_reason": None}

    def iso(moment: datetime | None) -> str | None:
        return as_utc(moment).isoformat() if moment else None

    return {"mode": mode, "enabled": schedule.enabled, "interval_minutes": round(schedule.interval_s / 60, 2),
            "bulk_group_id": schedule.bulk_group_id, "patient_ids": list(schedule.patient_ids or []),
            "since": iso(schedule.since), "next_run_at": iso(schedule.next_run_at) if schedule.enabled else None,
            "last_run_at": iso(schedule.last_run_at), "last_sync_id": schedule.last_sync_id,
            "last_error": schedule.last_error, "source": schedule.source, "source_reason": schedule.source_reason}


def any_due(session: Session, now: datetime | None = None) -> bool:
    """Cheap: is some window due? (The worker asks this every few seconds, then queues `run_due`.)"""
    moment = now or _now()
    return session.scalar(select(SyncSchedule.id).where(
        SyncSchedule.enabled.is_(True), SyncSchedule.next_run_at <= moment).limit(1)) is not None


def run_due(session: Session, now: datetime | None = None) -> list[int]:
    """Start every due window that can start; the SyncRun ids started."""
    moment = now or _now()
    started: list[int] = []
    due = session.scalars(select(SyncSchedule).where(
        SyncSchedule.enabled.is_(True), SyncSchedule.next_run_at <= moment).order_by(SyncSchedule.next_run_at))
    for schedule_id in [s.id for s in due]:
        run_id = _start_window(session, schedule_id, moment)
        session.commit()   # each window is claimed and queued on its own
        if run_id is not None:
            started.append(run_id)
    return started


def _start_window(session: Session, schedule_id: int, moment: datetime) -> int | None:
    schedule = session.get(SyncSchedule, schedule_id)
    if schedule is None or not schedule.enabled or schedule.next_run_at is None:
        return None
    connection = session.get(FhirConnection, schedule.connection_id)
    if connection is None:
        return None
    if not connection.active or connection.auth_type == AuthType.SMART_LAUNCH:
        schedule.enabled, schedule.last_error = False, "Switched off: the connection is inactive or needs a person."
        return None
    reading = session.scalar(select(SyncRun.id).where(SyncRun.connection_id == connection.id,
                                                      SyncRun.status.in_(READING)).limit(1))
    if reading is not None:
        return None   # a window (or someone's sync) is still reading: the next pass looks again
    claimed = session.execute(
        update(SyncSchedule).where(SyncSchedule.id == schedule.id, SyncSchedule.next_run_at == schedule.next_run_at)
        .values(next_run_at=moment + timedelta(seconds=schedule.interval_s), last_run_at=moment)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:   # type: ignore[attr-defined]
        return None   # another worker's pass claimed this window first
    session.refresh(schedule)
    _close_previous(session, schedule)
    if mode_of(session, connection).mode == SUBSCRIPTION:
        # The EHR notifies RevRX (subscription mode wins): no window, but the subscription covered this
        # stretch, so a window after a pause reads only from here on (the subscriber catches up its gaps).
        schedule.since = moment - timedelta(seconds=OVERLAP_S)
        return None
    since = as_utc(schedule.since or moment)
    run = SyncRun(organization_id=connection.organization_id, connection_id=connection.id, requested_by_id=None,
                  duplicate_policy=DuplicatePolicy.SKIP,
                  criteria={"scheduled": True, "since": since.isoformat(), "statuses": ["finished"],
                            "limit": WINDOW_LIMIT, "page_size": 100, "source": "auto",
                            "next_since": (moment - timedelta(seconds=OVERLAP_S)).isoformat()})
    session.add(run)
    session.flush()
    run.job_id = job_id_for(run)
    schedule.last_sync_id = run.id
    audit.record(session, action="sync-start", actor_name="sync scheduler", resource_type="FhirConnection",
                 resource_id=str(connection.id), organization_id=connection.organization_id,
                 detail=f"scheduled sync {run.id}, since {since.isoformat(timespec='seconds')}")
    jobs.enqueue_after_commit(session, SYNC_JOB, run.id, job_id=run.job_id)
    return run.id


def _close_previous(session: Session, schedule: SyncSchedule) -> None:
    """Move `since` past the last window when its reading finished; keep it (read again) when it failed."""
    previous = session.get(SyncRun, schedule.last_sync_id) if schedule.last_sync_id else None
    if previous is None or not previous.criteria.get("scheduled"):
        return
    if previous.status in (SyncStatus.CODING, SyncStatus.COMPLETE):
        nxt = previous.criteria.get("transaction_time") or previous.criteria.get("next_since")
        if isinstance(nxt, str) and nxt:
            schedule.since = as_utc(datetime.fromisoformat(nxt.replace("Z", "+00:00")))
        schedule.last_error = None
    elif previous.status == SyncStatus.FAILED:
        schedule.last_error = f"Sync {previous.id}: {previous.error or 'failed'}"
