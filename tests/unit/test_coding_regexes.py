"""The faster scans of the coding engine find exactly what the plain regexes find."""
from __future__ import annotations

import random
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

from smartapp.coding import em_rules, screening
from smartapp.coding.procedure_rules import RULES
from smartapp.coding.regexes import _branches, grouped_by_first_char, required_substrings
from smartapp.coding.text import can_match, twin_exact
from smartapp.coding.vaccine_products import PRODUCTS

ROOT = Path(__file__).resolve().parents[2]


def _notes() -> list[str]:
    return [p.read_text() for p in sorted((ROOT / "tests" / "data" / "visit_notes").rglob("*.txt"))]


def test_branches_split_only_the_outermost_alternation() -> None:
    assert _branches(r"a|b(?:c|d)|[|]|[]|]|[^]|]|\||x") == ["a", "b(?:c|d)", "[|]", "[]|]", "[^]|]", r"\|", "x"]


@pytest.mark.parametrize(("source", "needs"), [
    (r"\bpfts?\b", {"pft"}),
    (r"\b(?:ecg|ekg|12[- ]lead)\b", {"ecg", "ekg", "lead"}),
    (r"(?:flu|influenza) (?:vaccine|shot)|fluzone", {"vaccine", "shot", "fluzone"}),
    (r"a(?:bc)?d", {"a"}),
    (r"abc+d", {"abc"}),
    (r"ABc", {"abc"}),
    (r"[abc]|xyz", None),           # a branch of a class only: nothing every match contains
    (r"(a)bc\1", None),             # a back-reference is not read
    (r"(?x)a b c", None),           # VERBOSE: spaces are not literals
])
def test_required_substrings(source: str, needs: set[str] | None) -> None:
    assert required_substrings(source) == (frozenset(needs) if needs is not None else None)


def test_every_procedure_and_vaccine_match_contains_a_required_substring() -> None:
    patterns = [(r.pattern, r.pattern.pattern) for r in RULES] + [(p.pattern, p.names) for p in PRODUCTS]
    for text in _notes():
        lowered = text.lower()
        for pattern, source in patterns:
            if pattern.search(text):
                assert can_match(source, lowered, twin_exact(text, lowered)), (source, text[:80])
            for m in pattern.finditer(text):
                assert any(s in m.group().lower() for s in required_substrings(source) or {""}), (source, m.group())


def test_a_substring_test_is_not_trusted_where_a_letter_folds_without_lowering() -> None:
    # "ſ" (long s) matches "s" under IGNORECASE, but "ſ".lower() is still "ſ".
    text = "Shingrix given; \u017fhingrix"
    assert not twin_exact(text, text.lower())
    assert twin_exact("Shingrix given", "shingrix given")


def test_tests_grouped_by_first_letter_find_the_same_tests() -> None:
    assert em_rules._TESTS_GROUPED is not None
    plain = re.compile(em_rules._TESTS_SOURCE)
    for text in _notes():
        lowered = text.lower()
        assert [(m.span(), em_rules._TEST_KEYS[int((m.lastgroup or "t0")[1:])]) for m in plain.finditer(lowered)] == \
            [(m.span(), em_rules.test_name(m)) for m in em_rules.TESTS_LOWER_RE.finditer(lowered)]


def test_grouping_keeps_the_first_branch_that_matches() -> None:
    source = grouped_by_first_char([("a", "hemoglobin(?! a1c)|cbc"), ("b", "hemoglobin a1c|a1c")])
    assert source is not None
    pattern = re.compile(rf"(?:{source})")
    assert [m.lastgroup for m in pattern.finditer("hemoglobin a1c, hemoglobin, cbc, a1c")] == \
        ["b_0", "a_0", "a_1", "b_1"]
    assert grouped_by_first_char([("a", "[ab]c")]) is None      # first character not plain: no grouping


def test_screening_words_before_screen_are_found_as_by_the_plain_scan() -> None:
    def spans(matches: Iterable[re.Match[str]]) -> list[tuple[int, int]]:
        return [m.span(1) for m in matches]

    rng = random.Random(14)  # noqa: S311 (test data)
    parts = ["screen", "screening", "screenings", "Screen", " ", "  ", "\n", "\t", ".", ";", ":", "hiv", ",",
             "\u017fcreen", "x" * 30, "y" * 79, "screened", "-", "\u00e9"]
    texts = _notes() + ["".join(rng.choice(parts) for _ in range(rng.randint(0, 25))) for _ in range(3000)]
    for text in texts:
        assert spans(screening._before_screen(text)) == spans(screening._BEFORE_RE.finditer(text)), text[:80]
