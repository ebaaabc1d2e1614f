"""Names by elimination: the allow-list layer of :mod:`.phi` (issue 14 item 7, round 4).

The context rules of :mod:`.phi_names` and :mod:`.phi_facilities` find a name only where its pattern
was seen before, so each new kind of sentence missed a few. This layer works the other way round
(as Philter does): a capitalised word that no word list knows — not an English word (SCOWL), not a
word of ICD-10-CM titles, not a drug, brand or eponym of our lists, not a medical word by its ending —
is taken for a name wherever it stands, unless clinical context around it protects it:

* a clinical noun after it ("Capgras delusion", "Kocher maneuver"), or "positive/negative" before it;
* a dose or number after it ("Ancef 2 g", "Macintosh 3 blade") or a drug's status ("Antabuse
  discontinued", "Dermabond applied"), or a drug verb before it ("started Keytruda");
* a genus before a Latin species ("Candida auris"), or a trade mark sign.

Names made of everyday words ("Penny Lane", "Patient First") have no unknown word, so they are taken by
the slot they stand in: after "at/to/from/with/through/via/by" in mid-sentence, after a role noun
("nurse Hope"), opening a sentence before what only a person does ("Shields prescribes"), and between
dashes or pipes on an upload's first lines. Capitals are abbreviations in running text, so all-capital
words are judged only on the first lines of a document (its header), where they name the patient;
those names then become a deny list for the whole document (see :func:`smartapp.coding.phi.redact`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .phi_names import _FOLLOWERS, EPONYM_AFTER, eponym_after
from .phi_patterns import FIELD_GAP
from .phi_words import MONTHS_DAYS, STOP_WORDS, lexicon

# A word: letters, inner apostrophes and hyphens ("O'Neill", "Mitchell-Walker", "McLean").
_WORD = re.compile(r"(?<![\w'\u2019-])[A-Za-z\u00c0-\u024f](?:[A-Za-z\u00c0-\u024f'\u2019-]*[A-Za-z\u00c0-\u024f])?"
                   r"(?![\w])")
# Between two capitalised words of one name: a space, or a particle ("Providence Little Company of Mary").
_JOIN = re.compile(r"[ \t]+(?:(?:of[ \t]+the|of|and|&|the|de|del|della|da|di|du|la|le|van|von|der|den|y|on)[ \t]+)?")

# Words of the clinic's day that no dictionary holds ("Handoff to ... at 0700" names no one), the languages
# of its interpreters ("Interpreter: Spanish") and the commonest words of bilingual notes' Spanish ("Vive en
# ... con su hija"): none of them a name.
_CLINIC_WORDS = frozenset(re.findall(r"\S+", """
handoff handoffs signout telehealth telemedicine televisit telepresenter teleconference callback inbasket workup
preop postop precert preauth triaged eprescribed homebound walkin deprescribed deprescribe uptitrated uptitrate
downtitrated downtitrate frontdesk
spanish english french mandarin cantonese vietnamese arabic russian portuguese creole haitian somali korean
tagalog polish hindi urdu bengali punjabi farsi persian amharic swahili japanese italian german greek nepali
burmese hmong khmer ukrainian turkish hebrew yiddish navajo asl
fue vive tiene usa toma presenta refiere niega dice siente hace desde con sin por para una uno los las del
esta hay pero muy mas tambien hija hijo esposa esposo madre padre casa trabajo paciente dolor ayuda necesita
enfermedad sindrome escala cita medico hospital clinica referida referido enviada enviado trasladada trasladado
atendida atendido internada internado hospitalizada hospitalizado foi tem prefiere tarde manana noche
"""))
# Eponyms, drug brands, devices and tests written capitalised in notes that neither SCOWL nor
# ICD-10-CM titles hold (our own list; the clinical nouns after them protect most others).
_CLINICAL_PROPER = frozenset(re.findall(r"\S+", """
mcmurray lachman phalen tinel finkelstein spurling hawkins neer apley thessaly ober thomas trendelenburg
romberg babinski hoffman kernig brudzinski homans murphy mcburney rovsing psoas obturator cullen
grey-turner chvostek trousseau kussmaul cheyne-stokes biot glasgow apgar bishop leopold mcroberts
ishihara snellen amsler schirmer seidel fluorescein tonopen goldmann humphrey fleischner virchow
cimino brescia mallampati cormack-lehane macintosh miller veress hasson calot nissen lichtenstein
hartmann whipple bovie kocher pfannenstiel jackson-pratt dermabond ancef wagner charcot unna xeroform
kerlix korsakoff ciwa cows aims capgras munchausen tourette asperger lewy marchiafava-bignami vivitrol
suboxone sublocade wernicke cotard ganser kluver-bucy antabuse campral clozaril waldenstrom guillain-barre
jervell lange-nielsen romano-ward kawasaki hodgkin kaposi sjogren meniere behcet vineland
kleihauer-betke salter-harris monteggia galeazzi colles smith barton bennett rolando boxer jones lisfranc
weber danis-weber maisonneuve hill-sachs bankart segond pilon
beers caprini wells geneva perc curb-65 nihss rankin hunt-hess fisher spetzler-martin gleason breslow clark
tanner ballard dubowitz silverman wong-baker flacc morse braden norton waterlow
papanicolaou pap gram ziehl-neelsen wright giemsa masson congo prussian
epley dix-hallpike valsalva heimlich sellick credé crede
coombs schilling mantoux quantiferon elisa western
tegaderm mepilex aquacel duoderm allevyn xeroform adaptic kerlix coban ace steri-strips steri-strip vicryl
monocryl prolene ethilon nylon pds maxon chromic silk dexon
foley coude swan-ganz picc hickman mediport portacath port-a-cath
medrol solu-medrol depo-medrol depo-provera kenalog celestone toradol dilaudid demerol versed fentanyl
propofol diprivan precedex ketalar etomidate amidate succinylcholine anectine rocuronium zemuron
vecuronium sugammadex bridion neostigmine glycopyrrolate robinul zofran decadron pepcid reglan
keppra ativan haldol geodon zyprexa seroquel naprosyn anaprox
helsinki belmont nuremberg tuskegee cochrane
ashkenazi jewish sensipar frenzel boostrix venofer mohs child-pugh fibroscan ara two-midnight vinci
cockcroft-gault cockcroft rinne urolift nichq hoffmann prague forrest asam
hueston dupuytren greulich pyle moro ortolani barlow hoehn yahr
dobhoff hinchey surgicel elidel eucrisa bethesda afirma mobitz cleviprex kerley killip alimta invisalign juven
salagen nourianz rocephin prader-willi guyon
""")) | frozenset(("mcmurray's", "bell's")) | _CLINIC_WORDS

# After the capitalised word: what a drug, dressing or device has, and a person does not.
_DRUG_AFTER = re.compile(
    r"(?:['\u2019]s)?[ \t]*\(?[ \t]*(?:\d|(?:injections?|infusions?|levels?|dos(?:e|es|ed|ing)|drops?|cream|"
    r"ointment|gel|patch(?:es)?|tablets?|tabs?|capsules?|caps|pens?|inhalers?|sprays?|suspension|solution|"
    r"dressings?|boots?|wraps?|drains?|needles?|blades?|sutures?|mesh|tape|sheath|scope|monitor|pump|"
    r"discontinued|continued|restarted|resumed|held|tapered|titrated|applied|given|due|administered|"
    r"injected|infused|prescribed|refilled|increased|decreased|weaned|changed|placed|inserted|removed|"
    r"positive|negative|present|absent|equivocal|intact|abnormal|normal|considered|suspected|excluded|"
    r"diagnosed|unlikely|likely|possible|ruled|started|stopped|added|tolerated|failed|helps|helped|worked|"
    r"caused|causes|improved|improves|relieved|relieves|reduced|controls|controlled|lowered|worsened|"
    r"triggered|induced|suppressed|cleared|ineffective|effective|offered|discussed(?![ \t]+with)|"
    r"at[ \t]+\d[\d.,]*[ \t]*(?:mcg|mg|g|units?|ml|mL)\b|"
    r"to[ \t]+(?:the[ \t]+)?(?:affected|area|areas|site|sites|wound|wounds|skin|burn|burns|ulcer|eye|eyes|face|"
    r"scalp|lesion|lesions|incision|feet|foot|hands?|legs?|arms?|back)|"
    r"therapy|trial|course|taper|regimen|protocol|products?|brand|generic|daily|bid|tid|qid|qhs|prn|"
    r"at[ \t]+(?:a[ \t]+)?(?:low[ \t]+|high[ \t]+|full[ \t]+|reduced[ \t]+)?dos\w*|"
    r"once|twice|weekly|monthly|nightly|every|po|iv|im|sc|sq|subq|mg|mcg|ml|units?)\b)"
    # "Hofer placed the epidural": a verb with an object after it is what a person did.
    r"(?![ \t]+(?:the|a|an|her|his|him|them|it|my|our|their|this|that|patient|pt)\b)", re.IGNORECASE)
# A sentence that says only when ("Evusheld previously.", "MitraClip last year."): a treatment, since a
# person's sentence says what the person did.
_WHEN_ONLY = re.compile(r"[ \t]+(?:previously|recently|currently|earlier|before|again|also|today|yesterday|"
                        r"(?:last|this|next)[ \t]+(?:year|month|week|spring|summer|fall|winter)|"
                        r"in[ \t]+(?:19|20)\d\d)[ \t]*[.;]")
# Before it: what is done to a drug.
_DRUG_BEFORE = re.compile(
    r"\b(?:start|started|starting|restart|restarted|continue|continued|continuing|taking|takes|take|took|"
    r"on|off|given|give|received|receiving|prescribed|prescribe|increase|increased|decrease|decreased|hold|"
    r"held|stop|stopped|discontinue|discontinued|apply|applied|using|use|used|trial|dose|doses|course|"
    r"(?:treat\w*|therapy|managed|combined|combination|along|together|regimen|premedicated|plus|consistent|"
    r"compatible|diagnosed|associated|infected|colonized|suggestive|suspicious|concerning)[ \t]+(?:with|for|of)|"
    r"(?:history|hx|diagnosis|dx|features|signs|symptoms|suspicion|evidence|workup|type)[ \t]+of|"
    r"suspected|r/o|rule[ \t]+out|ruled[ \t]+out|probable|possible|presumed|known|"
    r"switch(?:ed)?[ \t]+to|changed[ \t]+to|prescriptions?(?:[ \t]+\w+)?[ \t]+for|rx[ \t]+for|"
    r"refills?[ \t]+(?:of|for)|allergic[ \t]+to|allergy[ \t]+to|intolerant[ \t]+of|"
    r"positive|negative|equivocal|modified|reverse|bilateral|plus|(?:trial|course|dose|doses)[ \t]+of)[ \t]*:?[ \t]*$"
    # "Vanc + Cefepime": a plus joins drugs (outside the word boundary, which a "+" after a space never has)
    r"|\+[ \t]*$",
    re.IGNORECASE)
# A Latin species after a genus ("Candida auris", "Tropheryma whipplei").
_SPECIES = re.compile(r"[ \t]+[a-z]+(?:us|um|is|ae|ii|i|a|es|ensis|ans|ens|oides)\b")


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    lex = lexicon()
    # The capitalised words of ICD-10-CM titles that are also given or family names ("Benedikt",
    # "Buchanan") are known only with a clinical noun after them (see _protected) or as a possessive;
    # the others ("Lyme", "Chagas") are clinical words.
    return lex.english | (lex.clinical - (lex.clinical_proper & (lex.family | lex.given))) | STOP_WORDS \
        | _CLINICAL_PROPER


# Abbreviations that stand in capitals on a header line ("OPERATIVE REPORT - MRI - ..."); our own list.
ACRONYMS = frozenset(re.findall(r"\S+", """
MRI CT PET ECG EKG EEG EMG HPI ROS PMH PSH FHX SHX HEENT CBC BMP CMP LFT LFTS TSH PACU ICU MICU SICU NICU PICU
CCU ED ER OR PCP MRN DOB DOS CSN FIN ACCT ENC ADM RM BED SEX AGE EMS BIBA IOP PHP ECT DBT CBT EMDR CIWA COWS
AIMS PHQ GAD MOCA MMSE BMI BP HR RR SPO TEMP ASA NPO PO IV IM SQ PRN BID TID QID QHS ADHD PTSD OCD COPD CHF
CAD CKD ESRD DM HTN HLD GERD UTI URI DVT PE TIA CVA MI STEMI NSTEMI AFIB HIV HCV HBV STD STI TB ENT GI GU
OB GYN OBGYN PT OT SLP SNF LTC ALF HH DME VNA ABX NSAID SSRI SNRI MAT OUD AUD SUD ESI ABG VBG UA UDS
MD DO NP PA RN LPN CNA CRNA RNFA APRN DNP FNP MSW LCSW LPC LMFT PHD PSYD MBBS
RUSB LUSB LLSB RLSB RUQ LUQ RLQ LLQ IJ EJ PICC CVC AVF AVG
""")) | frozenset(("MRN", "DOB"))
# Endings of medical words no list holds ("Spirometry", "Resection", "Creatinine", "Rifampicin",
# "Postoperatively"): none of them ends a person's name often enough to matter.
_MEDICAL_ENDING = re.compile(
    r"(?:[a-z]{4,}omas?|itis|os[ie]s|a?emia|aemia|penia|ectomy|otomy|ostomy|plasty|pathy|pathic|algia|"
    r"olog(?:y|ic|ical|ist)|cytes?|cytosis|blasts?|[a-z]{3}ases?|genic|genesis|plasia|trophy|uria|scopy|scopic|graphy|"
    r"graphic|gram|grams|metry|metric|therapy|centesis|iasis|lysis|philia|rrh?o?ea|ectasis|oids?|tion|sion|ment|"
    r"ness|ization|isation|ometer|opsy|globulin|ponin|ritin|mentin|smin|ctin|retinin|inine|amine|idine|azine|apine|"
    r"epine|etine|oxetine|amide|azid|picin|mycin|micin|kacin|myxin|bucil|profen|amol|zole|ulpride|rodine|buphine|"
    r"porfin|penem|kinra|citabine|relin|platin|taxel|rubicin|trexate|uracil|zepam|zolam|barbital|caine|terol|sone|"
    r"olone|onide|ciclovir|lukast|afil|setron|tidine|statin|gliptin|gliflozin|glutide|floxacin|oxacin|cycline|"
    r"cillin|sporin|inib|umab|ximab|zumab|cept|parin|xaban|gatran|pril|sartan|dipine|triptan|dronate|glitazone|"
    r"formin|asteride|azosin|olol|prazole|vir|mab|nib|ampin|butol|quine|mectin|fungin|vudine|cocc(?:us|i)|bacter|bacteri(?:um|a)|bacill(?:us|i)|monas|"
    r"myces|virus|phage|facial|chemistry|amnesis|graphs?|domide|triol|ciferol|ically|ively|ously|atory|ular|eous|ious|[a-z]{7,}ic|ical|ative|itive|ectomy)$")
# Prefixes of medical words built on a known word ("Afebrile", "Transthoracic", "Periumbilical").
_MEDICAL_PREFIX = re.compile(r"^(?:a|an|anti|hypo|hyper|dys|peri|para|intra|inter|trans|retro|sub|supra|post|pre|"
                             r"non|pseudo|micro|macro|poly|neo|endo|epi|extra|infra|multi|hemi|semi|immuno|neuro|cardio|gastro|hepato|nephro|"
                             r"osteo|myo|angio|broncho|uro|gyneco|onco|psycho|radio|electro|echo|thermo|photo|"
                             r"chemo|cyto|histo|hemo|haemo|sero|lympho|naso|oro|pharyngo|laryngo|tracheo|thoraco|"
                             r"abdomino|cervico|lumbo|sacro|ileo|colo|recto|vesico|uretero|pyelo)")
# Genera of pathogens and fungi a note names capitalised ("positive for Candida"): our own list.
_GENERA = frozenset(re.findall(r"\S+", """
candida aspergillus yersinia leishmania mycoplasma borrelia corynebacterium alternaria propionibacterium
leuconostoc escherichia klebsiella pseudomonas staphylococcus streptococcus enterococcus enterobacter proteus
serratia acinetobacter salmonella shigella campylobacter helicobacter clostridium clostridioides listeria
neisseria haemophilus legionella bordetella brucella bartonella rickettsia chlamydia chlamydophila treponema
mycobacterium nocardia actinomyces bacteroides fusobacterium prevotella veillonella moraxella pasteurella
cryptococcus histoplasma coccidioides blastomyces pneumocystis mucor rhizopus fusarium trichophyton
microsporum malassezia sporothrix toxoplasma plasmodium giardia entamoeba cryptosporidium trichomonas
schistosoma strongyloides toxocara echinococcus taenia ascaris enterobius trichinella babesia trypanosoma
citrobacter morganella providencia stenotrophomonas burkholderia achromobacter aeromonas vibrio coxiella
francisella ehrlichia anaplasma leptospira tropheryma kingella eikenella cardiobacterium aggregatibacter
gardnerella ureaplasma lactobacillus bifidobacterium peptostreptococcus cutibacterium rothia gemella
abiotrophia granulicatella scedosporium lomentospora cladosporium exophiala paecilomyces penicillium
trichosporon rhodotorula saccharomyces pichia nakaseomyces epstein-barr
"""))



def _base(word: str) -> str:
    return re.sub(r"['\u2019]", "", re.sub(r"['\u2019]s$", "", word)).lower()


def is_clinical_proper(word: str) -> bool:
    """An eponym, brand or device of our own list, or a word of the clinic's day ("Guyon", "Dobhoff")."""
    return _base(word) in _CLINICAL_PROPER


