"""Case reports are coded as their narrative reports them; visit notes keep the encounter rules.

A published case report ("A 62-year-old man presented with ... CT showed ... He was discharged")
is read from its own text (smartapp/coding/docstyle.py): every finding it reports is coded, the
symptoms beside the diagnosis that explains them too; general words get the Index's NOS code; and
status codes of an encounter (long-term drug use, dialysis) are not suggested. Negated, family,
history and hypothetical mentions are still never coded as present conditions.
"""

from __future__ import annotations

from smartapp.coding.docstyle import is_case_report
from smartapp.coding.pipeline import run
from smartapp.coding.sections import split
from smartapp.coding.types import CodeSuggestion, NoteInput

CASE_REPORT = (
    "We report the case of a 62-year-old man who was admitted to our hospital with fever and vomiting "
    "of three days of evolution. On admission he presented abdominal pain in the right iliac fossa. "
    "Abdominal CT showed acute appendicitis with areas of necrosis. An appendectomy was performed and "
    "he was treated with tacrolimus after the transplant. Evolution was favourable and he was discharged."
)

# The same story as an office visit note, dictated, without headings: the encounter rules apply.
DICTATED_VISIT = (
    "This is a dictated note for a follow-up visit, period. Patient is a 62-year-old man who comes in today "
    "with fever and vomiting for three days, period. He has abdominal pain in the right lower quadrant, period. "
    "CT today is consistent with acute appendicitis, period. Plan, surgical referral today and we will follow up "
    "in one week, period."
)


def _dx(text: str) -> dict[str, CodeSuggestion]:
    return {s.code: s for s in run([NoteInput("n1", text)]).suggestions if s.category == "diagnosis"}


def test_a_case_report_is_told_from_a_dictated_visit_note() -> None:
    assert is_case_report(CASE_REPORT, split(CASE_REPORT))
    assert not is_case_report(DICTATED_VISIT, split(DICTATED_VISIT))
    with_headings = "HPI: The patient presented with fever. CT showed appendicitis.\nASSESSMENT: Appendicitis."
    assert not is_case_report(with_headings, split(with_headings))


def test_a_case_report_codes_the_symptoms_beside_the_diagnosis_with_their_words() -> None:
    dx = _dx(CASE_REPORT)
    assert "K35.80" in dx or any(c.startswith("K35") for c in dx)
    assert dx["R50.9"].evidence[0].text == "fever"
    assert dx["R11.10"].evidence[0].text == "vomiting"


def test_a_visit_note_leaves_the_symptoms_of_its_diagnosis_out() -> None:
    dx = _dx(DICTATED_VISIT)
    assert any(c.startswith("K35") for c in dx)
    assert "R50.9" not in dx and "R11.10" not in dx


def test_a_case_report_codes_general_findings_to_the_index_nos_code() -> None:
    dx = _dx(CASE_REPORT)
    assert dx["I96"].evidence[0].text == "necrosis"        # Necrosis - see Gangrene: I96
    report = ("A 30-year-old woman came to our emergency department after a trauma to the thigh. "
              "Ultrasound showed a hematoma. The disease progressed and she was admitted.")
    dx = _dx(report)
    assert dx["T14.90XA"].evidence[0].text == "trauma"
    assert dx["T14.8XXA"].evidence[0].text == "hematoma"
    assert dx["R69"].evidence[0].text == "disease"


def test_a_case_report_gets_no_long_term_drug_status_code() -> None:
    assert not any(c.startswith("Z79") for c in _dx(CASE_REPORT))


def test_a_case_report_still_leaves_negated_family_and_history_findings_uncoded() -> None:
    report = ("A 45-year-old man was admitted to our hospital with hematuria of two weeks of evolution. "
              "He presented no fever and no trauma. His mother had a hematoma of the liver. "
              "Cystoscopy showed a bladder tumor, which was resected, and he was discharged.")
    assert is_case_report(report, split(report))
    dx = _dx(report)
    assert "R31.9" in dx
    assert not {"R50.9", "T14.90XA", "T14.8XXA"} & set(dx)


def test_a_case_report_codes_a_symptom_both_as_first_reported_and_with_its_site() -> None:
    report = ("A 52-year-old woman was admitted to our hospital with abdominal pain of two weeks of evolution. "
              "On examination she presented pain in the right hypochondrium. Ultrasound showed a renal cyst. "
              "She was discharged.")
    dx = _dx(report)
    assert dx["R10.9"].evidence[0].text == "abdominal pain"
    assert dx["R10.11"].evidence[0].text == "pain in the right hypochondrium"


def test_a_case_reports_general_pain_and_bleeding_are_coded_beside_specific_findings() -> None:
    report = ("A 70-year-old man came to our emergency department with macroscopic hematuria. He presented "
              "intense pain and bleeding after the catheter was removed. Cystoscopy showed a bladder tumor.")
    dx = _dx(report)
    assert dx["R31.0"].evidence[0].text == "macroscopic hematuria"
    assert dx["R52"].evidence[0].text == "pain"
    assert dx["R58"].evidence[0].text == "bleeding"


def test_a_visit_note_keeps_only_the_specific_symptom_code() -> None:
    dx = _dx("CC: abdominal pain.\nASSESSMENT AND PLAN:\n1. Abdominal pain, right upper quadrant pain - "
             "ultrasound ordered.\n")
    assert "R10.11" in dx and "R10.9" not in dx


def test_a_case_report_codes_hypertension_beside_its_kidney_disease_without_a_presumed_link() -> None:
    # CodiEsp codes each code from its own mention: I10 with N18.9, not the presumed I12.9.
    report = ("An 82-year-old woman with a history of hypertension, diabetes mellitus and chronic renal failure "
              "was admitted to our hospital with obstructive jaundice. Ultrasound showed a dilated bile duct. "
              "She was discharged after a favourable evolution.")
    assert is_case_report(report, split(report))
    dx = _dx(report)
    assert "I10" in dx and dx["I10"].evidence[0].text.lower() == "hypertension"
    assert not any(c.startswith(("I12", "I13")) for c in dx)


def test_a_case_report_leaves_a_relative_named_after_the_condition_and_a_department_uncoded() -> None:
    report = ("A 57-year-old woman, with the antecedent of a paraganglioma of the carotid body in her sister, "
              "was referred to our service with a cervical mass. She was followed up in the Infectious Diseases "
              "Department. Ultrasound showed a solid lesion and she was operated on.")
    dx = _dx(report)
    assert not any(c.startswith(("D44", "D35", "B99")) for c in dx)
