"""PHI redaction round 41 (issue 14 item 7): after the first score of blind parts 82 and 83 (pregnancy and the
newborn; kidney care), a given name opening a sentence before "reports" or "denies" (the patient's given name leaked
on part 82's upload path, whose header named only "BABY BOY <FAMILY>"), a supervising clinician named alone after
the label, "discussed / rounded with <name>", "on-call (<name>)", a signature after a dash, government offices by
what they keep, an obstetrics practice by its own name, a company by its legal form, the organ-sharing network;
obstetric, neonatal and dialysis brands and eponyms stay. Sentences written for these tests, not taken from the
scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


def test_a_given_name_before_reports_is_redacted_where_no_header_names_it() -> None:
    text = "BABY GIRL OKAFOR - MRN 5512044\n\nDestiny reports the baby feeds every 3 hours. Destiny denies fever."
    out = redact(text).text
    assert "Destiny" not in out and "feeds every 3 hours" in out, out


@pytest.mark.parametrize(("text", "name"), [
    ("Supervising MD: Lane", "Lane"),
    ("Will discuss with Marsh after clinic.", "Marsh"),
    ("Rounded with Wood this morning; no changes.", "Wood"),
    ("Paged on-call (Ford), who will come by.", "Ford"),
    ("Thanks! -Camille Okoro, lactation", "Camille"),
])
def test_clinicians_round_41(text: str, name: str) -> None:
    out = redact(text).text
    assert name not in out and "[NAME]" in out, out


@pytest.mark.parametrize(("text", "name"), [
    ("Newborn screen card mailed to the Office of Vital Records today.", "Vital"),
    ("Results per Larkspur OB/GYN: low risk.", "Larkspur"),
    ("Flagged by Dialysis Clinic, Inc. - Bayside Unit for access surveillance.", "Dialysis"),
    ("Listed with United Network for Organ Sharing since June.", "Organ Sharing"),
    ("Report released: 11/02/2026 | Performing lab: ESRD Network 14", "14"),
])
def test_places_round_41(text: str, name: str) -> None:
    out = redact(text).text
    assert name not in out and "[FACILITY]" in out, out


@pytest.mark.parametrize("text", [
    "Patient reports pain. Mom denies fever. Teacher reports inattention.",
    "Discussed with Family and with Pharmacy.",
    "Plan:\n- Multiparametric MRI prostate ordered.\n-Bilateral Doppler today.",
    "Hyperemesis despite Diclegis; Procardia for tocolysis; Hemabate for PPH; Duramorph spinal.",
    "Set to 5 exchanges with Extraneal long dwell.", "Skin biopsy with von Kossa stain pending.",
    "Charlson comorbidity index 4.",
    "McRoberts and Rubin maneuvers; Bhutani nomogram; Carpenter-Coustan criteria.",
])
def test_clinical_words_round_41_stay(text: str) -> None:
    assert redact(text).text == text
