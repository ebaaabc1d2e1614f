"""PHI redaction round 34 (issue 14 item 7): after the first score of blind parts 66 and 67, drugs the rules took for
names where the sentence says they are drugs: after "trial of" or a plus sign, before a dose rate, and an equation
named like a place. Sentences written for these tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize("text", [
    "ASCVD 10-year risk 9% per Pooled Cohort Equations; continue statin.",
    "Plaque psoriasis, trial of Dovonex and clobetasol.",
    "Blood cultures drawn; start Vanc + Cefepime pending sensitivities.",
    "MAP 58, Levophed at 0.05 mcg/kg/min via central line.",
])
def test_drugs_and_equations_stay(text: str) -> None:
    assert redact(text).text == text


def test_a_clinician_at_a_time_is_still_a_clinician() -> None:
    out = redact("Handoff to Dr. Quimby at 0200; recheck potassium.").text
    assert "Quimby" not in out and "recheck potassium" in out
