"""ICD-10-CM guideline rules applied to engine candidates, in order.

1. Assertions: negated and hypothetical mentions are dropped; uncertain diagnoses are not coded
   (outpatient rule IV.H: code the symptom, which is matched on its own); history and family
   history become Z codes; in past medical history a resolvable condition (cancer, MI, stroke) is
   history.
2. Sections: when the note has an assessment/plan or diagnosis list that yields a code, present
   conditions are taken from there only (HPI/ROS mentions are symptoms of those diagnoses).
3. Billable: 7th characters from the encounter (A/D/S); non-billable codes go to the default child
   with a hint that a more specific code exists.
4. Combinations: diabetes with CKD/neuropathy/PAD, hypertension with heart failure and/or CKD
   (the "with" convention presumes the link).
5. Pruning: an unspecified code is dropped when a more specific code of the same category is
   present; symptoms on the same line as a confirmed diagnosis are integral to it; Excludes1 pairs
   keep the better-supported code; BMI codes only with a weight diagnosis.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import apstructure, drug_status, relevance, specificity, tobacco, zcodes
from .codesets import icd10cm
from .sections import CODING_KINDS, Section, kind_at
from .types import ICD10CM, Candidate, EvidenceSpan


@dataclass
class Item:
    code: str
    evidence: list[EvidenceSpan]
    assertion: str
    confidence: float
    rationale: str
    section: str
    system: str = ICD10CM
    hint: str | None = None
    encounter: str = "A"
    side: str | None = None
    notes: list[str] = field(default_factory=list)
    source_code: str | None = None      # the condition behind a history/family Z code

    @property
    def order(self) -> tuple[str, int]:
        ev = self.evidence[0] if self.evidence else None
        return (ev.note_id, ev.start) if ev else ("", 0)


def _is_head(c: Candidate, texts: dict[str, str]) -> bool:
    ev = c.evidence[0] if c.evidence else None
    return ev is not None and ev.note_id in texts and apstructure.in_head(texts[ev.note_id], ev.start, ev.end)


# The reasoning under a problem heading that states what the problem is ("I believe this is an
# exacerbation of her heart failure", "the patient has an MCL strain", "her cough is from radiation
# pneumonitis") gives the diagnosis the heading only described.
_STATED_RE = re.compile(r"(?:\bthis is|\bthis represents|\bdiagnosed with|\bdiagnosis of|\bthe patient has|"
                        r"\b(?:he|she) has|\bdue to|\bsecondary to|\bcaused by|\bis from)"
                        r"(?:\s+(?:an?|the|his|her|acute|mild|moderate|severe|an exacerbation of|a flare of))*\s*$",
                        re.IGNORECASE)


# A sign or finding the plan works up today is addressed at this visit ("an echocardiogram to
# evaluate his murmur"): coded as the sign (IV.D), unlike a disease merely mentioned while reasoning.
_WORKED_UP_RE = re.compile(r"\b(?:to evaluate|evaluation of|evaluate|work ?up of|to assess|assessment of|"
                           r"follow ?up on|follow-up on|to follow up)"
                           r"(?:\s+(?:the|his|her|this|that|a|an|further))*\s*$", re.IGNORECASE)


def _stated_diagnosis(c: Candidate, texts: dict[str, str]) -> bool:
    ev = c.evidence[0]
    before = texts.get(ev.note_id, "")[max(0, ev.start - 60):ev.start]
    return bool(_STATED_RE.search(before) or c.code.startswith("R") and _WORKED_UP_RE.search(before))


_ADENOMA_RE = re.compile(r"adenoma|adenomatous|serrated|tubular|villous", re.IGNORECASE)


_NONDISPLACED_RE = re.compile(r"\bnon[- ]?displaced\b", re.IGNORECASE)
# A line that says its conditions were not dealt with at this encounter.
_NOT_ADDRESSED_RE = re.compile(r"\bnot (?:addressed|discussed|assessed|managed|treated|evaluated) (?:today|"
                               r"at this visit|during this visit|this visit|here)\b|\bfor reference only\b",
                               re.IGNORECASE)
# Conditions that resolve by definition, and the words that do make them history.
_TRANSIENT = frozenset(("G45",))
_HISTORY_WORDS_RE = re.compile(r"\b(?:history|hx|h/o|prior|previous|remote|in (?:19|20)\d\d|years? ago)\b",
                               re.IGNORECASE)


def from_assertions(cands: list[Candidate], texts: dict[str, str] | None = None,
                    has_assessment: bool = False, discharge: frozenset[str] = frozenset()) -> list[Item]:
    """Candidates -> items by assertion and section.

    ``discharge``: ids of inpatient discharge summaries, whose uncertain diagnoses count as established.
    ``has_assessment``: some note has an assessment/plan or diagnosis section; present conditions
    then come from there only, even when it names none the engine recognised (a condition in the
    HPI is not today's diagnosis just because the assessment used other words).
    """
    texts = texts or {}
    has_ap = has_assessment or any(c.assertion == "present" and c.section in CODING_KINDS
                                   and not c.code.startswith("Z") for c in cands)
    # Problem-oriented assessment: when some problem heading holds a diagnosis, diagnoses named only
    # in the reasoning under the headings (old results, differentials, complications discussed)
    # are not coded.
    headed = {c.evidence[0].note_id for c in cands
              if c.evidence and c.assertion == "present" and c.section in CODING_KINDS
              and not c.code.startswith("Z") and _is_head(c, texts)}
    out: list[Item] = []
    for c in cands:
        assertion, code, why = c.assertion, c.code, c.rationale
        if assertion == "present" and c.section in ("pmh", "psh") and zcodes.is_resolvable(code):
            assertion = "historical"
        if assertion == "historical" and code[:3] in zcodes.CHRONIC_STILL_PRESENT:
            assertion, why = "present", why + "; chronic condition documented as history, treated as current"
        if assertion == "historical" and code[:3] in _TRANSIENT and c.section in CODING_KINDS and c.evidence \
                and not _HISTORY_WORDS_RE.search(_line(texts.get(c.evidence[0].note_id, ""), c.evidence[0])):
            # A TIA resolves by definition: "TIA, resolved" in today's assessment is today's diagnosis.
            assertion, why = "present", why + "; transient by definition: 'resolved' does not make it history"
        if assertion == "uncertain" and c.section in CODING_KINDS and c.evidence \
                and c.evidence[0].note_id in discharge:
            # Inpatient discharge (II.H): a diagnosis still "probable" at discharge is coded as established.
            assertion, why = "present", why + "; uncertain at inpatient discharge, coded as established (II.H)"
        if assertion in ("negated", "hypothetical", "uncertain", "other_person"):
            continue
        if assertion == "present" and c.evidence and _NOT_ADDRESSED_RE.search(
                _line(texts.get(c.evidence[0].note_id, ""), c.evidence[0])):
            continue    # "Problem list (for reference, not addressed today): hypertension, ..."
        if c.evidence and drug_status.future_procedure(
                code, texts.get(c.evidence[0].note_id, ""), c.evidence[0].start):
            continue
        if assertion == "historical" and code.startswith("Z"):
            pass        # already a history/status code ("former smoker, quit 2010")
        elif assertion == "historical":
            z = zcodes.personal_history(code)
            if z is None:
                continue
            if z == "Z86.0100" and c.evidence and _ADENOMA_RE.search(
                    _line(texts.get(c.evidence[0].note_id, ""), c.evidence[0])):
                z = "Z86.0101"      # adenomatous (tubular, villous, serrated) colon polyps
            why = f"history of {icd10cm.describe(code) or code} ({code}) -> {z}; " + why
            code = z
        elif assertion == "family":
            z = zcodes.family_history(code)
            if z is None:
                continue
            why = f"family history of {icd10cm.describe(code) or code} ({code}) -> {z}; " + why
            code = z
        elif c.rationale.startswith(tobacco.WHY):
            pass        # tobacco status counts wherever the note states it (social history, HPI)
        elif has_ap and c.section not in CODING_KINDS and not code.startswith("Z"):
            continue    # present conditions come from the assessment when there is one
        elif (not code.startswith("Z") and c.evidence and c.evidence[0].note_id in headed
              and not _is_head(c, texts) and not _stated_diagnosis(c, texts)):
            continue    # named while reasoning about another problem, not assessed as one
        out.append(Item(code, list(c.evidence), assertion, c.confidence, why, c.section or "", c.system,
                        encounter=c.encounter or "A", side=c.side if assertion == "present" else None,
                        source_code=c.code if code != c.code else None))
    return out


def note_sides(cands: list[Candidate]) -> dict[str, str]:
    """Category -> the one side the whole note gives for it (guideline I.B.13: laterality may come
    from anywhere in the record). "Right" and "left" mentions together make "bilateral"."""
    seen: dict[str, set[str]] = {}
    for c in cands:
        if c.side and c.assertion in ("present", "uncertain") and c.system == ICD10CM:
            seen.setdefault(c.code[:3], set()).add(c.side)
    out = {}
    for cat, sides in seen.items():
        out[cat] = "bilateral" if "bilateral" in sides or {"right", "left"} <= sides else next(iter(sides))
    return out


def make_billable(items: list[Item], sides: dict[str, str] | None = None) -> list[Item]:
    sides = sides or {}
    out = []
    for it in items:
        side = it.side or (sides.get(it.code[:3]) if it.assertion == "present" else None)
        resolved = icd10cm.resolve_billable(it.code, it.encounter)
        if resolved is None:
            continue
        code, more = resolved
        if side:
            # Laterality read from the note; works after resolution ("sprain of ankle" -> S93.409A).
            sided = icd10cm.with_side(code, side)
            if sided and sided != code:
                code, more = sided, False
            elif side == "bilateral" and sided is None:
                # No bilateral code (M77.0-, N60.0-): a right and a left code.
                right, left = icd10cm.with_side(code, "right"), icd10cm.with_side(code, "left")
                if right and left and right != left:
                    code, more = right, False
                    twin = Item(left, list(it.evidence), it.assertion, it.confidence,
                                "left side of a bilateral condition (no bilateral code); " + it.rationale,
                                it.section, it.system, None, it.encounter, "left", list(it.notes), it.source_code)
                    out.append(twin)
        if icd10cm.needs_seventh(it.code) or len(code.replace(".", "")) == 7 and not icd10cm.is_billable(it.code):
            more = False    # adding the 7th character is completion, not a less specific choice
        it.code = code
        if more:
            it.hint = "more specific code available"
        out.append(it)
    return out


_OA_BY_SIDE = {"M16.9": ("M16.10", "M16.0"), "M17.9": ("M17.10", "M17.0")}


def specify(items: list[Item], texts: dict[str, str], sides: dict[str, str] | None = None,
            assessed_text: str | None = None) -> list[Item]:
    """Site details from the rest of the note, and G89.29 beside pain written as chronic
    (see :mod:`.specificity`)."""
    extra: list[Item] = []
    for it in items:
        if it.assertion != "present" or not it.evidence:
            continue
        text = texts.get(it.evidence[0].note_id, "")
        better = specificity.refine(it.code, text, tuple(e.text for e in it.evidence)) or \
            specificity.amd_stage(it.code, text) or specificity.heart_failure_type(it.code, text) or \
            specificity.sprain_ligament(it.code, text if assessed_text is None else assessed_text) or \
            specificity.injury_site(it.code, text)
        if better:
            it.rationale = f"{better[1]} documented in the note: {it.code} -> {better[0]}; " + it.rationale
            code = better[0]
            side = it.side or (sides or {}).get(code[:3])
            sided = icd10cm.with_side(code, side) if side else None
            it.code, it.hint = sided or code, None
        side = it.side or (sides or {}).get(it.code[:3])
        if side is None and it.code.startswith("S"):
            # An injury whose side is named earlier on its own line, out of the matcher's reach
            # ("Right foot pain, due to a Lisfranc fracture"): I.B.13, laterality from the record.
            side = _line_side(text, it.evidence[0])
            sided = icd10cm.with_side(it.code, side) if side else None
            if sided and sided != it.code:
                it.code, it.hint, it.side = sided, None, side
        if it.code.startswith("S") and _NONDISPLACED_RE.search(_line(text, it.evidence[0])):
            twin = icd10cm.nondisplaced(it.code)       # fractures default to displaced (I.C.19.c.1)
            if twin:
                it.code, it.rationale = twin, "nondisplaced per the note; " + it.rationale
        if it.code in _OA_BY_SIDE and side:
            # Index: Osteoarthritis, hip M16.1- (bilateral M16.0); knee M17.1- (M17.0): primary by default.
            unilateral, both = _OA_BY_SIDE[it.code]
            it.code = both if side == "bilateral" else icd10cm.with_side(unilateral, side) or it.code
            it.hint = None
        ev = next((e for e in it.evidence
                   if specificity.chronic_pain(it.code, texts.get(e.note_id, ""), e.start)), None)
        if ev and not any(i.code.startswith("G89") for i in items + extra):
            extra.append(Item("G89.29", [ev], "present", it.confidence, "pain documented as chronic (G89.29 with the "
                              "site code)", it.section))
    return items + extra


def _first(items: list[Item], *prefixes: str) -> Item | None:
    return next((i for i in items if i.code.startswith(prefixes)), None)


def _replace(items: list[Item], old: Item, code: str, why: str, extra: list[Item]) -> None:
    old.code = code
    old.rationale = why + "; " + old.rationale
    old.hint = None
    for e in extra:
        old.evidence.extend(e.evidence)


_CERVICAL_RE = re.compile(r"\bcervical\b|\bC[2-7]\s*[-/]\s*(?:C?[3-7]|T1)\b|\bneck\b", re.IGNORECASE)
_LUMBAR_RE = re.compile(r"\blumbar\b|lumbosacral|\blow(?:er)? back\b|\bL[1-5]\b|\bS1\b|sciatica", re.IGNORECASE)
_CERVICAL_LEVELS = ((re.compile(r"\bC(?:2\s*[-/]\s*C?3|3\s*[-/]\s*C?4)\b", re.I), "M50.11"),
                    (re.compile(r"\bC4\s*[-/]\s*C?5\b", re.I), "M50.121"),
                    (re.compile(r"\bC5\s*[-/]\s*C?6\b", re.I), "M50.122"),
                    (re.compile(r"\bC6\s*[-/]\s*C?7\b", re.I), "M50.123"),
                    (re.compile(r"\bC7\s*[-/]\s*T1\b", re.I), "M50.13"))
_LUMBAR_REGIONS = ((re.compile(r"\bL5\s*[-/]\s*S1\b|lumbosacral|\bS1\b", re.I), "M51.17", "lumbosacral"),
                   (re.compile(r"thoracolumbar|\bT12\s*[-/]\s*L1\b", re.I), "M51.15", "thoracolumbar"),
                   (re.compile(r"\bthoracic\b|\bT\d{1,2}\s*[-/]\s*T\d", re.I), "M51.14", "thoracic"))


def _disc_with_radiculopathy(disc: Item, rad: Item, texts: dict[str, str]) -> tuple[str, str]:
    """M50.1-/M51.1- (disc disorder with radiculopathy) with the region the note names (I.A.15,
    "with"): L5-S1 or an S1 root is lumbosacral, a C5-6 disc mid-cervical, default lumbar."""
    around = " ".join(_line(texts.get(e.note_id, ""), e) for e in disc.evidence + rad.evidence)
    lumbar = _LUMBAR_RE.search(around)
    if disc.code.startswith("M50") or rad.code.startswith(("M54.11", "M54.12", "M54.13")) or (
            not lumbar and _CERVICAL_RE.search(around)):
        code = next((c for pat, c in _CERVICAL_LEVELS if pat.search(around)), "M50.10")
        return code, "cervical disc disorder with radiculopathy"
    code, region = next(((c, r) for pat, c, r in _LUMBAR_REGIONS if pat.search(around)), ("M51.16", "lumbar"))
    return code, f"{region} disc disorder with radiculopathy"


# Index: Diabetes, uncontrolled / poorly controlled / out of control -> by type, with hyperglycemia.
_UNCONTROLLED_RE = re.compile(r"\b(?:uncontrolled|poorly controlled|not (?:well )?controlled|inadequately controlled|"
                              r"out of control|with hyperglycemia)\b", re.IGNORECASE)
_ULCER_DEPTH = ((re.compile(r"fat layer|subcutaneous (?:tissue|fat)", re.I), "2"),
                (re.compile(r"breakdown of (?:the )?skin|skin breakdown|superficial|partial thickness", re.I), "1"),
                (re.compile(r"necrosis of (?:the )?muscle|muscle necrosis", re.I), "3"),
                (re.compile(r"necrosis of (?:the )?bone|bone necrosis|osteomyelitis", re.I), "4"),
                (re.compile(r"muscle (?:involvement|exposed)", re.I), "6"),
                (re.compile(r"bone (?:involvement|exposed)", re.I), "8"))


def _diabetes_details(items: list[Item], texts: dict[str, str]) -> None:
    """Uncontrolled diabetes is diabetes with hyperglycemia; a "diabetic" ulcer implies diabetes
    (type 2 when the type is not said, I.C.4.a.2); an ulcer's depth and a heel site from its line."""
    present = [i for i in items if i.assertion == "present"]
    for it in present:
        lines = " ".join(_line(texts.get(e.note_id, ""), e) for e in it.evidence)
        if it.code in ("E11.9", "E10.9", "E13.9") and _UNCONTROLLED_RE.search(lines):
            it.code, it.hint = it.code[:3] + ".65", None
            it.rationale = "uncontrolled diabetes is coded with hyperglycemia (Index); " + it.rationale
        if it.code.startswith("L97") and len(it.code) == 7:
            if it.code.startswith("L97.5") and re.search(r"\bheel\b", lines, re.I):
                it.code = "L97.4" + it.code[5:]
            depth = next((d for pat, d in _ULCER_DEPTH if pat.search(lines)), None)
            if depth and it.code.endswith("9"):
                it.code, it.hint = it.code[:-1] + depth, None
    if not any(i.code.startswith(("E08", "E09", "E10", "E11", "E13")) for i in present):
        ulcer = next((i for i in present if i.code.startswith("L97")
                      and any("diabetic" in e.text.lower() for e in i.evidence)), None)
        if ulcer:
            items.append(Item("E11.9", list(ulcer.evidence), "present", ulcer.confidence,
                              "a diabetic ulcer: diabetes, type 2 when not said (I.C.4.a.2)", ulcer.section))


# Codes of a systemic infection (sepsis by organism) that severe sepsis (R65.2-) follows.
_SYSTEMIC_INFECTION = ("A40", "A41", "A02.1", "A22.7", "A26.7", "A32.7", "A39.2", "A39.3", "A39.4", "A42.7",
                       "A54.86", "A01.0", "A21.7", "A24.1", "A28.0", "B00.7", "B37.7", "P36", "O85",
                       "T81.44", "T80.2", "T88.0", "U07.1")


# Weeks of gestation as written ("28w2d", "at 28 weeks", "28 weeks gestation", "GA 28+2").
_WEEKS_RE = re.compile(r"\b(\d{1,2})\s*(?:w\s*\d\s*d|\+\s*\d\b|(?:weeks?|wks?)(?:\s*(?:and\s*)?\d\s*days?)?\s*"
                       r"(?:gestation|pregnant|ga\b|by\b|,|\)|$|\s+(?:intrauterine|iup)))|\bga:?\s*(\d{1,2})\b",
                       re.IGNORECASE | re.MULTILINE)
_FIRST_PREGNANCY_RE = re.compile(r"\bG1\s*P0\b|\bprimigravida\b|\bfirst pregnancy\b|\bG1\b", re.IGNORECASE)
_LATER_PREGNANCY_RE = re.compile(r"\bG(?:[2-9]|1\d)\s*P\d|\bmultigravida\b", re.IGNORECASE)


def _pregnancy(items: list[Item], present: list[Item], texts: dict[str, str]) -> None:
    """Supervision of a normal pregnancy (Z34.-) by first/other pregnancy and trimester, and the weeks of
    gestation (Z3A.-, I.C.15.b.4: "use additional code from category Z3A" with any pregnancy code)."""
    sup = _first(present, "Z34")
    preg = sup or _first(present, "O", "Z33.1")
    if preg is None or not preg.evidence or _first(items, "Z3A"):
        return
    text = texts.get(preg.evidence[0].note_id, "")
    m = _WEEKS_RE.search(text)
    weeks = int(m.group(1) or m.group(2)) if m else None
    if weeks is not None and not 4 <= weeks <= 45:
        weeks = None
    if sup is not None and sup.code.endswith("0"):
        first = bool(_FIRST_PREGNANCY_RE.search(text)) and not _LATER_PREGNANCY_RE.search(text)
        other = bool(_LATER_PREGNANCY_RE.search(text))
        kind = "0" if first else "8" if other else "9"
        tri = "0" if weeks is None else "1" if weeks < 14 else "2" if weeks < 28 else "3"
        code = f"Z34.{kind}{tri}"
        if code != sup.code and icd10cm.is_billable(code):
            sup.code, sup.hint = code, None
            sup.rationale = "pregnancy order and trimester from the note; " + sup.rationale
    if weeks is not None:
        z3a = "Z3A.01" if weeks < 8 else "Z3A.49" if weeks > 42 else f"Z3A.{weeks:02d}"
        ev = EvidenceSpan(preg.evidence[0].note_id, m.start(), m.end(), m.group()) if m else preg.evidence[0]
        items.append(Item(z3a, [ev], "present", preg.confidence, "weeks of gestation (Z3A with a pregnancy code)",
                          preg.section))


_IDENTIFIED_FLU_RE = re.compile(r"\b(?:influenza|flu)\s+(?:type\s+)?[ab]\b", re.IGNORECASE)
_POLLEN_RE = re.compile(r"\b(?:pollens?|ragweed|trees?|grass(?:es)?|weeds?)\b", re.IGNORECASE)
# "due to" a drug: the usual endings of antihypertensive, diuretic and other drug names, or "medication".
_DRUG_CAUSE_RE = re.compile(r"\b(?:due to|secondary to|from|caused by|induced by)\s+(?:(?:his|her|the|their)\s+)?"
                            r"(?:[a-z-]*(?:pril|sartan|olol|thiazide|zosin|dipine|semide|nidine|azepam|tiapine|"
                            r"pine|done|medications?|drugs?|diuretics?|antihypertensives?)\b)", re.IGNORECASE)
# Heart conditions that hypertension makes hypertensive heart disease (I11) by presumed linkage.
_HYPERTENSIVE_HEART = ("I51.4", "I51.5", "I51.7", "I51.81", "I51.89", "I51.9")


def combine(items: list[Item], texts: dict[str, str] | None = None) -> list[Item]:
    _diabetes_details(items, texts or {})
    present = [i for i in items if i.assertion == "present"]
    disc = _first(present, "M51.2", "M51.3", "M51.8", "M51.9", "M50.2", "M50.3", "M50.8", "M50.9")
    rad = _first(present, "M54.1")
    if disc and rad:
        code, why = _disc_with_radiculopathy(disc, rad, texts or {})
        _replace(items, disc, code, f"combination code: {why}", [rad])
        rad.code = ""
        for pain in present:        # back or neck pain is the disc disorder's own symptom
            if pain.code.startswith(("M54.5", "M54.9", "M54.2")):
                pain.code = ""
    # Diabetic ketoacidosis without a type indexes to type 2 (I.C.4.a.2) unless the note says type 1.
    if any(i.code.startswith("E10") for i in present):
        for dka in present:
            if dka.code in ("E11.10", "E11.11"):
                dka.code = "E10" + dka.code[3:]
                dka.rationale += "; type 1 diabetes documented"
    ckd = _first(present, "N18")
    hf = _first(present, "I50")
    htn = _first(present, "I10")
    for dm_prefix in ("E11", "E10"):
        dm = next((i for i in present if i.code in (f"{dm_prefix}.9", f"{dm_prefix}.65")), None)
        if dm is None:
            continue
        rules = ((ckd, ".22", "diabetes with chronic kidney disease"),
                 (_first(present, "G62.9", "G60.9", "G63"), ".42", "diabetes with polyneuropathy"),
                 (_first(present, "I73.9"), ".51", "diabetes with peripheral angiopathy"),
                 # "With" presumes the link (I.A.15): a foot ulcer in a diabetic is a diabetic foot
                 # ulcer, E1x.621 plus the L97 code for site and depth ("use additional code").
                 (_first(present, "L97.4", "L97.5"), ".621", "diabetes with foot ulcer"),
                 (_first(present, "L97.1", "L97.2", "L97.3", "L97.8", "L97.9", "L98.4"), ".622",
                  "diabetes with other skin ulcer"),
                 (_first(present, "E16.0", "E16.1", "E16.2"), ".649", "diabetes with hypoglycemia"))
        for partner, suffix, why in rules:
            if partner is None:
                continue
            code = dm_prefix + suffix
            if dm.code.endswith(".9"):
                _replace(items, dm, code, f"combination code: {why}", [partner])
            else:
                items.append(Item(code, list(dm.evidence) + list(partner.evidence), "present",
                                  dm.confidence, f"combination code: {why}", dm.section))
            if suffix not in (".22", ".621", ".622"):   # neuropathy/PAD are included in the combination
                partner.code = ""
    _pregnancy(items, present, texts or {})
    severe = _first(present, "R65.2")
    if severe and not _first(present, *_SYSTEMIC_INFECTION):
        # Severe sepsis: code the systemic infection first, A41.9 when its organism is not named
        # (I.C.1.d.1.a and d.4); the localized infection ("due to urinary tract infection") follows.
        items.insert(items.index(severe), Item("A41.9", list(severe.evidence), "present", severe.confidence,
                                                "severe sepsis: sepsis, unspecified organism, coded first",
                                                severe.section))
    etiology = _first(present, "G30", "G31.0", "G31.1", "G31.83", "G20", "G10")
    dementia = _first(present, "F03")
    if etiology and dementia:
        # Dementia due to Alzheimer's (etc.) is F02 with the same severity/behaviour characters.
        _replace(items, dementia, "F02" + dementia.code[3:].replace(".9", ".8", 1),
                 f"dementia in {icd10cm.describe(etiology.code) or etiology.code} (code first the etiology)", [])
    hyp_ckd = _first(present, "I12.9")
    if ckd and not hyp_ckd and htn is None and not _first(present, "I13") and \
            any(e.text.lower().startswith("hypertensive") for e in ckd.evidence):
        # "Hypertensive chronic kidney disease stage 3b" is matched whole as the CKD stage; the
        # hypertensive disease it names is I12.- ("use additional code to identify the stage").
        hyp_ckd = Item("I12.9", list(ckd.evidence), "present", ckd.confidence,
                       "hypertensive chronic kidney disease named with its stage", ckd.section)
        items.insert(items.index(ckd), hyp_ckd)
    if hyp_ckd and ckd and ckd.code in ("N18.5", "N18.6"):
        _replace(items, hyp_ckd, "I12.0", "hypertensive CKD with stage 5 CKD or ESRD", [ckd])
    hyp_heart = _first(present, "I11.9")
    heart_condition = _first(present, *_HYPERTENSIVE_HEART)
    if htn is not None and heart_condition and not hyp_heart and not hf:
        # Hypertension with a heart condition of I51.4-I51.7, I51.89 or I51.9 ("HTN with LVH") is hypertensive heart
        # disease, the link presumed (I.C.9.a.1).
        _replace(items, htn, "I11.9", "hypertensive heart disease (linkage presumed with "
                 f"{icd10cm.describe(heart_condition.code) or heart_condition.code})", [])
        hyp_heart, htn = htn, None
    elif htn is not None and hyp_heart and not hf:
        htn.code = ""       # I11 is hypertension with heart involvement: not I10 beside it
        htn = None
    if hyp_heart and hf:
        _replace(items, hyp_heart, "I11.0", "hypertensive heart disease with heart failure", [hf])
    if htn is not None and (hf or ckd):
        stage5 = ckd is not None and ckd.code in ("N18.5", "N18.6")
        if hf and ckd:
            code, why = ("I13.2" if stage5 else "I13.0"), "hypertensive heart and chronic kidney disease"
        elif hf:
            code, why = "I11.0", "hypertensive heart disease with heart failure"
        else:
            code, why = ("I12.0" if stage5 else "I12.9"), "hypertensive chronic kidney disease"
        _replace(items, htn, code, f"combination code: {why} (linkage presumed)",
                 [p for p in (hf, ckd) if p])
    back = _first(present, "M54.5")
    sciatica = _first(present, "M54.30", "M54.31", "M54.32")
    if back and sciatica:
        # Low back pain with sciatica is lumbago with sciatica (M54.4-), the side kept.
        _replace(items, sciatica, "M54.4" + sciatica.code[-1], "combination code: low back pain with sciatica", [back])
        back.code = ""
    bleed = _first(present, "K92.0", "K92.1", "K92.2")
    ulcer = _first(present, *(f"K2{n}.{d}" for n in "5678" for d in "39"))
    if bleed and ulcer:
        # A bleeding peptic ulcer is one code "with hemorrhage" (acute .0, chronic or unspecified .4).
        _replace(items, ulcer, ulcer.code[:4] + ("0" if ulcer.code.endswith(".3") else "4"),
                 "combination code: peptic ulcer with hemorrhage", [bleed])
        bleed.code = ""
    flu = _first(present, "J11")
    if flu and any(_IDENTIFIED_FLU_RE.search(ev.text) for ev in flu.evidence):
        # "Influenza A ..." names the virus: J10 (identified), not J11 (virus not identified).
        _replace(items, flu, "J10" + flu.code[3:], "influenza with the virus type identified", [])
    rhinitis = _first(present, "J30.2", "J30.9")
    if rhinitis and texts and any(_POLLEN_RE.search(_line(texts.get(ev.note_id, ""), ev)) for ev in rhinitis.evidence):
        _replace(items, rhinitis, "J30.1", "allergic rhinitis due to pollen (tree, grass or ragweed named)", [])
    in_situ = _first([i for i in items if i.code], "Z86.000")
    if in_situ and any("melanoma" in ev.text.lower() for ev in in_situ.evidence):
        _replace(items, in_situ, "Z86.006", "personal history of melanoma in situ", [])
    low_bp = _first(present, "I95.1", "I95.9")
    if low_bp and texts and any(_DRUG_CAUSE_RE.search(_line(texts.get(ev.note_id, ""), ev)) for ev in low_bp.evidence):
        # "Orthostatic hypotension due to lisinopril-HCTZ" is hypotension due to drugs (I95.2).
        _replace(items, low_bp, "I95.2", "hypotension due to a drug named with it", [])
    if _first(present, "J43"):
        for copd in present:    # J44 Excludes1 emphysema: "COPD with emphysema" is J43.- (FY2023)
            if copd.code == "J44.9":
                copd.code = ""
    hydro = _first(present, "N13.30", "N13.39", "N13.9")
    stone = _first(present, "N20", "N21", "N13.2")
    if hydro and stone:
        # Hydronephrosis with a kidney or ureteral stone is one code (N20 Excludes1 "with hydronephrosis").
        _replace(items, hydro, "N13.2", "combination code: hydronephrosis with calculous obstruction", [stone])
        stone.code = ""
    if _first([i for i in items if i.code and i.assertion == "present"], "N20", "N21", "N13.2"):
        for past in items:      # a stone today is no history of one (the history code is for what no longer exists)
            if past.code == "Z87.442":
                past.code = ""
    if not _first([i for i in items if i.code], "E08", "E09", "E10", "E11", "E13", "O24", "R73"):
        for drug in items:      # an SGLT2 inhibitor for heart failure or CKD is no oral hypoglycemic use
            if drug.code == "Z79.84":
                drug.code = ""
    heart = _first([i for i in items if i.code and i.assertion == "present"], "I11")
    if heart and ckd and not _first([i for i in items if i.code], "I13"):
        # "Hypertensive heart disease" with CKD is hypertensive heart and chronic kidney disease (I13).
        stage5 = ckd.code in ("N18.5", "N18.6")
        code = ("I13.2" if stage5 else "I13.0") if hf or heart.code == "I11.0" else ("I13.11" if stage5 else "I13.10")
        _replace(items, heart, code, "combination code: hypertensive heart and chronic kidney disease", [ckd])
    both = _first([i for i in items if i.code and i.assertion == "present"], "I13.10", "I13.11")
    if both and hf:
        # "Hypertensive heart and chronic kidney disease" with heart failure: I13.0 / I13.2.
        _replace(items, both, "I13.0" if both.code == "I13.10" else "I13.2",
                 "hypertensive heart and chronic kidney disease with heart failure", [hf])
    if _first([i for i in items if i.code], "I13"):
        for other in items:      # I13 includes the conditions of I10, I11 and I12 (one code, not three)
            if other.code.startswith(("I10", "I11", "I12")):
                other.code = ""
    return [i for i in items if i.code]


_DEFAULTS_RE = re.compile(r"unspecified|without complications|, not elsewhere", re.IGNORECASE)
# Unspecified codes that a more specific code from a neighbouring category makes redundant
# (anemia NOS next to iron deficiency anemia; osteoarthritis NOS next to knee osteoarthritis).
_COVERED_BY: dict[str, tuple[str, ...]] = {
    "D64.9": ("D50", "D51", "D52", "D53", "D55", "D56", "D57", "D58", "D59", "D60", "D61", "D62", "D63"),
    "M19.90": ("M15", "M16", "M17", "M18", "M19"), "F32.A": ("F32", "F33"), "F32.9": ("F33",),
    "F41.9": ("F41",), "G62.9": ("E08.4", "E09.4", "E10.4", "E11.4", "E13.4"),
    "L30.9": ("L20", "L21", "L23", "L24", "L25"),
    "J40": ("J20", "J41", "J42", "J43", "J44"), "E78.5": ("E78.0", "E78.1", "E78.2", "E78.4"),
    "B34.9": ("A", "B0", "B1", "B2", "J0", "J1", "J2", "U07"), "R52": ("M", "G89", "R", "N", "K"),
    # Narrative NOS findings (engines/local.py) yield to any code of their kind.
    "B99.9": ("A", "B0", "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B95", "B96", "B97", "J", "N10", "N30",
              "N39.0", "L0", "K35", "K57", "K61", "K65", "K81", "M00", "M86", "G00", "G04", "I33", "T8", "U07"),
    "R58": ("K92", "I60", "I61", "I62", "N93", "N92", "R04", "R31", "D68", "D69", "O", "S", "T"),
    "L53.9": ("L",),
    # Fever is integral to the infection diagnosed with it (I.B.5): hand-foot-mouth, pharyngitis, otitis, UTI.
    "R50.9": ("A", "B0", "B1", "B2", "B3", "J0", "J1", "J20", "J21", "J22", "H65", "H66", "N10", "N30", "N39.0",
              "U07", "L03", "K35", "K57.92", "A41"),
    "M25.50": ("M25.5",), "G47.30": ("G47.3",),
    # A pre-operative exam of the heart, lungs or labs is the specific kind of "other preprocedural" exam.
    "Z01.818": ("Z01.810", "Z01.811", "Z01.812"),
    # An elevated reading is "without diagnosis of hypertension" (R03.0 Excludes1 I10-I1A).
    "R03.0": ("I10", "I11", "I12", "I13", "I15", "I16", "I1A"),
    # "Choroidal neovascularization" named with wet AMD is its stage, not a separate condition.
    "H31.101": ("H35.32",), "H31.102": ("H35.32",), "H31.103": ("H35.32",), "H31.109": ("H35.32",),
}


# A case report's general finding word ("the pain worsened", "bleeding") is a finding of its own,
# coded beside the specific ones the report names elsewhere (the word was matched by no other term).
_REPORTED_NOS = frozenset({"R52", "B99.9", "R58", "L53.9", "R50.9"})


def prune(items: list[Item], texts: dict[str, str], case_reports: frozenset[str] = frozenset()) -> list[Item]:
    """``case_reports``: ids of notes that are case-report narratives (:mod:`.docstyle`), whose
    findings are all coded (the symptom beside its diagnosis included)."""
    codes = {i.code for i in items}

    def is_default(code: str) -> bool:
        title = icd10cm.describe(code) or ""
        # Z codes only by title ("Presence of unspecified artificial knee joint"): Z80.0 and Z80.9
        # style siblings are otherwise separate facts.
        return "unspecified" in title.lower() if code.startswith("Z") else \
            bool(_DEFAULTS_RE.search(title)) or code.endswith(".9")

    keep: list[Item] = []
    for it in items:
        cat = it.code[:3]
        siblings = [c for c in codes if c != it.code and c[:3] == cat]
        reported = bool(it.evidence) and all(e.note_id in case_reports for e in it.evidence)
        # An unspecified code yields to a more specific sibling; of two "unspecified" siblings
        # (E11.9 and E11.40, "with neuropathy, unspecified") the category default (.9) yields.
        # A case report's symptom named without its site elsewhere is a finding of its own.
        if is_default(it.code) and not (reported and it.code.startswith("R")) and any(
                not is_default(c) or not c.endswith(".9") and it.code.endswith(".9") for c in siblings):
            continue
        covering = _COVERED_BY.get(it.code, ())
        if covering and not (reported and it.code in _REPORTED_NOS) and any(
                c != it.code and c.startswith(covering) for c in codes):
            continue
        if it.assertion == "historical" and any(
                o.assertion == "present" and zcodes.personal_history(o.code) == it.code for o in items):
            continue    # "history of" a condition also coded as current: the current code wins
        if it.code.startswith("R") and not it.code.startswith("R65") and not reported and (
                _integral(it, items, texts) or _treatment_target(it, items, texts)):
            continue
        if it.code.startswith(_SITE_PAIN) and _site_pain_explained(it.code, codes):
            continue
        if it.code == "Z79.4" and any(c.startswith("E10") for c in codes):
            continue    # type 1 diabetes implies insulin: Z79.4 is not assigned (I.C.4.a.3)
        if it.code.startswith("Z68") and not any(c.startswith(("E66", "R63.6", "E44", "E43")) for c in codes):
            continue
        keep.append(it)
    return _excludes1(keep)


# Symptoms routinely part of a disease of the same system (I.B.5): code prefix -> the diagnoses
# that explain them wherever they stand in the note. Anything else (edema beside appendicitis) is
# only integral on the same line or sentence.
_EXPLAINED_BY: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("R05", "R06", "R09.1", "R09.3", "R04"), ("J", "I50", "C34", "U07", "A15", "I26")),
    (("R07",), ("I20", "I21", "I22", "I24", "I25", "I26", "I30", "I31", "J18", "J90", "J93", "K21", "M94.0")),
    (("R10", "R11", "R12", "R13", "R14", "R15", "R19", "R17", "R18"), ("K", "C15", "C16", "C17", "C18", "C19",
                                                                     "C20", "C22", "C25", "N20", "N23", "A08", "A09")),
    (("R51",), ("G43", "G44", "I60", "I61", "G93.2")),
    (("R30", "R31", "R32", "R33", "R35", "R36", "R39"), ("N", "C61", "C64", "C65", "C66", "C67")),
    (("R42",), ("H81", "H83")),
    (("R50",), ("A", "B", "J0", "J1", "J20", "J21", "J22", "J85", "J86", "N10", "N39.0", "K35", "K57", "K65",
                "K81", "K83.0", "L02", "L03", "M00", "M86", "I33", "G00", "G03", "G04", "U07")),
    (("R60",), ("I50", "I11.0", "I13", "N04", "I87", "I80", "I82")),
    (("R21", "L53.9"), ("B01", "B02", "B05", "B06", "B08", "B09", "L")),
    (("R20", "R29.2"), ("M50.1", "M51.1", "M54.1", "G5", "G6", "E10.4", "E11.4", "M48.0")),
)


