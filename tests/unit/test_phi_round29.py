"""PHI redaction round 29 (issue 14 item 7): facility names of parts 58 and 59 (first scored blind against the
round-26 rules) that round 27 left: people addressed at a place and records released to one ("Dear Colleagues
at ...", "Records release signed for ..."), an ambiguous known name before its site after a possessive or a
spaced dash ("CHOP's Eastside office", "Banner - University Medical Center"), and "<name> transportation".
Not the chemotherapy regimen or a scale. Sentences written for these tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "name"), [
    ("Dear Colleagues at Harbor Cardiology Partners,\n\nThank you for seeing her.", "Harbor"),
    ("Records release signed for Doctor On Demand; awaiting the visit notes.", "Doctor On Demand"),
    ("Prior PCP at CHOP's Westside office until 2024.", "CHOP"),
    ("Path reviewed (outside, Banner - University Medical Center Phoenix/2024).", "Banner"),
    ("Wheelchair van from AMR transportation arranged for dialysis days.", "AMR"),
])
def test_places_addressed_released_and_ambiguous_names_before_their_site(text: str, name: str) -> None:
    out = redact(text).text
    assert name not in out, out


@pytest.mark.parametrize("text", [
    "R-CHOP cycle 3 given. CHOP's toxicity was mild this cycle.",
    "Y-BOCS total 24; the Yale-Brown scale repeated in 6 weeks.",
    "Release of information to the patient's daughter was signed.",
])
def test_regimens_scales_and_relatives_stay(text: str) -> None:
    out = redact(text).text
    for word in ("CHOP", "Yale-Brown", "daughter"):
        if word in text:
            assert word in out, out