def is_unknown(word: str) -> bool:
    """No word list knows the word (each part of a hyphenated word is tried): it may be a name."""
    w = _base(word)
    known = _known()
    if re.search(r"['\u2019]s$", word) and w in lexicon().clinical_proper:
        return False        # "Crohn's", "Parkinson's"
    if len(w) < 3 or w in known or w in _GENERA or _MEDICAL_ENDING.search(w):
        return False
    if re.match(r"[A-Z][a-z]{2,}[A-Z][a-z]", word) \
            and not re.match(r"(?:Mac|Van|Von|Del|Des|Dela|Sha|Tre|Tra|Jah|Kei|Ray|Dem|San|Fitz)[A-Z]", word):
        return False        # a product in camel case ("MitraClip", "ResMed"); names are "McLean", "DeShawn"
    if len(word) > 2 and (word[-1].isupper() and any(c.islower() for c in word)
                          or re.match(r"[A-Z][a-z][A-Z]", word) and not re.match(r"(?:Mc|De|La|Le|Di|Du|Da)", word)):
        return False        # abbreviations in mixed case: "IgM", "MoCA", "BiPAP", "NaCl"
    if w.endswith("ed") and (w[:-2] + "ion" in lexicon().clinical or w[:-2] + "ation" in lexicon().clinical):
        return False        # "Intubated", "Sedated": the act of a clinical noun ("intubation"), no name
    prefix = _MEDICAL_PREFIX.match(w)
    stem = w[prefix.end():] if prefix else ""
    if prefix and prefix.group() == "non" and stem in known:
        return False        # "Nontender"
    if len(stem) >= 4 and (stem in lexicon().clinical and stem not in lexicon().clinical_proper
                           or _MEDICAL_ENDING.search(stem)):
        return False        # "Afebrile", "Nontender", "Postoperative"
    again = re.fullmatch(r"(?:de|re|pre|post)([a-z]{4,}(?:ing|ion|ed))", w)
    if again and (again.group(1) in lexicon().english or again.group(1) in lexicon().clinical):
        return False        # "Deprescribing", "Reintubation", "Premedicated": an act undone, again or before
    parts = [p for p in w.split("-") if p]
    lex = lexicon()
    # "Dana-Farber", "Mitchell-Walker": capitalised on both sides of the hyphen, a name or an eponym
    # (which context protects) unless every part is an everyday word ("Follow-Up").
    if len(parts) > 2:
        return False        # "Wolff-Parkinson-White": three names joined are an eponym, not a person
    both = len(parts) > 1 and all(p[:1].isupper() for p in word.split("-") if p)
    if len(parts) > 1 and all(p in known or len(p) < 3 for p in parts) \
            and not (both and not all(p in lex.english for p in parts)):
        return False
    if len(parts) > 1 and (all(p in lex.clinical_proper for p in parts) and not both
                           or any(_MEDICAL_ENDING.search(p) or p in _CLINICAL_PROPER or not both
                                  and p in lex.clinical and p not in lex.clinical_proper and p not in lex.english
                                  for p in parts)):
        return False        # "Ehlers-Danlos" (two eponyms of the titles), "Amoxicillin-Clavulanico"
    # A plural or a verb form of a known word ("Regions" is judged by the word it is built on elsewhere).
    for suffix in ("s", "es", "ed", "ing", "'s"):
        if w.endswith(suffix) and w[: -len(suffix)] in known and len(w) - len(suffix) >= 4:
            return False
    return True


