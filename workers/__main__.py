"""Start an RQ worker on the app's queue: `python -m workers [--burst]`.

The code set and the app are loaded before the first job, so the first launch is as fast as the rest.
"""

from __future__ import annotations

import argparse
import logging

from redis.exceptions import RedisError
from rq import Worker

from smartapp.extensions import jobs
from workers.job_scope import runtime

RETENTION_LOCK = "revrx:retention-purge"
RECOVERY_LOCK = "revrx:recovery"
SCHEDULER_LOCK = "revrx:sync-scheduler"
MAINTENANCE_S = 60
WAKE_S = 5   # an idle worker looks up every few seconds: heartbeat, and "did Redis restart?"


def main() -> None:
    parser = argparse.ArgumentParser(description="RevRX RQ worker")
    parser.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    args = parser.parse_args()
    runtime()   # settings, encryption, Redis, registrations and the database, before the first job
    # Load the code set and term indexes now (once per process), not during the first launch.
    from smartapp.coding.engines import EngineSettings
    from smartapp.coding.pipeline import run
    from smartapp.coding.types import NoteInput

    run([NoteInput("warm-up", "Assessment: essential hypertension.")], settings=EngineSettings(engine="local"))
    # Work a killed worker left half done goes back on the queue before we listen.
    from smartapp.extensions import db
    from smartapp.recovery import recover

    try:
        recover(db.session)
    except Exception:   # noqa: BLE001 - recovery is best effort; the worker must still start
        logging.getLogger(__name__).exception("requeue of interrupted jobs failed")
    finally:
        db.remove()
    if jobs.queue is None or jobs.redis is None:
        raise SystemExit("the job queue is not configured (REDIS_URL)")
    logging.getLogger(__name__).info("worker listening on queue %s", jobs.queue.name)
    # worker_ttl sets how long an idle worker blocks waiting for a job (ttl - 15 s). RQ's default (405 s)
    # would run our once-a-minute upkeep only every seven minutes while the queue is idle, and notice a
    # restarted Redis only as late (redis-py silently reconnects a blocked wait to the new server).
    worker = RevrxWorker([jobs.queue], connection=jobs.redis, maintenance_interval=MAINTENANCE_S,
                         worker_ttl=WAKE_S + 15)
    worker.work(burst=args.burst, with_scheduler=False)


class RevrxWorker(Worker):
    """RQ's worker with upkeep of our own in its periodic maintenance (every minute, and when it
    starts), each queued as a job so the work runs in a work-horse like any other:
    - recovery of work a dead worker left (at most once a minute across all workers), so a job held
      by a worker that died is finished by the others without waiting for a restart;
    - the retention purge (at most once an hour).

    When Redis comes back after an outage (it restarted: a new `run_id`, its queue empty), the upkeep
    runs at once rather than at the next minute, and RQ's reconnect back-off is capped at a few seconds,
    so work stranded by the outage is running again within seconds (the database says what it was)."""

    max_connection_wait_time = 5.0   # RQ's reconnect back-off (its default grows to 60 s)
    _redis_run_id: str | None = None

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
            logging.getLogger(__name__).warning("could not look for due scheduled syncs", exc_info=True)
        finally:
            db.remove()

    def _redis_restarted(self) -> bool:
        """Whether this is a different Redis server process than the last time we looked. Never
        raises: RQ's loop ends the worker on an unexpected error here."""
        try:
            run_id = str(self.connection.info("server").get("run_id"))
        except (RedisError, OSError):
            return False
        seen, self._redis_run_id = self._redis_run_id, run_id
        if seen is not None and seen != run_id:
            logging.getLogger(__name__).warning("Redis restarted; recovering work from the database")
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


if __name__ == "__main__":
    main()
