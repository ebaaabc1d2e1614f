"""Issue 17's Done-when, the scheduled-sync half, in Chromium against the sandbox EHR's Epic profile (no
Subscription in its CapabilityStatement): a coder adds a Backend Services connection, registers its JWK Set
URL on the EHR's Backend apps page (the epic profile takes no pasted key set, as Epic since February 2024),
switches on scheduled sync; the connection page says "Scheduled sync" and why; the EHR finishes three visits
and the queue shows them coded without anyone clicking sync."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from devstack.processes import Stack
from devstack.sandbox_process import SandboxProcess, vendor_sandbox_running

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def epic(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with vendor_sandbox_running(stack, "epic", tmp_path_factory.mktemp("epic-browser")) as proc:
        yield proc


def _sign_in_as_coder(page: Page, stack: Stack) -> None:
    page.goto(f"{stack.app_url}/")
    page.get_by_test_id("start-sandbox").click()
    page.get_by_test_id("pick-practitioner").select_option(label="Dana Brooks · Medical coder")
    page.get_by_test_id("approve").click()
    page.wait_for_url(f"{stack.app_url}/**")
    page.goto(f"{stack.app_url}/")
    expect(page.get_by_text("Dana Brooks · coder")).to_be_visible()


def test_scheduled_sync_codes_finished_encounters_without_a_click(stack: Stack, epic: SandboxProcess, page: Page,
                                                                  output_dir: Path) -> None:
    _sign_in_as_coder(page, stack)
    page.goto(f"{stack.app_url}/connections")
    form = page.get_by_test_id("add-connection")
    form.locator("[name=name]").fill("Epic (scheduled)")
    form.locator("[name=base_url]").fill(epic.fhir_base)
    form.locator("[name=auth_type]").select_option("BACKEND_SERVICES")
    form.locator("[name=client_id]").fill("browser-epic-scheduled")
    form.locator("[name=generate_key]").check()
    form.get_by_role("button", name="Add connection").click()
    page.wait_for_url("**/connections/*")
    connection_url = page.url
    expect(page.get_by_test_id("sync-mode")).to_have_attribute("data-mode", "manual")
    jwks_url = page.get_by_test_id("jwks-url").text_content() or ""
    assert jwks_url.startswith(stack.app_url) and jwks_url.endswith(".json")

    # The EHR administrator registers the backend app by its JWK Set URL.
    page.goto(f"{epic.base_url}/ehr/backend-apps")
    ehr_form = page.get_by_test_id("backend-form")
    ehr_form.locator("[name=client_id]").fill("browser-epic-scheduled")
    ehr_form.locator("[name=auth]").select_option("private_key_jwt")
    ehr_form.locator("[name=jwks_url]").fill(jwks_url)
    ehr_form.locator("[name=scope]").fill("system/*.rs")
    ehr_form.get_by_role("button", name="Register").click()
    expect(page.get_by_test_id("backend-browser-epic-scheduled")).to_contain_text("private_key_jwt")

    page.goto(connection_url)
    page.get_by_test_id("test-connection").click()
    expect(page.get_by_test_id("connection-test-result")).to_have_attribute("data-ok", "yes", timeout=20_000)
    page.reload()   # what the CapabilityStatement offers is on the page now
    expect(page.get_by_test_id("sync-mode-reason")).to_contain_text("offers no Subscription")
    schedule = page.get_by_test_id("schedule-form")
    schedule.get_by_test_id("schedule-enabled").check()
    schedule.get_by_test_id("schedule-interval").fill("0.1")
    schedule.get_by_test_id("save-schedule").click()
    page.wait_for_url(connection_url)
    expect(page.get_by_test_id("sync-mode")).to_have_attribute("data-mode", "scheduled")
    expect(page.get_by_test_id("sync-mode-reason")).to_contain_text(
        "Scheduled sync every 6 seconds, by Encounter searches: this server's CapabilityStatement offers no "
        "Subscription")
    page.screenshot(path=str(output_dir / "scheduled-sync-connection.png"), full_page=True)

    # The EHR finishes three visits; nobody touches RevRX's sync.
    finished = []
    for _ in range(3):
        page.goto(f"{epic.base_url}/")
        page.get_by_test_id("finish-e010").click()
        page.wait_for_url("**finished=**")
        finished.append(parse_qs(urlsplit(page.url).query)["finished"][0])
    assert len(set(finished)) == 3

    deadline = time.monotonic() + 90
    for fhir_id in finished:
        while True:
            page.goto(f"{stack.app_url}/?fhir_encounter_id={fhir_id}")
            row = page.get_by_test_id(f"queue-row-{fhir_id}")
            if row.count() and (page.get_by_test_id(f"status-{fhir_id}").text_content() or "").strip() == "Ready":
                break
            assert time.monotonic() < deadline, f"{fhir_id} not coded in time"
            time.sleep(2)
        expect(row.locator(".badge.fhir")).to_have_text("FHIR")
    page.screenshot(path=str(output_dir / "scheduled-sync-queue.png"), full_page=True)

    page.goto(connection_url)   # switched off: manual again
    page.get_by_test_id("schedule-enabled").uncheck()
    page.get_by_test_id("save-schedule").click()
    expect(page.get_by_test_id("sync-mode")).to_have_attribute("data-mode", "manual")
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]