_NEXT = re.compile(r"(?:['\u2019]s?)?[ \t]+([a-z][a-z-]+)\b")


def _noun_after(text: str, pos: int) -> bool:
    """A common noun follows ("Auer rods", "Jobst stockings", "Kernohan notch"): an eponym or a product.
    Verbs ("prescribes", "agreed"), words that follow a person (FOLLOWERS) and adverbs do not count;
    a word ending in -s whose -ed form is a word and which is no clinical word is taken for a verb."""
    m = _NEXT.match(text, pos)
    if not m:
        return False
    word = m.group(1)
    lex = lexicon()
    if re.match(r"['\u2019]", m.group()) and (word not in lex.clinical or word in _OWNED):
        return False        # "Thorne's note", "Fairweather's partner"; not "Bell's palsy"
    if len(word) <= 3 or word.endswith(("ed", "ly")) or word in _FOLLOWERS or word in _person_words():
        return False
    if word not in lex.english and word not in lex.clinical:
        return False
    if word.endswith("s") and not word.endswith("ss") and word not in lex.clinical:
        stem = word[:-2] if word.endswith("es") and word[:-2] + "ed" in lex.english else word[:-1]
        if (stem + "ed" in lex.english or stem + "d" in lex.english) and stem not in lex.clinical:
            return False
    return True


