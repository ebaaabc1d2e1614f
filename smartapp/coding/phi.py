"""PHI redaction for anything that leaves the process (OpenAI, Comprehend Medical).

Two layers: the patient's own demographics from FHIR as a deny list (every name part on its own,
case-insensitive; birth date in the usual spellings; identifiers, phones, emails, address lines),
then patterns for PHI of anyone (names after titles, dates, phone/fax, MRN/account numbers, SSN,
street addresses, emails, URLs). Placeholders such as ``[NAME]`` do not keep the original length,
so :class:`Redaction` keeps the spans and maps offsets in the redacted text back to the original.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .types import Demographics

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("URL", re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)),
    ("SSN", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("PHONE", re.compile(r"(?<!\w)(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}\b")),
    ("ID", re.compile(r"\b(?:MRN|medical record(?: number)?|acct|account(?: number)?|member id|"
                      r"patient id|id|insurance id|policy(?: number)?)\s*(?:#|no\.?|number)?\s*[:#]?\s*"
                      r"([A-Z]*\d[\w-]{3,})\b", re.IGNORECASE)),
    ("DATE", re.compile(rf"\b(?:\d{{1,2}}[/-]\d{{1,2}}[/-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}|"
                        rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
                        rf"\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
                        rf"\d{{1,2}}/(?!10\b)\d{{1,2}}\b(?!\s*(?:mmhg|mg)))", re.IGNORECASE)),
    ("ADDRESS", re.compile(r"\b\d{1,6}\s+(?:[A-Z][a-z]+\.?\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|"
                           r"Blvd|Lane|Ln|Drive|Court|Ct|Way|Place|Pl|Terrace|Circle|Cir|Highway|Hwy|Parkway|"
                           r"Pkwy)\b\.?(?:,?\s+(?:Apt|Unit|Suite|#)\s*\w+)?")),
    ("NAME", re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+((?:[A-Z][a-zA-Z'-]+\s?){1,3})")),
    ("NAME", re.compile(r"\b(?:patient name|name|patient|pt)\s*:\s*((?:[A-Z][a-zA-Z'-]+\s?){1,3})",
                        re.IGNORECASE)),
    ("ZIP", re.compile(r"\b\d{5}(?:-\d{4})\b")),
]
# "Dr." alone or before a capitalised word that is really a clinical term should stay.
_NOT_NAMES = frozenset({"The", "Patient", "History", "Plan", "Assessment", "Exam", "Normal"})


@dataclass(frozen=True)
class RedactedSpan:
    start: int      # in the original text
    end: int
    label: str      # NAME, DATE, PHONE, ...


@dataclass(frozen=True)
class Redaction:
    text: str
    spans: tuple[RedactedSpan, ...]

    @property
    def redacted_chars(self) -> int:
        return sum(s.end - s.start for s in self.spans)

    def to_original(self, pos: int) -> int:
        """Map an offset in the redacted text to the original text (placeholders map to their span)."""
        shift = 0
        for s in self.spans:
            placeholder = len(s.label) + 2
            red_start = s.start + shift
            if pos < red_start:
                break
            if pos < red_start + placeholder:
                return s.start
            shift += placeholder - (s.end - s.start)
        return pos - shift


def _date_spellings(iso: str) -> list[str]:
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return [iso]
    month = d.strftime("%B")
    return [iso[:10], f"{d.month}/{d.day}/{d.year}", f"{d.month:02d}/{d.day:02d}/{d.year}",
            f"{d.month}-{d.day}-{d.year}", f"{d.month:02d}-{d.day:02d}-{d.year}",
            f"{d.month}/{d.day}/{d.year % 100:02d}", f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
            f"{month} {d.day}, {d.year}", f"{month} {d.day} {d.year}", f"{d.day} {month} {d.year}",
            f"{month[:3]} {d.day}, {d.year}", f"{month[:3]}. {d.day}, {d.year}"]


def _digits_pattern(value: str) -> re.Pattern[str] | None:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    # Any punctuation between the digits: 555-123-4567, (555) 123 4567, 555.123.4567.
    return re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?" + r"\D{0,2}".join(digits) + r"(?!\d)")


def _deny_list(demo: Demographics) -> list[tuple[str, re.Pattern[str]]]:
    out: list[tuple[str, re.Pattern[str]]] = []
    parts: set[str] = set()
    for name in demo.names:
        if name.strip():
            out.append(("NAME", re.compile(re.escape(name.strip()), re.IGNORECASE)))
        parts.update(p for p in re.split(r"[\s,]+", name) if len(p.strip(".")) >= 2)
    for part in sorted(parts, key=len, reverse=True):
        out.append(("NAME", re.compile(rf"(?<![\w]){re.escape(part.strip('.'))}(?:'s)?(?![\w])", re.IGNORECASE)))
    if demo.birth_date:
        for spelling in _date_spellings(demo.birth_date):
            out.append(("DATE", re.compile(re.escape(spelling), re.IGNORECASE)))
    for ident in demo.identifiers:
        if len(ident.strip()) >= 3:
            out.append(("ID", re.compile(rf"(?<!\w){re.escape(ident.strip())}(?!\w)", re.IGNORECASE)))
    for phone in demo.phones:
        pat = _digits_pattern(phone)
        if pat:
            out.append(("PHONE", pat))
    for email in demo.emails:
        out.append(("EMAIL", re.compile(re.escape(email.strip()), re.IGNORECASE)))
    for addr in demo.addresses:
        for line in re.split(r"[,\n]", addr):
            if len(line.strip()) >= 4 and not line.strip().isdigit() or re.fullmatch(r"\s*\d{5}\s*", line):
                out.append(("ADDRESS", re.compile(rf"(?<!\w){re.escape(line.strip())}(?!\w)", re.IGNORECASE)))
    return out


def redact(text: str, demographics: Demographics | None = None) -> Redaction:
    """Replace PHI with ``[LABEL]`` placeholders; the patient's own details first."""
    found: list[RedactedSpan] = []
    rules = (_deny_list(demographics) if demographics else []) + _PATTERNS
    for label, pat in rules:
        for m in pat.finditer(text):
            start, end = (m.start(1), m.end(1)) if pat.groups and m.group(1) else (m.start(), m.end())
            value = text[start:end].strip()
            if label == "NAME" and (not value or value.split()[0] in _NOT_NAMES):
                continue
            end = start + len(text[start:end].rstrip())
            found.append(RedactedSpan(start, end, label))
    spans = _merge(found)
    pieces: list[str] = []
    pos = 0
    for s in spans:
        pieces.append(text[pos:s.start])
        pieces.append(f"[{s.label}]")
        pos = s.end
    pieces.append(text[pos:])
    return Redaction("".join(pieces), tuple(spans))


def _merge(spans: list[RedactedSpan]) -> list[RedactedSpan]:
    """Overlapping spans become one; the earlier-found (deny list) label wins."""
    out: list[RedactedSpan] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if out and s.start < out[-1].end:
            last = out[-1]
            out[-1] = RedactedSpan(last.start, max(last.end, s.end), last.label)
        else:
            out.append(s)
    return out
