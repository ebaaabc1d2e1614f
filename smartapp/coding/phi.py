"""PHI redaction for anything that leaves the process (OpenAI, Comprehend Medical).

Two layers: the patient's own demographics from FHIR as a deny list (every name part on its own,
case-insensitive; birth date in the usual spellings; identifiers, phones, emails, address lines),
then patterns for PHI of anyone (names after titles, dates, phone/fax, MRN/account numbers, SSN,
street addresses, emails, URLs). Placeholders such as ``[NAME]`` do not keep the original length,
so :class:`Redaction` keeps the spans and maps offsets in the redacted text back to the original.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from .phi_facilities import facility_spans
from .phi_fold import fold, prepare
from .phi_forms import (
    SITE_AFTER,
    SITE_WORDS,
    credentialed_spans,
    edi_spans,
    facility_extensions,
    facility_form_spans,
    form_field_spans,
    initials_beside,
    inverted_spans,
    role_person_spans,
    salutation_spans,
    titled_spans,
)
from .phi_hl7 import hl7_spans
from .phi_known_orgs import known_org_spans, org_cue_spans, street_spans
from .phi_names import (
    EPONYM_AFTER,
    credential_name_spans,
    eponym_after,
    header_names,
    join_wrapped,
    last_first_spans,
    lone_name_spans,
    names_a_disease,
    only_clinical_words,
    particle_name_spans,
    person_spans,
    surname_alone_spans,
    upper_name_spans,
)
from .phi_patterns import CAP, GIVEN_NAMES, NOT_NAMES, PATTERNS
from .phi_place_slots import (
    asked_for_spans,
    copy_line_spans,
    letterhead_spans,
    listed_place_spans,
    lone_line_spans,
    owned_place_spans,
    place_slot_spans,
)
from .phi_roles import role_slot_spans
from .phi_tagger import tagged_spans
from .phi_unknown import header_ranges, header_segment_names, is_unknown, slot_spans, unknown_word_spans
from .phi_words import BRANDS, STOP_WORDS, lexicon, us_places
from .regexes import required_substrings
from .text import twin_exact
from .types import Demographics

# Name parts that are also ordinary words ("White", "Young", "Brown") are matched only when
# capitalised, so "white blood cells" or "a young man" survive for a patient named White or Young.
_COMMON_WORD_NAMES = frozenset(re.findall(r"\S+", """
white black brown green gray grey young hill king cook ward rose may will long short bell wood woods banks
price rich hunt fox page lane stone sharp moody wells hale hope joy grace faith frank mark bill art dawn
summer winter march august june rice love cross strong small little mann best free hardy gay early
"""))
_EPONYM_NOUNS = (r"(?:score|sign|test|criteria|syndrome|disease|palsy|phenomenon|maneuver|fracture|type|stage|grade|"
                 r"scale|classification|procedure|operation|cyst|nodes?|esophagus|lymphoma|reflex|rule|index|lamp|"
                 r"retractors?|scissors|clamps?|forceps|wires?|pins?|needles?|trocars?)\b")
# Overlapping matches: in "Seen Mary Jones" the pair "Mary Jones" must be tried too.
_GIVEN_RE = re.compile(rf"\b(?=(?P<v>{CAP}[ \t]+{CAP})\b)")


@dataclass(frozen=True)
class RedactedSpan:
    start: int      # in the original text
    end: int
    label: str      # NAME, DATE, PHONE, ...


@dataclass(frozen=True)
class Redaction:
    text: str
    spans: tuple[RedactedSpan, ...]

    @property
    def redacted_chars(self) -> int:
        return sum(s.end - s.start for s in self.spans)

    def to_original(self, pos: int) -> int:
        """Map an offset in the redacted text to the original text (placeholders map to their span)."""
        shift = 0
        for s in self.spans:
            placeholder = len(s.label) + 2
            red_start = s.start + shift
            if pos < red_start:
                break
            if pos < red_start + placeholder:
                return s.start
            shift += placeholder - (s.end - s.start)
        return pos - shift


def _date_spellings(iso: str) -> list[str]:
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return [iso]
    month = d.strftime("%B")
    return [iso[:10], f"{d.month}/{d.day}/{d.year}", f"{d.month:02d}/{d.day:02d}/{d.year}",
            f"{d.month}-{d.day}-{d.year}", f"{d.month:02d}-{d.day:02d}-{d.year}",
            f"{d.month}/{d.day}/{d.year % 100:02d}", f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
            f"{month} {d.day}, {d.year}", f"{month} {d.day} {d.year}", f"{d.day} {month} {d.year}",
            f"{month[:3]} {d.day}, {d.year}", f"{month[:3]}. {d.day}, {d.year}"]


def _digits_pattern(value: str) -> re.Pattern[str] | None:
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return None
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    # Any punctuation between the digits: 555-123-4567, (555) 123 4567, 555.123.4567.
    return re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?" + r"\D{0,2}".join(digits) + r"(?!\d)")


def _deny_list(demo: Demographics) -> list[tuple[str, re.Pattern[str]]]:
    out: list[tuple[str, re.Pattern[str]]] = []
    parts: set[str] = set()
    for name in demo.names:
        if name.strip():
            out.append(("NAME", re.compile(rf"(?<!\w){re.escape(name.strip())}(?!\w)", re.IGNORECASE)))
        parts.update(p for p in re.split(r"[\s,]+", name) if len(p.strip(".")) >= 2)
    for part in sorted(parts, key=len, reverse=True):
        word = part.strip(".")
        # Round 45: a name that is also a function or clinical word ("Many Horses", "Gall") counts only capitalised,
        # so "many times" and "gall bladder" stay; other names count in any case ("maria says", typed so). Round 52:
        # a possessive typed without its apostrophe counts too ("mrs Van Dykes family").
        # ("Thi" + "s" is "This": not where a short name and an "s" make a word of their own)
        plural = (word + "s").lower()
        own = plural in STOP_WORDS or len(word) <= 3 and (plural in lexicon().english or plural in lexicon().clinical)
        possessive = r"(?:['\u2019]s)?" if own else r"(?:['\u2019]?s)?"
        if word.lower() in _COMMON_WORD_NAMES or word.lower() in STOP_WORDS or word.lower() in lexicon().clinical:
            first = re.escape(word[0].upper())
            rest, upper = re.escape(word[1:]), re.escape(word.upper())
            pat = re.compile(rf"(?<![\w])(?:{first}(?i:{rest})|{upper}){possessive}(?![\w])")
        else:
            pat = re.compile(rf"(?<![\w]){re.escape(word)}{possessive}(?![\w])", re.IGNORECASE)
        out.append(("NAME", pat))
    if demo.birth_date:
        for spelling in _date_spellings(demo.birth_date):
            out.append(("DATE", re.compile(re.escape(spelling), re.IGNORECASE)))
    for ident in demo.identifiers:
        if len(ident.strip()) >= 3:
            out.append(("ID", re.compile(rf"(?<!\w){re.escape(ident.strip())}(?!\w)", re.IGNORECASE)))
    for phone in demo.phones:
        digits = _digits_pattern(phone)
        if digits:
            out.append(("PHONE", digits))
    for email in demo.emails:
        out.append(("EMAIL", re.compile(re.escape(email.strip()), re.IGNORECASE)))
    for addr in demo.addresses:
        for line in re.split(r"[,\n]", addr):
            if len(line.strip()) >= 4 and not line.strip().isdigit() or re.fullmatch(r"\s*\d{5}\s*", line):
                out.append(("ADDRESS", re.compile(rf"(?<!\w){re.escape(line.strip())}(?!\w)", re.IGNORECASE)))
    return out


def _name_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim words that are not names ("Dr. Smith Cardiology" -> "Smith"); None if nothing is left."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and words[0].group().lower().strip(",.") in NOT_NAMES:
        words.pop(0)
    while words and words[-1].group().lower().strip(",.") in NOT_NAMES:
        words.pop()
    if not words:
        return None
    return start + words[0].start(), start + words[-1].end()


# Of each fixed pattern, the strings every match contains: a substring test on the lowercased note skips
# the patterns that cannot match it ("spoke with ...", "SSN ..."), about 1 ms a note. Deny lists are left
# out: they change with every patient, and the requirement cache would grow without end.
_NEEDS = {pat: required_substrings(pat) for _, pat in PATTERNS}


def _pattern_spans(text: str, rules: list[tuple[str, re.Pattern[str]]], trim: bool = True) -> list[RedactedSpan]:
    found: list[RedactedSpan] = []
    lowered = text.lower()
    exact = twin_exact(text, lowered)
    for label, pat in rules:
        needs = _NEEDS.get(pat) if exact else None
        if needs is not None and not any(s in lowered for s in needs):
            continue
        for m in pat.finditer(text):
            value = m.groupdict().get("v")
            start, end = (m.start("v"), m.end("v")) if value else (m.start(), m.end())
            if label == "NAME2":        # weak context: every word must look like a name
                if any(w.lower() in NOT_NAMES or w.lower() in BRANDS or w.endswith(("'s", "\u2019s"))
                       for w in text[start:end].split()):     # "with Phonak Audeo Lumity" is a hearing aid
                    continue
                label = "NAME"
            elif label == "NAME" and trim:
                trimmed = _name_span(text, start, end)
                if trimmed is None or only_clinical_words(text[trimmed[0]:trimmed[1]]) \
                        or names_a_disease(text[trimmed[0]:trimmed[1]]) \
                        or eponym_after(text, trimmed[1]) and m.end() == end:     # "called Bell back": a cue
                    continue        # "Ultrasound agrees with CT", "Sister Mary Joseph nodule"
                start, end = trimmed
            end = start + len(text[start:end].rstrip())
            if end > start:
                found.append(RedactedSpan(start, end, label))
    for m in _GIVEN_RE.finditer(text) if trim else ():
        given, family = m.group("v").split(None, 1)
        if given.lower() in GIVEN_NAMES and family.lower() not in NOT_NAMES \
                and not EPONYM_AFTER.match(text, m.start() + len(m.group("v"))):      # "Austin Flint murmur"
            found.append(RedactedSpan(m.start(), m.start() + len(m.group("v")), "NAME"))
    return found


# A product's name in capitals with a hyphen before the word: "QuantiFERON-TB Gold" when Dr. Gold was named too.
_PRODUCT_BEFORE = re.compile(r"(?<![\w-])[A-Za-z]+-[A-Z]{2,}[ \t]+$")


def _propagate_names(text: str, found: list[RedactedSpan]) -> list[RedactedSpan]:
    """A name found once by context ("Dr. Priya Iyer") is redacted wherever else it is written
    ("Priya agrees"), capitalised as found."""
    words = {w for s in found if s.label == "NAME" for w in re.findall(r"[A-Z][\w'-]+", text[s.start:s.end])
             if len(w) >= 3 and w.lower() not in NOT_NAMES and not re.fullmatch(r"[IVX]+|Jr|Sr", w)}   # not "III"
    if not words:
        return []
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # Not where the word is an eponym ("Wells score" when Dr. Grant Wells was named too).
    return [RedactedSpan(m.start(), m.end(), "NAME")
            for m in re.finditer(rf"(?<![\w-])(?:{alt})(?![\w-])(?!(?:['\u2019]s?)?[ \t]+{_EPONYM_NOUNS})", text)
            if not EPONYM_AFTER.match(text, m.end()) and not _PRODUCT_BEFORE.search(text, max(0, m.start() - 30),
                                                                                     m.start())]


def redact(original: str, demographics: Demographics | None = None) -> Redaction:
    """Replace PHI with ``[LABEL]`` placeholders; the patient's own details first."""
    # The rules read an ASCII copy of the same length (names in any script); the spans fit the original.
    text = prepare(original)
    if demographics:
        demographics = replace(demographics, names=tuple(fold(n) for n in demographics.names))
    # The deny list is taken as given: a patient may well be called "Will" or "May".
    found = _pattern_spans(text, _deny_list(demographics) if demographics else [], trim=False)
    patient_spans = len(found)
    found += _pattern_spans(text, PATTERNS)
    # An uploaded document names its patient in its header: those names are a deny list too.
    header = header_names(text)
    if header:
        found += _pattern_spans(text, _deny_list(Demographics(names=(" ".join(header),))), trim=False)
    prose = join_wrapped(text)      # a name or facility may wrap onto the next line
    found += [RedactedSpan(s, e, "NAME") for s, e in person_spans(prose) + last_first_spans(text)
              + upper_name_spans(text) + surname_alone_spans(prose) + credential_name_spans(text)
              + lone_name_spans(prose) + particle_name_spans(prose)]
    found += [RedactedSpan(s, e, "FACILITY") for s, e in facility_spans(prose)]
    # Round 25: organisations known by name, and the cues that say one stands there (phi_known_orgs).
    found += [RedactedSpan(s, e, "FACILITY") for s, e in known_org_spans(prose) + org_cue_spans(prose)]
    found += [RedactedSpan(s, e, "ADDRESS") for s, e in street_spans(prose)]
    # Round 6: where the form of the text says a name stands, whatever its words (phi_forms).
    fields, field_words = form_field_spans(text)
    edi, edi_words = edi_spans(text)
    found += [RedactedSpan(s, e, "NAME") for s, e in fields + titled_spans(prose) + salutation_spans(text)
              + inverted_spans(text) + role_person_spans(prose) + credentialed_spans(text) + role_slot_spans(prose)]
    found += [RedactedSpan(s, e, "FACILITY") for s, e in facility_form_spans(prose)]
    found += [RedactedSpan(s, e, label) for s, e, label in edi + hl7_spans(text)]
    # Names by elimination (round 4): a capitalised word no list knows, and names of everyday words in
    # the slots where names stand. On an upload's header lines they name the patient: a deny list.
    caps = header_ranges(text)
    unknown = unknown_word_spans(prose, caps)
    earlier = list(found)       # what the rules above found keeps its label

    def new(start: int, end: int) -> bool:
        return not any(f.start <= start and end <= f.end for f in earlier)

    found += [RedactedSpan(s, e, "NAME" if whole else "FACILITY") for s, e, whole in unknown if new(s, e)]
    found += [RedactedSpan(s, e, "NAME" if person else "FACILITY") for s, e, person in slot_spans(prose)
              if new(s, e)]
    # Round 18: what stands in a place's slot and is no clinical word, a letterhead, a copy line (phi_place_slots).
    found += [RedactedSpan(s, e, "NAME") for s, e in asked_for_spans(prose) if new(s, e)]
    found += [RedactedSpan(s, e, "FACILITY") for s, e in place_slot_spans(prose) + letterhead_spans(text)
              + copy_line_spans(text) + listed_place_spans(text) + lone_line_spans(text)
              + owned_place_spans(prose) if new(s, e)]
    # Round 32: a tagger learned from the synthetic parts reads the places no rule names (phi_tagger); it only
    # adds spans, after the rules' extensions, which read a site after a name they trust ("X - Lake Villa"):
    # the tagger's places stand as found ("PINE RIDGE FAMILY MEDICINE" keeps "- DICTATED OFFICE NOTE").
    learned = [RedactedSpan(s, e, label) for s, e, label in tagged_spans(prose) if new(s, e)]
    head_words = [w for s, e, _ in unknown if any(a <= s < b for a, b in caps)
                  for w in re.findall(r"[A-Za-z][\w'\u2019-]+", text[s:e]) if is_unknown(w)]
    head_words += header_segment_names(text) + field_words + edi_words
    if head_words:
        found += _pattern_spans(text, _deny_list(Demographics(names=(" ".join(head_words),))), trim=False)
    found += _propagate_names(text, found)
    found += _particles_before(text, found)
    found += [RedactedSpan(s, e, "FACILITY") for s, e in facility_extensions(text, [(f.start, f.end) for f in found
                                                                                   if f.label == "FACILITY"])]
    found += learned
    found += [RedactedSpan(f.end, e, "FACILITY") for f in found if f.label == "FACILITY"
              for e in [_place_tail(text, f.end)] if e > f.end]
    found += [RedactedSpan(m.start(), m.end(), "FACILITY") for m in _DOMAIN.finditer(text)]
    found += [RedactedSpan(s, e, "NAME") for s, e in initials_beside(text, [(f.start, f.end) for f in found
                                                                           if f.label == "NAME"])]
    denied = set(found[:patient_spans])     # the patient's own name is redacted even inside an eponym
    spans = _merge([f for f in found
                    if f in denied
                    or not (f.label == "NAME" and (_SPANISH_EPONYM.search(text, max(0, f.start - 40), f.start)
                                                   or _SPANISH_EPONYM_HEAD.match(text, f.start)))
                    and not (f.label in ("NAME", "FACILITY") and _names_an_instrument(text, f))])
    pieces: list[str] = []
    pos = 0
    for s in spans:
        pieces.append(original[pos:s.start])
        pieces.append(f"[{s.label}]")
        pos = s.end
    pieces.append(original[pos:])
    return Redaction("".join(pieces), tuple(spans))


