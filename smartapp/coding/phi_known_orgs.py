"""Organisations known by name, and the cues that say an organisation stands somewhere (a layer of :mod:`.phi`).

Blind parts keep showing the same kind of miss: real US health systems, pharmacy and lab chains, urgent-care
brands and payers written the way busy people write them ("walgreens 09823", "Banner Desert", "HUP",
"Brigham and Women's", "Blue Cross Blue Shield of Massachusetts"), and names in places no earlier rule looked
("sent -> One Medical", "outside/Hospital of the University of Pennsylvania/CD", "pharmacy (Carbon Health)",
"AMR (outside hospital, 2022)"). A reader knows them from the world, not from the sentence; this module holds
that knowledge as a list of our own (public facts: names of organisations) and the few cues that carry it.

Ambiguous names ("Banner", "Advocate", "Mercy", "CHOP" the chemotherapy regimen) count only with a second
capitalised word, a kind of place or "in <town>" after them, or in a cue; the rest count wherever they are
written, in any case when no English or clinical word is spelled the same.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .phi_facilities import GENERIC as FACILITY_GENERIC
from .phi_facilities import US_STATES
from .phi_words import SPECIALTY_ENDING, STOP_WORDS, lexicon, us_places

# Names of more than one word: health systems, hospitals known by a short name, chains, labs, payers.
_MULTI = """
Brigham and Women's|Brigham & Women's|Mass General Brigham|Beth Israel Lahey|Boston Medical Center|Dana-Farber|
Dana Farber|Sloan Kettering|Memorial Sloan Kettering|MD Anderson|Fred Hutch|City of Hope|Roswell Park|
Huntsman Cancer|Moffitt Cancer|Rush University|Rush Copley|Lurie Children's|Rady Children's|Cincinnati Children's|
Nationwide Children's|Seattle Children's|Texas Children's|Boston Children's|Children's Mercy|Children's Minnesota|
Children's National|Children's Wisconsin|Children's Healthcare of Atlanta|Akron Children's|Phoenix Children's|
Dell Children's|Cook Children's|Le Bonheur|St. Jude|Nemours Children's|Hospital for Special Surgery|
Baylor Scott & White|Baylor Scott and White|Scott & White|Henry Ford|Hennepin Healthcare|Hennepin County Medical|
Atrium Health|Advocate Aurora|Advocate Health|Aurora Health|Banner Health|Banner Desert|Banner Thunderbird|
Banner Good Samaritan|Banner Estrella|Banner Gateway|Banner Baywood|Banner University|Banner Del E\\. Webb|
Corewell Health|Spectrum Health|Bon Secours|Prisma Health|Piedmont Atlanta|Piedmont Health|CommonSpirit|
Dignity Health|Sutter Health|Providence Swedish|Swedish Medical|Virginia Mason|Legacy Health|Legacy Emanuel|
Kaiser Permanente|Permanente Medical|Penn Presbyterian|Penn Medicine|Pennsylvania Hospital|Jefferson Health|
Temple University|Einstein Medical|Main Line Health|Christiana Care|ChristianaCare|Hackensack Meridian|
RWJBarnabas|Robert Wood Johnson|Northwell Health|NYU Langone|Mount Sinai|NewYork-Presbyterian|Weill Cornell|
Columbia Presbyterian|Long Island Jewish|Lenox Hill|Montefiore Medical|Yale New Haven|Hartford HealthCare|
Hartford Hospital|Baystate Health|UMass Memorial|Tufts Medical|Lahey Clinic|Maine Medical|Dartmouth Health|
Dartmouth-Hitchcock|Johns Hopkins|Hopkins Bayview|University of Maryland Medical|MedStar Georgetown|
MedStar Washington|Inova Fairfax|Sentara Norfolk|Carilion Clinic|UVA Health|VCU Health|Duke Health|
Duke University Hospital|Duke Raleigh|UNC Health|UNC Rex|WakeMed|Novant Health|Atrium Wake Forest|
Wake Forest Baptist|Emory University Hospital|Emory Midtown|Grady Memorial|Piedmont Hospital|Tampa General|
Jackson Memorial|Baptist Health|Orlando Health|AdventHealth Orlando|Mayo Clinic|Cleveland Clinic|
University Hospitals Cleveland|MetroHealth|OhioHealth|Ohio State Wexner|Wexner Medical|Riverside Methodist|
Christ Hospital|TriHealth|UC Health|Kettering Health|Premier Health|IU Health|Indiana University Health|
Parkview Health|Froedtert|Northwestern Medicine|Northwestern Memorial|University of Chicago Medicine|
UChicago Medicine|Loyola Medicine|Cook County Health|Stroger Hospital|OSF HealthCare|Carle Foundation|
SSM Health|Barnes-Jewish|Barnes Jewish|BJC HealthCare|Mercy Hospital St\\. Louis|Saint Luke's|Truman Medical|
University of Kansas Health|Nebraska Medicine|Sanford Health|Avera McKennan|Essentia Health|Allina Health|
Abbott Northwestern|Fairview Health|M Health Fairview|Regions Hospital|Gundersen Health|Marshfield Clinic|
Bellin Health|ThedaCare|UW Health|Froedtert & the Medical College|Intermountain Health|
Intermountain Medical Center|University of Utah Health|UCHealth|Denver Health|Children's Colorado|
Presbyterian/St\\. Luke's|Lovelace Medical|UNM Hospital|Banner Tucson|HonorHealth|Valleywise Health|
Dignity St\\. Joseph's|Cedars-Sinai|Cedars Sinai|UCLA Health|Ronald Reagan UCLA|Keck Medicine|
Harbor-UCLA|LAC\\+USC|Stanford Health|Stanford Hospital|Lucile Packard|UCSF Health|Zuckerberg San Francisco General|
San Francisco General|Alta Bates|John Muir Health|Scripps Health|Sharp Healthcare|Sharp Memorial|UC San Diego Health|
Rady Children's|Hoag Hospital|Loma Linda|Kaiser Sunnyside|OHSU Hospital|Providence Portland|Harborview|
UW Medicine|MultiCare|Swedish First Hill|Seattle Children's|Queen's Medical|Alaska Native Medical|
Parkland Hospital|UT Southwestern|Methodist Hospital|Houston Methodist|Memorial Hermann|Ben Taub|
St\\. David's|Seton Medical|Ascension Seton|University Health San Antonio|Christus Health|Ochsner Health|
LCMC Health|UAB Hospital|UAB Medicine|Huntsville Hospital|Vanderbilt University Medical|
Erlanger|Methodist Le Bonheur|Regional One|Norton Healthcare|UK HealthCare|UofL Health|
WVU Medicine|Allegheny General|Allegheny Health|UPMC Presbyterian|UPMC Shadyside|Geisinger Medical|
Lehigh Valley Health|St\\. Luke's University|Penn State Health|Hershey Medical|WellSpan|
One Medical|Carbon Health|Patient First|MinuteClinic|Minute Clinic|CityMD|City MD|MedExpress|Concentra|
GoHealth Urgent|FastMed|NextCare|AFC Urgent Care|American Family Care|Urgent Team|Velocity Urgent|
Rite Aid|Duane Reade|Harris Teeter|Giant Eagle|Fred Meyer|Stop & Shop|Sam's Club|Winn-Dixie|Food Lion|
Express Scripts|Optum Rx|CVS Caremark|Accredo|Walgreens Specialty|Amazon Pharmacy|PillPack|Alto Pharmacy|
Capsule Pharmacy|Quest Diagnostics|Sonora Quest|BioReference|ARUP Laboratories|Mayo Clinic Laboratories|
Blue Cross Blue Shield|Blue Cross|Blue Shield|Anthem Blue Cross|Florida Blue|Independence Blue Cross|
Horizon Blue Cross|Highmark Blue|Premera Blue Cross|Regence BlueShield|Wellmark|CareFirst|Excellus|
EmblemHealth|Healthfirst|Fidelis Care|MetroPlus|Amerigroup|Priority Health|Health Net|Oscar Health|
Kaiser Foundation|Medical Mutual|Harvard Pilgrim|Tufts Health Plan|Point32Health|Geisinger Health Plan|
Magellan Health|Beacon Health Options|American Medical Response|Global Medical Response|Air Methods|
Life Flight|LifeFlight|Rural/Metro|Falck|Lincare|Apria|AdaptHealth|Rotech|Coram|Option Care|
Amedisys|Kindred at Home|Encompass Health|BAYADA|Bayada|LHC Group|VITAS|Vitas Healthcare|Gentiva|
Genesis HealthCare|Brookdale|Sunrise Senior Living|Fresenius|DaVita|LanguageLine|Language Line|
Planned Parenthood|Hazelden Betty Ford|Betty Ford Center|Shriners Children's|Shriners Hospital|
Doctor On Demand|Included Health|Hanger Clinic|Hanger O&P|Home Instead|Visiting Angels|Foundation Medicine|
Ambry Genetics|One Call|PAN Foundation|American Cancer Society|U\\.S\\. HealthWorks|US HealthWorks|Premise Health|
ECOG-ACRIN|AZ&Me|United Network for Organ Sharing|ESRD Network \\d{1,2}|Centers for Medicare & Medicaid Services|
Centers for Medicare and Medicaid Services|Centers for Disease Control and Prevention|Centers for Disease Control|
The Joint Commission|Joint Commission|Change Healthcare|R1 RCM|CathPCI Registry|Get With The Guidelines|
PeachCare for Kids|Indian Health Service|DNV Healthcare|Experian Health|Optum360|Availity|Waystar|
Guardian ad Litem Program(?: of [A-Z][a-z]+ County)?|NRG Oncology|Children's Oncology Group|WCG IRB|
Alliance for Clinical Trials in Oncology|University Hospitals?|Cystic Fibrosis Foundation|
Muscular Dystrophy Association|National Organization for Rare Disorders|Genetic Alliance|Salvation Army
"""
# One word or letters, never an English or clinical word: found anywhere, in any case for words.
_SINGLE = """
Walgreens Kroger Safeway Albertsons Publix Meijer Wegmans Hannaford Costco Walmart Hy-Vee Ralphs Vons
Jewel-Osco Smith's ShopRite Weis Brookshire Schnucks Dillons Harps Ingles Bashas Raley's WinCo Caremark
Labcorp LabCorp Ochsner Geisinger Intermountain Montefiore Northwell Langone Sentara Novant Wellstar Inova
MedStar Hackensack Beaumont Corewell Froedtert Gundersen Essentia Sanford Avera Allina Lovelace Carilion
Piedmont Nemours Lurie Harborview MultiCare HonorHealth Valleywise Erlanger TriHealth ThedaCare
Bellin OhioHealth MetroHealth WakeMed WellSpan Baystate Lahey UCHealth Amedisys Bayada BAYADA DaVita
Fresenius Lincare Apria AdaptHealth Rotech Gentiva Brookdale Concentra MedExpress CityMD FastMed NextCare
MinuteClinic LanguageLine Accredo PillPack RadNet eviCore Premera Regence Wellmark CareFirst Excellus EmblemHealth
Healthfirst Amerigroup Humana Aetna Cigna UnitedHealthcare Anthem Molina Centene Ambetter Highmark
PharMerica OptumRx Natera GeneDx IQVIA ExamWorks eScreen Onco360 SWOG Advarra
"""
# Letters that name one place and nothing clinical: found anywhere, in capitals.
_LETTERS = """
HUP CHOA CHLA CHKD CCHMC CHOC UPMC UCSF MGH BWH BIDMC DFCI MSKCC OHSU NYU NYP NYPH LIJ MUSC UTSW VUMC UAMS
UNMC KUMC UIHC MCW UCSD UCLA UCI UCD UAB UNC VCU OUHSC UTMB UTHSCSA HFHS NMH RUMC BCBS BCBSMA BCBSIL
BCBSTX HCMC SFGH ZSFG LAC+USC TGH JMH MUMC WFBMC CHRISTUS UHC BWC L&I UNOS TJC DNV NCDR DCFS IHS NORD
"""
# Ambiguous: an English or clinical word, an acronym with a clinical sense, or a family name. Counted only
# with another capitalised word or a kind of place after it, or in a cue.
_AMBIGUOUS = """
Banner Advocate Aurora Ascension Trinity Scripps Hoag Sutter Kaiser Christus Parkview Carle Marshfield Emory
Duke Stanford Vanderbilt Yale Penn Jefferson Einstein Grady Parkland Bellevue Loyola Northwestern Hopkins
Brigham Cedars Kettering Sloan Moffitt Shriners Swedish Seton CHOP AMR VNA HCA SSM OSF UW Mercy Methodist Baptist
Presbyterian Providence Adventist Lutheran Deaconess Parkland Grady Regions
"""

_KIND = (r"(?:hospital|health|healthcare|medical|clinic|pharmacy|urgent[ \t]+care|er|ed|lab|labs|imaging|"
         r"rehab|hospice|home[ \t]+health|snf|campus|main|east|west|north|south|downtown|uptown|specialty|"
         r"records|ed[ \t]+note|er[ \t]+note|discharge|d/c|notes?|reviewer|admissions|intake|staff|"
         r"medical[ \t]+director|case[ \t]+management|social[ \t]+work(?:er)?|behavioral|psych|icu|"
         r"transportation|transport|ambulance|pacs)")
# After a known name: its store or site number ("walgreens 09823", "CVS #4417"), written or not with "#".
_STORE_NUMBER = re.compile(r"[ \t]*#[ \t]?\d{2,6}(?![\w./-])|[ \t]+0?\d{3,5}(?![\w./:-])(?![ \t]*(?:mg|mcg|ml|mL|"
                           r"units?|tabs?|caps?|days?|hrs?|hours?|min|%|am|pm|x\b))")
# Streets: "Kroger pharmacy on Main St", "the clinic off Route 9". Dr. is left out: it is a title too.
_STREET = re.compile(r"\b(?:on|off|at|near|by)[ \t]+(?P<s>(?:\d{1,5}[ \t]+)?"
                     r"(?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th))(?:[ \t]+[A-Z][a-z]+)?[ \t]+(?:(?:St|Ave|Rd|Blvd|Hwy|"
                     r"Pkwy|Ln|Ct|Sq)\b\.?|(?:Street|Avenue|Road|Boulevard|Highway|Parkway|Lane|Way|Pike|Court|Plaza|"
                     r"Square)\b))")
# "CVS" alone is chorionic villus sampling; with a store number, the pharmacy.
_CVS_STORE = re.compile(r"\bCVS(?:[ \t]+(?:store|Store|pharmacy|Pharmacy))?[ \t]*#[ \t]?\d{2,6}\b|"
                        r"\bcvs(?:[ \t]+(?:store|pharmacy))?[ \t]*#?[ \t]?\d{3,6}\b")    # "cvs 4471": lower case
_ROUTE = re.compile(r"\b(?:on|off)[ \t]+(?P<s>(?:Route|Rte\.?|Highway|Hwy\.?|US|I-)[ \t]*\d{1,3})\b")


_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9'+]*")
_Index = dict[str, list[tuple[re.Pattern[str], bool]]]


def _first_word(name: str) -> str:
    m = _WORD.match(name.replace("\\", ""))
    return m.group().lower() if m else ""


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Each name's first word (lowercase) -> the patterns of the names that open with it, and whether they are
    ambiguous. Looking names up by their first word keeps this layer cheap: one alternation of every name,
    tried at every position of a note, cost more than all the other facility rules together."""
    lex = lexicon()
    gap = r"[ \t]+"
    groups: dict[tuple[str, bool, bool], list[str]] = {}

    def add(name: str, pattern: str, anycase: bool, ambiguous: bool = False) -> None:
        groups.setdefault((_first_word(name), anycase, ambiguous), []).append(pattern)

    for name in (n.strip() for n in _MULTI.replace("\n", "").split("|")):
        if name:
            words = re.findall(r"[A-Za-z][\w'-]*", name.replace("\\", ""))
            add(name, name.replace(" ", gap), any(w.lower().strip("'.&") not in lex.english
                                                  and w.lower() not in STOP_WORDS for w in words))
    for word in _SINGLE.split():
        add(word, re.escape(word), word.lower() not in lex.english and word.lower() not in lex.clinical)
    for word in _LETTERS.split():
        add(word, re.escape(word), False)
    for word in _AMBIGUOUS.split():
        add(word, re.escape(word), False, True)
    # "mass general" in lowercase is the hospital too, though both words are English; not "mass, general
    # surgery to see".
    add("mass", r"mass[ \t]+general(?![ \t]+(?i:surg|appear|condit))", True)
    add("mass", r"mass[ \t]+eye[ \t]+(?:and|&)[ \t]+ear", True)
    add("travelers", r"travelers[ \t]+ins(?:urance)?\.?", True)      # the carrier, not "travelers' diarrhea"
    index: _Index = {}
    for (first, anycase, ambiguous), patterns in groups.items():
        alternation = "|".join(sorted(patterns, key=len, reverse=True))
        body = f"(?i:{alternation})" if anycase else f"(?:{alternation})"
        index.setdefault(first, []).append((re.compile(rf"{body}(?![\w+-])"), ambiguous))
    return index


