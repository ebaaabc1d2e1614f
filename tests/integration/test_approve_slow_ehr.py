"""Issue 13 item 13 against real processes: with the EHR slow (every FHIR and token request delayed), the
approve click answers at once with the write-back's progress (it used to hold the request until the EHR
answered: 43 s once), the worker writes the Claim back, and the page's polling shows it."""

from __future__ import annotations

import time

import pytest
import requests

from devstack.app_client import AppUser, encounter_path
from devstack.processes import Stack

pytestmark = pytest.mark.integration
SLOW_MS = 3000


def _claims_for(stack: Stack, ehr_encounter: str) -> list[dict[str, object]]:
    found = requests.get(f"{stack.sandbox_url}/_admin/resources/Claim", timeout=10).json()
    return [c for c in found if any(i.get("value", "").startswith(f"revrx-{ehr_encounter}-")
                                    for i in c.get("identifier", []))]


def test_a_slow_ehr_does_not_hold_the_approve_click(stack: Stack) -> None:
    user = AppUser(stack)
    landing = user.launch("e066")
    page = encounter_path(landing.url)
    user.wait_for_coding(landing.url)
    assert user.post(f"{page}/accept-all").status_code == 200
    requests.post(f"{stack.sandbox_url}/_admin/faults", json={"latency_ms": SLOW_MS}, timeout=10).raise_for_status()
    try:
        started = time.monotonic()
        clicked = user.post(f"{page}/approve")
        answered = time.monotonic() - started
        # The answer is the progress, given before the EHR could have answered a single request.
        assert clicked.status_code == 200 and 'data-testid="writeback-progress"' in clicked.text, clicked.text
        assert _claims_for(stack, "e066") == []
        done = user.approve(page, timeout=120)
        finished = time.monotonic() - started
    finally:
        requests.delete(f"{stack.sandbox_url}/_admin/faults", timeout=10).raise_for_status()
    assert 'data-testid="writeback-success"' in done.text, done.text[:800]
    assert len(_claims_for(stack, "e066")) == 1
    print(f"\nEHR delayed {SLOW_MS} ms per request: approve answered in {answered * 1000:.0f} ms, "
          f"Claim written back and shown after {finished:.1f} s")
