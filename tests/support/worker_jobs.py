"""Jobs for the worker's own tests (enqueued by dotted name, like the product's)."""

from __future__ import annotations

import os
import signal
import time


def pid() -> int:
    """The process the job ran in."""
    return os.getpid()


def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "slept"


def deaf_to_alarms(seconds: float) -> str:
    """A job the time limit's SIGALRM cannot interrupt (as one stuck in C code holding the GIL)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(seconds)
    return "never"
