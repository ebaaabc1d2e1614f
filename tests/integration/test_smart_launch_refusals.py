"""Launches that must not go on, over real HTTP: each shows the user a page that says what happened and
what to do, and stores nothing (no LaunchSession, no User row). Forged and replayed state,
`error=access_denied`, an unknown issuer (and no request to it), an expired code, a token endpoint
500, and a refresh that fails after the EHR ended the access token early."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from devstack.processes import Stack
from devstack.smart_launcher import Launcher

pytestmark = pytest.mark.integration


def test_forged_state(launcher: Launcher, stack: Stack) -> None:
    before = launcher.counts()
    response = requests.get(f"{stack.app_url}/callback", params={"state": "forged", "code": "x"}, timeout=10)
    assert response.status_code == 400
    assert "This sign-in link is no longer valid" in response.text and "Launch RevRX again" in response.text
    assert launcher.counts() == before


def test_replayed_state(launcher: Launcher, stack: Stack) -> None:
    callback = launcher.until_callback(launcher.ehr_launch("e038", follow=False))
    first = launcher.http.get(callback, timeout=60)
    assert first.status_code == 200 and "/encounters/" in first.url
    after_first = launcher.counts()
    replay = launcher.http.get(callback, timeout=30)
    assert replay.status_code == 400 and "no longer valid" in replay.text
    assert launcher.counts() == after_first


def test_access_denied(launcher: Launcher) -> None:
    before = launcher.counts()
    page = launcher.standalone("sandbox-public", practitioner="pr001", patient="p001", decision="deny")
    assert page.status_code == 403
    assert "Access was declined in the EHR" in page.text
    assert launcher.counts() == before


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        _Recorder.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_unknown_issuer_gets_a_page_and_no_request(launcher: Launcher, stack: Stack) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        before = launcher.counts()
        iss = f"http://127.0.0.1:{server.server_address[1]}/fhir"
        response = requests.get(f"{stack.app_url}/launch", params={"iss": iss, "launch": "abc"}, timeout=10)
        assert response.status_code == 400 and "This EHR is not registered with RevRX" in response.text
        # A registration id that does not belong to that issuer is refused the same way.
        mixed = requests.get(f"{stack.app_url}/launch", params={"iss": iss, "launch": "abc",
                                                                 "registration": "sandbox"}, timeout=10)
        assert mixed.status_code == 400
        assert _Recorder.hits == [], "no outbound request to an issuer we do not know"
        assert launcher.counts() == before
    finally:
        server.shutdown()


def test_expired_code(launcher: Launcher, stack: Stack) -> None:
    before = launcher.counts()
    callback = launcher.until_callback(launcher.ehr_launch("e039", follow=False))
    requests.post(f"{stack.sandbox_url}/_admin/oauth/expire-codes", timeout=10).raise_for_status()
    page = launcher.http.get(callback, timeout=30)
    assert page.status_code == 502
    assert "Sign-in could not be completed" in page.text and "Launch RevRX again" in page.text
    assert launcher.counts() == before


def test_token_endpoint_500(launcher: Launcher) -> None:
    before = launcher.counts()
    launcher.faults({"fail": "token_500"})
    page = launcher.ehr_launch("e040", client="sandbox-es384")
    assert page.status_code == 502 and "Sign-in could not be completed" in page.text
    # Issue 13 item 13: the EHR failed, so the message says so (not "check the app registration").
    assert "sign-in server had an error" in page.text and "registration" not in page.text
    assert launcher.counts() == before


def test_a_refresh_the_ehr_fails_to_answer_says_the_ehr_failed(launcher: Launcher) -> None:
    patient = launcher.patient_of("e041")
    picker = launcher.standalone("sandbox-rs384", practitioner="pr002", patient=patient)
    assert "/launch/encounters?launch=" in picker.url and "e041" in launcher.choices(picker)
    after_launch = launcher.counts()
    row = launcher.latest_launch()
    # The EHR ends every access token early, and its token endpoint is down: no way to refresh.
    launcher.faults({"expire_tokens": True, "fail": "token_500"})
    page = launcher.http.get(picker.url, timeout=30)
    # Issue 13 item 13: the EHR's token endpoint failed; the session is not "expired" (relaunching would
    # meet the same failure), so the page says what failed.
    assert page.status_code == 502, page.text
    assert "sign-in server had an error" in page.text and "expired" not in page.text
    assert launcher.counts() == after_launch
    assert launcher.latest_launch().refresh_token == row.refresh_token, "the failed refresh changed nothing"
