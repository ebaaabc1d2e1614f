"""Scheduled incremental sync (issue 17) on the database and a real Redis, without an EHR: a due window is
started once however often the scheduler looks, never while the previous window is still reading, and
never by a second scheduler pass that read the schedule before the first claimed it (two workers); the
window moves on only when its reading finished; the connection's mode says which mode is active and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartapp.extensions import db, jobs
from smartapp.models import AuthType, FhirConnection, SyncRun, SyncSchedule, SyncStatus, User
from smartapp.sources import schedule
from smartapp.sources.sync_mode import mode_of, note_capabilities
from tests.support.review_data import Seeded

pytestmark = pytest.mark.db
NO_SUBSCRIPTION = {"resourceType": "CapabilityStatement", "rest": [{"mode": "server", "resource": [
    {"type": "Encounter", "interaction": [{"code": "search-type"}]}]}]}
WITH_SUBSCRIPTION = {"resourceType": "CapabilityStatement", "rest": [{"mode": "server", "resource": [
    {"type": "Subscription", "interaction": [{"code": "create"}, {"code": "read"}]}]}]}


def _connection(seeded: Seeded) -> tuple[FhirConnection, User]:
    coder = db.session.get(User, seeded.users["admin"])   # the organisation's shared connection: its admin's
    assert coder is not None
    connection = FhirConnection(organization_id=coder.organization_id, name="EHR", base_url="https://ehr.example/fhir",
                                auth_type=AuthType.BACKEND_SERVICES, client_id="c", secret="x")
    db.session.add(connection)
    db.session.commit()
    return connection, coder


def _runs(connection: FhirConnection) -> int:
    return int(db.session.scalar(select(func.count(SyncRun.id)).where(SyncRun.connection_id == connection.id)) or 0)


def test_a_due_window_starts_once_and_not_while_the_last_one_reads(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        connection, coder = _connection(seeded)
        schedule.configure(db.session, coder, connection, enabled=True, interval_minutes=0.1)
        db.session.commit()
        now = datetime.now(UTC) + timedelta(seconds=1)
        assert schedule.any_due(db.session, now)
        first = schedule.run_due(db.session, now)
        assert len(first) == 1 and schedule.run_due(db.session, now) == [], "claimed: not due again"
        run = db.session.get(SyncRun, first[0])
        assert run is not None and run.criteria["scheduled"] and run.requested_by_id is None
        assert run.job_id in (jobs.queue.get_job_ids() if jobs.queue else []), "queued for a worker"
        later = now + timedelta(minutes=1)
        assert schedule.run_due(db.session, later) == [], "the first window is still QUEUED: nothing in parallel"
        run.status, run.criteria = SyncStatus.CODING, {**run.criteria, "next_since": later.isoformat()}
        db.session.commit()
        second = schedule.run_due(db.session, later)
        assert len(second) == 1 and _runs(connection) == 2
        row = db.session.scalar(select(SyncSchedule).where(SyncSchedule.connection_id == connection.id))
        assert row is not None and row.since is not None
        assert abs((row.since.replace(tzinfo=UTC) - later).total_seconds()) < 1, "the window moved on"
        if jobs.queue is not None:
            jobs.queue.empty()


def test_a_failed_window_is_read_again_and_says_why(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        connection, admin = _connection(seeded)
        schedule.configure(db.session, admin, connection, enabled=True, interval_minutes=0.1)
        db.session.commit()
        now = datetime.now(UTC) + timedelta(seconds=1)
        (first,) = schedule.run_due(db.session, now)
        run = db.session.get(SyncRun, first)
        assert run is not None
        since = run.criteria["since"]
        run.status, run.error = SyncStatus.FAILED, "The EHR did not answer in time."
        db.session.commit()
        (second,) = schedule.run_due(db.session, now + timedelta(minutes=1))
        again = db.session.get(SyncRun, second)
        assert again is not None and again.criteria["since"] == since, "the same window, read again"
        shown = schedule.describe(db.session, connection)
        assert shown["last_error"] == f"Sync {first}: The EHR did not answer in time."
        if jobs.queue is not None:
            jobs.queue.empty()


def test_no_window_runs_while_a_subscription_brings_the_encounters(app: Flask, seeded: Seeded) -> None:
    from smartapp.models.subscriptions import EhrSubscription

    with app.app_context():
        connection, admin = _connection(seeded)
        note_capabilities(db.session, connection, WITH_SUBSCRIPTION)
        schedule.configure(db.session, admin, connection, enabled=True, interval_minutes=0.1)
        live = EhrSubscription(organization_id=connection.organization_id, connection_id=connection.id,
                               public_id="sub-1", secret="s", header_name="X-Revrx-Secret", topic=None,
                               criteria="Encounter?status=finished", status="active")
        db.session.add(live)
        db.session.commit()
        assert mode_of(db.session, connection).mode == "subscription"
        now = datetime.now(UTC) + timedelta(seconds=1)
        assert schedule.run_due(db.session, now) == [] and _runs(connection) == 0
        live.status = "off"   # paused: scheduled sync takes over
        db.session.commit()
        assert mode_of(db.session, connection).mode == "scheduled"
        assert len(schedule.run_due(db.session, now + timedelta(minutes=1))) == 1
        if jobs.queue is not None:
            jobs.queue.empty()


def test_two_scheduler_passes_that_read_the_same_schedule_start_one_window(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        connection, coder = _connection(seeded)
        row = schedule.configure(db.session, coder, connection, enabled=True, interval_minutes=1)
        db.session.commit()
        now = datetime.now(UTC) + timedelta(seconds=1)
        other = Session(bind=db.session.get_bind())   # a second worker, which read the schedule first
        stale = other.get(SyncSchedule, row.id)
        assert stale is not None and stale.next_run_at is not None
        assert len(schedule.run_due(db.session, now)) == 1
        assert schedule._start_window(other, row.id, now) is None, "its UPDATE matches no row any more"
        other.commit()
        other.close()
        assert _runs(connection) == 1
        if jobs.queue is not None:
            jobs.queue.empty()


def test_the_mode_says_which_is_active_and_why(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        connection, coder = _connection(seeded)
        assert mode_of(db.session, connection).mode == "manual"
        note_capabilities(db.session, connection, NO_SUBSCRIPTION)
        manual = mode_of(db.session, connection)
        assert manual.mode == "manual" and "offers no Subscription" in manual.reason
        schedule.configure(db.session, coder, connection, enabled=True, interval_minutes=5)
        scheduled = mode_of(db.session, connection)
        assert scheduled.mode == "scheduled"
        assert scheduled.reason.startswith("Scheduled sync every 5 minutes")
        assert "this server's CapabilityStatement offers no Subscription" in scheduled.reason
        note_capabilities(db.session, connection, WITH_SUBSCRIPTION)
        offered = mode_of(db.session, connection)
        assert offered.mode == "scheduled" and "no active subscription" in offered.reason
        db.session.rollback()


def test_only_managers_change_a_schedule_and_intervals_are_bounded(app: Flask, seeded: Seeded) -> None:
    from smartapp.errors import UserFacingError

    with app.app_context():
        connection, coder = _connection(seeded)
        reader = db.session.get(User, seeded.users["read_only"])
        assert reader is not None
        with pytest.raises(UserFacingError) as refused:
            schedule.configure(db.session, reader, connection, enabled=True)
        assert refused.value.status == 403
        with pytest.raises(UserFacingError) as too_often:
            schedule.configure(db.session, coder, connection, interval_minutes=0.01)
        assert too_often.value.status == 422
        db.session.rollback()
