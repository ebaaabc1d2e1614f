"""The sandbox authorization server is strict enough to catch client bugs: client assertions (alg,
kid, typ, exp, aud, reused jti), PKCE for public, symmetric and asymmetric clients alike, token
revocation, the id_token's `name` with `profile`, and the EHR page's client picker."""

from __future__ import annotations

import base64
import json
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask.testing import FlaskClient
from joserfc import jwk, jwt

from sandbox.app import create_app

BASE = "http://ehr.test"
FHIR = f"{BASE}/fhir"
APP = "http://app.test"
REDIRECT = f"{APP}/callback"
TOKEN_URL = f"{BASE}/oauth/token"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

RS_KEY = jwk.RSAKey.generate_key(2048, parameters={"alg": "RS384"}, private=True, auto_kid=True)
EC_KEY = jwk.ECKey.generate_key("P-384", parameters={"alg": "ES384"}, private=True, auto_kid=True)
# The same RSA key without a designated alg, to sign with an algorithm SMART does not allow.
RS_ANY_ALG = jwk.RSAKey.import_key({k: v for k, v in RS_KEY.as_dict(private=True).items() if k != "alg"})


@pytest.fixture
def client(template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    monkeypatch.setenv("APP_BASE_URL", APP)
    db = tmp_path / "sandbox.db"
    shutil.copy(template_db, db)
    base = {"iss": FHIR, "launch_url": f"{APP}/launch", "redirect_uris": [REDIRECT],
            "scopes": ["launch", "openid", "fhirUser", "profile", "patient/*.rs"]}
    regs = [
        {"id": "sym", "client_id": "sym-app", "client_auth": "client_secret_basic", "client_secret": "s3cret"},
        {"id": "pub", "client_id": "pub-app", "client_auth": "public",
         "launch_url": f"{APP}/launch?registration=pub"},
        {"id": "rs", "client_id": "rs-app", "client_auth": "private_key_jwt",
         "jwks": {"keys": [RS_KEY.as_dict(private=False)]}},
        {"id": "es", "client_id": "es-app", "client_auth": "private_key_jwt",
         "jwks": {"keys": [EC_KEY.as_dict(private=False)]}},
    ]
    path = tmp_path / "launch.json"
    path.write_text(json.dumps({"app": {"base_url": APP}, "registrations": [{**base, **r} for r in regs]}))
    return create_app(str(db), BASE, launch_json=path).test_client()


def assertion(client_id: str, key: Any, alg: str, **change: Any) -> str:
    claims = {"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "jti": str(uuid.uuid4()),
              "exp": int(time.time()) + 240}
    header = {"alg": alg, "kid": key.kid, "typ": "JWT"}
    for name, value in change.items():
        target = header if name in {"kid", "typ"} else claims
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    return jwt.encode(header, claims, key, algorithms=[alg])


def get_code(client: FlaskClient, client_id: str, verifier: str | None, scope: str = "launch/patient openid profile"
             " fhirUser patient/*.rs") -> dict[str, str]:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": scope,
              "state": "st", "aud": FHIR, "nonce": "n1"}
    if verifier:
        params.update(code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256")
    resp = client.post("/oauth/authorize?" + urlencode(params),
                       data={"decision": "approve", "practitioner": "pr002", "patient": "p001"})
    assert resp.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlparse(resp.headers["Location"]).query).items()}


AUTH: dict[str, Callable[[], dict[str, Any]]] = {
    "sym-app": lambda: {"headers": {"Authorization": "Basic " + base64.b64encode(b"sym-app:s3cret").decode()}},
    "pub-app": lambda: {"data": {"client_id": "pub-app"}},
    "rs-app": lambda: {"data": {"client_assertion_type": ASSERTION_TYPE,
                                "client_assertion": assertion("rs-app", RS_KEY, "RS384")}},
    "es-app": lambda: {"data": {"client_assertion_type": ASSERTION_TYPE,
                                "client_assertion": assertion("es-app", EC_KEY, "ES384")}},
}


def token_request(client: FlaskClient, client_id: str, form: dict[str, str], auth: dict[str, Any] | None = None) -> Any:
    auth = auth if auth is not None else AUTH[client_id]()
    return client.post("/oauth/token", data={**form, **auth.get("data", {})}, headers=auth.get("headers", {}))


