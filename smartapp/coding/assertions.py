"""ConText-style assertion rules: is a mention present, negated, historical, family, hypothetical or
uncertain?

Triggers are looked for in the same clause as the mention: before it (``denies chest pain``,
``possible pneumonia``, ``history of breast cancer``) or after it (``pneumonia was ruled out``).
A scope ends at a clause boundary or a pivot word (``but``, ``however``). Outpatient guidelines say
uncertain diagnoses (possible, probable, suspected, rule out) are not coded, so "likely" counts too.
"""
from __future__ import annotations

import re

from .text import lowercase_twin

_PRE: dict[str, tuple[str, ...]] = {
    "negated": ("no", "not", "denies", "denied", "deny", "denying", "negative for", "without", "free of",
                "no evidence of", "no signs of", "no sign of", "absence of", "absent", "ruled out",
                "never had", "nor", "neither", "resolved", "no history of", "no personal history of",
                "no family history of", "no fh of", "no known", "never", "w/o",
                # case-report English (translated narratives): "negative glycosuria", "after ruling out
                # metastatic disease", "excluding systemic diseases"
                # ("negative" alone is no trigger: CodiEsp gold codes the infections a negative serology
                # was tested for; measured on its train set, 17 gold codes lost for 12 errors)
                "ruling out", "after ruling out", "excluding", "after excluding", "exclusion of",
                "having excluded", "having ruled out"),
    "family": ("family history of", "family history significant for", "fh of", "fhx of", "fh",
               "family hx of", "family history", "family antecedents of", "family antecedent of",
               "family antecedents"),
    "hypothetical": ("if", "return if", "call if", "return for", "call for", "seek care for", "come back for",
                     "call with", "return with", "come back with", "call us with", "calls with",
                     "return immediately for", "return sooner for", "return immediately if", "return sooner if",
                     "or for any",
                     "in case of", "watch for", "monitor for", "signs of",
                     "precautions", "risk of", "risk for", "to prevent", "prevention of", "screen for",
                     "screening for", "avoid", "should", "counseled on", "education on", "warning signs",
                     "due for", "recommend", "recommended",
                     # A vaccine, test or exposure named after a disease is not the disease.
                     "vaccinated against", "vaccinated for", "vaccine against", "vaccine for", "vaccines for",
                     "vaccination against", "vaccination for", "immunized against", "immunization against",
                     "immunity to", "tested for", "testing for", "test for", "tests for", "screened for",
                     "exposure to", "exposed to", "booster for",
                     "prophylaxis against", "prophylaxis of", "prophylaxis for", "prophylactic",
                     # a test requested for a disease names what is looked for ("serology was requested
                     # for toxoplasma, rubella and CMV"); a positive result overrides (see _POSITIVE_RE)
                     "serology was requested for", "serologies were requested for",
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
                  "appears to be", "appear to be", "seems to be", "seem to be", "apparent",
                  # case-report English: "the possibility of serpiginous choroiditis". ("With the
                  # suspicion of" and "differential diagnosis with" are not triggers: CodiEsp codes the
                  # suspected diagnosis; measured on its train set, 29 gold codes lost for 7 errors.)
                  "possibility of", "the possibility of"),
    "historical": ("history of", "hx of", "h/o", "personal hx", "personal hx of", "hx",
                   "past history of", "prior", "previous", "previously",
                   "remote", "s/p", "status post", "old", "past medical history of", "pmh of",
                   "personal history of", "pmh significant for", "survivor of", "treated for",
                   # the history sentence that opens an assessment ("a 49-year-old female with a past
                   # medical history significant for congestive heart failure, kidney stones and ...")
                   "past medical history significant for", "medical history significant for",
                   "history significant for", "past medical history including", "medical history of",
                   "past medical history notable for", "medical history notable for",
                   # case-report English for the Spanish "antecedentes de" ("personal history included"
                   # is not a trigger: CodiEsp codes such lists; 47 gold codes lost for 12 errors)
                   "antecedent of", "antecedents of", "personal antecedents of"),
}
_POST: dict[str, tuple[str, ...]] = {
    # "Colonoscopy due next year" is planned; "pyelonephritis due to E. coli" is the cause (see _compile).
    "hypothetical": ("recommended", "is recommended", "declined", "deferred", "refused", "due", "discussed",
                     "precautions", "is an emergency"),
    "negated": ("ruled out", "was ruled out", "is ruled out", "was negative", "is negative", "negative", "neg",
                "not present", "not found", "unlikely", "denied", "was excluded", "excluded",
                "not observed", "not detected", "not seen", "not identified", "not evident", "not evidenced",
                "not demonstrated", "not confirmed", "absent", "has not been diagnosed", "has never been diagnosed",
                "was not diagnosed", "not diagnosed", "has not been confirmed", "was not confirmed"),
    "uncertain": ("is suspected", "is possible", "is likely", "vs", "versus", "cannot be excluded", "possible for",
                  "not excluded", "?", "is probable", "was suspected", "the presumed diagnosis",
                  "the suspected diagnosis"),
    "historical": ("resolved", "in remission", "years ago", "year ago", "in the past", "recovered",
                   "has recovered", "fully recovered", "hx"),
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
                        r"diagnosed with|history of|hx of|passed away from|was treated for|is being treated for|"
                        r"underwent treatment for|survived)\b", re.IGNORECASE)
