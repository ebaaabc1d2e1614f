"""The evaluation sets and their scoring rules (scripts/eval_sets.py, scripts/eval_errors.py).

Gold that is not a real, billable code, an E/M code of the wrong setting, or an error class that
lands in the wrong bucket would make `make eval` report numbers nobody can trust.
"""
from __future__ import annotations

import pytest

from scripts import eval_errors as E
from scripts.eval_sets import SEALED, TUNED_ON, labeller_agreement, load
from smartapp.coding.codesets import icd10cm

SETTING_FAMILIES = {"office": {"office", "preventive"}, "inpatient": {"hospital"}, "observation": {"hospital"},
                    "ED": {"ED", "critical care"}}


@pytest.mark.parametrize(("key", "at_least"), [("stress", 40), ("sealed", 20), ("sealed2", 20), ("sealed3", 40),
                                               ("sealed4", 40), ("sealed5", 40),
                                               ("sealed6", 40), ("sealed7", 40),
                                               ("sealed8", 40)])
def test_stress_sets_have_billable_gold_and_a_setting(key: str, at_least: int) -> None:
    cases = load(key)
    assert len(cases) >= at_least
    for case in cases:
        assert case.gold and case.text.strip()
        bad = [c for c in case.gold | case.optional if not icd10cm.is_billable(c)]
        assert not bad, f"{case.doc_id}: not billable in the shipped ICD-10-CM: {bad}"
        assert not case.gold & case.optional
        assert case.setting in SETTING_FAMILIES
        if case.em is not None:
            assert E.em_family(case.em) in SETTING_FAMILIES[case.setting], case.doc_id
    assert {c.setting for c in cases} == set(SETTING_FAMILIES)


def test_sealed_sets_are_not_tuned_on() -> None:
    assert SEALED and not SEALED & set(TUNED_ON)


@pytest.mark.parametrize("key", ["visit_notes", "visit_notes_heldout", "aci_bench"])
def test_every_gold_code_is_billable(key: str) -> None:
    cases = load(key)
    assert cases
    assert not [(c.doc_id, g) for c in cases for g in c.gold if not icd10cm.is_billable(g)]


def test_labeller_agreement_is_the_reported_one() -> None:
    agree = labeller_agreement()
    assert agree is not None and agree["notes"] == 20
    assert agree["full"]["kappa"] == pytest.approx(0.725, abs=0.001)
    assert agree["3char"]["kappa"] == pytest.approx(0.790, abs=0.001)


def _fp(code: str, text: str, evidence: str, gold: frozenset[str] = frozenset({"J20.9"})) -> str:
    start = text.index(evidence)
    return E.classify_fp(code, E.Pred(code, 0.9, start, evidence), text, gold, icd10cm.describe(code) or "")


@pytest.mark.parametrize(("code", "text", "evidence", "expected"), [
    ("Z82.0", "FH: father had a heart attack at 66.", "attack", "word match without meaning"),
    ("I73.9", "Uses a heating pad at night.", "pad", "word match without meaning"),
    ("J02.0", "Her husband had strep throat last month.", "strep throat", "relative's condition coded"),
    ("C34.90", "Lung cancer screening CT discussed.", "Lung cancer", "screening/testing coded as disease"),
    ("Z23", "Has had both COVID vaccines.", "vaccines", "vaccine coded as disease or as given"),
    ("K29.70", "Epigastric pain, likely gastritis.", "gastritis", "uncertain coded as confirmed"),
    ("F17.210", "Never smoker.", "smoker", "negated coded"),
    ("J20.8", "Acute bronchitis.", "bronchitis", "wrong specificity"),
    ("Z00.00", "Follow-up of bronchitis.", "Follow-up", "preventive Z00 on a problem visit"),
])
def test_false_positive_classes(code: str, text: str, evidence: str, expected: str) -> None:
    assert _fp(code, text, evidence) == expected


def test_miss_and_em_classes() -> None:
    assert E.classify_fn("M25.561", {"M25.569"}) == "missed: wrong specificity (paired)"
    assert E.classify_fn("Z79.4", set()) == "missed: status/history/follow-up Z code"
    assert E.classify_fn("S13.4XXA", set()) == "missed: injury"
    assert E.classify_em("99223", "99214") == "E/M setting wrong"
    assert E.classify_em("99214", "99213") == "E/M level wrong"
    assert E.classify_em("99283", None) == "E/M missing"
    assert E.classify_em("99283", "99283") is None


def test_calibration_buckets_share_correct() -> None:
    table = E.calibration([(0.95, True), (0.92, False), (0.55, True)])
    assert table == [{"bucket": "0.5-0.6", "n": 1, "mean_confidence": 0.55, "share_correct": 1.0},
                     {"bucket": "0.9-1.0", "n": 2, "mean_confidence": 0.935, "share_correct": 0.5}]


def test_the_encounter_setting_reaches_the_engine() -> None:
    """make eval passes each note's setting, so an inpatient admission is scored with a hospital E/M."""
    from scripts.eval import code_case, setting_route

    assert setting_route() is not None
    admission = next(c for c in load("stress") if c.doc_id == "s09")
    assert admission.setting == "inpatient"
    em = [s.code for s in code_case(admission, "local").suggestions if s.category == "em"]
    assert em and E.em_family(em[0]) == "hospital"
