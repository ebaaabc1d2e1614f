"""Start RQ workers on the app's queue: `python -m workers [--burst] [--processes N]`.

One process runs one worker (jobs run in it, no fork per job: workers/worker.py). It is warmed up before
its first job (workers/warmup.py), so the first launch is as fast as the rest. `--processes N` starts N
such workers and restarts any that dies (workers/supervisor.py): one command per machine, N about its
number of cores.
"""

from __future__ import annotations

import argparse
import logging

from smartapp.extensions import jobs
from workers.job_scope import runtime
from workers.worker import MAINTENANCE_S, WAKE_S, RevrxWorker

# Re-exported for code that imported them from here before the worker moved to workers/worker.py.
__all__ = ["MAINTENANCE_S", "WAKE_S", "RevrxWorker", "main"]


def main() -> None:
    parser = argparse.ArgumentParser(description="RevRX RQ worker")
    parser.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    parser.add_argument("--processes", type=int, default=1,
                        help="run this many worker processes and restart any that dies (default 1: this one)")
    args = parser.parse_args()
    if args.processes > 1:
        from workers.supervisor import supervise

        raise SystemExit(supervise(args.processes, burst=args.burst))
    run_worker(burst=args.burst)


def run_worker(burst: bool = False) -> None:
    runtime(worker=True)   # settings, encryption, Redis, registrations, the database (one pooled connection)
    from workers.warmup import warm_up

    took = warm_up()
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
    logging.getLogger(__name__).info("worker warmed up in %.1f s; listening on queue %s", took, jobs.queue.name)
    # worker_ttl sets how long an idle worker blocks waiting for a job (ttl - 15 s). RQ's default (405 s)
    # would run our once-a-minute upkeep only every seven minutes while the queue is idle, and notice a
    # restarted Redis only as late (redis-py silently reconnects a blocked wait to the new server).
    worker = RevrxWorker([jobs.queue], connection=jobs.redis, maintenance_interval=MAINTENANCE_S,
                         worker_ttl=WAKE_S + 15)
    worker.work(burst=burst, with_scheduler=False)


if __name__ == "__main__":
    main()
