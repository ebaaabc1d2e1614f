"""API tokens: made with an expiry, listed and revoked by their owner or an administrator (People page,
`flask create-api-token / list-api-tokens / revoke-api-token`), checked on every API request.

Only a token's SHA-256 is stored, so a database leak leaks no working token. A token stops working
when it expires, is revoked, or its person is deactivated.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.errors import UserFacingError
from smartapp.models import ApiToken, Role, User
from smartapp.models.base import as_utc

DEFAULT_DAYS = 90   # API_TOKEN_DAYS' default; callers pass the configured value


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str = "default", days: int = DEFAULT_DAYS) -> str:
    """A new token for `user`, working for `days` in the organisation `user` acts in now (their active
    one); returned once (committed), never stored in clear."""
    token = "rvx_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, organization_id=user.organization_id, name=name[:100],
                         token_hash=digest(token),
                         expires_at=datetime.now(UTC) + timedelta(days=days)))
    session.commit()
    return token


def why_refused(row: ApiToken | None, user: User | None, now: datetime | None = None) -> str | None:
    """None when the token may be used; else a reason for the log (the client hears one message)."""
    now = now or datetime.now(UTC)
    if row is None or user is None:
        return "unknown"
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and as_utc(row.expires_at) <= now:
        return "expired"
    if not user.active:
        return "deactivated"
    return None


def state(row: ApiToken, now: datetime | None = None) -> str:
    """"active", "expired" or "revoked", as the People page and list-api-tokens show it."""
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and as_utc(row.expires_at) <= (now or datetime.now(UTC)):
        return "expired"
    return "active"


def organization_of(row: ApiToken, owner: User) -> int:
    """The organisation a token acts in (tokens made before memberships: the owner's home one)."""
    return row.organization_id or owner.home_organization_id


def tokens_of(session: Session, user_ids: list[int], organization_id: int | None = None) -> list[ApiToken]:
    """The people's tokens; with `organization_id`, only those issued for that organisation."""
    if not user_ids:
        return []
    rows = session.scalars(select(ApiToken).where(ApiToken.user_id.in_(user_ids))
                           .order_by(ApiToken.user_id, ApiToken.id.desc()))
    if organization_id is None:
        return list(rows)
    homes = {u.id: u.home_organization_id for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    return [r for r in rows if (r.organization_id or homes.get(r.user_id)) == organization_id]


def may_manage(actor: User | None, owner: User, organization_id: int | None = None) -> bool:
    """A person manages their own tokens; an administrator those issued for their (active) organisation;
    the command line all."""
    if actor is None:
        return True
    org = owner.organization_id if organization_id is None else organization_id
    return actor.id == owner.id or (Role.ADMIN in actor.roles and actor.organization_id == org)


def revoke(session: Session, actor: User | None, token_id: int) -> ApiToken:
    row = session.get(ApiToken, token_id)
    owner = session.get(User, row.user_id) if row is not None else None
    if row is None or owner is None or (actor is not None and actor.id != owner.id
                                        and actor.organization_id != organization_of(row, owner)):
        raise UserFacingError(404, "Not found", "There is no such API token in your organization.")
    if not may_manage(actor, owner, organization_of(row, owner)):
        raise UserFacingError(403, "Not allowed", "Only the token's owner or an administrator can revoke it.")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        audit.record(session, action="api-token-revoke", actor=actor, actor_name=None if actor else "command line",
                     resource_type="User", resource_id=str(owner.id),
                     organization_id=organization_of(row, owner), detail=f"token #{row.id} {row.name}")
    return row
