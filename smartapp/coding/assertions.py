"""ConText-style assertion rules: is a mention present, negated, historical, family, hypothetical or
uncertain?

Triggers are looked for in the same clause as the mention: before it (``denies chest pain``,
``possible pneumonia``, ``history of breast cancer``) or after it (``pneumonia was ruled out``).
A scope ends at a clause boundary or a pivot word (``but``, ``however``). Outpatient guidelines say
uncertain diagnoses (possible, probable, suspected, rule out) are not coded, so "likely" counts too.
"""
from __future__ import annotations

import re

_PRE: dict[str, tuple[str, ...]] = {
    "negated": ("no", "not", "denies", "denied", "deny", "denying", "negative for", "without", "free of",
                "no evidence of", "no signs of", "no sign of", "absence of", "absent", "ruled out",
                "never had", "nor", "neither", "resolved", "no history of", "no personal history of",
                "no family history of", "no fh of", "no known", "never"),
    "family": ("family history of", "family history significant for", "fh of", "fhx of", "fh",
               "family hx of", "family history"),
    "hypothetical": ("if", "return if", "call if", "return for", "call for", "seek care for", "come back for",
                     "in case of", "watch for", "monitor for", "signs of",
                     "precautions", "risk of", "risk for", "to prevent", "prevention of", "screen for",
                     "screening for", "avoid", "should", "counseled on", "education on", "warning signs",
                     "due for", "recommend", "recommended",
                     # A vaccine, test or exposure named after a disease is not the disease.
                     "vaccinated against", "vaccinated for", "vaccine against", "vaccine for", "vaccines for",
                     "vaccination against", "vaccination for", "immunized against", "immunization against",
                     "immunity to", "tested for", "testing for", "test for", "tests for", "screened for",
                     "exposure to", "exposed to", "booster for",
                     # A check or an up-to-date record names what is looked for, not what is found.
                     "check for", "checking for", "assess for", "look for", "looking for",
                     "up to date on", "up to date with", "up-to-date on", "up-to-date with"),
    "uncertain": ("possible", "possibly", "probable", "probably", "suspected", "suspect", "suspicious for",
                  "concern for", "concerning for", "rule out", "r/o", "to rule out", "questionable",
                  "question of", "likely", "consider", "considering", "differential", "ddx",
                  "cannot rule out", "cannot exclude", "may have", "might have", "presumed", "presumptive",
                  "working diagnosis", "evaluate for", "evaluation for", "workup for", "worrisome for",
                  "versus", "vs", "suggestive of", "compatible with", "consistent with possible",
                  "seems consistent with", "seem consistent with", "seems to be consistent with",
                  "appears to be", "appear to be", "seems to be", "seem to be", "apparent"),
    "historical": ("history of", "hx of", "h/o", "personal hx", "personal hx of", "hx",
                   "past history of", "prior", "previous", "previously",
                   "remote", "s/p", "status post", "old", "past medical history of", "pmh of",
                   "personal history of", "pmh significant for", "survivor of", "treated for",
                   # the history sentence that opens an assessment ("a 49-year-old female with a past
                   # medical history significant for congestive heart failure, kidney stones and ...")
                   "past medical history significant for", "medical history significant for",
                   "history significant for", "past medical history including", "medical history of",
                   "past medical history notable for", "medical history notable for"),
}
_POST: dict[str, tuple[str, ...]] = {
    # "Colonoscopy due next year" is planned; "pyelonephritis due to E. coli" is the cause (see _compile).
    "hypothetical": ("recommended", "is recommended", "declined", "deferred", "refused", "due", "discussed"),
    "negated": ("ruled out", "was ruled out", "is ruled out", "was negative", "is negative", "negative", "neg",
                "not present", "not found", "unlikely", "denied", "was excluded", "excluded"),
    "uncertain": ("is suspected", "is possible", "is likely", "vs", "versus", "cannot be excluded",
                  "not excluded", "?", "is probable", "was suspected"),
    "historical": ("resolved", "in remission", "years ago", "year ago", "in the past", "recovered",
                   "has recovered", "fully recovered"),
    # "Heart attack in his father at 60": the relative named after the condition.
    "family": tuple(f"in {who} {rel}" for who in ("his", "her", "their", "a", "the patient's")
                    for rel in ("father", "mother", "brother", "sister", "sibling", "son", "daughter", "grandfather",
                                "grandmother", "uncle", "aunt", "parents", "cousin")) + ("in the family",
                                                                                        "runs in the family"),
}
_RELATIVES = r"(?:mother|father|mom|dad|brother|sister|sibling|siblings|grandmother|grandfather|aunt|uncle|" \
             r"parent|parents|maternal \w+|paternal \w+|cousin|son|daughter|(?<!as a )(?<!when a )child|" \
             r"children|grandson|granddaughter|grandchild|niece|nephew|twin)"
