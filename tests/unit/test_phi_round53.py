"""PHI redaction round 53 (issue 14 item 7): after the first score of blind parts 104 (messages typed in a hurry, by a
third helper) and 105 (correspondence about care with insurers, employers and the law). A triage note's header by
family name after its title's dash; clinicians by family name in a team list, a booking, a patient's request, an
inbox, a custodian's certificate, a message's addressee with a credential; a payer's plan and a life insurer, a
possessive after a facility word, a cardiology practice typed short; "c/o" and "Hx" before a disease's eponym,
"Kawasaki" and named instruments kept. Sentences written for these tests, not taken from the scored parts."""
from __future__ import annotations

import re

import pytest

from smartapp.coding.phi import redact

# Thirteen lines of running text first: the sentence under test stands in a note's body, below the header lines that
# name an upload's patient.
_BODY = "".join(f"Call {i}: left a message, will try again later today.\n\n" for i in range(13))


def test_a_triage_notes_header_names_the_patient_after_its_title() -> None:
    out = redact("TRIAGE NOTE - MARSH SKIP (MRN 4412087)\n\n" + _BODY + "Pt Marsh agreeable to plan.").text
    assert "MARSH" not in out and "Marsh" not in out, out


@pytest.mark.parametrize(("sentence", "names"), [
    ("Team: Wren (SW), charge RN, attending", ("Wren",)),
    ("sched w/ Marsh 3/14 @ 10:15, pt confirmed", ("Marsh",)),
    ("pt refuses to see Fox again, requests female provider", ("Fox",)),
    ("nurse said to call back if worse, is Wood in today?", ("Wood",)),
    ("sent to Wood's inbox for signature", ("Wood",)),
    ("Records custodian Bland certifies these pages are true copies.", ("Bland",)),
    ("To: Frost, Will (MD)", ("Frost", "Will")),
    ("OT eval (Hope) recommends a sit/stand desk.", ("Hope",)),
    ("Per phone conversation with Long, patient to hold lisinopril.", ("Long",)),
])
def test_clinicians_in_hurried_messages_and_letters_are_redacted(sentence: str, names: tuple[str, ...]) -> None:
    out = redact(_BODY + sentence).text[len(_BODY):]
    assert not any(re.search(rf"(?<!\w){n}(?!\w)", out) for n in names), out


@pytest.mark.parametrize(("sentence", "place"), [
    ("I am writing to appeal Silver State Care Plan's decision to deny coverage.", "Silver State Care Plan"),
    ("We ask that Great Plains Life & Annuity's denial be overturned.", "Great Plains Life Annuity"),
    ("Lab: oakridge cardio   Collected: 03/04 0745", "oakridge cardio"),
    ("is Salvation Army in network??", "Salvation Army"),
])
def test_payers_insurers_and_short_practices_are_redacted(sentence: str, place: str) -> None:
    out = redact(_BODY + sentence).text[len(_BODY):]
    assert not any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", out) for w in place.split()), out


def test_a_facility_name_ends_before_the_next_field() -> None:
    out = redact(_BODY + "Payer: BlueHarbor Health Plan   Accession #: 55").text
    assert out.endswith("Accession #: 55"), out


@pytest.mark.parametrize("sentence", [
    "Hx Hashimoto's, TSH due, last Synthroid dose change 6 wks ago",
    "c/o Raynaud's, fingers turning white in cold, on Norvasc",
    "mom worried about Kawasaki, red eyes and strawberry tongue, fever day 5",
    "Asperger's with Vineland-3 adaptive behavior composite 74.",
    "Teacher said Sjogren syndrome runs in the family; see cardiology again in 3 months.",
])
def test_eponyms_and_instruments_stay(sentence: str) -> None:
    assert redact(_BODY + sentence).text == _BODY + sentence
