"""Coding rounds 9 and 10 (issue 14, 2026-12-06): general rules found by reading the errors of the sealed-5 set
(round 9) and the sealed-6 set (round 10), each once its last unseen score was recorded and it was unsealed.
Sentences written for the tests, not copied from those sets."""
from __future__ import annotations

from smartapp.coding.pipeline import run
from smartapp.coding.types import NoteInput


def _codes(text: str, setting: str | None = "office") -> list[str]:
    return [s.code for s in run([NoteInput("n", text)], setting=setting).suggestions]


def _dx(text: str, setting: str | None = "office") -> list[str]:
    return [s.code for s in run([NoteInput("n", text)], setting=setting).suggestions if s.category == "diagnosis"]


def test_a_vaccine_offered_and_declined_is_neither_given_nor_billed() -> None:
    codes = _codes("A: Acute bronchitis.\nP: Supportive care. Offered influenza vaccine today; patient declined.")
    assert "Z23" not in codes and "90471" not in codes


def test_a_vaccine_given_beside_another_declined_is_still_given() -> None:
    codes = _codes("A: Well adult.\nP: Influenza vaccine given today in clinic; Tdap declined.")
    assert "Z23" in codes and "90471" in codes


def test_a_test_named_after_a_disease_is_not_the_disease() -> None:
    codes = _dx("Assessment:\n1. Seropositive rheumatoid arthritis, active.\nPlan:\n- Add adalimumab every 2 weeks "
                "once TB and hepatitis results are back negative; prior authorization submitted.")
    assert not any(c.startswith(("B1", "K75", "K73")) for c in codes)


def test_copd_with_emphysema_is_emphysema() -> None:
    codes = _dx("Assessment:\n1. COPD with emphysema, stable on tiotropium.")
    assert "J43.9" in codes and "J44.9" not in codes


def test_hypertension_with_left_ventricular_hypertrophy_is_hypertensive_heart_disease() -> None:
    codes = _dx("A/P: 1. Essential hypertension with left ventricular hypertrophy on echo. Add amlodipine.")
    assert "I11.9" in codes and "I10" not in codes and "I51.7" not in codes


def test_hypertensive_heart_disease_written_with_dz_and_hypertension_beside_it() -> None:
    codes = _dx("A/P: 1. HTN w/ LVH = hypertensive heart dz, no HF. Add losartan.")
    assert codes.count("I11.9") == 1 and "I10" not in codes


def test_type_1_diabetes_with_hypoglycemia_is_one_code() -> None:
    codes = _dx("A/P: 1. Type 1 diabetes, on pump. 2. Recurrent nocturnal hypoglycemia - reduce basal rate.")
    assert "E10.649" in codes and "E16.2" not in codes and "E10.9" not in codes


def test_a_current_stone_with_hydronephrosis_is_one_code_and_no_history_of_stones() -> None:
    codes = _dx("HPI: Right flank pain. Prior kidney stone in 2019 that passed.\n"
                "ASSESSMENT: Obstructing 6 mm right UVJ stone with mild hydronephrosis.", "ED")
    assert "N13.2" in codes and "Z87.442" not in codes and "N20.1" not in codes


def test_a_single_aspirin_dose_is_no_long_term_use() -> None:
    codes = _dx("Assessment:\n1. Transient left arm weakness, resolved. Aspirin 325 mg now; MRI brain; telemetry.",
                "observation")
    assert "Z79.82" not in codes


def test_daily_aspirin_is_still_long_term_use() -> None:
    codes = _dx("Assessment:\n1. Coronary artery disease, stable. Continue aspirin 81 mg once daily.")
    assert "Z79.82" in codes


def test_an_sglt2_inhibitor_without_diabetes_is_no_oral_hypoglycemic_use() -> None:
    codes = _dx("Meds: empagliflozin 10 mg daily, metoprolol.\nAssessment:\n1. Chronic systolic heart failure, "
                "euvolemic. Continue empagliflozin.")
    assert "Z79.84" not in codes


def test_without_written_w_slash_o_negates() -> None:
    codes = _dx("A/P:\n1. T1DM on pump, A1c 7.1.\n2. PDR OU w/o macular edema - stable per retina; cont retina f/u.")
    assert "R60.9" not in codes


