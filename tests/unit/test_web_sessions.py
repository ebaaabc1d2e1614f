"""Browser sessions end server-side (issue 13 item 4): after sign-out, a role change or deactivation;
after SESSION_IDLE_MINUTES without a person's request (the page's own polling does not count) and
SESSION_ABSOLUTE_HOURS after sign-in. A copy of the cookie taken before then opens nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from smartapp.accounts.api_tokens import create_token
from smartapp.extensions import db
from smartapp.models import User, WebSession
from smartapp.models.base import as_utc
from tests.support.review_data import Browser, Seeded

pytestmark = pytest.mark.db


def _copy(app: Flask, browser: Browser) -> Browser:
    """Another client holding the same cookie (what an attacker copies out of a browser)."""
    thief = Browser.__new__(Browser)
    thief.client, thief.csrf = app.test_client(), browser.csrf
    cookie = browser.client.get_cookie("revrx_session")
    assert cookie is not None
    thief.client.set_cookie("revrx_session", cookie.value)
    return thief


def _session_row(app: Flask, user_id: int) -> WebSession:
    with app.app_context():
        row = db.session.scalars(select(WebSession).where(WebSession.user_id == user_id)
                                 .order_by(WebSession.id.desc())).first()
        assert row is not None
        db.session.expunge(row)
        return row


def _age(app: Flask, user_id: int, *, seen: timedelta = timedelta(0), created: timedelta = timedelta(0)) -> None:
    with app.app_context():
        for row in db.session.scalars(select(WebSession).where(WebSession.user_id == user_id)):
            row.last_seen_at = as_utc(row.last_seen_at) - seen
            row.created_at = as_utc(row.created_at) - created
        db.session.commit()


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(app: Flask, seeded: Seeded) -> None:
    coder = Browser(app, seeded.users["coder"])
    assert "Type 2 diabetes" in coder.page(f"/encounters/{seeded.encounter_id}")
    thief = _copy(app, coder)
    assert thief.client.get(f"/encounters/{seeded.encounter_id}/report.json").status_code == 200

    assert coder.client.post("/logout", data={"csrf_token": coder.csrf}).status_code == 302

    page = thief.client.get(f"/encounters/{seeded.encounter_id}")
    assert page.status_code == 401 and "Type 2 diabetes" not in page.get_data(as_text=True)
    assert thief.client.get(f"/encounters/{seeded.encounter_id}/report.json").status_code == 401
    decided = thief.post(f"/suggestions/{seeded.suggestions['I10']}/decision", {"decision": "accept"})
    assert decided.status_code in (400, 401)   # 400: the CSRF token went with the session
    assert _session_row(app, seeded.users["coder"]).revoked_why == "logout"


def test_an_idle_session_ends_and_polling_does_not_keep_it_alive(app: Flask, seeded: Seeded) -> None:
    coder = Browser(app, seeded.users["coder"])
    coder.page(f"/encounters/{seeded.encounter_id}")
    _age(app, seeded.users["coder"], seen=timedelta(minutes=20))
    before = as_utc(_session_row(app, seeded.users["coder"]).last_seen_at)
    polled = coder.get(f"/encounters/{seeded.encounter_id}/coding", poll="1")
    assert polled.status_code == 200
    assert as_utc(_session_row(app, seeded.users["coder"]).last_seen_at) == before, "a poll is not activity"

    _age(app, seeded.users["coder"], seen=timedelta(minutes=11))   # 31 minutes since the person's last request
    assert coder.get(f"/encounters/{seeded.encounter_id}/coding", poll="1").status_code == 401
    assert _session_row(app, seeded.users["coder"]).revoked_why == "idle"


def test_a_persons_request_keeps_the_session_alive_until_its_absolute_lifetime(app: Flask, seeded: Seeded) -> None:
    coder = Browser(app, seeded.users["coder"])
    _age(app, seeded.users["coder"], seen=timedelta(minutes=25))
    assert coder.client.get("/people").status_code == 200
    seen = as_utc(_session_row(app, seeded.users["coder"]).last_seen_at)
    assert datetime.now(UTC) - seen < timedelta(minutes=1), "a click counts as activity"

    _age(app, seeded.users["coder"], created=timedelta(hours=12))
    assert coder.client.get("/people").status_code == 401
    assert _session_row(app, seeded.users["coder"]).revoked_why == "expired"


def test_a_role_change_ends_the_persons_sessions(app: Flask, seeded: Seeded) -> None:
    admin, clinician = Browser(app, seeded.users["admin"]), Browser(app, seeded.users["clinician"])
    assert clinician.client.get("/people").status_code == 200
    admin.page("/people")
    admin.client.post(f"/people/{seeded.users['clinician']}/role", data={"role": "coder", "csrf_token": admin.csrf})
    assert clinician.client.get("/people").status_code == 401
    assert admin.client.get("/people").status_code == 200, "the administrator's own session goes on"


def test_a_deactivated_person_loses_access_at_once(app: Flask, seeded: Seeded) -> None:
    target = seeded.users["coder"]
    admin, coder = Browser(app, seeded.users["admin"]), Browser(app, target)
    with app.app_context():
        person = db.session.get(User, target)
        assert person is not None
        token = create_token(db.session, person)
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/encounters", headers=bearer).status_code == 200
    assert coder.client.get(f"/encounters/{seeded.encounter_id}").status_code == 200

    admin.page("/people")
    done = admin.client.post(f"/people/{target}/active", data={"active": "0", "csrf_token": admin.csrf})
    assert done.status_code == 302
    assert f'data-testid="inactive-{target}"' in admin.page("/people")

    assert coder.client.get(f"/encounters/{seeded.encounter_id}").status_code == 401
    assert api.get("/api/v1/encounters", headers=bearer).status_code == 401
    with app.app_context():   # whatever signs them in next (a new cookie, a job acting for them) sees nothing
        again = Browser(app, target)
    assert again.client.get(f"/encounters/{seeded.encounter_id}").status_code == 401

    admin.client.post(f"/people/{target}/active", data={"active": "1", "csrf_token": admin.csrf})
    assert api.get("/api/v1/encounters", headers=bearer).status_code == 200, "reactivated: the token works again"


def test_only_an_administrator_deactivates_and_never_themselves(app: Flask, seeded: Seeded) -> None:
    coder, admin = Browser(app, seeded.users["coder"]), Browser(app, seeded.users["admin"])
    coder.page("/people")
    refused = coder.client.post(f"/people/{seeded.users['clinician']}/active",
                                data={"active": "0", "csrf_token": coder.csrf})
    assert refused.status_code == 403
    admin.page("/people")
    self_off = admin.client.post(f"/people/{seeded.users['admin']}/active",
                                 data={"active": "0", "csrf_token": admin.csrf})
    assert self_off.status_code == 409
    assert admin.client.get("/people").status_code == 200


def test_the_retention_run_removes_sessions_ended_or_unused_for_30_days(app: Flask, seeded: Seeded) -> None:
    from smartapp.runs import retention
    from smartapp.web.runtime import runtime

    Browser(app, seeded.users["coder"])
    Browser(app, seeded.users["admin"])
    _age(app, seeded.users["coder"], seen=timedelta(days=31))
    with app.app_context():
        retention.purge_expired(db.session, runtime().storage)
        left = {row.user_id for row in db.session.scalars(select(WebSession))}
    assert left == {seeded.users["admin"]}
