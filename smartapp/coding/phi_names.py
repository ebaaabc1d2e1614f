"""Person names wherever they stand, by word lists and context (the third layer of :mod:`.phi`).

The context patterns of :mod:`.phi_patterns` find names after titles or before credentials; these
rules find the rest: "Maria Gonzalez from cardiology called", "Referring: Gonzalez, Maria", and the
patient's own name in an uploaded document's header ("GONZALEZ, MARIA | MRN 1234567").

A pair of capitalised words is a name when the first is a census given name and the second a census
family name or a word no list knows; weaker pairs (a given name that is also a word, "Rose Hill", or
two unknown words, "Oluwaseun Adeyemi") need a cue around them ("from cardiology", "discussed with",
"'s note"). A word of ICD-10-CM titles, a section or service word, a month or a day is never taken
for a name, so "Bell's palsy", "Graves disease" or "Positive McMurray" survive.
"""
from __future__ import annotations

import re

from .phi_words import COMMON_WORD_GIVEN, STOP_WORDS, Lexicon, lexicon

# A capitalised word: Maria, O'Donnell, McAllister, Mei-Ling, Al-Sayed; possessive 's is cut off later.
_TOK = r"[A-Z](?:['\u2019][A-Z])?[a-zA-Z]*[a-z][a-zA-Z]*(?:['\u2019-][A-Za-z]+)*"
_UPPER = r"[A-Z][A-Z]+(?:['\u2019-][A-Z]+)*"
_PARTICLE = r"(?:(?:van|von|der|den|de|del|della|da|di|le|la|du|bin|ibn|al|st\.?)[ \t]+)"
# A middle initial may stand between the words: "Maria T. Gonzalez".
_RUN = re.compile(rf"(?<![\w'\u2019.-]){_TOK}(?:[ \t]+(?:[A-Z]\.[ \t]+)?(?:{_PARTICLE}){{0,2}}{_TOK})+")
_WORD = re.compile(rf"(?:{_PARTICLE})*{_TOK}")

# Cues: what comes before or after a clinician's or relative's name in running text.
_CUE_BEFORE = re.compile(
    r"(?:\b(?:with|to|by|from|per|cc|attending|surgeon|physician|provider|pcp|nurse|np|pa|rn|lpn|scribe|called|paged|"
    r"contacted|update|updated|ask|asked|sees|see|saw|seen|route|routed|message|messaged|handoff|notify|notified|"
    r"inform|informed|consult|consulted|referred|referring|ordering|copy|covering|supervising|dictated|signed|"
    r"co-signed|cosigned|colleague|partner|resident|fellow|care|primary|therapist|oncologist|cardiologist|"
    r"chaplain|manager|worker|interpreter|coordinator|navigator|aide|tech|technician|counselor|dietitian|"
    r"nutritionist|midwife|doula|volunteer|pharmacist|covering|assisted|performed|dear|sincerely|regards|"
    r"according|this is|like|that|\w*(?:ologist|iatrist|ician|surgeon|therapist|practitioner))\b"
    r"(?:[ \t]+(?:is|was|being|for|to|with|by))?"
    r"[ \t]*[:,(]?|:)[ \t]*$", re.IGNORECASE)
_CUE_AFTER = re.compile(
    r"^(?:['\u2019]s\b|[ \t]*\(|[ \t]*,[ \t]*(?:her|his|the|their|our|a|an|my|MD|DO|NP|PA|RN)\b|"
    r"[ \t]+(?:from|of|in|at|with|on)[ \t]+(?:the[ \t]+)?[a-zA-Z-]+|[ \t]*[-\u2013][ \t]*[a-zA-Z]|"
    r"[ \t]*,?[ \t]+(?:called|calls|recommends|recommended|saw|sees|wants|agrees|agreed|thinks|feels|reports|reported|"
    r"says|said|will|is|was|has|had|ordered|started|stopped|cleared|notes|noted|performed|evaluated|examined|"
    r"asked|suggests|suggested|advised|requested|believes|would|placed|reviewed|signed|dictated|approved)\b|"
    r"[ \t]+and[ \t]+(?:I|me|myself)\b|[ \t]*\)?[ \t]*,[ \t]*who\b|[ \t]+to[ \t]+be\b|[ \t]+dictating\b|"
    r"[ \t]*$)", re.IGNORECASE)


