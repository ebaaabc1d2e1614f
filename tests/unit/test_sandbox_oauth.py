"""The sandbox's SMART authorization server through Flask's test client: EHR and standalone launch,
PKCE S256 for every client, RFC 6749 error handling, token response contents, id_token, refresh
rotation, and public and private_key_jwt clients registered from a custom launch.json."""

from __future__ import annotations

import base64
import html as html_lib
import json
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwk, jwt

from sandbox.app import create_app

BASE = "http://ehr.test"
FHIR = f"{BASE}/fhir"
APP = "http://app.test"
REDIRECT = f"{APP}/callback"
CLIENT_ID, SECRET = "revrx-sandbox", "revrx-sandbox-dev-secret"
SCOPE = "launch openid fhirUser offline_access patient/Patient.r patient/Encounter.rs user/Claim.c"


@pytest.fixture(autouse=True)
def app_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_BASE_URL", APP)
    monkeypatch.delenv("SANDBOX_CLIENT_SECRET", raising=False)
    monkeypatch.delenv("SANDBOX_LAUNCH_JSON", raising=False)


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "sandbox.db"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def app(db_path: Path) -> Iterator[Flask]:
    yield create_app(str(db_path), BASE)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def basic(client_id: str = CLIENT_ID, secret: str = SECRET) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def launch_id(client: FlaskClient, encounter: str = "e002") -> str:
    location = client.get(f"/ehr/launch/{encounter}").headers["Location"]
    return parse_qs(urlparse(location).query)["launch"][0]


