"""PHI redaction: the patient's own details and PHI patterns never reach an external engine."""

from __future__ import annotations

from smartapp.coding.phi import redact
from smartapp.coding.types import Demographics

DEMO = Demographics(
    names=("Maria Elena Garcia",),
    birth_date="1956-03-14",
    identifiers=("MRN448812",),
    phones=("(555) 123-4567",),
    emails=("mgarcia@example.com",),
    addresses=("12 Oak Street, Springfield, IL 62704",),
)
NOTE = (
    "Patient: Maria Garcia   DOB: 03/14/1956   MRN448812\n"
    "Ms. Garcia is a 68-year-old woman. maria says her knee hurts. Seen with Dr. Alan Brooks.\n"
    "Call 555.123.4567 or fax (555) 987-6543. Lives at 12 Oak Street. SSN 123-45-6789.\n"
    "Email mgarcia@example.com. Portal https://portal.example.org/p/1. Visit on March 3, 2025.\n"
    "BP 130/80 mmHg. Pain 5/10. Assessment: type 2 diabetes, knee osteoarthritis."
)


def test_patient_names_dob_phone_and_identifiers_are_removed() -> None:
    red = redact(NOTE, DEMO)
    low = red.text.lower()
    for secret in (
        "maria",
        "garcia",
        "elena",
        "03/14/1956",
        "555.123.4567",
        "123-4567",
        "mrn448812",
        "mgarcia@example.com",
        "12 oak street",
    ):
        assert secret not in low, secret
    assert "[NAME]" in red.text and "[DATE]" in red.text and "[PHONE]" in red.text


def test_other_peoples_names_phones_dates_ssn_urls_are_removed_by_pattern() -> None:
    red = redact(NOTE, DEMO)
    for secret in ("Brooks", "987-6543", "123-45-6789", "portal.example.org", "March 3, 2025"):
        assert secret not in red.text, secret


def test_clinical_content_survives() -> None:
    red = redact(NOTE, DEMO)
    for keep in ("68-year-old", "knee hurts", "130/80 mmHg", "5/10", "type 2 diabetes", "knee osteoarthritis"):
        assert keep in red.text, keep


def test_redacted_offsets_map_back_to_the_original_text() -> None:
    red = redact(NOTE, DEMO)
    i = red.text.index("type 2 diabetes")
    j = red.to_original(i)
    assert NOTE[j : j + len("type 2 diabetes")] == "type 2 diabetes"
    assert red.redacted_chars == sum(s.end - s.start for s in red.spans) > 0
    for s in red.spans:
        assert NOTE[s.start : s.end].strip()


def test_no_demographics_still_redacts_patterns() -> None:
    red = redact("Mr. Jones, DOB 01/02/1950, phone 555-222-3333.")
    assert "Jones" not in red.text and "01/02/1950" not in red.text and "555-222-3333" not in red.text


def test_month_year_dates_and_ages_over_89_are_removed() -> None:
    red = redact("Diagnosed in March 2019. A 93-year-old woman; her 45-year-old son helps.")
    assert "March 2019" not in red.text and "93" not in red.text
    assert "45-year-old" in red.text and "[AGE]-year-old" in red.text