_SITE_PAIN = ("M25.5", "M79.6", "M54.2", "M54.5", "M54.6")
_SITES = ("shoulder", "elbow", "wrist", "hand", "finger", "thumb", "hip", "knee", "ankle", "foot", "toe")
_SITE_RE = re.compile(r"\b(?:" + "|".join(_SITES) + r")s?\b")


# Neck, low back and thoracic pain are part of a strain, sprain, disc disorder or spondylosis of
# that region ("cervical strain; neck pain").
_SPINE_PAIN: dict[str, tuple[str, ...]] = {
    "M54.2": ("S13.4", "S16.1", "M50", "M47.812", "M47.22", "M47.892", "M48.02", "M43.12", "M43.6"),
    "M54.5": ("S33.5", "S33.6", "S39.012", "M51", "M47.816", "M47.817", "M47.26", "M47.27", "M48.06",
              "M43.16", "M43.17", "M54.4"),
    "M54.6": ("S23.3", "S23.4", "S29.012", "M51.24", "M51.34", "M47.814", "M48.04"),
}


def _site_pain_explained(pain: str, codes: set[str]) -> bool:
    """Pain in a joint or limb is part of an injury or a musculoskeletal diagnosis of the same site and
    side (I.B.5): "right knee pain" beside a sprain of the right knee's collateral ligament."""
    spine = next((dx for prefix, dx in _SPINE_PAIN.items() if pain.startswith(prefix)), None)
    if spine is not None:
        return any(c.startswith(spine) for c in codes)
    title = (icd10cm.describe(pain) or "").lower()
    site = _SITE_RE.search(title)
    if not site:
        return False
    side = "right" if "right" in title else "left" if "left" in title else None
    for code in codes:
        if code == pain or not code.startswith(("S", "M")) or code.startswith(("M25.5", "M79.6")):
            continue
        other = (icd10cm.describe(code) or "").lower()
        other_site = _SITE_RE.search(other)
        if other_site and other_site.group().rstrip("s") == site.group().rstrip("s") and (
                side is None or side in other or "right" not in other and "left" not in other):
            return True
    return False


