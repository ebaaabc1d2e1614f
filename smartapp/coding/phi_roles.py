"""Clinicians named by one everyday word where only a person can stand (a layer of :mod:`.phi`, rounds 36–39).

The rules elsewhere leave a lone capitalised word alone when it is also an English word ("Rivers", "Park", "Marsh",
"Winters"), unless a title or a first name stands beside it. Blind parts keep writing such surnames in slots that
hold a person and nothing else: a service in brackets beside them ("Rivers (interventional cardiology)",
"dermatology (Wood)"), a hand-off ("Handoff: Baker ->", "s/o to Stone", "covering for Summer"), "<name> aware", a
chat agent ("(agent: Young)"), a note's author ("ADDENDUM (Small)"), a title with no space or with a particle
("Dr.Marsh", "Dr. de los Santos"), what the clinician will do at a sentence's start ("Marsh to follow", "Moss to
f/u"), and a surname after a given name and a middle initial ("Bryce F Strong").

Here the word counts when it is one of the census's frequent family names, or a name it lists that is no clinical
word, and no stop word or service.
"""
from __future__ import annotations

import re

from .phi_names import SERVICES
from .phi_words import BRANDS, STOP_WORDS, lexicon

_CAP = r"[A-Z][a-z]+(?:[-'\u2019][A-Z][a-z]+)?"
_SERVICE = r"(?:[a-z]+[ \t]+)?(?:[a-z]+(?:ology|iatry|iatrics)|[a-z-]+)"
# "Rivers (interventional cardiology)", "Bishop (hospitalist)", "Marsh (night float)"
_NAME_THEN_SERVICE = re.compile(rf"(?<![\w'\u2019.-])(?P<n>{_CAP})[ \t]+\((?P<s>{_SERVICE})\)")
_PATTERNS = (
    _NAME_THEN_SERVICE,
    # "dermatology (Wood)", "palliative care (Hunter)", "Anesthesia (Park)"
    re.compile(rf"(?P<s>[A-Za-z]+(?:[ \t]+[a-z]+)?)[ \t]+\((?P<n>{_CAP})\)"),
    # "Handoff: Baker ->", "Handoff to Marsh", "s/o to Stone", "covering for Summer", "signed out to Frost"
    re.compile(rf"(?i:hand[ -]?off|s/o|sign[ -]?out|signed[ \t]+out|covering)(?:[ \t]*:|[ \t]+(?:to|for))[ \t]+"
               rf"(?P<n>{_CAP})(?![\w'\u2019-])"),
    # "Winters aware of troponin", "np Park aware"
    re.compile(rf"(?:^|(?<=[.;:!?][ \t])|(?<=\b(?:np|pa|md|rn|Dr|NP|PA|MD|RN)[ \t]))(?P<n>{_CAP})[ \t]+aware\b",
               re.MULTILINE),
    # "(agent: Young)", "(rep: Castle)"
    re.compile(rf"\((?i:agent|rep|representative|nurse|rn|np|scribe|interpreter|navigator)[ \t]*:[ \t]*"
               rf"(?P<n>{_CAP})\)"),
    # "ADDENDUM (Small):", "Attestation (Moss)"
    re.compile(rf"(?i:addendum|attestation|late[ \t]+entry|co-?signed|reviewed)[ \t]*\((?P<n>{_CAP})\)"),
    # "Dr.Marsh"
    re.compile(rf"\bDr\.(?P<n>{_CAP})(?![\w'\u2019-])"),
    # Round 37: what a clinician will do, opening a sentence: "Marsh to follow for implant mapping", "Frank to complete
    # the face-to-face"
    re.compile(rf"(?:^|(?<=[.;!?][ \t]))(?P<n>{_CAP})[ \t]+to[ \t]+(?:f/u|follow|see|review|complete|call|evaluate|"
               r"manage|discuss|assess|recheck|arrange|schedule|place|perform|round|sign|co-?sign|staff|d/c|discharge|"
               r"dictate)\b",
               re.MULTILINE),
    # Round 40: "f/u Ibarra 2 wk", "Hill - please call pt", "touch base with Park",
    # "Reviewed and agree. -- Hale"
    # (round 53: a booking too, "sched w/ Young 3/14 @ 10:15")
    re.compile(rf"\b(?:f/u|(?i:sched|scheduled|booked|rescheduled|appt))(?:[ \t]+(?:w/?|with))?[ \t]+(?P<n>{_CAP})"
               rf"[ \t]+(?:in[ \t]+|on[ \t]+)?\d"),
    re.compile(rf"^[ \t]*(?P<n>{_CAP})[ \t]+[-\u2013][ \t]+(?i:please|pls|plz)\b", re.MULTILINE),
    re.compile(rf"\b(?i:touch(?:ed)?[ \t]+base|conferred|checked[ \t]+in|discuss(?:ed)?|rounded|talked|spoke|reviewed)"
               rf"[ \t]+(?:with|w/)[ \t]*(?P<n>{_CAP})(?![\w'\u2019-])"),
    # two dashes, not a list's bullet ("- Krintafel" alone on its line is a drug)
    re.compile(rf"(?:^|(?<=[.!][ \t]))[ \t]*--[ \t]*(?P<n>{_CAP})[ \t]*$", re.MULTILINE),
    # Round 41: "Supervising MD: Page" (the name alone to the line's end), "Destiny reports good fetal movement", a
    # signature after a dash ("Thanks! -Camille St. Pierre")
    # (round 51: a trial's "Treating investigator: Winters (Patient Navigation)")
    re.compile(rf"(?i:supervising|attending|ordering|referring|covering|consulting|rendering|treating|principal)"
               rf"(?:[ \t]+(?i:md|physician|provider|np|pa|surgeon|clinician|investigator))?[ \t]*:[ \t]*(?P<n>{_CAP})"
               rf"[ \t]*(?:$|\()", re.MULTILINE),
    re.compile(rf"(?:^|(?<=[.!?][ \t]))(?P<n>{_CAP})[ \t]+(?:reports|denies|endorses|complains)\b", re.MULTILINE),
    # Round 53: a clinician by family name and a role's letters in brackets ("Team: Xu (SW)"), whom a patient asks to
    # see or not ("pt refuses to see Price again", "can i see Cook instead"), who is in ("is Wood in today?"), whose
    # inbox a message went to ("sent to Wood's inbox")
    re.compile(rf"(?<![\w'\u2019.-])(?P<n>{_CAP})[ \t]*"
               r"\((?:SW|RN|NP|PA|MD|DO|OT|PT|SLP|RD|CM|LCSW|MSW|PharmD|CNA|MA)\)"),
    re.compile(rf"\b(?i:see|seeing|saw)[ \t]+(?P<n>{_CAP})[ \t]+(?:again|instead|anymore|today|tomorrow)\b"),
    re.compile(rf"\bis[ \t]+(?P<n>{_CAP})[ \t]+in[ \t]+(?:today|tomorrow|the[ \t]+office|clinic)\b"),
    re.compile(rf"(?<![\w'\u2019.-])(?P<n>{_CAP})['\u2019]s[ \t]+(?:inbox|in-basket|basket|queue|schedule|panel)\b"),
    # Round 52: what a chat says a clinician should do ("Okafor: please call mom"), a clinician's advice asked for
    # ("touch base w/ Miller-Kane")
    re.compile(rf"^[ \t]*(?P<n>{_CAP}):[ \t]+(?i:please|pls|plz|can[ \t]+you|could[ \t]+you|fyi)\b", re.MULTILINE),
    re.compile(rf"(?<=[.!][ \t])-(?P<n>{_CAP})(?=[ \t]+[A-Z])"),     # not a list's "- Multiparametric MRI"
    # Round 42: a chat's mention ("@Price can you ..."), a message's addressee ("Message to Wu: ...")
    re.compile(rf"(?<![\w@])@(?P<n>{_CAP})(?![\w'\u2019-])"),
    re.compile(rf"\b(?i:message|msg|note|fyi|question)[ \t]+(?:to|for)[ \t]+(?P<n>{_CAP})[ \t]*:"),
    # Round 44: "Petrov: agree with plan", "Hill reviewed the X-rays and concurs"
    re.compile(rf"^[ \t]*(?P<n>{_CAP}):[ \t]+(?i:agree|agrees|concur|concurs|ok|okay)\b", re.MULTILINE),
    re.compile(rf"(?:^|(?<=[.!?][ \t]))(?P<n>{_CAP})[ \t]+(?:reviewed|concurs|agrees|recommends)\b", re.MULTILINE),
    # Round 45: "Awaiting callback from Hunter re: bed", "page from Ford"
    re.compile(rf"\b(?i:call[ -]?back|return[ \t]+call|page|text|message|msg)[ \t]+from[ \t]+"
               rf"(?P<n>{_CAP})(?![\w'\u2019-])"),
    # Round 47: a role noun before a given and a family name ("Field clinical rep Lamar Stone", "Promotora Jamal
    # Price"), a role's label before one family name ("Operator: Banks")
    re.compile(rf"\b(?i:rep|representative|promotora|promotor|navigator|chw|doula|chaplain|liaison|advocate|"
               rf"volunteer|interpreter|scribe|coach|sonographer|technologist)[ \t]+"
               rf"(?P<n>{_CAP}(?:[ \t]+(?:(?:de[ \t]+la|de|van|von|del|da|al|el)[ \t]+)?{_CAP}){{1,2}})"
               rf"(?![\w'\u2019-])"),
    re.compile(rf"^[ \t]*(?i:operator|sonographer|technologist|interpreter|scribe|perfusionist)[ \t]*:[ \t]*"
               rf"(?P<n>{_CAP})[ \t]*$", re.MULTILINE),
    # "Note routed to Young for co-signature"
    re.compile(rf"\b(?i:routed|forwarded|sent|assigned|pended)[ \t]+to[ \t]+(?P<n>{_CAP})[ \t]+for[ \t]+"
               rf"(?i:co-?signature|co-?sign|signature|review|sign-?off)\b"),
)
# Round 52: a given name opening a sentence before what a patient does in a chat ("Dolores is refusing am labs"), and a
# given name whose relative is spoken of ("Sofia's older brother"): the patient, whom an upload's header may not name.
_GIVEN_ACTS = re.compile(rf"(?:^|(?<=[.!?][ \t]))(?P<n>{_CAP})[ \t]+(?:is[ \t]+(?:refusing|asking|requesting)|"
                         r"refuses|refused|keeps[ \t]+asking)\b", re.MULTILINE)
