"""PHI redaction round 50 (issue 14 item 7): after the first score of blind parts 98 (scanned and OCR'd outside
records) and 99 (dictated, speech-recognised notes). The copy the rules read is mended as OCR and dictation spoil it
(digits for letters, a signature line of underscores, punctuation spoken as words); a dictation's labels, a patient
named after "patient name", a clinician's note by family name, places typed in lower case or by their letters, a
place's name after its kind; devices named by their maker's word and a title at a blank line's edge stay. Sentences
written for these tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact
from smartapp.coding.phi_fold import prepare

# Thirteen lines of running text first: the sentence under test stands in a note's body, below the header lines that
# name an upload's patient.
_BODY = "".join(f"Day {i}: reports good adherence to her medications, no new complaints.\n\n" for i in range(13))


@pytest.mark.parametrize(("sentence", "names"), [
    ("Electronically signed by: Ro1and Fitzgera1d, DO on 3/2/2026", ("Ro1and", "Fitzgera1d")),
    ("Care team: Ke1ly Young, MD (attending); resident on file.", ("Ke1ly",)),
    ("Signed: ____Maribel Ostrowski____  Title: School Nurse", ("Maribel", "Ostrowski")),
    ("attending of record colon Hale comma Brian", ("Hale", "Brian")),
    ("JOB: 4471 / Dictator: Fairweather, Joy / dictated but not read", ("Fairweather", "Joy")),
    ("Hale's note from Tuesday was reviewed and I agree with the plan.", ("Hale",)),
])
def test_clinicians_and_places_spoiled_by_ocr_or_dictation_are_redacted(sentence: str, names: tuple[str, ...]) -> None:
    out = redact(_BODY + sentence).text
    assert not any(n in out for n in names), out


def test_a_signature_line_keeps_its_next_label() -> None:
    out = redact(_BODY + "Signed: Maribel Ostrowski  Title: School Nurse").text
    assert "Title: School Nurse" in out and "Ostrowski" not in out, out


@pytest.mark.parametrize(("sentence", "place"), [
    ("Pharmacy: pinecrest ortho, refills called in x1", "pinecrest ortho"),
    ("saint agathas", "saint agathas"),
    ("Copy to: maple grove skilled nursing", "maple grove skilled nursing"),
    ("Thank you for referring this kind lady to NWMC.", "NWMC"),
    ("Discharged to a skilled nursing facility, Lake Shore Manor, for rehab.", "Lake Shore Manor"),
    ("Page 1 of 3    Pine Hill SNF    CONFIDENTIAL", "Pine Hill SNF"),
    ("Facility address: Harbor Point Care, 12 Elm St", "Harbor Point Care"),
])
def test_places_in_lower_case_by_letters_or_after_their_kind_are_redacted(sentence: str, place: str) -> None:
    out = redact(_BODY + sentence).text
    assert not any(word in out for word in place.split()), out


def test_the_patient_named_in_a_dictated_header_is_redacted_without_the_particles() -> None:
    text = ("patient name Ines De La Field date of birth 2/3/1960 medical record number 4455667 new paragraph\n\n"
            "We report the case of a woman whose pain is better; she walks in the field daily.")
    out = redact(text).text
    assert "Field" not in out and "field daily" in out, out


@pytest.mark.parametrize("sentence", [
    "Gastrostomy via Mic-Key button 14 Fr; feeds via Kangaroo pump overnight.",
    "Pain controlled with Dilaudid PCA then transitioned to oral oxycodone.",
    "Seen by peds ortho; takes saint john's wort; PBMC and MMC noted.",
    "Awaiting SNF placement; sigmoid colon polyp removed.",
    "Title: Camp Nurse\n\nStarted on Eliquis 5 mg BID for new atrial fibrillation.",
])
def test_devices_services_and_clinical_words_stay(sentence: str) -> None:
    assert redact(_BODY + sentence).text == _BODY + sentence


def test_the_mended_copy_keeps_codes_and_the_texts_length() -> None:
    text = "H1N1, A1c 7.2, B12, q1h, x1, T0N0M0, 627O1; Wi1son at 0akhaven; ___ line ___; Vo comma Bich"
    mended = prepare(text)
    assert len(mended) == len(text)
    assert mended.startswith("H1N1, A1c 7.2, B12, q1h, x1, T0N0M0, 627O1; Wilson at Oakhaven;")
    assert "Vo,      Bich" in mended
