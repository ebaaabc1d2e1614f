"""Requeue work that a dead worker left behind, so a worker killed mid-sync loses nothing.

Two sweeps, both safe to run any time and as often as wanted (every job is idempotent):
1. RQ: a job still marked started whose worker is gone (its Redis key expired, its process is dead on
   this host, or it stopped heart-beating while busy) is put back on the queue under the same id; so
   is a job a worker took off the queue but died before marking started (no live worker holds it).
2. Database: a sync that is not finished, or any coding run that is not finished (an EHR launch, an
   upload, a sync's item, a re-run), whose job is neither queued nor running (lost with Redis, lost
   between commit and enqueue, or failed hard) is enqueued again; a coding run interrupted
   `MAX_ATTEMPTS` times is marked failed instead of looping. A run that was queued in a batch (one job
   coding several, smartapp/runs/requests.py `queue_batch`) is queued alone here once its batch is gone.
   The database is the truth, Redis only the queue: after Redis comes back empty, every stranded run is found here.
3. Database: an encounter left "approving" without a live approval job has its interrupted
   write-back queued again, or its lost approval job (recorded with the request) queued again as it
   was asked, or else goes back to ready.

It runs when a worker starts (`python -m workers`), every minute from the workers' maintenance (which
also runs when Redis comes back after an outage), and, throttled, whenever a sync's status is read.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.worker import Worker
from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.jobqueue import jobs
from smartapp.models import (
    ClaimSubmission,
    CodingRun,
    Encounter,
    EncounterStatus,
    RunStatus,
    SubmissionStatus,
    SyncItem,
    SyncRun,
    SyncStatus,
)
from smartapp.runs.requests import JOB as CODING_JOB
from smartapp.runs.requests import queued_as
from smartapp.sources.sync import ACTIVE, SYNC_JOB, job_id_for
from smartapp.writeback.queueing import APPROVE_JOB, APPROVE_JOB_PREFIX, WRITE_BACK_JOB, requested
from smartapp.writeback.service import abandoned

__all__ = ["APPROVE_JOB", "APPROVE_JOB_PREFIX", "WRITE_BACK_JOB", "recover", "recover_throttled"]

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
BUSY_HEARTBEAT_GRACE = timedelta(seconds=120)   # RQ heart-beats every 30 s while a job runs
APPROVAL_GRACE = timedelta(minutes=2)
_LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}


def _worker_dead(redis: Redis, worker_name: str | None) -> bool:
    if not worker_name:
        return True
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + worker_name, connection=redis)
    if worker is None:
        return True
    if worker.hostname == socket.gethostname() and worker.pid:
        try:
            os.kill(worker.pid, 0)
        except ProcessLookupError:
            worker.register_death()
            return True
        except PermissionError:
            pass   # alive, another user's process
    beat = worker.last_heartbeat
    return beat is not None and datetime.now(UTC) - beat.replace(tzinfo=UTC) > BUSY_HEARTBEAT_GRACE


def _claimed_by_live_worker(redis: Redis, job_id: str) -> bool:
    return any(w.get_current_job_id() == job_id and not _worker_dead(redis, w.name)
               for w in Worker.all(connection=redis))


def _orphaned(redis: Redis, job: Job, waiting: set[str]) -> bool:
    status = job.get_status(refresh=True)
    if status == JobStatus.STARTED:
        return _worker_dead(redis, job.worker_name)
    # Taken off the queue and registered as started, but the worker died before it marked the job
    # started: still "queued", yet on no queue. Nobody alive holds it, so nobody will run it.
    return status == JobStatus.QUEUED and job.id not in waiting and not _claimed_by_live_worker(redis, job.id)


def requeue_orphaned_jobs(redis: Redis) -> int:
    """Sweep 1: started jobs whose worker died go back on the queue (same id, same arguments)."""
    if jobs.queue is None:
        return 0
    registry = StartedJobRegistry(queue=jobs.queue)
    requeued = 0
    started = registry.get_job_ids(cleanup=False)
    waiting = set(jobs.queue.get_job_ids()) if started else set()
    for job_id in started:
        try:
            job = Job.fetch(job_id, connection=redis)
        except NoSuchJobError:
            continue
        if not _orphaned(redis, job, waiting):
            continue
        func, args = str(job.func_name), tuple(job.args)
        registry.remove_executions(job)
        job.delete(remove_from_queue=True)
        limit = None if job.timeout is None else int(job.timeout)   # a batch keeps its longer limit
        jobs.enqueue(func, *args, job_id=job_id, timeout=limit)
        requeued += 1
        log.warning("requeued job %s left by a dead worker", job_id)
    return requeued


def _job_live(redis: Redis, job_id: str | None) -> bool:
    if not job_id:
        return False
    try:
        return Job.fetch(job_id, connection=redis).get_status(refresh=True) in _LIVE
    except NoSuchJobError:
        return False


def requeue_lost_work(session: Session, redis: Redis, sync_id: int | None = None) -> int:
    """Sweep 2: unfinished syncs and their unfinished coding runs without a live job are enqueued again."""
    query = select(SyncRun).where(SyncRun.status.in_(ACTIVE))
    if sync_id is not None:
        query = query.where(SyncRun.id == sync_id)
    requeued = 0
    for run in session.scalars(query).all():
        if run.status in (SyncStatus.QUEUED, SyncStatus.RUNNING) and not _job_live(redis, run.job_id):
            run.job_id = run.job_id or job_id_for(run)
            jobs.enqueue(SYNC_JOB, run.id, job_id=run.job_id)
            requeued += 1
        unfinished = select(CodingRun).join(SyncItem, SyncItem.coding_run_id == CodingRun.id).where(
            SyncItem.sync_run_id == run.id, CodingRun.status.in_([RunStatus.PENDING, RunStatus.RUNNING]))
        requeued += _requeue_runs(session, redis, session.scalars(unfinished).all())
    if sync_id is None:   # the full sweep: every kind of coding run, not only a sync's
        stranded = select(CodingRun).where(CodingRun.status.in_([RunStatus.PENDING, RunStatus.RUNNING]))
        requeued += _requeue_runs(session, redis, session.scalars(stranded.order_by(CodingRun.id)).all())
    session.commit()
    return requeued


def _requeue_runs(session: Session, redis: Redis, runs: Sequence[CodingRun]) -> int:
    """Enqueue each unfinished run whose job is gone, in the order given (oldest first); one job for
    every kind (smartapp/runs/coding_job.py codes uploads from their stored text)."""
    requeued = 0
    for coding in runs:
        if coding.status not in (RunStatus.PENDING, RunStatus.RUNNING) or _job_live(redis, queued_as(coding.job_id)):
            continue
        if coding.attempts >= MAX_ATTEMPTS:
            coding.status, coding.finished_at = RunStatus.FAILED, datetime.now(UTC)
            coding.error = "Coding was interrupted several times; re-run it from the encounter page."
            encounter = session.get(Encounter, coding.encounter_id)
            if encounter is not None:
                encounter.status = EncounterStatus.FAILED
            continue
        # Alone, under its own id: a batch's id is shared by its runs (smartapp/runs/requests.py), and
        # queueing one run under it would make the others look queued.
        coding.job_id = f"coding-run-{coding.id}"
        jobs.enqueue(CODING_JOB, coding.id, job_id=coding.job_id)
        requeued += 1
    if requeued:
        log.warning("requeued %s coding runs that had no job", requeued)
    return requeued


def release_lost_approvals(session: Session, redis: Redis, now: datetime | None = None) -> int:
    """Sweep 3: an encounter left "approving" with no live approval job. If a write-back of it was
    interrupted mid-send (its submission still SENDING), the approval is queued again, as the person
    who pressed approve, once that attempt is surely dead (If-None-Exist makes the retry find what it
    had created). Otherwise (its job failed hard, or was never queued) it goes back to ready, so the
    coder sees it and can approve again. The grace period covers the moment between marking it and
    queueing its job."""
    moment = now or datetime.now(UTC)
    handled = 0
    for encounter in session.scalars(select(Encounter).where(Encounter.status == EncounterStatus.APPROVING,
                                                             Encounter.updated_at < moment - APPROVAL_GRACE)).all():
        job_id = f"{APPROVE_JOB_PREFIX}{encounter.id}"
        if _job_live(redis, job_id):
            continue
        sending = session.scalars(select(ClaimSubmission).where(
            ClaimSubmission.encounter_id == encounter.id, ClaimSubmission.status == SubmissionStatus.SENDING)
            .order_by(ClaimSubmission.id.desc())).first()
        if sending is not None and sending.submitted_by_id is not None:
            if abandoned(sending, moment):
                # Resent as it was decided: whatever the first attempt accepted is committed already,
                # and a page approval never accepts codes the person left pending.
                jobs.enqueue(WRITE_BACK_JOB, encounter.id, sending.submitted_by_id, job_id=job_id)
                handled += 1
                log.warning("encounter %s: interrupted write-back queued again", encounter.id)
            continue
        asked = requested(session, encounter)
        if asked is not None and sending is None:
            # Its job was lost before a worker started it (e.g. with Redis): queued again, as asked.
            jobs.enqueue(asked.job, *asked.args, job_id=job_id)
            handled += 1
            log.warning("encounter %s: lost approval job queued again", encounter.id)
            continue
        encounter.status = EncounterStatus.READY
        handled += 1
        log.warning("encounter %s was left approving without a job; back to ready", encounter.id)
    session.commit()
    return handled


def recover(session: Session, sync_id: int | None = None) -> int:
    redis = jobs.redis
    if redis is None:
        return 0
    requeued = requeue_orphaned_jobs(redis) + requeue_lost_work(session, redis, sync_id)
    return requeued + release_lost_approvals(session, redis)


def recover_throttled(session: Session, sync_id: int, every_s: int = 5) -> int:
    """`recover()` for one sync at most every `every_s` seconds (status polls call this)."""
    redis = jobs.redis
    if redis is None or not redis.set(f"revrx:sync-recovery:{sync_id}", "1", nx=True, ex=every_s):
        return 0
    return recover(session, sync_id)
