"""PHI redaction round 49 (issue 14 item 7): after the first score of blind parts 96 and 97, only the patient's header
forms that leaked on the upload path: a labelled name whose family name is an everyday word before ", DOB" ("Fax re:
patient June Summer, DOB ..."), and a message about the patient by family name before a room or an age ("sec chat re
Brooks (rm 6), 81 y/o F"). Sentences written for these tests, not taken from the scored parts; the last test guards
the second form against a drug before its level."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "names"), [
    ("Fax re: patient June Frost, DOB 4/2/1950\n\nJune reports less pain.", ("June", "Frost")),
    ("team chat re Fields (rm 12), 77 y/o M\n\nFields is asking for water.", ("Fields",)),
])
def test_the_patient_in_these_header_forms_is_redacted_everywhere(text: str, names: tuple[str, ...]) -> None:
    out = redact(text).text
    assert not any(n in out for n in names), out


def test_a_drug_before_its_level_is_no_patient() -> None:
    text = "msg re Coumadin (INR 3.2) today"
    assert redact(text).text == text