_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_YEAR_POST_RE = re.compile(rf"^[^.;\n]{{0,25}}\b(?:in (?:(?:early|late|mid) )?(?:{_MONTHS} )?(?:19|20)\d\d|"
                           r"\d+ years? ago|diagnosed (?:in )?(?:19|20)\d\d|"
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
                       r"reports|complains|endorses|states|now with|today)\b|\.(?!\d)|\.(?![^()]*\))|[:;!\n]",
                       re.IGNORECASE)
# (a decimal point inside brackets is no boundary: "morbid obesity (BMI 59.19 kg/m2), cholecystectomy,
# hernia repair"; elsewhere it still is: "A1c 6.6, well controlled on metformin")

# ConText rules beyond single triggers, written for the English of translated case reports as much
# as for visit notes:
# - a negation after a list ends the whole list: "anticardiolipin, lupus anticoagulant and ANCA were
#   negative", "Adenopathy, goiter or jugular engorgement is not present" (no verb may stand between
#   the mention and the trigger, and the list must open the clause: "cultures grew S. aureus and
#   urine cultures were negative" keeps the S. aureus);
_LIST_NEGATED_RE = re.compile(
    r"\b(?:was|were|is|are)\s+(?:all\s+|also\s+|both\s+)?(?:negative|absent|normal|"
    r"not (?:present|observed|detected|found|seen|identified|evidenced|shown|demonstrated)|ruled out|excluded|"
    r"discarded)\b|"
    # without the verb only "excluded/ruled out by ...": "Appendicitis and torsion excluded by imaging"
    r"\b(?:both\s+)?(?:excluded|ruled out)\s+(?:by|on)\b", re.IGNORECASE)
# A negative serology or marker list negates what it was tested for in case reports too ("HIV, HBV and HCV
# serologies were negative"): CodiEsp's gold codes some of them (dev F1 0.461 -> 0.460), but a tested-for disease
# is a testing never-event by the guidelines (issue 14).
_LIST_VERB_RE = re.compile(r"\b(?:was|were|is|are|be|been|had|has|have|showed|revealed|grew|found|detected|"
                           r"presented|developed|with|due|after|before|because|since|whom|then|underwent|"
                           r"required|received)\b", re.IGNORECASE)


def _negated_list(before: str, after: str) -> bool:
    """The mention is one of a list that opens its clause and ends in a negation."""
    m = _LIST_NEGATED_RE.search(after)
    if not m:
        return False
    between = after[:m.start()]
    return len(between.split()) <= 14 and len(before.split()) <= 14 and \
        not _LIST_VERB_RE.search(between) and not _LIST_VERB_RE.search(before)


# - "non-painful", "non-tender": the prefix negates a one-word finding;
_NON_PREFIX_RE = re.compile(r"(?<![\w-])non[- ]$", re.IGNORECASE)
_NON_COMPOUNDS = frozenset({"hodgkin", "hodgkin's", "small", "insulin", "st"})
# - a relative named later in the clause: "paralysis of the carotid body in her sister";
_FAMILY_POST_RE = re.compile(rf"\bin (?:his|her|their|the patient's|a|one|both) (?:{_RELATIVES})(?!'s)\b",
                             re.IGNORECASE)
# - a department, service or specialist named after a disease is no diagnosis: "the Pediatric
#   Infectious Diseases Department", "the specialists in infectious diseases";
# (the department named after the mention only as a capitalised name: "sent to the emergency
# department" is a decision of the visit, not a name)
_DEPARTMENT_POST_RE = re.compile(r"\s*(?:Department|Dept|Service|Unit|Ward|Clinic|Division|Section)\b")
_DEPARTMENT_PRE_RE = re.compile(r"\b(?:specialists? in|department of|service of|unit of|division of|"
                                r"specialist(?:s)? of)\s+(?:the\s+)?$", re.IGNORECASE)
# - a vaccination named earlier in the clause: "vaccination schedule up to date, including measles";
_VACCINE_BEFORE_RE = re.compile(r"\b(?:vaccin\w*|immuni[sz]\w*|boosters?)\b(?![^,]*\b(?:developed|presented|"
                                r"then|after|later)\b)", re.IGNORECASE)
