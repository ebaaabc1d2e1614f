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

from .phi_patterns import _CREDENTIALS as CREDENTIALS
from .phi_words import BRANDS, COMMON_WORD_GIVEN, STOP_WORDS, Lexicon, lexicon

# A capitalised word: Maria, O'Donnell, McAllister, Mei-Ling, Al-Sayed; possessive 's is cut off later.
_TOK = (r"[A-Z\u00c0-\u00d6\u00d8-\u00de](?:['\u2019][A-Z])?"
        r"[a-zA-Z\u00c0-\u024f]*[a-z\u00df-\u024f][a-zA-Z\u00c0-\u024f]*"
        r"(?:['\u2019-][A-Za-z\u00c0-\u024f]+)*")
# Capitals outside A-Z too ("GUIMARÃES", "TORBJØRN", "UMAÑA-PRYCE").
_CAP = r"A-Z\u00c0-\u00d6\u00d8-\u00de"
_UPPER = rf"[{_CAP}](?:[{_CAP}]+|['\u2019][{_CAP}]{{2,}})(?:['\u2019-][{_CAP}]+)*"     # "SMITH", "O'CONNOR"
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


def names_a_disease(span: str) -> bool:
    """A word of three or more that names a disease and no person ("per Surviving Sepsis Campaign"):
    a clinical word that is neither a family name nor a given name; or, round 53, an eponym alone in its possessive
    ("c/o Raynaud's", "Hx Hashimoto's"), as a disease is written."""
    lex = lexicon()
    if re.fullmatch(r"[A-Z][a-z]+['\u2019]s", span.strip()) and _base(span.strip()) in lex.clinical_proper:
        return True
    return any(len(w) > 2 and w in lex.clinical and w not in lex.clinical_proper
               and w not in lex.family and w not in lex.given
               for w in (_base(w) for w in re.findall(r"[A-Za-z][\w'\u2019-]*", span)))


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
# Also the first of two joined by "and" ("Richardson and Deaver retractors") and surgical instruments and implants
# ("Balfour retractor", "Kirschner wires", "Steinmann pin").
EPONYM_AFTER = re.compile(
    r"(?:['\u2019]s?)?(?:[ \t]+(?:and|&)[ \t]+[A-Z][a-z]+(?:['\u2019]s?)?)?"
    r"(?:[ \t]+(?:[IVX]{1,4}[a-c]?|type|grade|stage)\b)?[ \t]+"
    r"(?:score|sign|signs|test|tests|criteria|syndrome|disease|palsy|phenomenon|maneuver|"
    r"fracture|type|stage|grade|scale|classification|procedure|operation|cyst|nodes?|esophagus|lymphoma|reflex|"
    r"rule|index|stain|stains|staining|agar|medium|media|incision|approach|technique|method|instruments?|"
    r"device|catheter|tube|shunt|repair|flap|solution|model|assay|kit|equation|formula|classification|murmur|regression|"
    r"respirations?|breathing|lesions?|spots?|triad|point|ulcer|hernia|cells?|bod(?:y|ies)|tumou?r|sarcoma|"
    r"dystrophy|contracture|nodules?|granules?|ring|line|lines|law|effect|angle|pouch|duct|canal|space|blot|"
    r"blotting|crcl|egfr|gfr|clearance|lamp|retractors?|scissors|clamps?|forceps|wires?|pins?|needles?|trocars?|"
    r"stand|elevators?|hooks?|rongeurs?|dilators?|speculum|drains?|"
    # Round 45: "Auer rods", "Fleischner guidelines", "Hemoccult II cards", "SAM splint"
    r"rods|guidelines?|cards?|splints?|"
    # Round 47: "Montreal Cognitive Assessment", "Refugee Health Screener-15", "Western Aphasia Battery"
    r"assessment|questionnaire|screener|battery|inventory|checklist|rating|ratings|"
    # Round 50: a device by its maker's word ("via Kangaroo pump", "Mic-Key button", "Dexcom sensor")
    r"pumps?|buttons?|pens?|sensors?|meters?|monitors?)\b",
    re.IGNORECASE)


# What follows a person's name ("Quispe manage", "Banks from", "Waters, who"): never the noun of an
# eponym, even where the clinical word lists hold it ("follow", "care", "team").
_FOLLOWERS = frozenset(re.findall(r"\S+", """
from with and who whom at in on of for is was will has had have saw seen see sees noted reported requested
should may can could would might must been being be the her his their this that these those our my your its
to by as or but not also then than consult consults consulted team office nurse nurses care placed follow
follows followed following manage manages managed prefers preferred agrees agreed called calls wants wanted
thinks thought feels felt says said recommends recommended reviewed evaluated examined discussed ordered
started stopped signed dictated read performed asked asks advised suggests suggested believes requests
approved cleared covers covering sent faxed wrote writes documented notes note plan input assessment
visit visits clinic group practice staff at today tomorrow yesterday last next this that
regarding concerning including according pending during about after before since until while when where
because given via using over under into onto upon within without through throughout against among between
which what whose there here again still just only even ever never always already soon later earlier now
call text email phone notify contact fax page
"""))