def _assessed_heading(sym: Item, texts: dict[str, str]) -> bool:
    """The symptom is a problem of its own in the assessment ("1. Epigastric pain - possible ulcer")."""
    return any(e.note_id in texts and sym.section in CODING_KINDS
               and apstructure.in_head(texts[e.note_id], e.start, e.end) for e in sym.evidence)


_NEXT_PROBLEM_RE = re.compile(r"\n[ \t]*(?:\d{1,2}[.)]|#)")


def _same_problem(sym: Item, dx: Item, texts: dict[str, str]) -> bool:
    """The diagnosis is stated in the reasoning under the symptom's own heading ("1. Shortness of
    breath. - I believe this is an exacerbation of her heart failure"): the heading was its symptom."""
    for a in sym.evidence:
        for b in dx.evidence:
            text = texts.get(a.note_id, "")
            if a.note_id == b.note_id and 0 <= b.start - a.end < 1500 and \
                    not _NEXT_PROBLEM_RE.search(text, a.end, b.start):
                return True
    return False


def _explains(sym: str, dx: str) -> bool:
    return any(sym.startswith(s) and dx.startswith(d) for s, d in _EXPLAINED_BY)


def _integral(sym: Item, items: list[Item], texts: dict[str, str]) -> bool:
    """A symptom on the same line as a confirmed non-symptom diagnosis is part of it, and so is a
    symptom routinely part of a confirmed diagnosis of its system anywhere in the note."""
    for other in items:
        if other is sym or other.code.startswith(("R", "Z")) or other.code == "L53.9" or other.assertion != "present":
            continue        # a finding (erythema) explains no other finding
        if _explains(sym.code, other.code) and (not _assessed_heading(sym, texts)
                                                 or _same_problem(sym, other, texts)):
            return True
        for a in sym.evidence:
            for b in other.evidence:
                if a.note_id == b.note_id and _same_line(a, b, texts):
                    return True
    return False


