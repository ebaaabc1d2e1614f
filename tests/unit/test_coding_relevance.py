"""Encounter reasons done today, and history that bears on the visit (guideline I.C.21.c)."""
from __future__ import annotations

from smartapp.coding.pipeline import run
from smartapp.coding.types import NoteInput


def _dx(text: str) -> list[str]:
    return [s.code for s in run([NoteInput("n", text)]).suggestions if s.category == "diagnosis"]


def test_screening_ordered_or_due_is_not_an_encounter_for_screening() -> None:
    codes = _dx("Assessment:\n1. Hypertension, stable.\n\nHealthcare maintenance.\n"
                "• Medical Reasoning: The patient is due for her routine mammogram.\n"
                "• Additional Testing: We will order a mammogram.")
    assert codes == ["I10"]


def test_vaccines_the_patient_has_had_are_neither_z23_nor_the_disease() -> None:
    codes = _dx("HPI: She confirms receiving both Covid vaccinations.\n"
                "Assessment:\n1. Hypertension.\n- He is fully vaccinated against COVID-19.\n"
                "- Recommend shingles vaccine next month.")
    assert codes == ["I10"]
    assert "Z23" in _dx("Assessment:\n1. Hypertension.\n2. Influenza vaccine administered today.")


def test_family_history_only_when_it_bears_on_the_visit() -> None:
    unrelated = ("FAMILY HISTORY\n\nMother with hypertension and diabetes.\n\n"
                 "ASSESSMENT\n\n1. Degenerative joint disease of the right hip.")
    assert not [c for c in _dx(unrelated) if c.startswith(("Z82", "Z83"))]
    related = ("FAMILY HISTORY\n\nMother, deceased age 45, from complications of breast cancer.\n\n"
               "ASSESSMENT\n\n• Follow-up bilateral breast cysts.")
    assert "Z80.3" in _dx(related)


def test_annual_exam_with_conditions_assessed_is_with_abnormal_findings() -> None:
    codes = _dx("CHIEF COMPLAINT\n\nAnnual exam.\n\nASSESSMENT AND PLAN\n\nHypertension.\n"
                "• Medical Treatment: Continue lisinopril.")
    assert codes[0] == "Z00.01" and "I10" in codes
    stated = _dx("CHIEF COMPLAINT\n\nAnnual exam.\n\nASSESSMENT\n1. Encounter for routine adult health "
                 "examination without abnormal findings.\n2. Hypertension - stable.")
    assert stated[0] == "Z00.00"


def test_a_physical_exam_finding_is_not_a_preventive_encounter() -> None:
    codes = _dx("ASSESSMENT AND PLAN\n\nBreast cysts.\nPhysical exam indicated stable breast density bilaterally.")
    assert not [c for c in codes if c.startswith("Z00")]


def test_a_form_field_whose_value_says_no_is_negated() -> None:
    assert _dx("Social history:\nTobacco Use: Non-smoker.\nAlcohol use: none.\nAssessment: Hypertension.") == ["I10"]
    assert _dx("Assessment:\nDiabetes: A1c 8, continue metformin.")[0] == "E11.9"


def test_family_history_of_the_patients_own_condition_is_not_coded() -> None:
    codes = _dx("ED note. 31F with 2 days of wheeze after a cold. Her sister also has asthma.\n"
                "Dx: Moderate persistent asthma with acute exacerbation.")
    assert codes == ["J45.41"]
    gout = _dx("Assessment:\n1. Acute gout flare of the right first MTP joint. His brother also has gout.")
    assert not [c for c in gout if c.startswith("Z82")]
    # A family history of cancer stays beside the patient's own cancer (surveillance).
    melanoma = _dx("HPI: Her mother had melanoma.\nAssessment:\n1. Melanoma of the left upper arm.")
    assert "Z80.8" in melanoma


def test_a_vaccine_given_today_after_a_labelled_history_is_z23() -> None:
    codes = _dx("Last tetanus >10 yr: Tdap given today in R deltoid.\n"
                "Assessment: dog bite of left forearm (puncture wounds).\n"
                "Plan: amoxicillin-clavulanate x 5 d prophylaxis, rabies PEP not indicated.")
    assert codes == ["S51.852A", "Z23"]


def test_a_relatives_condition_said_in_passing_is_not_coded() -> None:
    otitis = _dx("3yo w/ L ear pulling, fever 101 x1d.\nA: acute otitis media, left.\n"
                 "P: amoxicillin 90 mg/kg/day x10d. Sister has asthma.")
    assert otitis == ["H66.92"]
    # It is coded when it names what was assessed today.
    bp = _dx("S: at the pharmacy his blood pressure was 142/90. Father has hypertension.\n"
             "A: Elevated blood pressure reading without diagnosis of hypertension.")
    assert "Z82.49" in bp


def test_a_past_condition_told_in_passing_in_the_hpi_is_not_coded() -> None:
    arm = _dx("HISTORY OF PRESENT ILLNESS\nShe fell playing volleyball and landed on her right arm. "
              "She has a history of gallstones and takes Pepcid.\n"
              "ASSESSMENT\nRight arm pain.")
    assert not [c for c in arm if c.startswith("Z87")]
    # A history that bears on what is assessed stays: an old heart attack beside coronary disease,
    # a DVT history beside leg swelling.
    cad = _dx("HISTORY OF PRESENT ILLNESS\nHe sustained a heart attack in 2018 and had a stent placed.\n"
              "ASSESSMENT\n1. Coronary artery disease.")
    assert "I25.2" in cad


def test_a_stroke_history_told_in_the_hpi_is_coded() -> None:
    codes = _dx("HISTORY: 72-year-old here for memory loss. She has atrial fibrillation on warfarin and a prior "
                "stroke in 2018 with no residual deficits.\nIMPRESSION: Atrial fibrillation. Continue warfarin.")
    assert "Z86.73" in codes


def test_an_illness_the_patient_has_recovered_from_is_history() -> None:
    codes = _dx("Assessment: Follow-up of hypertension. Patient had COVID last month, recovered.")
    assert codes == ["I10", "Z86.16"]


def test_the_history_sentence_opening_an_assessment_is_history() -> None:
    codes = _dx("ASSESSMENT AND PLAN\n\nMs. Diaz is a 49-year-old female with a past medical history significant "
                "for congestive heart failure, kidney stones, and prior colonoscopy who presents for follow-up.\n\n"
                "Congestive heart failure.\n- Continue Lasix.")
    assert codes == ["I50.9", "Z87.442"]