_GIVEN_RELATIVE = re.compile(rf"(?<![\w'\u2019-])(?P<n>{_CAP})['\u2019]s[ \t]+(?:(?:older|younger|twin|big|little|"
                             r"half|step)[ \t-]*)?(?:brother|sister|sibling|mother|father|mom|dad|parents|grandmother|"
                             r"grandfather|aunt|uncle|cousin)s?\b")
# Round 51: a frequent family name opening a sentence before "confirmed" ("Lake confirmed eligibility labs"); a test
# confirms things too ("Pathogram confirmed ..."), so a word no list knows is no name here.
_CONFIRMED = re.compile(rf"(?:^|(?<=[.!?][ \t]))(?P<n>{_CAP})[ \t]+(?:confirmed|confirms)\b", re.MULTILINE)
# Round 45: who verified or performed a result, "Last/First" after the label ("Result verified: Rahimi/Hamid"), and a
# signature after "/s/" ("/s/ Jun D Le").
_SLASHED_PAIR = re.compile(rf"\b(?i:verified|resulted|performed|collected|accessioned|released|tech|technologist|"
                           rf"completed|entered|recorded|documented|screened|interviewed|nursing|nurse|rn|staff)"
                           rf"(?:[ \t]+(?i:by))?[ \t]*:[ \t]*(?P<a>{_CAP}(?:[ \t]{_CAP})?)[ \t]*/[ \t]*"
                           rf"(?P<b>{_CAP}(?:[ \t]{_CAP})?)(?![\w/'\u2019-])")     # one space: "Grace  Time in:"
