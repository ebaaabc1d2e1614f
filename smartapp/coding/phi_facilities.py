"""Hospital, clinic and other facility names (a layer of :mod:`.phi`).

A facility name is a run of capitalised words ending in a facility word ("Riverside University Medical
Center", "St. Agnes Hospital", "Lakeview Family Clinic", "Children's Hospital of Philadelphia",
"Evergreen Health Kirkland"), or a run of capitalised words after "at", "from" or "to"
("transferred from Swedish First Hill"). A run made only of generic and clinical words ("Cancer
Center", "Physical Therapy Clinic", "Emergency Department") names no one and is left alone, so the
clinical words in it survive.
"""
from __future__ import annotations

import re

from .phi_names import EPONYM_AFTER
from .phi_patterns import WORD_GAP
from .phi_unknown import is_clinical_proper
from .phi_words import BRANDS as PRODUCT_BRANDS
from .phi_words import STOP_WORDS, lexicon

_TOK = (r"(?:St\.|Ste\.|Mt\.|Ft\.|Co\.(?=[ \t]+[A-Z]|$)|"
        r"[A-Z]\.(?:[A-Z]\.)+|[A-Z]\.(?=[ \t]+[A-Z][a-z])|[A-Z]&[A-Z]|[A-Z]{2,}\+[A-Z]{2,}|"
        r"[A-Z][a-zA-Z]*[a-z][a-zA-Z]*(?:['\u2019-][A-Za-z]+)*(?:(?<=s)['\u2019](?![\w]))?|"
        r"[A-Z]{2,}(?:-[A-Z][A-Za-z]+)?)")
_JOIN = r"(?:[ \t]+(?:(?:of|for|at|on)[ \t]+the|of|the|and|&|for|de|del|la|los|las|san|on)(?=[ \t]+[A-Z]))?[ \t]+"
# Specialties as the last word ("Shady Grove Fertility") only right after a distinctive word, with no
# "of" or "and" in the name: "American College of Rheumatology criteria" is not a place.
_SPECIALTY_HEADS = frozenset(("Fertility", "Neurology", "Urology", "Gastroenterology", "Psychiatry", "Pulmonology",
                              "Rheumatology", "Nephrology", "Endocrinology", "Allergy", "Audiology", "Podiatry",
                              "Chiropractic", "Dental", "Dentistry", "Optometry", "Vision", "Hearing", "Wellness",
                              "Recovery", "Counseling"))
_HEADS = ("Hospital|Hospitals|Medical Center|Medical Centre|Health Center|Health Centre|Center|Centre|Clinic|"
          "Clinics|Health System|Health Care|Healthcare|Health|Institute|Associates|Group|Pediatrics|Practice|"
          "Urgent Care|Imaging|Hospice|Nursing Home|Care Home|Living|Infirmary|Physicians|Partners|Specialists|"
          "Medicine|Laboratories|Laboratory|Labs|Lab|Dialysis|General|Surgery Center|Surgicenter|Rehab|"
          "Rehabilitation|Sanatorium|Sanitarium|Medical Group|Medical Associates|Pharmacy|Foundation|"
          "Health Services|Medical Services|Orthopaedics|Orthopedics|Cardiology|Dermatology|Oncology|"
          "Radiology|Endoscopy|Ophthalmology|Eye Institute|Family Medicine|Internal Medicine|Physical Therapy|"
          "Memory Care|HealthCare|Fertility|Neurology|Urology|Gastroenterology|Psychiatry|Pulmonology|Rheumatology|"
          "Nephrology|Endocrinology|Allergy|Audiology|Podiatry|Chiropractic|Dental|Dentistry|Optometry|Vision|"
          "Hearing|Wellness|Recovery|Counseling|Centers|Services|Gardens|Children's|Children\u2019s|Regional|Memorial|"
          "Skilled Nursing|Nursing|Ambulance|EMS|Diagnostics|Surgeons|Spine|Behavioral|Behavioral Health|Medical|"
          "Home|Home Health|Homecare|Senior Living|Transport|Paramedics|Surgical|Orthopedic|Therapy|Therapies|"
          "Program|Programs|Agency|Elementary|Academy|School|Church|Shelter|Jail|Prison|Correctional Facility|"
          "Correctional Center|Detention Center|Assoc\\.|ASC|Ctr|Med Ctr|Hosp|"
          # Round 45: tribal and rural places by their letters ("Red Butte IHC", "Eastern Slope Area IHS"), a healing
          # lodge, a county health department, a courier, a drugstore ("Two Forks Drug"), a registry
          "IHS|IHC|CAH|FQHC|RHC|Lodge|Health Dept|Hlth Dept|Health Department|Courier|Drug|Registry|"
          # Round 51: a heart practice ("Tidewater Heart & Vascular"), a court's probation department; round 53: a
          # payer's plan and a life insurer ("Silver State Care Plan", "Great Plains Life & Annuity")
          "Heart & Vascular|Heart and Vascular|Probation|Care Plan|Health Plan|Life & Annuity|Life and Annuity|"
          "Life Insurance|Assurance")
# Longest first, so that "Health Services" wins over "Health".
# (round 53: a possessive after the facility word is the name's: "Silver State Care Plan's decision")
_HEAD_RE = re.compile(rf"(?<=[ \t])(?:{'|'.join(sorted(_HEADS.split('|'), key=len, reverse=True))})"
                      rf"(?![\w-])(?!['\u2019](?!s\b))")
_TOK_RE = re.compile(rf"{_TOK}$")
_OF_NAME = re.compile(rf"[ \t]+(?:for|of)[ \t]+(?:the[ \t]+)?(?P<n>{_TOK}(?:[ \t]+(?:of[ \t]+)?{_TOK})*)")
_CONNECTORS = frozenset(("of", "the", "and", "&", "for", "de", "del", "la", "los", "las", "san", "on"))
# (round 53: never across a wide gap into the next field, "BlueHarbor Health Plan   Accession #")
_TAIL = re.compile(rf"(?:[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?{_TOK}(?:{WORD_GAP}{_TOK})*|(?:{WORD_GAP}{_TOK})+)")
# Health systems and hospitals known by one word or letters ("seen at Kaiser", "records from MGH").
BRANDS = frozenset(re.findall(r"\S+", """
Kaiser Mayo Geisinger Intermountain Ochsner Sutter Allina Cedars-Sinai Hopkins Montefiore Northwell Langone
UPMC UCSF MGH BIDMC OHSU NYU MUSC UTSW VUMC Vanderbilt Emory Baylor Sanford Essentia Advocate Atrium
Novant Wellstar Sentara Inova MedStar Christiana Lahey Hackensack Beaumont Spectrum Henry-Ford Fairview
HealthPartners Dartmouth-Hitchcock Brigham Sinai Kettering Scripps Sharp Dignity AdventHealth Baptist Methodist
Presbyterian Parkland Grady Bellevue Cooper Geisinger Guthrie Marshfield Gundersen Avera Billings Lovelace
Cedars Dana-Farber CHOA CHLA Nemours Lurie Rady Shriners Moffitt Sloan MSKCC Mayo Cleveland-Clinic
Northwestern Jefferson Einstein Maimonides Lenox Weill Langone Rush Loyola Beaumont Corewell Ochsner
LabCorp Labcorp NewYork-Presbyterian NewYork
"""))
_BRAND_AFTER_PREP = re.compile(r"\b(?:at|from|to|through|with|by|via)[ \t]+(?:the[ \t]+)?(?P<f>[A-Z][\w-]+)(?![\w-])")
_AFTER_PREP = re.compile(rf"(?:\b(?:at|from|to|through|via|by|(?i:resident|employee|student)[ \t]+of)|(?<!\S)@)"
                         rf"[ \t]+(?P<f>{_TOK}(?:{_JOIN}{_TOK})+)")