# Round 35: what ends a place's name: the state after its town ("..., Houston TX", "Sun City AZ"); a web company's
# domain ("LocumTenens.com") is a place of its own (_DOMAIN). State codes that are also abbreviations or credentials
# (OR, MA, CT, CA, ID, MD, PA ...) never end one.
_STATES = frozenset(re.findall(r"\S+", """AL AK AZ AR FL GA IL IA KS KY MI MN MO MT NE NV NH NJ NM NY NC ND OH RI
SC SD TN TX UT VT VA WA WV WI WY"""))
_STATE_AFTER = re.compile(r"[ \t]+(?P<s>[A-Z]{2})(?![\w-])")
# Round 36: codes that are also a credential or an abbreviation end a name too, after a known town like the others
# ("Mercy Medical Center, Springfield MA", "Walgreens #15487, Pittsburgh PA"), but not before what says prior
# authorisation ("Springfield PA required"). CT, OR and ID stay out: "Hartford CT showed", "Salem OR".
_STATES_AFTER_TOWN = frozenset({"MA", "PA", "CA", "MD", "CO", "DE", "ME", "MS", "OK", "LA", "IN", "HI"})
_AUTHORISATION = re.compile(r"[ \t]*(?::|-|(?:required|approved|pending|denied|needed|submitted|requested|request|sent|"
                            r"obtained|expired|on[ \t]+file)\b)")


