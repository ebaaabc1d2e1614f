"""Authlib grants of the sandbox: authorization code (SMART launch rules, PKCE S256 for every
client), refresh token (rotating), client credentials for backend services, plus private_key_jwt
client authentication.

SMART rules checked at /oauth/authorize, after Authlib validated client, redirect_uri and scope (so a
failure redirects back to the client with `error=` and `state`):
- `aud` must be this sandbox's FHIR base (stops a token being minted for another server);
- `launch`, when present, must name a live launch context created for this client;
- `code_challenge` with `code_challenge_method=S256` is required, confidential clients included.

Client assertions (private_key_jwt) are held to SMART's rules, stricter than RFC 7523 alone: alg
RS384 or ES384 only, a `kid` that names one of the client's registered keys, `typ` JWT when present,
`exp` at most five minutes ahead, `aud` the token (or revocation) URL, and a `jti` never seen before.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import requests
from authlib.oauth2.rfc6749 import InvalidClientError, InvalidRequestError, OAuth2Error, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from sandbox.db import get_db
from sandbox.launch import LaunchContext, find_launch
from sandbox.oauth_models import (
    AuthorizedUser,
    StoredCode,
    StoredToken,
    claim_code,
    find_access_token,
    find_refresh_token,
    revoke_grant,
    revoke_refresh,
    save_code,
    use_assertion_jti,
)
from smartapp.smart.registry import normalize_iss

TOKEN_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]
ASSERTION_ALGS = ["RS384", "ES384"]        # what SMART App Launch requires servers to support
MAX_ASSERTION_LIFETIME_S = 300             # SMART: exp no more than five minutes in the future
CLOCK_SKEW_S = 10


class RequiredS256(CodeChallenge):  # type: ignore[misc]
    """PKCE for every client: Authlib's `required=True` only covers public clients at the token
    endpoint, so the authorize-time and confidential-client checks are added here."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: missing 'code_challenge'")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE is required with code_challenge_method=S256")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'")
        super().validate_code_verifier(grant, result)


class SmartAuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS
    launch_context: LaunchContext | None = None

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        try:
            self._validate_smart()
        except OAuth2Error as err:
            err.redirect_uri = redirect_uri
            raise
        return redirect_uri

    def _validate_smart(self) -> None:
        data = self.request.payload.data
        fhir_base = current_app.config["SANDBOX"].fhir_base
        aud = data.get("aud")
        if not aud or normalize_iss(aud) != fhir_base:
            raise InvalidRequestError(f"'aud' must be this server's FHIR base URL ({fhir_base})")
        launch = data.get("launch")
        if launch:
            ctx = find_launch(get_db(), launch)
            if ctx is None or ctx.client_id != self.request.client.get_client_id():
                raise InvalidRequestError("Unknown or expired 'launch'")
            self.launch_context = ctx

    def save_authorization_code(self, code: str, request: Any) -> None:
        user: AuthorizedUser = request.user
        data = request.payload.data
        save_code(
            get_db(), code, request.client.get_client_id(), data.get("redirect_uri") or "",
            request.scope or "", AuthorizedUser(user.practitioner_id, user.patient_id,
                                                user.encounter_id, data.get("nonce")),
            data.get("code_challenge"), data.get("code_challenge_method"),
            current_app.config["SANDBOX"].code_ttl,
        )

    def query_authorization_code(self, code: str, client: Any) -> StoredCode | None:
        return claim_code(get_db(), code, client.get_client_id())

    def delete_authorization_code(self, authorization_code: StoredCode) -> None:
        """Nothing to do: the code was marked used when it was claimed."""

    def authenticate_user(self, authorization_code: StoredCode) -> AuthorizedUser:
        return authorization_code.user()


class SmartRefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    """Refresh tokens rotate: each refresh returns a new one and revokes the one presented."""

    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> StoredToken | None:
        return find_refresh_token(get_db(), refresh_token)

    def authenticate_user(self, refresh_token: StoredToken) -> AuthorizedUser | None:
        return refresh_token.get_user()

    def revoke_old_credential(self, refresh_token: StoredToken) -> None:
        revoke_refresh(get_db(), refresh_token)


