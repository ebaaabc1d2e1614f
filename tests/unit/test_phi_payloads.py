"""What actually leaves the process, on REAL ACI-BENCH notes (CC BY 4.0, Yim et al. 2023): the exact
request bodies received by a local server speaking the OpenAI API and the exact parameters boto3
builds for Comprehend Medical (recorded from botocore's event hooks, answered by its Stubber) hold
none of the patient's identifiers: first and family name from the ACI-BENCH metadata, and a birth
date, MRN, phone, email and address printed in an EHR-style header, as FHIR demographics would give."""
from __future__ import annotations

import json
import re
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from scripts.phi_corpus import AciNote, load_aci
from smartapp.coding.engines import EngineSettings
from smartapp.coding.engines.comprehend_engine import ComprehendEngine
from smartapp.coding.pipeline import run
from smartapp.coding.types import Demographics, NoteInput
from tests.support.json_server import JsonServer
from tests.unit.test_coding_openai import _answer, _completion, _settings, llm  # noqa: F401 (fixture)

NOTES = {n.encounter_id: n for n in load_aci()}
# Notes with both names that mention the patient most often.
CASES = sorted((n for n in NOTES.values() if n.first_name and n.family_name),
               key=lambda n: -len(re.findall(rf"\b(?:{n.first_name}|{n.family_name})\b", n.text, re.I)))[:3]

DOB = "1971-04-12"
MRN = "MRN-00912345"
PHONE = "(555) 201-3344"
EMAIL = "patient.one@example.com"
ADDRESS = "1422 Maple Avenue, Springfield, IL 62704"


def _encounter(note: AciNote) -> tuple[str, Demographics]:
    name = f"{note.first_name.title()} {note.family_name.title()}"
    header = (f"Patient: {name}   DOB: 04/12/1971   MRN: {MRN}\n"
              f"Phone: {PHONE}   Email: {EMAIL}\nAddress: {ADDRESS}\n\n")
    demo = Demographics(names=(name,), birth_date=DOB, identifiers=(MRN,), phones=(PHONE,), emails=(EMAIL,),
                        addresses=(ADDRESS,))
    return header + note.text, demo


def _secrets(note: AciNote) -> list[str]:
    return [note.first_name, note.family_name, "04/12/1971", "1971-04-12", "00912345", "201-3344", "2013344",
            "patient.one", "1422 Maple", "Maple Avenue", "62704"]


def _assert_clean(sent: str, note: AciNote) -> None:
    for secret in _secrets(note):
        assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", sent, re.IGNORECASE), secret


@pytest.mark.parametrize("note", CASES, ids=lambda n: n.encounter_id)
def test_openai_request_bodies_hold_no_patient_identifier(llm: tuple[JsonServer, str], note: AciNote) -> None:  # noqa: F811
    fake, base = llm
    text, demo = _encounter(note)
    # A code the quote means: the pipeline drops evidence that does not mean its code.
    pairs = (("I10", "hypertension"), ("E11.9", "diabetes"), ("D64.9", "anemia"), ("K59.00", "constipation"))
    code, quote = next((c, w) for c, w in pairs if w in text.lower())
    _answer(fake, _completion([{"code": code, "quote": quote, "assertion": "present", "confidence": 0.9,
                                "rationale": "documented"}]))
    result = run([NoteInput("aci", text)], demo, settings=_settings(base, openai_chunk_chars=1500))

    assert result.engine == "openai"
    assert len(fake.posted) >= 2                          # chunked: every chunk is checked
    for body in fake.posted:
        _assert_clean(json.dumps(body), note)
    sent = "".join(b["messages"][1]["content"].split("\n\n", 1)[1] for b in fake.posted)
    assert "[NAME]" in sent and "[DATE]" in sent and "[PHONE]" in sent
    assert len(sent) > 0.8 * len(text)                      # the clinical text itself did go
    found = [s for s in result.suggestions if s.code == code]
    assert found and found[0].evidence[0].text.lower() == quote