# Round 36: a store's street in lower case after its number ("cvs #2219 main st", "walgreens #88 on 5th st"); round 38:
# the street's word after a place that ends with its street's number ("walgreens on 5th" + "street").
_ORDINAL_END = re.compile(r"\b\d{1,3}(?:st|nd|rd|th)$")
_STREET_KIND = r"(?:(?:st|ave|rd|blvd)\b\.?|(?:street|avenue|road)\b)"     # the abbreviations keep their dot
_STREET_WORD_AFTER = re.compile(rf"[ \t]+{_STREET_KIND}", re.IGNORECASE)
_LOWER_STREET_AFTER = re.compile(rf"[ \t]+(?:on[ \t]+)?(?:[a-z]{{3,}}|\d{{1,3}}(?:st|nd|rd|th))[ \t]+"
                                 rf"(?:hwy\b\.?|{_STREET_KIND})")


_SITE_WORD_END = re.compile(rf"(?<![\w-]){SITE_WORDS}$")
_SITE_NUMBER = re.compile(r"[ \t]*#?[ \t]*\d{1,6}[A-Z]?(?![\w/.,:-]\w)")
_PLURAL_OWNER = re.compile(r"s['\u2019]")
# Round 45: the room a place keeps for one of its staff ("School District 7 Nurse['s Office]").
_STAFF_ROOM = re.compile(r"(?:[ \t]+[A-Z][a-z]+)?['\u2019]s[ \t]+(?:Office|Station|Room)(?![\w-])")
# and its department named after it ("Ashcombe University Hospital[ Department of Pathology]")
_DEPARTMENT_OF = re.compile(r"[ \t]+Department[ \t]+of[ \t]+[A-Z][a-z]+(?:[ \t]+(?:and|&)[ \t]+[A-Z][a-z]+)?(?![\w-])")
# Round 47: and its procedure unit ("St. Anselm[ cath lab]", "Mercy ... Medical Center[ Cardiac Cath Lab 2]")
_UNIT_OF_PLACE = re.compile(r"[ \t]+(?i:(?:cardiac[ \t]+)?cath(?:eterization)?[ \t]+lab|telestroke|stroke[ \t]+unit)"
                            r"(?:[ \t]+\d{1,2})?(?![\w-])")