def eponym_after(text: str, pos: int) -> bool:
    """A clinical noun follows the capitalised words ending at ``pos``: they are an eponym or a product
    ("Austin Flint murmur", "Miller Fisher variant", "Marcus Gunn pupil"), not a person."""
    if EPONYM_AFTER.match(text, pos):
        return True
    m = _NEXT_WORD.match(text, pos)
    if not m:
        return False
    word = m.group(1)
    if word.endswith(("ly", "ed")):
        return False
    return len(word) > 3 and word not in _FOLLOWERS and (word in lexicon().clinical
                                                          or bool(_MEDICAL_SUFFIX.search(word)))


_NEXT_WORD = re.compile(r"(?:['\u2019]s?)?[ \t]+([a-z][a-z]+)\b")
# Words before a capitalised word that make it an eponym or a finding: "positive Romberg", "Lachman negative".
_EPONYM_BEFORE = re.compile(r"\b(?:positive|negative|equivocal|bilateral|modified|reverse|reversed|\+|-)[ \t]*$",
                            re.IGNORECASE)


def _is_name(kinds: list[str], cued: bool, loose: bool = False, strict: bool = False) -> bool:
    """``loose``: two everyday words mid-sentence, after no article, before no capitalised word;
    ``strict``: the words are the whole capitalised run and none is a clinical word."""
    if any(k not in _NAMEISH for k in kinds):
        return False
    pair = (kinds[0], kinds[-1])
    if pair in _ALONE:
        return True
    # Any other pair with a word that is neither an everyday nor a clinical word ("Tupac Quispe",
    # "Rashidova Nilufar", "Quispe Mamani") is a name wherever it stands; clinical pairs never get here.
    if any(k in ("GIVEN", "FAMILY", "UNKNOWN") for k in kinds):
        return cued or strict
    if pair == ("FAMILY_WEAK", "FAMILY_WEAK") or pair == ("FAMILY_WEAK", "GIVEN_WEAK"):
        return cued or loose        # two everyday words ("Body Mass", "Gamma Knife"; "Grant Fields")
    return cued or loose


_MODAL_NAMES = frozenset(("will", "may", "mark", "bill", "don", "pat", "sue", "case"))
_MONTH_NAMES = frozenset(("april", "may", "june", "august"))


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'(")
    return not before or before[-1] in ".!?:;\n-*\u2022#"


def _loose(text: str, start: int, end: int, part: list[tuple[int, int, str]]) -> bool:
    """Two everyday capitalised words mid-sentence ("that Grant Fields manage") are a name when no
    article precedes them, no capitalised word follows, and neither is a clinical word."""
    lex = lexicon()
    if _sentence_start(text, start) or re.search(r"\b(?:the|a|an|of|and|&)[ \t]+$", text[max(0, start - 6):start],
                                                   re.IGNORECASE):
        return False
    if re.match(r"[ \t]+[A-Z]", text[part[-1][1]:part[-1][1] + 2]):
        return False
    return not any(_base(w) in lex.clinical and _base(w) not in lex.clinical_proper for _, _, w in part)


def _whole_run(text: str, start: int, part: list[tuple[int, int, str]]) -> bool:
    """No capitalised word or trade mark right before or after, and no word of the clinical lists
    (even an eponym or organism: "Columbia Agar", "Neisseria Gonorrhoeae")."""
    lex = lexicon()
    if re.search(r"[A-Z][\w'\u2019-]*[ \t]+$", text[max(0, start - 30):start]):
        return False
    if re.match(r"[ \t]*(?:[A-Z]|[\u00ae\u2122])", text[part[-1][1]:part[-1][1] + 3]):
        return False
    return not any(_base(w) in lex.clinical or _MEDICAL_SUFFIX.search(_base(w)) or _ORGANISM.search(_base(w))
                   for _, _, w in part)


# Genus and species endings ("Neisseria Gonorrhoeae", "Columbia Agar" is in the lists).
_ORGANISM = re.compile(r"(?:cocc(?:us|i)|bacter|bacill(?:us|i)|monas|eria|(?<=[a-z]{4})ae|oides|myces|plasma|"
                       r"virus|spora|osa|ensis|agar|gram)$")


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
                if eponym_after(text, part[-1][1]) or _EPONYM_BEFORE.search(text[max(0, start - 12):start]):
                    continue
                if (kinds[0], kinds[-1]) not in _ALONE and any(_ORGANISM.search(_base(w)) for _, _, w in part):
                    continue        # "Neisseria Gonorrhoeae", "Columbia Agar"
                cued = _cued(text, start, end) or bool(_PERSON_ACTS.match(text, end)) \
                    or bool(_PERSON_BEFORE.search(text[max(0, start - 30):start])) \
                    or text[end:end + 1] == ")" and bool(_PERSON_ACTS.match(text, end + 1))
                if _is_name(kinds, cued, _loose(text, start, end, part),
                            _whole_run(text, start, part)):
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


_CREDENTIAL_AFTER = re.compile(
    r"(?:[ \t]+[A-Z]\.)?,?[ \t]+(?:MD|M\.D\.|DO|NP|PA-C|PA|RN|FNP|DNP|APRN|LPN|CNM|LCSW|PharmD)\b")
_ROLE_LABEL = re.compile(r"\b(?:from|to|by|author|sender|recipient|requested by|requesting|"
                         r"referring|referred by|ordering|copy to|cc|attending|pcp|primary care|provider|team|"
                         r"consultants?|outpatient[ \t]+[\w -]+|"
                         r"physician|surgeon|consultant|consulting|covering|supervising|signed by|dictated by|"
                         r"author)\b[ \t]*:[ \t]*$", re.IGNORECASE)


