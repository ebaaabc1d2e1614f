"""Issue 15 item 9: the approved codes as exports for what RevRX does not write itself: an HL7 v2.5.1
BAR^P12 for an Epic coding (Coding-Bidirectional) interface, checked by parsing it with hl7apy, and a
FHIR Claim (JSON) for payers and clearinghouses."""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask import Flask
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from smartapp.extensions import db
from smartapp.models import Decision, Suggestion
from smartapp.review.approved import ApprovedCode, ApprovedCodes
from smartapp.writeback import hl7v2
from tests.support.review_data import Browser, Seeded

ICD, CPT = "http://hl7.org/fhir/sid/icd-10-cm", "http://www.ama-assn.org/go/cpt"
CODES = ApprovedCodes(
    [ApprovedCode(ICD, "E11.9", "Type 2 diabetes mellitus without complications", "diagnosis", True),
     ApprovedCode(ICD, "I10", "Essential (primary) hypertension | stage ^1 & more", "diagnosis", False)],
    [ApprovedCode(CPT, "99213", "Office visit", "em", True)], [])


def _message(**extra: str) -> str:
    return hl7v2.bar_p12(hl7v2.MessageInput(
        control_id="R7-3", patient_id="p900", encounter_id="e900", service_date=date(2026, 2, 3), codes=CODES,
        operator_id="pr3", operator_name="Priya Raman", attending_id="pr1", **extra))


def test_bar_p12_carries_the_diagnoses_in_sequence_and_the_services_and_parses_strictly() -> None:
    text = _message(patient_name="Ada Lane", mrn="MRN-1")
    hl7v2.validate(text)
    msg = parse_message(text, validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)
    assert msg.msh.msh_9.to_er7() == "BAR^P12^BAR_P12" and msg.msh.msh_12.to_er7() == "2.5.1"
    dg1 = [s for s in msg.children if s.name == "DG1"]
    assert [d.dg1_3.dg1_3_1.to_er7() for d in dg1] == ["E11.9", "I10"]
    assert [d.dg1_15.to_er7() for d in dg1] == ["1", "2"], "the first-listed diagnosis has priority 1"
    assert dg1[1].dg1_3.dg1_3_2.to_er7() == r"Essential (primary) hypertension \F\ stage \S\1 \T\ more"
    procedures = [g for g in msg.children if g.name == "BAR_P12_PROCEDURE"]
    assert [(p.pr1.pr1_3.pr1_3_1.to_er7(), p.pr1.pr1_3.pr1_3_3.to_er7()) for p in procedures] == [("99213", "C4")]
    assert msg.pv1.pv1_19.to_er7() == "e900^^^FHIR^VN" and msg.evn.evn_5.to_er7() == "pr3^Raman^Priya"
    assert msg.pid.to_er7() == "PID|1||p900^^^FHIR^PI~MRN-1^^^^MR||Lane^Ada"


def test_a_message_missing_what_the_standard_requires_is_refused() -> None:
    broken = "\r".join(line for line in _message().split("\r") if not line.startswith("PID"))
    with pytest.raises(ValueError, match="BAR\\^P12"):
        hl7v2.validate(broken)


def test_the_review_page_offers_both_exports_of_the_accepted_codes(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        for row in db.session.query(Suggestion).filter(Suggestion.id.in_(seeded.suggestions.values())):
            row.decision = Decision.ACCEPTED
        db.session.commit()
    me = Browser(app, seeded.users["coder"])
    panel = me.get(f"/encounters/{seeded.encounter_id}/writeback").get_data(as_text=True)
    assert 'data-testid="export-hl7"' in panel and 'data-testid="export-claim"' in panel
    hl7 = me.get(f"/encounters/{seeded.encounter_id}/export/bar-p12.hl7")
    assert hl7.status_code == 200 and "attachment" in hl7.headers["Content-Disposition"]
    msg = parse_message(hl7.get_data(as_text=True), find_groups=True)
    assert [d.dg1_3.dg1_3_1.to_er7() for d in msg.children if d.name == "DG1"] == ["E11.9", "I10"]
    claim = json.loads(me.get(f"/encounters/{seeded.encounter_id}/export/claim.json").get_data(as_text=True))
    assert claim["resourceType"] == "Claim" and claim["status"] == "draft"
    assert [d["diagnosisCodeableConcept"]["coding"][0]["code"] for d in claim["diagnosis"]] == ["E11.9", "I10"]
    assert claim["item"][0]["productOrService"]["coding"][0]["code"] == "99213"
    assert claim["enterer"]["display"] == "Dr Coder", "the person exporting, not the encounter's clinician"
