"""PHI redaction round 15 (issue 14 item 7), tuned on the misses of parts 33 and 34: a facility written in
lowercase after a place preposition, a middle initial and a plural possessive inside a facility's name, a
surname after "follows with"; clinical words that were lost (drug and device brands, "Intubated"). Sentences
written for these tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "kept"), [
    ("Had labs drawn at riverbend clinic north last month.", "Had labs drawn at [FACILITY] last month."),
    ("Discharged to willowmere house for residential treatment.",
     "Discharged to [FACILITY] for residential treatment."),
    ("Follow-up CT at Samuel T. Ortega Veterans' Hospital next week.", "Follow-up CT at [FACILITY] next week."),
    ("Follows with Marsh in endocrinology twice a year.", "Follows with [NAME] in endocrinology twice a year."),
])
def test_people_and_places_missed_by_parts_33_and_34(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize("text", [
    "Medrol Dosepak for 6 days; SCDs on while in bed.",
    "Intubated with a GlideScope on the first pass; Nepro at goal; Pleur-evac to suction; Aquacel dressing.",
    "Seen at the walk-in clinic and at her local pharmacy; referred to vein clinic and to the sleep center.",
    "Vitamin D. Hospital course was otherwise uneventful.",
    "Follows with Cardiology yearly.",
    "Fluids at 30 mL/kg per Surviving Sepsis Campaign.",
])
def test_clinical_words_beside_those_rules_survive(text: str) -> None:
    assert redact(text).text == text