_KIND_AFTER = re.compile(rf"[ \t]+(?i:{_KIND})(?![\w-])")
_IN_TOWN = re.compile(r"[ \t]+in[ \t]+([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)")
_CAPITALISED = re.compile(r"[ \t]+([A-Z][a-z]+)(?![\w-])")
# What may follow a known name and belong to it: its site or campus, a payer's plan letters ...
_SITE_WORD = re.compile(r"[ \t]+([A-Z][a-z]+(?:['\u2019]s)?|HMO|PPO|EPO|POS|SNP|D-SNP|PFFS)(?![\w-])")
# ... and the kind of place or where it is in town.
_KIND_WORD = re.compile(r"[ \t]+(?:pharmacy|urgent[ \t]+care|clinic|lab|imaging|specialty|downtown|uptown|campus)"
                        r"(?![\w-])")


def _kind_or_name_after(text: str, end: int) -> bool:
    """A kind of place or a capitalised word that is no clinical word right after ``end``."""
    if _KIND_AFTER.match(text, end):
        return True
    town = _IN_TOWN.match(text, end, end + 40)
    if town and (town.group(1).lower() in us_places() or town.group(1).split()[0].lower() in us_places()):
        return True     # "Mercy in Springfield"
    w = _CAPITALISED.match(text, end, end + 40)
    low = w.group(1).lower() if w else ""
    lex = lexicon()
    return bool(w) and low not in STOP_WORDS and (low not in lex.clinical or low in lex.clinical_proper)


