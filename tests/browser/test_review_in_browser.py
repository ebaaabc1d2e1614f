"""A coder's review in Chromium, launched from the sandbox EHR page: keyboard accept, reject with a
reason, change a code through the ICD-10-CM typeahead, add a code, make it first-listed, see the
evidence, preview and confirm the write-back (twice: one Claim), and find the codes locked after."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from devstack.processes import Stack

pytestmark = pytest.mark.browser


def launch(page: Page, stack: Stack, encounter: str) -> int:
    """Click Launch RevRX for `encounter` on the EHR page; wait for the codes; the app's encounter id."""
    page.goto(f"{stack.sandbox_url}/?q={encounter}")
    page.click(f'[data-testid="launch-{encounter}"]')
    page.wait_for_url("**/encounters/*")
    expect(page.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    match = re.search(r"/encounters/(\d+)", page.url)
    assert match
    return int(match.group(1))


def claims_for(stack: Stack, app_encounter: int) -> list[dict[str, Any]]:
    claims = requests.get(f"{stack.sandbox_url}/_admin/resources/Claim", timeout=10).json()
    mine = re.compile(rf"revrx-[^-]+-{app_encounter}-")
    return [c for c in claims if any(mine.match(i["value"]) for i in c.get("identifier", []))]


def diagnosis_codes(page: Page) -> list[str]:
    return [c for c in page.locator("#group-diagnosis li.suggestion").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-code'))")]


def test_review_edit_add_reorder_then_approve_twice_makes_one_claim(stack: Stack, page: Page, output_dir: Path) -> None:
    enc = launch(page, stack, "e007")   # five diagnoses (e011 now gets one: I10)
    expect(page.get_by_test_id("key-help")).to_contain_text("accept")
    first, second = diagnosis_codes(page)[:2]

    # Keyboard: j selects the first code (its evidence lights up), a accepts it and moves on.
    page.locator("body").press("j")
    expect(page.locator(f"#group-diagnosis li[data-code='{first}']")).to_be_focused()
    expect(page.locator("mark.active").first).to_be_visible()
    page.keyboard.press("a")
    expect(page.get_by_test_id(f"decision-{first}")).to_have_text("Accepted")
    expect(page.locator(f"#group-diagnosis li[data-code='{second}']")).to_be_focused()

    # Reject the second with a reason.
    page.get_by_role("button", name=f"Reject {second}").click()
    page.get_by_label("Reason (optional)").select_option("Not addressed at this visit")
    page.get_by_role("button", name=f"Save the reason for rejecting {second}").click()
    expect(page.get_by_test_id(f"decision-{second}")).to_have_text("Rejected: Not addressed at this visit")

    # Change the first code through the typeahead, choosing with the arrow keys and Enter.
    page.get_by_role("button", name=f"Edit code {first}").click()
    combo = page.get_by_role("combobox", name=f"New code for {first} (ICD-10-CM)")
    expect(combo).to_be_focused()
    combo.press_sequentially("I10", delay=30)
    expect(page.locator("ul[role=listbox] [role=option]").first).to_be_visible(timeout=15_000)
    expect(combo).to_have_attribute("aria-expanded", "true")
    combo.press("ArrowDown")
    combo.press("Enter")
    expect(combo).to_have_value("I10")
    page.get_by_role("button", name="Save code").click()
    expect(page.locator("#group-diagnosis li[data-code='I10']").first).to_contain_text(f"Changed from {first}")

    # Add a code by words, clicking the option.
    page.get_by_role("combobox", name="Code").press_sequentially("hyperlipidemia", delay=20)
    page.get_by_test_id("option-E78.5").click()
    page.get_by_test_id("add-code").click()
    added = page.locator("#group-diagnosis li[data-code='E78.5']")
    expect(added).to_contain_text("Added")
    expect(page.get_by_role("combobox", name="Code")).to_have_value("")   # the form is ready for the next one

    # A category code is refused in words, in the alert region; nothing else changes.
    page.get_by_role("combobox", name="Code").fill("E11")
    page.get_by_role("combobox", name="Code").press("Escape")
    page.get_by_test_id("add-code").click()
    expect(page.get_by_test_id("flash")).to_contain_text("not a billable code")
    errors = page.console_errors  # type: ignore[attr-defined]
    errors[:] = [e for e in errors if "422" not in e]   # the refusal itself, expected

    # Make the added code first-listed.
    page.get_by_role("button", name="Make E78.5 the first-listed diagnosis").click()
    expect(page.locator("#group-diagnosis li.suggestion").first).to_have_attribute("data-code", "E78.5")
    expect(page.locator("#group-diagnosis li.suggestion").first.get_by_test_id("first-listed")).to_be_visible()
    page.screenshot(path=str(output_dir / "review-page-coder.png"), full_page=True)

    # Preview: exactly these diagnoses, in this order.
    page.get_by_test_id("approve").click()
    preview = page.get_by_test_id("writeback-preview")
    expect(preview).to_be_visible()
    rows = page.get_by_test_id("preview-diagnoses").locator("tbody tr td.code")
    expect(rows).to_have_text(["E78.5", "I10"])
    expect(page.get_by_test_id("preview-json")).to_contain_text('"resourceType": "Claim"')
    # The visit code was left undecided: the preview says the Claim has no service line and asks.
    expect(page.get_by_test_id("no-service-line")).to_be_visible()
    page.get_by_test_id("send-without-service-line").check()
    page.get_by_test_id("confirm-writeback").dblclick()
    expect(page.get_by_test_id("writeback-success")).to_be_visible(timeout=30_000)
    claim_id = page.get_by_test_id("claim-id").inner_text()
    page.screenshot(path=str(output_dir / "approval-result-coder.png"), full_page=True)

    # A second approval (another tab, a retry) finds the same Claim.
    token = page.evaluate("JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']")
    again = page.request.post(f"{stack.app_url}/encounters/{enc}/approve",
                              headers={"HX-Request": "true", "X-CSRFToken": token})
    assert again.ok and claim_id in again.text()
    made = claims_for(stack, enc)
    assert [c["id"] for c in made] == [claim_id], "two approvals must make exactly one Claim"
    claim = made[0]
    sequence = [(d["sequence"], d["diagnosisCodeableConcept"]["coding"][0]["code"]) for d in claim["diagnosis"]]
    assert sequence == [(1, "E78.5"), (2, "I10")]
    assert second not in str(claim["diagnosis"])
    edited = claim["diagnosis"][1]["diagnosisCodeableConcept"]["coding"][0]
    assert "extension" not in edited   # changed by a person: not marked AI-suggested

    # Written back: the codes are read-only now, and the history shows the write-back.
    expect(page.get_by_test_id("locked")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Accept "))).to_have_count(0)
    expect(page.get_by_test_id("writeback-history")).to_contain_text(claim_id)
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]


def test_every_control_has_a_name_and_the_page_fits_a_760px_ehr_frame(stack: Stack, page: Page,
                                                                        output_dir: Path) -> None:
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{stack.sandbox_url}/ehr/encounter/e018")
    frame = page.frame_locator('[data-testid="revrx-frame"]')
    expect(frame.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    app_frame = next(f for f in page.frames if "/encounters/" in f.url)
    width = app_frame.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"horizontal scrolling inside the 760 px frame: {width}"
    unnamed = app_frame.evaluate("""() => [...document.querySelectorAll('button, a[href], input, select')]
        .filter(el => el.offsetParent !== null)
        .filter(el => !(el.getAttribute('aria-label') || el.textContent.trim() || (el.labels && el.labels.length)))
        .map(el => el.outerHTML.slice(0, 80))""")
    assert unnamed == []
    code = frame.locator("li.suggestion").first.get_attribute("data-code")
    frame.locator("li.suggestion").first.click()
    frame.locator("body").press("a")
    expect(frame.get_by_test_id(f"decision-{code}")).to_have_text("Accepted")
    page.screenshot(path=str(output_dir / "review-in-ehr-frame.png"))
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]


def test_typing_elsewhere_right_after_a_decision_keeps_the_focus(stack: Stack, page: Page) -> None:
    """A decision's swap settles a moment after it lands; a coder who has already moved on to the
    add-a-code field keeps typing there (the row must not pull the focus back and eat the keys)."""
    launch(page, stack, "e015")
    first = diagnosis_codes(page)[0]
    page.evaluate("htmx.config.defaultSettleDelay = 800")   # widen the gap between swap and settle
    page.get_by_role("button", name=f"Accept {first}").click()
    expect(page.get_by_test_id(f"decision-{first}")).to_have_text("Accepted")   # swapped, not yet settled
    code_field = page.get_by_role("combobox", name="Code")
    code_field.press_sequentially("hyperlipidemia", delay=60)   # outlasts the settle delay
    expect(code_field).to_be_focused()
    expect(code_field).to_have_value("hyperlipidemia")
    expect(page.locator("li.suggestion.editing")).to_have_count(0)   # no shortcut fired on the row


def test_a_refused_code_stays_explained_while_the_coder_looks_for_a_better_one(stack: Stack, page: Page) -> None:
    """The typeahead asks the server as the coder types; that background request must not wipe the
    error that says why the last code was refused (CI once lost "not a billable code" this way)."""
    launch(page, stack, "e015")
    combo = page.get_by_role("combobox", name="Code")
    combo.fill("E11")
    combo.press("Escape")
    page.get_by_test_id("add-code").click()
    flash = page.get_by_test_id("flash")
    expect(flash).to_contain_text("not a billable code")
    combo.press_sequentially(".9", delay=30)   # the coder goes on to a billable code
    expect(page.locator("#add-list [role=option]").first).to_be_visible(timeout=15_000)
    expect(flash).to_contain_text("not a billable code")


def test_escape_closes_the_code_list_for_good(stack: Stack, page: Page) -> None:
    """A list the coder dismissed with Escape does not come back when the answer to the last keystroke
    arrives late; typing again opens it."""
    launch(page, stack, "e015")
    combo = page.get_by_role("combobox", name="Code")
    combo.press_sequentially("hyperlip", delay=20)
    combo.press("Escape")   # within the typeahead's 150 ms pause: its request has not gone yet
    page.wait_for_timeout(1_000)   # by now that request's answer would have opened the list
    expect(combo).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#add-list [role=option]")).to_have_count(0)
    combo.press_sequentially("i", delay=20)
    expect(page.locator("#add-list [role=option]").first).to_be_visible(timeout=15_000)
