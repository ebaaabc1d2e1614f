"""E/M by the encounter's setting (Encounter.class): office, preventive, hospital days, ED, or none."""
from __future__ import annotations

from smartapp.coding.pipeline import run
from smartapp.coding.setting import normalize
from smartapp.coding.types import NoteInput

ASSESSMENT = ("Assessment and plan:\n1. Community-acquired pneumonia with fever and hypoxia - start IV "
              "ceftriaxone and azithromycin. Chest x-ray and blood cultures ordered.\n")


def _em(text: str, setting: str | None) -> list[str]:
    return [s.code for s in run([NoteInput("n", text)], setting=setting).suggestions if s.category == "em"]


def test_encounter_class_codes_map_to_settings() -> None:
    assert normalize("AMB") == "office" and normalize("EMER") == "ED" and normalize("IMP") == "inpatient"
    assert normalize("AMB", "Observation stay") == "observation"
    assert normalize(None, "Emergency room admission (procedure)") == "ED"
    assert normalize(None, None) is None


def test_inpatient_days_get_hospital_codes_never_office_codes() -> None:
    initial = _em("Admission H&P\n" + ASSESSMENT, "IMP")
    assert initial and initial[0].startswith("9922") and "G2211" not in initial
    subsequent = _em("Progress note, hospital day 2\n" + ASSESSMENT, "inpatient")
    assert subsequent[0].startswith("9923")
    discharge = _em("Discharge summary\nDischarged home. 45 minutes spent on discharge.\n" + ASSESSMENT, "IMP")
    assert discharge == ["99239"]


def test_emergency_department_visit_gets_an_ed_code() -> None:
    codes = _em(ASSESSMENT, "EMER")
    assert len(codes) == 1 and codes[0] in {"99282", "99283", "99284", "99285"}


def test_home_visit_is_left_out_with_the_reason_shown() -> None:
    result = run([NoteInput("n", ASSESSMENT)], setting="HH")
    assert not [s for s in result.suggestions if s.category == "em"]
    assert any("No E/M suggested" in w for w in result.warnings)


def test_office_and_unknown_setting_keep_office_codes() -> None:
    assert _em(ASSESSMENT, "AMB")[0].startswith("9921")
    assert _em(ASSESSMENT, None)[0].startswith("9921")