# Between an ambiguous name and its site: a possessive ("CHOP's Eastside office") or a spaced dash ("Banner -
# University Medical Center"; not "Yale-Brown", the scale).
_OWNER_OR_DASH = re.compile(r"['\u2019]s(?=[ \t])|[ \t]+[-\u2013\u2014]{1,2}(?=[ \t]+[A-Z])")


def _known_at(text: str, pos: int, candidates: list[tuple[re.Pattern[str], bool]]) -> int:
    """Where the longest known name opening at ``pos`` ends; ``pos`` when none does."""
    end = pos
    for pattern, ambiguous in candidates:
        m = pattern.match(text, pos)
        if not m or m.end() <= end:
            continue
        joint = _OWNER_OR_DASH.match(text, m.end()) if ambiguous else None
        site = _CAPITALISED.match(text, joint.end(), joint.end() + 40) if joint else None
        if not ambiguous or _kind_or_name_after(text, m.end()) or joint and (
                _kind_or_name_after(text, joint.end()) or site and site.group(1).lower() in FACILITY_GENERIC):
            end = m.end()       # not "CHOP chemotherapy" or "Penn" alone: not enough to say a place
    return end


def known_org_spans(text: str) -> list[tuple[int, int]]:
    """Known organisations' names, each with the capitalised words, kind of place and store number after it."""
    lex = lexicon()
    index = _index()
    out: list[tuple[int, int]] = []
    done = 0
    for word in _WORD.finditer(text):
        key = word.group().lower()
        candidates = index.get(key) or (index.get(key[:-2]) if key.endswith("'s") else None)     # "CHOP's"
        if word.start() < done or not candidates:
            continue
        end = _known_at(text, word.start(), candidates)
        if end == word.start():
            continue
        # The campus or site after the name: "Banner Desert", "Kaiser Sunnyside", "UPMC Shadyside".
        for _ in range(3):
            w = _SITE_WORD.match(text, end, end + 40)
            low = w.group(1).lower() if w else ""
            if not w or low in STOP_WORDS or low in lex.clinical and low not in lex.english:
                break
            end = w.end()
        kind = _KIND_WORD.match(text, end)
        if kind:
            end = kind.end()
        number = _STORE_NUMBER.match(text, end)
        if number:
            end = number.end()
        out.append((word.start(), end))
        done = end
    return out


