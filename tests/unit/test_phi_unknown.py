"""Names by elimination (issue 14 item 7, round 4): a capitalised word no word list knows is redacted
unless clinical context protects it, names of everyday words are redacted by the slot they stand in, and
the patient named on an upload's header is redacted everywhere. Sentences written for these tests, not
taken from the scored parts."""
from __future__ import annotations

import pytest

from smartapp.coding.phi import redact
from smartapp.coding.phi_unknown import is_unknown


@pytest.mark.parametrize(("sentence", "name"), [
    ("Yusupova recommends a repeat echo.", "Yusupova"),
    ("Lindqvist placed the chest tube.", "Lindqvist"),
    ("Case staffed with Ferreira-Lopes.", "Ferreira-Lopes"),
    ("Scrub tech Marlowe counted the sponges.", "Marlowe"),
    ("Prior workup at Froedtert showed anemia.", "Froedtert"),
    ("Thanh Nguyen drew the labs.", "Thanh Nguyen"),
])
def test_a_word_no_list_knows_is_redacted_wherever_it_stands(sentence: str, name: str) -> None:
    assert name not in redact(sentence).text


@pytest.mark.parametrize("sentence", [
    "Lhermitte sign elicited on neck flexion.",           # a clinical noun after it
    "Dupuytren contracture of the right ring finger.",
    "Rexulti 1 mg nightly.",                              # a dose
    "Nuplazid discontinued.",                             # a drug's status
    "Started Caplyta last month.",                        # a drug verb before it
    "Kerendia added.",
    "Kayser-Fleischer rings absent.",
    "Wolff-Parkinson-White on ECG.",
    "Renal function was normal (Creatinine: 1.3 mg/dL).",  # a lab value
    "Culture grew Candida albicans.",                     # a genus and its species
    "Positive Finkelstein on the left.",
    "MitraClip last year.",                               # a product in camel case; only when it was
    "Evusheld previously.",
])
def test_clinical_context_keeps_unknown_clinical_words(sentence: str) -> None:
    red = redact(sentence)
    assert red.spans == (), red.text


@pytest.mark.parametrize(("sentence", "name"), [
    ("Post-op check was moved to Patient First closer to home.", "Patient First"),
    ("Outpatient therapy through Pine Rest twice weekly.", "Pine Rest"),
    ("Time-out led by Lane; all in agreement.", "Lane"),
    ("Shields prescribes her buprenorphine.", "Shields"),
    ("Discussed with charge nurse Blessing.", "Blessing"),
    ("Bishop (neurology) stopped by and agrees.", "Bishop"),
    ("Handoff given to Banks at 1900.", "Banks"),
])
def test_names_of_everyday_words_are_redacted_by_their_slot(sentence: str, name: str) -> None:
    assert name not in redact(sentence).text


def test_a_possessive_before_what_a_person_has_is_a_name_and_before_a_disease_an_eponym() -> None:
    assert "Fairweather" not in redact("Dr. Fairweather's partner saw her Tuesday.").text
    assert redact("Findings consistent with Kawasaki disease; Bell's palsy resolved.").spans == ()


def test_everyday_words_opening_a_sentence_stay() -> None:
    for sentence in ("Samples obtained for culture were positive.", "Brain MRI confirmed the lesion.",
                     "Later MRI confirmed the presence of hemangiomas.", "Pain at Worst: 7/10."):
        assert redact(sentence).spans == (), sentence


def test_the_patient_named_between_dashes_on_an_upload_header_is_redacted_everywhere() -> None:
    text = ("ANESTHESIA RECORD - ZORAIDA QUENBY - 9/15/1978\n\n"
            "Zoraida Quenby was taken to PACU in stable condition. Instructed Zoraida to keep the dressing dry.")
    red = redact(text)
    assert "ZORAIDA" not in red.text and "QUENBY" not in red.text
    assert "Zoraida" not in red.text and "Quenby" not in red.text
    assert "ANESTHESIA RECORD" in red.text and "PACU" in red.text


def test_an_abbreviation_alone_on_a_header_line_is_not_taken_for_the_patient() -> None:
    text = "CC RLQ pain x1d\nHPI 19F, RLQ pain since this morning."
    assert "RLQ" in redact(text).text


def test_word_lists_decide_what_is_unknown() -> None:
    assert is_unknown("Teunissen") and is_unknown("Mitchell-Walker") and is_unknown("Dana-Farber")
    for word in ("Afebrile", "Postoperatively", "Spirometry", "IgM", "Crohn's", "Ultrasound", "Keytruda"):
        assert not is_unknown(word), word
