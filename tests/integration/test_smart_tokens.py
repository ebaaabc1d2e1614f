"""Token life after the launch, against the sandbox's rotating refresh tokens: proactive refresh
before expiry, refresh-and-retry when the EHR ends an access token early (`expire_tokens`), two
refreshers serialized by the Redis lock, the worker's refresh (and its failure), and sign-out that
revokes the tokens at the EHR."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import redis
import requests
from sqlalchemy import select

from devstack.app_client import AppUser
from devstack.processes import Stack
from devstack.smart_launcher import Launcher
from smartapp.ehr_access.launch_tokens import access_token_for
from smartapp.models import AuditEvent, LaunchSession
from smartapp.smart.registry import load_registry

pytestmark = pytest.mark.integration


def _fhir_status(stack: Stack, token: str) -> int:
    return requests.get(f"{stack.sandbox_url}/fhir/Patient?_count=1", timeout=10,
                        headers={"Authorization": f"Bearer {token}"}).status_code


def _expire_soon(launcher: Launcher, launch_id: int, seconds: int = 20) -> None:
    with launcher.db() as s:
        row = s.get(LaunchSession, launch_id)
        assert row is not None
        row.expires_at = datetime.now(UTC) + timedelta(seconds=seconds)
        s.commit()


def test_access_token_ended_early_is_refreshed_and_the_page_works(launcher: Launcher, stack: Stack) -> None:
    picker = launcher.standalone("sandbox-es384", practitioner="pr001", patient=launcher.patient_of("e042"))
    before = launcher.latest_launch()
    launcher.faults({"expire_tokens": True})
    assert _fhir_status(stack, before.access_token) == 401
    again = launcher.http.get(picker.url, timeout=30)
    assert again.status_code == 200 and "e042" in launcher.choices(again)
    after = launcher.latest_launch()
    assert after.id == before.id
    assert after.access_token != before.access_token and after.refresh_token != before.refresh_token
    assert _fhir_status(stack, after.access_token) == 200


def test_token_close_to_expiry_is_refreshed_before_use(launcher: Launcher, stack: Stack) -> None:
    picker = launcher.standalone("sandbox-public", practitioner="pr001", patient=launcher.patient_of("e043"))
    before = launcher.latest_launch()
    _expire_soon(launcher, before.id)
    assert launcher.http.get(picker.url, timeout=30).status_code == 200
    after = launcher.latest_launch()
    assert after.access_token != before.access_token, "refreshed proactively (the old one still worked)"
    assert after.expires_at is not None and after.expires_at.replace(tzinfo=UTC) > datetime.now(UTC) + timedelta(
        minutes=30)


def test_two_refreshers_share_one_refresh(launcher: Launcher, stack: Stack) -> None:
    """Rotating refresh tokens punish a race: the second user of the old refresh token is refused.
    Under the lock, the second refresher finds the fresh token and uses it."""
    launcher.standalone("sandbox", practitioner="pr001", patient=launcher.patient_of("e044"))
    row = launcher.latest_launch()
    _expire_soon(launcher, row.id)
    registry = load_registry(env=stack.env)
    conn = redis.Redis.from_url(stack.env["REDIS_URL"])
    barrier = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def refresher() -> None:
        with launcher.db() as s:
            launch = s.get(LaunchSession, row.id)
            assert launch is not None
            barrier.wait()
            try:
                results.append(access_token_for(launch, session=s, redis=conn, registry=registry))
            except BaseException as err:  # noqa: BLE001 - reported below
                errors.append(err)

    threads = [threading.Thread(target=refresher) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(results) == 2 and results[0] == results[1] != row.access_token
    assert _fhir_status(stack, results[0]) == 200


def test_worker_refreshes_and_a_failed_refresh_says_launch_again(launcher: Launcher, stack: Stack) -> None:
    landing = launcher.ehr_launch("e045", client="sandbox-rs384")
    user = AppUser(stack)
    user.http = launcher.http
    user.get(landing.url)   # the CSRF token for the re-run POSTs
    assert 'class="suggestion' in user.wait_for_coding(landing.url)
    path = re.sub(r"^https?://[^/]+", "", landing.url)

    launcher.faults({"expire_tokens": True})
    assert user.post(f"{path}/rerun").status_code == 200
    assert 'class="suggestion' in user.wait_for_coding(landing.url), "the worker refreshed and read the EHR"

    launcher.faults({"expire_tokens": True, "fail": "token_500"})
    assert user.post(f"{path}/rerun").status_code == 200
    done = user.wait_for_coding(landing.url)
    # Issue 13 item 13: the EHR's token endpoint failed, which is what the person is told.
    assert "Coding failed." in done and "sign-in server had an error" in done and "expired" not in done


def test_sign_out_revokes_the_tokens_at_the_ehr(launcher: Launcher, stack: Stack) -> None:
    landing = launcher.ehr_launch("e046", client="sandbox-public")
    row = launcher.latest_launch()
    assert _fhir_status(stack, row.access_token) == 200
    csrf = re.search(r'"X-CSRFToken": "([^"]+)"', landing.text)
    assert csrf is not None
    out = launcher.http.post(f"{stack.app_url}/logout", data={"csrf_token": csrf.group(1)}, timeout=30)
    assert out.status_code == 200 and out.url.endswith("/start")
    assert _fhir_status(stack, row.access_token) == 401
    refused = requests.post(f"{stack.sandbox_url}/oauth/token", timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": row.refresh_token, "client_id": "revrx-sandbox-public"})
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert launcher.latest_launch().revoked_at is not None
    with launcher.db() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "logout")
                          .order_by(AuditEvent.id.desc())).first()
        assert event is not None and event.outcome == "success"
    assert launcher.http.get(landing.url, timeout=10).status_code == 401, "signed out here too"
