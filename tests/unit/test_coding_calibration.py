"""Calibrated confidence: fitted on the ACI-BENCH labels (scripts/calibrate.py), applied to every
local diagnosis suggestion; the raw engine confidence is still available for fitting."""
from __future__ import annotations

from smartapp.coding import calibration
from smartapp.coding.pipeline import run
from smartapp.coding.types import NoteInput

NOTE = ("HPI: knee pain for a week.\n\nASSESSMENT AND PLAN\n\nHypertension.\n"
        "• Medical Treatment: continue lisinopril.\n\nChronic back pain.\n• Medical Treatment: physical therapy.\n")


def test_the_fitted_table_is_shipped_and_says_what_it_was_fitted_on() -> None:
    counts = calibration.table()
    assert counts and counts["*"][1] >= 100
    assert "ACI-BENCH" in calibration.TABLE_PATH.read_text()


def test_confidence_shown_is_the_calibrated_one() -> None:
    raw = {s.code: s.confidence for s in run([NoteInput("n", NOTE)], calibrated=False).suggestions
           if s.category == "diagnosis"}
    shown = {s.code: s.confidence for s in run([NoteInput("n", NOTE)]).suggestions if s.category == "diagnosis"}
    assert raw.keys() == shown.keys() and raw != shown
    assert all(0.05 <= c <= 0.99 for c in shown.values())
