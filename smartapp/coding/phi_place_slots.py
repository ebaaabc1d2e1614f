"""Facility names by elimination where a place is expected (a layer of :mod:`.phi`).

Blind test parts kept showing the same gap: a place named by words that no facility rule can
recognise because they are ordinary words or letters, standing where only a place (or a person) can
stand — "Labs drawn at Upstate", "referral sent to wakemed", "follow up with her surgeon at
AMEDISYS", "went to One Medical", a letterhead line above "Department of Urology". Here the slot
decides: after a place preposition, in mid-sentence, a word is taken for a name unless it is a
clinical, service or everyday lowercase word. Lines written in title case or in capitals are left to
the other rules (every word is capitalised there, so capitals say nothing). The same reading finds people in
the slots only a person fills (:func:`asked_for_spans`: "prefers to see Hope", a chat message's author).
"""
from __future__ import annotations

import re

from .phi_facilities import GENERIC, NOT_PLACE_LETTERS
from .phi_names import EPONYM_AFTER
from .phi_unknown import ACRONYMS, is_clinical_proper, is_unknown
from .phi_words import BRANDS, MONTHS_DAYS, STOP_WORDS, lexicon

# Prepositions and verbs that take a place ("en" in the Spanish of bilingual notes: "hospitalizado en RUBY").
# "with" and "to" take drugs too ("treated with", "switched to"), so only after the verbs that take a place
# ("follow up with", "referral sent to"); "from" and "through" take anything ("apart from CRPS", "through
# NGT"), so a word of unknown kind after them needs a place verb before them (_FROM_PLACE).
_PLACE_PREP = re.compile(
    r"(?:(?<=[\w,)])[ \t]+(?P<p>at|from|through|via|en)"
    # the same slots in the Spanish, Portuguese and Vietnamese of bilingual notes (folded: "Kham tai")
    r"|\b(?i:referid[oa]|enviad[oa]|trasladad[oa]|transferid[oa])[ \t]+a"
    r"|\b(?i:atendid[oa]|internad[oa]|hospitalizad[oa])[ \t]+(?:no|na|em|en)"
    r"|\b(?i:kham|dieu[ \t]+tri)[ \t]+tai"
    r"|\b(?i:sent|faxed|referred|referral|placed|transferred|transfer|discharged|admitted|returns?|returned|went|go|goes|"
    r"going|e-?prescribed|prescribed|called|delivered|transported|brought|taken|mailed|reported|routed|forwarded|"
    r"records)[ \t]+to"
    r"|\b(?i:pharmacy[ \t]+(?:changed|updated|switched))[ \t]+to"
    r"|(?<![\w/])(?i:d/c(?:'d)?|dc'd)[ \t]+to"
    r"|\b(?i:follow[ \t-]?up|f/u|enrolled|placed|arranged|scheduled|telehealth|appointment|"
    r"appt|works?|employed|coordinated|contracted|registered|insured|followed|peer-to-peer|p2p|requested|"
    r"(?:is|are|been|remains|pt|patient|she|he|they|newly|already|now)[ \t]+established|"
    r"(?:pcp|care|provider|oncologist|cardiologist|therapist)[ \t]+is)[ \t]+(?:with|w/)"
    r"|\b(?i:f/u|follow[ \t-]?up)[ \t]+w/"
    r"|\b(?i:transport(?:ed)?|provided|operated|owned|run|staffed|managed|declined|accepted|approved|denied|"
    r"processed|issued|done|performed)[ \t]+by"
    r"|\b(?i:form|note|letter|excuse|paperwork)[ \t]+(?:completed[ \t]+|signed[ \t]+|filled[ \t]+out[ \t]+)?for"
    r"|\b(?i:prefers|preferred|chose|chosen)"
    r"|\bSNF[ \t]+[-\u2013])[ \t]+(?:the[ \t]+)?[\[(]?")     # "Sent to [Texas Oncology-Fort Worth]"
