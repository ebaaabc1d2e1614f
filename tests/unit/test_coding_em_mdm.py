"""E/M level by the 2021+ (office) and 2023+ (hospital, ED) MDM rules: each element as an auditor
would score it, with the phrase that supports it shown to the coder."""

from __future__ import annotations

from smartapp.coding import em
from smartapp.coding.pipeline import run
from smartapp.coding.sections import split
from smartapp.coding.types import CPT, CodeSuggestion, NoteInput


def _em(text: str, setting: str | None = None) -> CodeSuggestion:
    ems = [s for s in run([NoteInput("n", text)], setting=setting).suggestions
           if s.category == "em" and s.system == CPT]
    assert len(ems) == 1
    return ems[0]


# --- preventive visits: age band from the note, wellness named without a Z00 code ---

def test_preventive_age_written_as_68m_gives_the_65_and_over_code() -> None:
    em = _em("Annual preventive exam, established\n68M here for annual physical. Feels well.\n"
             "Exam: normal.\nAssessment: Routine adult health examination without abnormal findings.")
    assert em.code == "99397"


def test_preventive_age_in_months_gives_the_1_to_4_band() -> None:
    em = _em("WELL CHILD CHECK - 18 MONTHS\nMom brings her for 18 mo WCC. Eating well, walking.\n"
             "Exam: normal.\nAssessment: Well child check, normal growth and development.")
    assert em.code == "99392"


def test_wellness_visit_named_in_the_heading_is_preventive_even_without_a_z00_code() -> None:
    # The E/M step alone, as when the diagnosis step found no Z00.0-/Z00.12- code.
    text = ("WELL ADOLESCENT VISIT - 15 yo M\nNo concerns. Plays basketball.\nExam normal.\n"
            "Immunizations: HPV #2 given today.\nGuidance: sleep, helmets.")
    codes = em.suggest([NoteInput("n", text)], {"n": split(text)}, problems=[])
    assert [c.code for c in codes] == ["99394"]
    assert "WELL ADOLESCENT VISIT" in codes[0].rationale


# --- problems ---

def test_acute_threat_to_life_with_inpatient_admission_is_the_highest_initial_day() -> None:
    em = _em("ADMISSION H&P\n24M with type 1 diabetes, vomiting. Glucose 512, pH 7.12, anion gap 28.\n"
             "Assessment/Plan:\n1. Diabetic ketoacidosis, type 1 diabetes, without coma - insulin infusion per "
             "protocol, IV fluids, potassium replacement.\nInpatient admission.", "inpatient")
    assert em.code == "99223"
    assert "problems: high" in em.rationale and "risk: high" in em.rationale


def test_threat_named_in_the_assessment_counts_even_without_its_code() -> None:
    em = _em("ED PHYSICIAN NOTE\n72M acute aphasia. CT head: no hemorrhage. CTA: M2 occlusion.\n"
             "Impression: Acute ischemic stroke, left MCA territory.\nDispo: Neuro ICU after thrombectomy.", "ED")
    assert em.code == "99285"


def test_the_words_emergency_department_alone_do_not_make_a_problem_severe() -> None:
    em = _em("EMERGENCY DEPARTMENT NOTE\n27F twisted right ankle. Swelling lateral ankle.\n"
             "Dx: Right ankle sprain.\nPlan: RICE, ACE wrap.", "ED")
    assert em.code == "99282"
    assert "problems: high" not in em.rationale


def test_measured_fever_makes_cellulitis_an_acute_illness_with_systemic_symptoms() -> None:
    with_fever = _em("48M with spreading redness of the left leg. T 38.4.\nAssessment: Cellulitis of left lower "
                     "leg.\nPlan: elevate leg.")
    assert "acute illness with systemic symptoms" in with_fever.rationale
    afebrile = _em("48M with spreading redness of the left leg. T 36.9.\nAssessment: Cellulitis of left lower "
                   "leg.\nPlan: elevate leg.")
    assert "systemic" not in afebrile.rationale


def test_diverticulitis_is_an_acute_illness_not_a_stable_chronic_one() -> None:
    em = _em("Follow up.\nAssessment: Acute sigmoid diverticulitis, uncomplicated, improving.\n"
             "Plan: complete antibiotics, advance diet.")
    assert "chronic" not in em.rationale.split("; data")[0]


