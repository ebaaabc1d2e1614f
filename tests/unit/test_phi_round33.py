"""PHI redaction round 33 (issue 14 item 7): after the first score of blind parts 64 and 65, the rules wrongly
redacted clinical words there: scales and rules named after a place, a people or a phrase, nationalities used
clinically, and drug names of stems no list held. Sentences written for these tests, not taken from the scored
parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact
from smartapp.coding.types import Demographics


@pytest.mark.parametrize("text", [
    "Canadian C-Spine Rule negative; no imaging.",
    "Admitted as inpatient under the Two-Midnight Rule.",
    "GCS 14 (E4V4M6) on arrival, Cincinnati Prehospital Stroke Scale positive.",
    "Treated last spring for crusted (Norwegian) scabies.",
    "Started RIPE therapy (Rifampin, Isoniazid, Pyrazinamide, Ethambutol) with pyridoxine.",
    "Annual fit test passed; OSHA Respirator Medical Evaluation Questionnaire reviewed.",
])
def test_clinical_words_that_looked_like_names_stay(text: str) -> None:
    assert redact(text).text == text


def test_the_patients_own_name_inside_an_eponym_is_still_redacted() -> None:
    out = redact("Wells Criteria Score 2 today.", Demographics(names=("Grace Wells",))).text
    assert "Wells" not in out


def test_a_place_before_a_score_stays_redacted() -> None:
    text = "Transferred from Mercy Hospital. Wells Score 4."
    assert redact(text).text == "Transferred from [FACILITY]. Wells Score 4."