def test_call_with_a_symptom_is_a_return_precaution() -> None:
    codes = _dx("Assessment and plan: This is a moderate flare of her ulcerative colitis. Prednisone 40 mg daily. She "
                "will call with fever, more than ten stools a day, or severe pain.")
    assert "R50.9" not in codes


def test_adverse_effect_is_not_anaphylaxis() -> None:
    codes = _dx("A/P: 1. Adverse effect of ibuprofen (NSAID gastropathy); ibuprofen stopped.", "inpatient")
    assert not any(c.startswith("T78.2") for c in codes)


def test_low_back_pain_with_sciatica_is_lumbago_with_sciatica_on_its_side() -> None:
    codes = _dx("A: Acute low back pain with left-sided sciatica, no red flags.")
    assert "M54.42" in codes and not any(c.startswith(("M54.3", "M54.5")) for c in codes)


def test_a_bleeding_duodenal_ulcer_is_one_code_with_hemorrhage() -> None:
    codes = _dx("A/P: 1. Upper GI bleed from a duodenal ulcer, s/p endoscopic clip.", "inpatient")
    assert "K26.4" in codes and "K92.2" not in codes


def test_a_torus_fracture_of_the_distal_radius_has_its_own_code() -> None:
    codes = _dx("DIAGNOSIS: Torus fracture of the distal radius, right, initial encounter.", "ED")
    assert "S52.521A" in codes


def test_age_written_as_age_n_picks_the_preventive_code_for_that_age() -> None:
    note = ("ANNUAL PREVENTIVE VISIT - established patient, age 67, male\nFormer smoker, quit at age 59.\n"
            "Assessment: Routine adult health exam without abnormal findings.")
    assert "99397" in _codes(note)


# --- round 10 (tuned on sealed-6): vaccine products, tests named after a disease, drug-induced hypotension ---

def _procs(text: str, setting: str | None = "office") -> list[str]:
    return [s.code for s in run([NoteInput("n", text)], setting=setting).suggestions if s.category == "procedure"]


def test_a_vaccine_given_carries_its_product_code() -> None:
    codes = _procs("A/P: 1. Encounter for immunization.\nPlan: Shingrix dose 1, 0.5 mL IM left deltoid, given today.")
    assert "90471" in codes and "90750" in codes


def test_two_vaccines_need_the_additional_administration_code() -> None:
    codes = _procs("Reason for visit: vaccines.\n\nAssessment: Encounter for immunization.\nAdministered today:\n"
                   "- Influenza vaccine, high-dose (Fluzone High-Dose), 0.5 mL IM, left deltoid.\n"
                   "- RSV vaccine (Arexvy) 0.5 mL IM, right deltoid.")
    assert {"90471", "90472", "90662", "90679"} <= set(codes)


def test_a_vaccine_given_earlier_is_not_today_s_product() -> None:
    codes = _procs("Vaccines: PCV20 (Prevnar 20) 0.5 mL IM L deltoid given today. Shingrix done 2023. Flu already "
                   "given this season at a pharmacy.")
    assert "90677" in codes and "90750" not in codes and "90656" not in codes


def test_a_combination_vaccine_is_one_product_not_its_parts() -> None:
    codes = _procs("Vaccines today: DTaP-IPV (Kinrix) 0.5 mL IM left deltoid; MMRV (ProQuad) 0.5 mL subcutaneous "
                   "right arm.")
    assert {"90696", "90710"} <= set(codes) and "90713" not in codes and "90716" not in codes


def test_a_child_s_vaccines_counselled_on_use_the_counselling_codes() -> None:
    codes = _procs("Immunizations: counseled parents on each vaccine and reviewed the VIS. Administered today: MMR "
                   "(subcutaneous, right thigh), varicella (subcutaneous, left thigh).")
    assert {"90460", "90461", "90707", "90716"} <= set(codes) and "90471" not in codes


