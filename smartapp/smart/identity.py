"""OpenID Connect identity from the id_token: signature (issuer's JWKS), iss, aud, exp and nonce.

`fhirUser` may be relative ("Practitioner/7") or absolute; we store it absolute so one person is one
User per issuer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet


class IdentityError(RuntimeError):
    """The id_token is missing, forged, expired or for someone else."""


@dataclass(frozen=True)
class Identity:
    subject: str
    fhir_user: str
    display_name: str

    @property
    def resource_type(self) -> str:
        parts = self.fhir_user.rstrip("/").split("/")
        return parts[-2] if len(parts) >= 2 else ""


def absolute_fhir_user(fhir_user: str, iss: str) -> str:
    if fhir_user.startswith(("http://", "https://")):
        return fhir_user
    return f"{iss.rstrip('/')}/{fhir_user.lstrip('/')}"


def _keys(jwks_uri: str, timeout: float) -> KeySet:
    try:
        response = requests.get(jwks_uri, timeout=timeout)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (requests.RequestException, ValueError, JoseError) as err:
        raise IdentityError(f"cannot read the EHR's signing keys: {type(err).__name__}") from err


def verify_id_token(
    id_token: str, *, jwks_uri: str | None, issuer: str, client_id: str, nonce: str, timeout: float = 10.0,
) -> Identity:
    if not jwks_uri:
        raise IdentityError("the EHR publishes no jwks_uri, so its id_token cannot be verified")
    try:
        token = jwt.decode(id_token, _keys(jwks_uri, timeout), algorithms=["RS256", "RS384", "ES256", "ES384"])
    except (JoseError, ValueError) as err:
        raise IdentityError(f"id_token signature is not valid: {type(err).__name__}") from err
    claims = token.claims
    aud = claims.get("aud")
    if claims.get("iss", "").rstrip("/") != issuer.rstrip("/"):
        raise IdentityError("id_token was issued by another server")
    if client_id not in (aud if isinstance(aud, list) else [aud]):
        raise IdentityError("id_token was issued for another app")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] < time.time() - 60:
        raise IdentityError("id_token has expired")
    if claims.get("nonce") != nonce:
        raise IdentityError("id_token nonce does not match this launch")
    fhir_user = claims.get("fhirUser") or claims.get("profile")
    if not fhir_user:
        raise IdentityError("id_token carries no fhirUser")
    name = claims.get("name") or claims.get("preferred_username") or ""
    return Identity(subject=str(claims.get("sub", "")), fhir_user=absolute_fhir_user(fhir_user, issuer),
                    display_name=str(name))
