"""E/M level from the 2021+ MDM rules and total time, as a clinician would expect it."""

from __future__ import annotations

from smartapp.coding.pipeline import run
from smartapp.coding.types import CPT, CodeSuggestion, NoteInput

MODERATE_ESTABLISHED = """Chief complaint: diabetes and blood pressure follow-up.
HPI: 64-year-old woman returns for follow-up. Sugars running high at home.
Assessment and plan:
1. Type 2 diabetes mellitus, uncontrolled - A1c 8.9, above goal. Increase metformin to 1000 mg twice daily.
   Order hemoglobin A1c, BMP and urine microalbumin before next visit.
2. Essential hypertension - stable. Continue lisinopril 10 mg daily.
Return in 3 months.
"""


def _em(text: str) -> CodeSuggestion:
    ems = [s for s in run([NoteInput("n", text)]).suggestions if s.category == "em" and s.system == CPT]
    assert len(ems) == 1
    return ems[0]


def test_moderate_mdm_established_patient_is_99214() -> None:
    em = _em(MODERATE_ESTABLISHED)
    assert em.code == "99214"
    assert em.display == "Office visit, established patient, moderate MDM"
    assert "Problems: moderate" in em.rationale and "risk: moderate" in em.rationale
    assert "data: moderate" in em.rationale


def test_new_patient_wording_gives_new_patient_code() -> None:
    em = _em("New patient here to establish care.\n" + MODERATE_ESTABLISHED)
    assert em.code == "99204"
    assert "new patient" in em.display


def test_minor_problem_with_otc_advice_is_low_level() -> None:
    em = _em(
        "Chief complaint: runny nose for 3 days.\nAssessment: common cold. Plan: rest, fluids, acetaminophen as needed."
    )
    assert em.code == "99212"


def test_documented_total_time_can_raise_the_level() -> None:
    em = _em(
        "Assessment: common cold. Plan: rest and fluids.\nI spent a total of 42 minutes on the date of "
        "the encounter reviewing records and counseling."
    )
    assert em.code == "99215"
    assert "total time 42 min" in em.display


def test_decision_about_hospitalization_with_high_problem_is_99215() -> None:
    em = _em(
        "Assessment: COPD with severe exacerbation, hypoxic. Discussed with Dr. Lee (pulmonology). "
        "Chest x-ray independently interpreted by me: hyperinflation. Decision to admit to hospital. "
        "Start prednisone 40 mg."
    )
    assert em.code == "99215"


def test_em_label_is_our_own_words_not_the_ama_descriptor() -> None:
    em = _em(MODERATE_ESTABLISHED)
    assert "medically appropriate history" not in em.display.lower()
    assert "Office visit" in em.display
