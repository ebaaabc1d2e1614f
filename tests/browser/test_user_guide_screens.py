"""The pictures in docs/user-guide.md, taken from the running product so they stay current (issue 16
item 8): a clinician launching from the EHR and reviewing, then the write-back preview; a coder
signing in standalone (the sign-in page shows who does what), the work queue, connections, uploads
and people. Every run checks the steps still work; `UPDATE_GUIDE_IMAGES=1` writes the pictures into
docs/images/guide/ (otherwise into tests/output)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from devstack.processes import Stack

pytestmark = pytest.mark.browser
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "images" / "guide"


def _shot(page: Page, output_dir: Path, name: str) -> None:
    target = GUIDE if os.environ.get("UPDATE_GUIDE_IMAGES") == "1" else output_dir
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"{name}.png"))


def test_the_guides_pictures(stack: Stack, page: Page, output_dir: Path) -> None:
    # A clinician: finds the encounter in the EHR, launches RevRX, reviews, previews the write-back.
    # e008: no other test approves it in the shared stack (e004 is written back by test_launch_in_browser).
    page.goto(f"{stack.sandbox_url}/?q=e008")
    expect(page.get_by_test_id("launch-e008")).to_be_visible()
    _shot(page, output_dir, "ehr-home")
    page.get_by_test_id("launch-e008").click()
    page.wait_for_url("**/encounters/*")
    expect(page.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    _shot(page, output_dir, "review")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("writeback-preview")).to_be_visible()
    page.get_by_test_id("writeback-preview").scroll_into_view_if_needed()
    _shot(page, output_dir, "writeback-preview")

    # A coder: signs in standalone; the EHR's sign-in page says what each person does.
    page.context.clear_cookies()
    page.goto(f"{stack.app_url}/start")
    page.get_by_test_id("start-sandbox").click()
    page.wait_for_url(f"{stack.sandbox_url}/oauth/authorize**")
    expect(page.get_by_test_id("pick-practitioner")).to_contain_text("Dana Brooks · Medical coder")
    page.get_by_test_id("pick-practitioner").select_option("pr101")
    _shot(page, output_dir, "sign-in")
    page.get_by_test_id("approve").click()
    page.wait_for_url(f"{stack.app_url}/**")
    page.goto(f"{stack.app_url}/")
    expect(page.get_by_test_id("queue-filters")).to_be_visible()
    expect(page.locator(".who")).to_contain_text("Dana Brooks · coder")
    _shot(page, output_dir, "queue")
    page.goto(f"{stack.app_url}/connections")
    form = page.get_by_test_id("add-connection")
    form.locator("[name=name]").fill("Sandbox EHR")
    form.locator("[name=base_url]").fill("http://127.0.0.1:5055/fhir")
    _shot(page, output_dir, "connections")
    page.goto(f"{stack.app_url}/uploads")
    expect(page.get_by_test_id("upload-form")).to_be_visible()
    _shot(page, output_dir, "uploads")
    page.goto(f"{stack.app_url}/people")
    _shot(page, output_dir, "people")
    assert [e for e in page.console_errors if "/favicon" not in e] == [], page.console_errors  # type: ignore[attr-defined]
