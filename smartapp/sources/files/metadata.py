"""Provider and date of service read from an uploaded note's text, by rules.

Labelled lines win ("Provider:", "Rendering provider:", "Attending:", "Signed by:"; "Date of service:",
"DOS:", "Visit date:", "Date of visit:", "Encounter date:"); then a "Dr. First Last" mention; then a
bare "Date:" line. A date on a line about birth (DOB) is never a date of service. Nothing here is the
patient's identity: the patient's name, MRN or birth date are not looked for and never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                        "dec"), start=1)}   # every month's name starts with these 3 letters
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = re.compile(
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})|(?P<us>\d{{1,2}})[/.-](?P<usd>\d{{1,2}})[/.-](?P<usy>\d{{4}}|\d{{2}})\b|"
    rf"(?P<mon>{_MONTH})\.?\s+(?P<mond>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<mony>\d{{4}})|"
    rf"(?P<dmon_d>\d{{1,2}})\s+(?P<dmon>{_MONTH})\.?,?\s+(?P<dmon_y>\d{{4}})",
    re.IGNORECASE)
_DOS_LABEL = re.compile(r"^\W*(?:date\s+of\s+service|service\s+date|dos|date\s+of\s+visit|visit\s+date|"
                        r"encounter\s+date|date\s+of\s+encounter|appointment\s+date)\s*[:#-]", re.IGNORECASE)
_PLAIN_DATE_LABEL = re.compile(r"^\W*date\s*[:#-]", re.IGNORECASE)
_BIRTH = re.compile(r"\b(?:dob|d\.o\.b|birth|born)\b", re.IGNORECASE)
_PROVIDER_LABEL = re.compile(
    r"^\W*(?:rendering\s+provider|attending(?:\s+physician)?|treating\s+provider|provider|physician|clinician|"
    r"seen\s+by|(?:electronically\s+)?signed\s+by|dictated\s+by)\s*[:#-]\s*(?P<name>.+)$", re.IGNORECASE)
_DOCTOR = re.compile(r"\bDr\.?\s+(?P<name>[A-Z][a-zA-Z'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-zA-Z'-]+)?)")
_CREDENTIALS = re.compile(r"\s*,?\s*\b(?:MD|M\.D\.|DO|D\.O\.|NP|PA-C|PA|FNP|RN|DNP|MBBS)\b\.?", re.IGNORECASE)
_HEAD_LINES = 60   # the header of a note says who and when; later dates are history


@dataclass(frozen=True)
class NoteMetadata:
    provider: str | None = None
    date_of_service: date | None = None


def _year(raw: str) -> int:
    """Four digits as they are; two digits in this century unless that is in the future."""
    year = int(raw)
    if year >= 100:
        return year
    return 2000 + year if 2000 + year <= datetime.now().year + 1 else 1900 + year


def parse_date(text: str) -> date | None:
    """The first calendar date in `text` (ISO, US numeric, 'March 4, 2025', '4 March 2025')."""
    for m in _DATE.finditer(text):
        try:
            if m.group("iso"):
                return date.fromisoformat(m.group("iso"))
            if m.group("us"):
                return date(_year(m.group("usy")), int(m.group("us")), int(m.group("usd")))
            if m.group("mon"):
                return date(int(m.group("mony")), _MONTHS[m.group("mon").lower()[:3]], int(m.group("mond")))
            return date(int(m.group("dmon_y")), _MONTHS[m.group("dmon").lower()[:3]], int(m.group("dmon_d")))
        except (ValueError, KeyError):
            continue
    return None


def _clean_name(raw: str) -> str | None:
    name = re.split(r"\s{2,}|\t|;|\|", raw.strip())[0]
    name = re.sub(r"^(?:Dr\.?\s+)", "Dr. ", name.strip(" .,:-"))
    bare = _CREDENTIALS.sub("", name).strip(" ,.")
    if not re.search(r"[A-Za-z]{2,}", bare) or len(name) > 120:
        return None
    return name[:200]


def _provider(lines: list[str]) -> str | None:
    for line in lines:
        m = _PROVIDER_LABEL.match(line)
        if m and (name := _clean_name(m.group("name"))):
            return name
    for line in lines:
        m = _DOCTOR.search(line)
        if m and m.group("name").split()[0] not in {"The", "Patient"}:
            return f"Dr. {m.group('name')}"
    return None


def _date_of_service(lines: list[str]) -> date | None:
    for pattern in (_DOS_LABEL, _PLAIN_DATE_LABEL):
        for line in lines:
            if pattern.match(line) and not _BIRTH.search(line) and (found := parse_date(line)):
                return found
    return None


def read_metadata(text: str) -> NoteMetadata:
    """Provider and date of service from the head of the note (None where the rules find nothing)."""
    lines = [ln.strip() for ln in text.splitlines()[:_HEAD_LINES] if ln.strip()]
    return NoteMetadata(provider=_provider(lines), date_of_service=_date_of_service(lines))
