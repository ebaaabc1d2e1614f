"""OAuth 2.0 client authentication shared by every token request RevRX makes (SMART launches and FHIR
connections alike): the SMART client assertion (`private_key_jwt`, RFC 7523) and the hook that puts it
into an Authlib `OAuth2Session` token request.

No Flask, no ORM: callers hand over the key, the client id and the token endpoint.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from authlib.common.urls import add_params_to_qs
from joserfc import jwt
from joserfc.jwk import ECKey, RSAKey

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_LIFETIME_S = 240   # SMART: exp no more than five minutes ahead; leave room for clock skew


def client_assertion(client_id: str, token_endpoint: str, key: RSAKey | ECKey, alg: str, *,
                     now: float | None = None) -> str:
    """A SMART client assertion: iss = sub = client_id, aud = the token URL, a unique jti, a short exp,
    with the key's kid and typ=JWT."""
    issued = int(now if now is not None else time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": token_endpoint, "jti": secrets.token_urlsafe(24),
              "iat": issued, "exp": issued + ASSERTION_LIFETIME_S}
    header: dict[str, Any] = {"alg": alg, "typ": "JWT"}
    if key.kid:
        header["kid"] = key.kid
    return jwt.encode(header, claims, key, algorithms=[alg])


AuthHook = Callable[[Any, str, str, dict[str, str], str], tuple[str, dict[str, str], str]]


def assertion_auth(sign: Callable[[str], str]) -> AuthHook:
    """An Authlib client-auth method that adds `sign(token_endpoint)` as the client assertion
    (register it as ("private_key_jwt", hook) on an OAuth2Session)."""
    def add_assertion(auth: Any, method: str, uri: str, headers: dict[str, str],
                      body: str) -> tuple[str, dict[str, str], str]:
        body = add_params_to_qs(body or "", [("client_assertion_type", ASSERTION_TYPE),
                                             ("client_assertion", sign(uri))])
        return uri, headers, body

    return add_assertion
