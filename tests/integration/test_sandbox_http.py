"""The sandbox EHR as a real process over real HTTP, driven the way RevRX drives it: click Launch
RevRX, discover the SMART endpoints from `iss`, authorize with PKCE using Authlib's OAuth2Session,
verify the id_token against the JWKS, read the encounter with its notes, write a Claim back twice."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwk, jwt

from devstack.sandbox_process import SandboxProcess, start_sandbox

pytestmark = [pytest.mark.integration, pytest.mark.no_app_db]

APP = "http://127.0.0.1:59999"  # the app is not running: redirects are read, not followed
REDIRECT = f"{APP}/callback"
CLIENT_ID, SECRET = "revrx-sandbox", "revrx-sandbox-dev-secret"
SCOPE = ("launch openid fhirUser offline_access patient/Patient.r patient/Encounter.rs "
         "patient/DocumentReference.rs patient/Composition.rs patient/Coverage.rs user/Claim.c")


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    started = time.monotonic()
    proc = start_sandbox(tmp_path_factory.mktemp("sandbox-http"),
                         env={"APP_BASE_URL": APP, "SANDBOX_CLIENT_SECRET": SECRET})
    proc.startup_seconds = time.monotonic() - started  # type: ignore[attr-defined]
    yield proc
    proc.stop()


@pytest.fixture(autouse=True)
def no_faults(sandbox: SandboxProcess) -> Iterator[None]:
    yield
    requests.delete(f"{sandbox.base_url}/_admin/faults", timeout=5)


def launch(sandbox: SandboxProcess, encounter: str) -> tuple[str, str]:
    """Click the encounter's Launch RevRX button; return (iss, launch) from the app launch URL."""
    home = requests.get(f"{sandbox.base_url}/", params={"q": encounter}, timeout=10).text
    href = re.search(rf'data-testid="launch-{encounter}" href="([^"]+)"', home)
    assert href, f"no launch button for {encounter}"
    resp = requests.get(sandbox.base_url + href.group(1), allow_redirects=False, timeout=10)
    assert resp.status_code == 302
    location = urlparse(resp.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{APP}/launch"
    query = parse_qs(location.query)
    return query["iss"][0], query["launch"][0]


def authorize(
    sandbox: SandboxProcess, encounter: str = "e002", **extra: Any
) -> tuple[OAuth2Session, str, str, dict[str, Any]]:
    """EHR launch up to the code: returns (session, verifier, callback URL, smart-configuration)."""
    iss, launch_id = launch(sandbox, encounter)
    config = requests.get(f"{iss}/.well-known/smart-configuration", timeout=10).json()
    session = OAuth2Session(CLIENT_ID, SECRET, scope=SCOPE, redirect_uri=REDIRECT, code_challenge_method="S256",
                            token_endpoint_auth_method="client_secret_basic")
    verifier = generate_token(48)
    url, _state = session.create_authorization_url(
        config["authorization_endpoint"], code_verifier=verifier, aud=iss, launch=launch_id, nonce="n-42", **extra)
    resp = requests.get(url, allow_redirects=False, timeout=10)
    assert resp.status_code == 302, resp.text
    return session, verifier, resp.headers["Location"], config


def claim_body(identifier: str) -> dict[str, Any]:
    return {
        "resourceType": "Claim",
        "identifier": [{"system": "urn:revrx:claim", "value": identifier}],
        "status": "draft",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
        "use": "claim",
        "patient": {"reference": "Patient/p002"},
        "created": "2026-01-08",
        "provider": {"reference": "Practitioner/pr002"},
        "priority": {"coding": [{"code": "normal"}]},
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": "Coverage/cov002"}}],
        "item": [{"sequence": 1, "encounter": [{"reference": "Encounter/e002"}],
                  "productOrService": {"coding": [{"system": "http://www.ama-assn.org/go/cpt", "code": "99213"}]}}],
    }


def claims(sandbox: SandboxProcess) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = requests.get(f"{sandbox.base_url}/_admin/resources/Claim", timeout=10).json()
    return found


def test_starts_fast_and_publishes_discovery(sandbox: SandboxProcess) -> None:
    assert sandbox.startup_seconds < 8, "seeding and startup must stay quick"  # type: ignore[attr-defined]
    meta = requests.get(f"{sandbox.fhir_base}/metadata", timeout=10)
    assert meta.status_code == 200 and meta.headers["Content-Type"].startswith("application/fhir+json")
    config = requests.get(f"{sandbox.fhir_base}/.well-known/smart-configuration", timeout=10).json()
    assert config["issuer"] == sandbox.fhir_base
    assert config["token_endpoint"] == f"{sandbox.base_url}/oauth/token"


def test_full_ehr_launch_to_claim(sandbox: SandboxProcess) -> None:
    session, verifier, callback, config = authorize(sandbox)
    token = session.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    assert token["patient"] == "p002" and token["encounter"] == "e002" and token["need_patient_banner"] is True

    keys = jwk.KeySet.import_key_set(requests.get(config["jwks_uri"], timeout=10).json())
    claims_ = jwt.decode(token["id_token"], keys).claims
    assert claims_["iss"] == sandbox.fhir_base and claims_["aud"] == CLIENT_ID and claims_["nonce"] == "n-42"
    assert claims_["fhirUser"] == f"{sandbox.fhir_base}/Practitioner/pr002"

    auth = {"Authorization": f"Bearer {token['access_token']}"}
    bundle = requests.get(f"{sandbox.fhir_base}/Encounter", headers=auth, timeout=10, params=[
        ("_id", token["encounter"]), ("_include", "Encounter:patient"),
        ("_revinclude", "DocumentReference:encounter"), ("_revinclude", "Composition:encounter")]).json()
    kinds = {(e["resource"]["resourceType"], e["search"]["mode"]) for e in bundle["entry"]}
    assert kinds == {("Encounter", "match"), ("Patient", "include"), ("DocumentReference", "include")}

    before = len(claims(sandbox))
    headers = {**auth, "Content-Type": "application/fhir+json", "If-None-Exist": "identifier=urn:revrx:claim|http-1"}
    first = requests.post(f"{sandbox.fhir_base}/Claim", json=claim_body("http-1"), headers=headers, timeout=10)
    second = requests.post(f"{sandbox.fhir_base}/Claim", json=claim_body("http-1"), headers=headers, timeout=10)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert len(claims(sandbox)) == before + 1
    assert first.json()["id"] in requests.get(f"{sandbox.base_url}/ehr/claims", timeout=10).text


def test_concurrent_conditional_creates_make_one_claim(sandbox: SandboxProcess) -> None:
    token = requests.post(f"{sandbox.base_url}/_admin/tokens", json={"scope": "user/Claim.c"}, timeout=10).json()
    headers = {"Authorization": f"Bearer {token['access_token']}", "If-None-Exist": "identifier=urn:revrx:claim|race"}

    def post(_: int) -> int:
        url = f"{sandbox.fhir_base}/Claim"
        return requests.post(url, json=claim_body("race"), headers=headers, timeout=20).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(post, range(8)))
    assert statuses == [200] * 7 + [201]
    assert sum(1 for c in claims(sandbox) if c["identifier"][0]["value"] == "race") == 1


