"""The README's coder walkthrough, from a fresh clone (issue 16 item 1): the whole stack runs from the
repository cloned alone into an empty folder (the built virtualenv beside it, free ports). In a real
browser the README's coder, Dana Brooks, signs in standalone, adds a Backend Services connection
(RevRX makes the key pair), registers its public key on the sandbox EHR's Backend apps page, tests it,
syncs two encounters while the progress bar fills, then works the queue: filters, sees the FHIR badge
and status, codes a selected encounter again and approves it, which writes it back through the
connection (as encounter diagnoses, the write-back chosen on the connection's page), and the sandbox
EHR's encounter page shows what arrived."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from devstack.clone import clean_env, lonely_clone
from devstack.processes import GENEROUS_RATE_LIMITS, Stack
from devstack.sandbox_copies import SandboxWriter

pytestmark = pytest.mark.browser
README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


@pytest.fixture(scope="module")
def clone_stack(tmp_path_factory: pytest.TempPathFactory, encryption_key: str) -> Iterator[Stack]:
    """Redis, migrations, the sandbox EHR, the web app and a worker, all run from a lonely clone."""
    empty = tmp_path_factory.mktemp("lonely")
    root = lonely_clone(empty)
    assert sorted(p.name for p in empty.iterdir()) == ["revrx"]
    running = Stack(instance_dir=tmp_path_factory.mktemp("clone-stack"), root=root, base_env=clean_env(),
                    encryption_key=encryption_key,
                    extra_env={"CODING_ENGINE": "local", "SECRET_KEY": "clone-secret", **GENEROUS_RATE_LIMITS})
    running.start()
    try:
        yield running
    finally:
        running.stop(grace=3.0)


def _sign_in_as_coder(page: Page, stack: Stack) -> None:
    """As the README says: RevRX itself, the sandbox EHR, signed in as Dana Brooks, the clinic's coder."""
    assert "**Dana Brooks · Medical coder**" in README
    page.goto(f"{stack.app_url}/")
    page.get_by_test_id("start-sandbox").click()
    page.get_by_test_id("pick-practitioner").select_option(label="Dana Brooks · Medical coder")
    page.get_by_test_id("approve").click()
    page.wait_for_url(f"{stack.app_url}/**")
    page.goto(f"{stack.app_url}/")
    expect(page.locator(".who")).to_contain_text("Dana Brooks · coder")


def test_the_readme_coder_walkthrough_from_a_fresh_clone(clone_stack: Stack, page: Page, output_dir: Path) -> None:
    stack = clone_stack
    sandbox = SandboxWriter(stack.sandbox_url)
    patient, (first, _second) = sandbox.fresh_encounters(2)
    _sign_in_as_coder(page, stack)
    page.goto(f"{stack.app_url}/connections")
    form = page.get_by_test_id("add-connection")
    form.locator("[name=name]").fill("Sandbox (browser)")
    form.locator("[name=base_url]").fill(f"{stack.sandbox_url}/fhir")
    form.locator("[name=auth_type]").select_option("BACKEND_SERVICES")
    form.locator("[name=client_id]").fill("browser-backend")
    form.locator("[name=generate_key]").check()
    form.get_by_role("button", name="Add connection").click()
    page.wait_for_url("**/connections/*")

    # The administrator registers the public key RevRX shows with the EHR: the sandbox's Backend apps page.
    connection_url = page.url
    shown = page.get_by_test_id("public-jwks").text_content() or ""
    assert "d" not in json.loads(shown)["keys"][0], "only the public half is shown"
    page.goto(f"{stack.sandbox_url}/")
    page.get_by_test_id("nav-backend-apps").click()
    ehr_form = page.get_by_test_id("backend-form")
    ehr_form.locator("[name=client_id]").fill("browser-backend")
    ehr_form.locator("[name=auth]").select_option("private_key_jwt")
    ehr_form.locator("[name=jwks]").fill(shown)
    ehr_form.locator("[name=scope]").fill("system/*.rs system/Condition.c")
    ehr_form.get_by_role("button", name="Register").click()
    expect(page.get_by_test_id("backend-browser-backend")).to_contain_text("private_key_jwt")
    page.goto(connection_url)
    page.get_by_test_id("test-connection").click()
    result = page.get_by_test_id("connection-test-result")
    expect(result).to_have_attribute("data-ok", "yes", timeout=20_000)
    expect(result).to_contain_text("Encounter search (live)")

    # Approved synced work goes back as encounter diagnoses only: untick the other write-backs (the
    # suggested scopes already ask to create Conditions).
    page.get_by_text("Edit or delete").click()
    prefs = page.get_by_test_id("writeback-prefs")
    for other in ("claim", "charge_item", "document_reference"):
        prefs.locator(f"input[value={other}]").uncheck()
    page.get_by_role("button", name="Save connection", exact=True).click()
    expect(page.get_by_test_id("connection-writeback")).to_have_text("Encounter diagnoses")
    page.screenshot(path=str(output_dir / "connection.png"), full_page=True)

    sync_form = page.get_by_test_id("sync-form")
    sync_form.get_by_test_id("sync-patients").fill(patient)
    sync_form.locator("[name=page_size]").fill("1")
    page.get_by_test_id("start-sync").click()
    page.wait_for_url("**/syncs/*")
    expect(page.get_by_test_id("sync-bar")).to_be_visible()
    expect(page.get_by_test_id("sync-progress")).to_have_attribute("data-status", "COMPLETE", timeout=60_000)
    expect(page.get_by_test_id("sync-processed")).to_have_text("2")
    expect(page.get_by_test_id("sync-failed")).to_have_text("0")
    expect(page.get_by_test_id("sync-percent")).to_have_text("100%")
    page.screenshot(path=str(output_dir / "sync-complete.png"), full_page=True)

    page.get_by_test_id("to-queue").click()
    page.get_by_test_id("filter-encounter").fill(first)
    page.get_by_test_id("apply-filters").click()
    row = page.get_by_test_id(f"queue-row-{first}")
    expect(row).to_be_visible()
    expect(page.get_by_test_id("queue-total")).to_contain_text("1 encounter")
    expect(row.locator(".badge.fhir")).to_have_text("FHIR")
    expect(page.get_by_test_id(f"status-{first}")).to_have_text("Ready")

    row.locator("input[name=ids]").check()
    page.get_by_test_id("bulk-code").click()
    expect(page.get_by_test_id("queue-notice")).to_contain_text("1 encounter queued for coding")
    expect(page.get_by_test_id(f"status-{first}")).to_have_text("Ready", timeout=30_000)   # the poller updates it
    page.screenshot(path=str(output_dir / "work-queue.png"), full_page=True)

    # No launch behind a synced encounter: approval writes through the connection it came from.
    row.locator("input[name=ids]").check()
    page.once("dialog", lambda dialog: dialog.accept())   # "Accept all pending codes … and write them back?"
    page.get_by_test_id("bulk-approve").click()
    expect(page.get_by_test_id("queue-notice").first).to_contain_text("1 encounter queued for approval")
    expect(page.get_by_test_id(f"status-{first}")).to_have_text("Approved", timeout=30_000)   # the poller
    conditions = requests.get(f"{stack.sandbox_url}/_admin/resources/Condition", timeout=10).json()
    assert any(c.get("encounter", {}).get("reference") == f"Encounter/{first}" for c in conditions)
    page.goto(f"{stack.sandbox_url}/ehr/encounter/{first}")   # what the EHR now holds for the encounter
    page.screenshot(path=str(output_dir / "walkthrough-in-the-ehr.png"), full_page=True)
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]
