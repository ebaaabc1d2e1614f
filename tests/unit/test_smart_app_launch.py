"""A new SMART server is added by editing launch.json only: the app (real Redis, real HTTP to a small
local EHR double for discovery) builds the right authorize request for an EHR launch and a standalone
launch, refuses what it must with a page, serves its JWKS and frames only inside registered EHRs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import redis
from flask import Flask

from devstack.processes import GENEROUS_RATE_LIMITS
from smartapp.smart import oauth_client
from smartapp.smart.discovery import SmartConfiguration, clear_cache
from tests.support.json_server import JsonServer, json_server

pytestmark = pytest.mark.db


@pytest.fixture()
def ehr() -> Iterator[JsonServer]:
    clear_cache()
    with json_server() as server:
        server.routes["/r4/.well-known/smart-configuration"] = (200, {
            "authorization_endpoint": "/oauth2/authorize", "token_endpoint": "/oauth2/token",
            "capabilities": ["launch-ehr", "launch-standalone", "context-standalone-patient", "permission-v1"],
        })
        yield server
    clear_cache()


@pytest.fixture()
def new_app(ehr: JsonServer, tmp_path: Path, database_url: str, redis_server: str, encryption_key: str) -> Flask:
    from smartapp import create_app
    from smartapp.config import Settings

    doc = {"registrations": [{
        "id": "acme", "name": "Acme EHR", "iss": f"{ehr.url}/r4", "client_id": "acme-client",
        "client_auth": "private_key_jwt", "assertion_alg": "ES384", "jwks_private": "keys/acme.json",
        "scope_dialect": "v2", "scopes": ["launch", "openid", "fhirUser", "patient/Encounter.rs", "user/Claim.c"],
        "launch_url": "https://app.example/launch", "redirect_uris": ["https://app.example/callback"],
        "frame_ancestors": ["https://*.acme.example"],
    }, {
        "id": "launcher", "iss": f"{ehr.url}/v", "iss_match": "prefix", "client_id": "revrx", "client_auth": "public",
        "scopes": ["launch", "patient/Encounter.rs"], "launch_url": "https://app.example/launch",
        "redirect_uris": ["https://app.example/callback"],
    }]}
    (tmp_path / "launch.json").write_text(json.dumps(doc))
    env = {"DATABASE_URL": database_url, "REDIS_URL": redis_server, "REVRX_ENCRYPTION_KEY": encryption_key,
           "REVRX_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "t", "LAUNCH_JSON": str(tmp_path / "launch.json"),
           **GENEROUS_RATE_LIMITS}
    return create_app(Settings.from_env(env, testing=True))


def _query(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


def _pending(redis_server: str) -> int:
    return len(redis.Redis.from_url(redis_server).keys("revrx:launch-state:*"))


def test_ehr_launch_authorize_request(new_app: Flask, ehr: JsonServer) -> None:
    resp = new_app.test_client().get(f"/launch?iss={ehr.url}/r4/&launch=L-1")
    assert resp.status_code == 302 and resp.headers["Location"].startswith(f"{ehr.url}/oauth2/authorize?")
    q = _query(resp.headers["Location"])
    assert q["response_type"] == "code" and q["client_id"] == "acme-client"
    assert q["redirect_uri"] == "https://app.example/callback" and q["aud"] == f"{ehr.url}/r4"
    assert q["launch"] == "L-1" and q["code_challenge_method"] == "S256" and len(q["code_challenge"]) >= 43
    assert len(q["state"]) >= 32 and q["nonce"]
    # The server advertises only permission-v1: the v2 scopes of launch.json are sent as v1.
    assert q["scope"].split() == ["launch", "openid", "fhirUser", "patient/Encounter.read", "user/Claim.write"]


def test_standalone_launch_asks_for_a_patient(new_app: Flask, ehr: JsonServer) -> None:
    q = _query(new_app.test_client().get("/launch?registration=acme").headers["Location"])
    assert "launch" not in q and q["scope"].split()[0] == "launch/patient"
    assert "launch/encounter" not in q["scope"], "this server offers no encounter picker"
    assert "launch" not in q["scope"].split()


def test_standalone_refused_where_the_ehr_does_not_offer_it(new_app: Flask, ehr: JsonServer,
                                                            redis_server: str) -> None:
    ehr.routes["/r4/.well-known/smart-configuration"] = (200, {
        "authorization_endpoint": "a", "token_endpoint": "t", "capabilities": ["launch-ehr"]})
    before = _pending(redis_server)
    resp = new_app.test_client().get("/launch?registration=acme")
    assert resp.status_code == 400 and "does not offer standalone sign-in" in resp.get_data(as_text=True)
    assert _pending(redis_server) == before, "nothing stored"


def test_unreachable_ehr_gets_a_page(new_app: Flask, ehr: JsonServer, redis_server: str) -> None:
    del ehr.routes["/r4/.well-known/smart-configuration"]
    before = _pending(redis_server)
    resp = new_app.test_client().get(f"/launch?iss={ehr.url}/r4&launch=x")
    assert resp.status_code == 502 and "could not read the EHR" in resp.get_data(as_text=True)
    assert _pending(redis_server) == before


def test_start_page_jwks_and_frame_ancestors(new_app: Flask) -> None:
    client = new_app.test_client()
    start = client.get("/start")
    assert 'data-testid="start-acme"' in start.get_data(as_text=True)
    assert "frame-ancestors 'self' https://*.acme.example" in start.headers["Content-Security-Policy"]
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.headers["Cache-Control"] == "public, max-age=300"
    keys: list[dict[str, Any]] = jwks.get_json()["keys"]
    assert [k["alg"] for k in keys] == ["ES384"] and "d" not in keys[0]


def test_secret_method_follows_what_the_server_lists(new_app: Flask) -> None:
    from smartapp.smart.registry import Registration

    reg = Registration(id="s", name="s", vendor="x", iss="https://e/fhir", client_id="c",
                       client_auth="client_secret_basic", client_secret="x", scopes=("launch",),
                       launch_url="https://a/launch", redirect_uris=("https://a/cb",))
    only_post = SmartConfiguration("i", "a", "t", token_endpoint_auth_methods=("client_secret_post",))
    both = SmartConfiguration("i", "a", "t", token_endpoint_auth_methods=("client_secret_basic", "client_secret_post"))
    assert oauth_client.negotiated_auth(reg, only_post) == "client_secret_post"
    assert oauth_client.negotiated_auth(reg, both) == "client_secret_basic"
    assert oauth_client.negotiated_auth(reg, SmartConfiguration("i", "a", "t")) == "client_secret_basic"


def test_a_launcher_issuer_is_discovered_and_used_as_is(new_app: Flask, ehr: JsonServer) -> None:
    iss = f"{ehr.url}/v/sim/eyJ0IjoxfQ/fhir"
    ehr.routes["/v/sim/eyJ0IjoxfQ/fhir/.well-known/smart-configuration"] = (200, {
        "authorization_endpoint": "/sim/authorize", "token_endpoint": "/sim/token"})
    resp = new_app.test_client().get(f"/launch?iss={iss}&launch=L-2")
    assert resp.headers["Location"].startswith(f"{ehr.url}/sim/authorize?")
    q = _query(resp.headers["Location"])
    assert q["aud"] == iss and q["client_id"] == "revrx"


def test_each_pending_launch_gets_its_own_cookie_that_works_in_an_https_frame(new_app: Flask, ehr: JsonServer) -> None:
    """Issue 13 item 5: the per-state cookie binds the launch to this browser; over https it must be
    SameSite=None; Secure, or the EHR frame's callback (a cross-site navigation) would come back without it."""
    from dataclasses import replace

    from smartapp import create_app
    from smartapp.smart import pending

    https_app = create_app(replace(new_app.config["SETTINGS"], app_base_url="https://app.example",
                                   secure_cookies=True))
    client = https_app.test_client()
    first = client.get(f"/launch?iss={ehr.url}/r4&launch=L-1")
    second = client.get(f"/launch?iss={ehr.url}/r4&launch=L-2")
    cookies = []
    for response in (first, second):
        state = _query(response.headers["Location"])["state"]
        (cookie,) = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(pending.cookie_name(state))]
        cookies.append(cookie)
    assert cookies[0].split("=", 1)[0] != cookies[1].split("=", 1)[0], "one cookie per state: no collision"
    for cookie in cookies:
        assert "Secure" in cookie and "SameSite=None" in cookie and "HttpOnly" in cookie
        assert "Path=/callback" in cookie and "Max-Age=600" in cookie