# Endings of medical words no list holds ("Fibroodontoma", "Gammaglobulin").
_MEDICAL_SUFFIX = re.compile(r"(?:omas?|itis|os[ie]s|a?emia|ectomy|otomy|ostomy|plasty|pathy|algia|"
                             r"olog(?:y|ic|ical|ist)|cytes?|blasts?|ases?|genic|philia|phobia|plasia|trophy|uria|rrh?o?ea|scopy|graphy|"
                             r"globulin|mycin|cillin|azole|statin|pril|sartan|olol|idine|amine|mab|nib)$")


def only_clinical_words(span: str) -> bool:
    """Every word is a clinical word and no common name ("Ultrasound", "Pain"; not "Stone", "Bell")."""
    lex = lexicon()
    words = [_base(w) for w in re.findall(r"[A-Za-z][\w'\u2019-]*", span)]
    return bool(words) and all(w in lex.clinical and w not in lex.clinical_proper and w not in lex.common_family
                               and w not in lex.given for w in words)


def join_wrapped(text: str) -> str:
    """The text with the line breaks of wrapped prose turned into spaces (same length, same offsets),
    so that "Her nephrologist, Rohan\nCastellanos" is one name. A break after a short line, before a
    label ("Plan:") or a list item, or a blank line stays."""
    return _WRAP.sub(" ", text)


_WRAP = re.compile(r"(?<=[^\n]{50}[\w,])\n(?=[ \t]*[A-Za-z][\w'\u2019-]*(?![\w'\u2019-]*:))")


def _base(word: str) -> str:
    """Lowercase, without a possessive 's and without apostrophes (the lists spell O'Donnell "odonnell")."""
    return re.sub(r"['\u2019]", "", re.sub(r"['\u2019]s$", "", word)).lower()


def _kind(word: str, lex: Lexicon) -> str:
    """STOP (never a name), GIVEN, GIVEN_WEAK, FAMILY, FAMILY_WEAK, UNKNOWN or WORD."""
    w = _base(word)
    if w in STOP_WORDS or len(w) < 2:
        return "STOP"
    clinical = w in lex.clinical or any(p in lex.clinical and p not in lex.clinical_proper
                                        for p in w.split("-") if len(p) > 3)
    # Two letters ("Le", "Al") or a word of the titles: a name only with more evidence.
    if w in lex.given:
        return "GIVEN_WEAK" if clinical or w in COMMON_WORD_GIVEN or len(w) < 3 else "GIVEN"
    if w in lex.family:
        return "FAMILY_WEAK" if clinical or w in lex.english or len(w) < 3 else "FAMILY"
    if clinical or w in lex.english or _MEDICAL_SUFFIX.search(w):
        return "WORD"
    return "UNKNOWN"


