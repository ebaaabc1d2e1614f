"""PHI redaction round 18 (issue 14 item 7): facility names by elimination (smartapp/coding/phi_place_slots.py).
Twelve blind rounds missed the same kind of name: ordinary words, letters or lowercase words standing where only
a place can stand ("labs drawn at Upstate", "sent to wakemed", "went to One Medical"), letterheads, copy lines.
Sentences written for these tests, not taken from the scored parts; the clinical ones come from the shapes that
the new rules must leave alone (CodiEsp case reports and visit notes were diffed span by span)."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact


@pytest.mark.parametrize(("text", "kept"), [
    # one everyday word, a plural the clinical lists know, a generic word said as a hospital's name
    ("Echo done at Keystone on 11/14 showed an EF of 40%.", "Echo done at [FACILITY] on [DATE] showed an EF of 40%."),
    ("Completed a 28-day program at Horizons; now in IOP.", "Completed a 28-day program at [FACILITY]; now in IOP."),
    ("Labs drawn at County this morning.", "Labs drawn at [FACILITY] this morning."),
    ("Family prefers Beacon for hospice.", "Family prefers [FACILITY] for hospice."),
    # letters, lowercase and camel case in a place verb's slot
    ("Follow up with her surgeon at NORTHWELLX in 10 days.", "Follow up with her surgeon at [FACILITY] in 10 days."),
    ("Home health referral sent to novacare for skilled nursing.",
     "Home health referral sent to [FACILITY] for skilled nursing."),
    ("Discharge meds e-prescribed to CareSpring; copay card given.",
     "Discharge meds e-prescribed to [FACILITY]; copay card given."),
    ("Admitted to Kessler 12/01-12/05 for rehab.", "Admitted to [FACILITY] 12/01-12/05 for rehab."),
    # everyday words ending in a word that says what kind of place it is
    ("Went to Direct Health over the weekend for chest pain.",
     "Went to [FACILITY] over the weekend for chest pain."),
    ("Work status form for Lighthouse Mission: may return 12/15.",
     "Work status form for [FACILITY]: may return 12/15."),
    ("Rx transferred to the Brighton because the pharmacy had no stock.",
     "Rx transferred to [FACILITY] because the pharmacy had no stock."),
    # letterheads, copy lines, a source opening a sentence
    ("Seen today.\nSummit View\nDepartment of Neurology\nCONSULTATION",
     "Seen today.\n[FACILITY]\nDepartment of Neurology\nCONSULTATION"),
    ("cc: PCP; Medical Records, OSF", "cc: PCP; Medical Records, [FACILITY]"),
    ("Per Keystone Family Care, prior authorization is required.",
     "Per [FACILITY], prior authorization is required."),
])
def test_places_named_by_where_they_stand(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize(("text", "kept"), [
    ("Dear Summer,\n\nThank you for seeing her.", "Dear [NAME],\n\nThank you for seeing her."),
    ("Dear Colleague,\n\nThank you.", "Dear Colleague,\n\nThank you."),
    # words of the clinic's day that no dictionary holds are no names
    ("Handoff given at 0700. Telehealth visit today. Workup negative. Uptitrated the carvedilol.",
     "Handoff given at 0700. Telehealth visit today. Workup negative. Uptitrated the carvedilol."),
])
def test_a_salutation_names_its_reader_and_workflow_words_are_no_names(text: str, kept: str) -> None:
    assert redact(text).text == kept


@pytest.mark.parametrize("text", [
    "No bony tenderness at the malleoli or base of the fifth metatarsal.",
    "Metastatic cells from urothelial carcinoma; isotonic saline was given.",
    "Hyperostosis at the frontoparietal level; drainage through fenestrations.",
    "The patient was referred to the Hematology Department and then to the Nutrition Unit.",
    "He moved from the West Coast two years ago.",
    "Pain at Worst: 7/10. Pain at Best: 2/10.",
    "Veress needle entry at Palmer's point after a failed Hasson approach.",
    "Follow-up with TACHT at 7 days and 1 month.",
    "CC: chest pain and fever for 2 days.",
    "cc: pain management clinic",
    "Referred to Physical Therapy and Behavioral Health; discharged to Home.",
    "Apart from CRPS, she received nutrition through NGT.",
])
def test_clinical_words_in_those_slots_survive(text: str) -> None:
    assert redact(text).text == text