_FROM_PLACE = re.compile(
    r"\b(?i:arrived|admitted|transferred|discharged|records?|notes?|labs?|results?|calls?|called|received|sent|"
    r"referred|referral|came|returned|transported|brought|obtained|requested|faxed|imaging|reports?|summary|"
    r"letter|fax|message|request|refills?|ordered|transport|vehicle|ambulance|ems|arranged|filled|dispensed|"
    r"submitted|filed|billed|images?|scans?|films?|slides?|cultures?|specimens?|pathology|path|echo|cath|fill|fills|"
    r"denial|appeal|subpoena)"
    r"(?:[ \t]+(?:by|via|over|back|here|today|yesterday|it|them|[a-z]+ly))?[ \t]+(?:from|through)[ \t]+(?:the[ \t]+)?$")
# A name made of everyday words that ends in a word saying what kind of place it is ("Mass General",
# "One Medical", "Gastro Health", "Patient First").
_NAME_ENDS = frozenset(("general", "medical", "health", "first", "healthcare"))
# Generic words that name a hospital when they stand alone in the slot, as people say them: "labs drawn at
# County", "seen at Children's", "referred to Pres".
_LONE_PLACE_WORDS = frozenset(("county", "general", "memorial", "children's", "children\u2019s", "regional",
                               "presbyterian", "pres", "methodist", "baptist", "mercy", "university"))
# Services and departments: a run holding one of them names a service ("Behavioral Health", "Home Health",
# "the Hematology Department").
_SERVICES = frozenset(re.findall(r"\S+", """
behavioral mental home public occupational employee student women's womens men's population community
global internal family primary urgent emergency physical oral dental oncology cardiology surgery surgical
federal veterans pediatric adult senior sexual
reproductive environmental travel sports integrative preventive step down intensive critical labor delivery
comfort palliative hospice rehab rehabilitation medicine therapy nursing skilled department departments
service services unit units ward committee board team pain lung liver skin bone breast brain foot hand joint
memory stroke headache weight allergy asthma vein voice balance hearing fertility wound transplant infusion
"""))
# Capitalised words that are no place when they stand alone in the slot ("at Christmas", "from the West
# Coast": wider than a state, no identifier).
_NOT_PLACES = frozenset(re.findall(r"\S+", """
medicare medicaid christmas thanksgiving easter god church work school home baseline rest night noon
english spanish french north south east west northern southern eastern western central coast midwest
"""))
# A lowercase name ("sent to wakemed"): no suffix of a clinical word, and nothing after it that it would
# qualify ("from urothelial carcinoma", "at the subcarinal level").
_LOWER_WORD = re.compile(r"(?P<w>[a-z][a-z'\u2019]{3,})(?=[.,;:)]|[ \t]+(?:in|on|for|at|to|and|urgent|\d)\b|[ \t]*$)",
                         re.MULTILINE)
_CLINICAL_SUFFIX = re.compile(r"(?:s|al|ic|ar|ous|ae|i|a|ia|ion|ive|ary|oid|ate|ated|ing)$")
_SPECIALTY_AFTER = re.compile(r"[ \t]+(?:ortho|cardio|cardiology|derm|gi|ent|clinic|peds|ob|obgyn|urology|neuro|onc|"
                              r"pulm|rheum|endo|surgery|pt|office)\b")
# A place's noun after a word in the slot makes the word its name ("at the Temple shelter").
_PLACE_NOUN_AFTER = re.compile(r"[ \t]+(?:shelter|clinic|hospital|campus|pharmacy|house|office|practice|facility|"
                               r"church|school|plant|store|branch|location)\b")
# A dose or a value after the word makes it a drug or a test ("switched to Xyzal 5 mg").
_DOSE_AFTER = re.compile(r"[ \t]+\d+(?:\.\d+)?[ \t]*(?:mg|mcg|g|units?|ml|mL|%|mmol|meq|mEq)\b")
_MEDICAL_ENDING = re.compile(r"(?:omas?|itis|osis|emia|ectomy|otomy|plasty|pathy|algia|mycin|cillin|azole|statin|"
                             r"pril|sartan|olol|mab|nib|vir|tide|gliflozin|gliptin|pine|done|pam|lam)$")
