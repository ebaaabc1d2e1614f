"""PHI redaction measured on every ACI-BENCH note (CC BY 4.0, Yim et al. 2023; data/aci-bench):
the patient's names with the metadata as the deny list, injected synthetic identifiers of every kind,
and the clinical content that must survive. scripts/eval_phi.py prints the same numbers as a table."""
from __future__ import annotations

from pathlib import Path

import pytest

from scripts.eval_phi import measure_clinical, measure_injected, measure_names
from scripts.phi_corpus import AciNote, inject, load_aci
from smartapp.coding.phi import redact
from smartapp.coding.types import Demographics

NOTES = load_aci()


def test_every_occurrence_of_the_patients_names_is_redacted() -> None:
    result = measure_names(NOTES)
    assert result["notes"] == 87
    assert result["occurrences"] >= 150
    assert result["missed"] == []
    assert result["rate"] == 1.0


def test_at_least_99_percent_of_injected_identifiers_are_redacted() -> None:
    result = measure_injected(NOTES)
    assert result["identifiers"] >= 500
    assert result["rate"] >= 0.99, result["missed"][:10]
    kinds = result["by_kind"]
    assert set(kinds) >= {"NAME_TITLE", "NAME_FREE", "DATE", "PHONE", "FAX", "ID", "SSN", "ADDRESS", "LOCATION",
                          "EMAIL", "URL"}
    for kind, row in kinds.items():
        assert row["injected"] >= 10, kind
        assert row["rate"] >= 0.97, (kind, row)


def test_templates_written_after_tuning_are_redacted_too() -> None:
    result = measure_injected(NOTES, heldout=True)
    assert result["identifiers"] >= 400
    assert result["rate"] >= 0.95, result["missed"][:10]


def test_clinical_terms_and_measurements_survive_redaction() -> None:
    result = measure_clinical(NOTES, coding=False)
    assert result["occurrences"] >= 1500
    assert result["rate"] >= 0.995, result["lost"]


def test_an_injected_note_reads_as_the_original_with_placeholders() -> None:
    note = next(n for n in NOTES if n.first_name and n.family_name)
    inj = inject(note, 0)
    red = redact(inj.text, Demographics(names=(f"{note.first_name} {note.family_name}",)))
    for ident in inj.identifiers:
        assert ident.value not in red.text, ident
    assert note.first_name not in red.text and note.family_name not in red.text
    # Only identifiers go: what is redacted is about as long as what was injected plus the names.
    secret_chars = sum(i.end - i.start for i in inj.identifiers) + sum(
        len(m) for m in (note.first_name, note.family_name) for _ in range(inj.text.lower().count(m.lower())))
    assert red.redacted_chars <= 1.2 * secret_chars
    assert "HISTORY OF PRESENT ILLNESS" in red.text


def test_name_parts_that_are_ordinary_words_only_match_capitalised() -> None:
    demo = Demographics(names=("Brian White",))
    red = redact("Brian White is here. White reports a low white blood cell count. WHITE, BRIAN.", demo)
    assert "Brian" not in red.text and "White reports" not in red.text and "WHITE" not in red.text
    assert "low white blood cell count" in red.text


def test_clinical_values_that_look_like_dates_are_kept() -> None:
    text = ("Grade 2/6 systolic ejection murmur. Strength 4/5 on the right, 5/5 on the left. Pain 7-8/10. "
            "BP 128/76. Seen on 3/14 and again 04/2021. Cushing's Syndrome was ruled out.")
    red = redact(text).text
    for keep in ("2/6 systolic", "Strength 4/5", "5/5 on the left", "7-8/10", "128/76", "Cushing's Syndrome"):
        assert keep in red, keep
    assert "3/14" not in red and "04/2021" not in red


def test_a_name_found_once_by_context_is_redacted_everywhere() -> None:
    red = redact("Spoke with Ifeoma Okafor at the pharmacy. Later Ifeoma confirmed the dose; Okafor will fax it.")
    assert "Ifeoma" not in red.text and "Okafor" not in red.text
    assert "confirmed the dose" in red.text


def test_patient_called_will_or_may_is_still_redacted() -> None:
    red = redact("Will May says the cough is better. May reports no fever.", Demographics(names=("Will May",)))
    assert "Will" not in red.text and "May" not in red.text
    assert "cough is better" in red.text


def test_aci_note_loader_keeps_metadata_names() -> None:
    first = NOTES[0]
    assert isinstance(first, AciNote) and first.encounter_id == "D2N001"
    assert first.names == ("Martha", "Collins") and "Martha Collins" in first.text


def test_aci_notes_ship_with_the_repository_and_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    assert len(NOTES) == 87  # read from data/aci-bench, nothing outside the repository
    with pytest.raises(FileNotFoundError, match="data/"):
        load_aci(tmp_path)
