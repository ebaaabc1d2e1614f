"""Sign-out: revoke the launch's tokens at the EHR (RFC 7009) where it has a revocation endpoint, and
mark the launch revoked here so no page or job uses it again, whatever the EHR answered."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.models import LaunchSession
from smartapp.smart import oauth_client
from smartapp.smart.discovery import DiscoveryError, discover
from smartapp.smart.registry import Registry

log = logging.getLogger(__name__)


def _revocation_endpoint(launch: LaunchSession) -> str | None:
    stored = (launch.context or {}).get("revocation_endpoint")
    if stored:
        return str(stored)
    try:
        return discover(launch.issuer, timeout=5.0).revocation_endpoint
    except DiscoveryError:
        return None


def revoke_launch(session: Session, launch: LaunchSession, registry: Registry) -> bool:
    """True when the EHR confirmed the revocation; the launch is unusable here either way."""
    confirmed = False
    reg = registry.by_id(launch.registration_id)
    endpoint = _revocation_endpoint(launch) if reg else None
    if reg and endpoint:
        auth = (launch.context or {}).get("client_auth")
        # The refresh token first: on most servers revoking it ends the whole grant.
        results = []
        if launch.refresh_token:
            results.append(oauth_client.revoke(reg, endpoint, launch.refresh_token, "refresh_token", auth))
        results.append(oauth_client.revoke(reg, endpoint, launch.access_token, "access_token", auth))
        confirmed = all(results)
    launch.revoked_at = datetime.now(UTC)
    audit.record(session, action="logout", actor=launch.user, outcome="success" if confirmed or not endpoint
                 else "failure", detail="tokens revoked at the EHR" if confirmed else
                 ("no revocation endpoint" if not endpoint else "EHR revocation failed"))
    return confirmed
