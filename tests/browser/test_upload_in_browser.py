"""A coder in Chromium: picks several note files (and drops one) on the upload page, watches each file's
progress and result, opens an uploaded encounter, reviews its codes, and links it to an EHR encounter
so that write-back is offered."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from devstack.processes import Stack
from tests.support import upload_samples as samples

pytestmark = pytest.mark.browser

GOOD = {"visit.txt": (samples.note("br-1") + "Temp 38.5 °C\n").encode("cp1252"),
        "visit.pdf": samples.pdf(samples.note("br-2")), "visit.docx": samples.docx_file(samples.note("br-3"))}
BAD = {"scan.pdf": ("no_text", "scanned image"), "locked.pdf": ("encrypted", "password protected"),
       "broken.pdf": ("corrupt", "damaged or incomplete"), "empty.txt": ("empty", "empty (0 bytes)"),
       "photo.png": ("unsupported_type", "Only TXT, PDF and DOCX"), "huge.txt": ("too_large", "the limit is 10 MB")}


def _bad_bytes() -> dict[str, bytes]:
    return {"scan.pdf": samples.scanned_pdf("br"), "locked.pdf": samples.encrypted_pdf(samples.note("br-4")),
            "broken.pdf": samples.corrupt_pdf(), "empty.txt": b"", "photo.png": b"\x89PNG\r\n\x1a\n",
            "huge.txt": samples.too_large(10 * 1024 * 1024)}


def _row(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-testid="upload-row"][data-filename="{name}"]')


def test_upload_review_and_link_in_chromium(stack: Stack, page: Page, output_dir: Path, tmp_path: Path) -> None:
    page.goto(stack.sandbox_url + "/?q=e067")   # the EHR's search: patients come in pages
    page.click('[data-testid="launch-e067"]')          # signed in through the EHR
    page.wait_for_url("**/encounters/*")
    page.get_by_role("link", name="Upload").click()
    page.wait_for_url("**/uploads")

    paths = []
    for name, data in {**GOOD, **_bad_bytes()}.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    # Slow the upload link so that per-file progress can be seen moving.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": -1,
                                                  "uploadThroughput": 4 * 1024 * 1024})
    page.get_by_test_id("upload-input").set_input_files(paths)
    page.get_by_test_id("upload-submit").click()
    page.wait_for_function("() => Array.from(document.querySelectorAll('[data-testid=upload-row] progress'))"
                           ".some(p => p.value > 0 && p.value < 100)", timeout=15_000)
    expect(page.locator('[data-testid="upload-row"]')).to_have_count(len(paths))
    for name in GOOD:
        expect(_row(page, name)).to_have_attribute("data-status", "created", timeout=30_000)
    for name, (code, words) in BAD.items():
        expect(_row(page, name)).to_have_attribute("data-status", "rejected", timeout=30_000)
        expect(_row(page, name).get_by_test_id("upload-error")).to_have_attribute("data-code", code)
        expect(_row(page, name)).to_contain_text(words)
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})

    # Drag and drop: the same PDF content under another name is a duplicate; new content is added.
    for name, data in (("copy-of-visit.pdf", GOOD["visit.pdf"]), ("dropped.txt", samples.note("br-5").encode())):
        page.evaluate("""([name, b64]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const files = new DataTransfer();
            files.items.add(new File([bytes], name));
            const zone = document.querySelector('[data-testid=dropzone]');
            zone.dispatchEvent(new DragEvent('drop', {dataTransfer: files, bubbles: true, cancelable: true}));
        }""", [name, base64.b64encode(data).decode()])
    expect(_row(page, "copy-of-visit.pdf")).to_have_attribute("data-status", "duplicate", timeout=30_000)
    expect(_row(page, "dropped.txt")).to_have_attribute("data-status", "created", timeout=30_000)
    page.screenshot(path=str(output_dir / "upload-page.png"), full_page=True)

    _row(page, "visit.pdf").get_by_test_id("upload-review").click()
    page.wait_for_url("**/encounters/*")
    expect(page.locator("li.suggestion").first).to_be_visible(timeout=30_000)
    expect(page.locator('li.suggestion[data-code="I10"]')).to_be_visible()
    expect(page.get_by_test_id("source-badge")).to_have_text("File")
    expect(page.get_by_test_id("provider")).to_have_text("Dr. Alice Moreno, MD")
    expect(page.get_by_test_id("upload-panel")).to_contain_text("Link to an EHR encounter to write back")
    expect(page.get_by_test_id("approve")).to_have_count(0)

    page.get_by_test_id("link-input").fill("nope999")
    page.get_by_test_id("link-submit").click()
    expect(page.get_by_test_id("link-error")).to_contain_text("has no encounter nope999")
    page.get_by_test_id("link-input").fill("e068")
    page.get_by_test_id("link-submit").click()
    expect(page.get_by_test_id("upload-linked")).to_contain_text("e068", timeout=15_000)
    expect(page.get_by_test_id("approve")).to_be_visible()
    page.screenshot(path=str(output_dir / "upload-review-linked.png"), full_page=True)
    assert page.console_errors == [], page.console_errors  # type: ignore[attr-defined]
