"""Patterns for PHI of anyone (not only the patient): the second layer of :mod:`.phi`.

Names are found by context, since no list of names is complete: after a title (Dr., Mrs.),
before a credential (", RN"), after a relationship word ("her daughter Rosa"), after verbs that
take a person ("spoke with", "scribed by"), before verbs that people do at the start of a sentence
("Rosa called"), or as a common given name followed by a capitalised word. Every name found this
way is then redacted wherever else it occurs in the note (see :func:`smartapp.coding.phi.redact`).
Clinical measurements that look like dates (murmur 2/6, strength 4/5, pain 7/10) are left alone.
"""
from __future__ import annotations

import re

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
           "NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR")
# One capitalised name word: Rosa, O'Brien, MacLeod, Soo-jin, Van (der Berg handled by _PARTICLE).
CAP = r"[A-Z][a-zA-Z'\u2019-]*[a-z][a-zA-Z'\u2019-]*"
_PARTICLE = r"(?:(?:van|von|der|de|del|della|da|di|le|la|los|las|du|bin|ibn|al)[ \t]+)"
# A wide gap before the next field's label, and the gap between two words of one name: one space, or a wider gap that
# is no field's (round 50: "Signed: Deborah Moore  Title: Camp Nurse" names Deborah Moore).
FIELD_GAP = r"[ \t]{2,}(?=[A-Z][\w'\u2019-]*(?:[ \t]*#)?:)"
WORD_GAP = rf"(?:[ \t](?![ \t])|(?!{FIELD_GAP})[ \t]{{2,}})"
NAME_WORDS = rf"{CAP}(?:{WORD_GAP}{_PARTICLE}{{0,2}}{CAP}){{0,2}}"
_CREDENTIALS = ("MD|M\\.D\\.|DO|NP|FNP|APRN|DNP|PA|PA-C|RN|LPN|LVN|CNA|CMA|MA|PT|DPT|OT|OTR|SLP|PharmD|RPh|RD|"
                "LCSW|LMFT|CNM|CRNA|MSW|PhD")
_RELATIONS = ("daughter|son|wife|husband|spouse|partner|sister|brother|mother|father|mom|dad|friend|neighbor|"
              "neighbour|caregiver|granddaughter|grandson|grandmother|grandfather|niece|nephew|aunt|uncle|cousin|"
              "fiance|fiancee|boyfriend|girlfriend|roommate|guardian|stepdaughter|stepson|interpreter|"
              "daughter-in-law|son-in-law|coworker|sponsor")
_BEFORE_NAME = ("spoke with|spoke to|speaking with|talked (?:with|to)|discussed (?:this )?with|conferred with|"
                "seen by|evaluated by|examined by|referred by|referred to|referral to|scribed by|dictated by|"
                "transcribed by|signed by|co-signed by|cosigned by|reviewed by|accompanied by|attended by|"
                "supervised by|in the presence of|message (?:left )?for|called|contacted|paged|texted|"
                "emergency contact|contact person|next of kin|attn|attention|cc|care of|c/o|per|"
                "follows with|following with|follows up with|established with|establish care with|"
                # round 51: who entered or witnessed a research record ("Query response entered by Fox 06/03")
                "entered by|initialed by|witnessed by|consented by|obtained by|"
                # round 52: "continue care with Stone locally", "recs from Marsh"
                "care with|recs from|recommendations from|"
                # round 53: "Per phone conversation with Wood"
                "conversation with|phone call with")
# Labels that introduce a person: "Attending: Rosa Delgado".
_ROLES = ("attending|attending physician|provider|physician|pcp|primary care|referring(?: physician| provider)?|"
          "resident|fellow|surgeon|scribe|author|signed|electronically signed by|authenticated by|pharmacist|"
          "therapist|guardian|caregiver|contact|poa|health care proxy|hcp|rendering provider|ordering provider")
