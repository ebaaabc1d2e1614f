"""PHI redaction round 16 (issue 14 item 7), tuned on the misses of parts 35 and 36: a surname with an apostrophe
after a single capital in a facility's name, a name that lists its services after a comma, a lowercase saint's or
church's name, "Return address:" as a place label; clinical words that were lost (drug and test brands, an
instrument named after a place, "Wood's lamp" when a clinician is called Wood). Sentences written for these
tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "kept"), [
    ("Stress echo done at D'Arcy Hospital last spring.", "Stress echo done at [FACILITY] last spring."),
    ("Infusions at Riverside Heart, Lung & Vascular Institute every month.", "Infusions at [FACILITY] every month."),
    ("A1c drawn at st. agnes family clinic on 3/2.", "A1c drawn at [FACILITY] on [DATE]."),
    ("Meals provided at bethel community church on weekdays.", "Meals provided at [FACILITY] on weekdays."),
    ("Return address: NYP", "Return address: [FACILITY]"),
])
def test_places_missed_by_parts_35_and_36(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize("text", [
    "Mayo endoscopic subscore 1 on the last colonoscopy.",
    "Gout on Krystexxa; Neulasta Onpro after chemotherapy; Viberzi for IBS-D.",
    "Zurzuvae for 14 days; Monospot negative; WatchPAT ordered for sleep apnea.",
    "Seen at cardiology clinic and at vein clinic, then at his church and at the community health center.",
])
def test_clinical_words_beside_those_rules_survive(text: str) -> None:
    assert redact(text).text == text


def test_wood_s_lamp_survives_beside_a_clinician_called_wood() -> None:
    out = redact("Seen with Dr. Robin Wood today. Wood's lamp negative.").text
    assert "Robin" not in out and "Wood's lamp negative" in out
