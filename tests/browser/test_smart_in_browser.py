"""SMART launches in Chromium: RevRX launched inside the sandbox EHR's iframe (state server-side,
cookies and CSP frame-ancestors that let the frame work), showing the patient banner the EHR asked
for and the EHR's colours; and a coder's standalone launch that signs in at the EHR, picks a patient
there and the encounter in RevRX."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter
from devstack.smart_launcher import Launcher
from smartapp.models import CodingRun, Decision, Encounter, Suggestion

pytestmark = pytest.mark.browser


def test_launch_inside_the_ehr_iframe(stack: Stack, page: Page, output_dir: Path) -> None:
    page.goto(f"{stack.sandbox_url}/ehr/encounter/e054?client=sandbox-es384")
    frame = page.frame_locator('[data-testid="revrx-frame"]')
    expect(frame.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    # need_patient_banner is true in the sandbox's token response: RevRX shows its own banner.
    expect(frame.locator('[data-testid="patient-banner"]')).to_be_visible()
    # smart_style_url: the EHR's highlight colour drives RevRX's brand colour.
    brand = frame.locator("body").evaluate("() => getComputedStyle(document.documentElement)"
                                           ".getPropertyValue('--brand').trim()")
    assert brand == "#2f6fdb"
    font = frame.locator("body").evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Segoe UI" in font and "system-ui" in font, "the EHR's font family reached the page"
    expect(frame.locator(".who")).to_contain_text("Dr. ")
    page.screenshot(path=str(output_dir / "smart-embedded-launch.png"), full_page=True)
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]


def test_standalone_launch_with_patient_and_encounter_pickers(stack: Stack, page: Page, output_dir: Path) -> None:
    patient = Launcher(stack).patient_of("e055")
    page.goto(f"{stack.app_url}/start")
    page.get_by_test_id("start-sandbox-rs384").click()
    page.wait_for_url(f"{stack.sandbox_url}/oauth/authorize**")
    page.get_by_test_id("pick-practitioner").select_option("pr005")
    page.get_by_test_id("pick-patient").select_option(patient)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("encounter-picker")).to_be_visible(timeout=15_000)
    page.screenshot(path=str(output_dir / "smart-encounter-picker.png"), full_page=True)
    page.get_by_test_id("choose-e055").click()
    page.wait_for_url("**/encounters/*")
    expect(page.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    expect(page.locator(".who")).to_contain_text("Dr. ")
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]


def test_two_launches_at_once_inside_ehr_frames_of_one_browser(stack: Stack, page: Page) -> None:
    """Each pending launch has its own cookie (issue 13 item 5): two EHR tabs launching RevRX in their
    frames at the same moment both finish on their own encounter."""
    _, (first, second) = SandboxWriter(stack.sandbox_url).fresh_encounters(2)
    other = page.context.new_page()
    page.goto(f"{stack.sandbox_url}/ehr/encounter/{first}", wait_until="commit")
    other.goto(f"{stack.sandbox_url}/ehr/encounter/{second}", wait_until="commit")
    for tab in (page, other):
        frame = tab.frame_locator('[data-testid="revrx-frame"]')
        expect(frame.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    urls = {f.url.split("?")[0] for tab in (page, other) for f in tab.frames if "/encounters/" in f.url}
    assert len(urls) == 2, urls
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]


def test_the_first_tab_never_acts_on_the_second_patient_after_a_second_launch(stack: Stack, page: Page) -> None:
    """Issue 15 item 4 (patient safety): two launches in one Chromium context share one session cookie,
    and the second launch (patient B) came last. A click in the page opened for patient A never changes
    B's encounter: before a reload it is refused visibly (the sign-in for B renewed the form tokens), after
    a reload it changes A's encounter only."""
    _, (first, second) = SandboxWriter(stack.sandbox_url).fresh_encounters(2)
    page.goto(f"{stack.sandbox_url}/ehr/encounter/{first}", wait_until="commit")
    frame_a = page.frame_locator('[data-testid="revrx-frame"]')
    expect(frame_a.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    other = page.context.new_page()
    other.goto(f"{stack.sandbox_url}/ehr/encounter/{second}", wait_until="commit")
    expect(other.frame_locator('[data-testid="revrx-frame"]').locator("li.suggestion").first).to_be_visible(
        timeout=30_000)

    frame_a.locator("li.suggestion button.accept").first.click()
    expect(frame_a.locator("#flash .notice.error")).to_be_visible(timeout=10_000)
    assert _accepted(stack, first, second) == set(), "nothing changed, and certainly not patient B"

    page.reload(wait_until="commit")
    frame_a = page.frame_locator('[data-testid="revrx-frame"]')
    frame_a.locator("li.suggestion button.accept").first.click()
    expect(frame_a.locator("li.suggestion").first).to_have_class(re.compile("accepted"), timeout=10_000)
    assert _accepted(stack, first, second) == {first}


def _accepted(stack: Stack, *encounters: str) -> set[str]:
    """Which of these EHR encounters have an accepted suggestion."""
    with Launcher(stack).db() as s:
        return set(s.scalars(select(Encounter.fhir_encounter_id)
                             .join(CodingRun, CodingRun.encounter_id == Encounter.id)
                             .join(Suggestion, Suggestion.run_id == CodingRun.id)
                             .where(Suggestion.decision == Decision.ACCEPTED,
                                    Encounter.fhir_encounter_id.in_(encounters))).all())