# Verbs people do and drugs or tests do not ("Ibuprofen helps", "MRI reported" must stay).
_AFTER_NAME = ("called|phoned|calls|says|said|asked|asks|brought|brings|accompanies|accompanied|drove|"
               "relays|relayed|requested|agrees|agreed")

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("URL", re.compile(r"\b(?:https?://|www\.)\S+?(?=[.,;:)]?(?:\s|$))", re.IGNORECASE)),
    ("SSN", re.compile(r"(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])")),
    ("SSN", re.compile(r"\b(?:SSN|SS#|social security(?: number| no\.?| #)?)\s*[:#]?\s*(?P<v>\d[\d -]{7,10}\d)\b",
                       re.IGNORECASE)),
    ("PHONE", re.compile(r"(?<![\w/])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}\b")),
    ("ID", re.compile(r"\b(?:MRN|medical record(?: number| no\.?)?|acct|account(?: number| no\.?)?|member id|"
                      r"member number|subscriber id|patient id|id|insurance id|policy(?: number| no\.?)?|"
                      r"encounter(?: number| no\.?| id)|visit (?:number|id)|chart(?: number| no\.?)?|"
                      r"record(?: number| no\.?))\s*(?:#|no\.?|number)?\s*[:#]?\s*"
                      r"(?P<v>[A-Z]{0,4}-?\d[\w-]{3,})\b", re.IGNORECASE)),
    ("ID", re.compile(r"\b(?:medicare|medicaid|mbi|hicn)(?: number| id| no\.?| #)?\s*[:#]?\s*"
                      r"(?P<v>[A-Z0-9][\w-]{6,})\b", re.IGNORECASE)),
    ("ID", re.compile(r"\b[A-Z]{1,4}-?\d{5,}\b")),
    # Long digit runs are identifiers, not clinical values (which have decimals or separators).
    ("ID", re.compile(r"(?<![\w.,/])\d{7,}(?![\w.,/]\d)")),
    ("DATE", re.compile(
        rf"\b(?:\d{{1,2}}([/.-])\d{{1,2}}\1(?:\d{{4}}|\d{{2}})(?!\d)|\d{{4}}-\d{{2}}-\d{{2}}|"
        rf"\d{{1,2}}-(?:{_MONTHS})-\d{{2,4}}\b|"
        rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
        rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}|"
        rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|(?:{_MONTHS})\.?,?\s+(?:of\s+)?\d{{4}}\b|"
        rf"\d{{1,2}}(?:st|nd|rd|th)\s+of\s+(?:{_MONTHS})\b|(?:0?[1-9]|1[0-2])[/-](?:19|20)\d\d\b|"
        rf"(?:19|20)\d\d[/.](?:0?[1-9]|1[0-2])[/.](?:3[01]|[12]\d|0?[1-9])\b)",
        re.IGNORECASE)),
    # A bare month/day only where a date is expected: "on 3/14", "since 11/2"; never "2/6 murmur".
    ("DATE", re.compile(r"\b(?:on|since|from|until|till|through|thru|by|dated|date|dos|service|last|next|starting|"
                        r"started|beginning|before|after|around|scheduled for|seen|visit|drawn|obtained|collected|"
                        r"done|performed)\s*:?\s+"
                        r"(?P<v>(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9]))\b(?!\s*(?:/|mmhg|mg|strength|murmur))",
                        re.IGNORECASE)),
    ("ADDRESS", re.compile(
        r"\b\d{1,6}\s+(?:(?:[NSEW]|NE|NW|SE|SW)\.?\s+|(?:North|South|East|West)\s+)?(?:[A-Z][a-z]+\.?\s+){1,3}"
        r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|"
        r"Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Trail|Trl|Loop|Row|Pike|Alley)\b\.?"
        r"(?:,?\s+(?:Apt\.?|Apartment|Unit|Suite|Ste\.?|#)\s*[\w-]+)?")),
    ("ADDRESS", re.compile(r"\b(?:P\.?\s?O\.?\s+Box|Post Office Box)\s+\d+\b", re.IGNORECASE)),
    # "Springfield, IL 62704"; without a ZIP, not PA/MA/MD ("Ruth Sanchez, PA" is a credential).
    ("LOCATION", re.compile(rf"\b(?:[A-Z][a-z]+\s){{0,2}}[A-Z][a-z]+,\s+(?:(?:{_STATES})\s+\d{{5}}(?:-\d{{4}})?\b|"
                            rf"(?!PA\b|MA\b|MD\b)(?:{_STATES})\b)")),
    ("ZIP", re.compile(r"\b\d{5}-\d{4}\b")),
    # (round 50: a title and its name on one line or wrapped onto the next, never across a blank line: "Title: Camp
    # Nurse" over "Started on Eliquis")
    ("NAME", re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Doctor|Nurse|Sister|Father)\.?(?:[ \t]+|[ \t]*\n[ \t]*)"
                        rf"(?P<v>{NAME_WORDS})")),
    ("NAME", re.compile(rf"\b(?:patient name|name|patient|pt)\s*:\s*(?P<v>{NAME_WORDS})", re.IGNORECASE)),
    ("NAME", re.compile(rf"\b(?P<v>{NAME_WORDS}),?\s+(?:{_CREDENTIALS})\b(?![\w-])")),
    ("NAME", re.compile(rf"\b(?i:{_RELATIONS})(?:'s)?[ \t]*,?[ \t]+(?i:named[ \t]+|is[ \t]+)?(?P<v>{NAME_WORDS})")),
    ("NAME", re.compile(rf"\b(?i:{_BEFORE_NAME})[ \t]*:?[ \t]+(?P<v>{NAME_WORDS})")),
    ("NAME", re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n))\s*(?P<v>{NAME_WORDS})\s+(?:{_AFTER_NAME})\b", re.MULTILINE)),
    ("NAME", re.compile(rf"\b(?i:{_ROLES})[ \t]*:[ \t]*(?P<v>{NAME_WORDS})")),
    # Someone called back, and an In Basket pool named after its clinician ("routed to the Okafor pool").
    ("NAME", re.compile(rf"\b(?i:call(?:ed|ing)?)[ \t]+(?P<v>{NAME_WORDS})[ \t]+back\b")),
    ("NAME", re.compile(rf"\b(?i:routed|sent|forwarded|assigned)[ \t]+to[ \t]+(?:the[ \t]+)?(?P<v>{NAME_WORDS})"
                        rf"[ \t]+(?i:pool)\b")),
    # Two or more capitalised words after "with", or opening a sentence before "is the/his/her ...":
    # every word must pass the NOT_NAMES check (see phi.redact), so "with Physical Therapy" stays.
    ("NAME2", re.compile(rf"\bwith[ \t]+(?P<v>{CAP}(?:[ \t]+{_PARTICLE}{{0,2}}{CAP}){{1,2}})")),
    ("NAME2", re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?P<v>{CAP}(?:[ \t]+{_PARTICLE}{{0,2}}{CAP}){{1,2}})"
                         rf"[ \t]+(?:is|was|will be)[ \t]+(?:the|his|her|their|a|an|our)\b", re.MULTILINE)),
    # Safe Harbor: ages over 89 are identifying.
    ("AGE", re.compile(r"\b(?:9\d|1[0-1]\d)(?=[- ](?:years?|yrs?|y/?o)\b)", re.IGNORECASE)),
]