# Words after a name that say which part of the place is meant, not which place ("at St. Agnes Emergency
# Department"); other generic words there belong to the name ("sent to Heartland Women's Care").
_PART_OF_PLACE = frozenset(re.findall(r"\S+", """
emergency department dept ed er unit floor ward icu micu sicu nicu picu ccu pacu or campus wing tower
building lobby clinic office lab labs laboratory pharmacy radiology imaging
"""))
# Letters joined by "+" name one institution ("LAC+USC"); receptor status is written with digits or a slash.
_PLUS_LETTERS = re.compile(r"(?<![\w+/])(?!(?:ER|PR|HER)\+)[A-Z]{2,}\+[A-Z]{2,}(?![\w+/])")
# Two capitalised words joined by a hyphen after a place preposition ("referral made to Barnes-Jewish");
# eponyms joined so are known words or have a clinical noun after them ("from Stevens-Johnson syndrome").
_HYPHENATED_AFTER_PREP = re.compile(r"\b(?:at|from|to|via|by|with|prefers|preferred|chose|chosen)[ \t]+"
                                    r"(?:the[ \t]+)?"
                                    r"(?P<f>[A-Z][a-z]+-[A-Z][a-z]+)(?![\w'\u2019-])")

# Words that say what kind of place it is; a facility name needs at least one word besides these.
GENERIC = frozenset(re.findall(r"\S+", """
hospital hospitals medical center centre clinic clinics health system care healthcare institute associates
group pediatrics pediatric practice urgent imaging hospice nursing home living infirmary physicians partners
specialists medicine laboratories laboratory labs dialysis general surgery surgical surgicenter rehab
rehabilitation sanatorium sanitarium services foundation community regional memorial university family
internal women's womens children's childrens men's heart vascular cancer eye eyes spine sleep behavioral
mental wound infusion endoscopy orthopaedic orthopaedics orthopedic orthopedics cardiology dermatology
oncology radiology ophthalmology neurology urology gastroenterology pulmonary kidney renal diabetes
endocrine senior assisted skilled long-term acute emergency department dept unit ward floor icu ed er the
of and for & county city state national veterans va vamc st. saint outpatient inpatient primary specialty
ambulatory student employee occupational physical therapy speech service services unit department
geriatrics traumatology neurosurgery nutrition consultation consultations maxillofacial oral plastic
microbiology toxicology hematology transfusion blood digestive metabolic arrhythmia sports research
program programs agency elementary academy school church shelter high middle jail prison correctional
detention
center centers national provincial intensive neonatal critical step-down intermediate ongoing committee
magnetic resonance computed tomography nuclear diagnostic diagnostics
"""))


# Capitalised words that may open a sentence before a facility's name ("Called Mercy Hospital").
_OPENERS = frozenset(("the", "she", "he", "they", "we", "i", "her", "his", "their", "patient", "called", "seen",
                      "records", "labs", "per", "at", "from", "to", "in", "transferred", "admitted", "prior",
                      "outside", "call", "contact", "fax", "sent", "send", "via", "a", "an", "and", "or", "with"))


_ADJECTIVE_END = re.compile(r"(?:ive|al|ic|ous|ary|oid|ar|ing|ed)$")


def _distinctive(words: list[str], everyday_needed: int = 2) -> bool:
    """A word that is neither generic nor clinical, or two clinical everyday words ("Silver Lake"); before
    "Hospital" or "Medical Center", one is enough ("Harbor Children's Hospital")."""
    lex = lexicon()
    everyday = named = 0
    for w in words:
        low = w.lower().strip(".")
        if low in GENERIC or low in STOP_WORDS:
            continue
        if low in lex.english and low in lex.clinical and low not in lex.clinical_proper:   # "Heart"
            everyday += 1
            # "Palliative Care Hospital": a clinical adjective says what the place does, not its name
            named += not _ADJECTIVE_END.search(low)
            continue
        if low in lex.clinical and low not in lex.clinical_proper and low not in lex.family \
                and low not in lex.given:      # "Peritoneal", not "Philadelphia" or "Jackson"
            continue
        return True
    return everyday >= 2 or named >= everyday_needed


# Facility words no clinical phrase ends in: one everyday word before them makes a name.
_HOSPITAL_HEADS = frozenset(("Hospital", "Hospitals", "Medical Center", "Medical Centre"))


def _trim_tail(tail: str) -> str:
    """Keep a tail that names a place ("of Philadelphia", "Kirkland"), not "Emergency Department"."""
    words = tail.split()
    keep: list[str] = []
    for w in words:
        low = w.lower().strip(".")
        if low in ("of", "for") or low == "the" and keep and keep[-1].lower() in ("of", "for"):
            keep.append(w)      # (round 52: "School for the Deaf", "Home for the Aged")
            continue
        # after "for", capitalised words say what a place is for ("Institute for Mitochondrial Disease")
        named_for = any(k.lower() == "for" for k in keep) and w[:1].isupper() and not w.isupper() \
            and low not in _FUNCTION_WORDS and low not in _DETERMINERS
        if (low in GENERIC and low not in ("children", "county") or low in STOP_WORDS) and not named_for:
            break
        keep.append(w)
    while keep and keep[-1].lower() in ("of", "for", "the"):
        keep.pop()
    return " ".join(keep)


_IRISH_RE = re.compile(r"[A-Z]['\u2019][A-Z][a-z]+")


def _name_start(text: str, head_start: int) -> int:
    """Walk back from a facility word over capitalised words and connectors on the same line;
    the start of the name, or ``head_start`` when no capitalised word precedes it."""
    line_start = text.rfind("\n", 0, head_start) + 1
    start = cursor = head_start
    for m in reversed(list(re.finditer(r"\S+", text[line_start:head_start]))):
        if text[line_start + m.end():cursor].strip(" \t"):
            break
        word = m.group().lstrip("(\"'[")
        if (_TOK_RE.match(word.removesuffix("-St.")) or _IRISH_RE.fullmatch(word)) and not word.endswith(","):
            # "Penrose-St. Francis", "O'Connor Hospital"
            start = cursor = line_start + m.end() - len(word)
        elif word in _CONNECTORS:
            cursor = line_start + m.start()
        else:
            break
        if word != m.group():       # "(Valley View Hospital": the bracket ends the walk
            break
    return start


# "St. Francis", "Saint Agnes" (not "St. John's wort"), extended left over the capitalised words
# before them ("Bon Secours St. Francis") and right over the ones after.
# (round 50: "saint brendans" typed in lower case too; round 52: "st j's", "st joe's")
_SAINT = re.compile(rf"(?<![\w-])(?:St\.|Saint)[ \t]+{_TOK}(?:['\u2019]s)?(?:[ \t]+{_TOK})*|"
                    r"(?<![\w-])saint[ \t]+[a-z][a-z'\u2019-]{2,}|(?<![\w-])st\.?[ \t]+[a-z]{1,8}['\u2019]s(?![\w'])")
# Names that open with a word of a religious or memorial foundation: "Memorial Hermann", "Mercy Fitzgerald".
_FOUNDATION = re.compile(rf"\b(?:Memorial|Mercy|Baptist|Methodist|Presbyterian|Providence|Adventist|Lutheran|Deaconess)"
                         rf"[ \t]+(?P<t>{_TOK}(?:[ \t]+{_TOK})?)")