_OWNED = frozenset(re.findall(r"\S+", """note notes team office service clinic partner colleague nurse patient
patients plan recommendation recommendations assessment input group practice staff resident fellow"""))


@lru_cache(maxsize=1)
def _person_words() -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", _PERSON_VERBS))


def _protected(text: str, start: int, end: int) -> bool:
    """Clinical context around the capitalised run text[start:end] makes it a drug, test or eponym."""
    owner = re.match(r"['\u2019]s[ \t]+([a-z]+)", text[end - 2 if re.match(r"['\u2019]s\b", text[end - 2:end])
                                                      else end:end + 30])
    if owner and owner.group(1) in _OWNED:
        return False        # "Fairweather's partner"
    if EPONYM_AFTER.match(text, end) or eponym_after(text, end) or _noun_after(text, end):
        return True
    if _DRUG_AFTER.match(text, end) or _WHEN_ONLY.match(text, end):
        return True
    species = _SPECIES.match(text, end)
    if species and species.group().strip() not in lexicon().english:
        return True
    if text[end:end + 1] in ("\u00ae", "\u2122"):
        return True
    return bool(_DRUG_BEFORE.search(text[max(0, start - 30):start]))


def _capitalised(word: str) -> bool:
    """Maria, McLean, O'Neill; not an abbreviation with a plural or unit ("PVCs", "HbA1c")."""
    return word[0].isupper() and len(word) > 1 and (word[1].islower() or word[1] in "'\u2019")


