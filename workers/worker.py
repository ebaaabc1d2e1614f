"""The RQ worker: jobs run in this process, one after another, with no fork per job.

RQ's default worker forks a work-horse for every job. That costs ~40 ms of CPU per job (fork,
copy-on-write of a warmed-up interpreter, exit) and throws away everything a job warmed up: the
database connection, the HTTP keep-alive connections, the per-EHR caches. This worker is RQ's
`SimpleWorker` (the job runs in the worker's main thread) with what the fork used to give put back:

- **Time limit**: RQ's SIGALRM death penalty still ends a job that runs past its timeout (it raises in
  the job, which fails and is recorded like any failure). For a job that cannot be interrupted there (stuck
  in C code holding the GIL, e.g. a runaway regular expression), `faulthandler`'s watchdog, a C thread
  that needs no GIL, dumps every thread's stack to the log and ends the process `hard_kill_grace_s`
  later. Whatever restarts workers (`python -m workers --processes N`, systemd, Kubernetes) starts a
  new one, and recovery (smartapp/recovery.py) puts the job back on the queue: its worker is dead.
- **Liveness while busy**: the forking worker's main process heart-beat while the horse worked. Here a
  small thread does it, so a long job is not mistaken for a dead worker's; a job stuck holding the GIL
  stops the heartbeat too, and recovery treats it as dead (as it should).
- **Crash isolation**: a job that crashes the interpreter (segfault, out-of-memory kill) takes this
  worker with it instead of a horse; the job is requeued by recovery as above, and a coding run that
  keeps doing so is marked failed after `recovery.MAX_ATTEMPTS` tries rather than looping.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import time

from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.executions import Execution
from rq.job import Job

from smartapp.extensions import jobs

log = logging.getLogger(__name__)

RETENTION_LOCK = "revrx:retention-purge"
RECOVERY_LOCK = "revrx:recovery"
SCHEDULER_LOCK = "revrx:sync-scheduler"
MAINTENANCE_S = 60
WAKE_S = 5   # an idle worker looks up every few seconds: heartbeat, and "did Redis restart?"
HEARTBEAT_S = 30   # while a job runs (RQ's forking worker beat every 30 s too; recovery allows 120 s)
HARD_KILL_GRACE_S = 60   # after the job's timeout, as RQ's forking worker waited before killing a horse


class _BusyHeartbeat:
    """Heart-beats the worker, the job and its execution every `HEARTBEAT_S` while a job runs."""

    def __init__(self, worker: RevrxWorker, job: Job, execution: Execution) -> None:
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, args=(worker, job, execution), daemon=True,
                                        name="rq-busy-heartbeat")

    def _beat(self, worker: RevrxWorker, job: Job, execution: Execution) -> None:
        while not self._done.wait(HEARTBEAT_S):
            try:
                worker.maintain_heartbeats(job, execution)
            except (RedisError, OSError):
                log.warning("heartbeat for job %s failed; will try again", job.id)

    def __enter__(self) -> _BusyHeartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=5)


class RevrxWorker(SimpleWorker):
    """RQ's non-forking worker with a hard time limit, a busy heartbeat, and upkeep of our own in its
    periodic maintenance (every minute, and when it starts), each queued as a job:
    - recovery of work a dead worker left (at most once a minute across all workers), so a job held
      by a worker that died is finished by the others without waiting for a restart;
    - the retention purge (at most once an hour).

    When Redis comes back after an outage (it restarted: a new `run_id`, its queue empty), the upkeep
    runs at once rather than at the next minute, and RQ's reconnect back-off is capped at a few seconds,
    so work stranded by the outage is running again within seconds (the database says what it was)."""

    max_connection_wait_time = 5.0   # RQ's reconnect back-off (its default grows to 60 s)
    hard_kill_grace_s: float = HARD_KILL_GRACE_S
    _redis_run_id: str | None = None
    _redis_checked_at = 0.0

    def perform_job(self, job: Job, queue: Queue, execution: Execution) -> bool:
        timeout = job.timeout or self.queue_class.DEFAULT_TIMEOUT
        hard_limit = float(timeout) + self.hard_kill_grace_s if timeout and timeout > 0 else None
        if hard_limit is not None:
            # A C-level watchdog: fires even when the job holds the GIL and SIGALRM cannot be handled.
            faulthandler.dump_traceback_later(hard_limit, exit=True, file=sys.stderr)
        try:
            with _BusyHeartbeat(self, job, execution):
                return bool(super().perform_job(job, queue, execution))
        finally:
            if hard_limit is not None:
                faulthandler.cancel_dump_traceback_later()

    @property
    def should_run_maintenance_tasks(self) -> bool:
        # RQ asks this on every turn of its loop (every few seconds when idle, and between jobs): the
        # moment to look for due scheduled syncs too.
        self._start_due_syncs()
        return bool(super().should_run_maintenance_tasks) or self._redis_restarted()

    def _start_due_syncs(self) -> None:
        """Scheduled syncs (smartapp/sources/schedule.py): one worker at a time (a Redis lock held for
        TICK_S) asks the database whether a window is due, and only then queues the job that starts it.
        Never raises: RQ's loop ends the worker on an unexpected error here."""
        from smartapp.extensions import db
        from smartapp.sources import schedule

        try:
            if jobs.redis is None or not jobs.redis.set(SCHEDULER_LOCK, "1", nx=True, ex=schedule.TICK_S):
                return
            if schedule.any_due(db.session):
                jobs.enqueue(schedule.SCHEDULER_JOB, job_id=schedule.SCHEDULER_JOB_ID)
        except Exception:   # noqa: BLE001 - Redis or the database away: the next turn tries again
            log.warning("could not look for due scheduled syncs", exc_info=True)
        finally:
            db.remove()

    def _redis_restarted(self) -> bool:
        """Whether this is a different Redis server process than the last time we looked (at most every
        `WAKE_S`: RQ asks before every job, and `INFO` twice per job was a tenth of the queue's Redis
        traffic). Never raises: RQ's loop ends the worker on an unexpected error here."""
        if time.monotonic() - self._redis_checked_at < WAKE_S:
            return False
        self._redis_checked_at = time.monotonic()
        try:
            run_id = str(self.connection.info("server").get("run_id"))
        except (RedisError, OSError):
            return False
        seen, self._redis_run_id = self._redis_run_id, run_id
        if seen is not None and seen != run_id:
            log.warning("Redis restarted; recovering work from the database")
            return True
        return False

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        if jobs.redis is None:
            return
        if jobs.redis.set(RECOVERY_LOCK, "1", nx=True, ex=MAINTENANCE_S):
            jobs.enqueue("workers.jobs.recover_interrupted", job_id="recover-interrupted")
        if jobs.redis.set(RETENTION_LOCK, "1", nx=True, ex=3600):
            jobs.enqueue("workers.jobs.purge_expired", job_id="retention-purge")
        if jobs.redis.set("revrx:subscription-heartbeats", "1", nx=True, ex=MAINTENANCE_S):
            jobs.enqueue("workers.jobs.subscription_heartbeats", job_id="subscription-heartbeats")
