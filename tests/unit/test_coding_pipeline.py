"""What a clinician sees from the coding pipeline: the right codes, with the right note text."""

from __future__ import annotations

import pytest

from smartapp.coding.codesets import icd10cm
from smartapp.coding.pipeline import run
from smartapp.coding.types import CPT, ICD10CM, CodeSuggestion, NoteInput

HTN_DM = """CHIEF COMPLAINT: Follow-up of blood pressure and sugars.

HISTORY OF PRESENT ILLNESS:
58-year-old man here for follow-up. He denies chest pain. No fever. Home BP readings 120s/70s.

ASSESSMENT AND PLAN:
1. Essential hypertension - well controlled on lisinopril 20 mg daily, continue.
2. Type 2 diabetes mellitus without complications - A1c 6.8. Continue metformin 500 mg twice daily.
Follow up in 3 months.
"""


def _codes(result_suggestions: list[CodeSuggestion]) -> list[str]:
    return [s.code for s in result_suggestions]


def _dx(text: str) -> list[CodeSuggestion]:
    return [s for s in run([NoteInput("n1", text)]).suggestions if s.category == "diagnosis"]


def test_htn_and_t2dm_are_suggested_with_evidence_from_the_note() -> None:
    note = NoteInput("note-1", HTN_DM, title="Progress note")
    result = run([note])
    by_code = {s.code: s for s in result.suggestions}
    assert "I10" in by_code and "E11.9" in by_code
    for code in ("I10", "E11.9"):
        s = by_code[code]
        assert s.system == ICD10CM and s.category == "diagnosis" and s.assertion == "present"
        assert s.evidence, code
        for ev in s.evidence:
            assert ev.note_id == "note-1"
            assert note.text[ev.start : ev.end] == ev.text
    assert "hypertension" in by_code["I10"].evidence[0].text.lower()
    assert "diabetes" in by_code["E11.9"].evidence[0].text.lower()
    assert by_code["I10"].display == "Essential (primary) hypertension"
    # Rank 1 is the first diagnosis of the assessment.
    assert by_code["I10"].rank == 1


def test_denied_and_absent_symptoms_are_not_suggested() -> None:
    codes = _codes(run([NoteInput("n", HTN_DM)]).suggestions)
    assert "R07.9" not in codes  # "denies chest pain"
    assert "R50.9" not in codes  # "No fever"


def test_denies_chest_pain_alone_gives_no_chest_pain_code() -> None:
    codes = _codes(_dx("Patient denies chest pain, shortness of breath or palpitations.\nHeadache for 2 days."))
    assert "R07.9" not in codes and "R06.02" not in codes and "R00.2" not in codes
    assert "R51.9" in codes


def test_every_diagnosis_is_billable_icd10cm() -> None:
    text = (
        "Assessment: asthma, migraine, COPD, low back pain, depression, hyperlipidemia, obesity, "
        "GERD, hypothyroidism, anxiety, atrial fibrillation, CHF."
    )
    dx = _dx(text)
    assert len(dx) >= 10
    for s in dx:
        assert icd10cm.is_billable(s.code), s.code
    codes = set(_codes(dx))
    assert {
        "J45.909",
        "G43.909",
        "J44.9",
        "M54.50",
        "F32.A",
        "E78.5",
        "E66.9",
        "K21.9",
        "E03.9",
        "F41.9",
        "I48.91",
        "I50.9",
    } <= codes


def test_non_billable_mention_maps_to_a_billable_child_with_a_hint() -> None:
    # "Malignant neoplasm of thyroid gland" is C73 (billable); "Acute appendicitis" is K35.80.
    dx = _dx("Assessment: acute appendicitis.")
    assert dx and icd10cm.is_billable(dx[0].code) and dx[0].code.startswith("K35")
    assert dx[0].hint == "more specific code available"


def test_uncertain_diagnosis_is_not_coded_but_its_symptom_is() -> None:
    codes = _codes(_dx("Assessment: Cough and fever, possible pneumonia. Chest x-ray ordered."))
    assert "J18.9" not in codes
    assert "R05.9" in codes and "R50.9" in codes


def test_history_and_family_history_become_z_codes() -> None:
    text = (
        "HPI: history of breast cancer, treated 2015. Mother with type 2 diabetes. "
        "Father had colon cancer.\nAssessment: hypertension."
    )
    codes = _codes(_dx(text))
    assert "Z85.3" in codes and "Z83.3" in codes and "Z80.0" in codes
    assert not any(c.startswith(("C50", "E11", "C18")) for c in codes)


def test_combination_codes_for_diabetes_with_ckd_and_hypertension_with_ckd() -> None:
    codes = _codes(_dx("Assessment:\n1. Type 2 diabetes.\n2. Hypertension.\n3. CKD stage 3b."))
    assert {"E11.22", "I12.9", "N18.32"} <= set(codes)
    assert "E11.9" not in codes and "I10" not in codes
    assert codes.index("I12.9") < codes.index("N18.32")


def test_laterality_and_injury_seventh_character() -> None:
    codes = _codes(_dx("Assessment: left ankle sprain, initial visit. Right knee pain."))
    assert "S93.402A" in codes and "M25.561" in codes
    codes = _codes(_dx("Here for follow-up of the ankle sprain.\nAssessment: left ankle sprain, healing well."))
    assert "S93.402D" in codes


def test_em_code_comes_with_diagnoses_and_uses_cpt() -> None:
    result = run([NoteInput("n", HTN_DM)])
    em = [s for s in result.suggestions if s.category == "em" and s.system == CPT]
    assert len(em) == 1 and em[0].code.startswith("992")


def test_pipeline_is_deterministic_and_reports_engine() -> None:
    a = run([NoteInput("n", HTN_DM)])
    b = run([NoteInput("n", HTN_DM)])
    assert a.suggestions == b.suggestions
    assert a.engine == "local" and a.engine_version
    assert [s.rank for s in a.suggestions] == list(range(1, len(a.suggestions) + 1))


def test_empty_notes_give_no_suggestions_and_a_warning() -> None:
    result = run([NoteInput("n", "   ")])
    assert result.suggestions == [] and result.warnings


@pytest.mark.parametrize(("text", "code"), [
    # The patient as a child is not a relative; a PET scan is not a pet.
    ("As a child she had asthma, now with persistent asthma symptoms.", "J45.909"),
    ("PET scan with lung cancer in the right upper lobe.", "C34.91"),
])
def test_words_that_look_like_relatives_or_animals_keep_the_patients_diagnosis(text: str, code: str) -> None:
    codes = {s.code for s in run([NoteInput("n", text)]).suggestions}
    assert code in codes