_FIELD_GAP = re.compile(FIELD_GAP)


def _runs(text: str, words: list[re.Match[str]], allcaps: bool) -> list[list[re.Match[str]]]:
    """Consecutive capitalised words (with particles between them) on one line."""
    runs: list[list[re.Match[str]]] = []
    cur: list[re.Match[str]] = []
    pending: re.Match[str] | None = None       # an abbreviation that may open a name ("UCLA Resnick")
    for m in words:
        w = m.group()
        if cur and w in _PARTICLES:
            continue        # judged by the gap between the capitalised words
        cap = _capitalised(w) or (w.isupper() and len(w) >= 2 and (allcaps or bool(cur)))
        # (round 50: a label after a wide gap is the next field's: "Signed: Deborah Moore  Title: Camp Nurse")
        if cap and cur and _JOIN.fullmatch(text[cur[-1].end():m.start()]) and not _FIELD_GAP.match(text, cur[-1].end()):
            cur.append(m)
            continue
        if cur:
            runs.append(cur)
        cur = [m] if cap else []
        if cap and pending is not None and re.fullmatch(r"[ \t]+", text[pending.end():m.start()]):
            cur.insert(0, pending)
        pending = m if not cap and w.isupper() and 2 <= len(w) <= 5 else None
    if cur:
        runs.append(cur)
    return runs


_PARTICLES = frozenset(("of", "and", "the", "de", "del", "della", "da", "di", "du", "la", "le", "van", "von", "der",
                        "den", "y", "on"))


def header_ranges(text: str, lines: int = 3) -> list[tuple[int, int]]:
    """Offsets of the first ``lines`` non-empty lines that look like a patient header (identifiers,
    birth date, age and sex, separators): there all-capital words are judged too."""
    from .phi_names import _HEADER_MARKER

    out: list[tuple[int, int]] = []
    for count, m in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text)):
        if count >= lines:
            break
        line = m.group()
        if len(line) > 120 or len(re.findall(r"(?<![\w'])[a-z][a-z]+\b", line)) > 5:
            continue        # a sentence, not a header
        if _HEADER_MARKER.search(line) or re.search(r"[ \t][-\u2013\u2014|]+[ \t]|:[ \t]*[A-Z]{2,}", line) \
                and re.search(r"\b[A-Z]{2,},?[ \t]+[A-Z]{2,}\b", line):
            out.append((m.start(), m.end()))
    return out


