"""Names and places before external engines (issue 14 item 7): facility names, clinicians named in
running text and the patient's name in an uploaded document's header are redacted, clinical words
(eponyms, brand names, departments) survive. Measured on tests/data/phi (tune part) as
scripts/eval_phi.py prints it, plus the behaviours a reader of the redacted text would notice."""
from __future__ import annotations

import re

import pytest

from scripts.eval_phi import measure_people
from smartapp.coding.phi import redact
from smartapp.coding.phi_names import known_names
from smartapp.coding.types import Demographics


def test_tune_part_every_kind_on_both_paths_is_redacted_and_no_clinical_word_is() -> None:
    result = measure_people("tune")
    assert set(result["by_kind"]) == {f"{p} {k}" for p in ("ehr", "upload") for k in ("CLINICIAN", "FACILITY",
                                                                                       "PATIENT")}
    for kind, row in result["by_kind"].items():
        assert row["items"] >= 150, kind
        assert row["rate"] >= 0.99, (kind, row, result["missed"][:5])
    assert result["by_kind"]["upload PATIENT"]["rate"] == 1.0       # the patient's own name: all of them
    assert result["clinical"]["words"] >= 5000
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("sentence, name", [
    ("Maria Gonzalez from cardiology called about the echo.", "Maria Gonzalez"),
    ("Referring: Whitfield, James", "Whitfield, James"),
    ("Discussed with Oluwaseun Adeyemi (nephrology), who agrees.", "Oluwaseun Adeyemi"),
    ("Per Rose Hill's note, the swelling has improved.", "Rose Hill"),
    ("Her PCP is Priyanka Raghunathan.", "Priyanka Raghunathan"),
    ("Supervising physician Sung-min Park saw the patient with me.", "Sung-min Park"),
    ("Consult placed to Siobhan O'Donnell in GI.", "Siobhan O'Donnell"),
])
def test_clinicians_in_running_text_are_redacted(sentence: str, name: str) -> None:
    red = redact(sentence)
    for part in name.replace(",", "").split():
        assert part not in red.text, (part, red.text)
    assert "[NAME]" in red.text


def test_a_name_wrapped_onto_the_next_line_is_redacted() -> None:
    text = ("The patient has chronic kidney disease stage 3 and sees nephrology. Her nephrologist, Rohan\n"
            "Castellanos, recommends continuing lisinopril.")
    red = redact(text).text
    assert "Rohan" not in red and "Castellanos" not in red and "lisinopril" in red


@pytest.mark.parametrize("facility", [
    "Riverside University Medical Center", "St. Agnes Hospital", "Lakeview Family Clinic", "Mayo Clinic",
    "Children's Hospital of Philadelphia", "Our Lady of Lourdes Hospital", "Silver Lake Endoscopy Center",
    "Valley View Rehabilitation Hospital", "University of Michigan Health System", "Mercy General Hospital",
])
def test_facility_names_are_redacted(facility: str) -> None:
    red = redact(f"She was admitted to {facility} last spring for pneumonia.").text
    assert red == "She was admitted to [FACILITY] last spring for pneumonia.", red


def test_generic_places_and_clinical_words_survive() -> None:
    text = ("Seen in the Emergency Department, then referred to the Cancer Center and the Physical Therapy Clinic. "
            "Bell's palsy resolved; Parkinson's disease is stable on carbidopa-levodopa. Positive McMurray test; "
            "Lachman negative. Continue Eliquis 5 mg and Lipitor 40 mg. Ziehl Neelsen stain negative. "
            "Crohn's disease flare, on Humira. Graves disease on methimazole.")
    assert redact(text).text == text


def test_an_eponym_stays_when_a_clinician_of_that_name_is_redacted() -> None:
    red = redact("Grant Wells from pulmonary called. Wells score low; D-dimer negative. Wells agrees.").text
    assert "Grant" not in red and "Wells agrees" not in red
    assert "Wells score low" in red


def test_upload_header_names_the_patient_everywhere_in_the_document() -> None:
    text = ("GONZALEZ, MARIA | MRN 4471023 | DOB 3/9/1961\n\nHPI: Maria reports less pain. Ms. Gonzalez walks "
            "daily.\n\nPage 2 of 2    GONZALEZ, MARIA    MRN 4471023\nPlan: continue meloxicam.")
    red = redact(text).text
    assert "GONZALEZ" not in red and "Maria" not in red and "Gonzalez" not in red, red
    assert "continue meloxicam" in red and "reports less pain" in red


@pytest.mark.parametrize("header", [
    "PEREZ, ANDREW | MRN 1234567 | DOB 12/21/1996",
    "Name: PEREZ, ANDREW   DOB: 12/21/1996   Sex: M",
    "Andrew Perez (MRN 1234567)",
    "RE: Andrew Perez, DOB 12/21/1996",
    "Patient: Perez, Andrew   MRN 1234567",
])
def test_header_line_forms(header: str) -> None:
    red = redact(f"{header}\n\nAndrew has a cough.").text
    assert "andrew" not in red.lower() and "perez" not in red.lower(), red
    assert "has a cough" in red


def test_chief_complaint_heading_is_not_a_header_name() -> None:
    text = "CHIEF COMPLAINT\n\nChest pain. The chief complaint is chest pain."
    assert redact(text).text == text