_OWNED_AFTER = re.compile(r"['\u2019](?:[ \t]+(?:&[ \t]+)?[A-Z][\w-]*){1,3}")


def _place_tail(text: str, end: int) -> int:
    """Where a facility's name ending at ``end`` really ends: after the state that follows its town, or the street
    after its store number or the street's word after its number."""
    street = _LOWER_STREET_AFTER.match(text, end) if text[end - 1:end].isdigit() else None
    if street:
        return street.end()
    street = _STREET_WORD_AFTER.match(text, end) if _ORDINAL_END.search(text, max(0, end - 8), end) else None
    if street:      # the tagger's "walgreens on 5th" before "street"
        return street.end()
    site = _SITE_NUMBER.match(text, end) if _SITE_WORD_END.search(text, max(0, end - 10), end) else None
    if site:        # Round 40: "Pinecrest Radiation Oncology - Site [2]"
        return _place_tail(text, site.end())
    site = SITE_AFTER.match(text, end)
    if site:        # Round 44: "VA Community Living Center[, Bldg 41]"; round 45: one site after another
        return _place_tail(text, site.end())
    room = _STAFF_ROOM.match(text, end) or _DEPARTMENT_OF.match(text, end) or _UNIT_OF_PLACE.match(text, end)
    if room:
        return room.end()
    if _PLURAL_OWNER.match(text, end - 1, end + 1) and text[end - 2:end] != "'s":
        owned = _OWNED_AFTER.match(text, end)
        if owned:   # "Ohio Bureau of Workers['] Compensation"
            return owned.end()
    state = _STATE_AFTER.match(text, end)
    if state and (state.group("s") in _STATES or state.group("s") in _STATES_AFTER_TOWN
                  and not _AUTHORISATION.match(text, state.end())):
        town = re.findall(r"[A-Za-z]+", text[max(0, end - 30):end])[-2:]
        if town and (town[-1].lower() in us_places() or " ".join(town).lower() in us_places()):
            return state.end()
    return end


