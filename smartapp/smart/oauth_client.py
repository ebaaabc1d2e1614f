"""Authlib OAuth 2.0 sessions for a registration: PKCE S256 and state on every authorize, and the
client authentication the registration asks for: public (PKCE only, `client_id` in the body),
`client_secret_basic`, `client_secret_post`, or `private_key_jwt` (a fresh signed assertion per
token request, see client_keys). Token revocation (RFC 7009) for sign-out.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from smartapp.fhir.client_auth import assertion_auth
from smartapp.smart import client_keys
from smartapp.smart.discovery import SmartConfiguration
from smartapp.smart.registry import Registration

log = logging.getLogger(__name__)

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SYMMETRIC = ("client_secret_basic", "client_secret_post")


class TokenRequestError(RuntimeError):
    """The token endpoint refused or failed; `user_message` says what the person can do.

    `unavailable`: the endpoint could not answer (timeout, no connection, a 5xx) — the EHR is down or
    slow, which says nothing about the registration or the person's session."""

    def __init__(self, message: str, user_message: str, *, unavailable: bool = False) -> None:
        super().__init__(message)
        self.user_message = user_message
        self.unavailable = unavailable


def _unavailable(err: Exception, doing: str) -> TokenRequestError | None:
    """The error for a token endpoint that did not answer, or None when it answered (and refused)."""
    if isinstance(err, requests.exceptions.Timeout):
        return TokenRequestError(f"{doing} timed out", f"The EHR's sign-in server did not answer in time ({doing} "
                                 "timed out). The EHR is slow or down: try again in a minute.", unavailable=True)
    if isinstance(err, requests.exceptions.HTTPError) and err.response is not None and err.response.status_code >= 500:
        status = err.response.status_code
        return TokenRequestError(f"{doing}: HTTP {status}", f"The EHR's sign-in server had an error ({doing}, HTTP "
                                 f"{status}). The EHR is having trouble: try again in a minute.", unavailable=True)
    if isinstance(err, requests.exceptions.ConnectionError):
        return TokenRequestError(f"{doing}: no connection", f"RevRX could not reach the EHR's sign-in server "
                                 f"({doing}). The EHR may be down: try again in a minute.", unavailable=True)
    return None


def negotiated_auth(reg: Registration, config: SmartConfiguration | None) -> str:
    """The registration's client authentication, switching between the two secret methods when the
    server lists only the other one (many EHRs accept just one of them)."""
    listed = config.token_endpoint_auth_methods if config else ()
    if reg.client_auth in SYMMETRIC and listed and reg.client_auth not in listed:
        other = next((m for m in SYMMETRIC if m in listed), None)
        if other:
            return other
    return reg.client_auth


def session_for(reg: Registration, *, client_auth: str | None = None, timeout: float = 10.0,
                scope: str | None = None) -> OAuth2Session:
    """A session for one request. `scope` only for authorize: a refresh without `scope` keeps the
    granted scope (asking for the registration's full list could exceed what was granted)."""
    method = client_auth or reg.client_auth
    wire = {"public": "none"}.get(method, method)
    common: dict[str, Any] = {"client_id": reg.client_id, "scope": scope, "redirect_uri": reg.redirect_uri,
                              "code_challenge_method": "S256", "default_timeout": timeout,
                              "token_endpoint_auth_method": wire, "revocation_endpoint_auth_method": wire}
    if method == "public":
        # Public clients prove possession with PKCE alone; client_id goes in the token request body.
        return OAuth2Session(**common)
    if method == "private_key_jwt":
        session = OAuth2Session(**common)
        session.register_client_auth_method(
            ("private_key_jwt", assertion_auth(lambda token_url: client_keys.client_assertion(reg, token_url))))
        return session
    return OAuth2Session(client_secret=reg.client_secret, **common)


def new_code_verifier() -> str:
    return generate_token(64)


def authorization_url(
    reg: Registration, authorization_endpoint: str, *, state: str, code_verifier: str, nonce: str,
    iss: str, launch: str | None, scope: str | None = None,
) -> str:
    extra: dict[str, Any] = {"aud": iss, "nonce": nonce}
    if launch:
        extra["launch"] = launch
    url, _ = session_for(reg, scope=scope or reg.scope).create_authorization_url(
        authorization_endpoint, state=state, code_verifier=code_verifier, **extra
    )
    return str(url)


def exchange_code(reg: Registration, token_endpoint: str, *, code: str, code_verifier: str,
                  client_auth: str | None = None, timeout: float = 10.0) -> dict[str, Any]:
    session = session_for(reg, client_auth=client_auth, timeout=timeout)
    try:
        token = session.fetch_token(
            token_endpoint, grant_type="authorization_code", code=code, code_verifier=code_verifier,
            redirect_uri=reg.redirect_uri,
        )
    except client_keys.KeyConfigError as err:
        raise TokenRequestError(str(err), "RevRX's signing key for this EHR is not configured. Ask your "
                                "administrator to check the registration's jwks_private setting.") from err
    except Exception as err:  # Authlib raises OAuthError, requests raises its own; both end the launch
        if (down := _unavailable(err, "the token request")) is not None:
            raise down from err
        raise TokenRequestError(
            f"token exchange failed: {type(err).__name__}: {getattr(err, 'error', '')}",
            "The EHR did not give RevRX access (the sign-in could not be completed). Launch RevRX again "
            "from the EHR; if it keeps failing, ask your EHR administrator to check the app registration.",
        ) from err
    if not token.get("access_token"):
        raise TokenRequestError("token response without access_token",
                                "The EHR answered without an access token. Launch RevRX again.")
    return dict(token)


def refresh(reg: Registration, token_endpoint: str, refresh_token: str,
            client_auth: str | None = None) -> dict[str, Any]:
    session = session_for(reg, client_auth=client_auth)
    try:
        token = session.refresh_token(token_endpoint, refresh_token=refresh_token)
    except Exception as err:
        if (down := _unavailable(err, "refreshing the access token")) is not None:
            raise down from err
        raise TokenRequestError(
            f"token refresh failed: {type(err).__name__}: {getattr(err, 'error', '')}",
            "Your EHR session has expired. Launch RevRX again from the EHR to continue.",
        ) from err
    if not token.get("access_token"):
        raise TokenRequestError("refresh answer without access_token",
                                "Your EHR session has expired. Launch RevRX again from the EHR to continue.")
    return dict(token)


def revoke(reg: Registration, revocation_endpoint: str, token: str, hint: str,
           client_auth: str | None = None, timeout: float = 5.0) -> bool:
    """Ask the EHR to revoke a token (RFC 7009). Sign-out goes on whatever the answer: False on failure."""
    session = session_for(reg, client_auth=client_auth, timeout=timeout)
    try:
        response = session.revoke_token(revocation_endpoint, token=token, token_type_hint=hint)
    except (requests.RequestException, client_keys.KeyConfigError) as err:
        log.warning("token revocation failed for registration %s: %s", reg.id, type(err).__name__)
        return False
    return bool(response.status_code == 200)


def expires_at_from(token: dict[str, Any], now: datetime | None = None) -> datetime | None:
    moment = now or datetime.now(UTC)
    if token.get("expires_in") is not None:
        try:
            return moment + timedelta(seconds=int(token["expires_in"]))
        except (TypeError, ValueError):
            return None
    if token.get("expires_at") is not None:
        return datetime.fromtimestamp(float(token["expires_at"]), UTC)
    return None