# "OT note - Lamb, Ezra, OTR/L": Last, First and a credential, anywhere on a line. The credential says a person is
# named, so the family name may be an everyday word.
_LAST_FIRST_CREDENTIAL = re.compile(
    rf"(?<![\w'\u2019-])(?P<last>(?:{_PARTICLE}){{0,2}}{_TOK}),[ \t]*(?P<first>{_TOK})(?:[ \t]+[A-Z]\.?)?,?[ \t]+"
    rf"(?:{CREDENTIALS}|MS|MSN|BSN|MPH|CCC-SLP|CCC-A|FNP-C|FP-C|EMT-P|LPC|LADC|CHW|BCBA|DPM|OD|DDS|DMD|IBCLC|"
    rf"Psy\.?D\.?|LMSW)(?:/L)?"
    rf"(?![\w-])")


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
    for m in _LAST_FIRST_CREDENTIAL.finditer(text):
        if _kind(m.group("first"), lex) not in ("STOP", "WORD") and _kind(m.group("last"), lex) != "STOP":
            out.append((m.start("last"), m.end("first")))
    for m in _LAST_FIRST.finditer(text):
        last = [_kind(w, lex) for w in re.sub(rf"^{_PARTICLE}+", "", m.group("last"), flags=re.IGNORECASE).split()]
        first = _kind(m.group("first"), lex)
        if "STOP" in last or first == "STOP" or "WORD" in last or first == "WORD":
            continue
        labelled = bool(_ROLE_LABEL.search(text[max(0, m.start() - 40):m.start("last")])) \
            or bool(_CREDENTIAL_AFTER.match(text, m.end("first"))) \
            or bool(re.search(r"[A-Za-z][ \t]*:[ \t]*$", text[max(0, m.start("last") - 30):m.start("last")])) \
            and bool(re.match(r"[ \t]*(?:\(|$)", text[m.end("first"):m.end("first") + 3]))
        particle = bool(re.match(_PARTICLE, m.group("last"), re.IGNORECASE))     # "de Vries, Pieter"
        if first.startswith("GIVEN") or last[-1] == "FAMILY" or (labelled or particle) and last[-1] != "WORD":
            out.append((m.start("last"), m.end("first")))
    return out


# Header lines of an uploaded document that name the patient.
# The particles a family name may open with on a header line ("De La Vega, Tomas", "Van Der Merwe, Cornelius").
_FAMILY_PARTICLE = r"(?i:de|del|van|von|der|da|di|le|la|los|las)[ \t]+"
# (round 46: a label after a fax's "RE:" too, "FAX RE: patient EZE, OBINNA / DOB ...")
_HEADER_LABELLED = re.compile(
    rf"(?:^|[ \t]{{2,}}|\|[ \t]*|\b(?i:re|regarding)[ \t]*:[ \t]*)[ \t]*"
    rf"(?i:patient(?:[ \t]+name)?|pt(?:[ \t]+name)?|name|re|regarding|client|member|participant|enrollee)"
    rf"[ \t]*[:.#-]?[ \t]*"
    # a family name's particles first ("Pt: De La Vega, Tomas"), then up to three names
    rf"(?P<n>(?:{_FAMILY_PARTICLE}){{0,2}}"
    # (round 49: never an identifier's label as the last name, "patient June Summer, DOB ...")
    rf"(?:{_TOK}|{_UPPER})(?:(?:,[ \t]*|[ \t])(?:[A-Z]\.[ \t]+)?(?!(?:DOB|MRN|DOS|SSN)\b)(?:{_TOK}|{_UPPER})){{1,2}})",
    re.MULTILINE)
# Round 48: a message about the patient by family name and record number ("secure chat re pt Hill (6336085)"); round
# 49: or room, or age ("sec chat re Brooks (rm 6), 81 y/o F").
# (round 52: "page re: Banks rm 4W-18, 64M", "handoff - King (8001062) bed 7")
_HEADER_RE_PT = re.compile(rf"\b(?:(?i:re|regarding)[ \t]*:?|(?i:handoff|hand-off|sign-?out)[ \t]*[-:\u2013])[ \t]+"
                           rf"(?:(?i:pt|patient)[ \t]*:?[ \t]+)?(?P<n>{_TOK}|{_UPPER})"
                           rf"[ \t]*(?:\((?:(?i:mrn|rm|room|bed)[ \t#:]*)?\d[\w-]{{0,9}}\)|,[ \t]*\d{{1,3}}[ \t]*"
                           rf"(?:y/o|yo|y)\b|(?i:rm|room|bed)[ \t#:]*\d[\w-]{{0,9}})")
# What follows the patient's name on a header line: a birth date, a record number, an age and sex.
_IDENTIFIERS_AFTER = (r"[ \t]*[,(]?[ \t]*(?:DOB|D\.O\.B|MRN|born|Date of birth|\d{1,3}[ \t]?[MF]\b|"
                      r"\d{1,3}[ \t]?(?:y|yo|y/o)\b)")
_IDENTIFIED = re.compile(_IDENTIFIERS_AFTER)
# Round 43: a court's caption names the patient: "IN RE: THE GUARDIANSHIP OF VO D. THI LAN, AN INCAPACITATED PERSON".
_CAPTION_OF = re.compile(r"\b(?i:guardianship|conservatorship|estate|custody)[ \t]+(?i:of)[ \t]+"
                         r"(?P<n>[A-Z][A-Za-z.'\u2019 -]{1,60}?)(?=,|[ \t]*$)", re.MULTILINE)
