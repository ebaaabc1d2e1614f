"""API tokens expire, are listed and revoked (issue 13 item 8): on the People page (owner or administrator)
and with the CLI; an expired or revoked token answers 401 at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from smartapp.accounts.api_tokens import create_token
from smartapp.extensions import db
from smartapp.models import ApiToken, User
from smartapp.models.base import as_utc
from tests.support.review_data import Browser, Seeded

pytestmark = pytest.mark.db


def _token(app: Flask, user_id: int, days: int = 90) -> tuple[str, int]:
    with app.app_context():
        person = db.session.get(User, user_id)
        assert person is not None
        value = create_token(db.session, person, name="script", days=days)
        row = db.session.query(ApiToken).order_by(ApiToken.id.desc()).first()
        assert row is not None
        return value, row.id


def _status(app: Flask, token: str) -> int:
    return app.test_client().get("/api/v1/encounters", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_token_expires(app: Flask, seeded: Seeded) -> None:
    token, token_id = _token(app, seeded.users["coder"], days=30)
    with app.app_context():
        row = db.session.get(ApiToken, token_id)
        assert row is not None and row.expires_at is not None
        assert timedelta(days=29) < as_utc(row.expires_at) - datetime.now(UTC) <= timedelta(days=30)
    assert _status(app, token) == 200
    with app.app_context():
        row = db.session.get(ApiToken, token_id)
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    assert _status(app, token) == 401


def test_the_owner_lists_and_revokes_their_token_on_the_people_page(app: Flask, seeded: Seeded) -> None:
    token, token_id = _token(app, seeded.users["coder"])
    _, admins_token = _token(app, seeded.users["admin"])
    coder = Browser(app, seeded.users["coder"])
    html = coder.page("/people")
    assert f'data-testid="token-{token_id}"' in html and token not in html, "listed, never shown again"
    assert f'data-testid="token-{admins_token}"' not in html, "a coder sees only their own tokens"
    refused = coder.client.post(f"/people/tokens/{admins_token}/revoke", data={"csrf_token": coder.csrf})
    assert refused.status_code == 403

    assert coder.client.post(f"/people/tokens/{token_id}/revoke", data={"csrf_token": coder.csrf}).status_code == 302
    assert _status(app, token) == 401
    assert f'data-testid="token-state-{token_id}">revoked' in coder.page("/people")


def test_an_administrator_revokes_anyone_in_the_organisation(app: Flask, seeded: Seeded) -> None:
    token, token_id = _token(app, seeded.users["clinician"])
    admin = Browser(app, seeded.users["admin"])
    assert f'data-testid="token-{token_id}"' in admin.page("/people")
    assert admin.client.post(f"/people/tokens/{token_id}/revoke", data={"csrf_token": admin.csrf}).status_code == 302
    assert _status(app, token) == 401


def test_the_cli_makes_lists_and_revokes_tokens(app: Flask, seeded: Seeded) -> None:
    runner = app.test_cli_runner()
    made = runner.invoke(args=["create-api-token", str(seeded.users["coder"]), "--name", "nightly", "--days", "7"])
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert _status(app, token) == 200
    listed = runner.invoke(args=["list-api-tokens", str(seeded.users["coder"])])
    assert "nightly" in listed.output and "active" in listed.output and token not in listed.output
    token_id = listed.output.split("\t", 1)[0].strip()
    revoked = runner.invoke(args=["revoke-api-token", token_id])
    assert revoked.exit_code == 0, revoked.output
    assert _status(app, token) == 401
    assert "revoked" in runner.invoke(args=["list-api-tokens", str(seeded.users["coder"])]).output
