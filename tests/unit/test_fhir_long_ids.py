"""FHIR ids up to 255 characters (issue 15 item 5): Epic customers may use unconstrained ids longer than
R4's 64; a longer id used to raise ValueError and fail the whole coding job. 256 is still refused, as is
anything outside the id alphabet (it would change the URL)."""

from __future__ import annotations

import pytest

from smartapp.fhir.references import parse_reference
from smartapp.fhir.transport import check_type_and_id

LONG = "eLongEpicId." + "a1b2c3d4e5f6g7h8i9j0" * 9


def test_ids_up_to_255_characters_are_accepted() -> None:
    check_type_and_id("Encounter", LONG)
    check_type_and_id("Encounter", "x" * 255)


@pytest.mark.parametrize("bad", ["x" * 256, "a/b", "a b", ""])
def test_longer_or_malformed_ids_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        check_type_and_id("Encounter", bad)


def test_a_reference_with_a_long_id_is_parsed() -> None:
    ref = parse_reference(f"Encounter/{LONG}")
    assert ref is not None and ref.id == LONG