# (round 46: a family name's particles first, "Van Der Merwe, Cornelius  MRN ...")
# (only before a family name and its comma: "LE VAN HUNG" names no particle)
_LEADING_PARTICLES = re.compile(rf"(?:{_FAMILY_PARTICLE})+(?=[^\s,]+,)")
# (round 53: after a title's dash too, "TRIAGE NOTE - SUMMERS MAE (MRN 6592513)")
_HEADER_MARKED = re.compile(
    rf"(?:^|(?<=[ \t][-\u2013\u2014][ \t]))[ \t]*(?P<n>(?:{_FAMILY_PARTICLE}){{0,2}}(?:{_TOK}|{_UPPER})"
    rf"(?:(?:,[ \t]*|[ \t])(?:[A-Z]\.[ \t]+)?(?:{_TOK}|{_UPPER})){{1,2}})"
    rf"(?:[ \t]+[A-Z]\.?)?[ \t]*"
    rf"(?:[ \t]+|[ \t]*[|(;,\-\u2013[][ \t]*)(?:\(?(?:MRN|DOB|D\.O\.B|Acct|Account|Sex|Age|Date of birth|"
    rf"Encounter|Enc|CSN|FIN|Visit|Admit|Room|Bed|\d{{1,3}}[ \t]*(?:y|yo|y/o|yrs?|years?))\b|[MF]\b|#[ \t]*\d|"
    rf"\d{{1,3}}[ \t]*[MF]\b)",
    re.MULTILINE)
# A title line naming the patient before a birth date or record number: "MTM Summary for REMEDIOS W. DE LA
# VEGA, DOB 9/11/1942", "Visit note for Ana de la Cruz (MRN 123)". Particles inside are allowed.
# Round 45: "pt ID'd as RUBY C CASH, 57 M, DOB ...": "as" opens it too, the middle initial may lack its dot, and an
# age and sex may follow without brackets.
_HEADER_FOR = re.compile(
    rf"\b(?i:for|of|re|regarding|as)[ \t]*:?[ \t]+(?P<n>(?:{_TOK}|{_UPPER})(?:[ \t]+(?:[A-Z]\.?[ \t]+)?"
    rf"(?:(?i:van|von|der|den|de|del|della|da|di|le|la|du|dos|das)[ \t]+){{0,2}}(?:{_TOK}|{_UPPER})){{1,3}})"
    rf"{_IDENTIFIERS_AFTER}")
# (two given names too: "PICKETT, LOU ANN K")
_LAST_COMMA_FIRST_LINE = re.compile(rf"(?P<last>{_TOK}|{_UPPER}),[ \t]*(?P<first>(?:{_TOK}|{_UPPER})"
                                    rf"(?:[ \t]+(?:{_TOK}|{_UPPER}))?)(?:[ \t]+[A-Z]\.?)?")
# Round 42: the same in capitals without the comma, with a middle initial: "STONE ABIGAIL N" over "MRN ... 31y M".
_CAPS_LAST_FIRST_LINE = re.compile(rf"(?P<last>{_UPPER})[ \t]+(?P<first>{_UPPER})[ \t]+[A-Z]\.?")
# A dictated header: "61 year old F named Earl Little date of birth ...".
# Round 50: also "patient name Alma Van Der Berg date of birth ...", the family name after its particles.
_HEADER_NAMED = re.compile(rf"\b(?i:named|name[ \t]+is|patient[ \t]+name)[ \t]+"
                           rf"(?P<n>{_TOK}(?:[ \t]+(?:{_FAMILY_PARTICLE}){{0,2}}{_TOK}){{1,2}})")
# The first line of a document that is nothing but a name, or a name and then figures or punctuation:
# "Novak, Tomas #3730804", "SLOANE, HARRIET   Encounter 7501884".
_FIRST_LINE = re.compile(
    rf"\A\s*(?P<n>(?:{_TOK}|{_UPPER})(?:(?:,[ \t]*|[ \t])(?:[A-Z]\.[ \t]+)?(?:{_TOK}|{_UPPER})){{1,2}})"
    rf"(?:[ \t]+[A-Z]\.)?(?=[ \t]*$|[ \t]*[^A-Za-z\s]|[ \t]{{2,}})", re.MULTILINE)


# Months that are given names too ("JUNE BAKER", "Baker, April"): where a header puts a name, they are one.
_MONTH_NAMES = frozenset(("april", "may", "june", "august"))


def _header_kind(word: str, lex: Lexicon) -> str:
    return "GIVEN_WEAK" if word.lower() in _MONTH_NAMES else _kind(word, lex)


