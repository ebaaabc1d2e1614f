"""The shape of an assessment and plan: problem headings versus the reasoning under them.

Problem-oriented notes list each problem as a short heading ("Kidney stones.", "1. Hypertension -
above goal", "Diabetes: A1c 8.2, continue metformin") and explain it below ("his echo showed
moderate mitral regurgitation", "colonoscopy 3 years ago showed diverticulosis"). A coder codes the
problems that were assessed; findings and past results mentioned while reasoning about a problem
are not new diagnoses (ICD-10-CM IV.J: code conditions that affect today's care, as the provider
assessed them). This module tells whether a mention is in a problem heading.
"""
from __future__ import annotations

import re
from functools import lru_cache

_LIST_MARK_RE = re.compile(r"[ \t]*(?:[-*•#>]+|\(?\d{1,2}[.)]|[a-z][.)]|"
                           r"(?i:(?:number|problem|#)\s*(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
                           r"[,.:]))?[ \t]*")
# Under a list mark the problem statement may be long ("1. Acute on chronic diastolic heart failure,
# precipitated by dietary sodium nonadherence, in a patient with hypertensive heart and CKD.").
_MAX_LISTED_WORDS = 30
# A heading ends at the first colon, full stop (not an initial: "sepsis due to E. coli"), dash, semicolon or
# opening parenthesis.
_HEAD_END_RE = re.compile(r":|(?<![\s(][A-Z])\.(?:\s|$)|\s[-–—]\s|;|\(|,\s+(?:which|that|likely|stable|improv|worse|"
                          r"well|poorly|not|with (?:no|good|fair))", re.IGNORECASE)
# A heading names a problem; a sentence has a subject and a verb.
SENTENCE_RE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|should|reports?|states?|presents?|"
                          r"denies|notes?|complains?|we|i|he|she|they|patient|discussed|recommend\w*|"
                          r"advised|continue|start|order\w*|refer\w*)\b", re.IGNORECASE)
_MAX_HEAD_WORDS = 16
_ITEM_BREAK_RE = re.compile(r";[ \t]*|\.[ \t]+(?=[A-Z])")
_INLINE_NUMBER_RE = re.compile(r"(?:(?<=[.;:] )|(?<=[.;:]  ))(?:\(?\d{1,2}[.)]|(?:one|two|three|four|five|six|seven|"
                               r"eight|nine|ten|first|second|third|fourth|fifth|number \w+)[,.:])[ \t]+",
                               re.IGNORECASE)
# A section label on the line of the first problem.
# A listed line that is a sentence about the patient, not a problem ("2. She was seen by ...").
_PROSE_START_RE = re.compile(r"(?:she|he|they|we|i|the patient|patient|pt|her|his|discussed|continue|start|"
                             r"order|refer|recommend|return|follow)\b", re.IGNORECASE)
_SECTION_LABEL_RE = re.compile(r"(?:assessment(?:\s*(?:and|&|/)\s*plan)?|impression(?:\s*(?:and|&|/)\s*plan)?|"
                               r"(?:(?:final|discharge|principal|primary|secondary|working|admission|admitting|other|"
                               r"additional|active|chronic)\s+)?(?:diagnos[ie]s|problems?|conditions)|secondary|"
                               r"comorbidit(?:y|ies)|dx|a/p|a|assessment/plan)[ \t]*:[ \t]*", re.IGNORECASE)
# Prose assessments name the problem at the start of a paragraph: "Regarding his diabetes, ...",
# "In terms of her hypertension, ...", "The patient's coronary artery disease is stable."
_PROSE_HEAD_RE = re.compile(r"(?:regarding|in regards? to|with regards? to|as for|concerning|in terms of)\s+"
                            r"(?:(?:his|her|their|the patient's|the)\s+)?(?P<a>[^,.;:\n]{2,60}),|"
                            r"(?:the patient's|his|her)\s+(?P<b>[^,.;:\n]{2,60}?)\s+"
                            r"(?:is|are|has been|have been|remains?|appears?|seems?)\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def head_span(text: str, pos: int) -> tuple[int, int] | None:
    """The problem heading of the line holding ``pos``, or None when that line is prose.

    Cached: the guideline rules ask about the same mentions of one note several times (a small
    cache, as it keeps its notes' texts alive)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    mark = _LIST_MARK_RE.match(text, line_start, line_end)
    start = mark.end() if mark else line_start
    # Several numbered problems on one line ("One, leiomyoma. Two, heavy menstrual bleeding ..." or
    # "1. HTN - stable. 2. DM - A1c 7.1"): the heading starts at the number before ``pos``.
    for number in _INLINE_NUMBER_RE.finditer(text, start, pos):
        start = number.end()
    label = _SECTION_LABEL_RE.match(text, start, line_end)
    if label and label.end() < line_end:
        start = label.end()     # "Assessment: Hand, foot and mouth disease." - the heading follows the label
        # "Secondary: hypertensive heart disease; CKD stage 3b; hyperkalemia" and "Assessment: left ankle
        # sprain. Right knee pain.": on a labelled line each item and each sentence is a heading.
        for item in _ITEM_BREAK_RE.finditer(text, start, pos):
            start = item.end()
    m = _HEAD_END_RE.search(text, start, line_end)
    while m and m.group() == "(":
        # A short aside inside the heading ("diastolic (HFpEF) heart failure") does not end it.
        close = text.find(")", m.end(), min(line_end, m.end() + 25))
        if close < 0 or not re.match(r"[ \t]+[A-Za-z]", text[close + 1:close + 3]):
            break
        m = _HEAD_END_RE.search(text, close + 1, line_end)
    end = m.start() if m else line_end
    head = text[start:end]
    words = head.split()
    listed = bool(mark and mark.group().strip())
    if not words or len(words) > (_MAX_LISTED_WORDS if listed else _MAX_HEAD_WORDS) \
            or SENTENCE_RE.search(head) and not (listed and not _PROSE_START_RE.match(head)):
        prose = _PROSE_HEAD_RE.match(text, start, line_end)
        if prose:
            group = "a" if prose.group("a") else "b"
            return prose.start(group), prose.end(group)
        return None
    return start, end


def in_head(text: str, start: int, end: int) -> bool:
    span = head_span(text, start)
    return span is not None and span[0] <= start and end <= span[1] + 1
