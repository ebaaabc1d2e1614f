"""Authlib OAuth 2.0 sessions for a registration: PKCE S256 and state on every authorize, and the
client authentication the registration asks for (public, client_secret_basic, client_secret_post).
"""

from __future__ import annotations

from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from smartapp.smart.registry import Registration


class TokenRequestError(RuntimeError):
    """The token endpoint refused or failed; `user_message` says what the person can do."""

    def __init__(self, message: str, user_message: str) -> None:
        super().__init__(message)
        self.user_message = user_message


def session_for(reg: Registration, *, timeout: float = 10.0) -> OAuth2Session:
    if reg.is_public:
        # Public clients prove possession with PKCE alone; client_id goes in the token request body.
        return OAuth2Session(
            client_id=reg.client_id, token_endpoint_auth_method="none",  # noqa: S106 (a method name)
            scope=reg.scope,
            redirect_uri=reg.redirect_uri, code_challenge_method="S256", default_timeout=timeout,
        )
    return OAuth2Session(
        client_id=reg.client_id, client_secret=reg.client_secret,
        token_endpoint_auth_method=reg.client_auth, scope=reg.scope,
        redirect_uri=reg.redirect_uri, code_challenge_method="S256", default_timeout=timeout,
    )


def new_code_verifier() -> str:
    return generate_token(64)


def authorization_url(
    reg: Registration, authorization_endpoint: str, *, state: str, code_verifier: str, nonce: str,
    iss: str, launch: str | None,
) -> str:
    extra: dict[str, Any] = {"aud": iss, "nonce": nonce}
    if launch:
        extra["launch"] = launch
    url, _ = session_for(reg).create_authorization_url(
        authorization_endpoint, state=state, code_verifier=code_verifier, **extra
    )
    return str(url)


def exchange_code(reg: Registration, token_endpoint: str, *, code: str, code_verifier: str) -> dict[str, Any]:
    session = session_for(reg)
    try:
        token = session.fetch_token(
            token_endpoint, grant_type="authorization_code", code=code, code_verifier=code_verifier,
            redirect_uri=reg.redirect_uri,
        )
    except Exception as err:  # Authlib raises OAuthError, requests raises its own; both end the launch
        raise TokenRequestError(
            f"token exchange failed: {type(err).__name__}",
            "The EHR did not give RevRX access (the sign-in could not be completed). Launch RevRX again "
            "from the EHR; if it keeps failing, ask your EHR administrator to check the app registration.",
        ) from err
    return dict(token)


def refresh(reg: Registration, token_endpoint: str, refresh_token: str) -> dict[str, Any]:
    session = session_for(reg)
    try:
        token = session.refresh_token(token_endpoint, refresh_token=refresh_token)
    except Exception as err:
        raise TokenRequestError(
            f"token refresh failed: {type(err).__name__}",
            "Your EHR session has expired. Launch RevRX again from the EHR to continue.",
        ) from err
    return dict(token)