def unknown_word_spans(text: str, caps: list[tuple[int, int]] | None = None) -> list[tuple[int, int, bool]]:
    """Capitalised runs with a word no list knows and no clinical context: (start, end, all_unknown).
    Inside the ``caps`` ranges (header lines) all-capital words count too."""
    out: list[tuple[int, int, bool]] = []
    caps = caps or []
    words = list(_WORD.finditer(text))
    inside = [any(s <= m.start() < e for s, e in caps) for m in words]
    groups: list[tuple[bool, list[re.Match[str]]]] = [
        (True, [m for m, i in zip(words, inside, strict=True) if i]),
        (False, [m for m, i in zip(words, inside, strict=True) if not i])]
    for in_header, chunk in groups:
        for run in _runs(text, chunk, in_header):
            toks = [m.group() for m in run]
            # On a header line a word in capitals names the patient only beside another one ("RADIC, IVO",
            # "KERENSA POLGLASE"); alone it is an abbreviation ("CC: RLQ pain").
            caps_pair = sum(t.isupper() for t in toks) >= 2
            unknown = [is_unknown(t) and not (t.isupper() and (not in_header or t in ACRONYMS or not caps_pair))
                       for t in toks]
            if not any(unknown):
                continue
            # Codes and abbreviations written with digits ("PHQ-9", "Factor V") stay, as do lab values
            # ("Creatinine: 1.3", "Troponin <6") and a label opening a line ("Dispo: home").
            after = text[run[-1].end():run[-1].end() + 12]
            if re.match(r"-?\d", after) and len(run) == 1 or re.match(r"[ \t]*(?:[:=][ \t]*)?[<>]?[ \t]*\d", after):
                continue
            if len(run) == 1 and after.startswith(":") and re.search(r"(?:^|\n|[.;|]\s)[ \t\u2022*-]*$",
                                                                    text[max(0, run[0].start() - 8):run[0].start()]):
                continue
            if _base(toks[0]) in _GENERA or EPONYM_AFTER.match(" " + toks[-1]):
                continue        # "Neisseria Gonorrhoeae", "Columbia Agar", "Kawasaki Disease"
            first = unknown.index(True)     # "Started Caplyta": what precedes the unknown word counts
            if not in_header and _protected(text, run[first].start(), run[-1].end()):
                continue
            # Known words at either end stay outside unless they are part of a facility's name
            # (trimmed when a sentence opener or a stop word: "Positive", "Patient", "Dr").
            lo, hi = 0, len(run) - 1
            while lo < hi and not unknown[lo] and (_base(toks[lo]) in STOP_WORDS or in_header):
                lo += 1
            while hi > lo and not unknown[hi] and (_base(toks[hi]) in STOP_WORDS or in_header
                                                    or toks[hi].isupper() and not in_header):
                hi -= 1
            # "Naprosyn and Flexeril": each part joined by "and" is judged on its own once the run is
            # known to stand in no clinical context.
            piece = lo
            for k in range(lo, hi + 1):
                if k == hi or re.search(r"\band\b|&", text[run[k].end():run[k + 1].start()]):
                    if any(unknown[piece:k + 1]):
                        stop = run[k].end() - (2 if re.search(r"['\u2019]s$", toks[k]) else 0)
                        out.append((run[piece].start(), stop, all(unknown[piece:k + 1])))
                    piece = k + 1
    return out


# ----- slots: names of everyday words -----------------------------------------------------------------

_CAPRUN = (r"(?:[A-Z][a-z\u00c0-\u024f][\w'\u2019-]*|[A-Z]{2,5}|[A-Z]\.)"
           r"(?:[ \t]+(?:(?:of|and|&|the|de|la|del|van|von|on)[ \t]+)?"
           r"(?:[A-Z][a-z\u00c0-\u024f][\w'\u2019-]*|[A-Z]{2,5}))"
           r"{0,5}")
# In mid-sentence after a preposition that takes a place or a person ("at Patient First", "led by Lane").
_AFTER_PREP = re.compile(rf"(?<=[\w,)])[ \t]+(?P<p>at|to|from|with|through|via|by|into)[ \t]+(?P<r>{_CAPRUN})")
# What still makes the words after a strong preposition clinical: a value ("with Cr of 1.1"), a
# protocol or classification ("with Bruce protocol").
_STRONG_PROTECT = re.compile(r"[ \t]*(?:(?:of|to)[ \t]+)?[<>]?[ \t]*\d|(?:['\u2019]s)?[ \t]+(?:protocol|regimen|"
                             r"method|technique|approach|classification|criteria|score|scale|stain|medium|agar|"
                             r"positive|negative|sign|test|maneuver|manoeuvre)\b", re.IGNORECASE)
# "with" takes a drug after these ("treated with Keytruda"), a place or a person otherwise.
_TREATED_WITH = re.compile(
    r"\b(?:consistent|compatible|diagnos\w*|suggestive|suspicious|concerning|associated|affected|infected|"
    r"colonized|known|treat\w*|therap\w*|manag\w*|start\w*|combin\w*|along|together|premedicat\w*|pretreat\w*|"
    r"control\w*|improv\w*|respon\w*|prophyla\w*|supplement\w*|replet\w*|dos\w*|induc\w*|maint\w*|"
    r"continu\w*|regimen|course|infus\w*|inject\w*|given|received|receiving|augment\w*|paired|plus|and|or|"
    r"coverage|anticoagulat\w*|sedat\w*|intubat\w*|irrigat\w*|dressed|clean\w*|covered|packed|closed|"
    r"repaired|anesthetized|scanned|imaged|stain\w*|washed|flushed|tested|tried|trial|switched|replaced|"
    r"resolved|relieved|helped|better|worse|reaction|allerg\w*|compliant|adherent|noncompliant|taking|"
    r"ointment|cream|drops|lubricat\w*|suppress\w*|block\w*|fixed|fixation|reconstruct\w*|patched)"
    r"(?:[ \t]+\w+){0,2}[ \t]+$", re.IGNORECASE)
# A drug follows "to" or "from" only after these ("switched to Keytruda"); "at", "through", "via", "into"
# and "by" never take a drug, so only an eponym's noun protects what follows them.
_DRUG_VERB_BEFORE = re.compile(r"\b(?:switch(?:ed|ing)?|chang(?:ed|ing)|convert(?:ed|ing)|transition(?:ed|ing)|"
                               r"wean(?:ed|ing)|allerg(?:ic|y)|intoleran(?:t|ce)|sensitiv(?:e|ity)|titrat(?:ed|ing)|"
                               r"increas(?:ed|ing)|decreas(?:ed|ing)|reduc(?:ed|ing)|escalat(?:ed|ing)|response|"
                               r"responded|reaction|exposure|exposed|resistan(?:t|ce)|add(?:ed|ing)?)[ \t]+$",
                               re.IGNORECASE)
