"""PHI redaction round 43 (issue 14 item 7): after the first score of blind parts 86 and 87 (long-term care; sports and
travel medicine), the patient's names in two upload headers that leaked: a court's caption ("IN RE: THE GUARDIANSHIP
OF <NAME>, AN INCAPACITATED PERSON") and a labelled family name with its particles before the comma ("Pt: De La
Vega, Tomás"). Sentences written for these tests, not taken from the scored parts."""
from __future__ import annotations

from smartapp.coding.phi import redact


def test_a_guardianship_caption_names_the_patient_everywhere() -> None:
    text = ("IN RE: THE GUARDIANSHIP OF LE T. MAI ANH, AN INCAPACITATED PERSON\n\nMai Anh is frail. Ms. Le eats well. "
            "LOS 4 days.")
    out = redact(text).text
    assert "LE" not in out.split("\n")[0] and "Mai Anh" not in out and "Ms. Le " not in out, out
    assert "LOS 4 days" in out


def test_a_family_name_with_particles_before_the_comma_names_the_given_name_too() -> None:
    text = "Pt: Del Toro, Agustín  (81M)  MRN# 5046411\n\nAgustín walks daily. Mr. Del Toro eats."
    out = redact(text).text
    assert "Agustín" not in out and "Toro" not in out, out
    assert "walks daily" in out
