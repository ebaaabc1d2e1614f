"""PHI redaction round 30 (issue 14 item 7): fixes after the first score of parts 60 and 61 (scored blind against
the round-29 rules), which do not count in that score. A clinician named by one capitalised word where only a
person stands ("f/u with Bell in 2 weeks", "questions to Summer in vascular surgery", "medical director Power
reviewed", "Park paged x2", "Left VM for Hope"); surgical instruments named after people or places ("Balfour
retractor", "Kirschner wires", "Richardson and Deaver retractors", "Mayo scissors"); "Deprescribing" and "Meds"
are no names. Sentences written for these tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "redacted"), [
    ("Wound check: f/u with Lark in 10 days, steri-strips stay on.",
     "Wound check: f/u with [NAME] in 10 days, steri-strips stay on."),
    ("Send prior-auth questions to Hunter in interventional radiology.",
     "Send prior-auth questions to [NAME] in interventional radiology."),
    ("Medical director Rich reviewed the hospice recertification.",
     "Medical director [NAME] reviewed the hospice recertification."),
    ("Young paged twice about the drain output.", "[NAME] paged twice about the drain output."),
    ("Left VM for Joy re: the pathology result.", "Left VM for [NAME] re: the pathology result."),
])
def test_one_word_clinicians_where_only_a_person_stands(text: str, redacted: str) -> None:
    assert redact(text).text == redacted


@pytest.mark.parametrize("text", [
    "A Balfour retractor was placed and the bowel packed away.",
    "Fixation with two Kirschner wires and a Steinmann pin.",
    "Tray: Metzenbaum and Mayo scissors, Richardson and Deaver retractors, Babcock clamps.",
    "Deprescribing plan: stop the statin, taper the PPI.",
    "Meds reconciled with the discharge list.",
    "f/u with Cardiology in 2 weeks; Surgery paged for the consult.",
    "Left VM for Mom re: the appointment.",
])
def test_instruments_services_and_relatives_stay(text: str) -> None:
    assert redact(text).text == text
