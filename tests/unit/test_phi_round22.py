"""PHI redaction round 22 (issue 14 item 7), tuned on the misses of parts 47 and 48 (first scored blind against
the round-21 rules): the town or campus written after a facility's name (GeoNames' US places: "Lone Tree",
"Coon Rapids"), a store or unit number, the kind of place after "&" ("Hospice & Palliative Care"), a lowercase
site after a town ("Springdale plant"), an organisation named before what it did ("... called to report",
"... accepted the patient"), "resident of X", the owner of a MAR, a name of everyday words in a place's field
("Pharmacy: One Medical") and "Last, First, credential" anywhere on a line. Sentences written for these tests,
not taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact
from smartapp.coding.phi_forms import town_after


@pytest.mark.parametrize(("text", "kept"), [
    ("Dexa scan set for UCHealth Lone Tree next spring.", "Dexa scan set for [FACILITY] next spring."),
    ("Transferred from Essentia Health, Grand Forks, after a fall.", "Transferred from [FACILITY], after a fall."),
    ("Works at Hormel Foods, Austin plant, on the night shift.", "Works at [FACILITY], on the night shift."),
    ("Rx sent to Walgreens Pharmacy 14-0917 today.", "Rx sent to [FACILITY] today."),
    ("Refills go to Kroger Pharmacy Store 0442 on Main.", "Refills go to [FACILITY] on Main."),
    ("Disposition: Evergreen Hospice & Comfort Care for end-of-life care.",
     "Disposition: [FACILITY] for end-of-life care."),
])
def test_a_town_campus_or_store_number_after_the_name_goes_with_it(text: str, kept: str) -> None:
    assert redact(text).text == kept


def test_a_town_may_begin_inside_the_name_found_so_far() -> None:
    text = "Follow-up at UCHealth Lone Tree in May."
    start = text.index("UCHealth")
    assert text[start:town_after(text, start, text.index(" Tree"))] == "UCHealth Lone Tree"


@pytest.mark.parametrize(("text", "kept"), [
    ("Friendship Village of the Twin Cities called to report a fall overnight.",
     "[FACILITY] called to report a fall overnight."),
    ("Harbor Light of the Plains accepted the patient for long-term care.",
     "[FACILITY] accepted the patient for long-term care."),
    ("Arrived as a resident of UCSD Hillcrest with her transfer packet.",
     "Arrived as a resident of [FACILITY] with her transfer packet."),
    ("Resident of LBJ, brought in by staff.", "Resident of [FACILITY], brought in by staff."),
    ("Doses checked against the Kindred Westside MAR on arrival.",
     "Doses checked against the [FACILITY] MAR on arrival."),
    ("Preferred pharmacy: Capsule Health", "Preferred pharmacy: [FACILITY]"),
])
def test_places_named_by_what_they_did_or_hold(text: str, kept: str) -> None:
    assert redact(text).text == kept


def test_last_first_with_a_credential_is_a_person_whatever_the_words() -> None:
    assert redact("OT eval - Bird, Jonah, OTR/L").text == "OT eval - [NAME], OTR/L"


@pytest.mark.parametrize("text", [
    "Zoster vaccine offered; Shingrix declined. Antabuse declined as well.",
    "Brain MRI confirmed the lesion. Bronchoscopy reported no endobronchial mass.",
    "Home Health accepted the referral. Physical Therapy called to reschedule.",
    "Discharged for short-term rehab; Patient Daughter called back.",
    "Reviewed the home MAR and the face sheet.",
    "Seen in the Heart Failure clinic on Tuesday.",
])
def test_clinical_and_service_words_before_the_same_verbs_survive(text: str) -> None:
    assert redact(text).text == text