_FOR_RE = re.compile(r"(?:\bfor|\bprn|\bas needed for|\bif)\s*$", re.IGNORECASE)


def _treatment_target(sym: Item, items: list[Item], texts: dict[str, str]) -> bool:
    """"Ibuprofen for fever" in a plan treats a symptom of the diagnosis; it is not a new problem."""
    if sym.section not in CODING_KINDS:
        return False    # "consulted for pain" in a history is the complaint, not a plan's target
    if not any(o.assertion == "present" and not o.code.startswith(("R", "Z")) for o in items):
        return False
    return all(_FOR_RE.search(texts.get(e.note_id, "")[max(0, e.start - 20):e.start]) for e in sym.evidence)


def _same_line(a: EvidenceSpan, b: EvidenceSpan, texts: dict[str, str]) -> bool:
    """Same assessment item: the same line of the note, at most 400 characters apart."""
    lo, hi = sorted((a, b), key=lambda s: s.start)
    text = texts.get(a.note_id, "")
    between = text[lo.start:hi.end]
    # In prose (a case report's paragraph is one line) an item is a sentence, not the paragraph.
    if text[lo.end:hi.start].strip(" ,;&/").lower() in ("and", "", "or"):
        return False    # "Chest pain and hypertension": two problems listed together, not one explaining the other
    return 0 <= hi.start - lo.end < 400 and "\n" not in between and not _SENTENCE_END_RE.search(between)