def header_names(text: str, head_lines: int = 12) -> list[str]:
    """Name parts of the patient named in the document's header lines (the first ``head_lines``
    non-empty lines, and any later line marked with MRN/DOB, as repeated page headers are)."""
    lex = lexicon()
    # (a dictated header's "name Vo comma Bich" reads "name Vo, Bich" here: phi_fold.spoken_punctuation)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    head = "\n".join(lines[:head_lines])
    marked = "\n".join(ln for ln in lines[head_lines:] if re.search(r"\b(?:MRN|DOB|Acct)\b", ln))
    parts: list[str] = []
    for block, pats in ((head, (_HEADER_LABELLED, _HEADER_MARKED, _FIRST_LINE, _HEADER_FOR, _HEADER_NAMED,
                                _HEADER_RE_PT)),
                        (marked, (_HEADER_LABELLED, _HEADER_MARKED, _HEADER_FOR))):
        for pat in pats:
            for m in pat.finditer(block):
                # Round 46: the particles that open a family name stay out of the deny list ("Van Der Merwe,
                # Cornelius"), not a family name that is one ("LE, VAN HUNG")
                lead = _LEADING_PARTICLES.match(m.group("n")) if pat in (_HEADER_MARKED, _HEADER_LABELLED) else None
                words = re.findall(rf"{_TOK}|{_UPPER}", m.group("n")[lead.end() if lead else 0:])
                if pat in (_HEADER_FOR, _HEADER_NAMED):     # the particles stay out of the deny list ("de", "la")
                    words = [w for w in words if not re.fullmatch(_PARTICLE, w.lower() + " ")]
                kinds = [_header_kind(w, lex) for w in words]
                # Round 45: a label before and a birth date right after make every word a name, everyday words too
                # ("RE: DARLENE MANY HORSES (DOB ...)").
                identified = pat in (_HEADER_LABELLED, _HEADER_FOR) and kinds[0] != "STOP" \
                    and _IDENTIFIED.match(block, m.end()) or pat is _HEADER_RE_PT and kinds[0] in _NAMEISH
                if identified:
                    parts += [w for w in words if len(w) > 1]
                    continue
                if "STOP" in kinds or all(k == "WORD" for k in kinds):
                    continue
                if pat is _FIRST_LINE and (any(k not in _NAMEISH for k in kinds) or all(k == "UNKNOWN" for k in kinds)):
                    continue        # an unlabelled first line must look like a name all through
                # a middle initial is no third name: "MARSHALL, WREN T" names Wren, an everyday word
                named = [w for w in words if len(w) > 1]
                parts += [w for w, k in zip(words, kinds, strict=True) if k != "WORD" or len(named) == 2]
    for line in lines[:5] + [ln for ln in lines[5:head_lines] if _HEADER_MARKER.search(ln)]:
        parts += _header_line_names(line, lex)
    for line, below in zip(lines[:3], lines[1:4], strict=False):
        # "MARSHALL, WREN T" over "MRN: ... DOB: ...": the line above the identifiers names the patient, even in
        # everyday words
        whole = _LAST_COMMA_FIRST_LINE.fullmatch(line.strip()) or _CAPS_LAST_FIRST_LINE.fullmatch(line.strip())
        pair = (whole.group("last"), *whole.group("first").split()) if whole else ()
        kinds = [_header_kind(w, lex) for w in pair]
        if pair and _HEADER_MARKER.search(below) and not _HEADER_MARKER.search(line) and "STOP" not in kinds \
                and any(k in _NAMEISH for k in kinds) \
                and not any(k == "WORD" and w.lower() in lex.clinical for w, k in zip(pair, kinds, strict=True)):
            parts += list(pair)     # not "Hypertension, Chronic" over a blood pressure and its date
    for m in _CAPTION_OF.finditer(head):
        parts += _caption_names(m.group("n"))
    for line in lines[:head_lines]:     # a newborn before it has a given name: "FAIRCHILD, BABY", "Baby Girl Ortiz"
        parts += [n for m in _NEWBORN.finditer(line) for n in (m.group("a"), m.group("b")) if n]
    for line in lines[:2]:      # a title line naming the patient in capitals: "Transfer summary for DOE JANE"
        if not _HEADER_MARKER.search(line) and len(line) <= 80:
            parts += _header_line_names(line, lex, capitals_only=True)
    return list(dict.fromkeys(parts))


def _caption_names(name: str) -> list[str]:
    """The words of a caption's name for the deny list: not its initials, nor a particle before another name ("DE LOS
    REYES"); a particle before an initial is a family name ("LE T. MAI ANH")."""
    words = re.findall(r"[A-Za-z][A-Za-z'\u2019-]*\.?", name)
    out = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        particle = re.fullmatch(_PARTICLE, w.lower() + " ") or w.lower() in ("los", "las")
        if len(w.rstrip(".")) > 1 and not (particle and len(nxt.rstrip(".")) > 1):
            out.append(w.rstrip("."))
    return out


_BABY = r"(?:BABY|Baby|INFANT|Infant)(?:[ \t]+(?:BOY|GIRL|Boy|Girl|[A-C1-3]))?"
_NEWBORN = re.compile(rf"(?:^|[|:][ \t]*)[ \t]*(?:(?P<a>[A-Z][A-Za-z'\u2019-]+),[ \t]*{_BABY}|{_BABY}[ \t]+"
                      rf"(?P<b>[A-Z][A-Za-z'\u2019-]+))(?![ \t]*[a-z])")
# What marks a line as a patient header: identifiers, birth date, age and sex, room, a separator.
_HEADER_MARKER = re.compile(
    r"\b(?i:MRN|MR#|DOB|D\.O\.B|Acct|Account|CSN|FIN|HAR|Encounter|Enc|Visit|Admit|Adm|Room|Rm|Bed|Sex|Age|"
    r"Gender|Patient|Pt|Name|RE|Regarding|Client|Resident|Member|Subject)(?![\w])|\d{6,}|#[ \t]*\d"
    r"|\b\d{1,3}[ \t]*(?:y|yo|y/o|y\.o\.|yrs?|years?|mo|m/o)\b|\b\d{1,3}[ \t]*[MF]\b|[|/][ \t]*[MF]\b"
    r"|\d{1,2}/\d{1,2}/\d{2,4}")
