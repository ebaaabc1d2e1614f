"""Specificity the rest of the note supplies for a condition the assessment names in general terms.

Guideline I.B.13 and I.A.9 ("code to the highest specificity documented"): the assessment may say
"kidney stone" while the CT in the same note puts it in the proximal ureter, or "back pain" while
the history and exam place it in the lower back. Each rule names the detail it read, and the
suggestion keeps a hint when the detail was not found ("more specific code available: site").

Also: pain documented as chronic gets G89.29 beside its site code (I.C.6.b.1, "chronic pain").
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Refinement:
    code: str                 # the general code as suggested
    pattern: re.Pattern[str]  # the detail, anywhere in the note (same sentence as the near word)
    near: re.Pattern[str] | None
    better: str
    detail: str
    mention: re.Pattern[str] | None = None   # the suggestion's own words must say this


def _re(p: str) -> re.Pattern[str]:
    return re.compile(p, re.IGNORECASE)


_FOOT = r"(?:\b(?:big |great |first )?toes?\b|\bfoot\b|\bfeet\b|\bankles?\b|\bpodagra\b|\b(?:1st|first) mtp\b|" \
        r"metatarsophalangeal)"
_OA = _re(r"osteoarthritis|\bdjd\b|degenerative joint|\boa\b")
_STONE = _re(r"\bstones?\b|calcul|lithiasis")
REFINEMENTS: tuple[Refinement, ...] = (
    Refinement("N20.0", _re(r"\bureter(?:al)?\b|ureterovesical|\bUVJ\b|ureteropelvic|\bUPJ\b"), _STONE, "N20.1",
               "stone located in the ureter"),
    Refinement("M54.9", _re(r"\blow(?:er)? back\b|\blumbar\b|\blumbosacral\b|\bL[1-5]\b"), None, "M54.50",
               "pain in the lower back"),
    Refinement("M54.9", _re(r"\bthoracic (?:spine|back)|\bmid[- ]back\b"), None, "M54.6",
               "pain in the thoracic spine"),
    Refinement("M54.9", _re(r"\bneck pain\b|\bcervical spine\b"), None, "M54.2", "neck pain"),
    Refinement("R60.9", _re(r"\b(?:ankle|leg|foot|feet|lower extremit\w+|pedal|hand|pitting)\b[^.\n]{0,30}"
                            r"(?:edema|swelling)|(?:edema|swelling)[^.\n]{0,30}\b(?:ankles?|legs?|feet|foot|"
                            r"lower extremit\w+|hands?)\b"), None, "R60.0", "edema of a limb (localized)"),
    # Cough by the acuity the clinician writes (Index: Cough, acute R05.1; subacute R05.2; chronic R05.3).
    # A duration alone is not read: the acuity is the clinician's word, not the coder's inference.
    Refinement("R05.9", _re(r"\bacute cough"), None, "R05.1", "acute cough"),
    Refinement("R05.9", _re(r"\bsubacute cough"), None, "R05.2", "subacute cough"),
    Refinement("R05.9", _re(r"\bchronic cough"), None, "R05.3", "chronic cough"),
    # "Arthritis" alone indexes to M19.90 whatever the joint; osteoarthritis of a knee is M17.
    Refinement("M19.90", _re(r"\bknees?\b"), _OA, "M17.9", "osteoarthritis of the knee", _OA),
    Refinement("M19.90", _re(r"\bhips?\b"), _OA, "M16.9", "osteoarthritis of the hip", _OA),
    Refinement("N40.0", _re(r"nocturia|urinary frequency|frequent urination|urgency|weak (?:urinary )?stream|"
                            r"hesitan|incomplete (?:bladder )?emptying|urinary retention|dribbl|straining to urinate|"
                            r"\bluts\b|lower urinary tract symptoms|getting up (?:at night )?to urinate"), None,
               "N40.1", "lower urinary tract symptoms"),
    Refinement("R07.9", _re(r"\bchest wall\b|\bcostochondral\b|\breproducible\b"), None, "R07.89",
               "chest wall pain"),
    # Gout NOS whose joint the note names next to it ("a flare of the right big toe"; not "history of
    # gout" beside knee osteoarthritis). The side is read as for any code.
    Refinement("M10.9", _re(rf"\bgout\w*[^.;\n]{{0,40}}{_FOOT}|{_FOOT}[^.;\n]{{0,25}}\bgout"), None, "M10.079",
               "gout of the ankle and foot"),
    Refinement("M10.9", _re(r"\bgout\w*[^.;\n]{0,40}\bknees?\b|\bknees?\b[^.;\n]{0,25}\bgout"), None, "M10.069",
               "gout of the knee"),
)
_CHRONIC_PAIN_RE = _re(r"\bchronic\b(?:\s+\w+){0,3}\s*$")
_PAIN_SITE_PREFIXES = ("M54", "M25.5", "M79.6", "M79.1", "R10", "G44", "M53")


def _sentences_with(text: str, pat: re.Pattern[str]) -> list[str]:
    """The text around each match: its line, at most 150 characters either side (titles such as
    "Mr." make sentence ends unreliable)."""
    out = []
    for m in pat.finditer(text):
        start = max(text.rfind("\n", 0, m.start()) + 1, m.start() - 150)
        end = text.find("\n", m.end())
        out.append(text[start:min(end if end >= 0 else len(text), m.end() + 150)])
    return out


def refine(code: str, text: str, mentions: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(more specific code, the detail read) for ``code`` from the note, or None."""
    for r in REFINEMENTS:
        if r.code != code or r.mention is not None and not any(r.mention.search(m) for m in mentions):
            continue
        hits = _sentences_with(text, r.pattern)
        if r.near is not None:
            hits = [h for h in hits if r.near.search(h)]
        if hits:
            return r.better, r.detail
    return None


