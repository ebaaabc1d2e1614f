"""The engine's rationale, in a coder's words: where the phrase was found and why it supports the code.

The coding engines write terse, internal rationales ("curated term in cc; 'history of'",
"data: moderate — moderate"). The review page shows them through `for_coder`, which rewrites the known
shapes and leaves anything else as it is; the stored rationale (and the API) keep the engine's words.
"""

from __future__ import annotations

import re

SECTIONS = {
    "assessment_plan": "assessment and plan", "diagnoses": "diagnosis list", "cc": "chief complaint",
    "hpi": "history of present illness", "ros": "review of systems", "exam": "physical exam",
    "vitals": "vital signs", "instructions": "patient instructions", "pmh": "past medical history",
    "psh": "past surgical history", "family": "family history", "social": "social history",
    "meds": "medication list", "allergies": "allergies", "results": "results", "procedures": "procedure note",
    "preamble": "opening lines of the note",
}
_TERM = re.compile(r"^(curated term|ICD-10-CM index/title term) in ([a-z _]+?)(?:; '([^']*)')?(?=;|$)")
_REPEATED = re.compile(r"\b(\w+) — \1\b")


def _section(kind: str) -> str:
    key = kind.strip().replace(" ", "_")
    return SECTIONS.get(key, kind.strip().replace("_", " "))


def _term(match: re.Match[str]) -> str:
    source, kind, cue = match.group(1), match.group(2), match.group(3)
    where = f"Found in the {_section(kind)}"
    why = ("RevRX's coding terms map the quoted phrase to this code" if source == "curated term"
           else "the quoted phrase is this code's ICD-10-CM index entry or title")
    return f"{where}: {why}" + (f" (context: “{cue}”)" if cue else "")


def for_coder(rationale: str | None) -> str:
    text = (rationale or "").strip()
    if not text:
        return ""
    text = _TERM.sub(_term, text, count=1)
    return _REPEATED.sub(r"\1", text)   # "data: moderate — moderate" says it once
