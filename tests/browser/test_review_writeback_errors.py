"""Write-back when the EHR cannot or will not take it, in Chromium through the sandbox EHR page:
a server without Claim (the `no_claim` fault) gets the next write-back it supports or, when none is
left, a plain reason and the coding report to download; an OperationOutcome error is shown in words
with a retry that then succeeds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from devstack.processes import Stack

pytestmark = pytest.mark.browser


@pytest.fixture()
def faults(stack: Stack) -> Iterator[Any]:
    def switch(body: dict[str, Any]) -> None:
        requests.post(f"{stack.sandbox_url}/_admin/faults", json=body, timeout=10).raise_for_status()

    try:
        yield switch
    finally:
        requests.delete(f"{stack.sandbox_url}/_admin/faults", timeout=10).raise_for_status()


def launch_and_accept_all(page: Page, stack: Stack, encounter: str) -> int:
    page.goto(f"{stack.sandbox_url}/?q={encounter}")
    page.click(f'[data-testid="launch-{encounter}"]')
    page.wait_for_url("**/encounters/*")
    expect(page.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Accept all").click()
    # Accept all leaves optional add-ons (G2211) for a person to decide.
    expect(page.locator('li.suggestion.pending:not(:has([data-testid^="optional-"]))')).to_have_count(0)
    match = re.search(r"/encounters/(\d+)", page.url)
    assert match
    return int(match.group(1))


def ours(stack: Stack, rtype: str, app_encounter: int) -> list[dict[str, Any]]:
    found = requests.get(f"{stack.sandbox_url}/_admin/resources/{rtype}", timeout=10).json()
    return [r for r in found if any(re.match(rf"revrx-[^-]+-{app_encounter}-", i.get("value", ""))
                                    for i in r.get("identifier", []))]


def test_server_without_claim_gets_another_write_back_or_the_report(stack: Stack, page: Page, faults: Any,
                                                                     output_dir: Path) -> None:
    faults({"no_claim": True})
    enc = launch_and_accept_all(page, stack, "e012")
    page.get_by_test_id("approve").click()
    preview = page.get_by_test_id("writeback-preview")
    expect(preview).to_be_visible()
    if page.get_by_test_id("confirm-writeback").count():
        # The registration offers a fallback the sandbox supports (e.g. ChargeItem): it is used instead.
        expect(preview).to_contain_text("does not accept Claim")
        page.get_by_test_id("confirm-writeback").click()
        expect(page.get_by_test_id("writeback-success")).to_be_visible(timeout=30_000)
        assert ours(stack, "ChargeItem", enc) or ours(stack, "Condition", enc) or ours(stack, "DocumentReference", enc)
    else:
        refused = page.get_by_test_id("writeback-refused")
        expect(refused).to_contain_text("Nothing will be sent")
        expect(refused).to_contain_text("does not accept Claim")
        page.screenshot(path=str(output_dir / "writeback-no-claim.png"), full_page=True)
        with page.expect_download() as download:
            preview.get_by_test_id("report-json").click()
        report = json.loads(Path(download.value.path()).read_text())
        assert report["encounter"]["fhir_encounter_id"] == "e012" and report["diagnoses"]
        with page.expect_download() as pdf:
            preview.get_by_test_id("report-pdf").click()
        assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF-1.4")
    assert ours(stack, "Claim", enc) == [], "no Claim may be sent to a server without Claim"
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]


def test_operation_outcome_is_shown_in_words_and_retry_succeeds(stack: Stack, page: Page, faults: Any,
                                                                 output_dir: Path) -> None:
    enc = launch_and_accept_all(page, stack, "e014")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("writeback-preview")).to_be_visible()
    faults({"status_500": ["Claim"]})   # the EHR fails between the preview and the confirm
    page.get_by_test_id("confirm-writeback").click()
    error = page.get_by_test_id("writeback-error")
    expect(error).to_be_visible(timeout=30_000)
    expect(error).to_contain_text("The EHR refused the Claim")
    expect(error).to_contain_text("internal error")
    expect(error.get_by_role("list", name="What the EHR said")).to_contain_text("Injected fault")
    expect(error).not_to_contain_text("resourceType")   # words, not JSON
    page.screenshot(path=str(output_dir / "writeback-error.png"), full_page=True)
    assert ours(stack, "Claim", enc) == []

    requests.delete(f"{stack.sandbox_url}/_admin/faults", timeout=10).raise_for_status()
    page.get_by_test_id("retry").click()
    expect(page.get_by_test_id("writeback-success")).to_be_visible(timeout=30_000)
    claim_id = page.get_by_test_id("claim-id").inner_text()
    assert [c["id"] for c in ours(stack, "Claim", enc)] == [claim_id]
    history = page.get_by_test_id("writeback-history")
    expect(history).to_contain_text(claim_id)
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]