def test_office_decision_to_send_to_the_ed_makes_the_problem_a_near_term_threat() -> None:
    em = _em("RLQ pain since this morning, rebound tenderness.\nAssessment: right lower quadrant abdominal pain, "
             "concern for appendicitis.\nPlan: Sent directly to the emergency department for CT and surgical "
             "evaluation.")
    assert em.code == "99215"


def test_assessment_without_a_found_code_still_counts_as_a_problem_addressed() -> None:
    em = _em("Itching x3d.\nA: Koebner phenomenon on both forearms.\nP: triamcinolone 0.1% cream bid.")
    assert em.code == "99213"
    assert "diagnosis code was not found" in em.rationale


# --- data ---

def test_a_test_not_done_is_not_counted_but_a_negative_result_is() -> None:
    not_done = _em("Headache after a fall.\nPECARN low risk, no CT. Ottawa negative - no x-ray.\n"
                   "Assessment: scalp contusion.\nPlan: ice.")
    assert "0 unique test(s)" in not_done.rationale
    negative = _em("Dysuria.\nUA neg, urine hCG neg.\nAssessment: dysuria.\nPlan: fluids.")
    assert "2 unique test(s)" in negative.rationale


def test_a_relative_giving_the_history_is_an_independent_historian() -> None:
    em = _em("5yo fell against a table. No LOC, acting normally per mom.\nAssessment: forehead contusion.\n"
             "Plan: ice.")
    assert "data: low" in em.rationale and "per mom" in em.rationale


def test_the_same_study_named_twice_is_one_test() -> None:
    em = _em("Leg swelling.\nVenous duplex ultrasound of the left leg today: no DVT.\n"
             "Assessment: leg swelling.\nPlan: compression stockings.")
    assert "1 unique test(s)" in em.rationale


# --- risk ---

def test_a_drug_only_asked_about_or_conditional_is_not_prescription_management() -> None:
    em = _em("BP recheck.\nAssessment:\n1. Prediabetes - lifestyle. She asked about Ozempic; if she develops "
             "diabetes we can discuss GLP-1.")
    assert "prescription drug management" not in em.rationale


def test_a_drug_written_as_not_used_is_not_prescription_management() -> None:
    em = _em("Burn.\nAssessment: second-degree burn of right palm.\nPlan: silver sulfadiazine not used; "
             "petrolatum and nonadherent dressing.")
    assert "prescription drug management" not in em.rationale
    assert "risk: low" in em.rationale and "petrolatum" in em.rationale


def test_naproxen_for_a_sprain_in_the_ed_is_low_risk_and_low_mdm() -> None:
    em = _em("ED NOTE\n27F inverted R ankle.\nDx: Right ankle sprain.\nPlan: RICE, ACE wrap, naproxen.", "ED")
    assert em.code == "99283"


def test_laceration_repair_is_low_risk_minor_surgery() -> None:
    em = _em("Laceration of forehead, 2 cm.\nProcedure: laceration repair, simple, 3 interrupted sutures.\n"
             "Assessment: forehead laceration.")
    assert "risk: low" in em.rationale


def test_fracture_reduction_is_moderate_risk() -> None:
    em = _em("Fall on outstretched hand.\nXR R wrist: distal radius fracture.\nProcedures: hematoma block, closed "
             "reduction, sugar-tong splint.\nDx: Closed Colles fracture R radius.", "ED")
    assert "risk: moderate" in em.rationale
    assert em.code == "99284"


def test_hospitalization_weighed_with_the_patient_is_high_risk() -> None:
    em = _em("Assessment/Plan:\n1. Diabetic foot ulcer, right forefoot - offloading boot, wound care.\n"
             "Discussed risk of amputation and hospitalization if the ulcer worsens; she prefers outpatient care.")
    assert "risk: high" in em.rationale


def test_plan_written_above_a_dx_line_counts_for_risk() -> None:
    em = _em("Smoking cessation visit\n57M, 1 ppd, wants to quit.\nCounseled on cessation; start varenicline "
             "titration.\nDx: Nicotine dependence, cigarettes, uncomplicated.")
    assert "risk: moderate" in em.rationale and "varenicline" in em.rationale


