"""`python -m workers --processes N`: keep N worker processes running on this machine.

Each child is a plain `python -m workers` (one non-forking RQ worker). A child that exits on its own
(a job crashed the interpreter, the hard time limit ended a stuck job, out of memory) is started again
after a short pause; the job it held is put back on the queue by recovery when the new one starts.
SIGTERM or SIGINT is passed to every child (RQ's warm shutdown: each finishes its current job) and the
supervisor exits when they have. A child that keeps dying within seconds of its start is restarted at
most every `MAX_BACKOFF_S`, so a broken configuration does not spin.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from types import FrameType

log = logging.getLogger(__name__)
MAX_BACKOFF_S = 30.0
HEALTHY_AFTER_S = 60.0   # a child that lived this long resets its back-off


class _Child:
    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.popen: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.backoff = 1.0
        self.next_start = 0.0

    def start(self) -> None:
        self.popen = subprocess.Popen(self.argv)  # noqa: S603 - our own interpreter and module
        self.started = time.monotonic()

    def reap(self) -> int | None:
        """The exit code if the child has exited since the last look (and schedule its restart)."""
        if self.popen is None or (code := self.popen.poll()) is None:
            return None
        self.popen = None
        lived = time.monotonic() - self.started
        self.backoff = 1.0 if lived > HEALTHY_AFTER_S else min(self.backoff * 2, MAX_BACKOFF_S)
        self.next_start = time.monotonic() + self.backoff
        return code


def supervise(processes: int, burst: bool = False) -> int:
    """Run `processes` workers until SIGTERM/SIGINT (or, with `burst`, until all have exited)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    argv = [sys.executable, "-m", "workers", *(["--burst"] if burst else [])]
    children = [_Child(argv) for _ in range(processes)]
    stopping = False

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for child in children:
            if child.popen is not None and child.popen.poll() is None:
                child.popen.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        child.start()
    log.info("supervising %d worker processes", processes)
    while True:
        for child in children:
            code = child.reap()
            if code is not None and not stopping and not burst:
                log.warning("worker process exited with %s; starting another in %.0f s", code, child.backoff)
            if child.popen is None and not stopping and not burst and time.monotonic() >= child.next_start:
                child.start()
        if all(child.popen is None for child in children) and (stopping or burst):
            return 0
        time.sleep(0.2)
