"""id_token verification: signature through the issuer's JWKS, iss, aud, azp, exp, iat, nbf and nonce,
each refused on its own; fhirUser resolved to an absolute reference; the person's name kept for the header."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from joserfc import jwk, jwt

from smartapp.smart.identity import ExpectedIssuer, IdentityError, absolute_fhir_user, verify_id_token
from tests.support.json_server import JsonServer, json_server

ISS = "https://ehr.example/fhir"
KEY = jwk.RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, private=True, auto_kid=True)
OTHER = jwk.RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, private=True, auto_kid=True)


@pytest.fixture(scope="module")
def jwks() -> Iterator[JsonServer]:
    with json_server() as server:
        server.routes["/jwks"] = (200, {"keys": [KEY.as_dict(private=False)]})
        yield server


def id_token(key: Any = KEY, **change: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISS, "sub": "pr7", "aud": "app", "iat": now, "exp": now + 300, "nonce": "n-1",
              "fhirUser": "Practitioner/pr7", "name": "Dr. Ada Lovelace"}
    for name, value in change.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


def verify(jwks: JsonServer, token: str, nonce: str = "n-1") -> Any:
    return verify_id_token(token, jwks_uri=f"{jwks.url}/jwks", issuer=ISS, client_id="app", nonce=nonce)


def test_a_good_token_names_the_user(jwks: JsonServer) -> None:
    who = verify(jwks, id_token(aud=["other", "app"], azp="app", iss=ISS + "/"))
    assert who.fhir_user == f"{ISS}/Practitioner/pr7" and who.resource_type == "Practitioner"
    assert who.display_name == "Dr. Ada Lovelace" and who.subject == "pr7"


@pytest.mark.parametrize(("token", "nonce", "says"), [
    (lambda: id_token(key=OTHER), "n-1", "signature"),
    (lambda: id_token(iss="https://evil.example/fhir"), "n-1", "another server"),
    (lambda: id_token(aud="someone-else"), "n-1", "another app"),
    (lambda: id_token(exp=int(time.time()) - 600), "n-1", "expired"),
    (lambda: id_token(exp=None), "n-1", "expired"),
    (lambda: id_token(), "a-different-nonce", "nonce"),
    (lambda: id_token(nonce=None), "n-1", "nonce"),
    (lambda: id_token(fhirUser=None), "n-1", "fhirUser"),
    (lambda: id_token(iat=int(time.time()) + 600), "n-1", "future"),
    (lambda: id_token(iat=int(time.time()) - 3600, exp=int(time.time()) + 300), "n-1", "too long ago"),
    (lambda: id_token(iat=None), "n-1", "iat"),
    (lambda: id_token(iat="yesterday"), "n-1", "not a time"),
    (lambda: id_token(nbf=int(time.time()) + 600), "n-1", "not valid yet"),
    (lambda: id_token(azp="someone-else"), "n-1", "azp"),
    (lambda: id_token(aud=["other", "app"]), "n-1", "azp"),
], ids=["wrong key", "wrong iss", "wrong aud", "expired", "no exp", "nonce mismatch", "no nonce", "no fhirUser",
        "iat in the future", "iat too old", "no iat", "iat not a number", "nbf in the future", "azp another app",
        "several aud without azp"])
def test_bad_tokens_are_refused(jwks: JsonServer, token: Any, nonce: str, says: str) -> None:
    with pytest.raises(IdentityError, match=says):
        verify(jwks, token(), nonce)


def test_small_clock_differences_and_a_matching_azp_pass(jwks: JsonServer) -> None:
    now = int(time.time())
    assert verify(jwks, id_token(iat=now + 30, nbf=now + 30, azp="app")).subject == "pr7"
    assert verify(jwks, id_token(iat=now - 300, aud="app", azp="app")).subject == "pr7"


def test_without_keys_nothing_is_trusted(jwks: JsonServer) -> None:
    with pytest.raises(IdentityError, match="jwks_uri"):
        verify_id_token(id_token(), jwks_uri=None, issuer=ISS, client_id="app", nonce="n-1")
    with pytest.raises(IdentityError, match="signing keys"):
        verify_id_token(id_token(), jwks_uri=f"{jwks.url}/missing", issuer=ISS, client_id="app", nonce="n-1")


def test_fhir_user_relative_or_absolute() -> None:
    assert absolute_fhir_user("Practitioner/1", ISS + "/") == f"{ISS}/Practitioner/1"
    assert absolute_fhir_user("https://x.example/fhir/Patient/2", ISS) == "https://x.example/fhir/Patient/2"


# ---- vendor issuers (issue 15 item 1) ---------------------------------------------------------------

EPIC_OAUTH = "https://fhir.epic.com/interconnect-fhir-oauth/oauth2"
EPIC_FHIR = "https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4"
ORACLE_TENANT = "https://authorization.cerner.com/tenants/ec2458f2-1e24-41c8-b71b-0e701af7583d"


def test_epic_id_token_is_checked_against_the_oauth_issuer_not_the_fhir_base(jwks: JsonServer) -> None:
    token = id_token(iss=EPIC_OAUTH, fhirUser="Practitioner/pr7")
    who = verify_id_token(token, jwks_uri=f"{jwks.url}/jwks", issuer=ExpectedIssuer(EPIC_OAUTH), fhir_base=EPIC_FHIR,
                          client_id="app", nonce="n-1")
    assert who.issuer == EPIC_OAUTH and who.subject == "pr7"
    assert who.fhir_user == f"{EPIC_FHIR}/Practitioner/pr7", "a relative fhirUser is on the FHIR base"
    with pytest.raises(IdentityError, match="another server"):
        verify_id_token(token, jwks_uri=f"{jwks.url}/jwks", issuer=EPIC_FHIR, client_id="app", nonce="n-1")


@pytest.mark.parametrize("iss", [f"{ORACLE_TENANT}/oidc/idsps/0b8a0111/", ORACLE_TENANT + "/", ORACLE_TENANT])
def test_oracle_issuers_old_and_new_pass_a_prefix(jwks: JsonServer, iss: str) -> None:
    expected = ExpectedIssuer(ORACLE_TENANT, "prefix")
    who = verify_id_token(id_token(iss=iss), jwks_uri=f"{jwks.url}/jwks", issuer=expected, client_id="app",
                          nonce="n-1")
    assert who.issuer == iss.rstrip("/")


@pytest.mark.parametrize("iss", [ORACLE_TENANT + "-evil", "https://authorization.cerner.com/tenants/other"])
def test_a_prefix_is_a_path_prefix_not_a_string_prefix(jwks: JsonServer, iss: str) -> None:
    with pytest.raises(IdentityError, match="another server"):
        verify_id_token(id_token(iss=iss), jwks_uri=f"{jwks.url}/jwks",
                        issuer=ExpectedIssuer(ORACLE_TENANT, "prefix"), client_id="app", nonce="n-1")


def test_a_missing_nonce_passes_only_where_the_registration_allows_it(jwks: JsonServer) -> None:
    token = id_token(nonce=None)
    assert verify_id_token(token, jwks_uri=f"{jwks.url}/jwks", issuer=ISS, client_id="app", nonce="n-1",
                           require_nonce=False).subject == "pr7"
    with pytest.raises(IdentityError, match="nonce"):   # present but wrong: always refused
        verify_id_token(id_token(nonce="other"), jwks_uri=f"{jwks.url}/jwks", issuer=ISS, client_id="app",
                        nonce="n-1", require_nonce=False)


def test_an_id_token_without_subject_is_refused(jwks: JsonServer) -> None:
    with pytest.raises(IdentityError, match="sub"):
        verify(jwks, id_token(sub=None))