def test_authorize_without_pkce_is_refused(sandbox: SandboxProcess) -> None:
    iss, launch_id = launch(sandbox, "e003")
    session = OAuth2Session(CLIENT_ID, SECRET, scope=SCOPE, redirect_uri=REDIRECT)  # no code_challenge_method
    url, state = session.create_authorization_url(f"{sandbox.base_url}/oauth/authorize", aud=iss, launch=launch_id)
    resp = requests.get(url, allow_redirects=False, timeout=10)
    query = parse_qs(urlparse(resp.headers["Location"]).query)
    assert query["error"] == ["invalid_request"] and query["state"] == [state] and "code" not in query


def test_wrong_redirect_uri_is_refused(sandbox: SandboxProcess) -> None:
    iss, launch_id = launch(sandbox, "e004")
    session = OAuth2Session(CLIENT_ID, SECRET, scope=SCOPE, redirect_uri="http://evil.example/cb",
                            code_challenge_method="S256")
    url, _ = session.create_authorization_url(f"{sandbox.base_url}/oauth/authorize", code_verifier=generate_token(48),
                                              aud=iss, launch=launch_id)
    resp = requests.get(url, allow_redirects=False, timeout=10)
    assert resp.status_code == 400 and "Location" not in resp.headers


def test_reused_code_is_refused(sandbox: SandboxProcess) -> None:
    session, verifier, callback, config = authorize(sandbox, "e005")
    session.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    code = parse_qs(urlparse(callback).query)["code"][0]
    again = requests.post(config["token_endpoint"], auth=(CLIENT_ID, SECRET), timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_expired_token_is_401_and_refresh_recovers(sandbox: SandboxProcess) -> None:
    session, verifier, callback, config = authorize(sandbox, "e006")
    token = session.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    url = f"{sandbox.fhir_base}/Encounter/e006"
    assert session.get(url, timeout=10).status_code == 200
    requests.post(f"{sandbox.base_url}/_admin/faults", json={"expire_tokens": True}, timeout=10)
    expired = requests.get(url, headers={"Authorization": f"Bearer {token['access_token']}"}, timeout=10)
    assert expired.status_code == 401 and expired.json()["resourceType"] == "OperationOutcome"
    fresh = session.refresh_token(config["token_endpoint"])
    assert fresh["access_token"] != token["access_token"]
    recovered = requests.get(url, headers={"Authorization": f"Bearer {fresh['access_token']}"}, timeout=10)
    assert recovered.status_code == 200


def test_restart_keeps_data_and_signing_key(sandbox: SandboxProcess, tmp_path: Path) -> None:
    kid = requests.get(f"{sandbox.base_url}/oauth/jwks", timeout=10).json()["keys"][0]["kid"]
    token = requests.post(f"{sandbox.base_url}/_admin/tokens", json={"scope": "user/Claim.c"}, timeout=10).json()
    created = requests.post(f"{sandbox.fhir_base}/Claim", json=claim_body("restart"), timeout=10,
                            headers={"Authorization": f"Bearer {token['access_token']}"})
    assert created.status_code == 201
    again = start_sandbox(tmp_path, env={"SANDBOX_DB": str(sandbox.db_path), "APP_BASE_URL": APP})
    try:
        assert requests.get(f"{again.base_url}/oauth/jwks", timeout=10).json()["keys"][0]["kid"] == kid
        assert created.json()["id"] in {c["id"] for c in claims(again)}
        assert len(requests.get(f"{again.base_url}/_admin/resources/Encounter", timeout=10).json()) == 87
    finally:
        again.stop()