# Brands known by one word that is no everyday word: found anywhere, with the words after them.
UNAMBIGUOUS_BRANDS = frozenset(re.findall(r"\S+", """
Kaiser Mayo Geisinger Intermountain Ochsner Sutter Allina Cedars-Sinai Hopkins Montefiore Northwell Langone
UPMC UCSF MGH BIDMC OHSU NYU MUSC UTSW VUMC Emory Sanford Essentia Novant Wellstar Sentara Inova
MedStar Lahey Hackensack HealthPartners Scripps AdventHealth Gundersen Avera Lovelace
LabCorp Labcorp labcorp Walgreens walgreens Walmart Costco Publix Meijer Wegmans Hy-Vee OptumRx Caremark
Humana Aetna Cigna UnitedHealthcare Anthem Molina Centene Ambetter Highmark Wellcare Tricare TRICARE eviCore
Carelon Optum CCHMC CHOC CHKD UCLA UCSD UAB UNC VCU OUHSC UTMB UTHSCSA UCHealth
"""))
# Hospitals known by a short name of everyday words: "Mass General", "Mount Sinai", "Beth Israel".
_SHORT_NAMES = re.compile(
    r"(?<![\w-])(?:Mass[ \t]+General(?:[ \t]+Brigham)?|Johns[ \t]+Hopkins|Mount[ \t]+Sinai|"
    r"Beth[ \t]+Israel(?:[ \t]+Deaconess)?|Barnes[ \t-]+Jewish|Stony[ \t]+Brook|Yale[ \t]+New[ \t]+Haven|"
    r"Penn[ \t]+Medicine|Penn[ \t]+State[ \t]+Health|Duke[ \t]+Health|Cleveland[ \t]+Clinic|"
    r"(?:Boston|Texas|Seattle)[ \t]+Children['\u2019]s)(?![\w-])")
_BRAND_ANYWHERE = re.compile(rf"(?<![\w-])(?P<b>{'|'.join(sorted(UNAMBIGUOUS_BRANDS, key=len, reverse=True))})(?![\w-])"
                             rf"(?P<g>[ \t]+(?:healthcare|health|specialty|pharmacy)\b)?(?P<t>(?:[ \t]+{_TOK})*)")
# "CVS" alone is chorionic villus sampling; with its business after it, the pharmacy chain.
_CVS = re.compile(r"\bCVS(?:[ \t]*/[ \t]*|[ \t]+)(?:Specialty|Pharmacy|pharmacy|Caremark|Health|MinuteClinic|"
                  r"Minute[ \t]+Clinic)(?:[ \t]+Pharmacy)?(?:[ \t]+#[ \t]?\d+)?")


def _name_like(low: str) -> bool:
    lex = lexicon()
    return low in lex.clinical_proper or low in lex.family or low in lex.given


def _name_words(words: list[str]) -> bool:
    """Every word looks like part of a name: capitalised and neither a clinical nor an everyday word."""
    lex = lexicon()
    return all(w.lower() not in STOP_WORDS and w.lower() not in lex.english
               and (w.lower() not in lex.clinical or w.lower() in lex.clinical_proper) for w in words)


_COMPASS = frozenset(("east", "west", "north", "south", "central", "campus", "downtown"))


def _saint_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _SAINT.finditer(text):
        if re.match(r"(?:['\u2019]s)?[ \t]+wort\b", text[m.end():]):
            continue
        words = m.group().split()
        if words[0] in ("saint", "st", "st.") and words[1] in STOP_WORDS:
            continue        # "the patron saint of"
        while len(words) > 2 and not _name_words(words[-1:]) and words[-1].lower() not in _COMPASS:
            # "St. Agnes Emergency" -> "St. Agnes", but "St. Vincent's East" stays whole
            words.pop()
        # a name typed in lower case has no capitalised words of its own before it ("PAGE FROM st j's")
        start = _name_start(text, m.start()) if m.group()[0].isupper() else m.start()
        while start < m.start() and text[start:m.start()].split()[0].lower() in _OPENERS:
            nxt = re.search(r"[ \t]+", text[start:m.start()])
            start = start + nxt.end() if nxt else m.start()
        out.append((start, m.start() + len(" ".join(words))))
    return out


_INSTRUMENT_WORDS = frozenset(("screener", "questionnaire", "assessment", "scale", "inventory", "checklist", "score"))
_INSTRUMENT_AFTER = re.compile(r"(?:[ \t]+[A-Z][a-z]+){0,2}[ \t]+(?i:assessment|scales?|rating|score|questionnaire|"
                               r"criteria|protocol|classification|inventory|checklist)\b|"
                               # "Mayo endoscopic subscore", not "the MUSC enteral nutrition protocol"
                               r"(?:[ \t]+[a-z]+){0,2}[ \t]+(?:subscore|score|index|classification|scale)\b|"
                               # "Mayo scissors", "Mayo stand": a surgical instrument named after a place
                               r"[ \t]+(?:scissors|stand|clamps?|retractors?|forceps|needle[ \t]+holder)\b")


def _brand_spans(text: str) -> list[tuple[int, int]]:
    out = [(m.start(), m.end()) for m in _FOUNDATION.finditer(text) if _name_words(m.group("t").split())]
    for m in _BRAND_ANYWHERE.finditer(text):
        if _INSTRUMENT_AFTER.match(text, m.end("b")):
            continue        # "NICHQ Vanderbilt Assessment Scales": an instrument named after a place
        tail = m.group("t").split()
        keep = 0
        while keep < len(tail) and _name_words(tail[keep:keep + 1]):
            keep += 1
        base = m.end("g") if m.group("g") else m.end("b")      # "eviCore healthcare"
        out.append((m.start(), base + (len(" ".join(tail[:keep])) + 1 if keep else 0)))
    out += [(m.start("f"), m.end("f")) for m in _BRAND_AFTER_PREP.finditer(text) if m.group("f") in BRANDS]
    out += [(m.start(), m.end()) for m in _CVS.finditer(text)]
    out += [(m.start(), m.end()) for m in _SHORT_NAMES.finditer(text)]
    return out


# A place after the facility word: "Hebrew Home at Riverdale", "CVS Pharmacy on Route 9". A day,
# month or time after "at"/"on" is no place ("Mercy Hospital on Monday").
# (round 47: with "the" and "of" too, "Shifa Community Clinic at the Islamic Center of Westfield")
_AT_PLACE = re.compile(rf"[ \t]+(?:at|on)[ \t]+(?:the[ \t]+)?"
                       rf"(?P<p>(?:{_TOK})(?:[ \t]+(?:of[ \t]+)?(?:{_TOK}|\d{{1,4}}\b))*)")
_NOT_PLACE = frozenset(re.findall(r"\S+", """
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december noon midnight admission discharge arrival
"""))


def _place_after(text: str, end: int) -> int:
    m = _AT_PLACE.match(text, end)
    if not m:
        return end
    words = m.group("p").split()
    if words[0].lower() in _NOT_PLACE or words[0].lower() in STOP_WORDS:
        return end
    words = [w for w in words if w != "of"]
    if all(w.lower() in GENERIC or w.lower() in _PART_OF_PLACE for w in words):
        return end      # "on the Cardiology floor"
    if not _distinctive([w for w in words if not w.isdigit()]) and not any(w.isdigit() for w in words):
        return end
    return m.end()


# Catholic hospitals named for Mary: "Our Lady of the Lake", "Our Lady of Lourdes".
_OUR_LADY = re.compile(rf"\bOur[ \t]+Lady[ \t]+of[ \t]+(?:the[ \t]+)?{_TOK}(?:[ \t]+{_TOK})*")