# Someone else's condition that is not a blood relative's: no family-history code either.
_OTHER_PERSON_RE = re.compile(r"\b(?:husband|wife|spouse|partner|boyfriend|girlfriend|roommate|friend|coworker|"
                              r"co-worker|colleague|neighbou?r|classmate|teacher|boss|caregiver|"
                              # an animal's condition is nobody's diagnosis here
                              r"dog|puppy|kitten|horse|(?:the|our|their|family|her|his) (?:cat|pet))"
                              r"(?:'s)?\b[^.;\n]{0,60}$",
                              re.IGNORECASE)
_FAMILY_RE = re.compile(rf"\b{_RELATIVES}(?:'s)?\b[^.;\n]{{0,40}}?\b(?:has|had|with|died of|died from|" \
                        r"diagnosed with|history of|hx of|passed away from)\b", re.IGNORECASE)
_YEAR_POST_RE = re.compile(r"^[^.;\n]{0,25}\b(?:in (?:19|20)\d\d|\d+ years? ago|diagnosed (?:in )?(?:19|20)\d\d|"
                           r"last (?:month|year)\b[^.;\n]{0,10}\b(?:recovered|resolved)|"
                           # "colon polyps (tubular adenomas) removed 2021": taken out in the past
                           r"(?:removed|resected|excised)\b[^.;\n]{0,12}\b(?:(?:19|20)\d\d|\d+ years? ago)|"
                           # "tingling in feet resolved": the symptom is over, a few words after it
                           r"(?<!not )(?<!yet )(?<!never )(?<!un)resolved\b(?! with)(?!\s*\?))",
                           re.IGNORECASE)
# "Viral URI possible, COVID not excluded": a doubt word right after the mention that ends its phrase
# (not "pneumonia, possible aspiration", where the doubt is about the next words).
_TRAILING_DOUBT_RE = re.compile(
    r"\s*(?:is\s+|was\s+|also\s+)?(?:possible|suspected|probable|questionable)\s*(?:[,.;)]|$)", re.IGNORECASE)
# A disease named in a list of vaccines ("Vaccines given today: DTaP, IPV, MMR, varicella") is the vaccine.
_VACCINE_LIST_RE = re.compile(r"\b(?:vaccines?|vaccinations?|immunizations?|shots)\b[^\n.]{0,40}:[^\n.:]*$",
                              re.IGNORECASE)
_PIVOT_RE = re.compile(r"\b(?:but|however|although|except|aside from|apart from|though|which|who|presents|"
                       r"reports|complains|endorses|states|now with|today)\b|[.:;!\n]", re.IGNORECASE)

# Consent language lists possible harms, not diagnoses: "the risks include bleeding, stroke and death".
_RISK_LIST_RE = re.compile(r"\brisks?\b|\bcomplications? (?:include|including|such as|of)\b|"
                           r"\bside effects? (?:include|including|such as|of)\b|\bincluding but not limited to\b",
                           re.IGNORECASE)
ORDER = ("negated", "other_person", "family", "hypothetical", "uncertain", "historical")