# A company named by its web domain ("CareLink360.com"); e-mail addresses and URLs are the patterns' own.
_DOMAIN = re.compile(r"(?<![\w@./-])[A-Za-z][\w-]*\.(?:com|org|net|health)(?![\w@/-])")


# Round 33: a scale, rule or questionnaire named after a place, a people or a phrase is no name: the span ends with its
# noun ("Two-Midnight Rule") or capitalised words lead to it ("Canadian C-Spine Rule", "Cincinnati Prehospital Stroke
# Scale", "OSHA Respirator Medical Evaluation Questionnaire").
_INSTRUMENT = (r"(?:Rule|Rules|Scale|Score|Criteria|Index|Questionnaire|Classification|Inventory|Nomogram|Equations?|"
               r"Test)")
_INSTRUMENT_END = re.compile(rf"(?<![\w-]){_INSTRUMENT}$")
_INSTRUMENT_AHEAD = re.compile(rf"(?:[ \t]+[A-Z][\w/-]*){{0,3}}[ \t]+{_INSTRUMENT}(?![\w-])")


def _names_an_instrument(text: str, span: RedactedSpan) -> bool:
    return bool(_INSTRUMENT_END.search(text, span.start, span.end) or _INSTRUMENT_AHEAD.match(text, span.end))


