"""PHI redaction round 44 (issue 14 item 7): after the first score of blind parts 86 and 87 (long-term care; sports,
travel and outdoor medicine), a floor, building, district or surgery centre after a place's comma ("Heritage Oaks
Nursing Home, 2 West", "VA Community Living Center, Bldg 41"), a hospital abroad named "Hospital San ...", a company's
foreign legal form, a senior-living community named "The <Name>s at <Place>", a court ("Essex Co. Probate Ct."),
"<name>: agree with plan" and "<name> reviewed ... and concurs"; wound, lift and vaccine brands stay. Sentences written
for these tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "name"), [
    ("Admitted from Maple Grove Nursing Home, 3 East with pneumonia.", "3 East"),
    ("Meals c/o VA Community Living Center, Bldg 12, weekdays.", "Bldg"),
    ("Location of injury: Hospital San Jorge de la Sierra practice field #3", "Hospital"),
    ("Transport: Polar Air Rescue GmbH, pickup 0730.", "Polar"),
    ("Daughter toured The Willows at Brook Hollow and liked it.", "Willows"),
    ("Petition filed in Hampden Co. Probate Ct. last week.", "Hampden"),
    ("Therapy via Lakeside Surgery Center, ASC, 12 visits.", "ASC"),
    ("Per Long-Term Care Ombudsman Program, District 5, the lift is pending.", " 5,"),
])
def test_places_round_44(text: str, name: str) -> None:
    out = redact(text).text
    assert name not in out and "[FACILITY]" in out, out


@pytest.mark.parametrize(("text", "name"), [
    ("Ivanova: agree with plan, continue the current regimen.", "Ivanova"),
    ("Marsh reviewed the films and concurs with a boot.", "Marsh"),
])
def test_clinicians_round_44(text: str, name: str) -> None:
    out = redact(text).text
    assert name not in out and "[NAME]" in out, out


@pytest.mark.parametrize("text", [
    "Radiology reviewed the films. Patient agrees. Severe AS on echo. Hospital Day 3.",
    "Mepilex Border to the sacrum; Medihoney to the heel; Hoyer lift for transfers.",
    "Stamaril given before travel; Latarjet 2024; Synvisc series; Gamow bag on the trip.",
])
def test_clinical_words_round_44_stay(text: str) -> None:
    assert redact(text).text == text
