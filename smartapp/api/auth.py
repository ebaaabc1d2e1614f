"""API authentication: `Authorization: Bearer <token>`, stored as a SHA-256 hash
(smartapp/accounts/api_tokens.py: expiry, listing, revocation).

Tokens are created with `create_token()` (shown once). The API is exempt from CSRF (no cookies are
used to authenticate it); every request must carry a valid token: not expired, not revoked, its
person not deactivated and still a member of the organisation the token was issued for. The request
acts in that organisation, whatever others its person belongs to.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import g, request
from sqlalchemy import select

from smartapp.accounts.api_tokens import create_token, digest, why_refused
from smartapp.api import bp
from smartapp.api.problems import ApiProblem
from smartapp.extensions import csrf, db
from smartapp.models import ApiToken, User

csrf.exempt(bp)
log = logging.getLogger(__name__)
__all__ = ["api_user", "create_token"]


@bp.before_request
def _authenticate() -> None:
    if request.endpoint in {"api.openapi_document"}:
        return   # the API description is public
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        raise ApiProblem(401, "Unauthorized", "Send an API token as 'Authorization: Bearer <token>'.")
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(header[7:].strip())))
    owner = db.session.get(User, row.user_id) if row is not None else None
    why = why_refused(row, owner)
    if why is None and row is not None and owner is not None and \
            not owner.act_in(row.organization_id or owner.home_organization_id):
        why = "no longer a member"
    if why is not None:
        log.info("API token refused (%s)", why)
        raise ApiProblem(401, "Unauthorized", "The API token is not valid (unknown, expired or revoked).")
    row.last_used_at = datetime.now(UTC)  # type: ignore[union-attr]
    g.api_user = owner


def api_user() -> User:
    user: User = g.api_user
    return user