@pytest.mark.parametrize("note", CASES, ids=lambda n: n.encounter_id)
def test_comprehend_parameters_hold_no_patient_identifier(note: AciNote) -> None:
    text, demo = _encounter(note)
    client = boto3.client("comprehendmedical", region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")  # noqa: S106 (fake credentials for the stubbed client)
    sent: list[tuple[str, dict[str, Any]]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        sent.append((model.name, dict(params)))

    client.meta.events.register("before-parameter-build.comprehendmedical.*", record)
    stub = Stubber(client)
    for _ in range(40):      # enough canned answers for every chunk and operation
        stub.add_response("detect_entities_v2", {"Entities": [], "ModelVersion": "1"})
        stub.add_response("infer_icd10_cm", {"Entities": [], "ModelVersion": "1"})
    engine = ComprehendEngine(EngineSettings(engine="comprehend", comprehend_chunk_chars=1200), client=client)
    with stub:
        result = run([NoteInput("aci", text)], demo, engine_impl=engine)

    assert result.engine == "comprehend"
    ops = [op for op, _ in sent]
    assert ops.count("InferICD10CM") >= 2 and ops.count("DetectEntitiesV2") == ops.count("InferICD10CM")
    for _, params in sent:
        assert set(params) == {"Text"}
        assert len(params["Text"].encode()) <= 1200
        _assert_clean(params["Text"], note)
    icd_text = "".join(p["Text"] for op, p in sent if op == "InferICD10CM")
    assert "[NAME]" in icd_text and "[DATE]" in icd_text and "[ID]" in icd_text
    assert len(icd_text) > 0.8 * len(text)


# --- names and places: facilities, clinicians in running text, an uploaded document's header -----------
# Written for these tests (not from tests/data/phi): an uploaded note, so no FHIR demographics; the
# patient is named only in the header line, the provider in the metadata the upload extracts.
UPLOADED = """OKONKWO-BELL, ADANNA R. | MRN 5520931 | DOB 07/14/1958
Visit date: 11/02/2026    Provider: Tobias Whitcombe, NP

CHIEF COMPLAINT: Follow-up of hypertension and type 2 diabetes.

HPI: Adanna is a 68-year-old woman seen for follow-up. She was hospitalized at Fairhaven Regional Medical
Center in August for cellulitis of the left leg, and had an echocardiogram at St. Brendan Hospital.
Lucinda Marsh from endocrinology called on Monday about the A1c of 8.4. Her nephrologist, Rohan
Castellanos, recommends continuing lisinopril. Ms. Okonkwo-Bell reports no chest pain. Bell's palsy
has resolved.

Referring: Pemberton, Harriet
cc: Anselm Vukovic at Brightwater Family Clinic

ASSESSMENT AND PLAN:
1. Essential hypertension - continue lisinopril 20 mg daily.
2. Type 2 diabetes mellitus with hyperglycemia - increase metformin to 1000 mg twice daily.
"""
PEOPLE_AND_PLACES = ("Okonkwo", "Adanna", "Tobias", "Whitcombe", "Fairhaven", "Brendan", "Lucinda", "Marsh", "Rohan",
                     "Castellanos", "Pemberton", "Harriet", "Anselm", "Vukovic", "Brightwater")
CLINICAL = ("hypertension", "cellulitis", "echocardiogram", "endocrinology", "lisinopril", "Bell's palsy",
            "nephrologist", "metformin", "Type 2 diabetes mellitus with hyperglycemia")


def _upload_demographics() -> Demographics | None:
    # What smartapp.runs.upload_coding passes: the provider from the extracted metadata, nothing else.
    from smartapp.coding.phi_names import known_names
    from smartapp.sources.files.metadata import read_metadata

    people = known_names(read_metadata(UPLOADED).provider)
    return Demographics(names=people) if people else None


def _assert_no_people_or_places(sent: str) -> None:
    for secret in PEOPLE_AND_PLACES:
        assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", sent, re.IGNORECASE), secret


def test_openai_request_bodies_hold_no_facility_clinician_or_header_name(llm: tuple[JsonServer, str]) -> None:  # noqa: F811
    fake, base = llm
    _answer(fake, _completion([{"code": "I10", "quote": "Essential hypertension", "assertion": "present",
                                "confidence": 0.9, "rationale": "documented"}]))
    result = run([NoteInput("upload", UPLOADED)], _upload_demographics(), settings=_settings(base))

    assert result.engine == "openai" and fake.posted
    for body in fake.posted:
        _assert_no_people_or_places(json.dumps(body))
    sent = "".join(b["messages"][1]["content"] for b in fake.posted)
    assert "[FACILITY]" in sent and "[NAME]" in sent
    for word in CLINICAL:
        assert word in sent, word
    assert any(s.code == "I10" for s in result.suggestions)


def test_comprehend_parameters_hold_no_facility_clinician_or_header_name() -> None:
    client = boto3.client("comprehendmedical", region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")  # noqa: S106 (fake credentials for the stubbed client)
    sent: list[dict[str, Any]] = []
    client.meta.events.register("before-parameter-build.comprehendmedical.*",
                                lambda params, **_: sent.append(dict(params)))
    stub = Stubber(client)
    for _ in range(4):
        stub.add_response("detect_entities_v2", {"Entities": [], "ModelVersion": "1"})
        stub.add_response("infer_icd10_cm", {"Entities": [], "ModelVersion": "1"})
    engine = ComprehendEngine(EngineSettings(engine="comprehend"), client=client)
    with stub:
        result = run([NoteInput("upload", UPLOADED)], _upload_demographics(), engine_impl=engine)

    assert result.engine == "comprehend" and sent
    for params in sent:
        _assert_no_people_or_places(params["Text"])
        for word in CLINICAL:
            assert word in params["Text"], word