@pytest.mark.parametrize("client_id", list(AUTH))
def test_every_client_type_gets_a_token_and_needs_pkce(client: FlaskClient, client_id: str) -> None:
    refused = get_code(client, client_id, None)
    assert refused["error"] == "invalid_request" and "code_challenge" in refused["error_description"]
    verifier = generate_token(48)
    code = get_code(client, client_id, verifier)["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    assert token_request(client, client_id, form).json["error"] == "invalid_request", "code_verifier is required"
    code = get_code(client, client_id, verifier)["code"]
    ok = token_request(client, client_id, {**form, "code": code, "code_verifier": verifier})
    assert ok.status_code == 200, ok.json
    assert ok.json["patient"] == "p001"


def test_id_token_carries_the_name_when_profile_is_granted(client: FlaskClient) -> None:
    verifier = generate_token(48)
    for scope, named in (("launch/patient openid fhirUser profile", True), ("launch/patient openid fhirUser", False)):
        code = get_code(client, "sym-app", verifier, scope=scope)["code"]
        token = token_request(client, "sym-app", {"grant_type": "authorization_code", "code": code,
                                                  "redirect_uri": REDIRECT, "code_verifier": verifier}).json
        claims = jwt.decode(token["id_token"], jwk.KeySet.import_key_set(client.get("/oauth/jwks").json)).claims
        assert ("name" in claims) is named
        if named:
            assert claims["name"].startswith("Dr. ")


BAD_ASSERTIONS = {   # name: (assertion, what the refusal says)
    "RS256 instead of RS384": (lambda: assertion("rs-app", RS_ANY_ALG, "RS256"), "alg must be"),
    "RS512 instead of RS384": (lambda: assertion("rs-app", RS_ANY_ALG, "RS512"), "alg must be"),
    "no kid": (lambda: assertion("rs-app", RS_KEY, "RS384", kid=None), "kid"),
    "unknown kid": (lambda: assertion("rs-app", RS_KEY, "RS384", kid="someone-else"), "kid"),
    "typ not JWT": (lambda: assertion("rs-app", RS_KEY, "RS384", typ="at+jwt"), "typ"),
    "exp ten minutes ahead": (lambda: assertion("rs-app", RS_KEY, "RS384", exp=int(time.time()) + 600), "five minutes"),
    "expired": (lambda: assertion("rs-app", RS_KEY, "RS384", exp=int(time.time()) - 120), "expired"),
    "aud is the FHIR base": (lambda: assertion("rs-app", RS_KEY, "RS384", aud=FHIR), "aud"),
    "no jti": (lambda: assertion("rs-app", RS_KEY, "RS384", jti=None), "JWT ID"),
    "signed by another key": (lambda: assertion("rs-app", EC_KEY, "ES384", kid=RS_KEY.kid), "key"),
}


@pytest.mark.parametrize("name", list(BAD_ASSERTIONS))
def test_bad_client_assertions_are_refused(client: FlaskClient, name: str) -> None:
    verifier = generate_token(48)
    code = get_code(client, "rs-app", verifier)["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier}
    make, says = BAD_ASSERTIONS[name]
    resp = token_request(client, "rs-app", form, {"data": {"client_assertion_type": ASSERTION_TYPE,
                                                           "client_assertion": make()}})
    assert resp.status_code in (400, 401) and resp.json["error"] == "invalid_client", (name, resp.json)
    assert says in resp.json["error_description"]


def test_a_reused_jti_is_refused(client: FlaskClient) -> None:
    verifier = generate_token(48)
    once = assertion("es-app", EC_KEY, "ES384")
    auth = {"data": {"client_assertion_type": ASSERTION_TYPE, "client_assertion": once}}
    answers = []
    for _ in range(2):
        code = get_code(client, "es-app", verifier)["code"]
        answers.append(token_request(client, "es-app", {"grant_type": "authorization_code", "code": code,
                                                        "redirect_uri": REDIRECT, "code_verifier": verifier}, auth))
    assert answers[0].status_code == 200
    assert answers[1].status_code in (400, 401) and answers[1].json["error"] == "invalid_client"


@pytest.mark.parametrize("client_id", ["pub-app", "sym-app", "rs-app"])
def test_revocation_ends_access_and_refresh(client: FlaskClient, client_id: str) -> None:
    verifier = generate_token(48)
    code = get_code(client, client_id, verifier, scope="launch/patient offline_access patient/*.rs")["code"]
    token = token_request(client, client_id, {"grant_type": "authorization_code", "code": code,
                                              "redirect_uri": REDIRECT, "code_verifier": verifier}).json
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/fhir/Patient/p001", headers=bearer).status_code == 200
    auth = AUTH[client_id]()
    if client_id == "rs-app":   # an assertion for the revocation endpoint names that URL as its audience
        auth = {"data": {"client_assertion_type": ASSERTION_TYPE,
                         "client_assertion": assertion("rs-app", RS_KEY, "RS384", aud=f"{BASE}/oauth/revoke")}}
    revoked = client.post("/oauth/revoke", data={"token": token["refresh_token"], "token_type_hint": "refresh_token",
                                                 **auth.get("data", {})}, headers=auth.get("headers", {}))
    assert revoked.status_code == 200
    assert client.get("/fhir/Patient/p001", headers=bearer).status_code == 401
    again = token_request(client, client_id, {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]})
    assert again.json["error"] == "invalid_grant"


def test_revocation_needs_the_clients_own_authentication(client: FlaskClient) -> None:
    resp = client.post("/oauth/revoke", data={"token": "whatever", "client_id": "sym-app"})
    assert resp.status_code == 401 and resp.json["error"] == "invalid_client"


def test_discovery_lists_the_revocation_endpoint(client: FlaskClient) -> None:
    doc = client.get("/fhir/.well-known/smart-configuration").json
    assert doc["revocation_endpoint"] == f"{BASE}/oauth/revoke"


def test_ehr_page_offers_every_client_and_keeps_the_default_button(client: FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="client-picker"' in home and 'data-testid="client-rs"' in home
    assert 'data-testid="launch-e001" href="/ehr/launch/e001"' in home, "the default button is unchanged"
    chosen = client.get("/?client=pub").get_data(as_text=True)
    assert 'data-testid="launch-e001" href="/ehr/launch/e001?client=pub"' in chosen
    location = client.get("/ehr/launch/e001?client=pub").headers["Location"]
    assert location.startswith(f"{APP}/launch?registration=pub&iss=")   # launch_url's own query kept
    assert client.get("/?client=nobody").status_code == 404


def test_expire_codes_switch(client: FlaskClient) -> None:
    verifier = generate_token(48)
    code = get_code(client, "pub-app", verifier)["code"]
    assert client.post("/_admin/oauth/expire-codes").json["expired"] >= 1
    resp = token_request(client, "pub-app", {"grant_type": "authorization_code", "code": code,
                                             "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert resp.json["error"] == "invalid_grant"