# Round 47: a message's sender or addressee as "Last, First" ("From: Do, Anh").
# (round 53: or a credential in brackets, "To: Frost, Will (MD)")
_FROM_LAST_FIRST = re.compile(rf"^[ \t]*(?i:from|to|cc|sender|author|recipient)[ \t]*:[ \t]*(?P<a>{_CAP}),[ \t]*"
                              rf"(?P<b>{_CAP}(?:[ \t]+{_CAP})?)(?:[ \t]+[A-Z]\.?)?(?:[ \t]*<[^>\n]*>|"
                              rf"[ \t]*\([A-Za-z.-]{{1,8}}\))?[ \t]*$", re.MULTILINE)
# Round 51: a study team's list, "Last, First M - Role" ("Lake, Amara F - Sub-Investigator").
_LAST_FIRST_ROLE = re.compile(rf"^[ \t]*(?P<a>{_CAP}),[ \t]*(?P<b>{_CAP})(?:[ \t]+[A-Z]\.?)?[ \t]+[-\u2013\u2014][ \t]+"
                              r"(?:Sub-?|Co-?)?[A-Z][a-z]+(?:or|er|ist|ian)\b", re.MULTILINE)
_SIGNED_SLASH_S = re.compile(rf"(?<![\w/])/s/[ \t]*"
                             rf"(?P<n>{_CAP}(?:[ \t]+[A-Z]\.?)?(?:[ \t]+{_CAP}|[ \t]+[A-Z][a-z]){{1,2}})"
                             rf"(?![\w'\u2019-])")
