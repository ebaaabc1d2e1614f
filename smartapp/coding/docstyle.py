"""Which kind of document a note is, read from its own text: a visit note or a published case report.

A visit note documents one encounter for a claim: an assessment states the diagnoses, and the signs
and symptoms routinely part of them are not coded (guideline I.B.5). A case report (a journal's
"clinical case": "A 59-year-old man presented with ... Ultrasound showed ... He was discharged")
is a narrative of a whole illness in the past tense, with no headings and no assessment; its coders
(CodiEsp, CLEF eHealth 2020) code every finding the narrative reports, the symptoms beside the
diagnosis that explains them included. The coding rules that follow that convention only apply
when this module says the note is a case report, so that visit notes, dictated ones too ("comes in
today ... period. Assessment ..."), keep the guideline rules.

The signal is the text's own: no section headings, several past-tense narrative verbs, and almost
no marks of an encounter being documented (today, plan, assessment, follow-up, return, first person
plans, dictation punctuation). Never the name of a file or a data set.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .sections import Section

# Past-tense narrative of a course of illness ("was admitted", "presented", "CT showed").
_NARRATIVE_RE = re.compile(
    r"\b(?:(?:was|were) (?:admitted|performed|diagnosed|treated|referred|started|observed|found|discharged|"
    r"detected|evidenced|carried out|requested|done|operated|initiated|instituted|confirmed)|"
    r"(?:is|are|was|were) (?:observed|performed|evidenced|detected|described)|"
    r"presented|showed|revealed|underwent|developed|consulted|evolved|we report|case of|we performed|"
    r"came to|comes to (?:the|our)|our (?:service|department|hospital|center|centre|unit|clinic)|"
    r"histolog\w+|patholog\w+ (?:study|examination|analysis|report)|(?:was|were) normal|"
    r"evolution|on admission|at admission)\b",
    re.IGNORECASE)
# Marks of one encounter being documented ("comes in today", "Plan, ...", "follow up in 2 weeks").
_VISIT_RE = re.compile(
    r"\b(?:today|tonight|this morning|this visit|comes? in|came in today|here for|presents? (?:today|for)|"
    r"assessment|plan|follow[- ]?up (?:visit|in)|return (?:in|to clinic)|recheck|"
    r"i (?:will|have|am|think|discussed|recommend)|we (?:will|discussed)|will (?:start|continue|follow|"
    r"see|check|order|refer)|period|comma|new paragraph|dictat\w*|chief complaint|"
    r"(?:he|she) (?:reports|states|denies|is here))\b", re.IGNORECASE)

_MIN_NARRATIVE = 3


def is_case_report(text: str, sections: Sequence[Section]) -> bool:
    """True for a case-report narrative: no headings, past-tense course, no encounter marks."""
    if any(s.kind != "preamble" for s in sections):
        return False
    narrative = len(_NARRATIVE_RE.findall(text))
    if narrative < 2:
        return False
    visit = len(_VISIT_RE.findall(text))
    # A short case report may have two narrative verbs and nothing of a visit; otherwise the
    # narrative must clearly outweigh the marks of an encounter.
    return visit == 0 or narrative >= max(_MIN_NARRATIVE, 2 * visit)