# Opening a sentence before what only a person does ("Shields prescribes", "Penny Lane closed the skin").
_PERSON_VERBS = (r"prescribes|prescribed[ \t]+(?:her|him|them|the)|recommends|recommended|agrees|agreed|"
                 r"reinforced|reinforces|taught|teaches|educated|instructed|"
                 r"concurs|concurred|says|said|called|calls|saw|sees|will|would|wants|wanted|thinks|thought|"
                 r"feels|felt|believes|measured|fitted|drafted|closed|opened|led|leads|signed|co-signed|"
                 r"dictated|ordered|orders|discussed|explained|examined|evaluated|manages|managed|reviewed|"
                 r"performed|placed|noted|notes|asked|asks|requested|requests|advised|advises|suggests|"
                 r"suggested|counseled|counselled|met|meets|spoke|visited|assessed|obtained|consented|"
                 r"repaired|removed|injected|confirmed|documented|interpreted|read|reads|at[ \t]+bedside|"
                 r"declined|declines|accepted|accepts|approved|denied|denies|admitted|admits|"
                 r"and[ \t]+I|is[ \t]+(?:covering|aware|following|on[ \t]+call)|has[ \t]+(?:seen|been)|"
                 r"was[ \t]+(?:paged|called|notified|present|informed)|"
                 r"\((?:[A-Za-z/&, -]+)\)[ \t]+(?:[a-z]+s|[a-z]+ed|will|saw|said|thinks)\b")
# After one everyday word, only what no thing does makes it a person ("Shields prescribes").
_STRONG_PERSON = re.compile(r"[ \t]*,?[ \t]+(?:prescribes|recommends|recommended|agrees|agreed|concurs|concurred|says|"
                            r"reinforced|reinforces|taught|teaches|"
                            r"said|called|calls|wants|wanted|thinks|thought|feels|felt|believes|will|would|asked|"
                            r"asks|advised|advises|suggests|suggested|counseled|counselled|spoke|at[ \t]+bedside|"
                            r"and[ \t]+I|declined|declines|is[ \t]+(?:covering|aware|on[ \t]+call)|"
                            r"\((?:the[ \t]+)?[a-z][^()\n]{0,40}\)[ \t]+[a-z]+)\b")
_OPENING = re.compile(rf"(?:^|(?<=[.!?;:]\s)|(?<=[.!?;:]\s\s))[ \t]*(?P<r>{_CAPRUN})[ \t]*,?[ \t]+"
                      rf"(?:{_PERSON_VERBS})\b", re.MULTILINE)
# After a role noun: "nurse Hope", "circulator, Penny Lane", "Anesthesiologist Rusty Nail".
_ROLE = re.compile(r"\b(?i:nurse|circulator|scrub|assist|assistant|anesthesiologist|anesthetist|crna|surgeon|"
                   r"resident|fellow|intern|attending|hospitalist|intensivist|therapist|counselor|counsellor|"
                   r"chaplain|pharmacist|dietitian|midwife|aide|tech|technician|technologist|coordinator|"
                   r"navigator|manager|worker|case[ \t]+manager|proctor|physician|doctor|provider|"
                   r"psychologist|psychiatrist|optometrist|\w+ologist|\w+iatrist)\b[ \t]*[,:(]?[ \t]*"
                   rf"(?P<r>{_CAPRUN}(?:,[ \t]*[A-Z][a-z]+\b)?)")


_SERVICE_WORDS = frozenset(("therapy", "physical", "occupational", "speech", "rehab", "rehabilitation", "women",
                            "radiology", "cardiology", "oncology", "surgery", "medicine", "pharmacy"))


def _namey(word: str) -> bool:
    """A word that may be (part of) a proper name: not a stop word, not a clinical word unless it is
    also a name (family names "Stone", "Marsh"; not "Pain")."""
    lex = lexicon()
    w = _base(word)
    if w in STOP_WORDS or len(w) < 2 \
            or (w in lex.clinical_proper or w in _CLINICAL_PROPER) and w not in lex.family and w not in lex.given:
        return False
    parts = re.split(r"[-/]", w)
    if len(parts) > 1 and all(p in lex.english for p in parts):
        return False        # "Time-out", "Follow-up"
    if any(_MEDICAL_ENDING.search(p) or p in lex.clinical and p not in lex.clinical_proper and p not in lex.english
           for p in parts):
        return False        # "Amoxicillin-Clavulanico"
    if w in lex.clinical:
        return w in lex.family or w in lex.given
    return True


# Words that end or are no name in a header's run: months, days, and a few capitalised words of headers.
_MONTHS_DAYS = MONTHS_DAYS | frozenset(("i", "english", "spanish", "icu", "or"))


