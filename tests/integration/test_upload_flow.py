"""File uploads against the real stack (web app, RQ worker, sandbox EHR): the plain upload form and the
per-file (XHR) path, the API with a token, coding by the worker, review, the queue with FHIR and File
encounters side by side, and write-back once an upload is linked to an EHR encounter."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from devstack.app_client import AppUser, encounter_path, suggestions
from devstack.processes import Stack
from smartapp.api.auth import create_token
from smartapp.models import User
from tests.support import upload_samples as samples

pytestmark = pytest.mark.integration
_ROW = re.compile(r'data-status="(\w+)" data-filename="([^"]+)"')


def _rows(html: str) -> dict[str, str]:
    return {name: status for status, name in _ROW.findall(html)}


def _encounter_ids(html: str) -> dict[str, int]:
    ids = {}
    for block in (b.split("</li>")[0] for b in html.split('<li class="upload-row')[1:]):
        name = re.search(r'data-filename="([^"]+)"', block)
        link = re.search(r'href="/encounters/(\d+)"', block)
        if name and link:
            ids[name.group(1)] = int(link.group(1))
    return ids


def _upload(user: AppUser, files: list[tuple[str, bytes]], xhr: bool = False,
            policy: str = "skip") -> requests.Response:
    headers = {"X-Requested-With": "XMLHttpRequest", "X-CSRFToken": user.csrf} if xhr else {}
    return user.http.post(user.stack.app_url + "/uploads", data={"csrf_token": user.csrf, "on_duplicate": policy},
                          files=[("files", (name, data)) for name, data in files], headers=headers, timeout=60)


def test_upload_form_codes_each_file_and_the_queue_shows_both_sources(stack: Stack) -> None:
    user = AppUser(stack)
    launched = user.launch("e061")                    # signed in through a SMART launch; a FHIR encounter
    assert launched.status_code == 200
    fhir_path = encounter_path(launched.url)
    form = user.get("/uploads")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text

    good = {"visit.txt": (samples.note("it-1") + "Temp 38.5 °C\n").encode("utf-16"),
            "visit.pdf": samples.pdf(samples.note("it-2")), "visit.docx": samples.docx_file(samples.note("it-3"))}
    bad = {"scan.pdf": samples.scanned_pdf("it"), "locked.pdf": samples.encrypted_pdf(samples.note("it-4")),
           "broken.pdf": samples.corrupt_pdf(), "empty.txt": b"", "slides.pptx": b"PK\x03\x04ppt/",
           "huge.txt": samples.too_large(10 * 1024 * 1024)}
    response = _upload(user, list(good.items()) + list(bad.items()))     # no JavaScript: one form post
    assert response.status_code == 200
    rows = _rows(response.text)
    assert rows == {**dict.fromkeys(good, "created"), **dict.fromkeys(bad, "rejected")}
    for reason in ("scanned image", "password protected", "damaged or incomplete", "empty (0 bytes)",
                   "Only TXT, PDF and DOCX", "the limit is 10 MB"):
        assert reason in response.text
    ids = _encounter_ids(response.text)
    assert set(ids) == set(good)

    # The per-file path upload.js uses: one file, just its row back. Same content, new name: a duplicate.
    again = _upload(user, [("renamed.pdf", good["visit.pdf"])], xhr=True)
    assert again.status_code == 200 and again.text.lstrip().startswith("<li")
    assert _rows(again.text) == {"renamed.pdf": "duplicate"} and _encounter_ids(again.text) == {
        "renamed.pdf": ids["visit.pdf"]}

    for name, encounter_id in ids.items():
        html = user.wait_for_coding(f"{stack.app_url}/encounters/{encounter_id}")
        codes = {s.code for s in suggestions(html)}
        assert {"I10", "E11.9"} <= codes, (name, codes)
        assert 'class="evidence"' in html
    review = user.get(f"/encounters/{ids['visit.pdf']}").text
    assert 'data-testid="source-badge">File' in review and "Dr. Alice Moreno, MD" in review
    assert "Link to an EHR encounter to write back" in review and 'data-testid="approve"' not in review
    assert user.get(f"/uploads/{ids['visit.docx']}/original").content == good["visit.docx"]
    i10 = next(s for s in suggestions(review) if s.code == "I10")
    assert user.post(f"/suggestions/{i10.id}/decision", {"decision": "accept"}).status_code == 200
    report = user.get(f"/encounters/{ids['visit.pdf']}/report.json")    # export works as for EHR encounters
    assert report.status_code == 200 and "I10" in report.text

    queue = user.get("/").text
    assert f'href="{fhir_path}"' in queue
    assert all(f'href="/encounters/{i}"' in queue for i in ids.values())
    assert ">FHIR<" in queue and ">File<" in queue


def _token(stack: Stack) -> str:
    engine = create_engine(stack.env["DATABASE_URL"])
    try:
        with Session(engine) as session:
            user = session.scalars(select(User).order_by(User.last_login_at.desc())).first()
            assert user is not None
            return create_token(session, user, name="upload-test")
    finally:
        engine.dispose()


def _wait_coded(url: str, headers: dict[str, str], timeout: float = 60) -> dict[str, Any]:
    # A deadline for a stuck job, not a speed target. An upload that waited past it on CI was a real bug:
    # its job was queued before its run was committed (tests/unit/test_queue_after_commit.py).
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = requests.get(url, headers=headers, timeout=10).json()
        if body["coding"] and body["coding"]["status"] in ("COMPLETE", "FAILED"):
            return body
        time.sleep(0.3)
    raise AssertionError(f"the upload was not coded in {timeout:.0f} s; last answer: {body.get('coding')}")


def test_api_upload_is_coded_by_the_worker(stack: Stack) -> None:
    user = AppUser(stack)
    assert user.launch("e065").status_code == 200
    headers = {"Authorization": f"Bearer {_token(stack)}"}
    files = [("files", ("a.docx", samples.docx_file(samples.note("api-it")))),
             ("files", ("b.pdf", samples.scanned_pdf()))]
    response = requests.post(f"{stack.app_url}/api/v1/uploads", files=files, headers=headers, timeout=60)
    assert response.status_code == 201
    created, rejected = response.json()["uploads"]
    assert created["status"] == "created" and rejected["error"]["code"] == "no_text"
    coded = _wait_coded(created["url"], headers)
    assert coded["coding"]["status"] == "COMPLETE" and coded["status"] == "READY"
    assert {"I10", "E11.9"} <= {s["code"] for s in coded["coding"]["suggestions"]}
    unauthorized = requests.post(f"{stack.app_url}/api/v1/uploads", files=files, timeout=10)
    assert unauthorized.status_code == 401


def _claims(stack: Stack) -> list[dict[str, Any]]:
    return list(requests.get(f"{stack.sandbox_url}/_admin/resources/Claim", timeout=10).json())


def test_a_linked_upload_writes_back_one_claim_to_that_encounter(stack: Stack) -> None:
    user = AppUser(stack)
    assert user.launch("e063").status_code == 200
    ids = _encounter_ids(_upload(user, [("linked.txt", samples.note("it-link").encode())]).text)
    path = f"/encounters/{ids['linked.txt']}"
    html = user.wait_for_coding(stack.app_url + path)
    accepted = [s for s in suggestions(html) if s.code == "I10" or s.code.startswith("992")]
    assert len(accepted) == 2
    for s in accepted:
        assert user.post(f"/suggestions/{s.id}/decision", {"decision": "accept"}).status_code == 200

    missing = user.post(f"{path}/link", {"fhir_encounter_id": "e999"})
    assert 'data-testid="link-error"' in missing.text and "has no encounter e999" in missing.text
    taken = user.post(f"{path}/link", {"fhir_encounter_id": "e063"})   # launched above: already in RevRX
    assert "already in RevRX" in taken.text
    linked = user.post(f"{path}/link", {"fhir_encounter_id": "e064"})
    assert linked.status_code == 204 and linked.headers["HX-Redirect"] == path

    page = user.get(path).text
    assert 'data-testid="upload-linked"' in page and 'data-testid="approve"' in page
    before = len(_claims(stack))
    first, second = user.approve(f"{path}"), user.approve(f"{path}")
    assert 'data-testid="writeback-success"' in first.text, first.text
    assert second.status_code == 200
    claims = _claims(stack)
    assert len(claims) == before + 1
    encounter = requests.get(f"{stack.sandbox_url}/_admin/resources/Encounter", timeout=10).json()
    e064 = next(e for e in encounter if e["id"] == "e064")
    claim = claims[-1]
    assert claim["patient"]["reference"] == e064["subject"]["reference"]
    assert [i["encounter"] for i in claim["item"]] == [[{"reference": "Encounter/e064"}]]
    assert claim["billablePeriod"]["start"] == e064["period"]["start"][:10]   # the EHR's date, not the note's
    assert "I10" in str(claim["diagnosis"])
