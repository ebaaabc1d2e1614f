"""The coding pipeline: notes -> sections -> PHI redaction -> engine -> guideline rules ->
validation -> ranking -> suggestions (plus the E/M level).

Deterministic for the local engine: the same notes give the same suggestions in the same order.
External engines only ever receive redacted text (see :mod:`.phi`); their evidence is mapped back to
offsets in the original note before it reaches this module.
"""
from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from . import calibration, casereport, docstyle, em, guidelines, procedures, ranking
from . import setting as encounter_setting
from .codesets import icd10cm
from .engines import Engine, EngineError, EngineOutput, EngineSettings, PreparedNote, get_engine
from .sections import CODING_KINDS, Section, kind_at, plan_only, split
from .types import ICD10CM, CodeSuggestion, CodingResult, Demographics, EvidenceSpan, NoteInput


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)


def _context_line(text: str, ev: EvidenceSpan) -> str:
    """The assessment item around a mention: its line and any continuation lines, up to 300 chars."""
    start = text.rfind("\n", 0, ev.start) + 1
    end = text.find("\n", ev.end)
    end = len(text) if end < 0 else end
    while end < len(text) and end - start < 300:
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt < 0 else nxt
        line = text[end + 1:nxt]
        if not line.strip() or not line[:1].isspace() and not line.lstrip().startswith(("-", "*", "•")):
            break
        end = nxt
    return text[start:end]


def warm() -> None:
    """Build the code set, search and term indexes now (about 3 s) instead of on the first job.

    Call once at worker (or web) start-up; everything is cached for the life of the process.
    """
    from . import terms

    icd10cm.warm()
    terms.lexicon_index()
    terms.title_index()


def _age(demographics: Demographics | None) -> int | None:
    """Age today from the FHIR birth date (the note's own "52-year-old" is the fallback in em)."""
    if not demographics or not demographics.birth_date:
        return None
    try:
        born = date.fromisoformat(demographics.birth_date[:10])
    except ValueError:
        return None
    today = date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def run(notes: Sequence[NoteInput], demographics: Demographics | None = None, engine: str = "local",
        settings: EngineSettings | None = None, *, engine_impl: Engine | None = None,
        setting: str | None = None, calibrated: bool = True) -> CodingResult:
    """Suggest ICD-10-CM, E/M, HCPCS and office procedure (CPT) codes for one encounter's notes.

    ``engine_impl`` is an already-built engine (e.g. a Comprehend engine around a given boto3
    client); by default the engine is built from ``settings``. This library never reads the
    environment: the app passes ``settings`` (from ``smartapp.config.Settings.engine_settings``);
    without them the ``engine`` name runs with the engines' defaults (enough for ``local``).
    ``setting`` is the encounter's setting (:mod:`.setting`: office, inpatient, observation, ED,
    home, telehealth; a FHIR Encounter.class code is normalised): it picks the E/M code family.
    ``calibrated=False`` keeps the engine's raw confidence (``scripts/calibrate.py`` fits on it).
    """
    setting = encounter_setting.normalize(setting) or setting
    settings = settings or EngineSettings(engine=engine)
    timings: dict[str, float] = {}
    warnings: list[str] = []
    usable = [n for n in notes if n.text and n.text.strip()]
    if len(usable) < len(notes):
        warnings.append(f"{len(notes) - len(usable)} empty note(s) skipped")

    t0 = time.perf_counter()
    sections = {n.note_id: split(n.text) for n in usable}
    timings["sections"] = _ms(t0)

    # Redaction happens when an external engine first reads the text (never for the local engine);
    # its time is part of "engine".
    prepared = [PreparedNote(n, sections[n.note_id], demographics=demographics) for n in usable]

    t0 = time.perf_counter()
    try:
        eng = engine_impl or get_engine(settings)
        output = eng.extract(prepared)
    except EngineError as exc:
        if settings.engine == "local" and engine_impl is None:
            raise
        failed = getattr(engine_impl, "name", settings.engine)
        warnings.append(f"{failed} engine failed ({exc}); local engine used instead")
        eng = get_engine(EngineSettings(engine="local"))
        output = eng.extract(prepared)
    warnings.extend(output.warnings)
    timings["engine"] = _ms(t0)

    t0 = time.perf_counter()
    has_assessment = any(s.kind in CODING_KINDS and n.text[s.start:s.end].strip()
                         for n in usable for s in sections[n.note_id])
    assessed_text = "\n".join(n.text[s.start:s.end] for n in usable for s in sections[n.note_id]
                              if s.kind in CODING_KINDS or s.kind == "cc")
    # Inpatient discharge summaries: uncertain diagnoses at discharge are coded as established (II.H).
    discharge = frozenset(n.note_id for n in usable
                          if setting == encounter_setting.INPATIENT and _DISCHARGE_RE.search(n.text))
    case_reports = frozenset(n.note_id for n in usable if docstyle.is_case_report(n.text, sections[n.note_id]))
    diagnoses = _diagnoses(output, {n.note_id: i for i, n in enumerate(usable)},
                           {n.note_id: n.text for n in usable}, has_assessment, sections, assessed_text,
                           case_reports, discharge)
    if calibrated:
        texts_by_id = {n.note_id: n.text for n in usable}
        diagnoses = [replace(s, confidence=calibration.calibrate(s, texts_by_id)) for s in diagnoses]
    timings["rules"] = _ms(t0)

    t0 = time.perf_counter()
    texts = {n.note_id: n.text for n in usable}
    problems = [em.Problem(s.code, _context_line(texts[ev.note_id], ev), ev)
                for s in diagnoses if s.evidence and s.assertion == "present"
                for ev in [_assessed_evidence(s.evidence, sections)]]
    em_codes = em.suggest(usable, sections, problems, output.uncertain, _age(demographics), setting)
    why_no_em = em.left_out(setting)
    if why_no_em:
        warnings.append(why_no_em)
    timings["em"] = _ms(t0)

    t0 = time.perf_counter()
    procs = _procedures(procedures.find(usable, sections), output.procedures)
    if not case_reports:
        diagnoses += _vaccination_reason(diagnoses, procs)      # a case report's vaccine is its history
    timings["procedures"] = _ms(t0)

    suggestions = [replace(s, rank=rank) for rank, s in enumerate(diagnoses + em_codes + procs, start=1)]
    return CodingResult(suggestions, eng.name, f"{eng.version}; {icd10cm.VERSION}", timings, warnings,
                        sum(p.redaction.redacted_chars for p in prepared if p.redacted))