# A name's words: capitalised or in capitals, with "of", "and" and "&" between them.
_NAME_RUN = r"(?:[A-Z][\w'\u2019&-]*|[A-Z]{2,8})(?:[ \t]+(?:[A-Z][\w'\u2019&-]*|of|and|&)){0,4}"
_CAPITAL_RUN = re.compile(r"[A-Z][A-Z&'\u2019-]+(?:[ \t]+[A-Z][A-Z&'\u2019-]+)+(?![\w'\u2019-])")
_CAPS_WORD = re.compile(r"[A-Z][A-Z&]{1,11}(?:-[A-Z][A-Za-z]+)?(?![\w'\u2019-])")
_TITLE_WORD = re.compile(r"[A-Z][a-z][\w'\u2019-]*(?![\w'\u2019-])(?![ \t]*:[ \t]*\d)")
_CAPS_RUN = re.compile(r"(?:[A-Z][a-z][\w'\u2019-]*|[A-Z]{2,5})(?:[ \t]+(?:[A-Z][a-z][\w'\u2019-]*|[A-Z]{2,5})){1,3}"
                       r"(?![\w'\u2019-])(?![ \t]*:[ \t]*\d)")
# A letterhead: a short line above the department or service that wrote the document.
_DEPARTMENT_LINE = re.compile(r"(?:Department|Dept\.?|Division|Section|Service)[ \t]+of[ \t]+[A-Z]"
                              r"|(?:[A-Z][a-z]+[ \t]+)?(?:Medicine|Pediatrics|Surgery|Cardiology|Oncology)"
                              r"(?:[ \t]+[-\u2013][ \t]+.*)?$")


def _line(text: str, pos: int) -> str:
    return text[text.rfind("\n", 0, pos) + 1:(text.find("\n", pos) + 1 or len(text) + 1) - 1]


