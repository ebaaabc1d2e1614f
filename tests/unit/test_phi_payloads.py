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
    quote = next(w for w in ("hypertension", "diabetes", "pain", "history") if w in text)
    _answer(fake, _completion([{"code": "I10", "quote": quote, "assertion": "present", "confidence": 0.9,
                                "rationale": "documented"}]))
    result = run([NoteInput("aci", text)], demo, settings=_settings(base, openai_chunk_chars=1500))

    assert result.engine == "openai"
    assert len(fake.posted) >= 2                          # chunked: every chunk is checked
    for body in fake.posted:
        _assert_clean(json.dumps(body), note)
    sent = "".join(b["messages"][1]["content"].split("\n\n", 1)[1] for b in fake.posted)
    assert "[NAME]" in sent and "[DATE]" in sent and "[PHONE]" in sent
    assert len(sent) > 0.8 * len(text)                      # the clinical text itself did go
    i10 = [s for s in result.suggestions if s.code == "I10"]
    assert i10 and i10[0].evidence[0].text.lower() == quote


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
