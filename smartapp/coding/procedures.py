"""Procedure CPT suggestions for office procedures documented as done at this visit.

A procedure phrase (see :mod:`.procedure_rules`) counts only when the sentence says it was done
today: a "performed/done/given/today/in office" marker, a result from a point-of-care test, a
phrase that is itself the act ("cerumen removed"), or a procedure-note section. Ordered, planned,
recommended, declined, historical ("last year", "in 2019", "at home") and negated mentions are not
coded. Diagnosis pointers for each line are the write-back's job, not this module's.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .assertions import classify
from .procedure_rules import BY_CODE, RULES, SIMPLE_REPAIR_BY_CM, SNOMED_TO_CPT, ProcedureRule
from .sections import Section, kind_at
from .text import can_match, finditer_fast, sentences, twin_exact
from .types import CPT, CodeSuggestion, EvidenceSpan, NoteInput
from .vaccine_products import PRODUCTS

_DONE = re.compile(r"\b(?:performed|done|obtained|administered|given|gave|completed|placed|today|in (?:the )?"
                   r"(?:office|clinic)|in-office|point[- ]of[- ]care|poc|poct|bedside|this visit|tolerated|"
                   r"procedure)\b", re.IGNORECASE)
_NOT_DONE = re.compile(
    r"\b(?:will|would|going to|plan|plans|planned|planning|schedule|scheduled|order|ordered|ordering|recommend|"
    r"recommended|refer|referred|referral|consider|considering|next (?:visit|time|week|appointment)|return for|due|"
    r"declined|declines|declining|deferred|defers|refused|refuses|refusing|if needed|as needed|prn|pending|to be|"
    r"should|may|might|wants|would like|discussed|"
    r"at home|home nebuli[sz]er|last (?:year|month|week|visit)|most recent|previous|previously|prior|ago|history of|"
    r"in (?:19|20)\d\d|at (?:the )?(?:er|ed|emergency|hospital|urgent care)|in (?:the )?(?:hospital|nursery)|"
    r"at birth|at delivery|outside|"
    # a vaccine history: "Shingles vaccine series completed", "influenza vaccine also given then"
    r"series (?:is |was )?completed?|completed? (?:the |his |her |their )?series|up to date|utd|given then|"
    r"elsewhere|another (?:office|clinic|practice)|has had|have had|already|"
    # "Shingrix done 2023", "Flu done in Oct": the date of an earlier dose
    r"(?:done|given|received|had) (?:in )?(?:(?:19|20)\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec))\b",
    re.IGNORECASE)
# A section label opening the sentence ("Plan:", "A/P:", "Immunizations:").
_LABEL_RE = re.compile(r"^[ \t]*[A-Za-z][A-Za-z/& ]{0,30}:[ \t]*")
# A refusal later on the same line, past a semicolon or comma the sentence splitter stops at.
_DECLINED_LATER = re.compile(r"\b(?:declined|declines|refused|refuses|deferred|defers)\b", re.IGNORECASE)
_DONE_WORD = re.compile(r"\b(?:given|administered|performed|done|placed)\b", re.IGNORECASE)
# A dose, route, site or lot written after a vaccine: what was given, not what was discussed.
_VACCINE_GIVEN = re.compile(r"\b(?:\d(?:\.\d+)? ?ml (?:im|sq|subcut\w*|intranasal\w*|po|oral\w*)|"
                            r"(?:im|intramuscular\w*|subcut\w*|sq|sc)\W{1,3}(?:in the )?(?:(?:left|right|l|r)\W{1,2})?"
                            r"(?:deltoid|thigh|arm|vastus\w*)|lot (?:#|number|no)|by mouth|orally)\b", re.IGNORECASE)
# Sections where a procedure mention is history or a list, not something done at this visit.
_SKIP = frozenset({"hpi", "pmh", "psh", "family", "social", "meds", "allergies", "ros", "cc", "instructions"})
_IN_OFFICE = re.compile(r"\b(?:in (?:the )?(?:office|clinic)|in-office|point[- ]of[- ]care|poc|poct)\b", re.IGNORECASE)
_STRIPS_ONLY = re.compile(r"steri-?strips?|butterfly", re.IGNORECASE)
_CLOSURE = re.compile(r"sutur|stitch|stapl|dermabond|tissue adhesive", re.IGNORECASE)
_WOUND_SIZE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(cm|mm)\b[^.\n]{0,30}\b(?:laceration|wound|cut)\b", re.IGNORECASE)
_CM_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(cm|mm)\b", re.IGNORECASE)


def _repair_code(sentence: str, note: str) -> tuple[str, str]:
    sizes = [float(v) / (10 if unit.lower() == "mm" else 1) for v, unit in _CM_RE.findall(sentence)]
    if not sizes:      # the length is often in the exam: "3.5 cm linear laceration of the left palm"
        sizes = [float(v) / (10 if unit.lower() == "mm" else 1) for v, unit in _WOUND_SIZE_RE.findall(note)[:1]]
    if not sizes:
        return "12001", "length not documented: smallest size assumed"
    total = sum(sizes)
    return next(code for limit, code in SIMPLE_REPAIR_BY_CM if total <= limit), f"total length {total:g} cm"


def done_here(text: str, start: int, end: int, section: str, rule: ProcedureRule) -> tuple[bool, str]:
    """Was the procedure mentioned at ``text[start:end]`` (inside one sentence) done at this visit?"""
    s_start = text.rfind("\n", 0, start) + 1
    for s, e in sentences(text, s_start, len(text)):
        if s <= start < e or s >= start:
            s_start, s_end = s, max(e, end)
            break
    else:
        s_end = end
    sentence = text[s_start:s_end]
    window = text[max(s_start, start - 40):min(s_end, end + 50)]
    if section in _SKIP and not (section == "hpi" and _IN_OFFICE.search(window)):
        return False, ""
    if _NOT_DONE.search(_LABEL_RE.sub("", sentence, count=1)):     # "Plan: Shingrix given today" is no plan
        return False, ""
    line_end = text.find("\n", end)
    refusal = _DECLINED_LATER.search(text, end, min(end + 60, line_end if line_end >= 0 else len(text)))
    if refusal and not _DONE_WORD.search(text, end, refusal.start()):
        return False, ""        # "Offered flu vaccine today; patient declined", not "Flu shot given; Tdap declined"
    assertion, trigger = classify(text, s_start, s_end, start, end)
    # "Rapid strep negative" negates the disease, not the test: a result means it was done. A vaccine named in a
    # list of vaccines is what the list is about ("Vaccines today: Kinrix 0.5 mL IM").
    if assertion != "present" and not (assertion == "negated" and trigger.lower() in ("negative", "neg")) \
            and not (rule.code == "90471" and trigger in ("vaccine", "vaccine list")):
        return False, ""
    after = text[end:s_end]
    if section == "procedures":
        return True, "documented in the procedure section"
    if rule.done_by_phrase:
        return True, "the note describes the procedure being done"
    if rule.result and rule.result.search(sentence if rule.code == "93000" else after):
        return True, "a result of the test done here is documented"
    # The marker must be near the mention: "her PFTs ... and the exam today" is not a PFT today.
    m = _DONE.search(text, max(s_start, start - 40), min(s_end, end + 50))
    if m:
        return True, f'documented as done ("{m.group()}")'
    if rule.code == "90471":
        route = _VACCINE_GIVEN.search(text, start, min(s_end, end + 80))
        if route:       # "Influenza vaccine, high-dose (Fluzone High-Dose), 0.5 mL IM, left deltoid."
            return True, f'documented as given ("{route.group()}")'
    lead = _LIST_LEAD_RE.search(text, 0, s_start)
    if lead and _DONE.search(lead.group("lead")) and not _NOT_DONE.search(lead.group("lead")):
        # A list item under "Administered today:" ("- Tdap 0.5 mL IM left deltoid").
        return True, f'listed under "{lead.group("lead").strip()}"'
    return False, ""


# The line that introduces a list ending with a colon, and the list items after it up to ``pos``.
_LIST_LEAD_RE = re.compile(r"(?P<lead>[^\n]*:)[ \t]*\n(?:[ \t]*[-*\u2022][^\n]*\n)*(?:[ \t]*[-*\u2022][ \t]*)?\Z")


_ESCAPE_RE = re.compile(r"\\[A-Za-z]|\(\?[:!=<P]?(?:<[A-Za-z_]+>)?")
_LETTERS_RE = re.compile(r"[a-z0-9]{3,}")
_COMMON = frozenset(["was", "were", "the", "and", "for", "with", "his", "her", "him", "she", "they", "this",
                     "that", "from", "into", "onto", "per", "via", "are", "has", "had", "have", "been", "not",
                     "today", "our", "your", "their", "its", "then", "than", "also"])
# Word endings in alternations ("inject(?:ion|ed)") are no evidence of a mention on their own.
_SUFFIXES = frozenset(["ion", "ions", "ied", "ies", "ing", "ings", "age", "ment", "ness"])
_OPTIONAL_RE = re.compile(r"[a-z0-9][?*]")


@functools.cache
def _fragments(pattern: str) -> tuple[str, ...]:
    """Letter runs of a rule's pattern: every match contains one of them (escapes and group syntax
    removed; character classes only add fragments, which makes the check looser, never wrong)."""
    # A character followed by ? or * may be absent from the match ("pfts?" matches "pft").
    bare = _OPTIONAL_RE.sub(" ", _ESCAPE_RE.sub(" ", pattern).lower())
    words = set(_LETTERS_RE.findall(bare))
    # Everyday words are never the only literal of a procedure mention; keeping them would let
    # almost every note through.
    return tuple(words - _COMMON - _SUFFIXES)


def may_match(rule: ProcedureRule, lowered: str, exact: bool = False) -> bool:
    """A cheap substring test before the rule's regex: most notes name few procedures, and the
    regexes are what made procedure finding the slowest step (about 10 ms per 3 KB note).
    ``exact``: :func:`.text.twin_exact` holds for the note (then the stricter test runs first)."""
    return _may_contain(rule.pattern.pattern, lowered, exact)


def _may_contain(pattern: str, lowered: str, exact: bool = False) -> bool:
    """False only when no letter run of ``pattern`` is in the lowercased text, so the regex cannot match;
    with ``exact``, also when none of the strings every match contains is (regexes.required_substrings:
    "flu" in "influenza" or "fluid" lets the letter runs of the flu vaccines through, not their names)."""
    if not can_match(pattern, lowered, exact):
        return False
    frags = _fragments(pattern)
    return not frags or any(f in lowered for f in frags)


def _confidence(why: str) -> float:
    """A procedure said to be done, or in a procedure section, is surer than one marked by its context only."""
    return 0.8 if "documented as done" in why or "section" in why or "being done" in why else 0.65


def find(notes: Sequence[NoteInput], sections: dict[str, list[Section]]) -> list[CodeSuggestion]:
    """One suggestion per procedure code documented as done at this visit, in note order."""
    found: dict[str, CodeSuggestion] = {}
    for note in notes:
        secs = sections.get(note.note_id, [])
        lowered = note.text.lower()
        exact = twin_exact(note.text, lowered)
        for rule in RULES:
            if not may_match(rule, lowered, exact):
                continue
            for m in finditer_fast(rule.pattern, note.text, lowered):
                code = rule.code
                if code in found or any(_overlaps(found_s, note.note_id, m.start(), m.end())
                                        for found_s in found.values()):
                    continue
                if code == "96372" and _other_injection(note.text, m.start()):
                    continue
                ok, why = done_here(note.text, m.start(), m.end(), kind_at(secs, m.start()), rule)
                if not ok:
                    continue
                label, hint = rule.label, rule.hint
                if code == "12001":
                    line_start, line_end = note.text.rfind("\n", 0, m.start()) + 1, note.text.find("\n", m.end())
                    line = note.text[line_start:line_end if line_end > 0 else len(note.text)]
                    if _STRIPS_ONLY.search(line) and not _CLOSURE.search(line):
                        continue        # adhesive strips are part of the visit, not a repair
                    code, size = _repair_code(line, note.text)
                    why += f"; {size}"
                found[code] = CodeSuggestion(
                    CPT, code, label, "procedure",
                    (EvidenceSpan(note.note_id, m.start(), m.end(), note.text[m.start():m.end()]),), "present",
                    _confidence(why), f"Procedure: {label.lower()}; {why}.", 0, hint)
                break
    products = _vaccine_products(notes, sections)
    counselled = next((m for n in notes for m in [_COUNSELLED.search(n.text)] if m), None) if products else None
    if counselled:
        # A child's vaccines counselled on by the doctor: 90460 per vaccine (first component), 90461 for the rest.
        found.pop("90471", None)
        ev = (EvidenceSpan(products[0].evidence[0].note_id, counselled.start(), counselled.end(), counselled.group()),)
        found["90460"] = CodeSuggestion(CPT, "90460", "Vaccine given with counselling, under 19 (first component)",
                                        "procedure", ev, "present", 0.65,
                                        "Procedure: the vaccines were given after the doctor counselled the family.",
                                        0, f"Units: {len(products)} (one per vaccine)", quantity=len(products))
        extra = sum(_COMPONENTS.get(p.code, 1) - 1 for p in products)
        if extra:
            found["90461"] = CodeSuggestion(CPT, "90461", "Each further vaccine component counselled on, under 19",
                                            "procedure", ev, "present", 0.65,
                                            f"Procedure: {extra} further component(s) counselled on.", 0,
                                            f"Units: {extra}", quantity=extra)
        return list(found.values()) + products
    if products and "90471" not in found:
        first = products[0]
        found["90471"] = CodeSuggestion(CPT, "90471", BY_CODE["90471"].label, "procedure", first.evidence, "present",
                                        first.confidence, "Procedure: vaccine given by injection (first vaccine); "
                                        "the product given is documented.", 0, BY_CODE["90471"].hint)
    if len(products) >= 2 and "90472" not in found:
        # One line: the number of further vaccines is the line's units (the suggestion says how many).
        found["90472"] = CodeSuggestion(
            CPT, "90472", "Each additional vaccine given by injection", "procedure",
            tuple(ev for p in products[1:] for ev in p.evidence), "present", min(p.confidence for p in products),
            f"Procedure: {len(products) - 1} additional vaccine(s) given at this visit.", 0,
            f"Units: {len(products) - 1} (one per additional vaccine; oral or intranasal ones take 90473/90474)",
            quantity=len(products) - 1)
    return list(found.values()) + products


# The family counselled on each vaccine (the pediatric administration codes need the physician's counselling).
_COUNSELLED = re.compile(r"\bcounsel\w*\b[^.\n]{0,60}\b(?:parents?|mother|father|guardian|mom|dad|caregiver|family)\b"
                         r"[^.\n]{0,40}\b(?:each|every|all|the) (?:vaccines?|components?)|"
                         r"\bcounsel\w*\b[^.\n]{0,40}\b(?:on|about) each (?:vaccine|component)|"
                         r"\b(?:vaccine )?risks(?:/| and )benefits counsel\w* by me with (?:the )?(?:parents?|mom|dad|"
                         r"mother|father|guardian)", re.IGNORECASE)
_COMPONENTS = {p.code: p.components for p in PRODUCTS}


def _vaccine_products(notes: Sequence[NoteInput], sections: dict[str, list[Section]]) -> list[CodeSuggestion]:
    """The vaccine products given at this visit, one per family (the most specific product named)."""
    out: list[CodeSuggestion] = []
    families: set[str] = set()
    admin = BY_CODE["90471"]
    for note in notes:
        secs = sections.get(note.note_id, [])
        lowered = note.text.lower()
        exact = twin_exact(note.text, lowered)
        for product in PRODUCTS:
            # The substring test first, as for the procedure rules: most notes name no vaccine product.
            if product.family in families or not _may_contain(product.names, lowered, exact):
                continue
            for m in product.pattern.finditer(note.text):
                ok, why = done_here(note.text, m.start(), m.end(), kind_at(secs, m.start()), admin)
                if not ok:
                    continue
                families.update((product.family, *product.covers))
                out.append(CodeSuggestion(
                    CPT, product.code, product.label, "procedure",
                    (EvidenceSpan(note.note_id, m.start(), m.end(), note.text[m.start():m.end()]),), "present",
                    _confidence(why), f"Vaccine product given at this visit; {why}.", 0,
                    "Check the product against the lot given"))
                break
    return out


def _other_injection(text: str, pos: int) -> bool:
    """An injection that is a vaccine or a joint injection has its own code, not 96372."""
    start, end = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
    line = text[start:end if end > 0 else len(text)]
    return any(BY_CODE[c].pattern.search(line) for c in ("90471", "20610", "20605", "20600"))


def _overlaps(s: CodeSuggestion, note_id: str, start: int, end: int) -> bool:
    """A mention already coded by a more specific rule (81003 before 81002, 94060 before 94010)."""
    return any(e.note_id == note_id and e.start < end and start < e.end for e in s.evidence)


def rule_for_snomed(concept_id: str, text: str) -> ProcedureRule | None:
    """The procedure rule for a SNOMED CT concept from InferSNOMEDCT (by id, else by its text)."""
    code = SNOMED_TO_CPT.get(concept_id)
    if code:
        return BY_CODE[code]
    return next((r for r in RULES if r.pattern.search(text)), None)
