"""API authentication: `Authorization: Bearer <token>`, one token per user, stored as a SHA-256 hash.

Tokens are created with `create_token()` (shown once). The API is exempt from CSRF (no cookies are
used to authenticate it); every request must carry a valid token.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from flask import g, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from smartapp.api import bp
from smartapp.api.problems import ApiProblem
from smartapp.extensions import csrf, db
from smartapp.models import ApiToken, User

csrf.exempt(bp)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str = "default") -> str:
    token = "rvx_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=_digest(token)))
    session.commit()
    return token


@bp.before_request
def _authenticate() -> None:
    if request.endpoint in {"api.openapi_document"}:
        return   # the API description is public
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        raise ApiProblem(401, "Unauthorized", "Send an API token as 'Authorization: Bearer <token>'.")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(header[7:].strip())))
    if row is None or row.revoked_at is not None:
        raise ApiProblem(401, "Unauthorized", "The API token is not valid.")
    row.last_used_at = datetime.now(UTC)
    g.api_user = db.session.get(User, row.user_id)


def api_user() -> User:
    user: User = g.api_user
    return user
