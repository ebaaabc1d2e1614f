"""PHI redaction round 47 (issue 14 item 7): after the first score of blind parts 92 and 93 (heart, vascular, stroke and
rehabilitation; safety-net and immigrant community care): places typed in lower case after "by", "called" or a dash,
with a health centre's letters or the emergency department's ("calloway ED"), or a particle first ("al noor clinic");
a bed, a floor's unit, a stroke centre's designation in brackets, a cath lab after a place; a consulate; a place "at
the" place that keeps it; clinicians after a role noun ("Promotora Jamal Price"), a role's label ("Operator: Banks"),
"From: Last, First", "Intake completed by: Last / First", a service in brackets after "Vasc surg"; device and
instrument names ("Xience Skypoint", "CardioMEMS", "Montreal Cognitive Assessment", "SAM Splint"), typed abbreviations
("Appt") and words redacted before ("Waitlisted", "Cycler", a header's "EMS LOG") stay. Sentences written for these
tests, not taken from the scored parts; the last clinical case guards the round's own new reading after a dash."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "leak"), [
    ("Called bluewater fqhc twice, left a message.", "bluewater"),
    ("Appt confirmed at harmon ED, 9:30 AM.", "ED"),
    ("Called al hikma clinic, no answer.", "hikma"),
    ("INTAKE SCREEN - stonebridge cardiology", "stonebridge"),
    ("LOCATION: Open Door Women's Shelter, Bed 7A", "7A"),
    ("Admitted from Cedar Valley Hosp - 2 South Cardiac Stepdown yesterday.", "Stepdown"),
    ("Code stroke called at Lakemont Regional Medical Center (Primary Stroke Center) at 09:12.", "Primary Stroke"),
    ("Transferred from St. Bartholomew cath lab after the stent.", "cath lab"),
    ("Interpreter vendor: Consulado General de Guatemala en Riverton, 18 min.", " en "),
    ("To: Benefits Desk, Noor Community Clinic at the Islamic Center of Fairhaven", " at "),
])
def test_places_round_47(text: str, leak: str) -> None:
    out = redact(text).text
    assert leak not in out and "[FACILITY]" in out, out


@pytest.mark.parametrize(("text", "leak"), [
    ("Field clinical rep Dale Stone present for the interrogation.", "Stone"),
    ("Operator: Banks", "Banks"),
    ("From: Do, Minh", "Do"),
    ("Intake completed by: Hope / Faith (volunteer)", "Hope"),
    ("Vasc surg (Rich) aware, will see in clinic.", "Rich"),
])
def test_clinicians_round_47(text: str, leak: str) -> None:
    out = redact(text).text
    assert leak not in out and "[NAME]" in out, out


@pytest.mark.parametrize("text", [
    "Xience Skypoint 2.5 x 12 mm DES to the RCA; CardioMEMS readings stable.",
    "Montreal Cognitive Assessment 24/30; Refugee Health Screener-15 negative.",
    "Wrist immobilized with SAM Splint.",
    "Appt confirmed for Tuesday.",
    "Vasc surg aware.",
    "Waitlisted for a kidney at this time. Cycler alarms reviewed.",
    "EMS LOG - pt found down at home, GCS 14.",
    "Referral - interventional cardiology; sent to peds cardiology.",
])
def test_clinical_words_round_47_stay(text: str) -> None:
    assert redact(text).text == text
