"""PHI redaction round 17 (issue 14 item 7), tuned on the misses of parts 37 and 38: short names written as
clinicians write them — letters after more place verbs ("fax records to BJH", "presented to the BJH ED"), letters
with a campus ("CMC-Main"), camel-case names ending in MD, pharmacy chains in lowercase, a name after "performed
at:". Sentences written for these tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "kept"), [
    ("Please fax records to OSUMC, attn: utilization review.", "Please fax records to [FACILITY], attn: utilization "
                                                                "review."),
    ("Pt presented to the UVMC ED with chest pain.", "Pt presented to the [FACILITY] ED with chest pain."),
    ("Outside MRI from NMH-Central reviewed.", "Outside MRI from [FACILITY] reviewed."),
    ("X-ray of the wrist at ZoomMD 11/18: no fracture.", "X-ray of the wrist at [FACILITY] 11/18: no fracture."),
    ("ULTRASOUND PERFORMED AT: KESTREL IMAGING", "ULTRASOUND PERFORMED AT: [FACILITY]"),
])
def test_short_names_missed_by_parts_37_and_38(text: str, kept: str) -> None:
    assert redact(text).text == kept


def test_a_pharmacy_chain_in_lowercase_is_redacted_with_or_without_its_street() -> None:
    # Whether "on 5th street" goes with the store depends on the tagger's weights (round 40's take it, round 39's did
    # not); the store's name must go either way.
    assert redact("Rx sent to walgreens on 5th street.").text in ("Rx sent to [FACILITY] on 5th street.",
                                                                 "Rx sent to [FACILITY].")


@pytest.mark.parametrize("text", [
    "Admitted to ICU; taken to OR; went to PT; progressed to AKI; due to CHF; sent to ED.",
    "Switched to NovoLog; presented to ED; admitted to MICU; transferred to PACU.",
])
def test_clinical_letters_after_those_verbs_survive(text: str) -> None:
    assert redact(text).text == text
