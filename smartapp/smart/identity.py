"""OpenID Connect identity from the id_token: signature (issuer's JWKS), iss, aud, azp, exp, iat, nbf
and nonce (OpenID Connect Core 3.1.3.7).

Times allow `SKEW_S` of clock difference between the EHR and us. `iat` must be present and recent: an
id_token issued long ago is a replay, whatever its `exp` says. `azp` (the party the token was issued
to) must be our client id when present, and must be present when `aud` names several audiences.

`fhirUser` may be relative ("Practitioner/7") or absolute; we store it absolute so one person is one
User per issuer.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

SKEW_S = 60            # clock difference tolerated between the EHR and RevRX
MAX_AGE_S = 10 * 60    # an id_token is used at once after the code exchange; older is a replay


class IdentityError(RuntimeError):
    """The id_token is missing, forged, expired or for someone else."""


@dataclass(frozen=True)
class Identity:
    subject: str
    fhir_user: str
    display_name: str
    # The verified id_token's claims: a registration may read roles from one (smartapp/smart/roles.py).
    claims: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

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


def _check_azp(azp: object, audiences: list[object], client_id: str) -> None:
    if azp is None:
        if len(audiences) > 1:
            raise IdentityError("id_token names several audiences but no authorized party (azp)")
        return
    if azp != client_id:
        raise IdentityError("id_token was issued to another app (azp)")


def _number(claims: dict[str, object], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise IdentityError(f"id_token {name} is not a time")
    return float(value)


def _check_times(claims: dict[str, object], now: float) -> None:
    exp, iat, nbf = _number(claims, "exp"), _number(claims, "iat"), _number(claims, "nbf")
    if exp is None or exp < now - SKEW_S:
        raise IdentityError("id_token has expired")
    if iat is None:
        raise IdentityError("id_token has no issue time (iat)")
    if iat > now + SKEW_S:
        raise IdentityError("id_token was issued in the future (iat): check the EHR's clock")
    if iat < now - MAX_AGE_S - SKEW_S:
        raise IdentityError("id_token was issued too long ago (iat)")
    if nbf is not None and nbf > now + SKEW_S:
        raise IdentityError("id_token is not valid yet (nbf)")


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
    audiences = aud if isinstance(aud, list) else [aud]
    if client_id not in audiences:
        raise IdentityError("id_token was issued for another app")
    _check_azp(claims.get("azp"), audiences, client_id)
    _check_times(claims, time.time())
    if claims.get("nonce") != nonce:
        raise IdentityError("id_token nonce does not match this launch")
    fhir_user = claims.get("fhirUser") or claims.get("profile")
    if not fhir_user:
        raise IdentityError("id_token carries no fhirUser")
    name = claims.get("name") or claims.get("preferred_username") or ""
    return Identity(subject=str(claims.get("sub", "")), fhir_user=absolute_fhir_user(fhir_user, issuer),
                    display_name=str(name), claims=dict(claims))