def _assessed_evidence(evidence: Sequence[EvidenceSpan], sections: dict[str, list[Section]]) -> EvidenceSpan:
    """The mention the E/M problem element reads (stable, worse, not at goal): the one in the
    assessment and plan when there is one, else the last one, where notes conclude ("A/P
    hypothyroidism, undertreated - levo 88"), not the first ("f/u hypothyroid")."""
    return next((ev for ev in evidence if kind_at(sections.get(ev.note_id, []), ev.start) in CODING_KINDS),
                evidence[-1])


# Immunization administration codes: a vaccine was given at this encounter.
_ADMINISTRATION = frozenset(("90460", "90471", "90472", "90473", "90474", "90480"))


def _vaccination_reason(diagnoses: list[CodeSuggestion], procs: list[CodeSuggestion]) -> list[CodeSuggestion]:
    """Z23 (encounter for immunization) when a vaccine administration was found but the diagnosis rules
    did not name the reason ("Administered today:" followed by a list of products)."""
    given = next((p for p in procs if p.code in _ADMINISTRATION), None)
    if given is None or any(d.code == "Z23" for d in diagnoses):
        return []
    return [CodeSuggestion(ICD10CM, "Z23", icd10cm.describe("Z23") or "Z23", "diagnosis", given.evidence, "present",
                           round(min(given.confidence, 0.9), 2),
                           f"vaccine administered at this encounter ({given.code})", 0, None)]


def _procedures(local: list[CodeSuggestion], external: list[CodeSuggestion]) -> list[CodeSuggestion]:
    """Local procedure codes, plus any an external engine found (already checked for "done today")."""
    codes = {s.code for s in local}
    return local + [s for s in external if s.code not in codes]


_DISCHARGE_RE = re.compile(r"\bdischarge (?:summary|diagnos[ie]s)\b", re.IGNORECASE)


def _diagnoses(output: EngineOutput, note_order: dict[str, int], texts: dict[str, str],
               has_assessment: bool, sections: dict[str, list[Section]], assessed_text: str,
               case_reports: frozenset[str], discharge: frozenset[str] = frozenset()) -> list[CodeSuggestion]:
    # A bare "Plan" does not decide: the problems stated before it are today's (sections.plan_only).
    decides = has_assessment and not all(plan_only(secs) for secs in sections.values())
    items = guidelines.from_assertions(output.candidates, texts, decides, discharge)
    sides = guidelines.note_sides(output.candidates)
    items = guidelines.make_billable(items, sides)
    # A ligament is the clinician's diagnosis only when the assessment names it (not exam tenderness).
    items = guidelines.specify(items, texts, sides, assessed_text if has_assessment else None)
    items = guidelines.merge(items)
    items = guidelines.combine(items, texts)
    items = guidelines.merge(items)
    items = guidelines.relevant(items, texts, sections, assessed_text, has_assessment)
    items = guidelines.followup(items, texts, assessed_text if has_assessment else "")
    items = casereport.unlink_presumed(items, case_reports)
    items = guidelines.prune(items, texts, case_reports)
    items = casereport.drop_encounter_status(items, case_reports)
    out = []
    for it in ranking.rank(items, note_order):
        if it.system == ICD10CM and not icd10cm.is_billable(it.code):
            continue          # validation: only billable ICD-10-CM codes reach the claim
        evidence = tuple(sorted(it.evidence, key=lambda e: (note_order.get(e.note_id, 99), e.start)))
        rationale = "; ".join([it.rationale, *it.notes])
        out.append(CodeSuggestion(it.system, it.code, icd10cm.describe(it.code) or it.code, "diagnosis",
                                  evidence, it.assertion, round(it.confidence, 2), rationale, 0, it.hint))
    return out
