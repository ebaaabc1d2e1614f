"""PHI redaction round 6 (issue 14 item 7): names in any script, and names found by the form of the text
rather than by their words (form fields, X12 segments, titles, inverted names with an initial, role nouns,
credentials, "per X", initials), facilities in capitals, with "of the", "The ..." and store numbers.
Sentences written for these tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact
from smartapp.coding.phi_fold import fold
from smartapp.coding.types import Demographics


def test_folding_keeps_every_offset() -> None:
    for text in ("Đặng Thị Hương", "Żaneta Wróblewska", "王芳 and 김민준", "Ménière\u2019s", "e\u0301"):
        folded = fold(text)
        assert len(folded) == len(text)
        assert all(ch.isascii() for ch in folded if ch.isalpha())
    assert fold("Şükrü Öztürk") == "Sukru Ozturk"


@pytest.mark.parametrize(("sentence", "names"), [
    ("Genetic counselor Tomasz Wójcik reviewed the pedigree.", ("Tomasz", "Wójcik")),
    ("Interpreted by Nguyễn Thị Mai, MD.", ("Nguyễn", "Thị", "Mai")),
    ("Plan discussed with Dr. Çelik by phone.", ("Çelik",)),
    ("Signed: 李娜 (attending).", ("李娜",)),
])
def test_names_in_letters_outside_latin_1_are_redacted(sentence: str, names: tuple[str, ...]) -> None:
    out = redact(sentence).text
    assert not any(n in out for n in names), out


def test_patient_names_outside_latin_1_on_the_ehr_path() -> None:
    out = redact("Dương reports less pain; Mr. Dương walks daily.", Demographics(names=("Văn Dương",))).text
    assert "Dương" not in out


@pytest.mark.parametrize(("document", "names"), [
    ("Last Name: Okafor   First Name: Chidi   DOB: 4/5/1990\n\nChidi tolerated the cast.", ("Okafor", "Chidi")),
    ("Student name: Rowan Pike | Grade 4\n\nRowan returns to class tomorrow.", ("Rowan", "Pike")),
    ("NM1*IL*1*HALVORSEN*GRETA*M~N3*12 ELM ST~DMG*D8*19610302~\n\nGreta has COPD.", ("HALVORSEN", "GRETA", "Greta",
                                                                                        "ELM", "19610302")),
])
def test_form_fields_and_x12_segments_name_the_patient_for_the_whole_document(document: str,
                                                                              names: tuple[str, ...]) -> None:
    out = redact(document).text
    assert not any(n in out for n in names), out


@pytest.mark.parametrize(("sentence", "names"), [
    ("Court-appointed evaluator: Dr. Cough", ("Cough",)),
    ("Co-signed by Payne, Rose T. (occupational medicine).", ("Payne", "Rose")),
    ("Surgical pathologist: Okonkwo, A. B., MD", ("Okonkwo", "A.")),
    ("Independent examiner Frank Heart finds no ratable impairment.", ("Frank", "Heart")),
    ("Polysomnogram interpreted by Hope Bone, MD.", ("Hope", "Bone")),
    ("Per TJ at the front desk, the forms were faxed.", ("TJ",)),
    ("Grace from patient access called about the referral.", ("Grace",)),
    ("Adjuster R. Venkataraman approved the visit.", ("R.", "Venkataraman")),
    ("Banks saw her on the ward this morning.", ("Banks",)),
])
def test_names_of_everyday_or_clinical_words_are_taken_by_their_place(sentence: str,
                                                                     names: tuple[str, ...]) -> None:
    out = redact(sentence).text
    assert not any(n in out for n in names), out


@pytest.mark.parametrize(("sentence", "facility"), [
    ("Sleep study done at NIGHTHAWK SLEEP LAB in March.", "NIGHTHAWK SLEEP LAB"),
    ("Records requested from Heart Institute of the Ozarks.", "Heart Institute of the Ozarks"),
    ("Claim handled at The Cincinnati after the injury.", "The Cincinnati"),
    ("Brace dispensed at Family Drug #2231 yesterday.", "Family Drug #2231"),
    ("Labs drawn at Quest Patient Service Center CX12 today.", "CX12"),
    ("Biopsy reported by UCD; margins clear.", "UCD"),
])
def test_facilities_known_by_their_form(sentence: str, facility: str) -> None:
    out = redact(sentence).text
    assert not any(w in out for w in facility.split() if w not in ("of", "the")), out


@pytest.mark.parametrize("sentence", [
    "ECG, MD aware. CBC, BMP, PT, INR ordered.",
    "His EKG from the emergency room was normal.",
    "Seen at UCD under local anesthesia: PCR and ELISA negative.",
    "Confirmed by PCR at the reference lab.",
    "Mohs surgery for a basal cell carcinoma; Venofer 200 mg given.",
])
def test_clinical_text_survives_the_round_six_rules(sentence: str) -> None:
    out = redact(sentence).text
    for word in ("ECG", "MD", "EKG", "PCR", "ELISA", "Mohs", "Venofer"):
        if word in sentence:
            assert word in out, out


# Round 7 (after held-out 17 and 18 were scored): campuses and places after a facility, capitalised
# function words inside a name, suffixes of practices, acronyms with "+" or "&", camel-case payers,
# names with suffixes and double initials, "@" before a service, sign-offs, capitals with an apostrophe.
@pytest.mark.parametrize(("sentence", "facility"), [
    ("Films sent to Harbor Imaging – Cedar Hill for a read.", "Harbor Imaging – Cedar Hill"),
    ("Records requested from Prairie Health System in Grand Forks today.", "Prairie Health System in Grand Forks"),
    ("Seen at Heart & Lung Institute at Fair Oaks last month.", "Heart & Lung Institute at Fair Oaks"),
    ("Referred to Therapy Without Borders for vocational rehab.", "Therapy Without Borders"),
    ("Transferred from LAC+USC Medical Center overnight.", "LAC+USC Medical Center"),
    ("Follows with Carter Family Medicine, P.A. for diabetes.", "Carter Family Medicine, P.A."),
    ("Claim denied by UnitedHealthcare last week.", "UnitedHealthcare"),
    ("Cleared by Texas A&M Sports Medicine to return to play.", "A&M"),
    ("Port placed at Women & Infants in June.", "Women & Infants"),
])
def test_round_seven_facility_forms(sentence: str, facility: str) -> None:
    out = redact(sentence).text
    assert not any(w in out for w in facility.replace(",", "").split() if w not in ("&", "–", "in", "at")), out


@pytest.mark.parametrize(("sentence", "names"), [
    ("R. Delano K. Whitcomb IV, MD", ("Delano", "Whitcomb", "IV")),
    ("Examiner: Frost IV, R. Summer K., PsyD", ("Frost", "Summer")),
    ("Reviewer: Banks, Joy P. K., MD", ("Banks", "Joy")),
    ("Signed by: B.J. R. Oyelaran, DO", ("B.J.", "Oyelaran")),
    ("msg from Chip @ urgent care: ok to restart the inhaler", ("Chip",)),
    ("Thanks,\nGrace", ("Grace",)),
    ("Spoke with Will at the front desk about the forms.", ("Will",)),
    ("O'BRIEN, SEAN A  MRN# 2233445\n\nSean feels better.", ("O'BRIEN", "SEAN", "Sean")),
])
def test_round_seven_person_forms(sentence: str, names: tuple[str, ...]) -> None:
    out = redact(sentence).text
    assert not any(n in out for n in names), out


@pytest.mark.parametrize("sentence", [
    "Rehab at Union Hospital of Cecil County.",
    "Switched to Zosyn; Cologuard was negative last year.",
    "Thanks again for the referral.",
])
def test_round_seven_keeps_clinical_and_generic_words(sentence: str) -> None:
    out = redact(sentence).text
    for word in ("Rehab", "Zosyn", "Cologuard", "Thanks", "again"):
        if word in sentence:
            assert word in out, out


# Round 8 (after held-out 19 and 20 were scored): inverted names with a bare initial, a person with a service
# in brackets, facilities in capitals anywhere, a facility's acronym in brackets, a name in brackets with its
# unit, place fields and letterheads.
@pytest.mark.parametrize(("sentence", "names"), [
    ("PCP: Holloway, Chase R", ("Holloway", "Chase")),
    ("Note by Hart, Faith M, NP", ("Hart", "Faith")),
    ("Attending: Okoye III, Emeka C", ("Okoye", "Emeka")),
    ("Please forward to King (internal medicine) for review.", ("King",)),
])
def test_round_eight_person_forms(sentence: str, names: tuple[str, ...]) -> None:
    out = redact(sentence).text
    assert not any(n in out for n in names), out


@pytest.mark.parametrize(("sentence", "facility"), [
    ("Born at ST. AGNES MERCY VALLEY REGIONAL MEDICAL CENTER at 36 weeks.", "AGNES MERCY VALLEY"),
    ("cc: Medical Records, LAKE COUNTRY UNIVERSITY MEDICAL CENTER", "LAKE COUNTRY"),
    ("Stress test done at Cedar Grove Heart Institute (CGHI); report scanned.", "CGHI"),
    ("Observed for 4 hours (Riverbend Family Health ED) after the reaction.", "Riverbend"),
    ("Place of service: Patient First   POS 20", "Patient First"),
    ("Location: Harbor Lights   Chair 4", "Harbor Lights"),
    ("Mt. Olive Post-Acute — Outpatient Pharmacy", "Olive"),
])
def test_round_eight_facility_forms(sentence: str, facility: str) -> None:
    out = redact(sentence).text
    assert not any(w in out for w in facility.split()), out


@pytest.mark.parametrize("sentence", [
    "Physical location: Morbid obesity.",
    "PROGRESS NOTE - INTERNAL MEDICINE",
    "Hepatitis, Type B",
    "Location: Emergency Department",
])
def test_round_eight_keeps_clinical_headings(sentence: str) -> None:
    assert redact(sentence).text == sentence


def test_a_name_suffix_is_not_spread_over_the_document() -> None:
    # A clinician's "III" once made every "class III" in the note a name.
    out = redact("Attending: Pruitt III, Wade H\n\nASA class III; NYHA class III symptoms.").text
    assert "Pruitt" not in out and out.count("III") == 2, out


@pytest.mark.parametrize("heading", ["PROGRESS NOTE - INTERNAL MEDICINE", "TECHNICAL NOTE", "ASSISTANT SURGEON: none"])
def test_headings_in_capitals_keep_their_words(heading: str) -> None:
    # A role word matched inside a longer word ("INTERN" in "INTERNAL") once redacted "AL MEDIC".
    assert redact(heading).text == heading


# Round 9 (after held-out 21 and 22 were scored): scribe statements, "Role: Last, First" lines, a discharge
# disposition as a place field, well-known institutions by their short names, schools and churches, and
# device brands that are no one's name.
@pytest.mark.parametrize(("sentence", "names"), [
    ("I, Hunter Price, am scribing for Dr. Lowe.", ("Hunter", "Price")),
    ("Endoscopist: Banks, Will", ("Banks", "Will")),
])
def test_round_nine_person_forms(sentence: str, names: tuple[str, ...]) -> None:
    out = redact(sentence).text
    assert not any(n in out for n in names), out


@pytest.mark.parametrize(("sentence", "facility"), [
    ("Discharge disposition: MD Anderson.", "Anderson"),
    ("Imaging done at Cedars last spring.", "Cedars"),
    ("Fell at recess at Jefferson Elementary this morning.", "Jefferson"),
    ("He follows with LabCorp for his INR checks.", "LabCorp"),
])
def test_round_nine_facility_forms(sentence: str, facility: str) -> None:
    out = redact(sentence).text
    assert facility not in out, out


@pytest.mark.parametrize("sentence", [
    "Robotic prostatectomy with the da Vinci Xi; ResMed AirSense 11 CPAP at 10 cm.",
    "Western blot confirmed; Exparel infiltrated; Aircast boot applied; Stryker knee implant.",
    "Treated with CHOP and rituximab.",
])
def test_round_nine_keeps_device_brands(sentence: str) -> None:
    assert redact(sentence).text == sentence


# Round 10 (after held-out 23 and 24 were scored): a signature dash, "Per X's <document>", a VA named by its
# place with its acronym in brackets, and instruments named after places.
@pytest.mark.parametrize(("sentence", "names"), [
    ("Results note: TSH normal. Please let her know. -Hope", ("Hope",)),
    ("Per Mercer's last cardiology note, the dose was halved.", ("Mercer",)),
    ("Per Lakeview State University's discharge paperwork, she went home on Lasix.", ("Lakeview", "State")),
    ("Enrolled through VA Sierra Foothills (VASFHCS) in a registry.", ("Sierra", "Foothills", "VASFHCS")),
])
def test_round_ten_forms(sentence: str, names: tuple[str, ...]) -> None:
    out = redact(sentence).text
    assert not any(n in out for n in names), out


@pytest.mark.parametrize("sentence", [
    "Per the patient's report, the pain is better.",
    "Per Bell's palsy protocol, steroids were started.",
    "UroLift discussed; Rinne negative on the left.",
    "Pain 3/10 - Mild",
])
def test_round_ten_keeps_clinical_words(sentence: str) -> None:
    assert redact(sentence).text == sentence


# Round 11 (after held-out 25 and 26 were scored): "w/" for "with", a name and a date in brackets, inverted
# names whose first name is also an eponym, "@" as a place preposition, a campus after a slash or "- The", a
# city after a comma, "<place> VA", insurance fields, jails, and more brands and eponyms.
@pytest.mark.parametrize(("sentence", "names"), [
    ("Spoke w/ Grant in pulm, they will add her to the schedule.", ("Grant",)),
    ("Addendum (Frost, 12/05 0810): repeat K 4.2.", ("Frost",)),
    ("Electronically signed by Blood, Marcus G, MD on 12/04/2026", ("Blood", "Marcus")),
])
def test_round_eleven_person_forms(sentence: str, names: tuple[str, ...]) -> None:
    out = redact(sentence).text
    assert not any(n in out for n in names), out


@pytest.mark.parametrize(("sentence", "facility"), [
    ("PT to continue at St. Agnes's/Lindell 3x/wk.", "Lindell"),
    ("Referred by Dayton Children's - The Heights for a renal consult.", "Heights"),
    ("Sleeps at Providence St. Anne, Ridgefield most nights.", "Ridgefield"),
    ("Intake at Fort Harmon VA on 12/01.", "Harmon"),
    ("Ins: Blue Ridge Community Plan - prior auth pending.", "Ridge"),
    ("Booked at Larimer County Jail overnight.", "Larimer"),
    ("- CAD s/p PCI @ Mt. Hope Regional 2021", "Hope"),
])
def test_round_eleven_facility_forms(sentence: str, facility: str) -> None:
    out = redact(sentence).text
    assert facility not in out, out


@pytest.mark.parametrize("sentence", [
    "Typhim Vi and Havrix given; Malarone prophylaxis.",
    "EGD w/ Forrest IIa ulcer, clipped.",
    "Spurling neg, Hoffmann neg bilat.",
    "Thymoglobulin induction, then Envarsus XR.",
    "Hill-Rom P500 mattress ordered.",
])
def test_round_eleven_keeps_clinical_words(sentence: str) -> None:
    assert redact(sentence).text == sentence


def test_an_abbreviation_after_a_comma_is_no_city() -> None:
    # "Rose of Bengala" (a test, taken for a facility since round 4; not fixed) once took "Ac." as its city.
    assert ", Ac.\nLeishmania" in redact("HCV, RPR, Rose of Bengala, Ac.\nLeishmania negative.").text


# Round 12 (after held-out 27 and 28 were scored): a possessive joined to a facility name, a store number
# after "/pharmacy", a saint's name in capitals, a campus after a dash with no spaces or of four words.
@pytest.mark.parametrize(("sentence", "facility"), [
    ("Prescriptions sent to the outpatient pharmacy at Brigham and Women's.", "Women's"),
    ("Preferred pharmacy: CVS/pharmacy #4410 - 90-day supply.", "4410"),
    ("Slides sent to ST. AGNES'S NORTH for a second opinion.", "AGNES'S"),
    ("Found in the parking lot of Lehigh Valley Hospital\u2013Cedar Crest by EMS.", "Cedar"),
])
def test_round_twelve_facility_forms(sentence: str, facility: str) -> None:
    out = redact(sentence).text
    assert facility not in out, out
