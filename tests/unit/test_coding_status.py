"""Status Z codes from what the patient is on or has, and the problem-heading rule of the assessment."""
from __future__ import annotations

from smartapp.coding.pipeline import run
from smartapp.coding.types import NoteInput


def _dx(text: str) -> list[str]:
    return [s.code for s in run([NoteInput("n", text)]).suggestions if s.category == "diagnosis"]


def test_continued_oral_hypoglycemic_and_insulin_both_get_status_codes() -> None:
    codes = _dx("Medications: metformin 1000 mg twice daily, Lantus 20 units nightly.\n"
                "Assessment:\n1. Type 2 diabetes. Continue current regimen.")
    assert codes[0] == "E11.9"
    assert {"Z79.84", "Z79.4"} <= set(codes)


def test_stopped_refused_or_possible_drugs_are_not_long_term_use() -> None:
    codes = _dx("Assessment:\n1. Type 2 diabetes. Stop metformin because of diarrhea. "
                "He may need insulin in the future. He declined aspirin.")
    assert not [c for c in codes if c.startswith("Z79")]


def test_type_1_diabetes_does_not_get_the_insulin_status_code() -> None:
    codes = _dx("Assessment:\n1. Type 1 diabetes on insulin pump, Humalog.")
    assert "Z79.4" not in codes and codes[0].startswith("E10")


def test_surgery_that_may_be_needed_is_not_a_status() -> None:
    codes = _dx("Assessment:\n1. Peripheral arterial disease. He may require stent placement or bypass surgery.")
    assert "Z95.1" not in codes and "Z95.5" not in codes
    assert "Z95.1" in _dx("Past surgical history: CABG 2015.\nAssessment:\n1. Coronary artery disease, stable.")


def test_findings_named_while_reasoning_about_a_problem_are_not_coded() -> None:
    note = ("ASSESSMENT AND PLAN\n\nAnemia.\n• Medical Reasoning: Hemoglobin 8.2. Her colonoscopy 3 years ago "
            "showed mild diverticulosis.\n\nCongestive heart failure.\n• Medical Reasoning: Her echocardiogram "
            "showed moderate mitral regurgitation. Start Lasix.\n")
    codes = _dx(note)
    assert codes[:2] == ["D64.9", "I50.9"]
    assert "K57.30" not in codes and "I34.0" not in codes


def test_an_hpi_condition_is_not_coded_when_the_assessment_names_other_problems() -> None:
    note = ("HPI: He has hypertension and comes for his finger.\n\nASSESSMENT\n\n"
            "• Stenosing tenosynovitis of right index finger.\n")
    assert "I10" not in _dx(note)


def test_reasoning_that_states_the_diagnosis_and_prose_problem_openers_count() -> None:
    note = ("ASSESSMENT AND PLAN\n\n1. Shortness of breath.\n- Medical Reasoning: I believe this is an "
            "exacerbation of her congestive heart failure.\n\n2. Hypertension.\n- Continue lisinopril.\n")
    assert "I50.9" in _dx(note) or "I11.0" in _dx(note)
    prose = ("ASSESSMENT\n\n1. Right knee pain.\n\nPLAN\n\nRegarding her diabetes, her A1c is 8; continue "
             "the current dose.\n")
    assert "E11.9" in _dx(prose)


def test_a_brief_course_a_loading_dose_or_a_drug_asked_about_is_not_long_term_use() -> None:
    tia = _dx("Assessment/Plan:\n1. Transient ischemic attack - aspirin + clopidogrel x 21 days, telemetry, echo.\n"
              "2. Hypertension.")
    assert tia == ["G45.9", "I10"]
    nstemi = _dx("MDM: rising troponin, NSTEMI. Heparin drip started, ticagrelor load.\nED DIAGNOSIS: NSTEMI.")
    assert "Z79.02" not in nstemi
    ozempic = _dx("Assessment:\n1. Prediabetes - lifestyle. She asked about Ozempic; if she develops diabetes "
                  "we can discuss GLP-1.")
    assert ozempic == ["R73.03"]
    # The ongoing drugs of the same note still count.
    assert {"Z79.82", "Z79.02"} <= set(_dx("Assessment: CAD, stable. Continue aspirin and clopidogrel."))


def test_a_drug_stopped_later_in_the_note_is_not_current() -> None:
    codes = _dx("DM2 w/ neuropathy. Insulin detemir 24 u + metformin... stopped metformin last yr for GI upset.\n"
                "Assessment: Type 2 diabetes with neuropathy.")
    assert "Z79.84" not in codes and "Z79.4" in codes


def test_a_joint_replacement_still_to_come_is_not_a_status() -> None:
    codes = _dx("Assessment:\nPreop examination.\nShe is going to be having a right knee replacement in June. "
                "She will discontinue clopidogrel for one week prior to knee replacement surgery.\n"
                "Diabetes mellitus.")
    assert not [c for c in codes if c.startswith("Z96")]
    assert "Z96.651" in _dx("Assessment:\n1. Osteoarthritis of the left knee, s/p right knee replacement 2019.")
