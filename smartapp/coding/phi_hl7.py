"""Names and places in HL7 v2 segments pasted into a document (a layer of :mod:`.phi`).

A lab or ADT message reaches the app as text: "MSH|^~\\&|EPIC|<facility>|...", "PV1|1|I|5W^512^A|||<id>^<last>^
<first>^D^^^MD|...", "OBR|...||<ordering id>^<last>^<first>|...". Its fields are delimited, so where a name stands
is known by position: MSH-4 and MSH-6 are the sending and receiving facilities, an extended person name
(XCN/XPN) is "<id>^<last>^<first>^<middle>...", and a free-text field or component of words in a PV1, OBR or ORC
segment names a place. Coded components ("80053^CMP^CPT", "85025^CBC W AUTO DIFF^CPT") stay.
"""
from __future__ import annotations

import re

from .phi_facilities import NOT_PLACE_LETTERS
from .phi_unknown import ACRONYMS
from .phi_words import STOP_WORDS, lexicon

_SEGMENT = re.compile(r"^(?P<id>MSH|PID|PV1|PV2|OBR|OBX|ORC|NK1|IN1|GT1|DG1|PR1|TXA|EVN|NTE|ROL|PRT)\|[^\n]*",
                      re.MULTILINE)
# A person in an XCN/XPN field: an optional identifier, then family and given name.
_PERSON = re.compile(r"(?:^|(?<=[|~]))\d*\^(?P<last>[A-Za-z][A-Za-z' -]*[A-Za-z])\^(?P<first>[A-Za-z][A-Za-z'-]*)"
                     r"(?P<rest>(?:\^[^|^~]*)*)")
# The coding system that ends a coded element ("^CPT", "^LN", "^I10"): its text is a test, not a person.
_CODE_SYSTEM = re.compile(r"\^(?:CPT|CPT4|LN|LOINC|L|I9|I9C|I10|ICD10|ICD10CM|SCT|SNM|NDC|RXNORM|CVX|HCPCS|C4|HL7\w*|"
                          r"99\w*)(?:\^|$)")
_WORDS = re.compile(r"[A-Za-z][A-Za-z'&.-]*(?:[ \t]+[A-Za-z][A-Za-z'&.-]*)*")


def _names_a_place(value: str) -> bool:
    """Words that name something: not one code, abbreviation, clinical or section word."""
    lex = lexicon()
    words = value.split()
    if len(value) < 3 or not _WORDS.fullmatch(value):
        return False
    if len(words) == 1 and (words[0].isupper() and len(words[0]) <= 4 or words[0] in ACRONYMS):
        return False        # "MED", "ED", "EPIC": a service or an application's code
    return not all(w in NOT_PLACE_LETTERS or w in ACRONYMS or w.lower() in STOP_WORDS
                   or w.lower() in lex.clinical and w.lower() not in lex.clinical_proper for w in words)


def hl7_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of the names and places in the HL7 segments of ``text``."""
    out: list[tuple[int, int, str]] = []
    for seg in _SEGMENT.finditer(text):
        line, base = seg.group(), seg.start()
        people: list[tuple[int, int]] = []
        for m in _PERSON.finditer(line):
            if _CODE_SYSTEM.match(m.group("rest") + "^") or _CODE_SYSTEM.search("^" + m.group("first") + "^"):
                continue        # "80053^CMP^CPT": a test and its coding system
            people.append((m.start("last"), m.end("first")))
            out += [(base + m.start("last"), base + m.end("last"), "NAME"),
                    (base + m.start("first"), base + m.end("first"), "NAME")]
        fields = [(f.start(), f.group()) for f in re.finditer(r"[^|]+", line)]
        if seg.group("id") == "MSH":
            # MSH-1 is the "|" itself: the text's fields are MSH, MSH-2, MSH-3, MSH-4 (sending facility), ...
            for index in (3, 5):
                start, value = next(((s, v) for s, v in fields if line[:s].count("|") == index), (0, ""))
                if value and _names_a_place(value.split("^")[0]):
                    out.append((base + start, base + start + len(value.split("^")[0]), "FACILITY"))
            continue
        if seg.group("id") not in ("PV1", "PV2", "OBR", "ORC", "TXA"):
            continue
        for start, value in fields[1:]:
            pos = start
            for component in value.split("^"):
                inside = any(a <= pos < b for a, b in people)
                if not inside and _names_a_place(component) and not _CODE_SYSTEM.search("^" + value + "^"):
                    out.append((base + pos, base + pos + len(component), "FACILITY"))
                pos += len(component) + 1
    return out
