"""The office procedures we suggest CPT codes for: patterns, our own short labels, SNOMED CT crosswalk.

Labels are our own plain words (never the AMA descriptors, which are copyrighted). Each rule is a
phrase pattern for the procedure; :mod:`.procedures` decides whether the note says it was done
today. ``SNOMED_TO_CPT`` maps the SNOMED CT concepts Comprehend Medical's InferSNOMEDCT returns for
these procedures; concepts not in it are matched by their text against the same patterns.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ProcedureRule:
    code: str
    label: str
    pattern: re.Pattern[str]
    # A documented result means it was done here ("rapid strep negative", "urine dip: trace protein").
    result: re.Pattern[str] | None = None
    # The phrase itself says it was done ("cerumen removed with a curette", "abscess incised and drained").
    done_by_phrase: bool = False
    hint: str | None = None


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_VACCINES = (r"vaccine|vaccination|immunization|flu shot|influenza shot|tdap|tetanus shot|pneumovax|prevnar|"
             r"shingrix|gardasil|hpv vaccine|hepatitis [ab] vaccine|covid(?:-19)? booster|mmr|varicella vaccine")
_INJECTABLES = (r"rocephin|ceftriaxone|toradol|ketorolac|kenalog|triamcinolone|depo-?medrol|methylprednisolone|"
                r"b-?12|cyanocobalamin|depo-?provera|medroxyprogesterone|bicillin|penicillin g|dexamethasone|"
                r"decadron|phenergan|promethazine|testosterone cypionate|lupron|prolia|denosumab|rhogam|"
                r"solu-?medrol|zofran|ondansetron")
_JOINT_ACT = r"inject(?:ed|ion)|aspirat(?:ed|ion)|arthrocentesis|tapped"

RULES: tuple[ProcedureRule, ...] = (
    ProcedureRule("93000", "Electrocardiogram in the office, with our reading",
                  _re(r"\b(?:ecg|ekg|electrocardiogram|12[- ]lead)\b"),
                  result=_re(r"\b(?:ecg|ekg|electrocardiogram)\b[^.\n]{0,20}(?:today|in (?:the )?(?:office|clinic))"
                             r"[^.\n]{0,10}(?:shows?|showed|reveals?|revealed|demonstrates?|:)")),
    ProcedureRule("36415", "Blood draw from a vein",
                  _re(r"\bvenipuncture\b|\bphlebotomy\b|\bblood draw\b|\b(?:blood|labs?) (?:was |were )?drawn\b")),
    ProcedureRule("81003", "Urine dipstick, automated reader, no microscopy",
                  _re(r"\b(?:automated|clinitek|analy[sz]er)\b[^.\n]{0,30}\b(?:urinalysis|ua|urine dip(?:stick)?)\b|"
                      r"\b(?:urinalysis|ua|urine dip(?:stick)?)\b[^.\n]{0,30}\b(?:automated|clinitek|analy[sz]er)\b"),
                  result=_re(r"(?:positive|negative|trace|\d\+|shows?|showed|revealed?|nitrite|leukocyte)")),
    ProcedureRule("81002", "Urine dipstick read by hand, no microscopy",
                  _re(r"\burine dip(?:stick)?\b|\bdipstick (?:urinalysis|ua)\b|\bu/?a dip(?:stick)?\b|"
                      r"\b(?:poc|point[- ]of[- ]care|office|in[- ]office|clinic) (?:urinalysis|ua|urine)\b"),
                  result=_re(r"(?:positive|negative|trace|\d\+|shows?|showed|revealed?|nitrite|leukocyte)")),
    ProcedureRule("20610", "Large joint or bursa injection or aspiration (knee, shoulder, hip)",
                  _re(rf"\b(?:{_JOINT_ACT})\b[^.\n]{{0,60}}\b(?:knee|shoulder|hip|subacromial|glenohumeral|"
                      rf"trochanteric|pes anserine)|\b(?:knee|shoulder|hip|subacromial|glenohumeral|trochanteric)"
                      rf"\b[^.\n]{{0,40}}\b(?:{_JOINT_ACT})\b"),
                  done_by_phrase=True, hint="With ultrasound guidance the guided code applies instead"),
    ProcedureRule("20605", "Mid-size joint or bursa injection or aspiration (elbow, wrist, ankle)",
                  _re(rf"\b(?:{_JOINT_ACT})\b[^.\n]{{0,60}}\b(?:elbow|wrist|ankle|olecranon)|"
                      rf"\b(?:elbow|wrist|ankle|olecranon)\b[^.\n]{{0,40}}\b(?:{_JOINT_ACT})\b"),
                  done_by_phrase=True, hint="With ultrasound guidance the guided code applies instead"),
    ProcedureRule("20600", "Small joint or bursa injection or aspiration (finger, toe, thumb base)",
                  _re(rf"\b(?:{_JOINT_ACT})\b[^.\n]{{0,60}}\b(?:finger|toe|thumb|mcp|pip|cmc) joint|"
                      r"\btrigger finger injection"),
                  done_by_phrase=True),
    ProcedureRule("90471", "Vaccine given by injection (first vaccine)",
                  _re(rf"\b(?:{_VACCINES})\b(?!\s+(?:titers?|antibod\w*|immunity|status|records?|history))"),
                  hint="Add the vaccine product code; each additional vaccine is an add-on administration code"),
    ProcedureRule("96372", "Medicine injected into muscle or under the skin",
                  _re(rf"\b(?:im|intramuscular|subcutaneous|sub-?q|sq)\b (?:injection|inj|shot)\b|"
                      rf"\b(?:{_INJECTABLES})\b[^.\n]{{0,50}}\b(?:im|intramuscular(?:ly)?|subcutaneous(?:ly)?|sq|"
                      rf"sub-?q|injection|shot)\b|\binjection of (?:{_INJECTABLES})\b"),
                  hint="Add the drug supply code (HCPCS J-code) for the medicine given"),
    ProcedureRule("94060", "Spirometry before and after a bronchodilator",
                  _re(r"\bspirometry\b[^\n]{0,120}?\b(?:pre[- ] ?and post|post[- ]?bronchodilator|before and after|"
                      r"bronchodilator (?:response|reversibility)|reversibility)|"
                      r"\b(?:pre[- ] ?and post|post[- ]?bronchodilator)[^.\n]{0,40}\bspirometry\b")),
    ProcedureRule("94010", "Spirometry in the office",
                  _re(r"\bspirometry\b|\bpulmonary function test(?:ing|s)?\b|\bpfts?\b"),
                  result=_re(r"\bfev1\b|\bfvc\b")),
    ProcedureRule("69209", "Earwax removal by irrigation",
                  _re(r"\b(?:irrigat(?:ed|ion)|lavage|flushed)\b[^.\n]{0,40}\b(?:cerumen|ear ?wax|ear canals?|ears?)\b|"
                      r"\b(?:cerumen|ear ?wax)\b[^.\n]{0,40}\b(?:irrigat(?:ed|ion)|lavage|flushed)\b"),
                  done_by_phrase=True),
    ProcedureRule("69210", "Earwax removal with instruments",
                  _re(r"\b(?:cerumen|ear ?wax)\b[^.\n]{0,60}\b(?:removed|removal|curett(?:e|ed|age)|extracted|"
                      r"disimpacted|cleared)\b|\b(?:removed|removal of|disimpaction of|curettage of)\b[^.\n]{0,30}"
                      r"\b(?:cerumen|ear ?wax)\b"),
                  done_by_phrase=True),
    ProcedureRule("17110", "Destruction of warts or similar benign lesions (up to 14)",
                  _re(r"\b(?:cryotherapy|cryo|liquid nitrogen|ln2|cantharidin|destroyed|frozen|froze)\b[^.\n]{0,60}"
                      r"\b(?:warts?|verruca[e]?|molluscum)\b|\b(?:warts?|verruca[e]?|molluscum)\b[^.\n]{0,60}"
                      r"\b(?:cryotherapy|liquid nitrogen|cantharidin|destroyed|frozen)\b"),
                  done_by_phrase=True),
    ProcedureRule("11104", "Skin biopsy, punch, first lesion",
                  _re(r"\bpunch biops(?:y|ies|ied)\b")),
    ProcedureRule("11106", "Skin biopsy, incisional, first lesion",
                  _re(r"\bincisional biops(?:y|ies|ied)\b")),
    ProcedureRule("11102", "Skin biopsy, shave (tangential), first lesion",
                  _re(r"\b(?:shave|tangential) biops(?:y|ies|ied)\b|"
                      r"\bbiops(?:y|ied)\b[^.\n]{0,40}\b(?:lesion|mole|nevus|skin)\b|\b(?:lesion|mole|nevus)\b[^.\n]{0,30}\bbiopsied\b"),
                  hint="Technique not stated: check shave, punch or incisional"),
    ProcedureRule("12001", "Simple wound repair",
                  _re(r"\b(?:laceration|wound|cut)\b[^.\n]{0,80}\b(?:repaired|closed|sutured|sutures? (?:were )?placed|"
                      r"stitch(?:ed|es)|stapled|staples? placed|dermabond|tissue adhesive)\b|\b(?:repair(?:ed)? of|"
                      r"suturing of|closure of|closed the)\b[^.\n]{0,30}\b(?:laceration|wound)\b"),
                  done_by_phrase=True, hint="Code depends on total length; layered closure is an intermediate repair"),
    ProcedureRule("10060", "Drainage of a skin abscess, simple or single",
                  _re(r"\b(?:incision and drainage|i\s?&\s?d|i and d|incised and drained|lanced|drained)\b[^.\n]{0,50}"
                      r"\b(?:abscess|boil|furuncle|paronychia|cyst)\b|\b(?:abscess|boil|furuncle|paronychia)\b[^.\n]{0,40}"
                      r"\b(?:incised and drained|incision and drainage|i\s?&\s?d|lanced|drained)\b"),
                  done_by_phrase=True),
    ProcedureRule("94640", "Inhaled breathing treatment by nebulizer in the office",
                  _re(r"\b(?:nebuli[sz]er|nebuli[sz]ed|neb|duoneb)\b(?: treatments?| tx)?")),
    ProcedureRule("87880", "Rapid strep antigen test",
                  _re(r"\brapid strep(?:tococcal)?(?: antigen)?(?: test| screen)?\b|\bstrep screen\b|\brapid antigen "
                      r"detection test\b"),
                  result=_re(r"(?:positive|negative|pos\b|neg\b|\(\+\)|\(-\))")),
    ProcedureRule("94760", "Pulse oximetry reading (single)",
                  _re(r"\bpulse oximetry\b|\bpulse ox\b|\bambulatory (?:pulse )?ox(?:imetry)?\b"),
                  hint="Usually bundled into the visit; Medicare does not pay it separately"),
)
BY_CODE = {r.code: r for r in RULES}

# Laceration repair length -> simple repair code (scalp, neck, trunk, limbs; face codes differ).
SIMPLE_REPAIR_BY_CM = ((2.5, "12001"), (7.5, "12002"), (12.5, "12004"), (20.0, "12005"), (30.0, "12006"),
                       (1e9, "12007"))

# SNOMED CT concepts (InferSNOMEDCT) -> our CPT rule: only concept ids we are sure of; any other
# concept is matched by its text against the rules above.
SNOMED_TO_CPT: dict[str, str] = {
    "29303009": "93000",    # Electrocardiographic procedure
    "268400002": "93000",   # 12 lead electrocardiogram
    "22778000": "36415",    # Venipuncture
    "27171005": "81002",    # Urinalysis
    "76601001": "96372",    # Intramuscular injection
    "33879002": "90471",    # Administration of vaccine to produce active immunity
    "127783003": "94010",   # Spirometry
    "56251003": "94640",    # Nebulizer therapy
    "252465000": "94760",   # Pulse oximetry
    "240977001": "11102",   # Biopsy of skin
}