def authorize_params(verifier: str | None, **extra: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": SCOPE,
        "state": "st-123",
        "aud": FHIR,
        "nonce": "nonce-9",
    }
    if verifier:
        params.update(code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256")
    params.update(extra)
    return {k: v for k, v in params.items() if v != ""}


def redirect_query(resp: Any) -> dict[str, str]:
    assert resp.status_code == 302, resp.get_data(as_text=True)
    location = resp.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


def get_code(client: FlaskClient, verifier: str, encounter: str = "e002", **extra: str) -> str:
    params = authorize_params(verifier, launch=launch_id(client, encounter), **extra)
    query = redirect_query(client.get("/oauth/authorize?" + urlencode(params)))
    assert query["state"] == "st-123"
    return query["code"]


def exchange(
    client: FlaskClient, code: str, verifier: str | None, headers: dict[str, str] | None = None, **extra: str
) -> Any:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    if verifier:
        form["code_verifier"] = verifier
    form.update(extra)
    return client.post("/oauth/token", data=form, headers=basic() if headers is None else headers)


# --- EHR launch, the happy path ------------------------------------------------------------------


def test_ehr_launch_issues_a_smart_token(client: FlaskClient) -> None:
    verifier = generate_token(48)
    resp = exchange(client, get_code(client, verifier), verifier)
    assert resp.status_code == 200, resp.json
    token = resp.json
    assert token["token_type"] == "Bearer" and token["expires_in"] == 3600
    assert token["patient"] == "p002" and token["encounter"] == "e002"
    assert token["need_patient_banner"] is True
    assert token["smart_style_url"] == f"{BASE}/ehr/smart-style.json"
    assert set(token["scope"].split()) == set(SCOPE.split())
    assert token["refresh_token"]
    assert resp.headers["Cache-Control"] == "no-store"

    keys = jwk.KeySet.import_key_set(client.get("/oauth/jwks").json)
    claims = jwt.decode(token["id_token"], keys).claims
    assert claims["iss"] == FHIR and claims["aud"] == CLIENT_ID and claims["nonce"] == "nonce-9"
    assert claims["fhirUser"] == f"{FHIR}/Practitioner/pr002" and claims["exp"] > time.time()

    fhir = client.get("/fhir/Encounter/e002", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert fhir.status_code == 200


def test_no_openid_no_id_token_and_no_offline_no_refresh(client: FlaskClient) -> None:
    verifier = generate_token(48)
    code = get_code(client, verifier, scope="launch patient/Encounter.rs")
    token = exchange(client, code, verifier).json
    assert "id_token" not in token and "refresh_token" not in token
    assert token["scope"] == "launch patient/Encounter.rs"


def test_unregistered_scopes_are_dropped(client: FlaskClient) -> None:
    verifier = generate_token(48)
    code = get_code(client, verifier, scope="launch patient/Encounter.read system/*.cruds")
    assert exchange(client, code, verifier).json["scope"] == "launch patient/Encounter.read"


# --- authorize errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"code_challenge": "", "code_challenge_method": ""}, "code_challenge"),
        ({"code_challenge_method": "plain"}, "S256"),
        ({"aud": "https://other.example/fhir"}, "aud"),
        ({"launch": "no-such-launch"}, "launch"),
    ],
)
def test_bad_authorize_requests_redirect_with_error_and_state(
    client: FlaskClient, change: dict[str, str], fragment: str
) -> None:
    params = {**authorize_params(generate_token(48), launch=launch_id(client)), **change}
    query = redirect_query(client.get("/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v})))
    assert query["error"] == "invalid_request" and fragment in query["error_description"]
    assert query["state"] == "st-123" and "code" not in query


def test_expired_launch_is_refused(client: FlaskClient, db_path: Path) -> None:
    launch = launch_id(client)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE launch_contexts SET expires_at = 0")
    conn.commit()
    conn.close()
    query = redirect_query(
        client.get("/oauth/authorize?" + urlencode(authorize_params(generate_token(48), launch=launch)))
    )
    assert query["error"] == "invalid_request"


@pytest.mark.parametrize("change", [{"redirect_uri": "http://evil.test/callback"}, {"client_id": "who"}])
def test_unverifiable_client_or_redirect_is_not_redirected(client: FlaskClient, change: dict[str, str]) -> None:
    params = {**authorize_params(generate_token(48), launch=launch_id(client)), **change}
    resp = client.get("/oauth/authorize?" + urlencode(params))
    assert resp.status_code == 400 and "Location" not in resp.headers
    assert 'data-testid="oauth-error"' in resp.get_data(as_text=True)


# --- token endpoint errors -----------------------------------------------------------------------


def test_code_is_single_use_and_reuse_revokes_its_tokens(client: FlaskClient) -> None:
    verifier = generate_token(48)
    code = get_code(client, verifier)
    token = exchange(client, code, verifier).json
    again = exchange(client, code, verifier)
    assert again.status_code == 400 and again.json["error"] == "invalid_grant"
    resp = client.get("/fhir/Patient/p002", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert resp.status_code == 401


@pytest.mark.parametrize(
    ("verifier", "extra", "error"),
    [
        (None, {}, "invalid_request"),
        ("x" * 50, {}, "invalid_grant"),
        ("right", {"redirect_uri": APP + "/other"}, "invalid_grant"),
    ],
)
def test_token_request_checks_pkce_and_redirect_uri(
    client: FlaskClient, verifier: str | None, extra: dict[str, str], error: str
) -> None:
    good = generate_token(48)
    code = get_code(client, good)
    resp = exchange(client, code, good if verifier == "right" else verifier, **extra)
    assert resp.status_code == 400 and resp.json["error"] == error


def test_expired_code_is_refused(client: FlaskClient, db_path: Path) -> None:
    verifier = generate_token(48)
    code = get_code(client, verifier)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE auth_codes SET expires_at = 0")
    conn.commit()
    conn.close()
    assert exchange(client, code, verifier).json["error"] == "invalid_grant"


def test_client_must_authenticate_as_registered(client: FlaskClient) -> None:
    verifier = generate_token(48)
    wrong = exchange(client, get_code(client, verifier), verifier, headers=basic(secret="nope"))
    assert wrong.status_code == 401 and wrong.json["error"] == "invalid_client"
    as_post = exchange(
        client, get_code(client, verifier), verifier, headers={}, client_id=CLIENT_ID, client_secret=SECRET
    )
    assert as_post.json["error"] == "invalid_client", "registered for client_secret_basic only"


def test_token_500_fault(client: FlaskClient) -> None:
    verifier = generate_token(48)
    code = get_code(client, verifier)
    client.post("/_admin/faults", json={"fail": "token_500"})
    assert exchange(client, code, verifier).status_code == 500


# --- refresh -------------------------------------------------------------------------------------


def test_refresh_rotates_and_survives_expired_access_tokens(client: FlaskClient) -> None:
    verifier = generate_token(48)
    first = exchange(client, get_code(client, verifier), verifier).json
    client.post("/_admin/faults", json={"expire_tokens": True})
    old = {"Authorization": f"Bearer {first['access_token']}"}
    assert client.get("/fhir/Patient/p002", headers=old).status_code == 401

    resp = client.post(
        "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, headers=basic()
    )
    assert resp.status_code == 200, resp.json
    second = resp.json
    assert second["access_token"] != first["access_token"] and second["refresh_token"] != first["refresh_token"]
    assert second["patient"] == "p002" and second["encounter"] == "e002"
    assert (
        client.get("/fhir/Patient/p002", headers={"Authorization": f"Bearer {second['access_token']}"}).status_code
        == 200
    )
    replay = client.post(
        "/oauth/token", data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}, headers=basic()
    )
    assert replay.status_code == 400 and replay.json["error"] == "invalid_grant"


# --- standalone launch ---------------------------------------------------------------------------


def standalone_url(
    verifier: str, scope: str = "launch/patient launch/encounter openid fhirUser patient/Encounter.rs"
) -> str:
    return "/oauth/authorize?" + urlencode(authorize_params(verifier, scope=scope))


def test_standalone_launch_picks_user_patient_and_encounter(client: FlaskClient) -> None:
    verifier = generate_token(48)
    page = client.get(standalone_url(verifier))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-testid="pick-patient"' in html and 'data-testid="pick-encounter"' in html
    # Submit the form as a browser would: its action plus its hidden fields plus the choices.
    action = re.search(r'<form class="signin" method="post" action="([^"]+)"', html)
    assert action is not None
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    hidden = {name: html_lib.unescape(value) for name, value in fields}
    assert hidden["code_challenge"] == create_s256_code_challenge(verifier)
    choices = {"decision": "approve", "practitioner": "pr004", "patient": "p003", "encounter": "e003"}
    resp = client.post(action.group(1), data={**hidden, **choices})
    token = exchange(client, redirect_query(resp)["code"], verifier).json
    assert token["patient"] == "p003" and token["encounter"] == "e003"
    keys = jwk.KeySet.import_key_set(client.get("/oauth/jwks").json)
    assert jwt.decode(token["id_token"], keys).claims["fhirUser"] == f"{FHIR}/Practitioner/pr004"


def test_standalone_rejects_an_encounter_of_another_patient(client: FlaskClient) -> None:
    verifier = generate_token(48)
    resp = client.post(
        standalone_url(verifier),
        data={"decision": "approve", "practitioner": "pr001", "patient": "p003", "encounter": "e004"},
    )
    assert resp.status_code == 400 and "another patient" in resp.get_data(as_text=True)


def test_standalone_deny_is_access_denied(client: FlaskClient) -> None:
    resp = client.post(standalone_url(generate_token(48)), data={"decision": "deny"})
    query = redirect_query(resp)
    assert query["error"] == "access_denied" and query["state"] == "st-123" and "code" not in query


# --- other client types, from a custom launch.json ------------------------------------------------


def custom_app(db_path: Path, tmp_path: Path, registrations: list[dict[str, Any]]) -> FlaskClient:
    base = {
        "launch_url": f"{APP}/launch",
        "redirect_uris": [REDIRECT],
        "scopes": ["launch", "patient/*.rs"],
        "iss": FHIR,
    }
    doc = {"app": {"base_url": APP}, "registrations": [{**base, **r} for r in registrations]}
    path = tmp_path / "launch.json"
    path.write_text(json.dumps(doc))
    return create_app(str(db_path), BASE, launch_json=path).test_client()


def test_public_client_needs_only_pkce(db_path: Path, tmp_path: Path) -> None:
    client = custom_app(db_path, tmp_path, [{"id": "pub", "client_id": "pub-app", "client_auth": "public"}])
    verifier = generate_token(48)
    params = authorize_params(verifier, client_id="pub-app", scope="launch/patient patient/*.rs")
    resp = client.post(
        "/oauth/authorize?" + urlencode(params),
        data={"decision": "approve", "practitioner": "pr001", "patient": "p001"},
    )
    code = redirect_query(resp)["code"]
    token = exchange(client, code, verifier, headers={}, client_id="pub-app")
    assert token.status_code == 200 and token.json["patient"] == "p001"


def test_private_key_jwt_client(db_path: Path, tmp_path: Path) -> None:
    key = jwk.RSAKey.generate_key(2048, parameters={"alg": "RS384"}, private=True, auto_kid=True)
    client = custom_app(
        db_path,
        tmp_path,
        [
            {
                "id": "asym",
                "client_id": "asym-app",
                "client_auth": "private_key_jwt",
                "jwks": {"keys": [key.as_dict(private=False)]},
            }
        ],
    )
    verifier = generate_token(48)
    params = authorize_params(verifier, client_id="asym-app", scope="launch/patient patient/*.rs")
    resp = client.post(
        "/oauth/authorize?" + urlencode(params),
        data={"decision": "approve", "practitioner": "pr001", "patient": "p001"},
    )
    code = redirect_query(resp)["code"]
    claims = {
        "iss": "asym-app",
        "sub": "asym-app",
        "aud": f"{BASE}/oauth/token",
        "jti": str(uuid.uuid4()),
        "exp": int(time.time()) + 300,
    }
    assertion = jwt.encode({"alg": "RS384", "kid": key.kid}, claims, key, algorithms=["RS384"])
    form = {
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion,
    }
    ok = exchange(client, code, verifier, headers={}, **form)
    assert ok.status_code == 200, ok.json
    replay = exchange(client, code, verifier, headers={}, **form)
    assert replay.status_code in (400, 401) and replay.json["error"] == "invalid_client"


def test_backend_services_client_credentials(db_path: Path, tmp_path: Path) -> None:
    key = jwk.RSAKey.generate_key(2048, parameters={"alg": "RS384"}, private=True, auto_kid=True)
    client = custom_app(db_path, tmp_path, [{
        "id": "backend", "client_id": "backend-app", "client_auth": "private_key_jwt",
        "jwks": {"keys": [key.as_dict(private=False)]}, "scopes": ["system/Encounter.rs"],
    }])

    def assertion() -> str:
        claims = {"iss": "backend-app", "sub": "backend-app", "aud": f"{BASE}/oauth/token",
                  "jti": str(uuid.uuid4()), "exp": int(time.time()) + 300}
        return jwt.encode({"alg": "RS384", "kid": key.kid}, claims, key, algorithms=["RS384"])

    form = {"grant_type": "client_credentials", "scope": "system/Encounter.rs system/Patient.rs",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}
    resp = client.post("/oauth/token", data={**form, "client_assertion": assertion()})
    assert resp.status_code == 200, resp.json
    token = resp.json
    assert token["scope"] == "system/Encounter.rs", "scopes beyond the registration are dropped"
    assert "refresh_token" not in token and "patient" not in token
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert client.get("/fhir/Encounter?_count=1", headers=headers).status_code == 200
    assert client.get("/fhir/Patient/p001", headers=headers).status_code == 403
    secret_client = create_app(str(db_path), BASE).test_client()  # the default, symmetric registration
    refused = secret_client.post("/oauth/token", data={"grant_type": "client_credentials"}, headers=basic())
    assert refused.status_code in (400, 401) and refused.json["error"] in {"unauthorized_client", "invalid_client"}
