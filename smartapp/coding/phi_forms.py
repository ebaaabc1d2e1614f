"""Names where the form of the text, not the words, says a person or place stands there (round 6).

The word-list layers (:mod:`.phi_names`, :mod:`.phi_unknown`) let a name through when its words are
everyday or clinical words ("Will Fever", "Sterling Stone", "Grace"). Some places in a document hold a
name whatever its words are:

* labelled form fields: "Last Name: X   First Name: Y", "Student name: ...";
* X12 EDI name segments: ``NM1*QC*1*LAST*FIRST*M~`` (and their address, city and birth-date segments);
* a title: "Dr. Fever", "Drs. Hill and Stone";
* an inverted name with an initial: "Fever, Will E.", "Ramasubramanian, K. C.";
* a role noun before a capitalised pair: "examiner Will Fever finds", "adjuster K. Ramasubramanian";
* "Per JT at the school office", "Per K (telemetry)", "Grace from utilization review called";
* initials beside a name found by another rule: "K. [Ramasubramanian]", "Kavitha K, PharmD".

Each function returns (start, end) spans in the text it is given (the folded copy of :mod:`.phi_fold`).
"""
from __future__ import annotations

import re

from .phi_facilities import GENERIC as FACILITY_GENERIC
from .phi_known_orgs import region_after, street_after
from .phi_names import EPONYM_AFTER
from .phi_words import BRANDS, MONTHS_DAYS, SPECIALTY_ENDING, STOP_WORDS, Lexicon, lexicon, us_places

_CAPWORD = r"[A-Z][A-Za-z'\u2019-]*"
_INITIAL = r"[A-Z]\.(?:[ \t]?[A-Z]\.)*"

# "Last Name: X", "Patient name - X", "First: X" on a form; the value ends at two spaces, a tab, a bar,
# the line's end or the next label.
_FIELD = re.compile(
    r"(?i:\b(?:(?:patient|pt|student|member|subscriber|insured|guarantor|resident|client|child|legal|preferred|"
    r"full|maiden|family|given|first|last|middle|sur)[ \t]?names?|surname|first|last|middle))"
    r"[ \t]*(?:\([^)\n]{0,20}\))?[ \t]*[:=][ \t]*"
    r"(?P<v>[A-Za-z][A-Za-z'\u2019.-]*(?:,?[ \t][A-Za-z][A-Za-z'\u2019.-]*){0,3})"
    r"(?=[ \t]{2,}|\t|[ \t]*(?:\||$|;|\bDOB\b|\bMRN\b|\bAge\b|\bSex\b|\bGrade\b|\bDate\b|\w+(?:[ \t]\w+)?:))",
    re.MULTILINE)
# The person a legal or benefits form is about, labelled by their role in it: "Respondent: SKY E. RIVERS" on a
# petition for evaluation, "Claimant: ...", "Employee: ...", and who pays for them ("Guarantor: ...", round 38).
# Capitalised words only: the label alone, without "name", also opens sentences ("Employee: reports back pain").
_ROLE_FIELD = re.compile(
    r"^[ \t]*(?i:respondent|claimant|employee|beneficiary|enrollee|applicant|ward|decedent|guarantor|subscriber|"
    r"insured|policy[ \t]?holder|responsible[ \t]+party)[ \t]*[:=][ \t]*"
    r"(?P<v>[A-Z][A-Za-z'\u2019-]*\.?(?:,?[ \t][A-Z][A-Za-z'\u2019-]*\.?){1,3})"
    r"(?=[ \t]{2,}|\t|[ \t]*(?:\||$|;|\bDOB\b|\bMRN\b|\bAge\b|\bSex\b|\bDate\b))", re.MULTILINE)
_NAME_SHAPED = re.compile(r"[A-Z][A-Za-z'\u2019-]+,[ \t]*[A-Z][A-Za-z'\u2019-]+(?:[ \t]+[A-Z]\.?)?|"
                          r"[A-Z][A-Za-z'\u2019-]+[ \t]+[A-Z]\.?[ \t]+[A-Z][A-Za-z'\u2019-]+")
# Words a field may hold that are not a name ("Name: see attached", "Last: unknown").
_NOT_VALUES = frozenset(("see", "attached", "unknown", "none", "n/a", "na", "on", "file", "same", "as", "above",
                         "not", "given", "declined", "pending", "patient", "self"))

# X12: NM1*<entity>*<1 person | 2 organisation>*<last or organisation>*<first>*<middle>~
_NM1 = re.compile(r"\bNM1\*[A-Z0-9]{1,3}\*(?P<kind>[12])\*(?P<last>[^*~\n]*)(?:\*(?P<first>[^*~\n]*))?"
                  r"(?:\*(?P<middle>[^*~\n]*))?")
_EDI_OTHER = re.compile(r"\b(?:N3\*(?P<addr>[^~\n]+)|N4\*(?P<city>[^*~\n]+)|DMG\*D8\*(?P<dob>\d{8}))")

# Spoken and foreign titles too: "this is doctor Petrova dictating", "paged dr Ibarra", "Bac si Abdi" (Vietnamese,
# folded), "Doctora", "Doutor", "Docteur".
_TITLES = r"(?:Dr|Drs|DR(?=\.)|Doctor|Prof|doctor|dr|Dra|Doctora|Doutora?|Docteur|Bac[ \t]+s[iy])"
_TITLED = re.compile(rf"\b{_TITLES}\.?[ \t]+(?P<n>(?:{_INITIAL}[ \t]+)?{_CAPWORD}"
                     rf"(?:[ \t]+(?:{_CAPWORD}|{_INITIAL}))?(?:,?[ \t]+(?:Jr\.?|Sr\.?|II|III|IV))?)"
                     rf"(?:[ \t]+(?:and|&)[ \t]+(?P<m>{_CAPWORD}))?")
# Words after a title that are not a name ("Dr. Office", "Dr. Notes").
_NOT_AFTER_TITLE = frozenset(("office", "offices", "notes", "note", "visit", "visits", "appointment", "orders",
                              "on", "call", "the", "of", "to", "and"))

_INVERTED = re.compile(
    rf"(?<![\w'\u2019.-])(?P<n>(?P<last>{_CAPWORD}(?:[ \t]{_CAPWORD})?),[ \t]*(?:(?:[A-Z]\.[ \t]*)?"
    rf"(?P<first>{_CAPWORD}(?:[ \t]{_CAPWORD})?)[ \t]+|[A-Z]\.[ \t]*)[A-Z]\.(?:[ \t]*[A-Z]\.)?)"
    rf"(?=[ \t]*(?:,|\(|;|$|[A-Z]{{2}}))", re.MULTILINE)
# The same with a bare middle initial at the end of a line or before a credential: "PCP: Lawson, Chip E",
# "by Young, Grant F, PA-C", "Whitcombe, A. J. F".
_INVERTED_BARE = re.compile(
    rf"(?<![\w'\u2019.-])(?P<n>(?P<last>{_CAPWORD}(?:[ \t]{_CAPWORD})?),[ \t]*(?:(?P<first>{_CAPWORD})|"
    rf"[A-Z]\.(?:[ \t]*[A-Z]\.)*)[ \t]+[A-Z])(?=[ \t]*(?:$|,[ \t]*(?:MD|DO|NP|PA|RN|PA-C|FNP|DNP|APRN|CNM|PharmD)\b))",
    re.MULTILINE)