# A given name, a middle initial and a surname that is an everyday word: "Bryce F Strong", "Ruth E. Friend".
_GIVEN_INITIAL = re.compile(rf"(?<![\w'\u2019.-])(?P<g>[A-Z][a-z]+)[ \t]+[A-Z]\.?[ \t]+(?P<n>{_CAP})(?![\w'\u2019-])")
# A title, a given name, a middle initial and a family name: "Dr. Bernard H Sterling", "Dr. Hyun-woo J Park".
_TITLE_GIVEN_INITIAL = re.compile(rf"\b(?:Dr|Drs|Prof)\.?[ \t]+[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?[ \t]+[A-Z]\.?[ \t]+"
                                  rf"(?P<n>{_CAP})(?![\w'\u2019-])")
# A title, then a particle: "Dr. de Wit", "Dr. de los Santos's".
_TITLE_PARTICLE = re.compile(r"\b(?:Dr|Drs|Prof)\.?[ \t]+(?P<n>(?:de|van|von|der|den|del|della|da|di|le|la|du|dos|das)"
                             r"(?:[ \t]+(?:la|los|las|der|den|de))?[ \t]+[A-Z][a-z]+(?:[-'\u2019][A-Z][a-z]+)?)")
_PERSON_CUE = re.compile(r"(?:\bw/|\b(?i:with|to|per|from|by|cc|team):?|[,;])[ \t]*$")
# Words the census lists that stand in these slots without being a person ("Consult (cardiology)", "Team aware").
_NOT_PERSON = frozenset(re.findall(r"\S+", """consult consults referral note notes echo plan team family patient wife
husband mother father son daughter nursing pharmacy social case call page recs appointment visit report staff
charge unit floor service services clinic office lab labs imaging radiology rapid code surgery medicine oncology
cardiology anesthesia psych therapy rehab hospice home transport security chaplain interpreter attending resident
fellow intern provider doctor nurse parent parents guardian caregiver mom dad sister brother aunt uncle grandmother
grandfather grandma grandpa spouse partner cards teacher coach employer aide caseworker friend neighbor
self""")) | SERVICES


