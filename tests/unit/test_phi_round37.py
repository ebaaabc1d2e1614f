"""PHI redaction round 37 (issue 14 item 7): after the first score of blind parts 72 and 73, a case manager written
"case mgr", a clinician's plan opening a sentence ("Marsh to follow"), a room, floor or base number after a place
("ASC OR 3", "4 West Obs", "Base 47"), "Assoc." and "ASC" as kinds of place, and product names that lost a word to a
clinician's name ("QuantiFERON-TB Gold" after Dr. Gold). Sentences written for these tests, not taken from the
scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "name"), [
    ("case mgr Baker faxed the SNF referral.", "Baker"),
    ("Marsh to follow for implant mapping in 3 mo.", "Marsh"),
    ("Frank to complete the hospice face-to-face.", "Frank"),
    ("Referring provider: Darnell K Strong", "Strong"),
])
def test_clinicians_in_role_slots(text: str, name: str) -> None:
    assert name not in redact(text).text


@pytest.mark.parametrize("text", [
    "Patient to follow up in 2 weeks.",
    "Mom to call with questions.",
    "Stone to pass spontaneously per urology.",
    "Switch to Rinvoq 15 mg daily pending QuantiFERON-TB Gold.",
    "Hepatitis B Surface antigen negative; Factor V Leiden negative.",
])
def test_who_is_no_clinician_stays(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(("text", "kept"), [
    ("Op note from Riverbend ASC OR 2 attached.", "Op note from [FACILITY] attached."),
    ("Spoke with St. Clare Hospital 5 North Tele about the bed.", "Spoke with [FACILITY] about the bed."),
    ("Pt flown by Med-Trans Base 12 to the trauma bay.", "Pt flown by [FACILITY] to the trauma bay."),
    ("Hearing aids fitted at Hearing Assoc. of Winona last year.", "Hearing aids fitted at [FACILITY] last year."),
])
def test_a_places_room_floor_or_base_and_its_abbreviated_kind(text: str, kept: str) -> None:
    assert redact(text).text == kept


def test_a_product_keeps_the_word_a_clinician_is_called() -> None:
    out = redact("Dr. Gold reviewed the chart. QuantiFERON-TB Gold negative; Gadavist MRI next week.").text
    assert "Dr. Gold" not in out and "QuantiFERON-TB Gold negative; Gadavist MRI" in out, out
