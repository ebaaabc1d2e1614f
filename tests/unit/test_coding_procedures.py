"""Office procedure CPT suggestions: only procedures documented as done at this visit, with evidence,
in our own words; and InferSNOMEDCT procedures through the SNOMED CT -> CPT crosswalk (Stubber)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from smartapp.coding.engines import EngineSettings
from smartapp.coding.engines.comprehend_engine import ComprehendEngine
from smartapp.coding.phi import redact
from smartapp.coding.pipeline import run
from smartapp.coding.procedure_rules import RULES, SNOMED_TO_CPT
from smartapp.coding.types import CPT, NoteInput
from smartapp.coding.vaccine_products import PRODUCTS

_PRODUCT_CODES = frozenset(p.code for p in PRODUCTS)

DONE = [
    ("EKG today shows normal sinus rhythm, no ST changes.", "93000"),
    ("EKG performed in clinic; my interpretation: sinus bradycardia.", "93000"),
    ("Venipuncture performed for CMP and CBC.", "36415"),
    ("Urine dip: positive nitrites and leukocyte esterase.", "81002"),
    ("Automated urinalysis (Clinitek) in office: 2+ protein.", "81003"),
    ("Ceftriaxone 1 g IM given in clinic.", "96372"),
    ("Right knee injected with 40 mg Kenalog and 3 mL lidocaine; tolerated well.", "20610"),
    ("Left wrist aspirated, 2 mL clear fluid sent for crystals.", "20605"),
    ("Flu vaccine administered today.", "90471"),
    ("Spirometry performed in office: FEV1 68% predicted.", "94010"),
    ("Spirometry pre and post bronchodilator performed today with 14% improvement.", "94060"),
    ("Cerumen removed from the left ear with a curette.", "69210"),
    ("Bilateral ears irrigated to remove cerumen.", "69209"),
    ("Three warts on the right hand treated with liquid nitrogen.", "17110"),
    ("Shave biopsy of the lesion on the back performed.", "11102"),
    ("Punch biopsy of the rash on the left arm performed.", "11104"),
    ("2 cm laceration of the chin repaired with 3 sutures.", "12001"),
    ("4 cm laceration of the forearm repaired with simple interrupted sutures.", "12002"),
    ("Abscess on the left thigh incised and drained; packing placed.", "10060"),
    ("Albuterol nebulizer treatment given in office with improvement.", "94640"),
    ("Rapid strep negative.", "87880"),
    ("Ambulatory pulse oximetry performed: nadir 91%.", "94760"),
]
NOT_DONE = [
    "EKG ordered.",
    "We are going to repeat an EKG at the next visit.",
    "Had an EKG last year that was normal.",
    "Declined the flu vaccine.",
    "Recommend shingles vaccine next month.",
    "MMR titer performed today.",
    "Uses her home nebulizer twice a day.",
    "Will schedule a skin biopsy next visit.",
    "No joint injection today.",
    "Consider knee injection if no better in 6 weeks.",
    "Her pulmonary function tests from 2019 suggest COPD.",
    "Wound closed with Steri-Strips.",
    "Pulse ox 98% on room air.",
]


def _procedures(text: str) -> list[Any]:
    return [s for s in run([NoteInput("n", "Assessment and plan:\n" + text)]).suggestions if s.category == "procedure"]


@pytest.mark.parametrize(("text", "code"), DONE)
def test_procedure_done_today_is_suggested_with_evidence(text: str, code: str) -> None:
    got = _procedures(text)
    # A vaccine given also carries its product code when the note names it (smartapp.coding.vaccine_products).
    assert [s.code for s in got if s.code not in _PRODUCT_CODES] == [code]
    s = got[0]
    assert s.system == CPT and s.assertion == "present" and s.rationale
    note = "Assessment and plan:\n" + text
    ev = s.evidence[0]
    assert note[ev.start:ev.end] == ev.text and ev.text


@pytest.mark.parametrize("text", NOT_DONE)
def test_ordered_planned_declined_historical_or_vital_sign_is_not_a_procedure(text: str) -> None:
    assert _procedures(text) == []


def test_procedure_lines_follow_diagnoses_and_visit_level() -> None:
    note = ("HPI: sore throat for two days, fever 101.\nAssessment and plan:\n1. Streptococcal pharyngitis. "
            "Rapid strep test performed in office: positive. Amoxicillin 500 mg twice daily for 10 days.\n")
    result = run([NoteInput("n", note)])
    cats = [s.category for s in result.suggestions]
    assert cats.index("diagnosis") < cats.index("em") < cats.index("procedure")
    assert "J02.0" in {s.code for s in result.suggestions}
    assert [s.code for s in result.suggestions if s.category == "procedure"] == ["87880"]
    assert [s.rank for s in result.suggestions] == list(range(1, len(result.suggestions) + 1))


def test_labels_are_our_own_short_words() -> None:
    for rule in RULES:
        assert 10 <= len(rule.label) <= 80, rule.code
        # AMA descriptors open with the procedure's technical name and a semicolon clause.
        assert ";" not in rule.label, rule.code
    assert set(SNOMED_TO_CPT.values()) <= {r.code for r in RULES}


def _snomed_entity(i: int, text: str, red: str, concept: str, description: str, traits: list[str]) -> dict[str, Any]:
    b = red.index(text)
    return {"Id": i, "Text": text, "Category": "TEST_TREATMENT_PROCEDURE", "Type": "PROCEDURE_NAME", "Score": 0.97,
            "BeginOffset": b, "EndOffset": b + len(text), "Attributes": [],
            "Traits": [{"Name": t, "Score": 0.9} for t in traits],
            "SNOMEDCTConcepts": [{"Description": description, "Code": concept, "Score": 0.9}]}


def test_comprehend_snomed_procedures_are_crosswalked_to_cpt_when_done_today() -> None:
    note = ("Patient: Gale Boetticher, MRN 77120034.\nAssessment and plan:\n1. Atrial fibrillation. "
            "EKG performed today shows rate-controlled atrial fibrillation.\n2. Nebulizer treatment given in office.\n"
            "3. Colonoscopy ordered.\n")
    red = redact(note).text
    client = boto3.client("comprehendmedical", region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")  # noqa: S106 (fake credentials for the stubbed client)
    stub = Stubber(client)
    stub.add_response("detect_entities_v2", {"Entities": [], "ModelVersion": "1"}, {"Text": red})
    stub.add_response("infer_snomedct", {"ModelVersion": "1", "Entities": [
        _snomed_entity(1, "EKG", red, "29303009", "Electrocardiographic procedure", []),
        _snomed_entity(2, "Nebulizer treatment", red, "999999999", "Nebulizer treatment (unknown id)", []),
        _snomed_entity(3, "Colonoscopy", red, "73761001", "Colonoscopy", ["FUTURE"]),
    ]}, {"Text": red})
    stub.add_response("infer_icd10_cm", {"Entities": [], "ModelVersion": "1"}, {"Text": red})
    engine = ComprehendEngine(EngineSettings(engine="comprehend", comprehend_snomed=True), client=client)
    with stub:
        output = engine.extract([_prepared(note)])
    stub.assert_no_pending_responses()
    assert "Gale" not in red and "77120034" not in red
    codes = {p.code: p for p in output.procedures}
    assert set(codes) == {"93000", "94640"}           # colonoscopy is FUTURE and not in the crosswalk
    assert "SNOMED CT 29303009" in codes["93000"].rationale
    ev = codes["94640"].evidence[0]
    assert note[ev.start:ev.end] == "Nebulizer treatment"


def _prepared(note: str) -> Any:
    from smartapp.coding.engines import PreparedNote
    from smartapp.coding.sections import split

    return PreparedNote(NoteInput("n", note), split(note), redact(note))


def test_the_substring_prefilter_never_hides_a_procedure_mention() -> None:
    """may_match only skips a rule's regex when the regex cannot match (checked on every note we have)."""
    import csv

    from smartapp.coding.procedure_rules import RULES
    from smartapp.coding.procedures import may_match

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text() for p in (root / "tests" / "data" / "visit_notes").rglob("*.txt")]
    for name in ("train.csv", "valid.csv"):
        with (root / "data" / "aci-bench" / name).open() as fh:
            texts += [r["note"] for r in csv.DictReader(fh)]
    texts += [p.read_text() for p in sorted((root / "data" / "codiesp" / "dev" / "text_files_en").glob("*.txt"))[:100]]
    for text in texts:
        for rule in RULES:
            if rule.pattern.search(text):
                assert may_match(rule, text.lower()), (rule.code, text[:80])
