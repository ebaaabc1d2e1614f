"""OpenID Connect identity from the id_token: signature (issuer's JWKS), iss, aud, azp, exp, iat, nbf
and nonce (OpenID Connect Core 3.1.3.7).

The `iss` of an id_token is the OAuth/OpenID issuer, not the FHIR base: Epic's is its OAuth server
(`.../interconnect-fhir-oauth/oauth2`), Oracle Health's an `authorization.cerner.com/tenants/<tenant>/...`
URL. It is checked against an `ExpectedIssuer` (the discovered issuer, or a registration's exact value or
prefix), and the person is (issuer, subject), as Oracle's OpenID Connect guide defines a user.

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
class ExpectedIssuer:
    """What the id_token's `iss` must be: `value` exactly, or (match "prefix") `value` or anything under
    `value` + "/". A trailing slash never matters."""

    value: str
    match: str = "exact"

    def accepts(self, iss: object) -> bool:
        if not isinstance(iss, str) or not iss:
            return False
        got, want = iss.rstrip("/"), self.value.rstrip("/")
        return got == want or (self.match == "prefix" and got.startswith(want + "/"))


@dataclass(frozen=True)
class Identity:
    subject: str
    fhir_user: str
    display_name: str
    issuer: str = ""          # the id_token's own `iss` (with `subject`, who the person is)
    # The verified id_token's claims: a registration may read roles from one (smartapp/smart/roles.py).
    claims: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def resource_type(self) -> str:
        parts = self.fhir_user.rstrip("/").split("/")
        return parts[-2] if len(parts) >= 2 else ""


def absolute_fhir_user(fhir_user: str, fhir_base: str) -> str:
    """A relative fhirUser ("Practitioner/7") is relative to the FHIR base, never to the OAuth issuer."""
    if fhir_user.startswith(("http://", "https://")):
        return fhir_user
    return f"{fhir_base.rstrip('/')}/{fhir_user.lstrip('/')}"


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


def _check_nonce(claims: dict[str, object], nonce: str, require_nonce: bool) -> None:
    got = claims.get("nonce")
    if got is None and not require_nonce:
        return    # a registration that allows it: this EHR does not echo the nonce
    if got != nonce:
        raise IdentityError("id_token nonce does not match this launch" if got is not None
                            else "id_token carries no nonce (set require_nonce false for this EHR if that is its norm)")


def verify_id_token(
    id_token: str, *, jwks_uri: str | None, issuer: ExpectedIssuer | str, client_id: str, nonce: str,
    fhir_base: str | None = None, require_nonce: bool = True, timeout: float = 10.0,
) -> Identity:
    """The person an id_token names. `issuer` is what its `iss` must be; `fhir_base` resolves a relative
    fhirUser (default: the issuer's value, for servers whose issuer is their FHIR base)."""
    expected = issuer if isinstance(issuer, ExpectedIssuer) else ExpectedIssuer(issuer)
    if not jwks_uri:
        raise IdentityError("the EHR publishes no jwks_uri, so its id_token cannot be verified")
    try:
        token = jwt.decode(id_token, _keys(jwks_uri, timeout), algorithms=["RS256", "RS384", "ES256", "ES384"])
    except (JoseError, ValueError) as err:
        raise IdentityError(f"id_token signature is not valid: {type(err).__name__}") from err
    claims = token.claims
    aud = claims.get("aud")
    if not expected.accepts(claims.get("iss")):
        raise IdentityError("id_token was issued by another server")
    audiences = aud if isinstance(aud, list) else [aud]
    if client_id not in audiences:
        raise IdentityError("id_token was issued for another app")
    _check_azp(claims.get("azp"), audiences, client_id)
    _check_times(claims, time.time())
    _check_nonce(claims, nonce, require_nonce)
    fhir_user = claims.get("fhirUser") or claims.get("profile")
    if not fhir_user:
        raise IdentityError("id_token carries no fhirUser")
    name = claims.get("name") or claims.get("preferred_username") or ""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise IdentityError("id_token names no subject (sub)")
    return Identity(subject=subject, fhir_user=absolute_fhir_user(str(fhir_user), fhir_base or expected.value),
                    display_name=str(name), issuer=str(claims["iss"]).rstrip("/"), claims=dict(claims))
