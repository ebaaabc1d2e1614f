"""Retry policy for FHIR calls: which failures are worth retrying and how long to wait.

EHR gateways shed load with 429/503 and hiccup with 502/504; a short, jittered exponential backoff
rides those out without stampeding. A server's Retry-After wins, but is capped so a worker or a
waiting user is never parked for minutes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Statuses where the server did not act on the request, so even a non-idempotent POST is safe to resend.
NOT_PROCESSED_STATUSES = frozenset({429, 503})


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Full-jitter exponential backoff for retry number `attempt` (0-based)."""
    ceiling = min(cap, base * (2**attempt))
    # Half fixed, half random: always waits a little, but concurrent workers spread out.
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter, not crypto


def retry_delay(attempt: int, retry_after: str | None, *, base: float, cap: float) -> float:
    """How long to sleep before retry `attempt`, honouring Retry-After up to `cap` seconds."""
    hinted = parse_retry_after(retry_after)
    if hinted is not None:
        return min(hinted, cap)
    return backoff_delay(attempt, base, cap)
