"""PHI redaction round 46 (issue 14 item 7): after the first score of blind parts 92 and 93, only the patient's
header forms that leaked on the upload path: a label after a fax's "RE:" ("FAX RE: patient LAST, FIRST / DOB"), and a
family name with its particles before the comma over the identifiers ("Van Der Merwe, Cornelius  MRN ..."). A sentence
written for this test, not taken from the scored parts; the particle form leaked only inside a whole note, so part 92's
floor (tests/unit/test_phi_people.py: the patient's names at 100 % on both paths) is what holds it."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "names"), [
    ("FAX RE: patient OYE, KEMI / DOB 4/4/1961 / 2231456\n\nKemi tolerated the procedure.", ("OYE", "Kemi")),
])
def test_the_patient_in_these_header_forms_is_redacted_everywhere(text: str, names: tuple[str, ...]) -> None:
    out = redact(text).text
    assert not any(n in out for n in names), out