def _person(word: str) -> bool:
    low = word.lower()
    lex = lexicon()
    # A frequent surname counts even when it is a clinical word too ("Stone", "Baker", "Hunter"): the slot says who
    # A word no list knows stands there as a name too ("f/u Okonjo 2 wk"), unless it is a brand ("f/u Keytruda")
    return (low in lex.common_family or (low in lex.family or low in lex.given) and low not in lex.clinical
            or low not in lex.english and low not in lex.clinical and low not in BRANDS) \
        and low not in STOP_WORDS and low not in _NOT_PERSON


# Services named in a few words, or by a word no service list holds ("cornea (Bishop)", "on-call (Ford)").
_SERVICE_WORDS = frozenset(("night float", "sports medicine", "palliative care", "primary care", "telehealth",
                            "family medicine", "occ med", "occ health", "call", "cornea", "glaucoma", "oculoplastics",
                            "surg",      # (round 47: "Vasc surg (Rich)")
                            # round 51: a role in brackets ("Ward (forensic interviewer)", "Winters (data management)")
                            "interviewer", "investigator", "coordinator", "navigator", "advocate", "examiner",
                            "manager", "management", "navigation", "caseworker", "detective",
                            "eval", "evaluation"))      # round 53: "OT eval (Park) recommends"


def _service(words: str) -> bool:
    last = words.split()[-1].lower()
    return last in SERVICES or last in _SERVICE_WORDS or last.endswith(("ology", "iatry", "iatrics")) \
        or words.lower() in _SERVICE_WORDS


def role_slot_spans(text: str) -> list[tuple[int, int]]:
    """Everyday-word surnames in slots that hold a person only, and "Dr." with a particle."""
    lex = lexicon()
    out = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            service = m.groupdict().get("s")
            if not _person(m.group("n")) or service is not None and not _service(service):
                continue
            if pattern is _NAME_THEN_SERVICE and m.group("n").lower() in lex.clinical \
                    and not _PERSON_CUE.search(text, max(0, m.start() - 12), m.start()):
                continue        # "Stone (urology) follow-up", but "follows w/ Stone (urology)"
            out.append((m.start("n"), m.end("n")))
    out += [(m.start("n"), m.end("n")) for m in _CONFIRMED.finditer(text)
            if m.group("n").lower() in lex.common_family and _person(m.group("n"))]
    out += [(m.start("n"), m.end("n")) for rx in (_GIVEN_ACTS, _GIVEN_RELATIVE) for m in rx.finditer(text)
            if m.group("n").lower() in lex.given and _person(m.group("n"))]
    out += [(m.start("n"), m.end("n")) for m in _TITLE_PARTICLE.finditer(text)]
    out += [span for m in _SLASHED_PAIR.finditer(text) for span in (m.span("a"), m.span("b"))]
    out += [span for rx in (_FROM_LAST_FIRST, _LAST_FIRST_ROLE) for m in rx.finditer(text)
            for span in (m.span("a"), m.span("b"))]
    out += [m.span("n") for m in _SIGNED_SLASH_S.finditer(text)]
    out += [(m.start("n"), m.end("n")) for m in _TITLE_GIVEN_INITIAL.finditer(text)
            if m.group("n").lower() not in STOP_WORDS]
    out += [(m.start(), m.end()) for m in _GIVEN_INITIAL.finditer(text)
            if (g := m.group("g").lower()) in lex.given and g not in lex.clinical and g not in STOP_WORDS
            and _person(m.group("n"))]
    return out