_SENTENCE_END_RE = re.compile(r"[.!?]\s+(?=[A-Z])")


# A code or a range in an Excludes1 note: "(E11.A)", "(O24.4-)", "(E08-E13)", "(P70.0-P70.2)".
_REF_RE = re.compile(r"\b([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?:\s*-\s*([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?))?")


@lru_cache(maxsize=4096)
def _refs(note: str) -> tuple[tuple[str, str], ...]:
    """The codes and ranges (low, high or "") an Excludes1 note names, without dots. Cached: the
    notes come from the code set, and each is read again for every other item of the encounter."""
    return tuple((m.group(1).replace(".", ""), (m.group(2) or "").replace(".", "")) for m in _REF_RE.finditer(note))


def _in_refs(code: str, note: str) -> bool:
    key = code.replace(".", "")
    for lo, hi in _refs(note):
        if hi:
            if lo <= key[: len(lo)] and key[: len(hi)] <= hi:
                return True
        elif key.startswith(lo):
            return True
    return False


# Dependence outranks "use" in an Excludes1 pair: a smoker is coded to nicotine dependence
# (Index: "Smoker - see Dependence, drug, nicotine"), not to Z72.0 tobacco use.
_MORE_SPECIFIC_THAN_USE = frozenset({"F17"})


def _excludes1(items: list[Item]) -> list[Item]:
    dropped: set[int] = set()
    for i, a in enumerate(items):
        notes = icd10cm.excludes1(a.code)
        if not notes:
            continue
        for j, b in enumerate(items):
            if i == j or i in dropped or j in dropped or a.code[:3] == b.code[:3]:
                continue
            refs = [n for n in notes if _in_refs(b.code, n)]
            if refs and any(" due to " in n for n in refs):
                # "cardiomegaly due to hypertension (I11.-)": the note names the code to use instead
                dropped.add(i)
                b.notes.append(f"Excludes1 with {a.code}: kept {b.code}")
                continue
            if refs:
                use_pair = "Z72.0" in (a.code, b.code)
                loser = j if (use_pair and a.code[:3] in _MORE_SPECIFIC_THAN_USE, a.confidence, -a.order[1]) >= (
                    use_pair and b.code[:3] in _MORE_SPECIFIC_THAN_USE, b.confidence, -b.order[1]) else i
                dropped.add(loser)
                winner = items[i if loser == j else j]
                winner.notes.append(f"Excludes1 with {items[loser].code}: kept {winner.code}")
    return [it for k, it in enumerate(items) if k not in dropped]