# Lowercase or capital particles right before a redacted name belong to it: "de la [Vega]", "DE LA [VEGA]".
_PARTICLES_END = re.compile(r"(?<![\w'\u2019-])(?:(?i:van|von|der|den|de|del|della|da|di|le|la|los|las|du|dos|das|"
                            r"ten|ter|y)"
                            r"[ \t]+){1,3}$")


def _particles_before(text: str, found: list[RedactedSpan]) -> list[RedactedSpan]:
    out = []
    for s in found:
        if s.label == "NAME":
            m = _PARTICLES_END.search(text, max(0, s.start - 20), s.start)
            if m:
                out.append(RedactedSpan(m.start(), s.start, "NAME"))
            m = _PARTICLES_TAIL.match(text, s.end)
            if m and not only_clinical_words(m.group("last")):
                # the whole name, so the eponym checks below see it as one ("Signo de Murphy")
                out.append(RedactedSpan(s.start, m.end(), "NAME"))
    return out


# And after one, with the family name they introduce: "Dr. Ana [DE LA CRUZ]" (a title takes two words at most).
_PARTICLES_TAIL = re.compile(r"(?:[ \t]+(?:van|von|der|den|de|del|della|da|di|le|la|los|las|du|dos|das|"
                             r"VAN|VON|DER|DEN|DE|DEL|DELLA|DA|DI|LE|LA|LOS|LAS|DU|DOS|DAS)){1,3}"
                             r"[ \t]+(?P<last>[A-Z][A-Za-z'\u2019-]+)")