# A role noun, then the person: "examiner Will Fever finds", "Adjuster K. Ramasubramanian requested".
_ROLE = re.compile(
    r"(?i:\b(?:examiner|evaluator|adjuster|counselou?r|coordinator|navigator|manager|physiologist|therapist|"
    r"technologist|technician|tech|aide|chaplain|pharmacist|dietitian|dietician|nutritionist|interpreter|"
    r"advocate|worker|officer|attorney|lawyer|judge|teacher|principal|coach|trainer|supervisor|dentist|hygienist|"
    r"optometrist|audiologist|podiatrist|pathologist|physicist|dosimetrist|midwife|doula|paramedic|emt|"
    r"scribe|liaison|specialist|consultant|physician|surgeon|nurse|provider|doctor|resident|fellow|intern|"
    r"attending|hospitalist|intensivist|practitioner|assistant|educator|psychologist|sonographer|"
    r"radiologist|anesthesiologist|anesthetist|crna|np|pa|rn|lpn|md|do|"
    # round 51: "SW Winters assisted", "investigator Hale"
    r"sw|msw|lcsw|investigator|interviewer|caseworker|custodian))"
    rf"[ \t]+(?P<n>(?:{_INITIAL}[ \t]+)?{_CAPWORD}(?:[ \t]+(?:{_INITIAL}[ \t]+)?{_CAPWORD}){{0,2}})"
    r"(?=[ \t]*(?:,|\(|;|:|\.(?:[ \t]|$)|$|[ \t]+(?:[a-z]+s|[a-z]+ed|[a-z]+ing|will|is|was|has|had|at|from|of|on|in|to|"
    r"and|for|who|reports?|says|said|notes|confirm\w*|request\w*|find\w*|sign\w*)\b))", re.MULTILINE)
# Capitalised words after a role noun that are not a person ("nurse Practitioner", "physician Assistant").
_NOT_PERSON = frozenset(("practitioner", "assistant", "note", "notes", "orders", "visit", "i", "ii", "iii", "on",
                         "the", "of", "and", "to", "at", "in", "for", "monday", "tuesday", "wednesday", "thursday",
                         "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
                         "july", "august", "september", "october", "november", "december", "today", "yesterday"))

_PER = re.compile(rf"\b[Pp]er[ \t]+(?P<n>(?:{_INITIAL}[ \t]+)?(?:{_CAPWORD}|[A-Z]{{1,3}})(?:[ \t]+{_CAPWORD})?)"
                  r"(?=[ \t]+(?:at|from|in|of|with)[ \t]+(?:the[ \t]+)?[a-z]|[ \t]*\([a-z])")
# "Spoke with Will at the front desk": a capitalised word between "with" and "at the <service>".
_WITH_AT = re.compile(rf"\b(?:[Ss]poke|[Tt]alked|[Mm]et|[Cc]hecked|[Cc]onfirmed|[Dd]iscussed)[ \t]+with[ \t]+"
                      rf"(?P<n>{_CAPWORD})[ \t]+at[ \t]+the[ \t]+[a-z]")
# A sign-off: "Thanks, John", "Regards,\nMaria Lopez".
_SIGN_OFF = re.compile(rf"\b(?:Thanks|Thank[ \t]+you|Regards|Best|Sincerely|Cheers|Warmly|Respectfully|"
                       rf"Best[ \t]+regards)"
                       rf"[,!.]?[ \t]*\n?[ \t]*(?P<n>{_CAPWORD}(?:[ \t]+{_CAPWORD})?)(?=[ \t]*(?:$|,))", re.MULTILINE)
# "routed to Young (family medicine)": a capitalised word after "to/from/by/per/cc", then a service in brackets.
_PERSON_SERVICE = re.compile(
    rf"\b(?:to|from|by|per|with|cc:?|Cc:?)[ \t]+(?:Dr\.?[ \t]+)?(?P<n>{_CAPWORD}(?:[ \t]+{_CAPWORD})?)[ \t]*"
    r"\((?:[a-z/ -]*(?:ology|iatry|iatrics|medicine|surgery|ics|nursing|clinic|team|office|service|pcp|attending|"
    r"resident|fellow|np|pa|rn|md|hospitalist|consult))\)")
# "Spoke w/ Bill in pulm", "d/w J.R. at ortho": a person between "w/" and the service.
_WITH_ABBREV = re.compile(rf"\b(?:[Ss]poke|[Tt]alked|[Dd]iscussed|[Cc]hecked|[Cc]onfirmed|[Dd]|[Cc]alled|f/u|F/U)[ \t]*"
                          rf"(?:w/|with)[ \t]*(?P<n>(?:{_INITIAL}|{_CAPWORD})(?:[ \t]+{_CAPWORD})?)[ \t]+"
                          r"(?:in|at|from|@|of)[ \t]+(?:the[ \t]+)?[a-zA-Z]")
# "Addendum (Hart, 12/05 0810)": a name and a date in brackets.
_NAME_DATE = re.compile(rf"\((?P<n>{_CAPWORD}(?:[ \t]+{_CAPWORD})?),[ \t]*\d{{1,2}}/\d{{1,2}}")
# A scribe's or a trainee's statement: "I, Grant Young, am scribing for ...".
_I_COMMA = re.compile(rf"\bI,[ \t]+(?P<n>{_CAPWORD}(?:[ \t]+(?:{_INITIAL}[ \t]+)?{_CAPWORD}){{0,2}}),[ \t]+"
                      r"(?:am|have|was|attest|personally|scribed|performed|acted|served)\b")
# A role label, then "Last, First" alone on the line: "Endoscopist: Hart, Will"; round 50: or between a
# transcription's separators ("JOB: 55812 / Dictator: Wolfe, Heather / dictated but not read").
_ROLE_LAST_FIRST = re.compile(
    rf"(?:^|(?<=[|/][ \t]))[ \t]*[A-Za-z /-]{{0,30}}?"
    rf"(?i:ist|ian|or|er|eon|ant|attending|pcp|provider|physician|nurse|resident|fellow|by)[ \t]*:[ \t]*"
    rf"(?P<n>(?P<last>{_CAPWORD}(?:[ \t]{_CAPWORD})?),[ \t]*(?P<first>{_CAPWORD}))"
    # what may follow on the line: a service in brackets, a separator ("PCP: Park, Ji-ho [Family Medicine]")
    r"(?:[ \t]+[A-Z]\.?)?[ \t]*(?:[\[(][^\])\n]{0,40}[\])][ \t]*)?(?:$|[|/][ \t]|[ \t]{2,})", re.MULTILINE)
# A person's role, then one capitalised word ended by a separator: "Admitting: Field / Consulting: GI".
_ROLE_ONE_NAME = re.compile(r"(?:^|(?<=[|/][ \t])|(?<=[ \t]{2}))[ \t]*(?i:admitting|attending|admitted[ \t]+by|"
                            r"surgeon|pcp|referring(?:[ \t]+(?:provider|physician))?|ordering(?:[ \t]+provider)?|"
                            r"author|signed[ \t]+by|dictated[ \t]+by|cosigner|psychiatrist|therapist|case[ \t]+manager)"
                            rf"[ \t]*:[ \t]*(?P<n>{_CAPWORD})(?=[ \t]*(?:[|/](?:[ \t]|$)|$|[ \t]{{2,}}))",
                            re.MULTILINE)
# A signature dash at the end of a message: "... repeat in 3 months. -Avi", "— Megan".
_DASH_SIGNATURE = re.compile(rf"(?:^|(?<=[.!?)][ \t])|(?<=[.!?)][ \t]{{2}}))[-\u2013\u2014~][ \t]?"
                             rf"(?P<n>(?:Dr\.?[ \t]+)?{_CAPWORD}(?:[ \t]+{_CAPWORD})?)[ \t]*$", re.MULTILINE)
# "Per Grady's discharge paperwork", "Per Marrow's last endocrine note": whose document it is.
_PER_OWNER = re.compile(
    rf"\b[Pp]er[ \t]+(?:the[ \t]+)?(?P<n>(?:{_CAPWORD}\.?,?[ \t]+){{0,4}}{_CAPWORD})['\u2019]s[ \t]+"
    rf"(?:[a-z-]+[ \t]+){{0,3}}"
    r"(?:note|notes|paperwork|records?|summary|report|letter|instructions|recommendations|plan|list|documentation|"
    r"discharge|consult|office|team|assessment|exam|evaluation)\b")