def _headed_spans(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for h in _HEAD_RE.finditer(text):
        if h.start() < pos:
            continue
        start = _name_start(text, h.start())
        if start == h.start():
            # "Hospital for Special Surgery": the facility word first, the name after "for" or "of".
            t = _OF_NAME.match(text, h.end())
            if t and (_distinctive(t.group("n").split()) or len(t.group("n").split()) >= 2):
                out.append((h.start(), t.end()))
                pos = t.end()
            elif (end := _place_after(text, h.end())) > h.end():
                # "The Gardens at Stony Point": the facility word first, the place after "at".
                out.append((h.start(), end))
                pos = end
            continue
        words = text[start:h.end()].split()
        # A sentence may open with a verb or pronoun before the name: "Called Mercy Hospital".
        while len(words) > 1 and words[0].lower() in _OPENERS:
            if words[0] == "The" and text[:start].rstrip(" \t")[-1:] not in ("", ".", "\n", "!", "?"):
                break       # "at The Villages Regional Hospital": the article is part of the name
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        end = h.end()
        t = _TAIL.match(text, end)
        tail = _trim_tail(t.group()).split() if t else []
        if tail:
            end = text.index(tail[-1], end) + len(tail[-1])
        # Round 52: a charity named by the disease it fights is still a name ("Cystic Fibrosis Foundation")
        charity = h.group() in ("Foundation", "Association", "Society") and len(words) >= 3 \
            and all(w[:1].isupper() for w in words)
        if not _distinctive(words + tail, 1 if h.group() in _HOSPITAL_HEADS else 2) and not charity:
            continue
        if any(w.lower().rstrip("-0123456789") in _INSTRUMENT_WORDS for w in tail):
            continue        # Round 47: "Refugee Health Screener-15", an instrument
        if h.group() in _SPECIALTY_HEADS and (any(w in _CONNECTORS for w in words)
                                              or len(words) < 2 or not _distinctive(words[:-1])):
            continue
        # "Department of Surgery of the Riverside Hospital": the service before "of" is not the name; a university's
        # is (round 52: "University of Cascadia Medical Center").
        while True:
            cut = next((i for i, w in enumerate(words) if w in _CONNECTORS), None)
            if cut is None or _distinctive(words[:cut]) or not _distinctive(words[cut + 1:] + tail) \
                    or words[:cut] in (["University"], ["College"]):
                break
            rest = words[cut + 1:]
            while rest and rest[0] in _CONNECTORS:
                rest.pop(0)
            if not rest:
                break
            start = text.index(rest[0], start + sum(len(w) + 1 for w in words[:cut + 1]) - 1)
            words = rest
        end = _place_after(text, end)
        # A second facility word right after ("Rehabilitation Hospital") belongs to the same name.
        nxt = _HEAD_RE.match(text, end + 1) if text[end:end + 1] in (" ", "\t") else None
        while nxt:
            end = nxt.end()
            nxt = _HEAD_RE.match(text, end + 1) if text[end:end + 1] in (" ", "\t") else None
        out.append((start, end))
        pos = end
    return out


def _after_preposition_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    out = []
    for m in _AFTER_PREP.finditer(text):
        words = m.group("f").split()
        # "at St. Agnes Emergency Department": the department after the name stays.
        while len(words) > 1:
            last = words[-1].lower()
            if last not in _PART_OF_PLACE and (last in GENERIC or last not in STOP_WORDS and last not in _NOT_PLACE
                                               and (last not in lex.clinical or _name_like(last))):
                break
            words.pop()
        while len(words) > 1 and words[-1].lower() in _CONNECTORS:
            words.pop()     # round 53: "MSKCC [for Tx]", not "MSKCC for"
        if all(w in NOT_PLACE_LETTERS or w.lower() in _CONNECTORS for w in words):
            continue        # Round 45: tests and units joined ("followed by MRI and EEG"), no place
        if words[0].lower() not in STOP_WORDS and words[0].lower() not in PRODUCT_BRANDS and _distinctive(words):
            out.append((m.start("f"), m.start("f") + len(" ".join(words))))      # not "by Cockcroft-Gault CrCl"
    return out


# A short all-capitals organisation after a place preposition: "Transfer center at AMR called back",
# "Slides returned to AMR", "call to AMR". Clinical and service abbreviations ("to ICU", "at HS",
# "from ED") are no place. A camel-case name there is one too ("returned to CareFlite"), unless it is a
# drug or device brand ("switched to NovoLog").
# Round 45: also where a fax or a release is addressed ("To: SVCAH", "release for KVPG"), what a child attends, a
# place of coverage or follow-up ("thru", "follow-up by ImageShare"); camel case with letters ("OrionHST").
_ACRONYM_PLACE = re.compile(r"(?:\b(?:at|from|(?i:resident|employee|student)[ \t]+of)|"
                            r"(?m:^[ \t]*(?i:to|attn)[ \t]*:)|\b(?:thru|attends|attended|release[ \t]+for)|"
                            r"\b(?:follow-up|followed|monitored|monitoring|covered|processed)[ \t]+by|"
                            r"\b(?:reported|ordered|issued|operated|owned|run)[ \t]+by|"
                            r"\b(?:returned|transferred|discharged|sent|faxed|delivered|transported|"
                            r"call|calls|called|back|referral|referred|transfer|presented|admitted|taken|brought|"
                            r"went|go|goes|going|records|fax|flown|airlifted|diverted)[ \t]+to)[ \t]+(?:the[ \t]+)?"
                            r"(?P<f>[A-Z]{2,6}(?:-[A-Z][a-z]+)?|[A-Z][a-z]+[A-Z](?:[a-z]+|[A-Z]{2,}))(?![\w'\u2019-])(?!\.\w)"
                            r"(?![ \t]*\d)")
NOT_PLACE_LETTERS = frozenset(re.findall(r"\S+", """
MRI CT PET ECG EKG EEG EMG ICU MICU SICU NICU PICU CCU CVICU PACU ED ER OR IR PCP SNF LTC LTACH ALF HH DME
PT OT SLP ST GI GU ENT OB GYN OBGYN HS QHS AM PM NPO PO IV IM SQ PRN BID TID QID ASA NPH AMA CHF COPD CAD CKD
ESRD DM HTN HLD GERD UTI URI DVT PE TIA CVA MI AFIB HIV TB MD DO NP PA RN LPN CNA BMI BP HR RR EMS US UK USA
CBC BMP CMP LFT TSH HCT HGB INR PTT ABG VBG UA CSF NG PEG PICC CVC ART ABX MAT IOP PHP RTC FU PMD PMR TCU
ACU MSICU BMT HEME ONC IMC PCU TELE DOU CDU OBS MFM LD LDR OP IP ADL ADLS IADL CPR DNR DNI POLST MOLST
DIP PIP MCP MTP CMC TMJ SI AC IP L1 L2 L3 L4 L5 S1 C5 C6 C7 T12 RUQ LUQ RLQ LLQ
PCR ELISA FISH IHC NGS TEE TTE CTA MRA EGD ERCP EUS FNA CXR KUB DEXA DXA PFT PFTS EBUS VATS LP BAL
MAR EMAR OSH PEDS ADULT MAIN AA NA UC PBMC MDT
"""))


# Words after the letters that say nothing about them ("at UAB under local anesthesia", "at UAB last year").
_NOT_QUALIFIED = frozenset(re.findall(r"\S+", """under last this next on in for with and or today yesterday since
after before until where when who which that was is again twice once every per by from to at about"""))


# Round 50: a medical centre by its letters anywhere ("referring this gentleman to UEMC", "BAMC"); blood cells are no
# place ("PBMC").
_CENTRE_LETTERS = re.compile(r"(?<![\w-])[A-Z]{2,4}MC(?![\w-])")


def _acronym_place_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    out = [(m.start(), m.end()) for m in _CENTRE_LETTERS.finditer(text)
           if m.group() not in NOT_PLACE_LETTERS and m.group().lower() not in lex.clinical]
    for m in _ACRONYM_PLACE.finditer(text):
        w = m.group("f")
        if w in NOT_PLACE_LETTERS or w.lower() in lex.clinical or w.lower() in STOP_WORDS:
            continue
        nxt = re.match(r"[ \t]+([a-z]+)", text[m.end("f"):])
        if nxt and nxt.group(1) in lex.clinical and nxt.group(1) not in _NOT_QUALIFIED \
                and not nxt.group(1).endswith("ing"):
            continue        # "at the DIP joints": letters that qualify a clinical noun
        out.append((m.start("f"), m.end("f")))
    return out


# A facility written in lowercase after a place preposition ("seen at mercy clinic south", "admitted to sunrise
# house"): every word before the facility word names something, none is generic, clinical or a determiner.
_LOWER_HEAD_PHRASES = ("hospital", "clinic", "medical center", "health center", "house", "center", "rehab", "pharmacy",
                       "health", "church", "shelter", "manor", "hill", "lodge", "village", "gardens", "commons",
                       "terrace", "pointe", "ridge", "springs", "heights", "healthcare", "health care", "health dept",
                       "health department",
                       # Round 45: the short forms typed in a hurry ("sweetgras valley hosp", "sage hen mem")
                       "hosp", "mem", "memorial", "med ctr", "med", "ctr",
                       # Round 47: a health centre's letters, a specialty's office ("ridgeline cardiology"); round
                       # 50: an orthopaedic practice, a nursing home ("summit ortho", "lake shore skilled nursing");
                       # round 51: a re-entry programme ("gateway re-entry"); round 52: a campus, a neurology practice;
                       # round 53: a cardiology or paediatric practice typed short ("oakridge cardio", "eastbrook peds")
                       "fqhc", "cardiology", "ortho", "skilled nursing", "re-entry", "campus", "peds neuro", "neuro",
                       "cardio", "peds")
_LOWER_HEAD = "|".join(sorted(_LOWER_HEAD_PHRASES, key=len, reverse=True))
_FUNCTION_WORDS = frozenset(re.findall(r"\S+", "at to in out of on for with from by and or up down"))
# (round 45: in a table's cell too, as after a label's colon; a second facility word: "camp tall pines health lodge")
# (round 47: after "by" or "called", after a dash as after a colon, and the emergency department's letters: "calloway
# ED")
_LOWER_HEADED = re.compile(r"(?:\b(?:at|from|to|with|through|for|chose|prefers|preferred|by|(?i:called|call))|"
                           r"(?<=\w):|(?<=\|)|(?<=[ \t])[-\u2013\u2014])[ \t]+"
                           # (round 50: no function word among the owners, "fairview healthcare [for skilled nursing]")
                           rf"(?P<f>(?:st\.[ \t]+)?(?:(?!(?:{'|'.join(sorted(_FUNCTION_WORDS))})[ \t])"
                           r"[a-z][a-z'\u2019-]+[ \t]+){1,3}"
                           rf"(?:{_LOWER_HEAD}|ED|ER)(?:[ \t]+(?:{_LOWER_HEAD}))?"
                           r"(?:[ \t]+(?:north|south|east|west|central|downtown))?)\b")
# Facility words that are a service too: the practice must be named by words that are no service's.
_SPECIALTY_OFFICES = frozenset(("cardiology", "ortho", "peds", "neuro", "cardio"))
# The word that opens each facility word ("medical" of "medical center"): where the owners' words end.
_LOWER_HEADS = frozenset(p.split()[0] for p in _LOWER_HEAD_PHRASES) | {"ED", "ER"}
# Particles that open a name of a place ("al noor clinic"); the word after them is its first.
_OPENING_PARTICLES = frozenset(("al", "el", "la", "le", "de", "san", "st."))
_DETERMINERS = frozenset(re.findall(r"\S+", "a an the her his their our my your this that these those"))
# After an owner's first word: "referred to thrombosis by [another] center" is no name.
_OTHER_WORDS = frozenset(("another", "other", "any", "some"))
_NOT_OWNERS = frozenset(re.findall(r"\S+", """
a an the her his their our my your this that these those same local nearby outside other another new old
walk-in urgent primary free county city state public private community veterans va university children
short-term long-term short-stay long-stay sub-acute subacute acute inpatient outpatient skilled day respite
"""))


def _lower_headed_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    out = []
    for m in _LOWER_HEADED.finditer(text):
        words = m.group("f").split()
        head_at = next(i for i, w in enumerate(words) if w in _LOWER_HEADS)
        owners = [w for w in words[:head_at] if w != "st."]
        while len(owners) > 1 and owners[0] in _OPENING_PARTICLES:
            owners = owners[1:]
        if words[head_at] in _SPECIALTY_OFFICES and any(_ADJECTIVE_END.search(w) or w in lex.clinical or w in GENERIC
                                                  or w in ("peds", "ped") for w in owners):
            continue        # "interventional cardiology", "peds ortho": the service, not a practice
        # The first word names the place ("mercy", "st. luke's", "grace"); the words after it may be generic
        # ("st. luke's heart clinic", "grace community church"), but none is a determiner.
        first = owners[0] if owners else ""
        if m.group()[0] in ":|-\u2013\u2014" and (len(owners) > 2 or any(w in _FUNCTION_WORDS for w in owners)):
            continue        # after a label's colon, a phrase ("Plan: admit to hospital"), not a name
        # (round 45: a clinical first word only where every word is clinical or generic: "camp tall pines", not
        # "back pain")
        if owners and not any(w in _DETERMINERS for w in owners) \
                and not any(w in _FUNCTION_WORDS or w in _OTHER_WORDS for w in owners[1:]) and not (
                first in _NOT_OWNERS or first in GENERIC or first in STOP_WORDS
                or first in lex.clinical and all(w in lex.clinical or w in GENERIC for w in owners)):
            out.append((m.start("f"), m.end("f")))
    return out


US_STATES = ("Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
           "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
           "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|"
           "North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|"
           "South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming")
# "University of Michigan", "University of Iowa Hospitals": a state university is a health system in a note.
_STATES_RE = US_STATES.replace(" ", r"[ \t]+")
_STATE_UNIVERSITY = re.compile(rf"\bUniversity[ \t]+of[ \t]+(?:{_STATES_RE})(?:[ \t]+{_TOK})*")
# A name before a unit it has: "County's ICU", "GOOD SAMARITAN HOSPITAL's ICU is on diversion".
_OWNS_UNIT = re.compile(rf"(?<![\w'\u2019.-])(?P<f>(?:{_TOK}|[A-Z]{{2,}})(?:[ \t]+(?:{_TOK}|[A-Z]{{2,}})){{0,4}})"
                        r"['\u2019]s[ \t]+(?:ICU|MICU|SICU|NICU|PICU|CCU|ED|ER|emergency|transfer[ \t]+center|"
                        r"cath[ \t]+lab|trauma[ \t]+(?:bay|team)|burn[ \t]+unit|stroke[ \t]+team|bed[ \t]+board)\b")


# What every _OWNS_UNIT match holds: most notes have none, and the full pattern, tried at every word, costs
# about 3 ms on a long note.
_UNIT_CUE = re.compile(r"['\u2019]s[ \t]+(?:ICU|MICU|SICU|NICU|PICU|CCU|ED|ER|emergency|transfer|cath|trauma|burn|"
                       r"stroke|bed)")


def _owns_unit_spans(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if not _UNIT_CUE.search(text):
        return out
    for m in _OWNS_UNIT.finditer(text):
        start, words = _without_openers(text, m.start("f"), m.end("f"))
        if not words or words[0].lower() in _NOT_PLACE or words[-1].lower() in _ROLE_ENDS:
            continue
        if len(words) == 1 and words[0].lower() in _LONE_PLACE or _proper_words(words) \
                or words[-1].upper() in ("HOSPITAL", "CENTER", "MEDICAL"):
            out.append((start, m.end("f")))
    return out


def facility_spans(text: str) -> list[tuple[int, int]]:
    """Spans of facility names (they may overlap; :func:`smartapp.coding.phi.redact` merges them)."""
    return (_saint_spans(text) + _brand_spans(text) + _headed_spans(text) + _after_preposition_spans(text)
            + [(m.start(), m.end()) for m in _STATE_UNIVERSITY.finditer(text)] + _owns_unit_spans(text)
            + context_spans(text) + [(m.start(), m.end()) for m in _OUR_LADY.finditer(text)]
            + _acronym_place_spans(text) + [(m.start(), m.end()) for m in _PLUS_LETTERS.finditer(text)]
            + _hyphenated_spans(text) + _lower_headed_spans(text))


def _hyphenated_spans(text: str) -> list[tuple[int, int]]:
    lex = lexicon()
    out = []
    for m in _HYPHENATED_AFTER_PREP.finditer(text):
        parts = m.group("f").lower().split("-")
        if any(p in lex.clinical or p in lex.clinical_proper or p in STOP_WORDS for p in parts) \
                or m.group("f").lower() in lex.clinical or m.group("f").lower() in lex.clinical_proper \
                or eponym_noun(text, m.end("f")):
            continue
        out.append((m.start("f"), m.end("f")))
    return out


# --- context rules: a run of capitalised words where a facility is expected ------------------------
# (round 51: never across a wide gap into the next field, "Site Name: Lumen Research    Protocol: ...")
_RUN = (rf"{_TOK}(?:(?:[ \t]+(?:(?:of|for|at|on)[ \t]+the|of|the|and|&|for|de|del|la|on|at)(?=[ \t]+[A-Z]))?"
        rf"{WORD_GAP}{_TOK}){{0,5}}")
# A label that names a place: "PCP office: Deaconess Gateway", "Outpatient dialysis: ...", "Discharge to: ...".
_PLACE_LABEL = re.compile(
    rf"\b(?i:(?:pcp|primary care|provider|doctor['\u2019]?s|physician|dentist|specialist|home)"
    rf"[ \t]+office|facility(?:[ \t]+(?:name|address))?|"
    rf"(?:dialysis|infusion|hospice|home[ \t]+health)(?:[ \t]+(?:unit|center|agency))?|"
    rf"rehab|snf|ltach|pharmacy|pharm|ref|destination|practice|employer|hospital|clinic|"
    rf"site|location|institution|agency|home health|hospice|placement|transferred to|transfer to|discharged? to|"
    rf"outside hospital|osh|referring hospital|referring facility|lab|laboratory|imaging center|radiology|"
    rf"infusion|surgery center|nursing home|assisted living|group home|school|daycare|insurance|insurer|payer|"
    rf"return address|performed at|done at|drawn at|collected at|place of service|location of service|referral|"
    rf"subpoena from|author organization|organization|custodian|sending facility|receiving facility|"
    rf"transferred from|transfer from|admitted from|referred from|arrived from|accepting facility)"
    rf"[ \t]*:[ \t]*(?:the[ \t]+)?(?P<f>{_RUN})")
# Round 51: labels whose value is a name whatever its words, a trial's site and sponsor ("Site Name: Lumen Research",
# "SAE reported to sponsor (Blue Harbor)").
_NAME_OF_PLACE = re.compile(rf"\b(?i:(?:site|practice|clinic|organi[sz]ation)[ \t]+name|(?:study[ \t]+)?sponsor|cro)"
                            rf"(?:[ \t]*:[ \t]*|[ \t]*\()(?P<f>{_RUN})")
# Round 52: letters in brackets after "outside" ("mri done outside (KCI)", "outside echo (BMH-W 10/2025)").
_OUTSIDE_BRACKETED = re.compile(r"\b(?i:outside|osh)(?:[ \t]+[a-z/]+){0,2}[ \t]*"
                                r"\((?P<f>[A-Z]{2,6}(?:-[A-Z]{1,3})?)(?=[ \t)])")
# Round 50: a kind of place, then its name after a comma ("discharged to skilled nursing facility, Rosewood Manor").
_KIND_APPOSITIVE = re.compile(rf"\b(?i:(?:skilled[ \t]+nursing|rehab(?:ilitation)?|long[ \t-]+term[ \t]+care|"
                              rf"assisted[ \t]+living)[ \t]+facility|snf|nursing[ \t]+home|group[ \t]+home)"
                              rf",[ \t]+(?:the[ \t]+)?(?P<f>{_RUN})")
# The same with a dash, for the labels that ask for a place only ("Accepting facility - Prairie Hub - confirmed");
# "CLINIC - FOLLOW UP" is a heading.
_PLACE_LABEL_DASH = re.compile(rf"\b(?i:accepting|receiving|sending|referring)[ \t]+(?i:facility|hospital)[ \t]+"
                               rf"[-\u2013\u2014][ \t]+(?P<f>{_RUN})")
# Generic words that name a hospital when they stand alone where a place is asked for ("Transferred from:
# County", "County's ICU"), as people say them.
_LONE_PLACE = frozenset(("county", "general", "memorial", "children's", "children\u2019s", "regional", "university",
                         "presbyterian", "methodist", "baptist", "mercy", "community"))
# What follows a facility's name in running text: "the Mass Eye and Ear emergency room", "Nemours
# discharge summary", "see Hospital for Special Surgery records", "per the Northside Forsyth med list".
_PLACE_AFTER = re.compile(
    r"[\"\u201d]?[ \t]+(?:discharge[ \t]+summary|records?|med(?:ication)?[ \t]+list|emergency[ \t]+(?:room|department)|"
    r"er|ed|urgent[ \t]+care|campus|location|facility|chart|operative[ \t]+report|portal|physicians?|"
    r"hospitalists?|icu|floor|ward|staff|pharmacy|clinic|lab|labs|imaging|radiology|pathology|infusion[ \t]+center|"
    r"dialysis[ \t]+unit|cath[ \t]+lab|faxed|sent[ \t]+over|records[ \t]+show|(?:ED|ER)[ \t]+visit|admission|"
    r"utilization[ \t]+review|picu|nicu|memory[ \t]+unit|billing|case[ \t]+management|intake|"
    r"medical[ \t]+director|member[ \t]+services|utilization[ \t]+management|prior[ \t]+auth\w*[ \t]+department|"
    r"MAR|eMAR|face[ \t]+sheet|transfer[ \t]+packet|paperwork|transfer[ \t]+center|intake[ \t]+team|liaison|"
    r"transfer[ \t]+nurse|admissions[ \t]+(?:coordinator|office|nurse)|bed[ \t]+board|"
    r"intake[ \t]+(?:worker|coordinator|nurse|line|department)|dosing[ \t]+nurse|nurse[ \t]+line|triage[ \t]+line)\b")
_STRONG_AFTER = re.compile(r"[\"\u201d]?[ \t]+(?:discharge[ \t]+summary|records|med(?:ication)?[ \t]+list|"
                           r"emergency[ \t]+room|"
                           r"case[ \t]+management|intake[ \t]+(?:worker|coordinator|nurse)|dosing[ \t]+nurse|"
                           r"transfer[ \t]+nurse|liaison|(?:ED|ER)(?=[ \t]+(?:last|on|in|yesterday|today|this|visit|"
                           r"records|note|x\d))|"
                           r"faxed|sent[ \t]+over|operative[ \t]+report|(?:ED|ER)[ \t]+visit|admission|"
                           r"utilization[ \t]+review|staff|medical[ \t]+director)\b")
_RUN_RE = re.compile(rf"(?<![\w'\u2019.-]){_RUN}")
# What an organisation does in a note, said right after its name: "Planned Parenthood of the Rocky Mountains called
# to report", "Golden Years accepted the patient", "Lincare faxed the order".
_ORG_VERB_AFTER = re.compile(
    r"[ \t]+(?:called[ \t]+(?:to|with|back|and)|faxed|notified|left[ \t]+a[ \t]+(?:message|voicemail)|is[ \t]+sending|"
    r"will[ \t]+(?:fax|send|deliver|call)|"
    # a drug or vaccine is "declined" too: an organisation declines something
    r"(?:has[ \t]+)?(?:accepted|declined|approved|denied|authorized|delivered|received)[ \t]+(?:the|a|an|our|her|his|"
    r"their|this|patient|pt|referral|request|transfer|admission|coverage|claim|prior|authorization|him|them)|"
    r"(?:is[ \t]+)?holding[ \t]+(?:a[ \t]+)?bed|has[ \t]+a[ \t]+bed|(?:is[ \t]+)?on[ \t]+diversion)\b")
# The last word of a run that names a person's role, not an organisation ("Patient's Daughter called back").
_ROLE_ENDS = frozenset(re.findall(r"\S+", """daughter son wife husband mother father sister brother family caregiver
spouse friend nurse pharmacist provider physician doctor team coordinator manager worker office staff attending
resident fellow intern surgeon therapist aide guardian patient pt"""))
# One word after "at"/"from": "Works as a nurse at Nemours", "records from MetroHealth".
_ONE_AFTER_PREP = re.compile(rf"\b(?:at|from|via|through|back[ \t]+to|transferred[ \t]+to|discharged[ \t]+to)"
                             rf"[ \t]+(?P<f>{_TOK})(?![\w'\u2019-])(?![ \t]+[A-Z])")
# Camel-case system names: "MetroHealth", "UCHealth", "ChristianaCare", "ProMedica", "WellSpan".
_CAMEL = re.compile(rf"(?<![\w-])(?P<f>(?:[A-Z]{{2,}}|[A-Z][a-z]+)(?:Healthcare|Health|Care|Medical|Medica|Med|Clinic|"
                    rf"MD|Span|Health[A-Z]\w*)(?:[ \t]+{_TOK})*)(?![\w-])")
# Words that open a facility's name ("Deaconess Gateway", "Northside Forsyth", "Mercy Fitzgerald").
_OPENING = re.compile(
    rf"(?<![\w-])(?:Memorial|Mercy|Baptist|Methodist|Presbyterian|Providence|Adventist|Lutheran|Deaconess|Episcopal|"
    rf"Northside|Southside|Eastside|Westside|Northwest|Northeast|Southwest|Southeast|Shriners|Sacred[ \t]+Heart|"
    rf"Good[ \t]+Samaritan|Holy|Kaiser|Sutter|Banner|Atrium|Ascension|"
    rf"Trinity|Covenant|Carilion|Valleywise|Parkview|Lakeview|Baystate|Beebe|Christus|Mass|UCHealth)"
    rf"(?P<t>(?:[ \t]+(?:and[ \t]+)?{_TOK})+)")
# Facility words that need a distinctive word and two words before them ("Zion Lutheran Home",
# "Ashland Women's Care", "Mass Eye and Ear"); too many clinical phrases end in them otherwise.
_SOFT_HEADS = re.compile(
    r"(?<=[ \t])(?:Home|Care|Manor|Village|Villa|Residence|Lodge|Pavilion|Commons|Eye[ \t]+(?:and|&)[ \t]+Ear|Ear|"
    r"Network|Alliance|Collaborative|Ministries|University|College|Sciences|Place|House|Terrace|Court|Gardens|"
    r"Estates|Retirement|Assisted)(?![\w'\u2019-])")


_PERSON_SERVICES = frozenset(re.findall(r"\S+", """
ortho cardiology gi nephrology neurology neuro oncology onc pulm pulmonology id urology uro derm ent ob obgyn
psych psychiatry surgery ir hospitalist pcp np pa rn md do team service consult consulted paged called
"""))
# A name alone in brackets: "Outside imaging (Baystate Franklin) showed ...".
_BRACKETED = re.compile(rf"\((?P<f>{_TOK}(?:[ \t]+(?:of|and|&|de|del|la)?[ \t]*{_TOK}){{1,4}})\)")
# "(Overlake, 2024)": a name and a year in brackets, as a study's source is cited.
_BRACKETED_YEAR = re.compile(rf"\((?P<f>{_TOK}(?:[ \t]+{_TOK}){{0,3}}),[ \t]*(?:19|20)\d\d"
                             rf"(?:[-\u2013](?:19|20)?\d\d)?\)"
                             rf"|\((?:19|20)\d\d,[ \t]*(?P<g>{_TOK}(?:[ \t]+{_TOK}){{0,3}})\)")     # "(2019, CHOA)"
# "(UNC Rex)": letters and a capitalised word in brackets, before a colon or a verb.
_BRACKETED_LETTERS = re.compile(r"\((?P<f>[A-Z]{2,6}[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)\)")
_MEDICAL = re.compile(r"(?:omas?|itis|osis|emia|ectomy|otomy|plasty|pathy|algia|cocc\w+|bacter\w*|monas|eria|"
                      r"mycin|cillin|azole|statin|pril|sartan|olol|mab|nib|ine|one|ide)$")


def _proper_words(words: list[str]) -> bool:
    """At least one word that is no clinical, generic or stop word (a name of something)."""
    lex = lexicon()
    for w in words:
        low = w.lower().strip(".").removesuffix("'s").removesuffix("\u2019s")
        if low in _CONNECTORS or low in STOP_WORDS or low in GENERIC or re.fullmatch(r"[ivxlc]+", low):
            continue
        if low in lex.clinical and low not in lex.clinical_proper and low not in lex.family:
            continue
        return True
    return False


def context_spans(text: str) -> list[tuple[int, int]]:
    """Facility names found by where they stand rather than by a facility word."""
    lex = lexicon()
    out: list[tuple[int, int]] = []
    for m in [*_PLACE_LABEL.finditer(text), *_PLACE_LABEL_DASH.finditer(text), *_KIND_APPOSITIVE.finditer(text)]:
        words = m.group("f").split()
        if _proper_words(words) and not all(w.lower() in lex.clinical for w in words) or _everyday_name(words) \
                or len(words) == 1 and words[0].lower() in _LONE_PLACE:
            out.append((m.start("f"), m.end("f")))
    for m in _RUN_RE.finditer(text):
        end = m.end()
        if re.search(r"[ \t](?:ED|ER)$", m.group()) and (len(m.group().split()) > 2 or m.group()[:2].isupper()):
            end -= 3        # "Yale New Haven ED (visit)": the department is not the name, and says one stands before
        elif re.search(r"[ \t]e?MAR$", m.group()) and len(m.group().split()) > 2:
            # "the Air Methods MAR": the record is not the name; after "the", any name not made of generic words
            # ("the Home Health MAR") is a place's, whatever its words
            owner = re.search(rf"\b[Tt]he[ \t]+({_TOK}(?:[ \t]+{_TOK}){{1,3}})[ \t]+e?MAR$", text[:m.end()])
            if owner and not all(w.lower() in GENERIC or w.lower() in STOP_WORDS for w in owner.group(1).split()):
                out.append((owner.start(1), owner.end(1)))
            continue
        records = re.search(r"[ \t](?:Medical[ \t]+)?Records$", m.group())
        if records and len(m.group()[:records.start()].split()) >= 2:
            end -= len(records.group())     # "cc: Mass General Medical Records"
        if not _PLACE_AFTER.match(text, end) and end == m.end():
            if _ORG_VERB_AFTER.match(text, end):
                out += _acting_org(text, m.start(), end)
            continue
        start, words = _without_openers(text, m.start(), end)
        if words and _proper_words(words) and not _all_clinical(words) \
                and (not _sentence_initial(text, start) or _STRONG_AFTER.match(text, end) or end < m.end()) \
                and (len(words) > 1 or _strong(words) and not words[0].isupper()
                     and not re.search(r"(?:ic|al|ous|ive|ary|oid|ar)$", words[0])
                     or words[0].isupper() and words[0] not in NOT_PLACE_LETTERS and _STRONG_AFTER.match(text, end)):
            out.append((start, end))
    out += [(m.start("f"), m.end("f")) for m in _OUTSIDE_BRACKETED.finditer(text)
            if m.group("f") not in NOT_PLACE_LETTERS and m.group("f").lower() not in lex.clinical]
    for m in _NAME_OF_PLACE.finditer(text):
        words = m.group("f").split()
        if not all(w.lower() in STOP_WORDS for w in words) \
                and not (len(words) == 1 and words[0].lower() in lex.english):     # not "Sponsor: Pending"
            out.append((m.start("f"), m.end("f")))
    for m in _BRACKETED.finditer(text):
        words = m.group("f").split()
        role = re.search(r"([A-Za-z-]+)[ \t]*\($", text[max(0, m.start() - 30):m.start() + 1])
        if role and (re.search(r"(?:ist|ian|or|er|ant|nt)$", role.group(1))
                     or role.group(1).lower() in _PERSON_SERVICES):
            continue        # "Her cardiologist (Parisa Tehrani)", "Consulted ortho (Ifeanyi Okoro)": a person
        if _proper_words(words) and not _all_clinical(words) and _strong(words) \
                and not any(w.isupper() or _MEDICAL.search(w.lower()) for w in words):
            out.append((m.start("f"), m.end("f")))
    for m in _BRACKETED_YEAR.finditer(text):
        name = "f" if m.group("f") else "g"
        words = m.group(name).split()
        if _proper_words(words) and not _all_clinical(words) and (
                _strong(words) or all(w.isupper() and w not in NOT_PLACE_LETTERS for w in words)):
            out.append((m.start(name), m.end(name)))
    for m in _BRACKETED_LETTERS.finditer(text):
        words = m.group("f").split()
        if _strong(words[1:]) and not _all_clinical(words[1:]):
            out.append((m.start("f"), m.end("f")))
    for m in _ONE_AFTER_PREP.finditer(text):
        w = m.group("f")
        low = re.sub(r"['\u2019]s$", "", w.lower())
        if "-" in low and any(p in lex.clinical for p in low.split("-")) or _MEDICAL.search(low.split("-")[0]):
            continue        # "Amoxicillin-Clavulanico"
        if w.lower().endswith(("'s", "\u2019s")) and eponym_noun(text, m.end("f")) \
                or EPONYM_AFTER.match(text, m.end("f")):
            continue        # "with Alzheimer's disease", "via Mic-Key button"
        if low in STOP_WORDS or low in GENERIC or low in lex.english or low in lex.clinical or low in lex.given \
                or w.isupper() or is_clinical_proper(w):
            continue        # not "at Guyon canal"
        if re.match(r"[ \t]*(?:\d|[ap]\.?m\b)", text[m.end():m.end() + 5]):
            continue
        out.append((m.start("f"), m.end("f")))
    for m in _CAMEL.finditer(text):
        if not re.search(r"[a-z][A-Z]|^[A-Z]{2,}[a-z]", m.group("f").split()[0]) \
                or m.group("f").split()[0].lower() in PRODUCT_BRANDS:
            continue        # "Healthcare", not "MetroHealth"; a device maker is no place ("ResMed")
        tail = m.group("f").split()[1:]
        keep = 0
        while keep < len(tail) and _proper_words(tail[keep:keep + 1]) and tail[keep].lower() not in GENERIC:
            keep += 1
        end = m.start("f") + len(" ".join(m.group("f").split()[:1 + keep]))
        out.append((m.start("f"), end))
    for m in _OPENING.finditer(text):
        tail = m.group("t").split()
        keep = 0
        while keep < len(tail) and (tail[keep] == "and" or not _all_clinical(tail[keep:keep + 1])
                                    and tail[keep].lower() not in STOP_WORDS and tail[keep] not in NOT_PLACE_LETTERS):
            keep += 1
        while keep and tail[keep - 1] == "and":
            keep -= 1
        if keep:
            out.append((m.start(), m.start() + len(m.group()) - len(m.group("t")) + 1 + len(" ".join(tail[:keep]))))
    for m in _SOFT_HEADS.finditer(text):
        start = _name_start(text, m.start())
        if start == m.start():
            continue
        words = text[start:m.end()].split()
        while len(words) > 2 and (words[0].lower() in _OPENERS or words[0].lower() in STOP_WORDS):
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        if len(words) >= 2 and (_strong(words[:-1]) or m.group().startswith("Eye")):
            out.append((start, m.end()))
    return out


# A name made of everyday words that ends in a word saying what kind of place it is ("One Medical", "Mass General",
# "Patient First", "Gastro Health"): in a place's field, a name.
_EVERYDAY_NAME_ENDS = frozenset(("general", "medical", "health", "first", "healthcare", "care"))


def _everyday_name(words: list[str]) -> bool:
    lex = lexicon()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) \
        and words[-1].lower() in _EVERYDAY_NAME_ENDS and words[0].lower() not in GENERIC \
        and not (words[0].lower() in lex.clinical and words[0].lower() not in lex.english)


_TEST_WORD = re.compile(r"(?:scopy|gram|graphy|sound|echo|biopsy|culture|panel|test|scan)$")


def _without_openers(text: str, start: int, end: int) -> tuple[int, list[str]]:
    """The words of ``text[start:end]`` after the pronouns, verbs and stop words that open a sentence before a
    name ("Called Mercy Hospital"), and where the first remaining word starts."""
    words = text[start:end].split()
    while words and (words[0].lower() in _OPENERS or words[0].lower() in STOP_WORDS):
        start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
        words = words[1:]
    return start, words


def _acting_org(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The run at ``start:end`` before an organisation's verb, as a facility: two words or more, not all of them
    clinical, generic or role words."""
    start, words = _without_openers(text, start, end)
    if not words or words[-1].lower().removesuffix("'s") in _ROLE_ENDS or _all_clinical(words) \
            or any(w in NOT_PLACE_LETTERS or _TEST_WORD.search(w.lower()) for w in words) \
            or re.search(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|RN|LPN|NP|PA|MD)\.?[ \t]+$", text[max(0, start - 6):start]):
        return []       # "Dr. Patel called": a person
    # One word there is as often a person ("Sokolov called to report"), and the name rules find it
    return [(start, end)] if len(words) > 1 and _proper_words(words) else []


def eponym_noun(text: str, pos: int) -> bool:
    """A clinical noun follows ("Crohn's disease"), or an eponym's or a device's ("Mic-Key button")."""
    m = re.match(r"[ \t]+([a-z]+)", text[pos:pos + 30])
    return m is not None and (m.group(1) in lexicon().clinical or bool(EPONYM_AFTER.match(text, pos)))


def _sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'(")
    return not before or before[-1] in ".!?:;\n-*\u2022#"


def _all_clinical(words: list[str]) -> bool:
    lex = lexicon()
    return all(w.lower().strip(".,") in lex.clinical and w.lower().strip(".,") not in lex.clinical_proper
               or w.lower() in STOP_WORDS for w in words)


def _strong(words: list[str]) -> bool:
    """A word no dictionary holds ("Zion", "Ashland"): a name, not an everyday word."""
    lex = lexicon()
    return any(w.lower() not in lex.english and w.lower() not in lex.clinical and w.lower() not in STOP_WORDS
               and w.lower() not in GENERIC for w in words)
