"""CPU time used by the processes of a stack, read from /proc (Linux).

Each process the stack starts leads its own process group (`spawn`), so a group's CPU time covers the
process, its threads, and every child it has started: live ones (gunicorn's workers) directly, exited
ones (reaped by their parent) through the parent's `cutime`/`cstime`. CPU time is what the benchmark
reports beside wall-clock rates because it barely moves with other load on the machine.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgids: Iterable[int]) -> dict[int, float]:
    """CPU seconds (user + system, children included) of every process in each process group."""
    wanted = {int(p): 0.0 for p in pgids}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        pgrp = int(fields[2])
        if pgrp in wanted:   # utime, stime, cutime, cstime: fields 14-17 of proc(5)
            wanted[pgrp] += sum(int(f) for f in fields[11:15]) / TICKS
    return wanted