# --- cues: where an organisation stands, whatever its name ------------------------------------------
_RUN = r"(?:[A-Z][\w'\u2019&.-]*(?:[ \t]+(?:of[ \t]+the|of|and|&|the)?[ \t]*[A-Z][\w'\u2019&.-]*){0,6})"
# "sent -> One Medical", "ref -> CHOP", "d/c -> Golden Living".
_ARROW = re.compile(rf"-+>[ \t]*(?P<f>{_RUN})")
_ARROW_VERB = re.compile(r"\b(?:sent|ref|referred|refer|transferred|transfer|d/c|dc|discharged|went|going)[ \t]*$")
# "Imaging: outside/Hospital of the University of Pennsylvania/CD on file".
_OUTSIDE_SLASH = re.compile(rf"\b(?i:outside|osh|from)/(?P<f>{_RUN}(?:[ \t]+(?i:pharmacy|clinic|hospital|imaging|"
                            rf"urgent[ \t]+care|lab))?(?:[ \t]+on[ \t]+[A-Z][a-z]+[ \t]+[A-Z][a-z]*\.?)?)(?=/)")
# "AMR (outside hospital, 2022)": a name followed by what it is, in brackets.
_NAMED_KIND_BRACKET = re.compile(rf"(?P<f>{_RUN})[ \t]*\((?i:outside[ \t]+(?:hospital|facility|ed|er|clinic|records)|"
                                 rf"osh|snf|ltach|rehab|hospice|home[ \t]+health|urgent[ \t]+care)\b")