def merge(items: list[Item]) -> list[Item]:
    """One item per code: evidence joined (original order), best confidence kept."""
    by_code: dict[str, Item] = {}
    for it in items:
        cur = by_code.get(it.code)
        if cur is None:
            by_code[it.code] = it
            continue
        seen = {(e.note_id, e.start, e.end) for e in cur.evidence}
        cur.evidence.extend(e for e in it.evidence if (e.note_id, e.start, e.end) not in seen)
        if it.confidence > cur.confidence:
            cur.confidence, cur.rationale = it.confidence, it.rationale
        if cur.section not in CODING_KINDS and it.section in CODING_KINDS:
            cur.section = it.section
    return list(by_code.values())


_NORMAL_EXAM_RE = re.compile(r"without abnormal findings|normal (?:exam|findings)|no abnormal", re.IGNORECASE)


_SIDE_WORD_RE = re.compile(r"\b(right|left|bilateral|rt|lt)\b", re.IGNORECASE)


def _line_side(text: str, ev: EvidenceSpan) -> str | None:
    """The one side named before the mention on its line (None when none or both)."""
    start = text.rfind("\n", 0, ev.start) + 1
    found = {m.group(1).lower().replace("rt", "right").replace("lt", "left")
             for m in _SIDE_WORD_RE.finditer(text, start, ev.start)}
    return found.pop() if len(found) == 1 else None


