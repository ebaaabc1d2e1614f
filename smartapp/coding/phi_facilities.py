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

from .phi_words import STOP_WORDS, lexicon

_TOK = r"(?:St\.|Ste\.|Mt\.|Ft\.|[A-Z][a-zA-Z]*[a-z][a-zA-Z]*(?:['\u2019-][A-Za-z]+)*|[A-Z]{2,}(?:-[A-Z][A-Za-z]+)?)"
_JOIN = r"(?:[ \t]+(?:of|the|and|&|for|de|del|la|los|las|san|on)(?=[ \t]+[A-Z]))?[ \t]+"
_HEADS = ("Hospital|Hospitals|Medical Center|Medical Centre|Health Center|Health Centre|Center|Centre|Clinic|"
          "Clinics|Health System|Health Care|Healthcare|Health|Institute|Associates|Group|Pediatrics|Practice|"
          "Urgent Care|Imaging|Hospice|Nursing Home|Care Home|Living|Infirmary|Physicians|Partners|Specialists|"
          "Medicine|Laboratories|Laboratory|Labs|Dialysis|General|Surgery Center|Surgicenter|Rehab|"
          "Rehabilitation|Sanatorium|Sanitarium|Medical Group|Medical Associates|Pharmacy|Foundation|"
          "Health Services|Medical Services|Orthopaedics|Orthopedics|Cardiology|Dermatology|Oncology|"
          "Radiology|Endoscopy|Ophthalmology|Eye Institute|Family Medicine|Internal Medicine")
_HEAD_RE = re.compile(rf"(?<=[ \t])(?:{_HEADS})(?![\w'\u2019-])")
_TOK_RE = re.compile(rf"{_TOK}$")
_CONNECTORS = frozenset(("of", "the", "and", "&", "for", "de", "del", "la", "los", "las", "san", "on"))
_TAIL = re.compile(rf"(?:[ \t]+of[ \t]+{_TOK}(?:[ \t]+{_TOK})*|(?:[ \t]+{_TOK})+)")
# Health systems and hospitals known by one word or letters ("seen at Kaiser", "records from MGH").
BRANDS = frozenset(re.findall(r"\S+", """
Kaiser Mayo Geisinger Intermountain Ochsner Sutter Allina Cedars-Sinai Hopkins Montefiore Northwell Langone
UPMC UCSF MGH BIDMC CHOP OHSU NYU MUSC UTSW VUMC Vanderbilt Emory Baylor Sanford Essentia Advocate Atrium
Novant Wellstar Sentara Inova MedStar Christiana Lahey Hackensack Beaumont Spectrum Henry-Ford Fairview
HealthPartners Dartmouth-Hitchcock Brigham Sinai Kettering Scripps Sharp Dignity AdventHealth Baptist Methodist
Presbyterian Parkland Grady Bellevue Cooper Geisinger Guthrie Marshfield Gundersen Avera Billings Lovelace
"""))
_BRAND_AFTER_PREP = re.compile(r"\b(?:at|from|to|with|by)[ \t]+(?:the[ \t]+)?(?P<f>[A-Z][\w-]+)(?![\w-])")
_AFTER_PREP = re.compile(rf"\b(?:at|from|to)[ \t]+(?P<f>{_TOK}(?:{_JOIN}{_TOK})+)")

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
center centers national provincial magnetic resonance computed tomography nuclear diagnostic diagnostics
"""))


# Capitalised words that may open a sentence before a facility's name ("Called Mercy Hospital").
_OPENERS = frozenset(("the", "she", "he", "they", "we", "i", "her", "his", "their", "patient", "called", "seen",
                      "records", "labs", "per", "at", "from", "to", "in", "transferred", "admitted", "prior",
                      "outside", "call", "contact", "fax", "sent", "send", "via", "a", "an", "and", "or", "with"))


def _distinctive(words: list[str]) -> bool:
    """A word that is neither generic nor clinical, or two clinical everyday words ("Silver Lake")."""
    lex = lexicon()
    everyday = 0
    for w in words:
        low = w.lower().strip(".")
        if low in GENERIC or low in STOP_WORDS:
            continue
        if low in lex.english and low in lex.clinical and low not in lex.clinical_proper:   # "Heart"
            everyday += 1
            continue
        if low in lex.clinical and low not in lex.clinical_proper and low not in lex.family \
                and low not in lex.given:      # "Peritoneal", not "Philadelphia" or "Jackson"
            continue
        return True
    return everyday >= 2


def _trim_tail(tail: str) -> str:
    """Keep a tail that names a place ("of Philadelphia", "Kirkland"), not "Emergency Department"."""
    words = tail.split()
    keep: list[str] = []
    for w in words:
        low = w.lower().strip(".")
        if low in GENERIC and low != "of" or low in STOP_WORDS and low != "of":
            break
        keep.append(w)
    while keep and keep[-1].lower() == "of":
        keep.pop()
    return " ".join(keep)


def _name_start(text: str, head_start: int) -> int:
    """Walk back from a facility word over capitalised words and connectors on the same line;
    the start of the name, or ``head_start`` when no capitalised word precedes it."""
    line_start = text.rfind("\n", 0, head_start) + 1
    start = cursor = head_start
    for m in reversed(list(re.finditer(r"\S+", text[line_start:head_start]))):
        if text[line_start + m.end():cursor].strip(" \t"):
            break
        word = m.group().lstrip("(\"'[")
        if _TOK_RE.match(word) and not word.endswith(","):
            start = cursor = line_start + m.end() - len(word)
        elif word in _CONNECTORS:
            cursor = line_start + m.start()
        else:
            break
        if word != m.group():       # "(Valley View Hospital": the bracket ends the walk
            break
    return start


def facility_spans(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for h in _HEAD_RE.finditer(text):
        if h.start() < pos:
            continue
        start = _name_start(text, h.start())
        if start == h.start():
            continue
        words = text[start:h.end()].split()
        # A sentence may open with a verb or pronoun before the name: "Called Mercy Hospital".
        while len(words) > 1 and words[0].lower() in _OPENERS:
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        end = h.end()
        t = _TAIL.match(text, end)
        tail = _trim_tail(t.group()) if t else ""
        if tail:
            end = text.index(tail.split()[-1], end) + len(tail.split()[-1])
        if not _distinctive(words + tail.split()):
            continue
        # "Department of Surgery of the Riverside Hospital": the service before "of" is not the name.
        while True:
            cut = next((i for i, w in enumerate(words) if w in _CONNECTORS), None)
            if cut is None or _distinctive(words[:cut]) or not _distinctive(words[cut + 1:] + tail.split()):
                break
            rest = [w for w in words[cut + 1:]]
            while rest and rest[0] in _CONNECTORS:
                rest.pop(0)
            if not rest:
                break
            start = text.index(rest[0], start + sum(len(w) + 1 for w in words[:cut + 1]) - 1)
            words = rest
        # A second facility word right after ("Rehabilitation Hospital") belongs to the same name.
        nxt = _HEAD_RE.match(text, end + 1) if text[end:end + 1] in (" ", "\t") else None
        while nxt:
            end = nxt.end()
            nxt = _HEAD_RE.match(text, end + 1) if text[end:end + 1] in (" ", "\t") else None
        out.append((start, end))
        pos = end
    for m in _BRAND_AFTER_PREP.finditer(text):
        if m.group("f") in BRANDS:
            out.append((m.start("f"), m.end("f")))
    for m in _AFTER_PREP.finditer(text):
        words = m.group("f").split()
        if words[0].lower() not in STOP_WORDS and _distinctive(words):
            out.append((m.start("f"), m.end("f")))
    return out