def _compile(triggers: dict[str, tuple[str, ...]], pre: bool) -> dict[str, re.Pattern[str]]:
    out = {}
    for kind, words in triggers.items():
        alt = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
        # Word-bounded, except "?" which is punctuation.
        # Hyphenated words are not triggers: "58-year-old" is not "old", "non-smoker" not "no".
        post = rf"^\W{{0,3}}(?:\w+\W+){{0,1}}?(?:{alt})(?!\w)(?!(?<=due) to\b)"
        pat = rf"(?<![\w/-])(?:{alt})(?![\w/-])" if pre else post
        out[kind] = re.compile(pat, re.IGNORECASE)
    return out


_PRE_RE = _compile(_PRE, pre=True)
_POST_RE = _compile(_POST, pre=False)


# "A two-month history of malaise", "3-day hx of cough": the duration of a present complaint.
_DURATION_HISTORY_RE = re.compile(r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many|"
                                  r"long|long-standing|longstanding)[- ](?:\w+[- ])?(?:hours?|days?|weeks?|months?|"
                                  r"years?|hour|day|week|month|year)(?:-long)?\s+(?:history|hx)\s+of\b",
                                  re.IGNORECASE)


def _scope_before(text: str, clause_start: int, mention_start: int) -> str:
    before = text[clause_start:mention_start]
    # Blank out "a two-month history of" so that "history of" does not make the complaint historical.
    before = _DURATION_HISTORY_RE.sub(lambda m: " " * len(m.group()), before)
    last = None
    for m in _PIVOT_RE.finditer(before):
        last = m
    return before[last.end():] if last else before


def _scope_after(text: str, mention_end: int, clause_end: int) -> str:
    after = text[mention_end:clause_end]
    m = _PIVOT_RE.search(after)
    # Keep a trailing "?" (it is the uncertainty marker) but stop at other boundaries.
    return after[: m.start()] if m else after


# A form field whose value says no: "Tobacco use: non-smoker", "Alcohol use: none", "Seizures: denies".
_FIELD_NO_RE = re.compile(r"\s*:\s*(?:no|none|never|non-?\w+|denies|denied|negative|n/a|nil)\b", re.IGNORECASE)


def classify(text: str, clause_start: int, clause_end: int, mention_start: int, mention_end: int,
             section_kind: str | None = None) -> tuple[str, str]:
    """Return ``(assertion, trigger)`` for a mention; trigger is "" when present by default."""
    field = _FIELD_NO_RE.match(text, mention_end)
    if field:
        return "negated", field.group().strip(" :")
    before = _scope_before(text, clause_start, mention_start)
    after = _scope_after(text, mention_end, clause_end)
    found: dict[str, str] = {}
    for kind, pat in _PRE_RE.items():
        hits = list(pat.finditer(before))
        if hits:
            found.setdefault(kind, hits[-1].group())
    for kind, pat in _POST_RE.items():
        m = pat.search(after)
        if m:
            found.setdefault(kind, m.group().strip())
    if "uncertain" not in found and _TRAILING_DOUBT_RE.match(after):
        found["uncertain"] = "possible (after)"
    if "historical" not in found and _YEAR_POST_RE.search(after):
        found["historical"] = "dated in the past"
    if "hypothetical" not in found and _VACCINE_LIST_RE.search(text, max(text.rfind("\n", 0, mention_start) + 1,
                                                                         mention_start - 120), mention_start):
        found["hypothetical"] = "vaccine list"
    if _OTHER_PERSON_RE.search(text[clause_start:mention_start]):
        found["other_person"] = "another person"
    if "family" not in found and _FAMILY_RE.search(text[clause_start:mention_start]):
        found["family"] = "relative"
    if "hypothetical" not in found and _RISK_LIST_RE.search(text, clause_start, mention_start):
        found["hypothetical"] = "risk discussion"
    if section_kind == "family" and "negated" not in found:
        found.setdefault("family", "family history section")
    for kind in ORDER:
        if kind in found:
            return kind, found[kind]
    return "present", ""
