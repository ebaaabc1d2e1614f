"""Rate limits (issue 13, item 9) on the app with the real Redis: each limit engages at its configured
number and answers 429 with Retry-After; counts are shared by every web process (two apps on one
Redis) and by every API endpoint; the API counts per token, so one busy client does not lock out
another."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from devstack.processes import GENEROUS_RATE_LIMITS
from smartapp.api.auth import create_token
from smartapp.config import ConfigError, Settings
from smartapp.extensions import db
from smartapp.models import Base, Organization, Role, User
from smartapp.web.rate_limits import LIMITER_KEY, TOO_MANY

pytestmark = pytest.mark.db

MakeApp = Callable[..., Flask]


@pytest.fixture()
def make_app(database_url: str, redis_server: str, encryption_key: str, tmp_path: Path) -> Iterator[MakeApp]:
    """Apps with the limits a test names (the rest generous), on the session's database and Redis."""
    made: list[Flask] = []

    def build(**limits: str) -> Flask:
        env = {"DATABASE_URL": database_url, "REDIS_URL": redis_server, "REVRX_ENCRYPTION_KEY": encryption_key,
               "REVRX_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "t", **GENEROUS_RATE_LIMITS,
               **{f"RATE_LIMIT_{name.upper()}": value for name, value in limits.items()}}
        from smartapp import create_app

        app = create_app(Settings.from_env(env, testing=True))
        if not made:
            app.extensions[LIMITER_KEY].reset()   # counters of earlier tests (same Redis, same address)
        made.append(app)
        return app

    yield build
    with made[0].app_context():
        db.session.rollback()
        with db.session.begin():
            for table in reversed(Base.metadata.sorted_tables):
                db.session.execute(table.delete())
        db.remove()


def _token(app: Flask, role: Role = Role.CODER) -> dict[str, str]:
    with app.app_context():
        org = Organization(name=f"Clinic {uuid.uuid4().hex[:6]}")
        db.session.add(org)
        db.session.flush()
        user = User(organization_id=org.id, issuer="revrx:local", fhir_user=f"local:{uuid.uuid4().hex}", role=role)
        db.session.add(user)
        db.session.commit()
        return {"Authorization": f"Bearer {create_token(db.session, user)}"}


def _refused(resp: object) -> None:
    assert resp.status_code == 429  # type: ignore[attr-defined]
    retry_after = resp.headers.get("Retry-After")  # type: ignore[attr-defined]
    assert retry_after is not None and retry_after.isdigit() and 0 < int(retry_after) <= 60


def test_launch_limit_engages_on_launch_and_start(make_app: MakeApp) -> None:
    client = make_app(launch="3 per minute").test_client()
    for path in ("/launch", "/start", "/launch"):
        assert client.get(path).status_code in (200, 302)
    resp = client.get("/launch")
    _refused(resp)
    assert TOO_MANY.encode() in resp.data
    _refused(client.get("/start"))


def test_callback_limit_engages(make_app: MakeApp) -> None:
    client = make_app(callback="2 per minute").test_client()
    assert [client.get("/callback").status_code == 429 for _ in range(2)] == [False, False]
    _refused(client.get("/callback"))


def test_failed_sign_ins_are_limited_per_address_across_callback_and_api_tokens(make_app: MakeApp) -> None:
    app = make_app(login="3 per minute")
    client = app.test_client()
    good = _token(app)
    assert client.get("/callback?state=forged&code=x").status_code >= 400
    for _ in range(2):
        assert client.get("/api/v1/encounters", headers={"Authorization": "Bearer rvx_guess"}).status_code == 401
    assert client.get("/api/v1/encounters", headers=good).status_code == 429, "locked out after 3 failures"
    _refused(client.get("/api/v1/encounters", headers={"Authorization": "Bearer rvx_guess2"}))
    elsewhere = client.get("/api/v1/encounters", headers=good, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert elsewhere.status_code == 200, "other addresses are not locked out"


def test_api_limit_is_per_token_and_shared_by_every_web_process(make_app: MakeApp) -> None:
    first, second = make_app(api="4 per minute"), make_app(api="4 per minute")
    busy, calm = _token(first), _token(first)
    one, two = first.test_client(), second.test_client()
    paths = ("/api/v1/encounters", "/api/v1/fhir-connections")
    statuses = [c.get(paths[i % 2], headers=busy).status_code for i, c in enumerate((one, two, one, two))]
    assert statuses == [200, 200, 200, 200], "one count for the whole API, whichever endpoint"
    resp = two.get("/api/v1/encounters", headers=busy)
    _refused(resp)
    assert resp.mimetype == "application/problem+json" and resp.get_json()["status"] == 429
    assert one.get("/api/v1/encounters", headers=calm).status_code == 200


def test_upload_limit_engages(make_app: MakeApp) -> None:
    app = make_app(upload="2 per minute")
    client, headers = app.test_client(), _token(app)
    for _ in range(2):
        assert client.post("/api/v1/uploads", headers=headers, data={}).status_code != 429
    _refused(client.post("/api/v1/uploads", headers=headers, data={}))
    assert client.get("/api/v1/encounters", headers=headers).status_code == 200, "other API calls go on"


def test_a_malformed_limit_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="RATE_LIMIT_API"):
        Settings.from_env({"REVRX_INSTANCE_DIR": str(tmp_path), "RATE_LIMIT_API": "lots"})


def test_defaults_are_sized_for_a_clinic(tmp_path: Path) -> None:
    limits = Settings.from_env({"REVRX_INSTANCE_DIR": str(tmp_path)}).rate_limits
    assert limits.enabled and limits.launch.startswith("60 per minute") and limits.api == "600 per minute"