# "Rx sent to pharmacy (Carbon Health)": the name of the kind of place just named, in brackets.
_KIND_NAMED_BRACKET = re.compile(rf"\((?P<f>{_RUN})\)")
_KIND_BEFORE_BRACKET = re.compile(r"\b(?i:pharmacy|snf|ltach|rehab|hospice|home[ \t]+health|agency|facility|"
                                  r"hospital|clinic|lab|imaging|urgent[ \t]+care|dme|vendor|payer|insurance|insurer|"
                                  r"plan)[ \t]*$")
# 'placed to "LanguageLine Solutions"': a quoted name where a place is sent to or comes from.
_QUOTED_AFTER_PREP = re.compile(rf"\b(?:to|at|from|with|via|thru|through)[ \t]+[\"\u201c](?P<f>{_RUN})[\"\u201d]")
# "Facility - CHOP", "Pharmacy -- Kroger": a place's label and a dash at the start of a line.
_DASH_LABEL = re.compile(rf"(?m)^[ \t-]*(?i:facility|hospital|pharmacy|location|site|clinic|lab|snf|agency|payer|"
                         rf"insurance|insurer|vendor|organization|organisation|practice)(?:[ \t]+[-\u2013\u2014]+|"
                         rf"[ \t]+colon)[ \t]+"
                         rf"(?P<f>{_RUN})")
# A run of capitalised words ending in a word a company takes: "LanguageLine Solutions", "Apex Medical Supply".
# Not "Inc." or "Corporation": in a case report those are the makers of a device or a test, no one's place.
# "Dear Colleagues at Harbor Cardiology Group,", "Records release signed for MDLIVE", "release of information to
# Mercy Clinic": people who are addressed at a place, and records released to or for one.
_ADDRESSED_OR_RELEASED = re.compile(rf"\b(?:(?i:dear)[ \t]+(?i:colleagues|team|friends|staff)[ \t]+at|"
                                    rf"(?i:records?[ \t]+release|release[ \t]+of[ \t]+(?:information|records))"
                                    rf"(?:[ \t]+(?i:form))?(?:[ \t]+(?i:signed|sent|faxed))?[ \t]+(?i:for|to))"
                                    rf"[ \t]+(?:the[ \t]+)?(?P<f>{_RUN})")
