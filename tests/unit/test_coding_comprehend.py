"""Comprehend Medical engine with botocore's Stubber: exact request params (no PHI) and trait mapping."""
from __future__ import annotations

from typing import Any

import boto3
from botocore.stub import Stubber

from smartapp.coding.engines import EngineSettings
from smartapp.coding.engines.comprehend_engine import ComprehendEngine
from smartapp.coding.phi import redact
from smartapp.coding.pipeline import run
from smartapp.coding.types import Demographics, NoteInput

DEMO = Demographics(names=("Jesse Bruce Pinkman",), birth_date="1984-09-24", identifiers=("A7731902",),
                    phones=("505-555-0142",))
NOTE = ("Jesse Pinkman, DOB 09/24/1984, MRN A7731902, tel 505-555-0142.\n"
        "Assessment: type 2 diabetes. No pneumonia. Mother has breast cancer. History of kidney stones.\n")


def _entity(i: int, text: str, red: str, code: str, traits: list[str], cat: str = "MEDICAL_CONDITION"
            ) -> dict[str, Any]:
    b = red.index(text)
    return {"Id": i, "Text": text, "Category": cat, "Type": "DX_NAME", "Score": 0.99, "BeginOffset": b,
            "EndOffset": b + len(text), "Attributes": [], "Traits": [{"Name": t, "Score": 0.95} for t in traits],
            "ICD10CMConcepts": [{"Description": "x", "Code": code, "Score": 0.9},
                                {"Description": "y", "Code": "ZZZ.9", "Score": 0.1}]}


def _client() -> Any:
    return boto3.client("comprehendmedical", region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")  # noqa: S106 (fake credentials for the stubbed client)


def test_comprehend_gets_redacted_text_and_traits_become_assertions() -> None:
    red = redact(NOTE, DEMO).text
    client = _client()
    stub = Stubber(client)
    detect_entity = {k: v for k, v in _entity(1, "kidney stones", red, "N20.0", ["PAST_HISTORY"]).items()
                     if k != "ICD10CMConcepts"}
    stub.add_response("detect_entities_v2", {"Entities": [detect_entity], "ModelVersion": "1"},
                      expected_params={"Text": red})
    stub.add_response("infer_icd10_cm", {"ModelVersion": "1", "Entities": [
        _entity(1, "type 2 diabetes", red, "E11.9", ["DIAGNOSIS"]),
        _entity(2, "pneumonia", red, "J18.9", ["NEGATION", "DIAGNOSIS"]),
        _entity(3, "breast cancer", red, "C50.919", ["PERTAINS_TO_FAMILY"]),
        _entity(4, "kidney stones", red, "N20.0", ["DIAGNOSIS"]),
    ]}, expected_params={"Text": red})
    engine = ComprehendEngine(EngineSettings(engine="comprehend"), client=client)
    with stub:
        result = run([NoteInput("n", NOTE)], DEMO, engine_impl=engine)
    stub.assert_no_pending_responses()

    for secret in ("Jesse", "Pinkman", "09/24/1984", "A7731902", "505-555-0142"):
        assert secret not in red, secret
    assert result.engine == "comprehend"
    codes = [s.code for s in result.suggestions if s.category == "diagnosis"]
    assert "E11.9" in codes
    assert "J18.9" not in codes                 # NEGATION
    assert "Z80.3" in codes and "C50.919" not in codes     # PERTAINS_TO_FAMILY -> family history
    assert "Z87.442" in codes and "N20.0" not in codes     # PAST_HISTORY -> personal history
    for s in result.suggestions:
        for ev in s.evidence:
            assert NOTE[ev.start:ev.end] == ev.text


def test_comprehend_error_falls_back_to_local_with_warning() -> None:
    client = _client()
    stub = Stubber(client)
    stub.add_client_error("detect_entities_v2", service_error_code="ThrottlingException", http_status_code=400)
    engine = ComprehendEngine(EngineSettings(engine="comprehend"), client=client)
    with stub:
        result = run([NoteInput("n", NOTE)], DEMO, engine_impl=engine)
    assert result.engine == "local"
    assert any("ThrottlingException" in w for w in result.warnings)
    assert "E11.9" in [s.code for s in result.suggestions]


def test_long_text_is_chunked_below_the_service_limit() -> None:
    client = _client()
    stub = Stubber(client)
    text = "\n".join(f"Line {i}: patient doing well, no complaints." for i in range(600))
    red = redact(text).text
    engine = ComprehendEngine(EngineSettings(engine="comprehend"), client=client)
    from smartapp.coding.engines.chunking import chunks

    parts = chunks(red, 9000)
    assert len(parts) >= 3 and "".join(c for _, c in parts) == red
    for _, part in parts:
        assert len(part.encode()) <= 9000
        stub.add_response("detect_entities_v2", {"Entities": [], "ModelVersion": "1"}, {"Text": part})
        stub.add_response("infer_icd10_cm", {"Entities": [], "ModelVersion": "1"}, {"Text": part})
    with stub:
        result = run([NoteInput("n", text)], engine_impl=engine)
    stub.assert_no_pending_responses()
    assert result.engine == "comprehend" and not [s for s in result.suggestions if s.category == "diagnosis"]