_AMD_STAGE = (
    (_re(r"active (?:choroidal )?neovascular|active cnv|active wet|actively leaking|new (?:choroidal )?neovascular|"
         r"\bwet\b[^.\n]{0,40}\bactive\b(?! (?:choroidal )?neovascular)"),
     "H35.32", "1", "active choroidal neovascularization"),
    (_re(r"inactive (?:choroidal )?neovascular|inactive cnv|no active (?:leak|neovascular)"), "H35.32", "2",
     "inactive choroidal neovascularization"),
    (_re(r"early (?:dry |nonexudative |non-exudative )?(?:stage|amd|age)"), "H35.31", "1", "early dry stage"),
    (_re(r"intermediate (?:dry |nonexudative |non-exudative )?(?:stage|amd|age)"), "H35.31", "2",
     "intermediate dry stage"),
    (_re(r"geographic atrophy"), "H35.31", "3", "advanced atrophic stage (geographic atrophy)"),
)


def amd_stage(code: str, text: str) -> tuple[str, str] | None:
    """Age-related macular degeneration: the 7th character (stage) from the note."""
    if not (code.startswith(("H35.31", "H35.32")) and code.endswith("0") and len(code) == 8):
        return None
    for pat, prefix, char, detail in _AMD_STAGE:
        if code.startswith(prefix) and pat.search(text):
            return code[:-1] + char, detail
    return None


_ANKLE_OTHER = _re(r"talofibular|calcaneofibular|\batfl\b|lateral (?:ankle )?ligament|inversion")
_KNEE_LIGAMENT = ((_re(r"\bmcl\b|medial collateral"), "S83.41"), (_re(r"\blcl\b|lateral collateral"), "S83.42"),
                  (_re(r"\bacl\b|anterior cruciate"), "S83.51"), (_re(r"\bpcl\b|posterior cruciate"), "S83.52"))


def sprain_ligament(code: str, text: str) -> tuple[str, str] | None:
    """Sprain anatomy the assessment names: an ankle sprain of the lateral (talofibular) ligaments
    is "other ligament" (S93.49-), a knee sprain of a named ligament its own code; side and 7th
    character are kept. The caller passes the assessment's text: tenderness over a ligament on exam
    is a finding, not the clinician's diagnosis."""
    if code.startswith("S93.40") and len(code) == 8 and _ANKLE_OTHER.search(text):
        return "S93.49" + code[6:], "lateral ankle ligament named"
    if code.startswith("S83.9") and len(code) == 8:       # S83.9<side>X<7th>
        named = [(p, c) for p, c in _KNEE_LIGAMENT if p.search(text)]
        if len(named) == 1:
            return f"{named[0][1]}{code[5]}{code[7]}", "knee ligament named"
    return None