def test_a_short_header_name_is_not_redacted_inside_words() -> None:
    # Bug: the whole-name deny pattern had no word boundaries, so "Vo" went out of "levodopa".
    red = redact("VO, LINH | MRN 1234567\n\nStable on carbidopa-levodopa.").text
    assert "carbidopa-levodopa" in red and "VO" not in red and "LINH" not in red


def test_known_names_from_upload_metadata_drop_titles_and_credentials() -> None:
    assert known_names("Dr. Maria Gonzalez, MD", None, "GRANT WELLS, NP") == ("Maria Gonzalez", "GRANT WELLS")
    red = redact("Seen by MD today. Gonzalez agrees. Dr visit.", Demographics(names=known_names("Dr. Maria Gonzalez")))
    assert red.text == "Seen by MD today. [NAME] agrees. Dr visit."


@pytest.mark.parametrize("text, kept", [
    ("Discussed with Maria T. Gonzalez from GI.", "Discussed with [NAME] from GI."),
    ("Signed: MARIA GONZALEZ, MD", "Signed: [NAME], MD"),
    ("Per DR. PRIYA IYER, start HCTZ.", "Per DR. [NAME], start HCTZ."),
    ("de Vries, Pieter - pulm - recommends MRI.", "[NAME] - pulm - recommends MRI."),
    ("Records from MGH and an MRI at Kaiser were reviewed.",
     "Records from [FACILITY] and an MRI at [FACILITY] were reviewed."),
    ("Discharged from Jackson Memorial Hospital on apixaban.", "Discharged from [FACILITY] on apixaban."),
])
def test_more_forms_of_names_and_places(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize("text", [
    "CT shows a Le Fort II fracture.", "ECG, MD aware. CBC, BMP, PT, INR ordered.",
    "HIV AND HCV NEGATIVE, MD TO FOLLOW",
    "Seen at the Peritoneal Dialysis Unit.",
])
def test_clinical_text_that_looks_like_names_or_places_survives(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize("text, kept", [
    ("Spoke to Matthew in sleep medicine; O'Neill agrees with holding the statin.",
     "Spoke to [NAME] in sleep medicine; [NAME] agrees with holding the statin."),
    ("de la Cruz from sleep medicine recommends holding the anticoagulant.",
     "[NAME] from sleep medicine recommends holding the anticoagulant."),
    ("Co-managed with Fox, Sarah (hospital medicine).", "Co-managed with [NAME] (hospital medicine)."),
    ("Her cardiologist (Parisa Tehrani) increased the diuretic.",
     "Her cardiologist ([NAME]) increased the diuretic."),
    ("Patient asked that results also go to Will Ramos.", "Patient asked that results also go to [NAME]."),
    ("Chukwuemeka Eze-Obi and I discussed the imaging.", "[NAME] and I discussed the imaging."),
    ("Outside imaging (Memorial Hermann) showed an effusion.", "Outside imaging ([FACILITY]) showed an effusion."),
    ("Bon Secours St. Francis faxed the report.", "[FACILITY] faxed the report."),
    ("Currently resides at Penrose-St. Francis Health Services.", "Currently resides at [FACILITY]."),
    ("Seen at St. Agnes Emergency Department.", "Seen at [FACILITY] Emergency Department."),
])
def test_names_alone_in_brackets_and_facilities_without_a_facility_word(text: str, kept: str) -> None:
    assert redact(text).text == kept


def test_a_middle_initial_in_the_header_still_names_the_patient() -> None:
    red = redact("Stanislaw L. Wojcik | M | 83y\n\nStanislaw is well.").text
    assert "Stanislaw" not in red and "Wojcik" not in red and "is well" in red


@pytest.mark.parametrize("text", [
    "Will continue lisinopril. May return in 2 weeks.", "Mom agrees. Everyone agrees. Metformin recommended.",
    "Pain in ED. Kidney from transplant. Refill of Lipitor from cardiology.", "Continue St. John's wort daily.",
    "Treated with CHOP and rituximab.", "Teacher Vanderbilt rating scales reviewed.",
    "Essential hypertension.", "Average pain 2/10. Referred to Physical Therapy and Women's Care.",
    "Admitted to the Neonatal Intensive Care Unit.",
])
def test_words_that_only_look_like_those_names_survive(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize("part, floor", [("heldout", 0.99), ("heldout2", 0.97)])
def test_parts_scored_once_stay_where_the_fixes_after_them_brought_them(part: str, floor: float) -> None:
    # Both parts were first scored as held-out (docs/phi-scores.md has those first scores); the rules
    # were changed after their misses, so these floors guard against regressions, not generalisation.
    result = measure_people(part)
    for kind, row in result["by_kind"].items():
        assert row["rate"] >= (1.0 if kind.endswith("PATIENT") else floor), (kind, row, result["missed"][:5])
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("header, body", [
    ("Novak, Tomas #3730804", "Tomas was seen. Pt Novak arrived."),
    ("SLOANE, HARRIET   Encounter 7501884", "Harriet is well."),
    ("Lozano, Yesenia [63 M]", "Yesenia walks daily."),
])
def test_header_lines_with_other_markers(header: str, body: str) -> None:
    red = redact(f"{header}\n\n{body}").text
    for name in re.findall(r"[A-Za-z]{4,}", header):
        if name.lower() not in ("encounter",):
            assert name.lower() not in red.lower(), (name, red)


@pytest.mark.parametrize("text, kept", [
    ("Chaplain Grace Lee visited with the family.", "Chaplain [NAME] visited with the family."),
    ("Covering: Oyelaran Adebayo-Smith", "Covering: [NAME]"),
    ("Jung (case management) will see her tomorrow. Lasix (furosemide) was stopped.",
     "[NAME] (case management) will see her tomorrow. Lasix (furosemide) was stopped."),
    ("Pt was seen in the Hartford HealthCare ED last night.", "Pt was seen in the [FACILITY] ED last night."),
    ("Outside hospital: The Villages Regional Hospital", "Outside hospital: [FACILITY]"),
    ("Works as a nurse at W.W. Hastings Hospital.", "Works as a nurse at [FACILITY]."),
    ("Home health arranged via Hazelden Betty Ford.", "Home health arranged via [FACILITY]."),
])
def test_role_words_brackets_and_more_facility_forms(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize("text", [
    "Austin Flint murmur heard at the apex.", "Smith fracture of the wrist.",
    "Met the American College of Rheumatology criteria.", "Jaundice, Caucasian, first daughter of young parents.",
    "Progress Note\n\nDischarge Summary",
])
def test_eponyms_criteria_and_first_lines_that_are_not_names_survive(text: str) -> None:
    assert redact(text).text == text


def test_third_held_out_part_after_its_fixes() -> None:
    result = measure_people("heldout3")
    for kind, row in result["by_kind"].items():
        assert row["rate"] >= (1.0 if kind.endswith("PATIENT") else 0.95), (kind, row, result["missed"][:5])
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("text, kept", [
    ("Dear Mikhail Sokolov,", "Dear [NAME],"),
    ("RN Sokolov notified the on-call provider. MD aware. PT evaluation.",
     "RN [NAME] notified the on-call provider. MD aware. PT evaluation."),
    ("Consulted ortho (Ifeanyi Okoro), who recommends an MRI.", "Consulted ortho ([NAME]), who recommends an MRI."),
    ("Hi, this is June Howell from ortho. In June we started metformin.",
     "Hi, this is [NAME] from ortho. In June we started metformin."),
    ("Per my discussion with Okonjo in oncology, we will hold the heparin.",
     "Per my discussion with [NAME] in oncology, we will hold the heparin."),
    ("Brought in by EMS from Northwest Kidney Centers.", "Brought in by EMS from [FACILITY]."),
    ("Started on insulin in cardiology. Continue with Lasix in the morning.",
     "Started on insulin in cardiology. Continue with Lasix in the morning."),
])
def test_letters_credentials_and_services_in_brackets(text: str, kept: str) -> None:
    assert redact(text).text == kept


def test_header_with_age_in_years_names_the_patient() -> None:
    red = redact("Kofi Annan-Boateng  |  80 yo F  |  MRN 8050445\n\nKofi presents with her mother.").text
    assert "Kofi" not in red and "Annan" not in red and "presents with her mother" in red


def test_fourth_held_out_part_after_its_fixes() -> None:
    result = measure_people("heldout4")
    for kind, row in result["by_kind"].items():
        assert row["rate"] >= (1.0 if kind.endswith("PATIENT") else 0.97), (kind, row, result["missed"][:5])
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("text, kept", [
    ("Note routed to Mejia, Efrain for co-signature.", "Note routed to [NAME] for co-signature."),
    ("Her mother would like Faith Winters to be updated.", "Her mother would like [NAME] to be updated."),
    ("This is Dawn Rivers dictating a consult note.", "This is [NAME] dictating a consult note."),
    ("I am covering for Art Chambers today.", "I am covering for [NAME] today."),
    ("Reviewed with Winters (IR) at the bedside. Aspirin (ASA) daily.",
     "Reviewed with [NAME] (IR) at the bedside. Aspirin (ASA) daily."),
    ("FAX FROM: outpatient clinic   RE: GOWAN, ELSPETH\n\nElspeth asked questions.",
     "FAX FROM: outpatient clinic   RE: [NAME], [NAME]\n\n[NAME] asked questions."),
    ("Per St. Vincent's East records, last colonoscopy 2019.", "Per [FACILITY] records, last colonoscopy 2019."),
    ("I would like Physical Therapy to be involved.", "I would like Physical Therapy to be involved."),
])
def test_dictation_routing_and_fax_header_forms(text: str, kept: str) -> None:
    assert redact(text).text == kept


def test_fifth_held_out_part_after_its_fixes() -> None:
    result = measure_people("heldout5")
    for kind, row in result["by_kind"].items():
        assert row["rate"] >= (1.0 if kind.endswith("PATIENT") else 0.98), (kind, row, result["missed"][:5])
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("text, kept", [
    ("The patient prefers that Imogen Thorne manage her diabetes.",
     "The patient prefers that [NAME] manage her diabetes."),
    ("Moradi in pulmonology wants a repeat CBC. Pain in left knee wants ice.",
     "[NAME] in pulmonology wants a repeat CBC. Pain in left knee wants ice."),
    ("Outpatient the wound team: Berg, Stellan", "Outpatient the wound team: [NAME]"),
    ("Rehab at Union Hospital of Cecil County.", "Rehab at [FACILITY]."),
    ("Hospital course: stable. Hospital of the future.", "Hospital course: stable. Hospital of the future."),
])
def test_care_team_and_handoff_forms(text: str, kept: str) -> None:
    assert redact(text).text == kept


def test_sixth_held_out_part_after_its_fixes() -> None:
    result = measure_people("heldout6")
    for kind, row in result["by_kind"].items():
        assert row["rate"] >= (1.0 if kind.endswith("PATIENT") else 0.93), (kind, row, result["missed"][:5])
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("text, kept", [
    # Two name-like words with no cue at all, and everyday-word names mid-sentence.
    ("The patient prefers that Tupac Quispe manage her diabetes.",
     "The patient prefers that [NAME] manage her diabetes."),
    ("Her daughter wants Grant Fields to stay her doctor.", "Her daughter wants [NAME] to stay her doctor."),
    # A family name alone, by what the person does or what is done to a person.
    ("Kowalczyk will call the family tonight.", "[NAME] will call the family tonight."),
    ("Results forwarded to Ndlovu for review.", "Results forwarded to [NAME] for review."),
    ("Plan reviewed with Ellery; Thorne's note is in the chart.",
     "Plan reviewed with [NAME]; [NAME]'s note is in the chart."),
    ("FROM: Kariuki, Jomo MD   TO: cardiology", "FROM: [NAME] MD   TO: cardiology"),
    # Clinical words next to all that survive.
    ("Marcus Gunn pupil on the left; Miller Fisher variant considered.",
     "Marcus Gunn pupil on the left; Miller Fisher variant considered."),
    ("Positive Romberg, Lachman negative, Epley maneuver performed.",
     "Positive Romberg, Lachman negative, Epley maneuver performed."),
    ("Continue Eliquis and Jardiance; start Trelegy Ellipta and prednisone.",
     "Continue Eliquis and Jardiance; start Trelegy Ellipta and prednisone."),
    ("Culture grew Neisseria Gonorrhoeae on Columbia Agar.", "Culture grew Neisseria Gonorrhoeae on Columbia Agar."),
    ("Sister Mary Joseph nodule on exam.", "Sister Mary Joseph nodule on exam."),
])
def test_names_without_a_cue_and_clinical_words_beside_them(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize("text, kept", [
    ("PCP office: Deaconess Gateway", "PCP office: [FACILITY]"),
    ("Immunizations: see Hospital for Special Surgery records.", "Immunizations: see [FACILITY] records."),
    ("Works as a nurse at Nemours.", "Works as a nurse at [FACILITY]."),
    ("Mammogram scheduled at MetroHealth next month.", "Mammogram scheduled at [FACILITY] next month."),
    ("Outside imaging (Baystate Franklin) showed a small effusion.",
     "Outside imaging ([FACILITY]) showed a small effusion."),
    ("Lives at Zion Lutheran Home; staff report poor intake.", "Lives at [FACILITY]; staff report poor intake."),
    ("Nemours discharge summary reviewed.", "[FACILITY] discharge summary reviewed."),
    # Departments, studies and organisations of clinical words stay.
    ("In office: Albuterol nebulizer given. Funduscopic imaging was normal.",
     "In office: Albuterol nebulizer given. Funduscopic imaging was normal."),
])
def test_facilities_by_where_they_stand(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize("header, body", [
    ("Visit note   Pt: QUISPE MAMANI, ROSA   Rm 12", "Rosa says the cough is better."),
    ("Clinic letter | ANAYA, TEODORO | 71 yo", "Teodoro walks daily."),
    ("Progress note for Ngozi Eze (DOB 3/4/1950)", "Ngozi reports less pain."),
])
def test_patient_named_anywhere_on_a_header_line_is_redacted_in_the_body(header: str, body: str) -> None:
    red = redact(f"{header}\n\n{body}\nLabs: LFTs, CBC normal.").text
    first = body.split()[0]
    assert first not in red and "LFTs, CBC normal" in red, red


@pytest.mark.parametrize("text, kept", [
    # one name, one placeholder since round 26 ("Role: Last, First" before a wide gap is read as one person)
    ("RESIDENT: ARRUDA, PRISCILA    ROOM 112-B\n\nPriscila ate half of lunch.",
     "RESIDENT: [NAME]    ROOM 112-B\n\n[NAME] ate half of lunch."),
    ("Patient TIBERIUS MWANGI DOB: 3/22/1968\n\nTiberius is asleep.",
     "Patient [NAME] DOB: [DATE]\n\n[NAME] is asleep."),
    ("Co-signed: Ogunleye, Oluwadamilare (GI)", "Co-signed: [NAME] (GI)"),
    ("Hope Sterling kindly saw the patient.", "[NAME] kindly saw the patient."),
    ("Poison control (Ivy Marsh) recommends observation.", "Poison control ([NAME]) recommends observation."),
    ("Yale New Haven ED visit last week.", "[FACILITY] ED visit last week."),
    ("Discharged back to Arbor Glen Skilled Nursing with home PT.", "Discharged back to [FACILITY] with home PT."),
    ("Treated with Amoxicillin-Clavulanico; history of Crohn's disease.",
     "Treated with Amoxicillin-Clavulanico; history of Crohn's disease."),
])
def test_forms_missed_by_held_out_7_and_8(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize("part", ["heldout7", "heldout8"])
def test_held_out_7_and_8_after_their_fixes(part: str) -> None:
    # Scored once when written (first scores in docs/phi-scores.md), then the rules were changed after
    # their misses: a floor against regressions, not a measure of generalisation.
    result = measure_people(part)
    for kind, row in result["by_kind"].items():
        assert row["rate"] >= (0.99 if kind.endswith("PATIENT") else 0.92), (kind, row, result["missed"][:5])
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("text, kept", [
    ("Transfer summary for TSHIBANGU MARCELLINE\n\nMarcelline is coping well.",
     "Transfer summary for [NAME]\n\n[NAME] is coping well."),
    ("Oncologist of record: Finch", "Oncologist of record: [NAME]"),
    ("Reviewed the radiographs with Ashby from hand therapy today.",
     "Reviewed the radiographs with [NAME] from hand therapy today."),
    ("Her last visual field (Overlake, 2024) was stable.", "Her last visual field ([FACILITY], 2024) was stable."),
    ("Dialysis unit: Abbott Northwestern (TTS chair time 0600).", "Dialysis unit: [FACILITY] (TTS chair time 0600)."),
    ("CHIEF COMPLAINT\n\nKnee pain. Treated with Amikacin from day 3.",
     "CHIEF COMPLAINT\n\nKnee pain. Treated with Amikacin from day 3."),
])
def test_forms_missed_by_held_out_9_and_10(text: str, kept: str) -> None:
    assert redact(text).text == kept


def _measure_at_least(part: str, floors: dict[str, float]) -> dict:
    """Score a part and assert every kind on both paths at or above its floor; returns the result. One path per base
    note (eval_phi.measure_people): these floors guard fixes made after the part's first score, and redacting
    every note twice made them most of the unit tests' time. Floors are the rates on that half."""
    result = measure_people(part, one_path_per_note=True)
    for kind, row in result["by_kind"].items():
        floor = floors.get(kind, floors.get(kind.split()[1]))
        assert row["rate"] >= floor, (kind, row, result["missed"][:5])
    return result


@pytest.mark.parametrize("part", ["heldout11", "heldout12"])
def test_latest_held_out_parts_stay_at_least_at_their_first_scores(part: str) -> None:
    # Written after the rules were frozen at b00e7ca and scored once (docs/phi-scores.md). These floors are
    # those first scores, so a change can only improve them; the EHR path must stay at 100 %.
    result = _measure_at_least(part, {"CLINICIAN": 0.88, "FACILITY": 0.81, "ehr PATIENT": 1.0,
                                      "upload PATIENT": 0.95})
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout13", "heldout14"])
def test_round_five_parts_stay_at_least_at_their_tuned_scores(part: str) -> None:
    # First scored against the round-4 rules (clinicians 94.0 / 97.7 %, facilities 82.6 / 91.7 %, upload
    # patient 95.1 / 96.0 %), then tuned on in round 5 (docs/phi-scores.md). The floors are the round-5
    # scores. The only clinical word still redacted is "Pain" of a CodiEsp clinic's name ("Colombian
    # Institute of Pain"), which is a facility's name and is meant to go.
    result = _measure_at_least(part, {"CLINICIAN": 0.98, "FACILITY": 0.96, "ehr PATIENT": 1.0,
                                      "upload PATIENT": 0.95})
    assert set(result["clinical"]["lost"]) <= {"Pain"}, result["clinical"]["lost"]
    assert result["clinical"]["wrongly_redacted"] <= 2, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout15", "heldout16"])
def test_parts_written_blind_during_round_five_keep_their_first_scores(part: str) -> None:
    # Written during round 5 by someone who never read the rules, scored once after the freeze at d899f6b
    # (docs/phi-scores.md): not tuned on. The floors are those first scores, and the patient's names known
    # from FHIR demographics (the EHR path) must stay at 100 % on text nobody tuned on.
    _measure_at_least(part, {"CLINICIAN": 0.88, "FACILITY": 0.81, "ehr PATIENT": 1.0, "upload PATIENT": 0.80})


@pytest.mark.parametrize("part", [f"heldout{n}" for n in range(17, 45)])
def test_parts_tuned_on_since_round_six_keep_the_patients_names_and_their_tuned_scores(part: str) -> None:
    # Each was scored once blind, then tuned on in the next round: the patient's own names stay at 100 % on both
    # paths, clinicians at 99 % and facilities at their lowest tuned score (90.9 %, part 44, after round 20;
    # docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.99, "FACILITY": 0.90, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout45", "heldout46"])
def test_parts_tuned_on_in_round_21_keep_the_patients_names_and_their_tuned_scores(part: str) -> None:
    # First scored blind against the round-20 rules (facilities 77.3 / 76.5 %, clinicians 99.4 / 88.0 %), then
    # tuned on in round 21: OCR, HL7, chat and bilingual notes, the hardest pair so far (docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.96, "FACILITY": 0.85, "PATIENT": 1.0})


@pytest.mark.parametrize("part", [f"heldout{n}" for n in range(47, 53)])
def test_parts_tuned_on_in_rounds_22_to_24_keep_the_patients_names_and_their_tuned_scores(part: str) -> None:
    # Each pair was scored once blind against the rules of the round before (facilities 92.4 / 96.2, 88.6 / 87.9,
    # 93.2 / 82.6 %), then tuned on: the patient's own names stay at 100 % on both paths, clinicians at 99 % and
    # facilities at their lowest tuned score (90.9 %, part 52, after round 24; docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.99, "FACILITY": 0.90, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout53", "heldout54"])
def test_parts_tuned_on_in_round_25_keep_the_patients_names_and_their_tuned_scores(part: str) -> None:
    # First scored blind against the round-24 rules (facilities 94.7 / 85.6 %, clinicians 100 / 98.3 %), then tuned
    # on in round 25 (organisations known by name and the cues that say one stands there): 131 of 132 on both
    # facility names after it (docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.97, "FACILITY": 0.97, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout55", "heldout56", "heldout57"])
def test_parts_tuned_on_in_round_26_keep_the_patients_names_and_their_tuned_scores(part: str) -> None:
    # First scored blind against the round-25 rules (facilities 88.6 / 97.0 / 66.7 %, clinicians 97.7 / 97.2 / 97.7 %,
    # patient upload 100 / 99.3 / 97.9 %), then tuned on in round 26: 127, 130 and 120 of 132 facility names after
    # it, the patient's names at 100 % on both paths (docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.99, "FACILITY": 0.90, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout58", "heldout59"])
def test_parts_scored_blind_after_round_26_keep_their_scores(part: str) -> None:
    # First scored blind against the round-26 rules (facilities 85.6 / 93.2 %, clinicians 99.6 / 97.8 %, the
    # patient's names 100 % on both paths); the "DR." and "f/u w/" forms were fixed after (round 27), and a few
    # facility forms (round 29: 115 and 128 of 132 after it; docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.97, "FACILITY": 0.86, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout60", "heldout61"])
def test_parts_scored_blind_after_round_29_keep_their_scores(part: str) -> None:
    # First scored blind against the round-29 rules (facilities 97.0 / 87.1 %, clinicians 97.4 / 97.5 %, the
    # patient's names 100 % on both paths), then tuned on in round 30 for one-word clinicians and instruments'
    # eponyms only (clinicians 100 / 98.7 % after it; docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.98, "FACILITY": 0.87, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout62", "heldout63"])
def test_parts_scored_blind_after_round_30_keep_their_first_scores(part: str) -> None:
    # The shipping estimate: first scored blind against the round-30 rules (facilities 96.2 / 94.7 %, clinicians
    # 99.6 / 97.5 %, the patient's names 100 % on the EHR path, 98.0 / 100 % on the upload path); only the
    # "Respondent:" form of part 62's header was fixed after (round 31: its upload path at 100 %). Not tuned on
    # otherwise (docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.97, "FACILITY": 0.94, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout64", "heldout65"])
def test_parts_scored_blind_after_round_32_keep_their_first_scores(part: str) -> None:
    # First scored blind against the round-31 rules with the round-32 tagger (facilities
    # 87.1 / 97.7 %, 81.8 / 93.9 % by the rules alone; clinicians 96.6 / 100 %; the patient's names 100 % on both
    # paths; docs/phi-scores.md); tuned on in round 33.
    _measure_at_least(part, {"CLINICIAN": 0.96, "FACILITY": 0.87, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout66", "heldout67"])
def test_parts_scored_blind_after_round_33_keep_their_first_scores(part: str) -> None:
    # First scored blind against the round-33 rules and tagger (facilities 97.0 / 99.2 %,
    # 92.4 / 86.4 % by the rules alone; clinicians 99.6 / 99.3 %; the patient's names 100 % on both paths;
    # docs/phi-scores.md); tuned on in round 34.
    _measure_at_least(part, {"CLINICIAN": 0.99, "FACILITY": 0.96, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout68", "heldout69"])
def test_parts_scored_blind_after_round_34_keep_their_first_scores(part: str) -> None:
    # First scored blind against the round-34 rules and tagger (facilities 84.1 / 74.2 %, 79.5 / 72.0 % by the rules
    # alone; clinicians 98.7 / 97.0 %; the patient's names 100 % on the EHR path, 100 / 98.6 % on the upload path);
    # tuned on in round 35 (docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.96, "FACILITY": 0.74, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout70", "heldout71"])
def test_parts_scored_blind_after_round_35_keep_their_first_scores(part: str) -> None:
    # First scored blind against the round-35 rules and tagger (facilities 89.4 / 91.7 %, 78.0 / 87.1 % by the rules
    # alone; clinicians 97.8 / 98.3 %; the patient's names 100 % on both paths); tuned on in round 36
    # (docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.97, "FACILITY": 0.89, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout72", "heldout73"])
def test_parts_scored_blind_after_round_36_keep_their_first_scores(part: str) -> None:
    # First scored blind against the round-36 rules and tagger (facilities 75.0 / 84.8 %, 72.0 / 82.6 % by the rules
    # alone; clinicians 96.1 / 99.7 %; the patient's names 100 % on both paths); tuned on in round 37
    # (docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.96, "FACILITY": 0.75, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout74", "heldout75"])
def test_parts_scored_blind_after_round_37_keep_their_first_scores(part: str) -> None:
    # First scored blind against the round-37 rules and tagger (facilities 89.4 / 94.7 %, 78.8 / 92.4 % by the rules
    # alone; clinicians 99.6 / 100 %; the patient's names 100 % on the EHR path, 94.9 / 100 % on the upload path, a
    # guarantor line and a family name that is a month, fixed in round 38); tuned on in round 38 (docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.99, "FACILITY": 0.89, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout76", "heldout77"])
def test_parts_scored_blind_after_round_38_keep_their_first_scores(part: str) -> None:
    # First scored blind against the round-38 rules and tagger (facilities 90.2 / 85.6 %, 86.4 / 76.5 % by the rules
    # alone; clinicians 100 / 99.0 %; the patient's names 100 % on the EHR path, 96.8 / 100 % on the upload path, a
    # "Member:" header and a patient called June, fixed in round 39); tuned on in round 39 (docs/phi-scores.md).
    _measure_at_least(part, {"CLINICIAN": 0.99, "FACILITY": 0.85, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout78", "heldout79"])
def test_parts_scored_blind_after_round_39_keep_their_tuned_scores(part: str) -> None:
    # First scored blind against the round-39 rules and tagger (facilities 84.1 / 96.2 %, 78.8 / 95.5 % by the rules
    # alone; clinicians 98.9 / 99.7 %; the patient's names 100 % on both paths); tuned on in round 40
    # (docs/phi-scores.md). The tagger's retraining in round 42 moved part 78's upload path to 93.9 %.
    _measure_at_least(part, {"CLINICIAN": 0.98, "FACILITY": 0.93, "PATIENT": 1.0})


@pytest.mark.parametrize("part", ["heldout80", "heldout81"])
def test_second_pair_scored_blind_after_round_39_keeps_its_tuned_scores(part: str) -> None:
    # First scored blind against the round-39 rules and tagger (facilities 86.4 / 76.5 %, 84.1 / 66.7 % by the rules
    # alone; clinicians 99.2 / 94.9 %; the patient's names 100 % on both paths; 0 / 10 clinical words); tuned on in
    # round 40 (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.97, "FACILITY": 0.95, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout82", "heldout83"])
def test_parts_scored_blind_after_round_40_keep_their_tuned_scores(part: str) -> None:
    # First scored blind against the round-40 rules and tagger (facilities 87.1 / 87.9 %, 79.5 / 81.8 % by the rules
    # alone; clinicians 96.4 / 96.7 %; the patient's names 100 % on the EHR path, 99.3 / 100 % on the upload path: a
    # given name before "reports" under a header that named only "BABY BOY <FAMILY>"; 120 / 86 clinical words);
    # tuned on in round 41 (docs/phi-scores.md). Part 82 still loses "Kiwi OmniCup", "Medela Symphony", "Anti-Kell".
    result = _measure_at_least(part, {"CLINICIAN": 0.95, "FACILITY": 0.92, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 30, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout84", "heldout85"])
def test_parts_scored_blind_after_round_41_keep_their_tuned_scores(part: str) -> None:
    # First scored blind against the round-41 rules and tagger (facilities 75.8 / 84.9 %, 68.9 / 82.6 % by the rules
    # alone; clinicians 95.9 / 95.2 %; the patient's names 100 % on the EHR path, 100 / 97.3 % on the upload path: a
    # capitals header without a comma over its identifiers; 12 / 59 clinical words); tuned on in round 42
    # (docs/phi-scores.md). Part 85 still loses "Kennedy Class" (a dental classification).
    result = _measure_at_least(part, {"CLINICIAN": 0.96, "FACILITY": 0.84, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 10, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout86", "heldout87"])
def test_parts_scored_blind_after_round_42_keep_their_first_scores(part: str) -> None:
    # First scored blind against the round-42 rules and tagger (facilities 73.5 / 83.3 %, 65.1 / 78.8 % by the rules
    # alone; clinicians 99.6 / 99.2 %; the patient's names 100 % on the EHR path, 98.7 / 99.2 % on the upload path: a
    # guardianship caption and a family name with its particles before the comma, fixed in round 43; 22 / 16 clinical
    # words). Only the patient's header forms were tuned on (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.98, "FACILITY": 0.68, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 12, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout88", "heldout89"])
def test_parts_scored_blind_after_round_44_keep_their_first_scores(part: str) -> None:
    # First scored blind against the round-44 rules and tagger (facilities 82.6 / 86.4 %, 78.8 / 79.5 % by the rules
    # alone; clinicians 99.2 / 99.2 %; the patient's names 100 % on both paths; 0 / 18 clinical words); tuned on in
    # round 45 (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.98, "FACILITY": 0.93, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 10, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout90", "heldout91"])
def test_second_blind_pair_of_round_44_keeps_what_round_45_reached(part: str) -> None:
    # First scored blind against the round-44 rules and tagger (facilities 81.1 / 88.6 %, 75.8 / 85.6 % by the rules
    # alone; clinicians 99.3 / 98.3 %; the patient's names 100 % on the EHR path, 94.0 / 100 % on the upload path:
    # "pt ID'd as RUBY C CASH, 57 M, DOB" and "RE: DARLENE MANY HORSES (DOB"; 6 / 20 clinical words); tuned on in
    # round 45 (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.98, "FACILITY": 0.95, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 5, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout92", "heldout93"])
def test_parts_scored_blind_after_round_45_keep_what_round_47_reached(part: str) -> None:
    # First scored blind against the round-45 rules and tagger (facilities 81.1 / 91.7 %, 78.8 / 84.1 % by the rules
    # alone; clinicians 95.9 / 93.6 %; the patient's names 100 % on the EHR path, 95.9 / 100 % on the upload path:
    # "FAX RE: patient LAST, FIRST / DOB" and "Van Der Merwe, Cornelius  MRN", fixed in round 46; 76 / 36 clinical
    # words); tuned on in round 47 (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.97, "FACILITY": 0.93, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 10, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout94", "heldout95"])
def test_parts_scored_blind_after_round_47_keep_their_first_scores(part: str) -> None:
    # The shipping estimate: first scored blind against the round-47 rules and tagger (facilities 85.6 / 68.2 %, 78.8 /
    # 56.1 % by the rules alone; clinicians 98.4 / 96.5 %; the patient's names 100 % on the EHR path, 100 / 99.3 % on
    # the upload path: "secure chat re pt Hill (6336085)", fixed in round 48; 14 / 24 clinical words). Only the
    # patient's header form, a sender's inbox and clinical words were tuned on (round 48, docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.95, "FACILITY": 0.65, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 5, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout96", "heldout97"])
def test_parts_scored_blind_after_round_48_keep_their_first_scores(part: str) -> None:
    # The shipping estimate: first scored blind against the round-48 rules and tagger (facilities 63.6 / 68.2 %, 48.5 /
    # 63.6 % by the rules alone; clinicians 98.6 / 99.0 %; the patient's names 100 % on the EHR path, 98.7 / 99.3 % on
    # the upload path: "Fax re: patient June Summer, DOB" and "sec chat re Brooks (rm 6), 81 y/o F", fixed in round 49;
    # 12 / 8 clinical words). Only the patient's header forms were tuned on (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.97, "FACILITY": 0.59, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 8, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout98", "heldout99"])
def test_parts_scored_blind_after_round_49_keep_their_scores_after_round_50(part: str) -> None:
    # First scored blind against the round-49 rules and tagger (facilities 98.5 / 94.7 %, 87.9 / 93.9 % by the rules
    # alone; clinicians 91.7 / 96.0 %; the patient's names 100 % on the EHR path, 100 / 99.4 % on the upload path:
    # "patient name Alma Van Der Berg date of birth"; 10 / 18 clinical words). Round 50 was tuned on both parts
    # (OCR'd and dictated text, docs/phi-scores.md): these floors hold what it reached there.
    result = _measure_at_least(part, {"CLINICIAN": 0.99, "FACILITY": 0.98, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 2, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout100", "heldout101"])
def test_parts_scored_blind_after_round_50_keep_their_scores_after_round_51(part: str) -> None:
    # First scored blind against the round-50 rules and tagger (facilities 95.5 / 97.0 %, 93.9 / 91.7 % by the rules
    # alone; clinicians 97.3 / 92.4 %; the patient's names 100 / 98.5 % on the EHR path and 100 / 99.4 % on the upload
    # path, the one miss both times the adjective "small" in a case report whose patient is called Small, kept on
    # purpose; 0 / 32 clinical words). Round 51 was tuned on both parts (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.97, "FACILITY": 0.98, "PATIENT": 0.98})
    assert result["clinical"]["wrongly_redacted"] == 0, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout102", "heldout103"])
def test_parts_scored_blind_after_round_51_keep_their_scores_after_round_52(part: str) -> None:
    # First scored blind against the round-51 rules and the round-50 tagger (facilities 89.4 / 93.2 %, 87.9 / 90.9 %
    # by the rules alone; clinicians 97.5 / 96.1 %; the patient's names 88.5 / 100 % on the EHR path and 90.8 / 98.6 %
    # on the upload path: "mrs Van Dykes family", a possessive typed without its apostrophe, and chat headers by family
    # name; 4 / 52 clinical words). Round 52 was tuned on both parts (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.97, "FACILITY": 0.95, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 4, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout104", "heldout105"])
def test_parts_scored_blind_after_round_52_keep_their_scores_after_round_53(part: str) -> None:
    # First scored blind against the round-52 rules and the round-50 tagger (facilities 97.0 / 97.0 %, 89.4 / 91.7 %
    # by the rules alone; clinicians 91.8 / 95.7 %; the patient's names 100 % on the EHR path and 97.0 / 100 % on the
    # upload path: "TRIAGE NOTE - LAMB SKIP (MRN ...)"; 22 / 10 clinical words). Round 53 was tuned on both parts
    # (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.99, "FACILITY": 0.98, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 2, result["clinical"]["lost"]


@pytest.mark.parametrize("part", ["heldout106", "heldout107"])
def test_parts_scored_blind_against_the_shipping_round_53_keep_their_first_scores(part: str) -> None:
    # The shipping estimate: first scored blind against the round-53 rules and the round-50 tagger (facilities 96.2 /
    # 92.4 %, 93.9 / 90.9 % by the rules alone; clinicians 99.4 / 98.3 %; the patient's names 100 % on both paths;
    # 26 / 22 clinical words: "Vashe", "Mepilex Border", "Trilogy", "MTP", "AeroChamber", "Ramadan"). Not tuned on
    # (docs/phi-scores.md).
    result = _measure_at_least(part, {"CLINICIAN": 0.98, "FACILITY": 0.90, "PATIENT": 1.0})
    assert result["clinical"]["wrongly_redacted"] <= 13, result["clinical"]["lost"]