def slot_spans(text: str) -> list[tuple[int, int, bool]]:
    """Capitalised runs in a slot where a name stands, whatever their words: (start, end, person), where
    person is true after a role noun or before what a person does (a place otherwise)."""
    out: list[tuple[int, int, bool]] = []
    for pat in (_AFTER_PREP, _OPENING, _ROLE):
        for m in pat.finditer(text):
            toks = list(re.finditer(r"[A-Za-z\u00c0-\u024f][\w'\u2019.-]*", m.group("r")))
            names = [t for t in toks if t.group()[0].isupper() and _namey(t.group())
                     and _base(t.group()) not in _MONTHS_DAYS and not (t.group().isupper() and len(toks) == 1)
                     # Round 45: nor a test's letters beside another's ("followed by MRI and EEG")
                     and t.group() not in ACRONYMS]
            if not names:
                continue
            lex = lexicon()
            if any(_base(t.group()) in _SERVICE_WORDS for t in toks):
                continue        # "Referred to Physical Therapy and Women's Care"
            if pat is _OPENING and any(t.group().isupper() or not _namey(t.group()) or not (
                    is_unknown(t.group()) or _base(t.group()) in lex.family or _base(t.group()) in lex.given)
                    for t in toks if t.group()[0].isupper()):
                continue        # a sentence opening with a common word ("Samples obtained", "Brain MRI")
            caps = [t.group() for t in toks if t.group()[0].isupper()]
            if pat is _OPENING and len(caps) == 1 and _base(caps[0]) in lex.english \
                    and not _STRONG_PERSON.match(text, m.end("r")):
                continue        # "Samples obtained": one everyday word needs what only a person does
            if pat is _AFTER_PREP and len(names) == 1 and len(toks) == 1 and m.group("p") != "by" and not (
                    is_unknown(names[0].group()) or (_base(names[0].group()) in lex.family
                                                     or _base(names[0].group()) in lex.given)
                    and _base(names[0].group()) not in lex.clinical):
                continue        # one everyday word ("Pain at Best") is a place only with a second word
            if len(toks) > 1 and EPONYM_AFTER.fullmatch(" " + toks[-1].group()):
                continue        # Round 47: a product by its kind ("with SAM Splint"), no place or person
            start = m.start("r")
            end = m.end("r")
            # Trailing abbreviations ("at Patient First ED") stay out.
            # Trailing abbreviations and days ("at Mercy Hospital on Friday") stay out, with the connector.
            while len(toks) > 1 and (toks[-1].group() in ACRONYMS or _base(toks[-1].group()) in _MONTHS_DAYS
                                     or toks[-1].group().islower()):
                toks.pop()
            end = start + toks[-1].end()
            first = next(t for t in toks if t.group()[0].isupper())
            prep = m.groupdict().get("p")
            before = text[max(0, m.start() - 30):m.start() + 1]
            strong = prep in ("at", "through", "via", "into", "by") or prep in ("to", "from") \
                and not _DRUG_VERB_BEFORE.search(before) or prep == "with" and not _TREATED_WITH.search(before)
            if strong:
                if not EPONYM_AFTER.match(text, end) and not _STRONG_PROTECT.match(text, end) \
                        and text[end:end + 1] != ":":
                    out.append((start, end, len(toks) == 1))
                continue
            if _protected(text, start + first.start(), end):
                continue
            out.append((start, end, pat is not _AFTER_PREP or len(toks) == 1))
    # A request about a person ("Please let Yael know", "ask Ignacio to call") and a person's staff
    # ("Reply from Young's nurse"): whatever the word, it names someone.
    for pat in (_REQUEST, _OWNER):
        for m in pat.finditer(text):
            words = re.findall(r"[A-Za-z\u00c0-\u024f][\w'\u2019.-]*", m.group("r"))
            if all(_namey(w) and _base(w) not in _MONTHS_DAYS for w in words):
                out.append((m.start("r"), m.end("r"), True))
    return out


_REQUEST = re.compile(rf"\b(?i:let|tell|ask|remind|inform|thank)[ \t]+(?P<r>{_CAPRUN})[ \t]+"
                      r"(?:know|to|that|about|if|whether)\b")
_OWNER = re.compile(rf"(?<![\w'\u2019-])(?P<r>{_CAPRUN})['\u2019]s[ \t]+(?:(?:triage|charge|intake|front[ \t]+desk|"
                    r"billing|on-call|call|supervising|covering|primary)[ \t]+)?(?:nurse|office|team|assistant|MA|"
                    r"PA|NP|scheduler|secretary|resident|fellow|staff|attending|preceptor|supervisor|partner)\b")


# ----- the patient named between dashes or pipes on an upload's first lines -----------------------------

_SEGMENT_SPLIT = re.compile(r"[ \t]+[-\u2013\u2014|/]+[ \t]+|[ \t]*\|[ \t]*|[ \t]{3,}|:[ \t]+")
_TITLE_WORDS = frozenset(re.findall(r"\S+", """record report note notes summary intake form visit history physical
consult consultation letter discharge admission operative anesthesia progress procedure encounter assessment
evaluation referral request order orders results result transfer clinic department hospital center patient
name employee client resident member subject legal status voluntary pre-op post-op
log sheet screen triage handoff message""")) | STOP_WORDS      # (round 47: "EMS LOG - pt found down ...")


def header_segment_names(text: str, lines: int = 3) -> list[str]:
    """Name words of a two- or three-word segment between separators on the first ``lines`` lines
    ("ANESTHESIA RECORD - ROSE HILL - 9/15/1978"), when none of its words is a title or clinical word."""
    lex = lexicon()
    out: list[str] = []
    for line in [ln for ln in text.splitlines() if ln.strip()][:lines]:
        segments = _SEGMENT_SPLIT.split(line.strip())
        if len(segments) < 2:
            continue
        for seg in segments:
            words = re.findall(r"[A-Za-z\u00c0-\u024f][\w'\u2019-]*", seg)
            if not 2 <= len(words) <= 3 or re.search(r"\d", seg):
                continue
            if not all(w[0].isupper() for w in words):
                continue
            if any(_base(w) in _TITLE_WORDS or (_base(w) in lex.clinical and _base(w) not in lex.family
                                                 and _base(w) not in lex.given) for w in words):
                continue
            out += [w for w in words if len(w) > 1]
    return out