_METATARSAL = ((_re(r"\b(?:1st|first)\s+metatarsal\b(?!s)"), "1"), (_re(r"\b(?:2nd|second)\s+metatarsal\b(?!s)"), "2"),
               (_re(r"\b(?:3rd|third)\s+metatarsal\b(?!s)"), "3"), (_re(r"\b(?:4th|fourth)\s+metatarsal\b(?!s)"), "4"),
               (_re(r"\b(?:5th|fifth)\s+metatarsal\b(?!s)"), "5"))
_UPPER_LEG = _re(r"\bupper (?:leg|thigh)\b|\bthigh\b")
_LOWER_LEG = _re(r"\b(?:lower leg|shin|calf)\s+(?:contusion|bruis)|contusion of (?:the )?(?:lower leg|shin|calf)")


def injury_site(code: str, text: str) -> tuple[str, str] | None:
    """The bone or part an injury code names in general terms, read from the note's exam or imaging:
    a metatarsal fracture (a Lisfranc fracture) of the one metatarsal the note names (S92.3<n>-,
    displaced by default, I.C.19.c.1); a leg contusion the exam places in the upper leg or thigh
    (Index: Contusion, leg (lower) S80.1-; thigh S70.1-). Side and 7th character are kept."""
    if code.startswith("S92.30") and len(code) == 8:           # S92.30<side><7th>
        named = {n for pat, n in _METATARSAL if pat.search(text)}
        if len(named) == 1:
            side = {"9": "3"}.get(code[6], code[6])       # S92.3n3 is the unspecified foot
            return f"S92.3{named.pop()}{side}{code[7]}", "metatarsal named"
    if code.startswith("S80.1") and len(code) == 8 and _UPPER_LEG.search(text) and not _LOWER_LEG.search(text):
        return f"S70.1{code[5:]}", "upper leg (thigh)"
    return None


_HF_RE = _re(r"heart failure|\bchf\b|\bhf\b|hfpef|hfref|hfmref|cardiomyopathy|ejection fraction|\bef\b|\blvef\b")
_HF = r"(?:\(?congestive\)? )?(?:heart failure|\bchf\b|\bhf\b)"
# The type only in words that name it ("systolic" alone is a blood pressure or a murmur).
_HF_TYPES = ((_re(rf"combined systolic and diastolic {_HF}|systolic and diastolic {_HF}"), "4", "combined"),
             (_re(rf"diastolic {_HF}|diastolic dysfunction|\bhfpef\b|{_HF} with preserved (?:ejection fraction|ef)"),
              "3", "diastolic"),
             (_re(rf"systolic {_HF}|systolic dysfunction|\bhfref\b|{_HF} with reduced (?:ejection fraction|ef)"),
              "2", "systolic"))
_HF_ACUITY = ((_re(r"acute on chronic|exacerbation|decompensat|acutely decompensated|volume overload"), "3",
               "acute on chronic"),
              (_re(r"\bacute\b"), "1", "acute"),
              (_re(r"\bchronic\b|\bcompensated\b|\bstable\b|euvolemic"), "2", "chronic"))


_PAST_RE = _re(r"\b(?:earlier|last (?:week|month|year|spring|summer|fall|winter)|previous|prior|ago|in the past|"
               r"was admitted|was hospitalized|history of)\b")


def heart_failure_type(code: str, text: str) -> tuple[str, str] | None:
    """Heart failure NOS (I50.9) whose type the note states elsewhere (HFpEF, "systolic", "reduced
    ejection fraction"): I50.2-/I50.3-/I50.4- with the acuity read in the same sentences (acute,
    chronic, acute on chronic, else unspecified). I.C.9.a.1 asks for the type with I11/I13."""
    if code != "I50.9":
        return None
    hits = _sentences_with(text, _HF_RE)
    kind = next(((c, d) for pat, c, d in _HF_TYPES if any(pat.search(h) for h in hits)), None)
    if kind is None:
        return None
    now = [h for h in hits if not _PAST_RE.search(h)]      # "an exacerbation earlier in the spring" is over
    acuity = next(((c, d) for pat, c, d in _HF_ACUITY if any(pat.search(h) for h in now)), ("0", "unspecified"))
    return f"I50.{kind[0]}{acuity[0]}", f"{acuity[1]} {kind[1]} heart failure"


def chronic_pain(code: str, text: str, start: int) -> bool:
    """True when a pain site code's mention is written as chronic ("chronic low back pain")."""
    return code.startswith(_PAIN_SITE_PREFIXES) and bool(_CHRONIC_PAIN_RE.search(text[max(0, start - 40):start]))
