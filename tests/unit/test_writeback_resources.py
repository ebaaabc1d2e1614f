"""The non-Claim write-backs and the coding report: valid FHIR, our identifiers for conditional create,
the codes in sequence, AI-suggested codes marked, a PDF any reader opens, no note text in the report."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, date, datetime

import pypdf
import pytest

from smartapp.review.approved import ApprovedCode, ApprovedCodes
from smartapp.writeback import pdf
from smartapp.writeback.claim_builder import AI_SUGGESTED_URL, CPT_SYSTEM, ICD10CM_SYSTEM, ClaimValidationError
from smartapp.writeback.resource_builders import (
    WRITEBACK_ID_SYSTEM,
    Target,
    charge_items,
    encounter_conditions,
    report_document,
)

TARGET = Target(key="revrx-7-run-3", patient_id="p021", encounter_id="e021", provider_ref="Practitioner/pr002",
                service_date=date(2026, 3, 2), now=datetime(2026, 3, 3, 9, 30, tzinfo=UTC))


def codes(lines: bool = True) -> ApprovedCodes:
    return ApprovedCodes(
        diagnoses=[ApprovedCode(ICD10CM_SYSTEM, "E11.9", "Type 2 diabetes mellitus without complications",
                                "diagnosis", True),
                   ApprovedCode(ICD10CM_SYSTEM, "I10", "Essential (primary) hypertension", "diagnosis", False,
                                "I15.0")],
        lines=[ApprovedCode(CPT_SYSTEM, "99214", "Office visit", "em", True)] if lines else [],
        rejected=[("R05.9", "Not supported by the documentation")],
    )


def test_one_charge_item_per_line_with_the_diagnoses_as_reason() -> None:
    out = charge_items(codes(), TARGET)
    assert len(out) == 1
    item = out[0].resource
    assert item["resourceType"] == "ChargeItem" and item["status"] == "billable"
    assert item["code"]["coding"][0]["code"] == "99214"
    assert [r["coding"][0]["code"] for r in item["reason"]] == ["E11.9", "I10"]
    assert item["context"] == {"reference": "Encounter/e021"} and item["subject"] == {"reference": "Patient/p021"}
    assert item["occurrenceDateTime"] == "2026-03-02"
    assert item["identifier"] == [{"system": WRITEBACK_ID_SYSTEM, "value": "revrx-7-run-3-charge-99214"}]
    assert out[0].if_none_exist.endswith("|revrx-7-run-3-charge-99214")


def test_charge_items_need_a_service_line() -> None:
    with pytest.raises(ClaimValidationError, match="visit level"):
        charge_items(codes(lines=False), TARGET)


def test_encounter_diagnoses_in_sequence_with_ai_marks() -> None:
    out = encounter_conditions(codes(), TARGET)
    conditions = [o.resource for o in out]
    assert [c["code"]["coding"][0]["code"] for c in conditions] == ["E11.9", "I10"]
    assert [c["extension"][0]["valueInteger"] for c in conditions] == [1, 2]
    assert conditions[0]["category"][0]["coding"][0]["code"] == "encounter-diagnosis"
    assert conditions[0]["code"]["coding"][0]["extension"] == [{"url": AI_SUGGESTED_URL, "valueBoolean": True}]
    assert "extension" not in conditions[1]["code"]["coding"][0]   # changed by a person: not AI-suggested
    assert len({o.if_none_exist for o in out}) == 2


def test_report_document_carries_pdf_and_json() -> None:
    body = pdf.render([("h1", "RevRX coding report"), ("p", "E11.9 Type 2 diabetes")], title="RevRX coding report")
    out = report_document(body, b'{"report": 1}', TARGET)
    doc = out.resource
    types = [c["attachment"]["contentType"] for c in doc["content"]]
    assert types == ["application/pdf", "application/json"]
    assert base64.b64decode(doc["content"][0]["attachment"]["data"]) == body
    assert doc["context"]["encounter"] == [{"reference": "Encounter/e021"}]


def test_pdf_opens_in_a_strict_reader_and_pages_long_reports() -> None:
    blocks = [("h1", "RevRX coding report"), ("p", "Brackets (ok) and a backslash \\ and é")]
    blocks += [("p", f"Line {i}: E11.9 Type 2 diabetes mellitus without complications") for i in range(120)]
    reader = pypdf.PdfReader(io.BytesIO(pdf.render(blocks, title="Report")), strict=True)
    assert len(reader.pages) >= 3
    first = reader.pages[0].extract_text()
    assert "RevRX coding report" in first and "Brackets (ok) and a backslash \\ and é" in first
    assert "Line 119" in reader.pages[-1].extract_text()
    assert reader.metadata is not None and reader.metadata.title == "Report"


def test_json_payloads_are_plain_json() -> None:
    for out in charge_items(codes(), TARGET) + encounter_conditions(codes(), TARGET):
        assert json.loads(json.dumps(out.resource)) == out.resource