def _line(text: str, ev: EvidenceSpan) -> str:
    end = text.find("\n", ev.end)
    return text[text.rfind("\n", 0, ev.start) + 1:len(text) if end < 0 else end]


def relevant(items: list[Item], texts: dict[str, str], sections: dict[str, list[Section]],
             assessed_text: str, has_assessment: bool) -> list[Item]:
    """Encounter reasons done today, and history that bears on the visit (see :mod:`.relevance`).

    A general exam with other conditions coded becomes "with abnormal findings" (Z00.01 / Z00.121).
    """
    def kind(ev: EvidenceSpan) -> str:
        return kind_at(sections.get(ev.note_id, []), ev.start)

    out: list[Item] = []
    assessed = {i.code for i in items if i.assertion == "present" and not i.code.startswith("Z")}
    for it in items:
        if it.code.startswith(relevance.ENCOUNTER_PREFIXES):
            ev = [e for e in it.evidence if relevance.encounter_today(it.code, e, kind(e), texts.get(e.note_id, ""))]
            if not ev:
                continue
            it.evidence = ev
        elif (it.assertion == "family" and relevance.family_of_own_condition(it.code, it.source_code, assessed)) or (
                has_assessment and it.assertion in ("family", "historical") and not relevance.bears_on_visit(
                    it.code, it.evidence, [kind(e) for e in it.evidence], assessed_text, assessed, it.source_code)) or (
                has_assessment and it.assertion == "family" and not it.code.startswith("Z80") and not
                relevance.family_bears_on_visit(it.evidence, texts, assessed_text, assessed, it.source_code)):
            continue    # history or a relative's condition that does not bear on today's visit
        out.append(it)
    findings = any(i.assertion == "present" and not i.code.startswith("Z") for i in out)
    for it in out:
        if findings and it.code in ("Z00.00", "Z00.129") and not (
                _NORMAL_EXAM_RE.search(assessed_text)
                or any(_NORMAL_EXAM_RE.search(_line(texts.get(e.note_id, ""), e)) for e in it.evidence)):
            it.code = "Z00.01" if it.code == "Z00.00" else "Z00.121"
            it.rationale = "general exam with conditions assessed (abnormal findings); " + it.rationale
    return out


