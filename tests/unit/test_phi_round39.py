"""PHI redaction round 39 (issue 14 item 7): after the first score of blind parts 76 and 77, the patient named in an
upload's header by "re:" before an age and sex ("Visit note re: June W. Bell (36M)") or by "Client:" / "Member:" is a
deny list for the rest of the document, even when a name is also a month; "<name> to f/u"; a pharmacy's store in
lower case ("cvs 4471"); hospitals abroad named by their kind first in their own language; "Ctr" and "Hosp"; genetic
testing and research companies known by name; a test named after a place ("Hopkins Verbal Learning Test"); drug
brands. Sentences written for these tests, not taken from
the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


def test_a_member_field_names_the_patient_everywhere_after_it() -> None:
    text = "TRANSPORT REQUEST\nMember: SOTO MAE  Member ID: 5512044\nDOB: 2/2/1960\n\nMae agrees with the plan."
    out = redact(text).text
    assert "SOTO" not in out and "MAE" not in out and "Mae" not in out, out


@pytest.mark.parametrize(("text", "name"), [
    ("Grant to f/u the repeat CK next week.", "Grant"),
    ('text from aide: "pt asleep, cvs 2210 says the refill is ready"', "cvs 2210"),
    # the whole name is one place, not names with the words between them left ("[NAME] dei [NAME]")
    ("Istituto Nazionale dei Tumori di Milano accepted her into the study.", " dei "),
    ("Per Klinikum rechts der Isar, the deviation was accepted.", "rechts"),
    ("Confirmatory testing to be done by Hospital Universitari Vall d'Hebron.", "Hebron"),
    ("Case conference attendees: our team, IQVIA (by video), and the oncologist.", "IQVIA"),
])
def test_names_and_places_round_39(text: str, name: str) -> None:
    assert name not in redact(text).text


@pytest.mark.parametrize("text", [
    "Hopkins Verbal Learning Test delayed recall 6/12.",
    "Becker muscular dystrophy; EDSS (Kurtzke) 3.5; started Trikafta, Soliris held.",
    "Clinical exam unremarkable; Institute of Medicine criteria met.",
])
def test_clinical_words_in_round_39_survive(text: str) -> None:
    assert redact(text).text == text
