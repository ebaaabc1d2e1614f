"""Provider and date of service read from an uploaded note by rules; a birth date is never taken."""

from __future__ import annotations

from datetime import date

import pytest

from smartapp.sources.files.metadata import parse_date, read_metadata


@pytest.mark.parametrize(("text", "provider", "dos"), [
    ("Provider: Dr. Alice Moreno, MD\nDate of service: 03/14/2025\n", "Dr. Alice Moreno, MD", date(2025, 3, 14)),
    ("DOB: 01/02/1960\nVisit date: March 4, 2025\nSeen by Dr. John Park.", "Dr. John Park", date(2025, 3, 4)),
    ("Date of birth: 4 May 1950\nDate: 4 Sept 2023\nAttending: Maria Lopez, NP", "Maria Lopez, NP", date(2023, 9, 4)),
    ("ENCOUNTER DATE - 2024-11-02\nElectronically signed by: Sam Lee, DO", "Sam Lee, DO", date(2024, 11, 2)),
    ("DOS: 7/9/24\nRendering provider: Priya Shah MD    NPI 1234567890", "Priya Shah MD", date(2024, 7, 9)),
])
def test_labelled_lines_and_doctor_mentions(text: str, provider: str, dos: date) -> None:
    found = read_metadata(text)
    assert found.provider == provider
    assert found.date_of_service == dos


def test_labelled_date_of_service_beats_a_plain_date_line() -> None:
    found = read_metadata("Date: 01/05/2025\nDate of service: 12/30/2024\n")
    assert found.date_of_service == date(2024, 12, 30)


def test_nothing_found_is_none_not_a_guess() -> None:
    found = read_metadata("DOB: 02/03/1961\nThe patient reports knee pain for two weeks.\nBorn 1961-02-03.")
    assert found.provider is None and found.date_of_service is None


def test_impossible_dates_are_skipped() -> None:
    assert parse_date("13/45/2024 then 2024-02-30 then Feb 3, 2024") == date(2024, 2, 3)