# Capitalised words the context rules above must not take for names (sentence starters, pronouns,
# clinical and service words that follow "spoke with", "referred to", "her ...").
NOT_NAMES = frozenset(re.findall(r"\S+", """
the a an this that these those when while after before if then since upon during once
he she they we i you it his her their our my your its patient patients pt
history plan assessment exam normal today yesterday tomorrow he's she's they're there here
cardiology neurology orthopedics orthopedic dermatology urology oncology nephrology endocrinology
gastroenterology pulmonology rheumatology psychiatry psychology radiology pathology podiatry physical
occupational speech social pharmacy pharmacist primary urgent emergency er ed icu clinic hospital office
lab labs laboratory nursing nurse doctor dr provider team staff home family insurance medicare medicaid
case care services service department dept attending resident student scribe interpreter
mother father brother sister daughter son wife husband friend partner
mom dad mum grandma grandpa everyone everybody someone somebody anyone anybody nobody none
therapy therapies rehab rehabilitation counseling counselling surgery medicine health care center clinic
right left bilateral is was has had will would should may might can could does did
also and or but with without for to of in on
at by from as not no yes all any some both each other another more most
call called phone fax records results report notes note message letter meds
refill refills rx script prescription prescriptions hospitalist hospitalists
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
covid covid-19 tylenol advil motrin lasix
syndrome disease disorder palsy phenomenon sign test score scale criteria maneuver fracture type stage grade
"""))

# Common US given names: "<Given> <Capitalised>" is a name anywhere in a note.
GIVEN_NAMES = frozenset(re.findall(r"\S+", """
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony
mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan
jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank
patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter
noah jeremy christian keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse jordan
bryan billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy vincent ralph eugene
russell bobby mason philip louis harry howard fred luis carlos jorge miguel ricardo manuel antonio
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra
ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura
cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra
rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren
christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison
frances kathryn janice jean abigail alice judy sophia julia denise amber doris marilyn danielle beverly
isabella theresa diana natalie brittany charlotte marie kayla alexis lori rosa ana carmen
"""))