def _cued(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[max(line_start, start - 40):start]
    service = re.search(r"([A-Za-z-]+)[ \t]*\([ \t]*$", before)      # "Consulted ortho (Ifeanyi Okoro)"
    if service and service.group(1).lower() in SERVICES:
        return True
    after = text[end:line_end if line_end >= 0 else len(text)]
    return bool(_CUE_BEFORE.search(before)) or bool(_CUE_AFTER.match(after[:60]))


# (first word, last word) kinds that are a name on their own; the other pairs need a cue.
_ALONE = frozenset((("GIVEN", "FAMILY"), ("GIVEN", "FAMILY_WEAK"), ("GIVEN", "UNKNOWN"), ("GIVEN_WEAK", "FAMILY")))
_NAMEISH = frozenset(("GIVEN", "GIVEN_WEAK", "FAMILY", "FAMILY_WEAK", "UNKNOWN"))
# A pair before one of these is an eponym or a product ("Ziehl Neelsen stain", "Gamma Knife").
EPONYM_AFTER = re.compile(
    r"(?:['\u2019]s?)?(?:[ \t]+(?:[IVX]{1,4}|type|grade|stage)\b)?[ \t]+"
    r"(?:score|sign|signs|test|tests|criteria|syndrome|disease|palsy|phenomenon|maneuver|"
    r"fracture|type|stage|grade|scale|classification|procedure|operation|cyst|nodes?|esophagus|lymphoma|reflex|"
    r"rule|index|stain|stains|staining|agar|medium|media|incision|approach|technique|method|instruments?|"
    r"device|catheter|tube|shunt|repair|flap|solution|model|assay|kit|equation|formula|classification|murmur|"
    r"respirations?|breathing|lesions?|spots?|triad|point|ulcer|hernia|cells?|bod(?:y|ies)|tumou?r|sarcoma|"
    r"dystrophy|contracture|nodules?|granules?|ring|line|lines|law|effect|angle|pouch|duct|canal|space)\b",
    re.IGNORECASE)


def _is_name(kinds: list[str], cued: bool) -> bool:
    if any(k not in _NAMEISH for k in kinds):
        return False
    pair = (kinds[0], kinds[-1])
    if pair in _ALONE:
        return True
    if pair == ("FAMILY_WEAK", "FAMILY_WEAK") or pair == ("FAMILY_WEAK", "GIVEN_WEAK"):
        return False        # two everyday words ("Body Mass", "Gamma Knife")
    return cued


_MODAL_NAMES = frozenset(("will", "may", "mark", "bill", "don", "pat", "sue", "case"))
_MONTH_NAMES = frozenset(("april", "may", "june", "august"))


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'(")
    return not before or before[-1] in ".!?:;\n-*\u2022#"


def person_spans(text: str) -> list[tuple[int, int]]:
    """Spans of two- or three-word names in running text (possessive 's left out)."""
    lex = lexicon()
    out: list[tuple[int, int]] = []
    for run in _RUN.finditer(text):
        words = [(run.start() + m.start(), run.start() + m.end(), m.group()) for m in _WORD.finditer(run.group())]
        i = 0
        while i < len(words) - 1:
            done = False
            for size in (3, 2):
                part = words[i:i + size]
                if len(part) < size:
                    continue
                start, end = part[0][0], part[-1][1]
                if re.search(r"['\u2019]s$", part[-1][2]):
                    end -= 2
                kinds = [_kind(re.sub(rf"^{_PARTICLE}", "", w, flags=re.IGNORECASE), lex) for _, _, w in part]
                if kinds[0] == "STOP" and _base(part[0][2]) in _MODAL_NAMES and not _sentence_start(text, start):
                    kinds[0] = "GIVEN_WEAK"     # "go to Will Ramos": a capital mid-sentence is not the verb
                if kinds[0] == "STOP" and _base(part[0][2]) in _MONTH_NAMES and size == 2:
                    kinds[0] = "GIVEN_WEAK"     # "June Howell": a month has no capitalised word after it
                if EPONYM_AFTER.match(text, part[-1][1]):
                    continue
                if _is_name(kinds, _cued(text, start, end)):
                    out.append((start, end))
                    i += size
                    done = True
                    break
            if not done:
                i += 1
    return out


# "Gonzalez, Maria" at the start of a line or after a label ("Referring: Gonzalez, Maria").
_LAST_FIRST = re.compile(
    rf"(?:^|(?<=[:|;]))[ \t]*(?P<last>(?:{_PARTICLE}){{0,2}}{_TOK}(?:[ \t]+{_TOK})?),[ \t]*(?P<first>{_TOK})"
    rf"(?:[ \t]+[A-Z]\.?)?(?=[ \t]*(?:$|[|,;(\-\u2013]|\b(?:MD|DO|NP|PA|RN|MRN|DOB)\b))", re.MULTILINE)


_ROLE_LABEL = re.compile(r"\b(?:referring|referred by|ordering|copy to|cc|attending|pcp|primary care|provider|team|"
                         r"consultants?|outpatient[ \t]+[\w -]+|"
                         r"physician|surgeon|consultant|consulting|covering|supervising|signed by|dictated by|"
                         r"author)\b[ \t]*:[ \t]*$", re.IGNORECASE)


# "Co-managed with Fox, Sarah (GI)": Last, First after a word that introduces a person.
_LAST_FIRST_CUED = re.compile(
    rf"\b(?i:with|to|by|from|per|cc|and|saw|see|seen by|covering for|signed out to|for)[ \t]+"
    rf"(?P<last>(?:{_PARTICLE}){{0,2}}{_TOK}),[ \t]*(?P<first>{_TOK})(?:[ \t]+[A-Z]\.)?"
    rf"(?=[ \t]*(?:$|[|,;.(\-\u2013]|\b(?:MD|DO|NP|PA|RN|from|of|in|at|and|who|is|was|for|to|re|on)\b))",
    re.MULTILINE)


def last_first_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    out = []
    for m in _LAST_FIRST_CUED.finditer(text):
        family = _kind(re.sub(rf"^{_PARTICLE}+", "", m.group("last"), flags=re.IGNORECASE), lex)
        given = _kind(m.group("first"), lex)
        service = re.match(r"[ \t]*\([ \t]*(?:the[ \t]+)?([A-Za-z-]+)", text[m.end():])
        if given.startswith("GIVEN") and family in _NAMEISH or family == "FAMILY" and given in _NAMEISH \
                or family == given == "UNKNOWN" and service and service.group(1).lower() in SERVICES:
            out.append((m.start("last"), m.end("first")))
    for m in _LAST_FIRST.finditer(text):
        last = [_kind(w, lex) for w in re.sub(rf"^{_PARTICLE}+", "", m.group("last"), flags=re.IGNORECASE).split()]
        first = _kind(m.group("first"), lex)
        if "STOP" in last or first == "STOP" or "WORD" in last or first == "WORD":
            continue
        labelled = bool(_ROLE_LABEL.search(text[max(0, m.start() - 40):m.start("last")]))
        particle = bool(re.match(_PARTICLE, m.group("last"), re.IGNORECASE))     # "de Vries, Pieter"
        if first.startswith("GIVEN") or last[-1] == "FAMILY" or (labelled or particle) and last[-1] != "WORD":
            out.append((m.start("last"), m.end("first")))
    return out


# Header lines of an uploaded document that name the patient.
_HEADER_LABELLED = re.compile(
    rf"(?:^|[ \t]{{2,}}|\|[ \t]*)[ \t]*(?i:patient(?:[ \t]+name)?|pt(?:[ \t]+name)?|name|re|regarding)"
    rf"[ \t]*[:.#-]?[ \t]*"
    rf"(?P<n>(?:{_TOK}|{_UPPER})(?:(?:,[ \t]*|[ \t])(?:[A-Z]\.[ \t]+)?(?:{_TOK}|{_UPPER})){{1,2}})", re.MULTILINE)
_HEADER_MARKED = re.compile(
    rf"^[ \t]*(?P<n>(?:{_TOK}|{_UPPER})(?:(?:,[ \t]*|[ \t])(?:[A-Z]\.[ \t]+)?(?:{_TOK}|{_UPPER})){{1,2}})"
    rf"(?:[ \t]+[A-Z]\.?)?[ \t]*"
    rf"(?:[ \t]+|[ \t]*[|(;,\-\u2013[][ \t]*)(?:\(?(?:MRN|DOB|D\.O\.B|Acct|Account|Sex|Age|Date of birth|"
    rf"Encounter|Enc|CSN|FIN|Visit|Admit|Room|Bed|\d{{1,3}}[ \t]*(?:y|yo|y/o|yrs?|years?))\b|[MF]\b|#[ \t]*\d|"
    rf"\d{{1,3}}[ \t]*[MF]\b)",
    re.MULTILINE)
# The first line of a document that is nothing but a name, or a name and then figures or punctuation:
# "Novak, Tomas #3730804", "SLOANE, HARRIET   Encounter 7501884".
_FIRST_LINE = re.compile(
    rf"\A\s*(?P<n>(?:{_TOK}|{_UPPER})(?:(?:,[ \t]*|[ \t])(?:[A-Z]\.[ \t]+)?(?:{_TOK}|{_UPPER})){{1,2}})"
    rf"(?:[ \t]+[A-Z]\.)?(?=[ \t]*$|[ \t]*[^A-Za-z\s]|[ \t]{{2,}})", re.MULTILINE)


def header_names(text: str, head_lines: int = 12) -> list[str]:
    """Name parts of the patient named in the document's header lines (the first ``head_lines``
    non-empty lines, and any later line marked with MRN/DOB, as repeated page headers are)."""
    lex = lexicon()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    head = "\n".join(lines[:head_lines])
    marked = "\n".join(ln for ln in lines[head_lines:] if re.search(r"\b(?:MRN|DOB|Acct)\b", ln))
    parts: list[str] = []
    for block, pats in ((head, (_HEADER_LABELLED, _HEADER_MARKED, _FIRST_LINE)),
                        (marked, (_HEADER_LABELLED, _HEADER_MARKED))):
        for pat in pats:
            for m in pat.finditer(block):
                words = re.findall(rf"{_TOK}|{_UPPER}", m.group("n"))
                kinds = [_kind(w, lex) for w in words]
                if "STOP" in kinds or all(k == "WORD" for k in kinds):
                    continue
                if pat is _FIRST_LINE and (any(k not in _NAMEISH for k in kinds) or all(k == "UNKNOWN" for k in kinds)):
                    continue        # an unlabelled first line must look like a name all through
                parts += [w for w, k in zip(words, kinds, strict=True) if k != "WORD" or len(words) == 2]
    return list(dict.fromkeys(parts))


_TITLES_AND_CREDENTIALS = re.compile(
    r"\b(?:Dr|Mr|Mrs|Ms|Prof|MD|M\.D|DO|D\.O|NP|FNP|APRN|DNP|PA-C|PA|RN|MBBS|PhD|Jr|Sr|II|III)\b\.?", re.IGNORECASE)


def known_names(*names: str | None) -> tuple[str, ...]:
    """People named in a document's extracted metadata ("Dr. Maria Gonzalez, MD" -> "Maria Gonzalez"),
    as a deny list for :func:`smartapp.coding.phi.redact`: titles, credentials and words that are not
    names are left out, so the deny list never redacts "Dr" or "MD" everywhere."""
    lex = lexicon()
    out: list[str] = []
    for name in names:
        if not name:
            continue
        words = [w for w in re.findall(rf"{_TOK}|{_UPPER}", _TITLES_AND_CREDENTIALS.sub(" ", name))
                 if _kind(w, lex) not in ("STOP", "WORD")]
        if words:
            out.append(" ".join(words))
    return tuple(dict.fromkeys(out))


# Names in capitals before a credential or after a title: "MARIA GONZALEZ, MD", "DR. MARIA GONZALEZ".
_UPPER_NAME = re.compile(
    rf"\b(?:(?:DR|MR|MRS|MS)\.?[ \t]+(?P<a>{_UPPER}(?:[ \t]+[A-Z]\.?(?![A-Za-z]))?(?:[ \t]+{_UPPER}){{0,2}})|"
    rf"(?P<b>{_UPPER}(?:[ \t]+[A-Z]\.?(?![A-Za-z]))?(?:[ \t]+{_UPPER}){{1,2}}),?[ \t]+"
    rf"(?:MD|M\.D\.|DO|NP|PA-C|PA|RN|FNP|DNP)\b)")


def upper_name_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    out = []
    for m in _UPPER_NAME.finditer(text):
        group = "a" if m.group("a") else "b"
        words = [w for w in m.group(group).split() if len(w.strip(".")) > 1]
        if words and all(_kind(w, lex) not in ("STOP", "WORD") for w in words):
            out.append((m.start(group), m.end(group)))
    return out


# A family name on its own: "O'Neill agrees with holding the statin", "Fox from wound care recommends".
_SURNAME_ALONE = re.compile(
    rf"(?<![\w'\u2019.-])(?P<n>(?:{_PARTICLE}){{0,2}}{_TOK})(?:['\u2019]s)?[ \t]+"
    r"(?:(?:from|of|in)[ \t]+(?:the[ \t]+)?(?P<dept>[A-Za-z-]+)(?:[ \t]+(?P<dept2>[A-Za-z-]+))?|"
    r"\((?:the[ \t]+)?(?:[a-z]+[ \t]+)?(?P<bracket>[A-Za-z-]+)\)(?:[ \t]+(?P<then>will|is|was|has|had|recommends|"
    r"wants|agrees|called|saw|sees|ordered|suggests|thinks)\b)?|"
    r"(?P<verb>(?P<active>agrees|thinks|wants|says|feels|recommends|suggests|concurs|will see|would like|"
    r"is covering|stopped by|weighed in|signed off)|agreed|recommended|thought|wanted|said|felt|called|"
    r"suggested|advised|requested|planned|was consulted|concurred)\b)")
SERVICES = frozenset(re.findall(r"\S+", """
cardiology gi nephrology renal endocrine endocrinology endo ed er medicine surgery neurology neuro neurosurgery
ortho orthopedics spine oncology onc heme-onc hematology pulm pulmonary pulmonology id infectious rheum
rheumatology urology uro derm dermatology psych psychiatry palliative hospice pt ot slp pharmacy wound ent
ophthalmology ophtho ob obgyn gyn pediatrics peds radiology ir icu micu sicu ccu hospitalist hospital sleep
vascular behavioral transplant anesthesia anesthesiology nutrition social podiatry geriatrics allergy
health care team service management work coordination
"""))


# After "<name> from <service>", what the person does: "Bello from ortho spine recommends ...".
_ACTS = re.compile(r"[^.;\n]{0,30}?\b(?:recommends|recommended|agrees|agreed|called|calls|wants|says|said|thinks|saw|"
                   r"sees|will|stopped|signed|weighed|suggests|suggested|advised|asked|is covering)\b", re.IGNORECASE)


def surname_alone_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    out = []
    for m in _SURNAME_ALONE.finditer(text):
        if m.group("dept") and m.group("dept").lower() not in SERVICES \
                and (m.group("dept2") or "").lower() not in SERVICES:
            continue        # "from cardiology", "in behavioral health"
        if m.group("bracket") and m.group("bracket").lower() not in SERVICES:
            continue        # "Jung (case management) will see her", not "Lasix (furosemide) was stopped"
        if m.group("bracket") and not m.group("then") and not re.search(
                r"\b(?:with|to|per|by)[ \t]+$", text[max(0, m.start("n") - 8):m.start("n")], re.IGNORECASE):
            continue        # "Reviewed with Winters (IR) at the bedside", not "Aspirin (ASA) daily"
        word = re.sub(rf"^{_PARTICLE}+", "", m.group("n"), flags=re.IGNORECASE)
        kind = _kind(word, lex)
        particle = word != m.group("n")
        # A word no list knows is a name only with a service or an active verb ("Szczepanska agrees"), not
        # before a participle ("Metformin recommended").
        base = _base(word)
        if base in lex.clinical and base not in lex.clinical_proper and not particle \
                and not (m.group("active") and base in lex.common_family):
            continue            # "Pain in ED", "Ultrasound agrees" (but "Fox agrees")
        after_person_word = bool(re.search(r"\b(?:with|to|per|by|paged|called|asked)[ \t]+$",
                                           text[max(0, m.start("n") - 12):m.start("n")], re.IGNORECASE))
        if m.group("dept") and kind != "FAMILY" and not particle and not _sentence_start(text, m.start("n")) \
                and not after_person_word:
            continue            # "refill of Lipitor from cardiology", but "discussion with Okonjo in oncology"
        acts = bool(_ACTS.match(text, m.end("dept") if m.group("dept") else m.end()))
        if kind in ("FAMILY", "FAMILY_WEAK", "GIVEN", "GIVEN_WEAK") or particle and kind != "STOP" or \
                kind == "UNKNOWN" and (m.group("dept") and (acts or after_person_word) or m.group("active")
                                   or m.group("bracket")):
            out.append((m.start("n"), m.end("n")))
    return out


# A credential or role abbreviation before a family name alone: "RN Sokolov notified the provider".
_CREDENTIAL_NAME = re.compile(rf"\b(?:RN|LPN|LVN|NP|APRN|CNA|CMA|CNM|LCSW|MSW|PA-C|MD|DO)[ \t]+(?P<n>{_TOK})(?![\w'-])")


def credential_name_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    return [(m.start("n"), m.end("n")) for m in _CREDENTIAL_NAME.finditer(text)
            if _kind(m.group("n"), lex) in _NAMEISH]