_CORPORATE = re.compile(r"(?<![\w'\u2019-])(?P<f>(?:[A-Z][\w'\u2019&-]*[ \t]+){1,4}(?:Solutions|Supply|Supplies|"
                        r"Staffing|Logistics|Transport|Transportation|Interpreting|Interpreters))(?![\w'\u2019-])")
# Round 39: a hospital or institute abroad, named by its kind first in its own language ("Istituto Nazionale dei Tumori
# di Milano", "Klinikum rechts der Isar", "Hospital Universitari Vall d'Hebron"; accents are folded before this).
_ABROAD = re.compile(r"(?<![\w'\u2019-])(?P<f>(?:Istituto|Ospedale|Policlinico|Azienda[ \t]+Ospedaliera|Klinikum|"
                     r"Universitatsklinikum|Universitaetsklinikum|Krankenhaus|Hopital|Centre[ \t]+Hospitalier|"
                     r"Hospices[ \t]+Civils|Hospital[ \t]+Universitari[oa]?|Hospital[ \t]+Clinic|"
                     r"Hospital(?=[ \t]+(?:San|Santa|Santo|Sao|Nuestra|Nacional)[ \t])|Clinica|Instituto|"
                     r"Institut|Fundacion|Universitair[ \t]+Ziekenhuis|Ziekenhuis|Rigshospitalet|Karolinska|Charite|"
                     # Round 47: a consulate ("Consulado General de Mexico en Ashford")
                     r"Consulado(?:[ \t]+General)?|Consulate(?:[ \t]+General)?|Embassy|Embajada)"
                     r"(?![\w'\u2019-])"
                     r"(?:(?:[ \t]+(?:di|dei|del|della|degli|de|des|du|la|le|rechts|links|der|y|i|"
                     r"pour[ \t]+enfants|en|of))*[ \t]+"
                     r"(?:d'|l')?[A-Z][\w'\u2019-]*){0,6})")
# Round 38: a company's name in camel case with a lower-case start ("naviHealth", "oneMedical"); no drug or test is
# written so ("hsTnT", "eGFR" and "mRNA" have no lower-case run after the capital).
_CAMEL = re.compile(r"(?<![\w'\u2019-])(?P<f>[a-z]{2,}[A-Z][a-z]{2,}(?:[A-Z][a-z]+)*)(?![\w'\u2019-])")
# Round 40: a union's local and its fund or office: "IBEW Local 46 Benefit Office", "Teamsters Local 727 H&W Fund".
# Not a drug given locally: "Lidocaine Local 5 mL" (checked in org_cue_spans).
_UNION_LOCAL = re.compile(r"(?<![\w'\u2019-])(?P<f>(?P<u>(?:[A-Z][\w'\u2019&-]*[ \t]+){1,4})Local[ \t]+\d{1,4}"
                          r"(?![ \t]*(?:mg|mcg|mL|ml|cc|g|units?|%)(?![\w-]))"
                          r"(?:[ \t]+(?:(?:&|of|and)[ \t]+)?[A-Z][\w&'\u2019-]*)*)")
# Round 41: a government office by what it keeps ("Office of Vital Records", "Bureau of Vital Statistics"), a practice
# of obstetrics by its own name ("Brookside OB/GYN"), a company by its legal form ("Dialysis Clinic, Inc.").
_OFFICE_OF = re.compile(r"(?<![\w'\u2019-])(?P<f>(?:Bureau|Office)[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w'\u2019-]*"
                        r"(?:[ \t]+(?:(?:and|&|of)[ \t]+)?[A-Z][\w'\u2019-]*){0,4})")
_OWN_OBGYN = re.compile(r"(?<![\w'\u2019-])(?P<f>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?[ \t]+(?:OB/GYN|OB-GYN|OBGYN|Ob/Gyn))"
                        r"(?![\w/-])")
_INCORPORATED = re.compile(r"(?<![\w'\u2019-])(?P<f>(?:[A-Z][\w&'\u2019-]*[ \t]+){0,4}[A-Z][\w&'\u2019-]*,?"
                           r"[ \t]+(?:Inc\.?|INC\.?|Corp\.?|CORP\.?|GmbH|S\.A\.|S\.p\.A\.|SpA|B\.V\.|"
                           r"Pty[ \t]+Ltd\.?))(?![\w-])")
# Round 44: a senior-living community named in its own way ("The Arbors at Cedar Ridge"), a court ("Essex Co. Probate
# Ct.", "Fourth Judicial District Court, Dept. 12").
_COMMUNITY = re.compile(r"\b(?P<f>The[ \t]+(?:[A-Z][a-z]+[ \t]+)?(?:Arbors|Gardens|Oaks|Pines|Willows|Meadows|Villages|"
                        r"Terrace|Terraces|Commons|Residences|Courtyards|Heights|Landing|Springs|Glen|Woods|Groves)"
                        r"[ \t]+(?:at|of|on)[ \t]+[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)(?![\w'\u2019-])")
