"""PHI redaction round 40 (issue 14 item 7): after the first score of blind parts 80 and 81 (cancer care; work
injuries), a place's site number after its site word ("- Site 2", "- Building 7"), a union's local with its fund or
office ("Teamsters Local 727 H&W Fund"), a state bureau of workers' compensation whole, workers' compensation
companies and cancer charities known by name, and clinicians named by one word in a follow-up ("f/u Ibarra 2 wk"),
a request ("Hill - please call"), "touch base with", a signature dash and
"occ med (Bishop)". A drug given locally and hand-therapy brands stay. Sentences written for these tests, not taken
from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "name"), [
    ("Records go to Larchmont Radiation Oncology - Site 4 - attn nurse navigator.", "4"),
    ("Badge access at Premise Health Onsite Center - Building 12 was arranged.", "12"),
    ("Pt is a member of Pipefitters Local 537 Health Fund, claim pending.", "537"),
    ("Return-to-work form faxed to UFCW Local 1776 Benefit Office.", "Benefit"),
    ("Prepared for the Indiana Bureau of Workers' Compensation at their request.", "Compensation"),
    ("IME arranged through One Call; report due in 10 days.", "One Call"),
    ("Drug-free workplace screen via eScreen, results in 48 h.", "eScreen"),
    ("Copay card from the PAN Foundation approved for 12 months.", "PAN"),
    ("Claim status: travelers ins adjuster requests work status.", "travelers"),
    ("Please route appointment requests to L&I, not the employer.", "L&I"),
])
def test_places_round_40(text: str, name: str) -> None:
    out = redact(text).text
    assert name not in out and "[FACILITY]" in out, out


@pytest.mark.parametrize(("text", "name"), [
    ("f/u Okonjo 3 wk with repeat grip strength.", "Okonjo"),
    ("Marsh - please call pt re: MRI results.", "Marsh"),
    ("Will touch base with Park about trial eligibility.", "Park"),
    ("Reviewed and agree. -- Stone", "Stone"),
    ("Consult reply from occ med (Bishop): light duty x2 wk.", "Bishop"),
])
def test_clinicians_round_40(text: str, name: str) -> None:
    out = redact(text).text
    assert name not in out and "[NAME]" in out, out


@pytest.mark.parametrize("text", [
    "Lidocaine Local 5 mL infiltrated before the repair.",
    "Grip 22 kg on the Jamar dynamometer; yellow Theraband for home exercise.",
    "Menveo and Lagevrio discussed.",
    "f/u Keytruda 3 wk per oncology.",
    "Workers' comp claim remains open; light duty for two more weeks.",
])
def test_clinical_words_round_40_stay(text: str) -> None:
    assert redact(text).text == text