# Someone other than the patient is named on the line after one of these.
_NOT_PATIENT_LABEL = re.compile(
    r"\b(?:Dr|Provider|Attending|Physician|Referring|Referred|PCP|From|Author|Signed|cc|To|Surgeon|Clinician|"
    r"Doctor|Nurse|Fellow|Consultant|Ordering|Sender|Dictated|Typed|Facility|Hospital|Clinic|Location|"
    r"Contact|Emergency|Guarantor|Insured|Subscriber|Mother|Father|Parent|Guardian|Spouse)\b[^|:]{0,3}:?[ \t]*$",
    re.IGNORECASE)


_NAME_GAP = re.compile(r"(?:,[ \t]?|[ \t])(?:[A-Z]\.?[ \t])?")


def _header_line_names(line: str, lex: Lexicon, capitals_only: bool = False) -> list[str]:
    """Name parts on a header line ("Dr. X" and "Provider: X" excluded): a "LAST, FIRST" pair, or two or
    three name-like words on a line marked as a patient header. Every word may start a name, so a label
    before it ("Patient TIBERIUS MWANGI") or a marker after it ("ODUYA,PHILIPPA  MR#...") is left out."""
    if not (capitals_only or _HEADER_MARKER.search(line)) or len(line) > 140 or line.count(",") > 2:
        return []       # a sentence or a list of tests, not a header
    toks = list(re.finditer(rf"(?<![\w'\u2019.-])(?:{_TOK}|{_UPPER})(?![\w'\u2019-])", line))
    out: list[str] = []
    i = 0
    while i < len(toks) - 1:
        taken = 0
        for size in (3, 2):
            part = toks[i:i + size]
            if len(part) < size or any(not _NAME_GAP.fullmatch(line[a.end():b.start()])
                                       for a, b in zip(part, part[1:], strict=False)):
                continue
            words = [m.group() for m in part]
            if capitals_only and not all(w.isupper() and _kind(w, lex) in ("GIVEN", "FAMILY", "UNKNOWN", "GIVEN_WEAK")
                                         for w in words):
                continue
            short_family = words[0].isupper() and words[0].lower() in lex.family and len(words[1]) > 3 \
                and line[part[0].end():part[1].start()].strip() == ","      # "LE, HOANG N": a family name
            if any(w.isupper() and len(w) <= 3 for w in words[1:]) or words[0].isupper() \
                    and len(words[0]) <= 3 and not short_family:
                continue        # abbreviations ("LFTs, CBC", "RUQ US")
            kinds = [_header_kind(w, lex) for w in words]
            if any(k not in _NAMEISH for k in kinds):
                continue
            comma = "," in line[part[0].end():part[-1].start()]
            if not comma and all(k in ("GIVEN_WEAK", "FAMILY_WEAK") for k in kinds):
                continue        # two everyday words ("BLOOD BANK")
            if _NOT_PATIENT_LABEL.search(line[max(0, part[0].start() - 25):part[0].start()]):
                continue
            nxt = toks[i + size] if i + size < len(toks) else None
            if nxt is not None and line[part[-1].end():nxt.start()] == " " and nxt.group()[1:].islower() \
                    and _kind(nxt.group(), lex) not in _NAMEISH:
                continue        # a title ("Pediatric Sick Visit")
            if re.match(r"[ \t]+(?i:hospital|clinic|cent(?:er|re)|health|medical|university|institute|memorial|"
                        r"family|associates|group|regional|general|county|community)\b", line[part[-1].end():]):
                continue        # a letterhead ("JOHN SMITH MEMORIAL HOSPITAL")
            out += words
            taken = size
            break
        i += taken or 1
    return out


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
        if group == "a":
            if len(m.group("a")) < 3 and not re.match(r"[A-Z]{2}\.", text[m.start():m.start() + 3]):
                continue        # "No DR OU": diabetic retinopathy in both eyes, not a doctor
            # "DR. SMITH AWARE": the name ends where the everyday words begin
            names = m.group("a").split()
            while len(names) > 1 and _kind(names[-1], lex) in ("STOP", "WORD"):
                names.pop()
            if _kind(names[0], lex) not in ("STOP", "WORD"):
                out.append((m.start("a"), m.start("a") + len(" ".join(names))))
            continue
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
health care team service management work coordination pcp attending resident fellow intern np pa rn md
charge surgeon hospitalist intensivist consultant billing lab laboratory auth registration scheduling
retina speech audiology therapy rehab imaging ultrasound pathology dental dentistry optometry ophtho
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
_CREDENTIAL_NAME = re.compile(
    rf"(?:\b(?:RN|LPN|LVN|NP|APRN|CNA|CMA|CNM|LCSW|MSW|PA-C|MD|DO)|(?i:\b(?:social|case|crisis|charge|infusion|"
    rf"floor|wound|bedside|triage|school|home[ \t]+health)[ \t]+(?:worker|manager|mgr|counselor|nurse|rn))|"
    rf"(?i:\b(?:medic|paramedic|emt|chaplain|navigator|coordinator|interpreter|pharmacist|dietitian|therapist|"
    rf"counselor|aide|technician|tech|midwife|doula|scribe|hospitalist|intensivist|resident|intern|fellow)))"
    rf"[ \t]+(?P<n>{_TOK}(?:[ \t]+{_TOK})?)(?![\w'-])")


