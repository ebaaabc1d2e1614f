"""Small tolerant accessors for FHIR JSON shared by the parsers.

Real EHR payloads put strings where lists belong and omit what the spec requires; these helpers
return None (or empty) instead of raising, so one odd field never loses a resource.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def as_list(value: Any) -> list[Any]:
    """A FHIR repeating element as a list, whether the server sent a list, one item, or nothing."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in as_list(value) if isinstance(item, dict)]


def text_of(value: Any) -> str | None:
    """Non-empty stripped string, else None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def concept_text(concept: Any) -> str | None:
    """Readable text of a CodeableConcept (or a bare Coding): text, then a coding's display, then code."""
    if isinstance(concept, list):
        for item in concept:
            found = concept_text(item)
            if found:
                return found
        return None
    if not isinstance(concept, dict):
        return text_of(concept)
    if text := text_of(concept.get("text")):
        return text
    codings = dicts(concept.get("coding")) or [concept]
    for coding in codings:
        if text := text_of(coding.get("display")):
            return text
    for coding in codings:
        if text := text_of(coding.get("code")):
            return text
    return None


def concept_codes(concept: Any) -> list[str]:
    """All codes in a CodeableConcept, a Coding, or a list of either."""
    codes: list[str] = []
    for item in dicts(concept):
        for coding in dicts(item.get("coding")) or [item]:
            if code := text_of(coding.get("code")):
                codes.append(code)
    return codes


def parse_date(value: Any) -> date | None:
    """The calendar date of a FHIR date/dateTime as written (the EHR's local date); None if partial."""
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def as_dict(value: Any) -> dict[str, Any]:
    """A FHIR complex element as a dict, or {} when absent or malformed."""
    return value if isinstance(value, dict) else {}