# Round 50: the same opening a sentence, by the family name alone ("Price's note from yesterday was reviewed").
_OWNER_NOTE = re.compile(rf"(?:^|(?<=[.;!?][ \t]))[ \t]*(?P<n>{_CAPWORD})['\u2019]s[ \t]+(?:[a-z-]+[ \t]+)?"
                         r"(?:note|notes|recommendations|consult|assessment|documentation|dictation|letter|H&P)\b",
                         re.MULTILINE)
# "txt from Chip @ primary care", "per Venkata S. @ labor and delivery": "@" before a service.
_AT_SERVICE = re.compile(rf"\b(?:[Ff]rom|[Pp]er|[Tt]o|[Ww]ith|[Cc]all(?:ed)?)[ \t]+"
                         rf"(?P<n>(?:{_INITIAL}[ \t]+)?{_CAPWORD}"
                         rf"(?:[ \t]+{_CAPWORD})?(?:[ \t]+[A-Z]\.)?)[ \t]*@[ \t]*(?:the[ \t]+)?[a-z]")
_FROM_SERVICE_ACTS = re.compile(
    rf"(?:^|(?<=[.;:!?][ \t])|(?<=[.;:!?][ \t]{{2}}))(?P<n>{_CAPWORD}(?:[ \t]+{_CAPWORD})?)[ \t]+from[ \t]+"
    r"(?:the[ \t]+)?[a-z][a-z -]{1,30}?[ \t]+(?:called|phoned|paged|said|says|reports|reported|confirmed|emailed|"
    r"faxed|left|wants|asked|requested|recommends|recommended|will|is|was|has|stopped|came|texted|messaged)\b",
    re.MULTILINE)

# Who a person is, said around one or two capitalised words (round 25, dictated and behavioural-health notes):
# "her psychiatrist is Banks", "asked for Drew by name", "continue seeing Summer for therapy", "Chip Carpenter the
# on call psychiatrist", "Lane MD, Summer".
_CARER = (r"(?:psychiatrist|therapist|counselou?r|pcp|doctor|physician|provider|case[ \t]+manager|social[ \t]+worker|"
          r"nurse|psychologist|clinician|prescriber|oncologist|cardiologist|surgeon|midwife)")
_SPOKEN_ROLES = (
    re.compile(rf"\b{_CARER}[ \t]+(?:is|was)[ \t]+(?P<n>{_CAPWORD}(?:[ \t]+{_CAPWORD})?)(?![\w'\u2019-])"),
    re.compile(rf"\bfor[ \t]+(?P<n>{_CAPWORD}(?:[ \t]+{_CAPWORD})?)[ \t]+by[ \t]+name\b"),
    re.compile(rf"\b(?:seeing|sees|saw)[ \t]+(?P<n>{_CAPWORD}(?:[ \t]+{_CAPWORD})?)(?=[ \t]+(?:for[ \t]+(?:therapy|"
               r"counsel+ing|med(?:ication)?s?[ \t]+management|psychotherapy|talk[ \t]+therapy)|weekly|biweekly|"
               r"monthly|every[ \t]+\w+[ \t]+weeks?)\b)"),
    re.compile(rf"(?P<n>{_CAPWORD}[ \t]+{_CAPWORD})(?=,?[ \t]+(?:the|our|her|his|their)[ \t]+(?:on[ \t-]?call[ \t]+)?"
               rf"{_CARER}\b)"),
    re.compile(rf"(?<![\w'\u2019.-]){_CAPWORD}[ \t]+(?:MD|DO|NP|PA-C|PA|RN|LCSW|LPC|PhD|PsyD),[ \t]*"
               rf"(?P<n>{_CAPWORD})(?![\w'\u2019-])"),
)
# A capitalised word where only a person stands, whatever the word ("f/u with Bell in 2 weeks", "route questions
# to Summer in vascular surgery", "medical director Power reviewed", "Park paged x2", "Left VM for Hope").
_ONE_PERSON_SLOTS = (
    re.compile(rf"\b(?i:f/u|follow[ -]?up|followup|see|seen)[ \t]+(?i:with|w/)[ \t]+(?P<n>{_CAPWORD}"
               rf"(?:[ \t]+{_CAPWORD})?)[ \t]+in[ \t]+(?:\d+|one|two|three|four|six)[ \t]*-?[ \t]*"
               r"(?i:days?|weeks?|wks?|months?|mos?)\b"),
    re.compile(rf"\b(?:to|with|w/)[ \t]+(?P<n>{_CAPWORD})[ \t]+in[ \t]+(?:[a-z]+[ \t]+)?(?:surgery|[a-z]+ology|"
               r"[a-z]+iatrics|[a-z]+iatry|medicine|clinic)\b"),
    re.compile(rf"\b(?i:medical[ \t]+director|director|charge[ \t]+nurse|case[ \t]+manager|social[ \t]+worker|"
               rf"chaplain|pharmacist)[ \t]+(?P<n>{_CAPWORD})(?=[ \t]+(?:reviewed|signed|approved|agrees|agreed|"
               r"called|saw|recommends|recommended|notified|paged|will|is|was)\b)"),
    re.compile(rf"(?m)^[ \t]*(?P<n>{_CAPWORD})[ \t]+paged\b"),
    re.compile(rf"\b(?i:left[ \t]+(?:a[ \t]+)?(?:vm|voicemail|message)[ \t]+for)[ \t]+(?P<n>{_CAPWORD}"
               rf"(?:[ \t]+{_CAPWORD})?)(?![\w'\u2019-])"),
)
# Who is paged or called without being a person ("Surgery paged", "Security paged", "Mom called back").
_NOT_ONE_PERSON = frozenset(re.findall(r"\S+", """security transport housekeeping chaplain chaplaincy pharmacy lab
radiology rapid code anesthesia anaesthesia nursing admitting registration mom dad mother father wife husband son
daughter family caregiver patient pt sister brother spouse partner team provider doctor nurse hospitalist"""))
# Services written where a person could stand ("Attending: Hospitalist /").
_PERSON_SERVICE_WORDS = frozenset(re.findall(r"\S+", """hospitalist hospitalists ortho cardiology gi neuro onc pulm
id uro derm ent ob obgyn psych surgery ir pcp np pa rn md do team service consult tbd pending unassigned none
self resident fellow intern attending on-call oncall covering"""))
# What opens "<X> from the <service> called" without being a person ("His EKG from the ED was normal").
_NOT_FROM_SERVICE = frozenset(re.findall(r"\S+", """the a an this that these those his her their its my our your
patient she he they we mom dad mother father report records note notes results someone nobody everyone staff
call message fax labs imaging"""))
# A capitalised word opening a sentence, then what only a person does to a patient: "Banks saw her".
_SAW_PATIENT = re.compile(
    rf"(?:^|(?<=[.;:!?][ \t]))(?P<n>{_CAPWORD})[ \t]+(?:saw|examined|evaluated|admitted|discharged|treated|"
    r"consented|called|counseled|counselled|interviewed|rounded[ \t]+on)[ \t]+(?:her|him|them|the[ \t]+patient|"
    r"Mr\.?|Ms\.?|Mrs\.?)\b", re.MULTILINE)
_INITIAL_BEFORE = re.compile(r"(?<![\w.])(?:[A-Z]\.[ \t]?){1,3}[ \t]*$|(?<![\w.])[B-HJ-Z][ \t]+$")
_INITIAL_AFTER = re.compile(r"[ \t]+[A-Z]\.?(?=[ \t]*(?:,|\(|;|@|$))", re.MULTILINE)


