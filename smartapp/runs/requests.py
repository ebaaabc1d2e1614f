"""Asking for an encounter to be coded: one CodingRun row, one RQ job with a deterministic id.

A second launch of an encounter that is being coded or is coded already reuses that run (unless a
person asks to re-run). The job id is derived from the run id, so enqueueing twice queues once; it is
queued when the caller commits, since the job reads the run.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from smartapp.jobqueue import jobs
from smartapp.models import CodingRun, Encounter, EncounterStatus, RunStatus, User
from smartapp.models.queries import latest_run

JOB = "workers.jobs.code_encounter"
BATCH_JOB = "workers.jobs.code_encounters"
BATCH_JOB_PREFIX = "coding-batch-"


def job_id_for(run: CodingRun) -> str:
    return f"coding-run-{run.id}"


def request_coding(
    session: Session, encounter: Encounter, *, user: User | None, launch_session_id: int | None,
    engine: str, rerun: bool = False, queue: bool = True,
) -> CodingRun:
    """The run that codes `encounter`, queued when the caller commits; with `queue=False` a new run is
    left for the caller to queue (`queue_batch`)."""
    run = latest_run(session, encounter.id)
    if run is not None and not rerun and run.status != RunStatus.FAILED:
        if run.status == RunStatus.PENDING:
            jobs.enqueue_after_commit(session, JOB, run.id, job_id=job_id_for(run))   # no-op when already queued
        return run
    return queue_new_run(session, encounter, user=user, engine=engine,
                         launch_session_id=launch_session_id or encounter.launch_session_id, queue=queue)


def queue_new_run(
    session: Session, encounter: Encounter, *, user: User | None, engine: str, job: str = JOB,
    launch_session_id: int | None = None, queue: bool = True,
) -> CodingRun:
    """A new PENDING run, queued once under a job id derived from the run id when the caller commits
    (unless `queue` is False: the caller queues it in a batch)."""
    run = CodingRun(encounter_id=encounter.id, launch_session_id=launch_session_id,
                    requested_by_id=user.id if user else None, engine=engine, status=RunStatus.PENDING)
    session.add(run)
    session.flush()
    run.job_id = job_id_for(run)
    encounter.status = EncounterStatus.CODING
    if queue:
        jobs.enqueue_after_commit(session, job, run.id, job_id=run.job_id)
    return run


def queued_as(job_id: str | None) -> str | None:
    """The RQ job that codes a run whose `job_id` this is: its batch's, or its own."""
    if job_id and job_id.startswith(BATCH_JOB_PREFIX):
        return job_id.partition(".")[0]
    return job_id


def queue_batch(session: Session, runs: list[CodingRun]) -> str:
    """One job that codes `runs` one after another (smartapp/runs/coding_job.py `execute_batch`), queued
    when the caller commits; each run keeps its own result or failure. The job's time limit is one
    coding job's per run. Every run records the batch's job id with its own id after a dot (job ids are
    unique per run), so recovery sees them as queued while the batch lives (`queued_as`) and queues
    each alone once it is gone."""
    job_id = f"{BATCH_JOB_PREFIX}{runs[0].id}"
    for run in runs:
        run.job_id = f"{job_id}.{run.id}"
    jobs.enqueue_after_commit(session, BATCH_JOB, *[run.id for run in runs], job_id=job_id,
                              timeout=jobs.default_timeout * len(runs))
    return job_id
