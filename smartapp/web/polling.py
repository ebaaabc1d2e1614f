"""How soon the coding panel asks again while a run is waiting or running.

The local engine codes a visit in a few hundred milliseconds, so a fixed one-second poll made the
first look wait for the poll, not for the coding. The panel asks soon while the run is young and
backs off as it ages, so a slow external engine or a queue of syncs costs no more requests than before.
"""

from __future__ import annotations

from datetime import UTC, datetime

from smartapp.models import CodingRun
from smartapp.models.base import as_utc

# (age of the run in seconds, delay before the next look in ms), youngest first; older: the last delay
SCHEDULE = ((2.0, 150), (6.0, 400))
SLOWEST_MS = 1000


STALLED_S = 60   # a run still waiting for a worker after this long is offered "Queue it again"


def coding_stalled(run: CodingRun | None, now: datetime | None = None) -> bool:
    """A run that no worker has started for a minute (the worker is down, or Redis lost its job)."""
    if run is None or run.created_at is None or run.status.value != "PENDING":
        return False
    return ((now or datetime.now(UTC)) - as_utc(run.created_at)).total_seconds() >= STALLED_S


def coding_poll_ms(run: CodingRun | None, now: datetime | None = None) -> int:
    if run is None or run.created_at is None:
        return SCHEDULE[0][1]
    age = ((now or datetime.now(UTC)) - as_utc(run.created_at)).total_seconds()
    return next((delay for limit, delay in SCHEDULE if age < limit), SLOWEST_MS)