_COURT = re.compile(r"(?<![\w'\u2019-])(?P<f>(?:[A-Z][\w.'\u2019-]*[ \t]+){0,4}(?:Probate|Family|District|Superior|"
                    r"Circuit|Juvenile|Municipal|County|Drug|Surrogate's|Orphans')[ \t]+(?:Ct\.|Court)"
                    r"(?:,[ \t]+(?:Dept\.|Department|Division|Div\.)[ \t]+\d{1,3})?)(?![\w-])")
# Their form alone says an organisation stands there, whatever its words ("Office of Vital Records" is all English).
_NAMED_BY_THEIR_FORM = (_OFFICE_OF, _INCORPORATED, _COMMUNITY, _COURT)
# Round 38: a firm of partners' names with its legal form: "Hendricks, Pruitt & Vail, LLP", "Ochoa and Bram, P.C.".
_FIRM = re.compile(r"(?<![\w'\u2019-])(?P<f>[A-Z][a-z]+(?:,[ \t]+[A-Z][a-z]+)*,?[ \t]+(?:&|and)[ \t]+[A-Z][a-z]+,?"
                   r"[ \t]+(?:LLP|LLC|PLLC|L\.L\.P\.|P\.C\.|PC|P\.A\.|Ltd\.?|Chartered))(?![\w-])")


# Letters spelled out or dotted: "U. C. S. F.", "M.G.H.", "O H S U", "B C B S": a known name once joined.
_SPACED_LETTERS = re.compile(r"(?<![\w.])[A-Z](?:(?:\.[ \t]?|[ \t])[A-Z]){1,5}\.?(?![\w])")
# "U of M", "U of Michigan": a university and its health system.
_U_OF = re.compile(r"\bU[ \t]+of[ \t]+(?:[A-Z]{1,3}|[A-Z][a-z]+)(?![\w-])")
# "saint joe's" in lowercase, as a speaker's words are typed; not St. John's wort.
_LOWER_SAINT = re.compile(r"\bsaint[ \t]+[a-z]+['\u2019]s(?![\w-])(?![ \t]+wort)")
# "the Brigham": a known name that is also a family name, with the article people give a place.
_THE_NAME = re.compile(r"\b[Tt]he[ \t]+(?P<f>[A-Z][a-z]+)(?![\w'\u2019-])")
# "MERCY HOSPITAL - SPRINGFIELD" on a printed header: a name in capitals before the kind of place.
_CAPS_HEADED = re.compile(r"(?<![\w'\u2019.-])(?P<f>(?:[A-Z][A-Z'\u2019.&-]+[ \t]+){1,4}(?:HOSPITAL|"
                          r"MEDICAL[ \t]+CENTER|MEDICAL[ \t]+CENTRE|HEALTH[ \t]+CENTER|CLINIC|HEALTH[ \t]+SYSTEM|"
                          r"HEALTHCARE))"
                          r"(?P<t>[ \t]+[-\u2013\u2014][ \t]+[A-Z]{3,}(?:[ \t]+[A-Z]{3,})?)?(?![\w'\u2019-])")
# "CVS number forty four seventy one": a store number said aloud.
_NUMBER_WORDS = (r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                 r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                 r"hundred|\d+)")
_SPOKEN_STORE = re.compile(rf"\b(?:CVS|Walgreens|Rite[ \t]+Aid|Kroger|Walmart)[ \t]+(?:number|store|#)"
                           rf"(?:[ \t-]+{_NUMBER_WORDS}){{1,6}}\b", re.IGNORECASE)


def _known_letters(letters: str) -> bool:
    index = _index()
    return any(p.fullmatch(letters) for p, _ in index.get(letters.lower(), ()))


def _spelled_spans(text: str) -> list[tuple[int, int]]:
    """Known letters spelled out or dotted, "U of ...", a saint's name in lowercase, "the" before a known name
    that is also a family name, a name in capitals before its kind of place, a store number said aloud."""
    lex = lexicon()
    out: list[tuple[int, int]] = []
    for m in _SPACED_LETTERS.finditer(text):
        # the longest known run of letters from the first: "U. C. S. F." of "U. C. S. F. E.R."
        ends = [m.start() + e.end() for e in re.finditer(r"[A-Z]\.?", m.group())]
        letters = re.sub(r"[^A-Z]", "", m.group())
        for k in range(len(letters), 1, -1):
            # "V.A." with its dots is the Veterans Affairs, "VA" alone is as often visual acuity
            if _known_letters(letters[:k]) or letters == "VA" and text[ends[k - 1] - 1] == ".":     # not "V.A.C."
                the = re.search(r"\b[Tt]he[ \t]+$", text[max(0, m.start() - 4):m.start()])
                out.append((m.start() - (len(the.group()) if the else 0), ends[k - 1]))     # "the V.A."
                break
    out += [(m.start(), m.end()) for pat in (_U_OF, _LOWER_SAINT, _SPOKEN_STORE) for m in pat.finditer(text)]
    index = _index()
    for m in _THE_NAME.finditer(text):
        low = m.group("f").lower()
        if low not in lex.english and any(amb and p.fullmatch(m.group("f")) for p, amb in index.get(low, ())):
            out.append((m.start(), m.end()))
    for m in _CAPS_HEADED.finditer(text):
        words = m.group("f").split()[:-1]
        # "MERCY HOSPITAL", not the headings "RETINA CLINIC" or "IBD CLINIC" (letters are known by _index)
        if any(len(w) > 3 and w.lower() not in FACILITY_GENERIC and w.lower() not in STOP_WORDS
               and (w.lower() not in lex.clinical or w.lower() in lex.clinical_proper)
               and not SPECIALTY_ENDING.search(w.lower()) for w in words):
            town = m.group("t")
            end = m.end() if town and town.split(None, 1)[1].lower() in us_places() else m.end("f")
            out.append((m.start(), end))
    return out


