"""PHI redaction round 38 (issue 14 item 7): after the first score of blind parts 74 and 75, the patient named in a
payer's or benefits form by their role ("Guarantor: ..."), even when a name is also a month ("Claimant: March,
Dale"); a note's author in brackets after "ADDENDUM"; a law firm of partners' names; a company written in camel case
("naviHealth"); a hospital's floor written short ("GMH 5N", "5 West Rehab"); device brands. Sentences written for
these tests, not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding import phi
from smartapp.coding.phi import redact


def test_a_guarantor_field_names_the_patient_everywhere_after_it() -> None:
    text = "STATEMENT\nGuarantor: Rosa T. June\nAccount #: 55120\n\nWe spoke with Rosa June about the balance."
    out = redact(text).text
    assert "Rosa" not in out and "June" not in out, out


def test_a_month_in_a_names_shape_is_a_name() -> None:
    text = "Request for records\nClaimant: April, Jonah\nDOB: 3/4/1970\n\nApril reports ongoing neck pain."
    out = redact(text).text
    assert "April" not in out and "Jonah" not in out and "reports ongoing neck pain" in out, out


@pytest.mark.parametrize("text", [
    "Employee: reports back pain since Monday.",
    "Guarantor: Self",
    "Follow-up in March for repeat imaging.",
])
def test_what_is_no_name_in_those_fields_stays(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize(("text", "kept"), [
    ("Subpoena received from Whitcomb, Dunleavy & Roth, LLP for all records.",
     "Subpoena received from [FACILITY] for all records."),
    ("Per careBridge, the home infusion starts Monday.", "Per [FACILITY], the home infusion starts Monday."),
    ("Readmit to Lakeview Hospital 6 North Stepdown overnight.", "Readmit to [FACILITY] overnight."),
    ("Follow-up booked at LVH 4S next week.", "Follow-up booked at [FACILITY] next week."),
])
def test_firms_brands_and_floors(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize("text", [
    "hsTnT 14 ng/L, eGFR 55, mRNA vaccine given, pH 7.31.",
    "Zynex NexWave unit trial; Kardex updated by nursing.",
])
def test_clinical_camel_case_and_device_brands_survive(text: str) -> None:
    assert redact(text).text == text


def test_a_place_read_up_to_its_streets_number_takes_the_streets_word_too() -> None:
    # The tagger trained on parts up to 75 read "walgreens on 5th" and left "street" ("[FACILITY] street."); later
    # weights may stop before "on", so the tail rule is asked directly.
    text = "Rx sent to walgreens on 5th street."
    assert phi._place_tail(text, text.index(" street")) == text.index(".")