# Z09 (I.C.21.c.8): a follow-up visit after completed treatment of a condition that no longer
# exists; the condition becomes its personal history code. Both the visit and the resolution must
# be written: "follow-up after pneumonia" + "pneumonia resolved" / "completed course".
_FOLLOWUP_RE = re.compile(r"\b(?:follow[- ]?up|f/u|recheck|re-check|post[- ]treatment check)\b[^.\n]{0,40}?"
                          r"\b(?:after|following|of|for)\b", re.IGNORECASE)
_RESOLVED_RE = re.compile(r"\b(?:resolved|has resolved|cleared|healed|completely healed|back to (?:normal|baseline)|"
                          r"no longer (?:present|has)|completed (?:the )?(?:treatment|course|antibiotics|therapy))\b",
                          re.IGNORECASE)


def followup(items: list[Item], texts: dict[str, str], assessed_text: str) -> list[Item]:
    """Z09 first, and the resolved conditions as history, when every condition assessed is resolved."""
    if not assessed_text or not _RESOLVED_RE.search(assessed_text):
        return items
    visit = next(((nid, m) for nid, t in texts.items() for m in [_FOLLOWUP_RE.search(t)] if m), None)
    if visit is None:
        return items
    present = [i for i in items if i.assertion == "present" and not i.code.startswith(("Z", "R"))]
    nid, m = visit
    z09 = Item("Z09", [EvidenceSpan(nid, m.start(), m.end(), texts[nid][m.start():m.end()])], "present",
               0.8, "follow-up examination after completed treatment; the condition resolved", "assessment_plan")
    if not present:
        # "Follow-up of UTI, resolved": the rules already made it history; the visit is still Z09.
        done = any(i.assertion == "historical" and i.code.startswith(("Z86", "Z87"))
                   and any(_RESOLVED_RE.search(_line(texts.get(e.note_id, ""), e)) for e in i.evidence)
                   for i in items)
        return [z09, *items] if done and not any(i.code == "Z09" for i in items) else items
    resolved = [i for i in present
                if any(_RESOLVED_RE.search(_line(texts.get(e.note_id, ""), e)) for e in i.evidence)]
    if len(resolved) != len(present) or any(zcodes.personal_history(i.code) is None for i in resolved):
        return items        # something is still being treated: code it, no Z09
    out = [i for i in items if i not in resolved]
    for it in resolved:
        z = zcodes.personal_history(it.code)
        if z and not any(o.code == z for o in out):
            out.append(Item(z, list(it.evidence), "historical", it.confidence,
                            f"resolved {icd10cm.describe(it.code) or it.code} ({it.code}) -> {z}", it.section,
                            source_code=it.code))
    out.insert(0, z09)
    return out