def credential_name_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    out = []
    for m in _CREDENTIAL_NAME.finditer(text):
        words = m.group("n").split()
        kinds = [_kind(w, lex) for w in words]
        if kinds[0] not in _NAMEISH:
            continue
        if len(words) == 2 and kinds[1] not in _NAMEISH:
            out.append((m.start("n"), m.start("n") + len(words[0])))      # "Social worker Marsh met"
        else:
            out.append((m.start("n"), m.end("n")))
    return out


# A family name alone, by what a person does after it or what is done to a person before it:
# "Moradi will call the family", "Quispe prefers", "paged Okonjo", "discussed with Ellery", "Berg's note".
_ONE = re.compile(rf"(?<![\w'\u2019.-])(?P<n>(?:(?:van|von|de|del|della|da|di|du|le|la|ter|ten)[ \t]+)?"
                  rf"{_TOK})(?P<poss>['\u2019]s)?(?![\w'\u2019-])")
_PERSON_ACTS = re.compile(
    r"[ \t]*,?[ \t]+(?:(?:also|then|now|just|already|personally|kindly)[ \t]+)?"
    r"(?:will(?![ \t]+be\b)|would(?![ \t]+be\b)|wants|prefers|manages|agrees|recommends|thinks|feels|says|believes|"
    r"suggests|requests|plans|asks|asked|is[ \t]+(?:covering|following|aware|on[ \t]+call|the|our|her|his|their)|"
    r"has[ \t]+(?:seen|reviewed|been[ \t]+(?:following|seeing|managing)|agreed|recommended|asked)|saw|sees|called|"
    r"calls|reviewed|signed|co-signed|cosigned|ordered|evaluated|examined|dictated|approved|consulted|spoke|"
    r"discussed|wrote|writes|mentioned|informed|notified|paged|texted|emailed|messaged|responded|"
    r"replied|returned[ \t]+the[ \t]+call|stopped[ \t]+by|came[ \t]+by|weighed[ \t]+in|concurs|concurred|"
    r"advised|advises|counseled|met|visited|handed|signed[ \t]+off|can[ \t]+be[ \t]+reached|was[ \t]+(?:paged|"
    r"called|notified|consulted|informed|updated|contacted|made[ \t]+aware)|prefers|covered|covers|rounded|"
    r"at[ \t]+(?:the[ \t]+)?bedside|is[ \t]+aware|(?:will[ \t]+)?present(?:s|ed)?[ \t]+(?:at|next|the|her|his|to)|"
    r"kindly|graciously|\((?:pcp|attending|resident|fellow|np|pa|rn|md|[a-z]+ologist|surgeon|hospitalist)\))\b")
_PERSON_BEFORE = re.compile(
    r"\b(?:(?:spoke|spoken|talked|speak|talk|reached[ \t]+out|reach[ \t]+out|handed[ \t]+over|handoff|hand[ \t]+off|"
    r"report|reported|deferred|defer|passed[ \t]+on)[ \t]+to|"
    r"(?:discussed|spoke|spoken|talked|met|conferred|agreed|reviewed|checked|confirmed|coordinated|"
    r"consulted|consult|curbside[d]?|corresponded|touched[ \t]+base|in[ \t]+touch|collaborat\w+)[ \t]+with|"
    r"per|cc|paged|page|called|call|asked|ask|notified|notify|informed|inform|messaged|message|texted|text|"
    r"emailed|email|thank|thanks|dear|consulted|signed[ \t]+out[ \t]+to|handed[ \t]+off[ \t]+to|"
    r"report[ \t]+(?:from|to)|"
    r"(?:seen|led|run|headed|chaired|written|drafted|drawn|done|certified|completed|authored|prepared)[ \t]+by|"
    r"evaluated[ \t]+by|examined[ \t]+by|reviewed[ \t]+by|signed[ \t]+by|dictated[ \t]+by|"
    r"covering[ \t]+for|covered[ \t]+by|routed[ \t]+to|forwarded[ \t]+to|sent[ \t]+to|referred[ \t]+to|"
    r"referral[ \t]+to|update[d]?|attn:?|attention:?|(?:left|message|voicemail|vm)[ \t]+for|inbox[ \t]+of)[ \t]+$",
    re.IGNORECASE)


_VIA_SERVICE = re.compile(r"[ \t]+(?:from|in|of|with|on)[ \t]+(?:the[ \t]+)?(?P<s>[a-zA-Z-]+(?:[ \t]+[a-z-]+){0,2})")


# What a person has ("Thorne's note"), unlike an eponym ("Wharton's jelly", "Lowsley's grading").
_OWNED = re.compile(r"[ \t]+(?:(?:last|latest|prior|recent|previous|clinic|consult|progress|office|cardiology|"
                    r"discharge|own)[ \t]+)?(?:notes?|recommendations?|recs|team|office|plan|input|assessment|service|"
                    r"clinic|patients?|nurse|group|practice|partner|colleague|orders?|message|letter|report|opinion|"
                    r"impression|documentation|consult|signature|voicemail|call|staff|schedule|pager|cell|phone|"
                    r"number|attending|resident|list|panel|care|request|advice|approval|care)\b")


