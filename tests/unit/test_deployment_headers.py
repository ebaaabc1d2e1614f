"""What a deployment sends and trusts (issue 13 item 8): absolute URLs from APP_BASE_URL, never the Host
header; HSTS when APP_BASE_URL is https; a CSP that allows no CDN with the local htmx copy; and
frame-ancestors from the real registrations only (the dev sandbox's count in SANDBOX_MODE alone)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask

from devstack.processes import GENEROUS_RATE_LIMITS
from smartapp.accounts.api_tokens import create_token
from smartapp.extensions import db
from smartapp.models import User
from tests.support.review_data import Seeded

pytestmark = pytest.mark.db


def _app(database_url: str, redis_server: str, encryption_key: str, tmp_path: Path, **env: str) -> Flask:
    from smartapp import create_app
    from smartapp.config import Settings

    base = {"DATABASE_URL": database_url, "REDIS_URL": redis_server, "REVRX_ENCRYPTION_KEY": encryption_key,
            "REVRX_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "t", **GENEROUS_RATE_LIMITS}
    return create_app(Settings.from_env({**base, **env}, testing=True))


def test_absolute_urls_come_from_app_base_url_not_the_host_header(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        person = db.session.get(User, seeded.users["coder"])
        assert person is not None
        token = create_token(db.session, person)
    client = app.test_client()
    forged = {"Host": "evil.example", "Authorization": f"Bearer {token}"}
    spec = client.get("/api/v1/openapi.json", headers=forged).get_json()
    assert spec["servers"][0]["url"] == "http://127.0.0.1:5000/api/v1"
    uploaded = client.post("/api/v1/uploads", headers=forged, data={
        "file": (io.BytesIO(b"Assessment: essential hypertension."), "visit.txt")},
        content_type="multipart/form-data")
    assert uploaded.status_code in (200, 201), uploaded.get_data(as_text=True)
    url = uploaded.get_json()["uploads"][0]["url"]
    assert url.startswith("http://127.0.0.1:5000/api/v1/uploads/") and "evil.example" not in url
    review = client.get(url.replace("http://127.0.0.1:5000", ""), headers=forged).get_json()["review_url"]
    assert review.startswith("http://127.0.0.1:5000/encounters/")


def test_the_default_csp_allows_no_cdn_and_http_gets_no_hsts(app: Flask) -> None:
    response = app.test_client().get("/start")
    csp = response.headers["Content-Security-Policy"]
    sources = csp.split("frame-ancestors", 1)[0]   # where content may come from (not who may frame us)
    assert "script-src 'self';" in sources and "jsdelivr" not in sources and "https:" not in sources
    assert "Strict-Transport-Security" not in response.headers


def test_the_cdn_is_allowed_only_when_htmx_comes_from_it(database_url: str, redis_server: str, encryption_key: str,
                                                          tmp_path: Path) -> None:
    app = _app(database_url, redis_server, encryption_key, tmp_path, HTMX_SOURCE="cdn")
    csp = app.test_client().get("/start").headers["Content-Security-Policy"]
    assert "script-src 'self' https://cdn.jsdelivr.net;" in csp


def test_a_deployment_sends_hsts_and_frames_only_in_its_registered_ehrs(
    database_url: str, redis_server: str, encryption_key: str, tmp_path: Path,
) -> None:
    app = _app(database_url, redis_server, encryption_key, tmp_path, APP_BASE_URL="https://revrx.example.org",
               SANDBOX_BASE_URL="http://127.0.0.1:5055")
    client = app.test_client()
    start = client.get("/start", base_url="https://revrx.example.org")
    assert start.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    ancestors = start.headers["Content-Security-Policy"].split("frame-ancestors", 1)[1]
    assert "127.0.0.1:5055" not in ancestors, "the dev sandbox may not frame a deployment"
    assert 'data-testid="start-sandbox"' not in start.get_data(as_text=True)
    refused = client.get("/launch?iss=http://127.0.0.1:5055/fhir&launch=x", base_url="https://revrx.example.org")
    assert refused.status_code == 400 and "not registered" in refused.get_data(as_text=True)


def test_sandbox_mode_lets_the_dev_sandbox_frame_and_launch(database_url: str, redis_server: str,
                                                            encryption_key: str, tmp_path: Path) -> None:
    app = _app(database_url, redis_server, encryption_key, tmp_path, SANDBOX_BASE_URL="http://127.0.0.1:5055")
    start = app.test_client().get("/start")
    assert "http://127.0.0.1:5055" in start.headers["Content-Security-Policy"].split("frame-ancestors", 1)[1]
    assert 'data-testid="start-sandbox"' in start.get_data(as_text=True)