def test_hepatitis_b_non_immune_is_no_hepatitis() -> None:
    codes = _dx("A/P: 3. Hepatitis B non-immune - second dose of Heplisav-B given today, 0.5 mL IM left deltoid.")
    assert not any(c.startswith(("B1", "K75")) for c in codes)


def test_influenza_and_rsv_vaccines_are_no_influenza() -> None:
    assert "J11.1" not in _dx("Reason for visit: influenza and RSV vaccines.\nPre-vaccination screening: feels well "
                              "today, no fever.")


def test_hypotension_due_to_a_drug() -> None:
    codes = _dx("Assessment:\n1. Orthostatic hypotension due to lisinopril-hydrochlorothiazide, resolved with fluids.",
                "observation")
    assert "I95.2" in codes and "I95.1" not in codes


def test_late_onset_alzheimer_s_and_a_one_sided_hearing_loss() -> None:
    assert "G30.1" in _dx("A/P: 1. Alzheimer's dementia, late onset, moderate.")
    assert "H90.42" in _dx("Impression: Sensorineural hearing loss, left ear, with normal hearing on the right.")


def test_threatened_miscarriage_and_its_precautions() -> None:
    codes = _dx("Assessment: Threatened miscarriage at 9 weeks.\nMiscarriage precautions given.", "ED")
    assert "O20.0" in codes and "O03.9" not in codes


def test_side_effects_possible_after_a_vaccine_are_not_symptoms() -> None:
    codes = _dx("A: Encounter for immunization.\nEducation: sore arm or low-grade fever possible for 1-2 days.")
    assert "R50.9" not in codes


# --- round 11 (tuned on sealed-7) ---

def test_respiratory_failure_with_its_gas() -> None:
    assert "J96.11" in _dx("A/P: 2. Chronic hypoxemic respiratory failure - continues on home oxygen 2 L.")
    assert "J96.21" in _dx("Assessment:\n1. Acute on chronic hypoxic respiratory failure, on BiPAP.", "inpatient")


def test_acute_cystitis_written_w_slash_o_hematuria() -> None:
    codes = _dx("A/P: 1. Acute cystitis w/o hematuria - nitrofurantoin 100 mg BID x5d.")
    assert "N30.00" in codes and "N30.01" not in codes


def test_hypothyroidism_and_hypoparathyroidism_after_thyroid_surgery() -> None:
    codes = _dx("A/P:\n1. Postsurgical hypothyroidism - levothyroxine 112 mcg.\n2. Postsurgical hypoparathyroidism - "
                "calcium at goal, continue calcitriol.")
    assert {"E89.0", "E89.2"} <= set(codes) and "E03.9" not in codes and "E20.9" not in codes


def test_influenza_with_its_type_is_identified_influenza() -> None:
    codes = _dx("Assessment: Influenza A with upper respiratory symptoms; oseltamivir started.", "ED")
    assert "J10.1" in codes and not any(c.startswith("J11") for c in codes)


def test_allergic_rhinitis_with_its_pollen() -> None:
    assert "J30.1" in _dx("A/P: 2. Seasonal allergic rhinitis (ragweed), on cetirizine.")
    assert "J30.1" in _dx("A/P: 4. Allergic rhinitis due to tree and grass pollen.")


def test_history_of_melanoma_in_situ() -> None:
    assert "Z86.006" in _dx("A/P: 1. Actinic keratoses. History of melanoma in situ of the back, excised 2019.")


def test_pads_and_return_precautions_are_not_diagnoses() -> None:
    codes = _dx("HPI: heavy menses, changing a tampon plus pad every 1-2 hours.\nA/P: 1. Heavy menstrual bleeding.\n"
                "- Return sooner for soaking >1 pad/hour, numbness or chest pain.")
    assert "I73.9" not in codes and "R20.0" not in codes and "N92.0" in codes


def test_birth_hospital_doses_and_a_numbered_dose_are_not_today_s() -> None:
    codes = _codes("HPI: 10-day-old; hepatitis B vaccine and vitamin K given in hospital.\nA/P: 1. Well newborn.\n"
                   "- Hepatitis B #2 at 1-2 months.")
    assert "Z23" not in codes and "90471" not in codes and not any(c.startswith("B1") for c in codes)