# "Oncologist of record: Finch": a role label, then a family name alone.
_ROLE_COLON = re.compile(r"(?i:\w*(?:ologist|iatrist|ician|ist|surgeon|provider|physician|nurse|attending|pcp|doctor|"
                         r"np|pa|rn|md|therapist|consultant|resident|fellow)\b[\w \t]{0,14}:)[ \t]*$")
# "with Ashby from billing": a person from a service.
_SERVICE_AFTER = re.compile(r"[ \t]+(?:from|in|of)[ \t]+(?:the[ \t]+)?(?P<s>[A-Za-z/&-]+)")


def _from_service(text: str, pos: int) -> bool:
    m = _SERVICE_AFTER.match(text, pos)
    return m is not None and any(w in SERVICES for w in re.split(r"[/&-]", m.group("s").lower()))


def lone_name_spans(text: str) -> list[tuple[int, int]]:
    """Family names standing alone, with a person cue before or after them."""
    lex = lexicon()
    out = []
    for m in _ONE.finditer(text):
        word = m.group("n")
        possessive = bool(re.search(r"['\u2019]s$", word))
        end_name = m.end("n") - 2 if possessive else m.end("n")
        base = _base(word)
        kind = _kind(word, lex)
        if kind == "STOP" and base in _MODAL_NAMES and not _sentence_start(text, m.start()):
            kind = "GIVEN_WEAK"     # "Spoke to Will in behavioral health"
        if kind not in ("FAMILY", "UNKNOWN", "FAMILY_WEAK", "GIVEN", "GIVEN_WEAK"):
            continue
        if _MEDICAL_SUFFIX.search(base) or _ORGANISM.search(base) or base in lex.clinical and (
                kind not in ("FAMILY_WEAK", "GIVEN_WEAK") or base in BRANDS or base in lex.clinical_proper):
            continue        # drugs, eponyms and organisms ("Eliquis", "Parkinson", "Klebsiella")
        if _EPONYM_BEFORE.search(text[max(0, m.start() - 12):m.start()]) or eponym_after(text, end_name):
            continue
        if re.match(r"[ \t]+[A-Z]", text[m.end():m.end() + 2]):
            continue        # part of a longer capitalised run: the pair rules decide
        before = text[max(0, m.start() - 30):m.start()]
        cued_before = bool(_PERSON_BEFORE.search(before)) or bool(_ROLE_COLON.search(before)) \
            and bool(re.match(r"[ \t]*(?:$|\n|[,;(])", text[end_name:end_name + 2])) \
            or bool(re.search(r"\bwith[ \t]+$", before)) and _from_service(text, end_name)
        acts = bool(_PERSON_ACTS.match(text, m.end()))
        via = _VIA_SERVICE.match(text, m.end())
        if via and any(w.lower() in SERVICES for w in via.group("s").split()) and any(
                _PERSON_ACTS.match(text, via.start("s") + len(" ".join(via.group("s").split()[:k])))
                for k in range(1, len(via.group("s").split()) + 1)):
            acts = True         # "Fox from wound care recommends ...", "Moradi in pulmonology wants ..."
            if base in lex.clinical:
                out.append((m.start("n"), end_name))
                continue
        if base in lex.clinical and kind != "GIVEN_WEAK":
            continue            # "Fox agrees" alone is too weak for a word of the clinical titles
        poss = possessive and bool(_OWNED.match(text, m.end()))
        weak = kind in ("FAMILY_WEAK", "GIVEN", "GIVEN_WEAK")
        if kind == "GIVEN_WEAK" or kind == "FAMILY_WEAK" and base in lex.clinical:
            # "Spoke to Will in behavioral health": an everyday word needs a cue before and a service after.
            service = re.match(r"[ \t]+(?:in|from|of|with)[ \t]+(?:the[ \t]+)?([a-zA-Z-]+)(?:[ \t]+([a-zA-Z-]+))?",
                               text[m.end():m.end() + 40])
            if cued_before and service and (service.group(1).lower() in SERVICES
                                            or (service.group(2) or "").lower() in SERVICES):
                out.append((m.start("n"), end_name))
            continue
        if acts and (not weak or not _sentence_start(text, m.start())) or cued_before or poss and not weak:
            out.append((m.start("n"), end_name))
    return out


# A family name that opens with lowercase particles ("interpreted by de Jong", "SN visit: de la Fuente
# reinforced", "Willem van der Berg", "al-Rashid"): the particles and the capitalised word after them.
# The capitalised word must not be a clinical eponym ("de Quervain", "von Willebrand") nor an everyday
# word that no name list holds.
_PARTICLE_NAME = re.compile(
    rf"(?<![\w'\u2019-])(?:(?:(?:van|von|der|den|de|del|della|da|di|le|la|du|dos|das|do|ten|ter|bin|ibn|"
    rf"al|el)[ \t]+){{1,2}}|(?:al|el)-)(?P<n>{_TOK})")


def particle_name_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    out = []
    for m in _PARTICLE_NAME.finditer(text):
        low = _base(m.group("n"))
        if low in STOP_WORDS or low in lex.clinical_proper or low in BRANDS:
            continue
        if (low in lex.english or low in lex.clinical) and low not in lex.family:
            continue
        out.append((m.start(), m.end()))
    return out
