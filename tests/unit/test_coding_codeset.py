"""The ICD-10-CM code set as the UI uses it: lookups and typeahead search."""

from __future__ import annotations

from smartapp.coding.codesets import icd10cm
from smartapp.coding.lexicon import ENTRIES


def test_describe_billable_and_normalize() -> None:
    assert icd10cm.normalize("e119") == "E11.9"
    assert icd10cm.normalize("I10") == "I10"
    assert icd10cm.describe("E11.9") == "Type 2 diabetes mellitus without complications"
    assert icd10cm.is_billable("E11.9") and icd10cm.is_billable("I10")
    assert not icd10cm.is_billable("E11")  # a category
    assert not icd10cm.is_billable("S93.402")  # needs its 7th character
    assert icd10cm.is_billable("S93.402A")
    assert not icd10cm.is_billable("XYZ") and icd10cm.describe("XYZ") is None


# How fast the typeahead answers is measured by `make bench` (scripts/bench_coding.py), not here: a
# timed assertion fails on a busy CI host without anything being wrong.
def test_typeahead_diab_returns_type_2_diabetes_codes() -> None:
    for query in ("diab", "hypert", "asth", "knee pa", "fractu", "E11.6", "chronic kid"):
        assert icd10cm.search(query), query
    hits = icd10cm.search("diab")
    codes = [c for c, _ in hits]
    assert any(c.startswith("E11.") for c in codes)
    assert all(icd10cm.is_billable(c) for c in codes)
    assert len(hits) == 20


def test_typeahead_by_code_prefix_and_abbreviation() -> None:
    hits = icd10cm.search("E11.6", limit=5)
    assert hits and all(c.startswith("E11.6") for c, _ in hits)
    assert icd10cm.search("htn", 3)[0][0] == "I10"
    assert icd10cm.search("zzzzqq") == []


def test_every_curated_code_is_billable_or_takes_a_seventh_character() -> None:
    for entry in ENTRIES:
        for code in (entry.code, *(c for _, c in entry.sides)):
            assert icd10cm.is_billable(code) or icd10cm.needs_seventh(code), code


def test_resolve_billable_picks_the_unspecified_child() -> None:
    assert icd10cm.resolve_billable("E11") == ("E11.9", True)
    assert icd10cm.resolve_billable("J45") == ("J45.909", True)
    assert icd10cm.with_side("M25.569", "left") == "M25.562"
