"""Server-side browser sessions: started at sign-in, checked on every request, ended by sign-out, a
role change, deactivation, idleness or age.

The signed Flask cookie alone cannot be taken back: a copy made before sign-out kept working for the
cookie's whole life (31 days). So the cookie carries only a random session id; its row here decides.
A session ends when:
- the person signs out (that session), their role changes or they are deactivated (all of theirs);
- nobody used it for `idle` (a person's requests count; the page's own polling does not, or an open
  tab would keep a session alive for ever);
- it is older than `absolute`, however busy.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from smartapp.models import User, WebSession
from smartapp.models.base import as_utc

# Seen-at is written at most this often: enough precision for minutes of idle time, few writes.
TOUCH_EVERY = timedelta(seconds=30)
# Rows of sessions unused (or ended) this long are deleted by the hourly retention run.
KEEP_ENDED = timedelta(days=30)


@dataclass(frozen=True)
class Lifetimes:
    idle: timedelta
    absolute: timedelta

    @classmethod
    def of(cls, idle_minutes: int, absolute_hours: int) -> Lifetimes:
        return cls(timedelta(minutes=idle_minutes), timedelta(hours=absolute_hours))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(session: Session, user: User) -> str:
    """A new session for `user`; returns the id the cookie carries (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    session.add(WebSession(user_id=user.id, token_hash=_digest(token)))
    session.flush()
    return token


def find(session: Session, token: str | None) -> WebSession | None:
    if not token or len(token) > 200:
        return None
    return session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))


def why_ended(row: WebSession, lifetimes: Lifetimes, now: datetime | None = None) -> str | None:
    """None while the session is live; else why it is not (a revocation reason, "idle" or "expired")."""
    now = now or datetime.now(UTC)
    if row.revoked_at is not None:
        return row.revoked_why or "revoked"
    if not row.user.active:
        return "deactivated"
    if now - as_utc(row.created_at) >= lifetimes.absolute:
        return "expired"
    if now - as_utc(row.last_seen_at) >= lifetimes.idle:
        return "idle"
    return None


def end(row: WebSession, why: str, now: datetime | None = None) -> None:
    if row.revoked_at is None:
        row.revoked_at = now or datetime.now(UTC)
        row.revoked_why = why


def touch(row: WebSession, now: datetime | None = None) -> bool:
    """Record a person's request; True when the row changed (the caller commits)."""
    now = now or datetime.now(UTC)
    if now - as_utc(row.last_seen_at) < TOUCH_EVERY:
        return False
    row.last_seen_at = now
    return True


def end_all(session: Session, user_id: int, why: str) -> None:
    """End every live session of a person (role change, deactivation): their next request signs nobody in."""
    session.execute(update(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
                    .values(revoked_at=datetime.now(UTC), revoked_why=why))


def prune(session: Session, now: datetime | None = None) -> int:
    """Delete sessions ended or unused for KEEP_ENDED (the table would otherwise grow by one row per
    sign-in for ever); returns how many. The audit trail keeps the sign-ins themselves."""
    cutoff = (now or datetime.now(UTC)) - KEEP_ENDED
    result = session.execute(delete(WebSession).where(or_(WebSession.revoked_at < cutoff,
                                                          WebSession.last_seen_at < cutoff)))
    return int(getattr(result, "rowcount", 0) or 0)
