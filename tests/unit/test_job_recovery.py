"""Recovery of work a dead worker left, on a real Redis: including the narrow case a SIGKILL can hit,
a job taken off the queue and registered as started whose worker died before marking it started, and
an encounter left "approving" whose approval job is gone."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from rq.job import JobStatus
from rq.registry import StartedJobRegistry

from smartapp.ehr_access.routing import Route
from smartapp.extensions import db, jobs
from smartapp.models import ClaimSubmission, CodingRun, Encounter, EncounterStatus, SubmissionStatus, User
from smartapp.recovery import release_lost_approvals, requeue_lost_work, requeue_orphaned_jobs
from smartapp.runs.requests import queue_batch, queue_new_run
from smartapp.writeback.approval import approve_queued
from smartapp.writeback.plan import idempotency_key
from tests.support.review_data import Seeded

pytestmark = pytest.mark.db


def _taken_then_abandoned(job_id: str) -> None:
    """What a worker killed between dequeue and start leaves: on no queue, in the started registry,
    still QUEUED, with no worker name."""
    assert jobs.queue is not None and jobs.redis is not None
    job = jobs.enqueue("workers.jobs.code_encounter", 999_001, job_id=job_id)
    jobs.queue.remove(job)
    registry = StartedJobRegistry(queue=jobs.queue)
    jobs.redis.zadd(registry.key, {f"{job_id}:lost-execution": time.time() + 600})
    assert job.get_status(refresh=True) == JobStatus.QUEUED and job_id not in jobs.queue.get_job_ids()


def test_a_job_abandoned_between_dequeue_and_start_goes_back_on_the_queue(app: Flask) -> None:
    with app.app_context():
        assert jobs.queue is not None and jobs.redis is not None
        _taken_then_abandoned("coding-run-999001")
        assert requeue_orphaned_jobs(jobs.redis) == 1
        assert "coding-run-999001" in jobs.queue.get_job_ids(), "requeued under the same id"
        assert requeue_orphaned_jobs(jobs.redis) == 0, "a waiting job is left alone"
        jobs.queue.empty()


def test_an_encounter_left_approving_without_a_job_goes_back_to_ready(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        assert jobs.redis is not None
        encounter = db.session.get(Encounter, seeded.encounter_id)
        assert encounter is not None
        encounter.status = EncounterStatus.APPROVING
        db.session.commit()
        just_marked = release_lost_approvals(db.session, jobs.redis)
        assert just_marked == 0 and encounter.status == EncounterStatus.APPROVING, "its job may be on the way"
        later = datetime.now(UTC) + timedelta(minutes=5)
        assert release_lost_approvals(db.session, jobs.redis, now=later) == 1
        assert encounter.status == EncounterStatus.READY


def test_a_write_back_killed_mid_send_is_sent_again_once_it_is_surely_dead(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        assert jobs.redis is not None and jobs.queue is not None
        encounter, coder = db.session.get(Encounter, seeded.encounter_id), db.session.get(User, seeded.users["coder"])
        assert encounter is not None and coder is not None
        encounter.status = EncounterStatus.APPROVING
        run = db.session.get(CodingRun, seeded.run_id)
        assert run is not None
        db.session.add(ClaimSubmission(encounter_id=encounter.id, run_id=run.id, strategy="claim",
                                       idempotency_key=idempotency_key(encounter, run), results=[],
                                       status=SubmissionStatus.SENDING, submitted_by_id=coder.id))
        db.session.commit()
        # A retried approval job meets the send still in flight: it waits rather than give up.
        assert approve_queued(db.session, encounter, coder, Route(None)) == EncounterStatus.APPROVING
        assert release_lost_approvals(db.session, jobs.redis) == 0, "the send may still be under way"
        later = datetime.now(UTC) + timedelta(minutes=5)
        assert release_lost_approvals(db.session, jobs.redis, now=later) == 1
        assert f"approve-encounter-{encounter.id}" in jobs.queue.get_job_ids(), "queued again, as its approver"
        assert encounter.status == EncounterStatus.APPROVING
        jobs.queue.empty()


def test_runs_of_a_batch_are_left_to_it_while_it_lives_and_queued_alone_once_it_is_gone(
        app: Flask, seeded: Seeded) -> None:
    """A batch sync codes its encounters in batches (one job, several runs): recovery must neither queue
    a run its batch job still holds, nor, once that job is gone, queue only the first of the batch."""
    with app.app_context():
        assert jobs.queue is not None and jobs.redis is not None
        jobs.queue.empty()
        encounter = db.session.get(Encounter, seeded.encounter_id)
        assert encounter is not None
        runs = [queue_new_run(db.session, encounter, user=None, engine="local", queue=False) for _ in range(3)]
        batch = queue_batch(db.session, runs)
        db.session.commit()
        assert jobs.queue.get_job_ids() == [batch], "one job codes the three runs"
        assert requeue_lost_work(db.session, jobs.redis) == 0, "the batch is queued: nothing to do"
        jobs.queue.empty()
        jobs.redis.delete(f"rq:job:{batch}")   # the batch lost (e.g. with Redis)
        assert requeue_lost_work(db.session, jobs.redis) == 3
        assert sorted(jobs.queue.get_job_ids()) == sorted(f"coding-run-{run.id}" for run in runs), "each alone"
        jobs.queue.empty()
