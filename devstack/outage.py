"""Losing Redis under a running stack (issue 13 item 11): stop the worker, queue work, kill Redis, bring
Redis back empty, and time how long until the stranded work runs again. Shared by
tests/integration/test_redis_outage.py and scripts/bench_redis_outage.py."""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from devstack.processes import ManagedProcess, Stack, start_redis


def process(stack: Stack, name: str) -> ManagedProcess:
    return next(p for p in stack.processes if p.name == name)


def kill_redis(stack: Stack) -> int:
    """SIGKILL the stack's redis-server (nothing saved); returns its port."""
    redis = process(stack, "redis")
    redis.popen.send_signal(signal.SIGKILL)
    redis.popen.wait(timeout=10)
    stack.processes.remove(redis)
    return int(stack.env["REDIS_URL"].rsplit(":", 1)[1].split("/")[0])


def restart_redis(stack: Stack, port: int, where: Path) -> ManagedProcess:
    """A new, empty redis-server on the same port (what a restarted managed Redis looks like)."""
    redis = start_redis(where, port, where)
    stack.processes.insert(0, redis)   # stopped last, like the first one
    return redis


def run_states(stack: Stack, run_ids: list[int]) -> dict[int, str]:
    engine = create_engine(stack.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, status FROM coding_runs")).all()
    finally:
        engine.dispose()
    return {int(i): str(s) for i, s in rows if int(i) in set(run_ids)}


def latest_run_ids(stack: Stack, encounter_ids: list[int]) -> list[int]:
    engine = create_engine(stack.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT encounter_id, MAX(id) FROM coding_runs GROUP BY encounter_id")).all()
    finally:
        engine.dispose()
    wanted = set(encounter_ids)
    return [int(run) for enc, run in rows if int(enc) in wanted]


@dataclass(frozen=True)
class Recovery:
    first_running_s: float   # Redis back → the first stranded run started (or finished)
    all_done_s: float        # Redis back → every stranded run COMPLETE
    states: dict[int, str]


def wait_recovered(stack: Stack, run_ids: list[int], since: float, timeout: float = 180.0) -> Recovery:
    """Poll the database until every run is COMPLETE (or FAILED); time both milestones from `since`."""
    first: float | None = None
    states: dict[int, str] = {}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = run_states(stack, run_ids)
        moving = [s for s in states.values() if s != "PENDING"]
        if moving and first is None:
            first = time.monotonic() - since
        if len(states) == len(run_ids) and all(s in ("COMPLETE", "FAILED") for s in states.values()):
            return Recovery(first or 0.0, time.monotonic() - since, states)
        time.sleep(0.1)
    raise AssertionError(f"stranded runs not recovered in {timeout:.0f}s: {states}")