class KeptRefreshTokenGrant(SmartRefreshTokenGrant):
    """Refresh without rotation (Oracle Health): no new refresh token; the presented one keeps working."""

    INCLUDE_NEW_REFRESH_TOKEN = False

    def revoke_old_credential(self, refresh_token: StoredToken) -> None:
        return None


class BackendServicesGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    """SMART Backend Services: client_credentials for private_key_jwt clients (system/ scopes)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["private_key_jwt"]


class PrivateKeyJwt(JWTBearerClientAssertion):  # type: ignore[misc]
    """SMART asymmetric client auth (RS384/ES384 assertions), keys from the registration's
    `jwks` (inline) or `jwks_url` in launch.json."""

    CLIENT_AUTH_METHOD = "private_key_jwt"

    def __init__(self, audiences: list[str]) -> None:
        super().__init__(validate_jti=True)
        self._audiences = audiences

    def get_audiences(self) -> list[str]:
        return self._audiences

    def validate_jti(self, claims: Any, jti: str) -> bool:
        return use_assertion_jti(get_db(), f"{claims['sub']}:{jti}", float(claims["exp"]))

    def resolve_client_public_key(self, client: Any) -> KeySet:
        if client.jwks:
            return KeySet.import_key_set(client.jwks)
        if client.jwks_url:
            try:
                resp = requests.get(client.jwks_url, timeout=5)
                resp.raise_for_status()
                return KeySet.import_key_set(resp.json())
            except (requests.RequestException, ValueError, JoseError) as err:
                raise InvalidClientError(description="The client's jwks_url could not be read") from err
        raise InvalidClientError(description="No public key registered for this client")

    def process_assertion_claims(self, assertion: str, resolve_key: Any) -> Any:
        header = _assertion_header(assertion)
        if header.get("alg") not in ASSERTION_ALGS:
            raise InvalidClientError(description=f"client assertion alg must be one of {', '.join(ASSERTION_ALGS)}")
        if header.get("typ", "JWT") != "JWT":
            raise InvalidClientError(description="client assertion typ must be JWT")
        kid = header.get("kid")
        if not kid or not isinstance(resolve_key, KeySet) or not any(k.kid == kid for k in resolve_key.keys):
            raise InvalidClientError(description="client assertion kid is missing or not a registered key")
        # joserfc only accepts its "recommended" algorithms by default; SMART mandates RS384/ES384.
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=ASSERTION_ALGS)
        except (JoseError, ValueError) as err:
            raise InvalidClientError(description=getattr(err, "description", "invalid client assertion")) from err
        exp = token.claims.get("exp")
        if isinstance(exp, int | float) and exp > time.time() + MAX_ASSERTION_LIFETIME_S + CLOCK_SKEW_S:
            raise InvalidClientError(description="client assertion exp is more than five minutes ahead")
        self.verify_claims(token.claims)
        return token.claims


def _assertion_header(assertion: str) -> dict[str, Any]:
    try:
        segment = assertion.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, IndexError) as err:
        raise InvalidClientError(description="client assertion is not a JWT") from err
    if not isinstance(header, dict):
        raise InvalidClientError(description="client assertion is not a JWT")
    return header


class SandboxRevocation(RevocationEndpoint):  # type: ignore[misc]
    """RFC 7009 token revocation: revoking a refresh token ends the whole grant (its access token
    too); revoking an access token ends that token. Unknown tokens answer 200, as the RFC says."""

    CLIENT_AUTH_METHODS = TOKEN_AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> StoredToken | None:
        conn = get_db()
        if token_type_hint == "refresh_token":  # noqa: S105 (a hint name, not a secret)
            return find_refresh_token(conn, token_string) or find_access_token(conn, token_string)
        return find_access_token(conn, token_string) or find_refresh_token(conn, token_string)

    def revoke_token(self, token: StoredToken, request: Any) -> None:
        revoke_grant(get_db(), token)