def form_field_spans(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Values of name fields, and their words (a deny list for the rest of the document)."""
    spans: list[tuple[int, int]] = []
    words: list[str] = []
    lex = lexicon()
    for m in [*_FIELD.finditer(text), *_ROLE_FIELD.finditer(text)]:
        value = m.group("v")
        parts = [w.strip(".,") for w in value.split()]
        if not parts or any(p.lower() in _NOT_VALUES for p in parts) or not value[0].isupper():
            continue
        # a month is a name in a name's shape: "Claimant: March, Dale", "Guarantor: Dale M. March"
        shaped = bool(_NAME_SHAPED.fullmatch(value))
        if m.re is _ROLE_FIELD and (any(len(p) > 1 and (p.lower() in STOP_WORDS or p.lower() in MONTHS_DAYS)
                                        and not (shaped and p.lower() in MONTHS_DAYS) for p in parts)
                                    or sum(p.lower() in lex.clinical and p.lower() not in lex.given
                                           and p.lower() not in lex.family for p in parts) >= 2):
            continue        # "Employee: Back Pain Since Monday", "Claimant: Chronic Low Back Pain"
        spans.append((m.start("v"), m.end("v")))
        words += [p for p in parts if len(p) >= 2]
    return spans, words


def edi_spans(text: str) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Names, addresses and birth dates in X12 segments, labelled; the person names for the deny list."""
    spans: list[tuple[int, int, str]] = []
    words: list[str] = []
    for m in _NM1.finditer(text):
        label = "NAME" if m.group("kind") == "1" else "FACILITY"
        for part in ("last", "first", "middle") if label == "NAME" else ("last",):
            if m.group(part):
                spans.append((m.start(part), m.end(part), label))
                if label == "NAME" and len(m.group(part)) >= 2:
                    words.append(m.group(part))
    for m in _EDI_OTHER.finditer(text):
        group = next(g for g in ("addr", "city", "dob") if m.group(g))
        spans.append((m.start(group), m.end(group), {"addr": "ADDRESS", "city": "LOCATION", "dob": "DATE"}[group]))
    return spans, words


# A letter's salutation names its reader, whatever the word ("Dear Heather,"); titles are titled_spans'.
_SALUTATION = re.compile(r"^[ \t]*Dear[ \t]+(?P<n>[A-Z][\w'\u2019-]+(?:[ \t]+[A-Z][\w'\u2019-]+){0,2})[ \t]*[,:]",
                         re.MULTILINE)
_NOT_READERS = frozenset(re.findall(r"\S+", """sir sirs madam madame colleague colleagues doctor doctors team provider
providers patient patients parent parents family friend friends member members customer all everyone dr mr mrs ms
miss prof professor committee reviewer reviewers to whom"""))


def salutation_spans(text: str) -> list[tuple[int, int]]:
    """The name after "Dear" at the start of a line, unless it says no one in particular ("Dear Colleague,")."""
    return [(m.start("n"), m.end("n")) for m in _SALUTATION.finditer(text)
            if not any(w.lower().strip(".") in _NOT_READERS for w in m.group("n").split())]


# After "doctor" written in lowercase, a capitalised everyday word may just start the next clause ("ask your
# doctor If ...", "see the doctor Monday").
_NOT_AFTER_LOWER_TITLE = frozenset(re.findall(r"\S+", """if when about for or as that this with today tomorrow
yesterday tonight asap again soon first said says will may can should would could is was are monday tuesday
wednesday thursday friday saturday sunday"""))


def titled_spans(text: str) -> list[tuple[int, int]]:
    """Whatever capitalised words follow "Dr." name a person, clinical words or not ("Dr. Fever")."""
    lex = lexicon()
    out = []
    for m in _TITLED.finditer(text):
        words = m.group("n").split()
        if m.group()[0].islower() and words[0].lower() in _NOT_AFTER_LOWER_TITLE:
            continue
        if m.group().startswith("DR.") and words[0].lower() in lex.clinical and words[0].lower() not in lex.family \
                and words[0].lower() not in lex.given:
            continue        # "no DR. Neuropathy: ...": diabetic retinopathy, then the next heading
        while words and words[-1].lower().strip(".,") in _NOT_AFTER_TITLE:
            words.pop()
        # A line in capitals goes on after the name: "DR. Hill NOTIFIED", "DR. SMITH AWARE OF K 6.1"
        while len(words) > 1 and words[-1].isupper() and words[-1].lower() in lex.english \
                and words[-1].lower() not in lex.family and words[-1].lower() not in lex.given \
                and not re.fullmatch(r"[IVX]+|JR|SR", words[-1].strip(".,")):      # "Dr. Payne III"
            words.pop()
        if words and words[0].lower() not in _NOT_AFTER_TITLE:
            out.append((m.start("n"), m.start("n") + len(" ".join(words)) if len(words) > 1
                        else m.start("n") + len(words[0])))
        if m.group("m"):
            out.append((m.start("m"), m.end("m")))
    return out


def inverted_spans(text: str) -> list[tuple[int, int]]:
    """"Last, First M." and "Last, F. M.": a comma and a middle initial make it a person, unless both parts
    are clinical or everyday section words ("Hepatitis, Type B")."""
    lex = lexicon()

    def known(words: str | None, names: frozenset[str]) -> bool:      # "Marcus" is a given name, and an eponym
        return words is None or all((w.lower() in lex.clinical or w.lower() in STOP_WORDS) and w.lower() not in names
                                    for w in words.split())

    return [(m.start("n"), m.end("n")) for rx in (_INVERTED, _INVERTED_BARE) for m in rx.finditer(text)
            if not (known(m.group("last"), lex.common_family) and known(m.group("first"), lex.given))]


def role_person_spans(text: str) -> list[tuple[int, int]]:
    """A role noun, "per" or "X from <service> called" before capitalised words: a person."""
    out = []
    for m in _ROLE.finditer(text):
        if EPONYM_AFTER.match(text, m.end("n")):
            continue        # "Teacher Vanderbilt rating scales": an instrument after a role noun
        words = m.group("n").split()
        if words[0].lower().strip(".") in _NOT_PERSON or all(w.isupper() for w in words):
            continue        # "educator Tuesday", "PHYSICIAN RECORD"
        if words[-1].lower() in _NOT_PERSON:
            words.pop()
        out.append((m.start("n"), m.start("n") + len(" ".join(words))))
    out += [(m.start("n"), m.end("n")) for rx in (_PER, _AT_SERVICE, _WITH_AT, _PERSON_SERVICE, _I_COMMA,
                                                  _DASH_SIGNATURE, _PER_OWNER, _WITH_ABBREV, _NAME_DATE)
            for m in rx.finditer(text) if m.group("n").split()[-1].lower() not in _NOT_FROM_SERVICE]
    lex = lexicon()
    out += [(m.start("n"), m.end("n")) for m in _ROLE_LAST_FIRST.finditer(text)
            if not all(w.lower() in lex.clinical or w.lower() in STOP_WORDS
                       for w in (m.group("last") + " " + m.group("first")).split())
            and not (m.group("first").isupper() and len(m.group("first")) <= 5)]     # "Nora Castellane, DO"
    out += [(m.start("n"), m.end("n")) for rx in _SPOKEN_ROLES for m in rx.finditer(text)
            if not _only_services_or_clinical(m.group("n").split(), lex)]
    out += [(m.start("n"), m.end("n")) for m in _ROLE_ONE_NAME.finditer(text)
            if m.group("n").lower() not in STOP_WORDS and m.group("n").lower() not in FACILITY_GENERIC
            and m.group("n").lower() not in _NOT_VALUES and m.group("n").lower() not in _PERSON_SERVICE_WORDS
            and not SPECIALTY_ENDING.search(m.group("n").lower())]
    out += [(m.start("n"), m.end("n")) for rx in _ONE_PERSON_SLOTS for m in rx.finditer(text)
            if m.group("n").split()[0].lower() not in _NOT_ONE_PERSON
            and not _only_services_or_clinical(m.group("n").split(), lex)]
    out += [(m.start("n"), m.end("n")) for m in _SIGN_OFF.finditer(text)
            if m.group("n").split()[0].lower() not in _NOT_FROM_SERVICE | {"you", "again", "regards", "wishes"}]
    out += [(m.start("n"), m.end("n")) for m in _SAW_PATIENT.finditer(text)
            if m.group("n").lower() not in _NOT_FROM_SERVICE and not m.group("n").isupper()]
    out += [(m.start("n"), m.end("n")) for m in _OWNER_NOTE.finditer(text)
            if (m.group("n").lower() in lex.family or m.group("n").lower() in lex.given)
            and m.group("n").lower() not in lex.clinical and m.group("n").lower() not in STOP_WORDS
            and m.group("n").lower() not in MONTHS_DAYS]
    out += [(m.start("n"), m.end("n")) for m in _FROM_SERVICE_ACTS.finditer(text)
            if not any(w.isupper() or w.lower() in _NOT_FROM_SERVICE for w in m.group("n").split())]
    return out


def _only_services_or_clinical(words: list[str], lex: Lexicon) -> bool:
    """Every word a stop word, a service, a kind of place or a clinical word no name is spelled as."""
    return all(w.lower() in STOP_WORDS or w.lower() in FACILITY_GENERIC or w.lower() in _PERSON_SERVICE_WORDS
               or w.lower() in lex.clinical and w.lower() not in lex.given and w.lower() not in lex.family
               for w in words)


_GRADED = frozenset(("class", "grade", "type", "stage", "group", "level", "phase", "category", "zone", "score",
                     "child-pugh", "mallampati", "nyha", "asa", "tanner", "gold", "killip", "forrest"))
_CAPS_NEXT = re.compile(r"[ \t]+([A-Z][A-Z'\u2019-]+)(?![\w'\u2019-])")


def initials_beside(text: str, names: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Initials right before or after a redacted name belong to it: "K. [Ramasubramanian]", "[Kavitha] K,";
    so do further capitals after a name in capitals ("[TRINH HOANG] YEN"), unless they are known words."""
    lex = lexicon()
    out = []
    for start, end in names:
        value = text[start:end]
        nxt = _CAPS_NEXT.match(text, end)
        # An everyday word in capitals ends the name, unless a comma closes the name after it ("..., 45 y/o").
        while value.isupper() and nxt and nxt.group(1).lower() not in STOP_WORDS \
                and nxt.group(1).lower() not in lex.clinical \
                and (nxt.group(1).lower() not in lex.english or text[nxt.end():nxt.end() + 1] == ","):
            out.append((end, nxt.end()))
            end = nxt.end()
            nxt = _CAPS_NEXT.match(text, end)
        m = _INITIAL_BEFORE.search(text, max(0, start - 12), start)
        before = re.search(r"([A-Za-z-]+)[ \t]+$", text[max(0, start - 40):m.start()]) if m else None
        if m and not (before and (before.group(1).lower() in _GRADED or before.group(1).lower() in lex.clinical_proper
                                  or before.group(1).lower() in lex.clinical)):      # not "Child-Pugh A."
            out.append((m.start(), start))
        after = _INITIAL_AFTER.match(text, end)
        if after:
            out.append((end, after.end()))
    return out


# A person's name before a credential, whatever its words: "Will Fever, MD", "Sterling Stone DO".
_CREDENTIALED = re.compile(
    rf"(?<![\w'\u2019.-])(?P<n>{_CAPWORD}(?:[ \t]+(?:{_INITIAL}[ \t]+)?{_CAPWORD}){{0,2}}"
    r"(?:,?[ \t]+(?:Jr\.?|Sr\.?|II|III|IV))?),?[ \t]+"
    r"(?:MD|M\.D\.|DO|D\.O\.|NP|FNP|DNP|APRN|PA-C|RN|LPN|CNM|CRNA|LCSW|PharmD|DDS|DMD|OD|DPM|AuD|PhD|PsyD|"
    r"CHI|CMI|CCHI|IBCLC|ATC|RRT|CCC-SLP|DPT|OTR/L|OTR|LMFT|LPC|LMHC|BCBA|RD|RDN|CDCES|CPhT|EMT-P|EMT|NRP)\b")
_SUFFIXES = frozenset(("II", "III", "IV"))
# Words before a credential that name no one: specialties, sections, sentence openers.
_NOT_BEFORE_CREDENTIAL = frozenset(re.findall(r"\S+", """
internal family emergency general medicine surgery pediatrics cardiology neurology psychiatry radiology
board certified signed electronically by attending consultant consulting referring provider physician
reviewed dictated cosigned co-signed seen examined approved per with and the of
"""))


def credentialed_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _CREDENTIALED.finditer(text):
        words = list(re.finditer(r"\S+", m.group("n")))
        while words and words[0].group().lower().strip(".,:") in _NOT_BEFORE_CREDENTIAL:
            words.pop(0)
        if words and not any(w.group().isupper() and len(w.group()) <= 4 and w.group() not in _SUFFIXES
                             and not re.fullmatch(r"[A-Z]\.?", w.group()) for w in words):   # "ECG, MD aware"
            out.append((m.start("n") + words[0].start(), m.end("n")))
    return out


# --- facilities by form ----------------------------------------------------------------------------
_PLACE_PREP = r"(?:\b(?:at|from|by|to|via|through|with)|@)[ \t]+"
_CAPS_HEAD = (r"(?:LAB|LABS|LABORATORY|LABORATORIES|CENTER|CENTRE|CLINIC|HOSPITAL|HEALTH|MEDICAL|ASSOCIATES|"
              r"PHARMACY|INSTITUTE|GROUP|IMAGING|REHAB|CARE|SERVICES|PARTNERS|SPECIALISTS|PHYSICIANS|HOSPICE|"
              r"DIALYSIS|DIAGNOSTICS|PRACTICE|HEALTHCARE|SYSTEM|UNIVERSITY|COLLEGE|SCHOOL)")
# "at SOMNUS SLEEP LAB": capitals ending in a facility word, after a place preposition.
_CAPS_FACILITY = re.compile(rf"{_PLACE_PREP}(?P<f>(?:[A-Z][A-Z&'\u2019.-]*[ \t]+){{1,6}}{_CAPS_HEAD}"
                            rf"(?:[ \t]+(?:OF|AT|IN)[ \t]+[A-Z][A-Z'\u2019-]+)*)(?![\w'-])")
# "RUSH UNIVERSITY MEDICAL CENTER" anywhere: three or more words in capitals ending in a facility word.
_CAPS_RUN = re.compile(rf"(?<![\w'\u2019.&-])(?P<f>(?:[A-Z][A-Z&'\u2019.-]*[ \t]+){{2,6}}{_CAPS_HEAD})(?![\w'-])")
# "(Planned Parenthood Gulf Coast ED)": a name in brackets with the unit it ran.
_BRACKETED_UNIT = re.compile(rf"\((?P<f>{_CAPWORD}(?:[ \t]+{_CAPWORD}){{1,5}})[ \t]+(?:ED|ER|ICU|UC|NICU|PICU|L&D|"
                             r"Urgent[ \t]+Care|Clinic|Hospital|Lab|Pharmacy)\)")
# Round 50: a name before a kind of place in letters ("Oakhaven SNF", "Brookdale ALF"); round 51: a response team's
# or an advocacy centre's ("Riverbend SART").
_BEFORE_KIND_LETTERS = re.compile(rf"(?<![\w'\u2019.-])(?P<f>{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,2}}[ \t]+"
                                  r"(?:SNF|ALF|LTACH|ASC|FQHC|CAH|IRF|LTC|ECF|SART|CAC))(?![\w-])")
# A place field: "Location: Bridges   Infusion chair 7", "Place of service: Patient First".
_PLACE_FIELD = re.compile(
    r"(?:^|(?<=[ \t]{2})|(?<=\t)|(?<=\|[ \t]))[ \t]*(?i:(?:place[ \t]+of[ \t]+service|location|facility|"
    r"site[ \t]+of[ \t]+care|pos|practice|clinic[ \t]+name|hospital|pharmacy|employer|school|"
    r"(?:discharge[ \t]+)?disposition|discharged[ \t]+to|transferred[ \t]+to|accepting[ \t]+facility|ins|insurance|"
    r"payer|primary[ \t]+insurance|secondary[ \t]+insurance))[ \t]*:[ \t]*"
    r"(?P<f>[A-Z][\w'\u2019&.-]*?(?:[ \t][A-Za-z#&][\w'\u2019&-]*){0,5})\.?"
    r"(?=[ \t]{2,}|\t|[ \t]*(?:$|;|\|)|[ \t]+[-\u2013\u2014][ \t])",
    re.MULTILINE)
# A letterhead line: "Summit Open MRI — Outpatient Pharmacy", the name before a dash and a department.
_LETTERHEAD = re.compile(
    rf"^[ \t]*(?P<f>{_CAPWORD}\.?(?:[ \t]+(?:&[ \t]+|of[ \t]+)?{_CAPWORD}\.?){{0,5}})[ \t]+[-\u2013\u2014]+[ \t]+"
    r"(?P<d>[A-Z][A-Za-z&' ]+)$", re.MULTILINE)
# "VA Palo Alto", "VA Boston": a VA named by its place.
_VA_PLACE = re.compile(rf"\b(?P<f>VA[ \t]+{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,2}})")
_PLACE_VA = re.compile(rf"(?<![\w'-])(?P<f>{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,2}}[ \t]+VA)\b")
# "to ST. VINCENT'S EAST": a saint's name in capitals after a place preposition.
_CAPS_SAINT = re.compile(rf"{_PLACE_PREP}(?P<f>(?:ST|SAINT|MT|MOUNT)\.?[ \t]+[A-Z][A-Z'\u2019-]+"
                         rf"(?:[ \t]+[A-Z][A-Z'\u2019-]+){{0,3}})(?![\w'-])")
# "at The Hartford": a capitalised "The" in mid-sentence opens a name.
_THE_PLACE = re.compile(rf"(?<=[a-z,;][ \t])(?:at|from|by|to|via|through|with)[ \t]+(?P<f>The[ \t]+{_CAPWORD}"
                        rf"(?:[ \t]+(?:of[ \t]+|&[ \t]+|and[ \t]+)?{_CAPWORD}){{0,4}})")
# "from Rite Aid #4417": a store or unit number after capitalised words.
_NUMBERED = re.compile(rf"{_PLACE_PREP}(?:the[ \t]+)?(?P<f>(?:{_CAPWORD}[ \t]+){{0,3}}{_CAPWORD}"
                       rf"[ \t]+#[ \t]?\d{{1,6}})")
# "RadNet Imaging – Silver Spring", "Mayo Clinic Health System in Eau Claire": a campus or place after the name.
_CAMPUS_AFTER = re.compile(rf"(?:[ \t]+[-\u2013\u2014][ \t]+(?:The[ \t]+)?|[ \t]*[\u2013\u2014][ \t]*|"
                           rf"[ \t]+(?:at|in)[ \t]+|/)"
                           rf"(?P<p>{_CAPWORD}\.?(?:[ \t]+{_CAPWORD}\.?){{0,4}})")
# "Brigham and Women's", "Rady Children's": a possessive joined to the name.
_POSSESSIVE_AFTER = re.compile(r"[ \t]+(?:and|&)[ \t]+[A-Z][a-z]+['\u2019]s\b|[ \t]*&[ \t]*[A-Z][a-z]+(?![\w'\u2019-])")
# "Providence St. Vincent, Portland": a city after a comma, before the sentence goes on.
_CITY_AFTER = re.compile(r",[ \t]+(?P<p>[A-Z][a-z]{3,}(?:[ \t]+[A-Z][a-z]{2,})?)(?=[ \t]+[a-z\d]|[ \t]*[.;:)]|[ \t]*$)",
                         re.MULTILINE)
_UNIT_AFTER = re.compile(r"(?:/[a-z]+)?[ \t]+(?:#[ \t]?\d{1,6}|[A-Z]{2,4}\d{1,3})(?![\w-])|[ \t]*\([A-Z]{2,8}\)|"
                         # a store or unit number: "Walmart Pharmacy 10-2318", "CVS Store 0921", "Unit 7"
                         r"[ \t]+(?:(?:Store|Unit|Location|Loc\.|No\.|Site|Branch|Station|Suite|Ste\.|Base)"
                         r"[ \t]*#?[ \t]*\d{1,6}|\d{1,5}-\d{3,6})(?![\w-])|"
                         r"(?:(?<=Store)|(?<=Unit)|(?<=Suite)|(?<=Base))[ \t]+#?\d{1,6}(?![\w-])|"
                         # a room or a floor of the place: "Lakeshore ASC OR 3", "Mercy Hospital 4 West Obs"
                         r"[ \t]+(?:OR|Room|Rm\.?|Bay|Pod)[ \t]?#?\d{1,3}(?![\w-])|"
                         r"[ \t]+\d{1,2}(?:[ \t]?(?:West|East|North|South)(?:[ \t]+(?:Obs|ICU|Tele|Telemetry|"
                         r"Observation|Unit|Rehab|Med-Surg|Surg|Medical|Surgical|Oncology|Ortho|PCU|Stepdown))?|"
                         r"[NSEW])(?![\w-])|"
                         r"(?<=Pharmacy)[ \t]+\d{2,6}(?![\w.-])(?![ \t]*(?:mg|mcg|ml|mL|units?|tabs?|caps?|days?|%))|"
                         r",?[ \t]+(?:P\.A\.|P\.C\.|PLLC|LLC|"
                         r"L\.L\.C\.|Inc\.|LLP|Ltd\.|S\.C\.|PA|PC)(?![\w-])")
# The words that name a part or site of a place before its number or letter ("Site 2", "Suite B", "Level II").
SITE_WORDS = (r"(?:Store|Unit|Site|Suite|Ste\.|Location|Station|Building|Bldg\.?|District|Region|Dept\.|Division|Pod|"
              r"Base|Level|Floor|Fl\.?|Bed|Room|Rm\.?)")
# Round 36: a site after a dash or comma that the rules above do not read: a numbered unit or store ("Fresenius Kidney
# Care Northside - Unit 2217"), a road ("Quest Diagnostics PSC - Route 9"), a named clinic of the place after a dash
# ("Bellevue Hospital Center - Chest Clinic"); a lab's patient service centre ("PSC"). Every facility span reads it
# (phi._place_tail), as many times as sites follow ("- Core Lab, 2nd Floor").
SITE_AFTER = re.compile(
    rf"(?:,|[ \t]+[-\u2013\u2014])[ \t]+(?:{SITE_WORDS}[ \t]*#?[ \t]*(?:\d{{1,6}}[A-Z]?|[A-Z]|[IVX]{{1,4}})|"
    r"(?:Route|Rte\.?|Hwy\.?|Highway|US|SR)[ \t]*\d{1,4}(?:[ \t]+(?:Plaza|Crossing|Commons|Center|Centre))?|"
    # Round 44: a floor after a comma ("Heritage Oaks Nursing Home, 2 West"), a surgery centre's letters; round 45: a
    # floor by its ordinal ("- 3rd fl", ", 4th Floor"), a trauma centre's level, a lab's patient service centre
    r"\d{1,2}[ \t]?(?:West|East|North|South)(?:[ \t]+(?:Cardiac|Surgical|Medical|Neuro)?[ \t]*(?:Stepdown|Step-Down|"
    r"ICU|PCU|Tele|Telemetry|Obs|Observation))?|ASC|\d{1,2}(?:st|nd|rd|th)[ \t]+(?i:floor|fl\.?)|"
    r"Patient[ \t]+Service[ \t]+Center(?:[ \t]*#[ \t]*\d{1,6})?)(?:[ \t]+Trauma(?:[ \t]+Cent(?:er|re))?)?(?![\w-])|"
    r"[ \t]+[-\u2013\u2014][ \t]+(?:[A-Z][a-z]+[ \t]+){1,2}(?:Clinic|Unit|Lab|Laboratory|Pharmacy)(?![\w'\u2019-])|"
    # Round 45: the section or department of a lab after a comma or dash ("Public Health Laboratory, Virology
    # Section"), a specialty's office before its floor ("- Cardiology, 4th Floor")
    r"(?:,|[ \t]+[-\u2013\u2014])[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?[ \t]+Section(?![\w'\u2019-])|"
    r"[ \t]+[-\u2013\u2014][ \t]+[A-Z][a-z]+(?:ology|iatry|iatrics)(?=,[ \t]+\d)|"
    # Round 47: a designation in brackets ("(Primary Stroke Center)", "(Level I Trauma Center)")
    r"[ \t]*\((?:(?:Primary|Comprehensive|Thrombectomy-Capable|Acute)[ \t]+Stroke[ \t]+"
    r"(?:Center|Centre|Ready[ \t]+Hospital)|"
    r"Level[ \t]+(?:I{1,3}|IV|V|\d)[ \t]+Trauma(?:[ \t]+Cent(?:er|re))?)\)")
_PSC_AFTER = re.compile(r"[ \t]+(?:PSC|Patient Service Center)(?![\w-])")
_NAME_ENDS_HERE = re.compile(r"[ \t]*(?:[.,;:)]|$)|[ \t]+(?:for|in|on|at|to|and|with|last|this|since|after|before|"
                             r"until|over|because|where|which|x|\d)\b", re.MULTILINE)
_JOINED_BEFORE = re.compile(rf"(?<![\w'\u2019-]){_CAPWORD}[ \t]+(?:&|and)[ \t]+$")


_HEAD_WORD = (r"(?:Hospital|Center|Centre|Clinic|Institute|Associates|Group|Practice|Imaging|Radiology|Laboratory|"
              r"Labs?|Pharmacy|Hospice|Rehab|Rehabilitation|Health|Healthcare|Medicine|Pediatrics|Orthopedics|"
              r"Surgery|Specialists|Physicians|Partners|Program|Agency|Services|System|Home|Living|Care)")
# "Heart & Vascular Institute at Lakewood": generic words, a facility word, then the place that names it.
_HEAD_AT_PLACE = re.compile(
    rf"(?<![\w'\u2019.-])(?P<f>(?:{_CAPWORD}[ \t]+(?:(?:&|and|of)[ \t]+)?){{1,4}}{_HEAD_WORD}[ \t]+(?:at|in|of)"
    rf"[ \t]+(?P<p>{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,2}}))")
# "at Rehab Without Walls": a function word written with a capital inside a run of capitalised words.
_TITLE_CASE = re.compile(
    rf"{_PLACE_PREP}(?:the[ \t]+)?(?P<f>{_CAPWORD}(?:[ \t]+{_CAPWORD})*[ \t]+(?:&|Without|With|For|Of|The|And|In|On|At|"
    rf"To|Beyond|Over|Under|Across|Into|Within)[ \t]+{_CAPWORD}(?:[ \t]+{_CAPWORD})*)")
# Words of a department or a kind of place, not of a name.
_GENERIC_PLACE = frozenset(re.findall(r"\S+", """outpatient inpatient pharmacy department dept clinic center centre
hospital medical health care services unit lab laboratory imaging radiology rehab rehabilitation emergency room
office practice group associates physicians surgery surgical infusion dialysis family medicine internal the of and
& at for university memorial regional community general urgent primary specialty ambulatory behavioral"""))
_DOCUMENT_WORDS = frozenset(re.findall(r"\S+", """note notes report summary consult consultation progress history
letter assessment plan physical examination discharge admission operative procedure visit encounter addendum
orders order instructions record records"""))
_NOT_PLACE = frozenset(re.findall(r"\S+", """january february march april may june july august september october
november december monday tuesday wednesday thursday friday saturday sunday the this that least home last"""))


def facility_form_spans(text: str) -> list[tuple[int, int]]:
    """Facilities by their form: capitals with a facility word, "The X", a store number, a facility word with
    the place it is at, a capitalised function word inside a name."""
    lex = lexicon()
    out = [(m.start("f"), m.end("f")) for rx in (_CAPS_FACILITY, _THE_PLACE, _NUMBERED, _TITLE_CASE, _BRACKETED_UNIT,
                                                 _CAPS_SAINT)
           for m in rx.finditer(text)]

    def generic(words: str) -> bool:
        return all(w.lower().strip(".,") in _GENERIC_PLACE or w.lower().strip(".,") in STOP_WORDS
                   or w.lower().strip(".,") in lex.clinical for w in words.split())

    def distinctive(word: str) -> bool:     # "LAKE", "RUSH", "MAGIC"; not "HEART", "FAILURE", "CLINIC"
        w = word.lower().strip(".,")
        return w not in FACILITY_GENERIC and w not in _GENERIC_PLACE and w not in STOP_WORDS \
            and (w not in lex.clinical or w in lex.common_family or w in lex.given)

    out += [(m.start("f"), m.end("f")) for m in _VA_PLACE.finditer(text)
            if m.group("f").split()[1].lower() not in _GENERIC_PLACE | FACILITY_GENERIC | STOP_WORDS]
    out += [(m.start("f"), m.end("f")) for m in _PLACE_VA.finditer(text)
            if not all(w.lower() in _GENERIC_PLACE | FACILITY_GENERIC | STOP_WORDS for w in m.group("f").split()[:-1])]
    out += [(m.start("f"), m.end("f")) for m in _CAPS_RUN.finditer(text)
            if any(distinctive(w) for w in m.group("f").split())]
    # A field says it is a place: only words of a kind of place ("Location: Emergency Department") are kept.
    # Names are written with capitals: "Location: Morbid obesity." is no place.
    out += [(m.start("f"), m.end("f")) for m in _PLACE_FIELD.finditer(text)
            if not all(w.lower().strip(".,") in _GENERIC_PLACE for w in m.group("f").split())
            and not re.search(r"(?<![\w'-])[a-z]{4,}", m.group("f"))]
    # the name must have a word no everyday list holds, or a family name or a town ("Awaiting SNF" names none)
    out += [(m.start("f"), m.end("f")) for m in _BEFORE_KIND_LETTERS.finditer(text)
            if any(w.lower() not in lex.english and w.lower() not in lex.clinical and w.lower() not in STOP_WORDS
                   or w.lower() in lex.common_family or w.lower() in us_places() for w in m.group("f").split()[:-1])]
    out += [(m.start("f"), m.end("f")) for m in _LETTERHEAD.finditer(text)
            if generic(m.group("d")) and not generic(m.group("f"))
            and not any(w.lower() in _DOCUMENT_WORDS for w in m.group("f").split())]
    out += [(m.start("f"), m.end("f")) for m in _HEAD_AT_PLACE.finditer(text)
            if m.group("p").split()[0].lower() not in _NOT_PLACE and m.group("p").split()[0].lower() not in STOP_WORDS
            and not re.search(rf"\b{_HEAD_WORD}\b", m.group("p"))]      # "Rehab at Union Hospital": a place
    return out


# The rest of a name that lists its services after a comma ("Cleveland Clinic Heart, Vascular & Thoracic Institute").
_LISTED_AFTER = re.compile(rf",[ \t]+{_CAPWORD}(?:,?[ \t]+(?:&[ \t]+|and[ \t]+)?{_CAPWORD}){{1,5}}?[ \t]+"
                           rf"(?:Institute|Center|Centre|Clinic|Hospital|Program|Services)\b")


# Where a town or campus stands after a facility's name: after a comma, a dash, "in", "at" or "/", or right after it.
_TOWN_SEPARATOR = re.compile(r",[ \t]+|[ \t]+[-\u2013\u2014][ \t]+|[ \t]*[\u2013\u2014][ \t]*|[ \t]+(?:in|at)[ \t]+|/"
                             r"|[ \t]+")
_TOWN_WORD = re.compile(r"(?:St|Ft|Mt)\.|[A-Z][a-z]+(?:['\u2019.-][A-Za-z]+)*")
# What a town's name may be followed by that belongs to the place: "Springdale plant", "Lone Tree campus".
_SITE_AFTER = re.compile(r"[ \t]+(?:plant|campus|location|site|branch|office|store|warehouse|facility|clinic|hub|"
                         r"distribution[ \t]+center)(?![\w'\u2019-])")
# A kind of place in lowercase right after a facility's name: "Valley Medical Center annex", "Sweetwater County Jail
# medical unit", "Meadowlark Manor nursing home's", "Crossroads Behavioral Health crisis center", "OptumRx mail order".
_LOWER_KIND_AFTER = re.compile(r"[ \t]+(?:(?:nursing|group)[ \t]+home|mail[ \t-]order(?:[ \t]+pharmacy)?|"
                               r"(?:(?:crisis|methadone|dialysis|infusion|surgery|cancer|wound|urgent|medical|health|"
                               r"treatment|detox|rehab|specialty)[ \t]+)?(?:center|centre|clinic|unit|annex|campus|"
                               r"dept|department|program|facility|pharmacy|lab|laboratory))(?:['\u2019]s)?"
                               r"(?![\w'\u2019-])")
# Which of a system's sites, after a comma or dash: "Lakeside Regional, north campus", "Intermountain Health,
# St. George campus", "Aspen Dental, Route 9 office".
_SITE_NAMED_AFTER = re.compile(
    r"(?:,[ \t]+|[ \t]+[-\u2013\u2014][ \t]+)(?:(?:St\.|Mt\.|Ft\.|[A-Z][a-z]+|north|south|east|west|main|downtown|"
    r"central|upper|lower|old|new|Route|Rte\.?|Hwy|Highway|\d{1,4})[ \t]+){1,3}(?:campus|office|annex|location|site|"
    r"branch|plant|building|tower|pavilion|facility|unit|clinic|satellite)(?:['\u2019]s)?(?![\w'\u2019-])")


def _ordinary(word: str) -> bool:
    """A word that says something besides a place: clinical, generic, a stop word, a month or day."""
    lex = lexicon()
    low = word.lower()
    return (low in lex.clinical and low not in lex.clinical_proper) or low in STOP_WORDS or low in _GENERIC_PLACE \
        or low in FACILITY_GENERIC or low in MONTHS_DAYS


def town_after(text: str, start: int, end: int) -> int:
    """The end of a US town or campus written after the facility name at ``start:end`` ("UCHealth Lone Tree",
    "Allina Mercy Hospital, Coon Rapids", "Tyson Foods, Springdale plant"), or ``end``. The town may begin at
    one of the name's last two words ("Lone" of "UCHealth Lone" + "Tree"). A town written right after the name
    with no comma or dash must be two words, or one that is no everyday word."""
    places = us_places()
    english = lexicon().english
    tail = [m for m in re.finditer(r"\S+", text[start:end])][-2:]
    starts = [(start + m.start(), False) for m in tail if len(tail) > 1 or m.start() > 0]
    sep = _TOWN_SEPARATOR.match(text, end)
    if sep:
        starts.append((sep.end(), sep.group().strip() not in ("", "in", "at")))
    best = end
    for pos, marked in starts:
        words: list[re.Match[str]] = []
        at = pos
        while len(words) < 5:
            w = _TOWN_WORD.match(text, at)
            if not w:
                break
            words.append(w)
            nxt = re.match(r"[ \t]", text[w.end():w.end() + 1])
            if not nxt:
                break
            at = w.end() + 1
        for size in range(len(words), 0, -1):
            town_end = words[size - 1].end()
            if town_end <= end or text[words[0].start():town_end].lower() not in places:
                continue
            names = [w.group() for w in words[:size]]
            # "Lone Tree", "Cedar Rapids": a town of two words may hold a clinical one, not only such words
            if all(_ordinary(n) for n in names) or not marked and _ordinary(names[0]) or size == 1 and not marked and (
                    names[0].lower() in english) or names[-1].lower() in STOP_WORDS | _GENERIC_PLACE | MONTHS_DAYS:
                continue
            site = _SITE_AFTER.match(text, town_end)
            best = max(best, site.end() if site else town_end)
            break
    return best


def facility_extensions(text: str, facilities: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A facility's number after it ("Center BWI2", "Walgreens #88"), its campus or city, and "Women &" before it."""
    lex = lexicon()
    out = []
    for start, end in facilities:
        rest = re.match(r"\w+", text[end:])
        if rest:        # never end inside a word ("Center BWI|2")
            out.append((end, end + rest.end()))
        campus = _CAMPUS_AFTER.match(text, end)
        place = campus.group("p").split() if campus else []
        if campus and place and place[0].lower() not in _NOT_PLACE \
                and not all(w.lower() in STOP_WORDS or w.lower() in _GENERIC_PLACE for w in place):
            site = _SITE_AFTER.match(text, campus.end())      # "Ochsner Medical Center - West Bank campus"
            out.append((end, site.end() if site else campus.end()))
            end = out[-1][1]
        site = _SITE_NAMED_AFTER.match(text, end)
        if site:
            out.append((end, site.end()))
            end = site.end()
        site = _PSC_AFTER.match(text, end)
        if site:
            out.append((end, site.end()))
            end = site.end()
        city = None if _UNIT_AFTER.match(text, end) else _CITY_AFTER.match(text, end)
        if city and not any(w.lower() in lex.clinical or w.lower() in STOP_WORDS or w.lower() in BRANDS
                            or w.lower() in _GENERIC_PLACE or w.lower() in _NOT_PLACE for w in city.group("p").split()):
            site = _SITE_AFTER.match(text, city.end("p"))       # "Tyson Foods, Springdale plant"
            out.append((end, site.end() if site else city.end("p")))
            end = out[-1][1]
        owner = _POSSESSIVE_AFTER.match(text, end)
        if owner:
            # "Crossroads Hospice & Palliative Care": the kind of place after the joined word is the name's too
            joined = re.match(r"[ \t]+([A-Z][a-z]+)(?![\w'\u2019-])", text[owner.end():])
            end = owner.end() + joined.end() if joined and joined.group(1).lower() in FACILITY_GENERIC else owner.end()
            out.append((owner.start(), end))
        listed = _LISTED_AFTER.match(text, end)
        if listed:
            out.append((end, listed.end()))
            end = listed.end()
        kind = _LOWER_KIND_AFTER.match(text, end)
        if kind:
            out.append((end, kind.end()))
            end = kind.end()
        region = region_after(text, end)
        if region > end:
            out.append((end, region))
            end = region
        street = street_after(text, end)
        if street > end:
            out.append((end, street))
            end = street
        town = town_after(text, start, end)
        if town > end:
            out.append((end, town))
            end = town
        after = _UNIT_AFTER.match(text, end)
        if after:
            out.append((end, after.end()))
            end = after.end()
        before = _JOINED_BEFORE.search(text, max(0, start - 30), start)
        if before:
            out.append((before.start(), start))
        elif text[max(0, start - 4):start] == "The " and not text[max(0, start - 5):start - 4].isalnum() \
                or text[max(0, start - 4):start] == "the " and _NAME_ENDS_HERE.match(text, end):
            # "The Christ Hospital", "transferred to the Brigham for": the article is part of the name as
            # people write it; not where the name qualifies a noun ("the UVMC ED", "the UTMB medical director")
            out.append((start - 4, start))
    return out
