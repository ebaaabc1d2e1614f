"""PHI redaction round 31 (issue 14 item 7): after the first score of parts 62 and 63 (scored blind against the
round-30 rules), the patient's own name on the upload path was missed where a legal or benefits form labels the
patient by their role in it ("Respondent: SKY E. RIVERS" on a petition for evaluation), and so in the body too.
Not a sentence after such a label. Sentences written for these tests, not taken from the scored parts."""
from __future__ import annotations

from smartapp.coding.phi import redact


def test_the_person_a_form_is_about_is_a_deny_list_for_the_whole_document() -> None:
    text = ("PETITION FOR INVOLUNTARY ADMISSION\nRespondent: BROOK A. STONE\nDate of Birth: 2/9/1988\n\n"
            "Stone was calm on arrival and agreed to voluntary status.")
    out = redact(text).text
    assert "BROOK" not in out and "STONE" not in out and "Stone" not in out, out
    assert "calm on arrival" in out


def test_a_claimant_line_with_identifiers_after_the_name() -> None:
    assert redact("Claimant: Marlow Fenn    DOB: 3/4/1970").text == "Claimant: [NAME]    DOB: [DATE]"


def test_a_sentence_after_the_label_stays() -> None:
    text = "Employee: Reports low back pain since lifting boxes on Friday."
    assert redact(text).text == text
