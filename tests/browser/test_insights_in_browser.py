"""Coding insights in Chromium, from decisions made on the review page: a clinician launches six copies
of one encounter from the sandbox EHR and, on each, accepts the first diagnosis and rejects the second
with a reason. On the seventh launch the rejected code is shown lower and marked "usually rejected
here" with that reason, and its diabetes code wears its HCC badge. A coder then opens the insights
page: real server-rendered charts, a CSV per chart. The screenshot goes to docs/images/insights.png
(the README shows it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter

pytestmark = pytest.mark.browser
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
REASON = "Not addressed at this visit"


def _launch(page: Page, stack: Stack, encounter: str) -> list[str]:
    page.goto(f"{stack.sandbox_url}/ehr/launch/{encounter}")
    page.wait_for_url("**/encounters/*")
    expect(page.locator("#group-diagnosis li.suggestion").first).to_be_visible(timeout=30_000)
    return page.locator("#group-diagnosis li.suggestion").evaluate_all("rows => rows.map(r => r.dataset.code)")


def test_decisions_teach_the_ranking_and_fill_the_insights_page(stack: Stack, page: Page, output_dir: Path) -> None:
    sandbox = SandboxWriter(stack.sandbox_url)
    _patient, encounters = sandbox.fresh_encounters(7, like="e004")
    first = second = ""
    for encounter in encounters[:6]:
        codes = _launch(page, stack, encounter)
        assert len(codes) >= 2, codes
        first, second = (first, second) if first else (codes[0], codes[1])
        page.get_by_role("button", name=f"Accept {first}").click()
        expect(page.get_by_test_id(f"decision-{first}")).to_have_text("Accepted")
        page.get_by_role("button", name=f"Reject {second}").click()
        page.get_by_label("Reason (optional)").select_option(REASON)
        page.get_by_role("button", name=f"Save the reason for rejecting {second}").click()
        expect(page.get_by_test_id(f"decision-{second}")).to_have_text(f"Rejected: {REASON}")

    # The seventh copy: the code rejected six times comes last, marked with the coders' reason.
    codes = _launch(page, stack, encounters[6])
    assert codes[-1] == second and codes[0] == first
    marked = page.get_by_test_id(f"learned-{second}")
    expect(marked).to_contain_text(f"Usually rejected here: {REASON}")
    marked.get_by_text("Why is this here?").click()
    expect(marked).to_contain_text(f"rejected {second} 6 times")
    # e004's diabetes carries a CMS-HCC V28 category: its badge is on the row.
    assert "E11.9" in codes, codes
    expect(page.get_by_test_id("hcc-E11.9")).to_contain_text("HCC 38")
    expect(page.get_by_test_id("hcc-summary")).to_contain_text("payment year 2026")

    # A coder (standalone sign-in) reads the organisation's numbers.
    page.goto(f"{stack.app_url}/")
    page.get_by_role("button", name="Sign out").click()
    practitioner = sandbox.create({"resourceType": "Practitioner", "active": True,
                                   "name": [{"family": "Insight", "given": ["Morgan"], "prefix": ["Dr."]}]})
    page.goto(f"{stack.app_url}/launch?registration=sandbox")
    page.get_by_test_id("pick-practitioner").select_option(practitioner)
    page.get_by_test_id("approve").click()
    page.wait_for_url(f"{stack.app_url}/**")
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Coding insights")).to_be_visible()
    by_code = page.get_by_test_id("chart-by-code")
    expect(by_code.locator("svg.chart")).to_be_visible()
    expect(by_code).to_contain_text(first)
    expect(page.get_by_test_id("chart-top-rejected")).to_contain_text(second)
    expect(page.get_by_test_id("chart-top-rejected")).to_contain_text(REASON)
    expect(page.get_by_test_id("learning")).to_contain_text(second)
    assert page.locator("svg.chart").count() >= 8
    with page.expect_download() as download:
        page.get_by_test_id("csv-by-code").click()
    assert download.value.suggested_filename.startswith("revrx-insights-by-code")
    DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_IMAGES / "insights.png"), full_page=True)
    page.screenshot(path=str(output_dir / "insights.png"), full_page=True)
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]
