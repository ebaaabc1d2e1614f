"""End to end through the real product: a launch whose encounter holds a bad document shows what was
skipped on the review page, and a launch leaves an AuditEvent for every patient-data read (who, what,
when, outcome) with none of the note's text in the trail."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from devstack.app_client import AppUser, suggestions
from devstack.processes import Stack

pytestmark = pytest.mark.integration


def _app_encounter_id(url: str) -> int:
    match = re.search(r"/encounters/(\d+)", url)
    assert match, url
    return int(match.group(1))


def _rows(stack: Stack, sql: str, **params: Any) -> list[dict[str, Any]]:
    engine = create_engine(stack.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def _sandbox_resource(stack: Stack, rtype: str, rid: str) -> dict[str, Any]:
    found = requests.get(f"{stack.sandbox_url}/_admin/resources/{rtype}", timeout=10).json()
    return next(r for r in found if r["id"] == rid)


def test_skipped_document_is_shown_on_the_review_page(stack: Stack) -> None:
    user = AppUser(stack)
    landing = user.launch("e069")  # the real note, and one entered-in-error on the wrong chart
    assert landing.status_code == 200
    html = user.wait_for_coding(landing.url)

    assert suggestions(html), "the readable note is still coded"
    assert re.search(r'class="notice warn"[^>]*>[^<]*DocumentReference/dr069-eie skipped: the document status is '
                     r"entered-in-error", html), html[:3000]
    assert "WRONG PATIENT" not in html, "an entered-in-error document is never shown or coded"
    runs = _rows(stack, "SELECT warnings FROM coding_runs WHERE encounter_id = :id",
                 id=_app_encounter_id(landing.url))
    assert any("dr069-eie" in str(r["warnings"]) for r in runs)


def test_launch_audits_every_patient_data_read_without_note_text(stack: Stack) -> None:
    user = AppUser(stack)
    landing = user.launch("e060")  # note behind a Binary
    user.wait_for_coding(landing.url)
    events = _rows(stack, "SELECT actor, action, resource_type, resource_id, outcome, detail, created_at "
                          "FROM audit_events WHERE encounter_id = :id", id=_app_encounter_id(landing.url))

    reads = {(e["resource_type"], e["resource_id"]) for e in events if e["action"] in ("read", "search")}
    encounter = _sandbox_resource(stack, "Encounter", "e060")
    patient_id = encounter["subject"]["reference"].split("/")[1]
    practitioner_id = encounter["participant"][0]["individual"]["reference"].split("/")[1]
    assert {("Encounter", "e060"), ("Patient", patient_id), ("Practitioner", practitioner_id),
            ("DocumentReference", "dr060"), ("Binary", "bin060")} <= reads
    assert any(t == "Coverage" for t, _ in reads)
    for event in events:
        assert event["actor"] and event["created_at"] is not None and event["outcome"] in ("success", "failure")

    note = base64.b64decode(_sandbox_resource(stack, "Binary", "bin060")["data"]).decode()
    patient = _sandbox_resource(stack, "Patient", patient_id)
    trail = " ".join(str(value) for event in events for value in event.values())
    for line in (ln.strip() for ln in note.splitlines()):
        if len(line) > 25:
            assert line not in trail, "note text must never reach the audit trail"
    assert patient["name"][0]["family"] not in trail
