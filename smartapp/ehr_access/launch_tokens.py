"""Token storage and proactive refresh.

Tokens live server-side in `LaunchSession`, encrypted; the browser only holds the signed session
cookie that names the user. `access_token_for()` refreshes a token that expires within the margin,
under a Redis lock per launch so two jobs (or a job and a page) never refresh the same token at once
— the loser of the race re-reads the row and uses the fresh token. A refresh answer without a new
refresh token keeps the old one. Access tokens are opaque to us: we never parse them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from redis import Redis
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from smartapp.fhir.errors import FhirError
from smartapp.models import LaunchSession
from smartapp.models.base import as_utc
from smartapp.smart import oauth_client
from smartapp.smart.oauth_client import expires_at_from
from smartapp.smart.registry import Registry


class RelaunchRequired(RuntimeError):
    """The EHR session is over (expired, refused, revoked): the user must launch again."""

    # Said where work was under way (an approval, a re-run): nothing of it is lost, and a relaunch from the
    # EHR opens this same encounter (its launch context names it) with the decisions as they were.
    user_message = ("Your EHR session has expired, so nothing was sent to the EHR. Your decisions here are "
                    "saved: Launch RevRX again from this encounter in the EHR and it opens on it, as you left it.")


def needs_refresh(launch: LaunchSession, margin_s: int, now: datetime | None = None) -> bool:
    if launch.expires_at is None:
        return False
    return as_utc(launch.expires_at) - (now or datetime.now(UTC)) < timedelta(seconds=margin_s)


def access_token_for(
    launch: LaunchSession, *, session: Session, redis: Redis, registry: Registry, margin_s: int = 120,
) -> str:
    """A usable access token for the launch, refreshed first when it expires within `margin_s`."""
    if launch.revoked_at is not None:
        raise RelaunchRequired("launch was signed out")
    if not needs_refresh(launch, margin_s):
        return launch.access_token
    return _refresh(launch, session=session, redis=redis, registry=registry,
                    still_needed=lambda: needs_refresh(launch, margin_s), near_expiry_ok=True)


def refresh_rejected_token(
    launch: LaunchSession, stale_token: str, *, session: Session, redis: Redis, registry: Registry,
) -> str:
    """The EHR answered 401 to `stale_token` before its stated expiry (revoked, or expired early):
    refresh once, unless another process has already swapped in a new token."""
    if launch.revoked_at is not None:
        raise RelaunchRequired("launch was signed out")
    return _refresh(launch, session=session, redis=redis, registry=registry,
                    still_needed=lambda: launch.access_token == stale_token, near_expiry_ok=False)


def _refresh(
    launch: LaunchSession, *, session: Session, redis: Redis, registry: Registry,
    still_needed: Callable[[], bool], near_expiry_ok: bool,
) -> str:
    with redis.lock(f"revrx:token-refresh:{launch.id}", timeout=30, blocking_timeout=35):
        session.refresh(launch)
        if not still_needed():
            return launch.access_token   # someone else refreshed while we waited
        reg = registry.by_id(launch.registration_id)
        if reg is None or not launch.refresh_token:
            if near_expiry_ok and launch.expires_at and as_utc(launch.expires_at) > datetime.now(UTC):
                return launch.access_token   # still valid, only close to expiry and not refreshable
            raise RelaunchRequired("access token expired and cannot be refreshed")
        try:
            token = oauth_client.refresh(reg, launch.token_endpoint, launch.refresh_token,
                                         client_auth=(launch.context or {}).get("client_auth"))
        except oauth_client.TokenRequestError as err:
            if err.unavailable:   # the EHR is down or slow: the session may be fine, and the person is told so
                raise FhirError(None, err.user_message) from err
            raise RelaunchRequired(str(err)) from err
        # A refresh answer without a new refresh token keeps the old one (the spec allows both).
        _save(session, launch, access_token=token["access_token"],
              refresh_token=token.get("refresh_token") or launch.refresh_token,
              expires_at=expires_at_from(token), scope=token.get("scope") or launch.scope)
        return launch.access_token


def _save(session: Session, launch: LaunchSession, **values: Any) -> None:
    """Save refreshed tokens at once, in a transaction of their own: whoever waits on the refresh lock
    next must read them (an EHR that rotates refresh tokens refuses the old one), and the caller's
    unfinished work is not ours to commit. SQLite has one writer: when the caller already holds the
    write lock, a second connection would wait on it, so there they go with the caller's transaction."""
    connection = session.connection()
    driver = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and driver is not None and driver.in_transaction:
        for key, value in values.items():
            setattr(launch, key, value)
        session.flush()
        return
    with Session(bind=connection.engine) as own:
        own.execute(update(LaunchSession).where(LaunchSession.id == launch.id).values(**values))
        own.commit()
    for key, value in values.items():
        set_committed_value(launch, key, value)