def _names_something(words: list[str]) -> bool:
    """Not only clinical words and words every facility has ("Radiology", "ED", "PT"): one capitalised word
    that is no clinical term of its own ("Copper Ridge", "Juniper Drug"), or capitals that are no clinical
    abbreviation."""
    lex = lexicon()
    for w in words:
        low = w.lower().strip(".,'\u2019")
        if low in STOP_WORDS or low in FACILITY_GENERIC:
            continue
        if w.isupper() and len(w) >= 2:
            if low not in lex.clinical:
                return True
            continue
        if low not in lex.clinical or low in lex.clinical_proper or low in lex.english:
            return True
    return False


def org_cue_spans(text: str) -> list[tuple[int, int]]:
    """Names in the places an organisation stands: after an arrow, between slashes after "outside", before
    or inside a bracket that says what kind of place it is, in quotes after a preposition, after a place's
    label and a dash, and before a company's word."""
    lex = lexicon()
    out: list[tuple[int, int]] = []
    for pat in (_ARROW, _OUTSIDE_SLASH, _NAMED_KIND_BRACKET, _KIND_NAMED_BRACKET, _QUOTED_AFTER_PREP, _DASH_LABEL,
                _CORPORATE, _ADDRESSED_OR_RELEASED, _FIRM, _CAMEL, _ABROAD, _UNION_LOCAL, *_NAMED_BY_THEIR_FORM,
                _OWN_OBGYN):
        for m in pat.finditer(text):
            words = m.group("f").split()
            if pat is _ARROW and not _ARROW_VERB.search(text, max(0, m.start() - 20), m.start()):
                continue
            if pat is _KIND_NAMED_BRACKET and (not _KIND_BEFORE_BRACKET.search(text, max(0, m.start() - 20), m.start())
                                               or not re.search(r"[a-z]", m.group("f"))):
                continue        # "imaging (MRI)": letters in brackets after a word are what it is called
            if pat is _UNION_LOCAL and any(w.lower() in lex.clinical and w.lower() not in lex.english
                                           for w in m.group("u").split()):
                continue
            if words and (pat in _NAMED_BY_THEIR_FORM or _names_something(words)):
                out.append((m.start("f"), m.end("f")))
    out += [(m.start(), m.end()) for m in _CVS_STORE.finditer(text)]
    return out + _spelled_spans(text)


def street_after(text: str, end: int) -> int:
    """Where the street after a facility's name ending at ``end`` ends ("Kroger pharmacy on Main St"), with
    the word before it; ``end`` when none follows."""
    m = _STREET.match(text, end + 1) if text[end:end + 1] in (" ", "\t") else None
    return m.end("s") if m else end


def street_spans(text: str) -> list[tuple[int, int]]:
    """A street or route named after "on", "off", "at", "near" or "by" ("Kroger pharmacy on Main St")."""
    return [(m.start("s"), m.end("s")) for pat in (_STREET, _ROUTE) for m in pat.finditer(text)]


_STATES = frozenset(s.lower() for s in US_STATES.split("|")) | {"new england"}
# "VNA of Greater Lowell", "Blue Cross Blue Shield of Massachusetts": the region an organisation serves.
_OF_REGION = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?(?P<q>(?:Greater|Metro|Metropolitan|Central|Northern|Southern|"
                        r"Eastern|Western|Upper|Lower|Coastal)[ \t]+)?(?P<p>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)"
                        r"(?![\w'\u2019-])")


def region_after(text: str, end: int) -> int:
    """Where "of" and the region a facility serves end, after a facility's name ending at ``end``; ``end`` when
    none follows. A state or a US town, or any place after "Greater", "Metro" and the like."""
    m = _OF_REGION.match(text, end)
    if not m:
        return end
    place = m.group("p")
    words = place.split()
    if m.group("q") or place.lower() in _STATES or place.lower() in us_places():
        return m.end()
    if len(words) == 2 and (words[0].lower() in _STATES or words[0].lower() in us_places()):
        return m.start("p") + len(words[0])
    return end