def _shouting_or_title(text: str, pos: int) -> bool:
    """Most words of the line around ``pos`` are capitalised (a heading, a title) or written in capitals; the
    capitalised run at ``pos`` itself and months and days do not count ("Staying at Harbor Women's Health
    since October." is a sentence)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line = _line(text, pos)
    run = _CAPS_RUN.match(text, pos) or _TITLE_WORD.match(text, pos)
    skip = (run.start() - line_start, run.end() - line_start) if run else (0, 0)
    words = [w.group() for w in re.finditer(r"[A-Za-z][A-Za-z'\u2019-]+", line)
             if not skip[0] <= w.start() < skip[1] and w.group().lower() not in MONTHS_DAYS]
    if len(words) < 4:
        return False
    upper = sum(w.isupper() for w in words)
    title = sum(w[0].isupper() for w in words if len(w) > 3)
    return upper >= 0.6 * len(words) or title >= 0.7 * sum(len(w) > 3 for w in words)


def _clinical(word: str) -> bool:
    lex = lexicon()
    low = word.lower().removesuffix("'s").removesuffix("\u2019s")
    return (low in lex.clinical and low not in lex.clinical_proper) or low in BRANDS or low in STOP_WORDS


def _everyday_name(word: str, prep: str) -> bool:
    """One capitalised everyday word in a place's slot ("at Upstate", "prefers Rush"): a name unless it
    is clinical, generic or a word that is capitalised anyway. A plural the clinical lists hold too
    ("Regions", "Pathways") only after "at", "from", "through", "via" or a verb that takes a place to."""
    lex = lexicon()
    low = word.lower().removesuffix("'s").removesuffix("\u2019s")
    if low not in lex.english or low in _NOT_PLACES or low in _SERVICES or low in GENERIC or low in MONTHS_DAYS \
            or low in STOP_WORDS or low in BRANDS:
        return False
    if low in lex.clinical and low not in lex.clinical_proper:
        return low.endswith("s") and re.search(r"\b(?:at|from|through|via|to)[ \t]+(?:the[ \t]+)?$", prep) is not None
    return True


def _name_word(word: str, prep: str) -> bool:
    """An everyday word, a word no list knows, or a family or given name ("Barnes-Jewish": each part)."""
    lex = lexicon()
    if _everyday_name(word, prep):
        return True
    if _clinical(word) or _MEDICAL_ENDING.search(word.lower()) or is_clinical_proper(word):
        return False        # "at Guyon canal"
    if is_unknown(word):
        return True
    if re.fullmatch(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+", word) and word.lower() not in BRANDS:
        return True         # a camel-case name ("LifeGift"); drugs are in BRANDS or have a dose after them
    if re.fullmatch(r"[A-Z][a-z]+-[A-Z]{2,}|[A-Z]{2,}-[A-Z][a-z]+", word) and not any(
            p in ACRONYMS or p in NOT_PLACE_LETTERS for p in word.split("-")):
        return True         # "Harbor-UCLA", "UNC-Rex"
    parts = [p.lower() for p in word.split("-")]
    if len(parts) == 1:
        return parts[0] in lex.family or parts[0] in lex.given
    # "Barnes-Jewish": names joined, both capitalised, none of them clinical
    return any(p in lex.family or p in lex.given for p in parts) \
        and not any(p in lex.clinical and p not in lex.clinical_proper for p in parts)


# Two lowercase words naming a place: the second no dictionary holds or a name ("osu wexner", "duke raleigh").
_LOWER_PAIR = re.compile(r"([a-z]{3,})[ \t]+([a-z]{4,})"
                         r"(?=[.,;:)]|[ \t]+(?:in|on|for|at|to|and|with|dated|re|\d)\b|[ \t]*$)", re.MULTILINE)
# A name opening a sentence before what only a place does to a patient: "The Hartford accepted her for detox".
_AGENT_RUN = re.compile(rf"(?:^|(?<=[.;!?]\s))[ \t]*(?P<f>{_NAME_RUN}(?:[ \t]+[-\u2013][ \t]+{_NAME_RUN})?)[ \t]+"
                        r"(?:accepted|declined|approved|denied)[ \t]+"
                        r"(?:her|him|them|pt|the[ \t]+(?:patient|referral))\b", re.MULTILINE)
# Letters opening a sentence before what only an organisation or a person does.
_AGENT_CAPS = re.compile(r"(?:^|(?<=[.;!?]\s))[ \t]*(?P<f>[A-Z]{3,8})[ \t]+(?:(?:declined|accepted|approved|denied)"
                         r"[ \t]+(?:the|our|this|to[ \t]+accept)|called|faxed|agreed|notified|requested|"
                         r"authori[sz]ed)\b", re.MULTILINE)      # not "CRP declined to 12"


def _lowercase_pair(first: str, second: str) -> bool:
    lex = lexicon()
    return second not in lex.english and second not in lex.clinical and not _CLINICAL_SUFFIX.search(second) \
        and (is_unknown(second) or second in lex.family or second in lex.given) \
        and (first not in lex.clinical or first in lex.clinical_proper) and first not in STOP_WORDS \
        and first not in GENERIC


def _lowercase_name(word: str) -> bool:
    lex = lexicon()
    return is_unknown(word) and word not in lex.clinical and not _CLINICAL_SUFFIX.search(word)


def place_slot_spans(text: str) -> list[tuple[int, int]]:
    """Names in the slot after a place preposition that the facility rules cannot recognise."""
    out: list[tuple[int, int]] = []
    for m in _PLACE_PREP.finditer(text):
        pos = m.end()
        if _shouting_or_title(text, pos):
            continue
        # After "from" or "through" only a place verb says that a place follows.
        weak = m.group("p") in ("from", "through") and not _FROM_PLACE.search(text, max(0, pos - 60), pos)
        capital_run = _CAPITAL_RUN.match(text, pos)
        if capital_run and not weak:
            # "at the WESTERN DENTAL infusion suite", "w/ CORAM CVS SPECIALTY INFUSION": words in capitals after
            # the slot, trimmed of the clinical letters after them ("UCSF ED")
            words = capital_run.group().split()
            while words and (words[-1] in NOT_PLACE_LETTERS or words[-1] in ACRONYMS):
                words.pop()
            if len(words) >= 2 and not all(w.lower() in _NOT_PLACES for w in words) and any(
                    w not in ACRONYMS and w not in NOT_PLACE_LETTERS and (not _clinical(w) or w.lower() in _NOT_PLACES)
                    for w in words):
                out.append((pos, pos + len(" ".join(words))))
                continue
        run = _CAPS_RUN.match(text, pos)
        if run:
            words = run.group().split()
            names = [w for w in words if w.lower() not in GENERIC and w.lower() not in _SERVICES]
            first = words[0].lower()
            if all(w.isupper() for w in words):
                continue        # letters only: the capitals above or the letters below
            if not names or first in _SERVICES or first in GENERIC or all(w.lower() in _NOT_PLACES for w in words):
                continue        # "referred to Physical Therapy", "the Hematology Department", "at UCSF ED"
            named = words[-1].lower() in _NAME_ENDS     # "Prairie Women's Health", "Mass General", "Gastro Health"
            if not named and any(w.lower() in _SERVICES for w in words) and not _name_word(words[0], m.group()):
                continue
            if named or any(_name_word(w, m.group()) for w in names):
                out.append((pos, run.end()))
            continue
        caps = _CAPS_WORD.match(text, pos)
        if caps:
            head = caps.group().split("-")[0]
            after_the = m.group().rstrip().endswith("the")
            # "follow-up with TACHT": an imaging test; "f/u w/ MDLIVE ortho": a place with its service after it
            test = re.search(r"(?i:follow|f/u)", m.group()) is not None and not _SPECIALTY_AFTER.match(text, caps.end())
            if not weak and not test and (len(head) >= 3 or after_the) and head not in NOT_PLACE_LETTERS \
                    and head not in ACRONYMS and not _clinical(head) and head.lower() not in _NOT_PLACES:
                out.append((pos, caps.end()))      # "at AMEDISYS", "Referred to CHOP", "at the VA"
            continue
        title = _TITLE_WORD.match(text, pos)
        if title:
            word = title.group()
            place_noun = _PLACE_NOUN_AFTER.match(text, title.end()) and word.lower() not in _SERVICES \
                and word.lower() not in GENERIC and word.lower() not in STOP_WORDS       # "the Temple shelter"
            end = title.end()
            if not weak and (place_noun or (_name_word(word, m.group()) or word.lower() in _LONE_PLACE_WORDS)
                             and not _DOSE_AFTER.match(text, end) and not EPONYM_AFTER.match(text, end)):
                out.append((pos, title.end()))     # not "at Palmer's point"
            continue
        lower = _LOWER_WORD.match(text, pos)
        if lower and not weak and m.group().rstrip().split()[-1] != "the" and _lowercase_name(lower.group("w")):
            out.append((pos, lower.end("w")))
            continue
        pair = _LOWER_PAIR.match(text, pos)
        if pair and not weak and m.group().rstrip().split()[-1] != "the" and _lowercase_pair(*pair.group(1, 2)):
            out.append((pos, pair.end(2)))     # "at osu wexner", "to duke raleigh"
    for m in _AGENT_RUN.finditer(text):
        words = [w for w in re.findall(r"[A-Za-z][\w'\u2019&-]*", m.group("f")) if w not in ("of", "and", "The")]
        if words and not all(_clinical(w) or w.lower() in _SERVICES or w.lower() in GENERIC or w in ACRONYMS
                             or w in NOT_PLACE_LETTERS for w in words):
            out.append((m.start("f"), m.end("f")))      # not "Medicine accepted her"
    for m in _AGENT_CAPS.finditer(text):
        word = m.group("f")
        if word not in NOT_PLACE_LETTERS and word not in ACRONYMS and not _clinical(word) \
                and word.lower() not in lexicon().english:
            out.append((m.start("f"), m.end("f")))      # "AMR declined the referral"
    return out


# Whom a patient asks to see is a clinician, whatever the word ("prefers to see Hope going forward").
_SEE_PERSON = re.compile(r"\b(?i:prefers|wants|wishes|asked|asks|requests?|requested|would[ \t]+like|plans)[ \t]+"
                         r"to[ \t]+(?i:see|follow[ \t]+up[ \t]+with|stay[ \t]+with)[ \t]+"
                         r"(?P<f>[A-Z][a-z][\w'\u2019-]*)(?![\w'\u2019-])")


# Whom a clinician reached or saw the patient with: "finally reached Hector via secure chat", "Seen w/ Lam, Bao".
_REACHED_PERSON = re.compile(r"\b(?i:reached|paged|texted|messaged|seen[ \t]+w/|seen[ \t]+with|d/w|discussed[ \t]+w/)"
                             r"[ \t]+(?P<f>[A-Z][a-z][\w'\u2019-]*(?:,[ \t]*[A-Z][a-z][\w'\u2019-]*)?)(?![\w'\u2019-])")


# A chat message's author ("[7:02 PM] Summer Hill: on my way", "Forrest (on call): ok thx"), a role's value
# after a tab ("Performer<TAB>Hill, Summer"), a clinician who will see the patient ("Banks to see pt in AM").
_SPEAKER = re.compile(r"^(?:\[\d{1,2}:\d{2}(?:[ \t]?[AaPp][Mm])?\][ \t]*"
                      r"(?P<a>[A-Z][\w'\u2019-]+(?:[ \t]+[A-Z][\w'\u2019-]+)?)"
                      r"|(?P<b>[A-Z][\w'\u2019-]+)[ \t]+"
                      r"\((?:on[ \t]+call|covering|night[ \t]+float|[a-z]+[ \t]+fellow)\))"
                      r"[ \t]*:", re.MULTILINE)
_ROLE_TAB = re.compile(r"\b(?:Performer|Author|Attending|Provider|Ordering|Referring|Participant|Informant|"
                       r"Legal[ \t]+authenticator|Authenticator)\t+(?P<n>[A-Z][\w'\u2019-]+(?:,[ \t]*|[ \t]+)"
                       r"[A-Z][\w'\u2019-]+)")
_WILL_SEE = re.compile(r"(?:^|(?<=[.;]\s))(?P<n>[A-Z][a-z][\w'\u2019-]+)[ \t]+(?:to|will)[ \t]+"
                       r"(?:see|evaluate|round[ \t]+on)[ \t]+(?:the[ \t]+)?(?:pt|patient|him|her)\b", re.MULTILINE)


def asked_for_spans(text: str) -> list[tuple[int, int]]:
    """People by where they stand: the clinician a patient asks to see ("prefers to see Hope going forward"),
    a clinician reached or seen with ("reached Hector via secure chat"), a chat message's author, a role's
    value after a tab, a clinician who will see the patient ("Banks to see pt in AM")."""
    lex = lexicon()
    out = [(m.start("f"), m.end("f")) for m in _SEE_PERSON.finditer(text)
           if (m.group("f").lower() in lex.given or not _clinical(m.group("f")))
           and m.group("f").lower() not in _SERVICES and m.group("f").lower() not in GENERIC]
    for m in _REACHED_PERSON.finditer(text):
        words = re.findall(r"[A-Za-z][\w'\u2019-]*", m.group("f"))
        if all((w.lower() in lex.given or w.lower() in lex.family or is_unknown(w)) and w.lower() not in _SERVICES
               and w.lower() not in GENERIC and w.lower() not in STOP_WORDS for w in words):
            out.append((m.start("f"), m.end("f")))
    for m in _SPEAKER.finditer(text):
        name = "a" if m.group("a") else "b"
        if not _clinical(m.group(name).split()[0]) or m.group(name).split()[0].lower() in lex.given:
            out.append((m.start(name), m.end(name)))
    out += [(m.start("n"), m.end("n")) for m in _ROLE_TAB.finditer(text)]
    out += [(m.start("n"), m.end("n")) for m in _WILL_SEE.finditer(text)
            if (m.group("n").lower() in lex.family or m.group("n").lower() in lex.given or is_unknown(m.group("n")))
            and not _clinical(m.group("n")) and m.group("n").lower() not in _SERVICES]
    return out


# A copy line lists who gets the document: "cc: PCP; Medical Records, TGH", "cc: Children's Medical Records".
# "CC:" in capitals is the chief complaint.
_CC_LINE = re.compile(r"^[ \t]*(?:cc|Cc|(?i:copies[ \t]+to|copy[ \t]+to))[ \t]*:[ \t]*(?P<l>[^\n]+)", re.MULTILINE)
_RECORDS_TAIL = re.compile(r"[ \t]+(?:Medical[ \t]+Records|Records|HIM|Health[ \t]+Information[ \t]+Management)$")
_CC_GENERIC = frozenset(re.findall(r"\S+", """pcp patient chart file referring physician provider self family pt
medical records him the our primary care doctor"""))
# "Per Mosaic Life Care, prior authorization is required": the source of what follows, at a sentence's start.
_PER_SOURCE = re.compile(r"(?:^|(?<=[.;!?]\s))[ \t]*Per[ \t]+(?:the[ \t]+)?(?P<r>(?:[A-Z][\w'\u2019&-]*[ \t]+){0,3}"
                         r"[A-Z][\w'\u2019&-]*),", re.MULTILINE)


def copy_line_spans(text: str) -> list[tuple[int, int]]:
    """Recipients on a cc line and the source opening a "Per X," sentence, unless clinical or generic."""
    out: list[tuple[int, int]] = []
    for m in _CC_LINE.finditer(text):
        for seg in re.finditer(r"[^;,]+", m.group("l")):
            words = _RECORDS_TAIL.sub("", seg.group().strip())
            toks = re.findall(r"[A-Za-z][\w'\u2019&.-]*", words)
            if not any(t[0].isupper() and t.lower().strip(".") not in _CC_GENERIC and t not in NOT_PLACE_LETTERS
                       and t not in ACRONYMS for t in toks) or re.match(r"(?i:dr\.?|mr|ms|mrs)\b", words):
                continue        # "cc: PCP", "cc: pain management clinic"; people are the name rules'
            start = m.start("l") + seg.start() + (len(seg.group()) - len(seg.group().lstrip()))
            out.append((start, start + len(words)))
    for m in _PER_SOURCE.finditer(text):
        toks = m.group("r").split()
        if not all(t in NOT_PLACE_LETTERS or t in ACRONYMS or _clinical(t) or t.lower() in _SERVICES
                   or t.lower() in GENERIC for t in toks):
            out.append((m.start("r"), m.end("r")))
    return out


# Where a list or a label puts a place: a specialty's label and a dash ("Cardiology: PAMF - last echo 2024"),
# an appointment line ("Wound clinic - Covenant - 12/12"), a portal message's sender ("[One Medical] Your results").
_LISTED = (
    re.compile(rf"^[ \t]*(?:[A-Z][a-z]+[ \t]+)?[A-Z][a-z]+:[ \t]*(?P<f>{_NAME_RUN})[ \t]+[-\u2013][ \t]+",
               re.MULTILINE),
    re.compile(rf"\b(?i:clinic|appointment|appt|f/u|follow-up|visit)[ \t]+[-\u2013][ \t]+(?P<f>{_NAME_RUN})[ \t]+"
               rf"[-\u2013][ \t]+\d"),
)
_PORTAL_SENDER = re.compile(rf"^\[(?P<f>{_NAME_RUN})\][ \t]+[A-Z]", re.MULTILINE)


def listed_place_spans(text: str) -> list[tuple[int, int]]:
    """A name where a list or a label puts a place, unless its words are clinical, generic or abbreviations."""
    out: list[tuple[int, int]] = []
    for pattern in _LISTED:
        for m in pattern.finditer(text):
            words = [w for w in m.group("f").split() if w not in ("of", "and", "&")]
            if all(_clinical(w) or w.lower() in GENERIC or w.lower() in _SERVICES or w in NOT_PLACE_LETTERS
                   or w in ACRONYMS or w.lower() in _NOT_PLACES or w.lower() in MONTHS_DAYS
                   or w.isupper() and len(w) < 3 for w in words):
                continue        # "Plan: Continue - ...", "Dx: CHF - stable"
            out.append((m.start("f"), m.end("f")))
    for m in _PORTAL_SENDER.finditer(text):
        if not all(w.lower() in _SERVICES or w.lower() in GENERIC or w in NOT_PLACE_LETTERS or w in ACRONYMS
                   for w in m.group("f").split() if w not in ("of", "and", "&")):
            out.append((m.start("f"), m.end("f")))      # "[Patient First] Your results", not "[Physical Therapy]"
    return out


# A place named by what it owns: "SJMC's inpatient rehab unit", "Bluebonnet GI's wound clinic".
_OWNED_PLACE = re.compile(rf"(?<![\w'\u2019.-])(?P<f>{_NAME_RUN})['\u2019]s[ \t]+(?:[a-z-]+[ \t]+){{0,2}}"
                          r"(?:clinic|unit|program|department|floor|ED|ER|office|lab|pharmacy|campus|staff|"
                          r"case[ \t]+management|transfer[ \t]+center|records|hospitalists?|emergency[ \t]+room)\b")
# Letters before the kind of care they give: "BAYADA home care", "RUBY medical records", "AMR ambulance".
_CAPS_BEFORE_CARE = re.compile(r"(?<![\w'\u2019-])(?P<f>[A-Z]{3,10})(?=[ \t]+(?i:home[ \t]+(?:care|health)|hospice|"
                               r"wound[ \t]+clinic|urgent[ \t]+care|medical[ \t]+records|pharmacy|rehab|dialysis|"
                               r"infusion[ \t]+center|ambulance|transport)\b)")


def owned_place_spans(text: str) -> list[tuple[int, int]]:
    """A name before what a place has (its clinic, unit, staff) or before the care it gives."""
    lex = lexicon()
    out: list[tuple[int, int]] = []
    for m in _OWNED_PLACE.finditer(text):
        words = [w for w in m.group("f").split() if w not in ("of", "and", "&")]
        if words[0].lower() in STOP_WORDS or words[0].lower() in ("the", "our", "their", "his", "her", "my") \
                or any(w.lower() in lex.clinical_proper for w in words) \
                or all(_clinical(w) or w.lower() in GENERIC or w.lower() in _SERVICES or w in NOT_PLACE_LETTERS
                       or w in ACRONYMS for w in words):
            continue        # "Patient's wound clinic", "Alzheimer's unit", "Cardiology's office"
        out.append((m.start("f"), m.end("f")))
    for m in _CAPS_BEFORE_CARE.finditer(text):
        word = m.group("f")
        if word not in NOT_PLACE_LETTERS and word not in ACRONYMS and not _clinical(word) \
                and word.lower() not in lex.english:
            out.append((m.start("f"), m.end("f")))
    return out


_LONE_LINE = re.compile(rf"^(?P<f>{_NAME_RUN})[ \t]*$", re.MULTILINE)


def lone_line_spans(text: str) -> list[tuple[int, int]]:
    """A line holding only a name, the letterhead of a pasted document ("HSS", "County"), when its words are
    names, letters no list knows or a hospital's generic name; section headings are clinical or stop words."""
    out: list[tuple[int, int]] = []
    for m in _LONE_LINE.finditer(text):
        words = [w for w in m.group("f").split() if w not in ("of", "and", "&")]
        if any(_clinical(w) or w.lower() in _SERVICES or w in NOT_PLACE_LETTERS or w in ACRONYMS
               or w.lower() in MONTHS_DAYS for w in words):
            continue
        # Everyday words alone on a line are headings ("Technique", "Investigations"), so not those.
        if all(w.lower() not in lexicon().english and (w.isupper() and len(w) >= 3 or _name_word(w, "at "))
               or w.lower() in _LONE_PLACE_WORDS or w.lower() in GENERIC for w in words) \
                and not all(w.lower() in GENERIC for w in words):
            out.append((m.start("f"), m.end("f")))
    return out


def letterhead_spans(text: str) -> list[tuple[int, int]]:
    """A short line of names above the line naming a department ("Duke" over "Department of Urology")."""
    out: list[tuple[int, int]] = []
    for m in re.finditer(r"^(?P<l>[A-Z][^\n:]{1,60})\n(?=(?P<d>[^\n]+))", text, re.MULTILINE):
        line = m.group("l").strip()
        words = re.findall(r"[A-Za-z][A-Za-z'\u2019.-]*", line)
        if not words or len(words) > 8 or re.search(r"\d", line) or not _DEPARTMENT_LINE.match(m.group("d").strip()):
            continue
        if any(w[0].islower() and w not in ("of", "and", "the", "at", "for", "on", "de", "la") for w in words):
            continue        # a name's line, not prose that goes on ("Patient was referred to")
        if all(_clinical(w) or w.lower() in GENERIC for w in words) and not re.fullmatch(
                r"Children['\u2019]s", line):
            continue        # "Internal Medicine" over "Department of ...": a service, no name
        out.append((m.start("l"), m.start("l") + len(m.group("l").rstrip())))
    return out
