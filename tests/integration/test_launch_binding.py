"""A pending launch is bound to the browser that started it (issue 13 item 5, login CSRF): a callback URL
made in one browser does not sign another browser in; two launches in one browser at once both finish
(one cookie per state); the CSRF token a browser held before sign-in does not survive it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter
from devstack.smart_launcher import Launcher

pytestmark = pytest.mark.integration
_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


def test_a_callback_url_from_one_browser_does_not_sign_in_another(launcher: Launcher, stack: Stack) -> None:
    _, (fhir_id,) = SandboxWriter(stack.sandbox_url).fresh_encounters(1)
    callback = launcher.until_callback(launcher.ehr_launch(fhir_id, follow=False))   # the attacker's own launch
    before = launcher.counts()

    victim = requests.Session()
    landed = victim.get(callback, timeout=60)
    assert landed.status_code == 400 and "started in another browser" in landed.text
    assert launcher.counts() == before, "no launch row, no user"
    assert victim.get(f"{stack.app_url}/people", timeout=30).status_code == 401, "the victim is signed in as nobody"
    assert launcher.http.get(callback, timeout=30).status_code == 400, "and the state is used up"


def test_two_launches_in_one_browser_at_once_both_finish(launcher: Launcher, stack: Stack) -> None:
    _, (first_id, second_id) = SandboxWriter(stack.sandbox_url).fresh_encounters(2)
    first = launcher.until_callback(launcher.ehr_launch(first_id, follow=False))
    second = launcher.until_callback(launcher.ehr_launch(second_id, follow=False))
    states = {parse_qs(urlsplit(u).query)["state"][0] for u in (first, second)}
    assert len(states) == 2
    launch_cookies = [c for c in launcher.http.cookies if c.name.startswith("revrx_launch_")]
    assert len(launch_cookies) == 2, "one cookie per pending state"
    assert all(c.path == "/callback" for c in launch_cookies)

    done_second = launcher.http.get(second, timeout=60)   # finishing in the other order
    done_first = launcher.http.get(first, timeout=60)
    assert done_second.status_code == 200 and "/encounters/" in done_second.url
    assert done_first.status_code == 200 and "/encounters/" in done_first.url
    assert not [c for c in launcher.http.cookies if c.name.startswith("revrx_launch_")], "each cookie is spent"


def test_the_csrf_token_changes_at_sign_in(launcher: Launcher, stack: Stack) -> None:
    _, (one, two) = SandboxWriter(stack.sandbox_url).fresh_encounters(2)
    page = launcher.http.get(launcher.until_callback(launcher.ehr_launch(one, follow=False)), timeout=60)
    before = _CSRF.search(page.text)
    assert before is not None
    again = launcher.http.get(launcher.until_callback(launcher.ehr_launch(two, follow=False)), timeout=60)
    after = _CSRF.search(again.text)
    assert after is not None and after.group(1) != before.group(1)
    stale = launcher.http.post(f"{stack.app_url}/logout", headers={"X-CSRFToken": before.group(1)}, timeout=30)
    assert stale.status_code == 400, "a token from before the sign-in is refused"
