"""`python -m workers --processes 2` keeps two workers running: one that dies (a job crashed it, or the
hard time limit ended it) is replaced, and the new one registers with the queue."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from redis import Redis
from rq.worker import Worker

from devstack.processes import Stack, start_worker

pytestmark = pytest.mark.integration


def _pids_of(redis: Redis, supervisor: int) -> set[int]:
    pids = set()
    for worker in Worker.all(connection=redis):
        try:
            parent = int(Path(f"/proc/{worker.pid}/stat").read_text().rpartition(")")[2].split()[1])
        except (OSError, TypeError):
            continue
        if parent == supervisor:
            pids.add(int(worker.pid))
    return pids


def test_a_worker_process_that_dies_is_replaced(stack: Stack, tmp_path: Path) -> None:
    redis = Redis.from_url(stack.env["REDIS_URL"])
    supervisor = start_worker(stack.env, tmp_path / "logs", processes=2)
    try:
        first = _pids_of(redis, supervisor.pid)
        assert len(first) == 2, first
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        deadline, now = time.monotonic() + 60, first
        while time.monotonic() < deadline:
            now = _pids_of(redis, supervisor.pid) - {victim}
            if len(now) == 2:
                break
            time.sleep(0.2)
        assert len(now) == 2 and victim not in now, f"replaced: {first} -> {now}"
    finally:
        supervisor.stop(grace=5.0)
        redis.close()
    assert not supervisor.alive()
