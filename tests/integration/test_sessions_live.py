"""Sessions end server-side on the running stack (issue 13 item 4): a cookie copied before sign-out opens
no encounter, report or decision after it; a person deactivated with the CLI loses their open page at
once and cannot launch again."""

from __future__ import annotations

import pytest
import requests

from devstack.api_client import flask_cli
from devstack.app_client import AppUser, encounter_path, suggestions
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter
from devstack.smart_launcher import Launcher

pytestmark = pytest.mark.integration


def _copy_of(user: AppUser) -> requests.Session:
    thief = requests.Session()
    thief.cookies.update(user.http.cookies)
    return thief


def test_a_cookie_copied_before_logout_opens_nothing_after_it(stack: Stack) -> None:
    _, (fhir_id,) = SandboxWriter(stack.sandbox_url).fresh_encounters(1)
    user = AppUser(stack)
    landing = user.launch(fhir_id)
    page = encounter_path(landing.url)
    found = suggestions(user.wait_for_coding(landing.url))
    assert found
    thief = _copy_of(user)
    assert thief.get(f"{stack.app_url}{page}", timeout=30).status_code == 200, "the copy works before sign-out"

    assert user.http.post(f"{stack.app_url}/logout", data={"csrf_token": user.csrf}, timeout=30).ok

    opened = thief.get(f"{stack.app_url}{page}", timeout=30)
    assert opened.status_code == 401 and 'id="suggestion-' not in opened.text
    assert thief.get(f"{stack.app_url}{page}/report.json", timeout=30).status_code == 401
    decided = thief.post(f"{stack.app_url}/suggestions/{found[0].id}/decision", data={"decision": "accept"},
                         headers={"HX-Request": "true", "X-CSRFToken": user.csrf}, timeout=30)
    assert decided.status_code in (400, 401)


def test_a_deactivated_clinician_loses_the_open_page_and_cannot_launch(stack: Stack, launcher: Launcher) -> None:
    _, (fhir_id,) = SandboxWriter(stack.sandbox_url).fresh_encounters(1)
    user = AppUser(stack)
    landing = user.launch(fhir_id)
    page = encounter_path(landing.url)
    assert user.get(page).status_code == 200
    row = launcher.latest_launch()

    flask_cli(stack, "deactivate-user", str(row.user_id))
    try:
        assert user.get(page).status_code == 401
        again = AppUser(stack).launch(fhir_id)
        assert again.status_code == 403 and "deactivated" in again.text
    finally:
        flask_cli(stack, "activate-user", str(row.user_id))