# Spanish names a disease, sign or scale before its eponym ("enfermedad de Parkinson", "escala de Glasgow"):
# a name found right after such a word, or one that opens with it ("Signo de Murphy"), is no person. The text
# is folded, so no accents.
_SPANISH_EPONYM = re.compile(r"\b(?i:enfermedad|sindrome|escala|signo|prueba|maniobra|criterios?|clasificacion|"
                             r"fenomeno|tumor|ulcera|reflejo|puntuacion)[ \t]+(?:(?:de|del)[ \t]+)?$")
_SPANISH_EPONYM_HEAD = re.compile(r"(?i:signo|maniobra|enfermedad|sindrome|escala|prueba|test)[ \t]+(?:de|del)[ \t]+")


def _merge(spans: list[RedactedSpan]) -> list[RedactedSpan]:
    """Overlapping spans become one; the earlier-found (deny list) label wins."""
    out: list[RedactedSpan] = []
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if out and (s.start < out[-1].end or s.start == out[-1].end and s.label == out[-1].label):
            last = out[-1]
            label = last.label
            if {last.label, s.label} == {"NAME", "FACILITY"}:
                # "Hazelden Betty Ford" is a place that holds a person's name: the longer span names it.
                fac, name = (s, last) if s.label == "FACILITY" else (last, s)
                label = "FACILITY" if fac.end - fac.start >= name.end - name.start else "NAME"
            out[-1] = RedactedSpan(last.start, max(last.end, s.end), label)
            if len(out) > 1 and out[-2].end == out[-1].start and out[-2].label == label:
                # a label settled only now joins the span before ("the" + "[NAME]" -> "[FACILITY]")
                out[-2:] = [RedactedSpan(out[-2].start, out[-1].end, label)]
        else:
            out.append(s)
    return out
