"""PHI redaction round 48 (issue 14 item 7): after the first scores of blind parts 94 and 95 (medicines between the
clinic and the patient; messages typed in a hurry), the patient's header form that leaked on part 95's upload path
("secure chat re pt LAST (MRN digits)"), a sender "From: Last, First <inbox>", and clinical words that were redacted
there: "Afib", a weekday's short form ("recheck Mon", "since Fri"), urgent care's letters ("dx at UC"), device and
nomogram names ("MedMinder", "Rumack-Matthew", "CADD-Solis"). Sentences written for these tests, not taken from the
scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


def test_a_message_about_the_patient_by_family_name_and_record_number_names_the_patient() -> None:
    out = redact("team chat re pt Marsh (7712093)\n\nMarsh is asking for a callback.").text
    assert "Marsh" not in out, out


def test_a_sender_with_an_inbox_after_the_name_is_redacted() -> None:
    out = redact("From: Wells, Ann <refill inbox>").text
    assert "Wells" not in out and "Ann" not in out, out


@pytest.mark.parametrize("text", [
    "Monitor shows rare PVCs, no Afib.",
    "Hold tonight's dose and recheck INR Mon; weight up 2 lb since Fri.",
    "Otitis media dx at UC, given amoxicillin.",
    "Pills in a MedMinder; Rumack-Matthew nomogram below the line; CADD-Solis pump running.",
])
def test_clinical_words_round_48_stay(text: str) -> None:
    assert redact(text).text == text
