"""A clinician in a real browser: from the sandbox EHR's encounter list, Launch RevRX, review the
suggested codes with their evidence, approve, and see the Claim id; the Claim is on the EHR."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from devstack.processes import Stack

pytestmark = pytest.mark.browser


def test_launch_review_approve_in_chromium(stack: Stack, page: Page, output_dir: Path) -> None:
    page.goto(stack.sandbox_url + "/?q=e004")
    page.click('[data-testid="launch-e004"]')
    page.wait_for_url("**/encounters/*")
    expect(page.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    expect(page.locator("blockquote.evidence").first).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()

    first = page.locator("li.suggestion").first
    code = first.get_attribute("data-code")
    first.get_by_role("button", name=f"Accept {code}").click()
    expect(page.locator(f'[data-testid="decision-{code}"]')).to_have_text("Accepted")
    page.screenshot(path=str(output_dir / "review-page.png"), full_page=True)

    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("confirm-writeback")).to_be_visible()
    if page.get_by_test_id("send-without-service-line").count():   # only a diagnosis was accepted
        page.get_by_test_id("send-without-service-line").check()
    page.get_by_test_id("confirm-writeback").click()   # the preview shows what will be sent first
    expect(page.get_by_test_id("writeback-success")).to_be_visible(timeout=30_000)
    claim_id = page.get_by_test_id("claim-id").inner_text()
    page.screenshot(path=str(output_dir / "approval-result.png"), full_page=True)

    claim = requests.get(f"{stack.sandbox_url}/_admin/resources/Claim", timeout=10).json()
    ids = [c["id"] for c in claim]
    assert claim_id in ids
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]
