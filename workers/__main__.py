"""Start an RQ worker on the app's queue: `python -m workers [--burst]`.

The code set and the app are loaded before the first job, so the first launch is as fast as the rest.
"""

from __future__ import annotations

import argparse
import logging

from rq import Worker

from smartapp.extensions import jobs
from workers.job_scope import runtime

RETENTION_LOCK = "revrx:retention-purge"
RECOVERY_LOCK = "revrx:recovery"
MAINTENANCE_S = 60


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
    worker = RevrxWorker([jobs.queue], connection=jobs.redis, maintenance_interval=MAINTENANCE_S)
    worker.work(burst=args.burst, with_scheduler=False)


class RevrxWorker(Worker):
    """RQ's worker with upkeep of our own in its periodic maintenance (every minute, and when it
    starts), each queued as a job so the work runs in a work-horse like any other:
    - recovery of work a dead worker left (at most once a minute across all workers), so a job held
      by a worker that died is finished by the others without waiting for a restart;
    - the retention purge (at most once an hour)."""

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
