"""Uploading zip bombs to a running stack at once while watching the web process's memory: shared by
the integration test (tests/integration/test_upload_bombs.py) and `scripts/bench_zip_bombs.py`."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests

from devstack.processes import Stack


def rss_bytes(pid: int) -> int:
    """Resident memory of one process now (Linux /proc), children not included."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def web_pid(stack: Stack) -> int:
    return next(p.pid for p in stack.processes if p.name == "web")


@dataclass(frozen=True)
class BombResult:
    before: int          # web RSS before the uploads (bytes)
    peak: int            # highest web RSS seen while they ran
    after: int           # web RSS once they had all answered
    seconds: float       # wall clock for all of them
    answers: list[dict[str, object]]   # each upload's API entry

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.before) / 1048576


def upload_at_once(stack: Stack, token: str, bombs: list[bytes]) -> BombResult:
    """POST each bomb to /api/v1/uploads in its own request, all at once; sample web RSS every 10 ms."""
    pid = web_pid(stack)
    before = rss_bytes(pid)
    peak = [before]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_bytes(pid))
            time.sleep(0.01)

    def send(index_data: tuple[int, bytes]) -> dict[str, object]:
        index, data = index_data
        response = requests.post(f"{stack.app_url}/api/v1/uploads", headers={"Authorization": f"Bearer {token}"},
                                 files=[("files", (f"bomb-{index}.docx", data))], timeout=300)
        body = response.json()
        assert "uploads" in body, body   # e.g. a 503 when the queue is down
        return dict(body["uploads"][0])

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(len(bombs)) as pool:
            answers = list(pool.map(send, enumerate(bombs)))
    finally:
        done.set()
        watcher.join()
    return BombResult(before, peak[0], rss_bytes(pid), time.monotonic() - started, answers)