# - a history list opened by a label: "Personal history: appendectomy, hernia repair" (the colon
#   would otherwise end the scope of "history");
_HISTORY_LABEL_RE = re.compile(r"\b(?:(?:past|personal|medical|surgical|pathological|previous)\s+)+"
                               r"(?:history|antecedents|background)\s*:[^:]*$|\bantecedents\s*:[^:]*$",
                               re.IGNORECASE)
# - a condition repaired in a history context is history: "umbilical hernia repair" in a past history;
_REPAIRED_RE = re.compile(r"^\s*(?:repair|repaired|surgery|resection|excision|removal)\b", re.IGNORECASE)
_HISTORY_WORD_RE = re.compile(r"\b(?:history|antecedents?|hx|pmh|psh|previous|prior|past|s/p|status post)\b",
                              re.IGNORECASE)
# - a test requested for a disease is overruled by a positive result.
_TESTING = frozenset({"serology was requested for", "serologies were requested for"})
_POSITIVE_RE = re.compile(r"\bpositive\b|\bwas detected\b|\bwere detected\b|\bconfirmed\b", re.IGNORECASE)
# Words that contain "negative" without negating anything: "gram-negative sepsis", "triple negative
# breast cancer", "coagulase-negative staphylococci", "Rh negative".
_NOT_A_NEGATION_RE = re.compile(r"\b(?:gram|coagulase|triple|rh|er|pr|her2|her-2|receptor|hormone receptor)"
                                r"[- ]negative\b", re.IGNORECASE)

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


def _lower_twins(patterns: dict[str, re.Pattern[str]]) -> dict[str, re.Pattern[str]]:
    """The patterns without IGNORECASE, for the lowercased scope when it is ASCII (they then find
    exactly the same, about twice as fast: the trigger scans are most of an assertion's time);
    {} when a pattern has no such twin."""
    twins = {kind: lowercase_twin(p) if p.pattern.isascii() else None for kind, p in patterns.items()}
    return {kind: t for kind, t in twins.items() if t is not None} if None not in twins.values() else {}


_PRE_LOWER = _lower_twins(_PRE_RE)
_POST_LOWER = _lower_twins(_POST_RE)


# "A two-month history of malaise", "3-day hx of cough": the duration of a present complaint.
_DURATION_HISTORY_RE = re.compile(r"\b(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|several|few|many|"
                                  r"long|long-standing|longstanding)[- ](?:\w+[- ])?(?:hours?|days?|weeks?|months?|"
                                  r"years?|hour|day|week|month|year)(?:-long)?\s+(?:history|hx)\s+of\b",
                                  re.IGNORECASE)


def _scope_before(text: str, clause_start: int, mention_start: int) -> str:
    before = text[clause_start:mention_start]
    # Blank out "a two-month history of" so that "history of" does not make the complaint historical.
    before = _DURATION_HISTORY_RE.sub(lambda m: " " * len(m.group()), before)
    if "egative" in before:
        before = _NOT_A_NEGATION_RE.sub(lambda m: " " * len(m.group()), before)
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
    pre, scan = (_PRE_LOWER, before.lower()) if _PRE_LOWER and before.isascii() else (_PRE_RE, before)
    for kind, pat in pre.items():
        hits = list(pat.finditer(scan))
        if hits:
            found.setdefault(kind, before[hits[-1].start():hits[-1].end()])
    post, scan = (_POST_LOWER, after.lower()) if _POST_LOWER and after.isascii() else (_POST_RE, after)
    for kind, pat in post.items():
        m = pat.search(scan)
        if m:
            found.setdefault(kind, after[m.start():m.end()].strip())
    if found.get("hypothetical") in _TESTING and (_POSITIVE_RE.search(after) or _POSITIVE_RE.search(before)):
        del found["hypothetical"]
    if "negated" not in found:
        if _NON_PREFIX_RE.search(text, max(0, mention_start - 4), mention_start) and \
                not any(c.isspace() for c in text[mention_start:mention_end]) and \
                text[mention_start:mention_end].lower().split("-")[0] not in _NON_COMPOUNDS:
            found["negated"] = "non-"
        elif _negated_list(before, after):
            found["negated"] = "negated list"
    if "family" not in found and _FAMILY_POST_RE.search(after):
        found["family"] = "relative (after)"
    if "hypothetical" not in found:
        if _DEPARTMENT_POST_RE.match(text, mention_end) or _DEPARTMENT_PRE_RE.search(before):
            found["hypothetical"] = "department name"
        elif _VACCINE_BEFORE_RE.search(before):
            found["hypothetical"] = "vaccine"
    if "historical" not in found:
        clause_before = text[clause_start:mention_start]
        if _HISTORY_LABEL_RE.search(clause_before):
            found["historical"] = "history list"
        elif _REPAIRED_RE.match(after) and (section_kind in ("pmh", "psh") or _HISTORY_WORD_RE.search(clause_before)):
            found["historical"] = "repaired"
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