def test_treatment_line_of_an_ed_note_counts_for_risk() -> None:
    em = _em("ED Physician Note\n19M with hives after peanuts.\nExam: urticarial wheals trunk.\n"
             "Tx: diphenhydramine 50 mg IV, famotidine 20 mg IV.\nDx: Allergic urticaria.", "ED")
    assert "risk: moderate" in em.rationale


# --- hospital days and time ---

def test_progress_note_saying_admitted_for_is_a_subsequent_day() -> None:
    em = _em("Medicine progress note, HD#2\nPt admitted for alcohol withdrawal. Tremor improving.\nA/P:\n"
             "- Alcohol dependence with withdrawal: symptom-triggered lorazepam.", "inpatient")
    assert em.code.startswith("9923")


def test_discharge_time_more_than_30_minutes_is_99239() -> None:
    em = _em("DISCHARGE SUMMARY\nAdmitted: 3 days ago. Discharged: today. Discharge time > 30 minutes.\n"
             "Principal diagnosis: pneumonia.", "inpatient")
    assert em.code == "99239"


def test_total_time_sets_a_hospital_day_level_when_higher_than_mdm() -> None:
    em = _em("Progress note, hospital day 3\nComfortable.\nA/P: pneumonia, improving. Continue current care.\n"
             "Total time on the unit today 55 minutes, including family meeting.", "inpatient")
    assert em.code == "99233"
    assert "total time 55 min" in em.display


def test_office_total_time_45_minutes_established_is_99215() -> None:
    em = _em("Assessment: common cold. Plan: rest.\nTotal time spent on the date of the encounter, including "
             "chart review and counseling: 45 minutes.")
    assert em.code == "99215"


# --- evidence ---

def test_each_element_quotes_its_evidence_phrase() -> None:
    em = _em("Chief complaint: diabetes follow-up.\nAssessment and plan:\n1. Type 2 diabetes mellitus, "
             "uncontrolled - A1c 8.9. Increase metformin to 1000 mg twice daily. Order BMP and urine "
             "microalbumin.\n2. Essential hypertension - stable. Continue lisinopril 10 mg daily.")
    assert em.code == "99214"
    problems, data, risk = em.rationale.split("; data")[0], em.rationale.split("; data")[1], \
        em.rationale.split("risk:")[1]
    assert "“" in problems and "“A1c”" in data and "“metformin”" in risk
    quoted = {e.text for e in em.evidence}
    assert {"A1c", "metformin"} <= quoted


def test_a_drug_given_in_the_office_today_is_prescription_management() -> None:
    em = _em("Follow-up: pernicious anemia\n58F on monthly B12 injections. Hgb 12.9.\nB12 1000 mcg IM given today.\n"
             "Plan: continue monthly injections; CBC in 6 months.")
    assert "risk: moderate" in em.rationale and "B12 1000 mcg IM" in em.rationale


def test_a_threat_to_life_evaluated_and_ruled_out_raises_the_problem_to_moderate() -> None:
    ruled_out = _em("ED Physician Note\n19M hives after peanuts. No lip swelling, no wheeze.\n"
                    "Dx: Allergic urticaria after peanut exposure; no anaphylaxis.\nDispo: home.", "ED")
    assert "problems: moderate" in ruled_out.rationale and "“anaphylaxis”" in ruled_out.rationale
    plain = _em("ED Physician Note\n19M hives after a new soap.\nDx: Allergic urticaria.\nDispo: home.", "ED")
    assert "problems: moderate" not in plain.rationale


def test_a_chronic_problem_is_judged_by_its_assessment_mention_not_its_first() -> None:
    # "A/P" without a colon is no heading: the last mention is where the note concludes.
    em = _em("f/u hypothyroid. levo 75. fatigue, cold intolerance. TSH 8.9 (was 3.1).\n"
             "A/P hypothyroidism, undertreated - levo 88 mcg, TSH 6 wk.")
    assert "not at goal" in em.rationale and "problems: moderate" in em.rationale.lower()
    assert em.code == "99214"
