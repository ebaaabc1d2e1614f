"""The HCC view of one encounter for the review page, the report and the API: a badge per diagnosis
that carries a CMS-HCC V28 category, the hierarchies applied across the encounter's codes and across
the patient's encounters in the same organisation and calendar year, and documentation hints.

Rejected codes count for nothing. Other encounters count with the codes their coders accepted.
No RAF score is given: an encounter does not state the eligibility segment it needs (see raf.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from smartapp.hcc.hints import Hint, hints_for
from smartapp.hcc.mapping import MODEL, MODEL_YEAR, Hcc, HierarchyResult, apply_hierarchies, hccs_for
from smartapp.models import CodingRun, Decision, Encounter, Suggestion


@dataclass
class HccView:
    model: str = MODEL
    year: int = MODEL_YEAR
    badges: dict[int, list[Hcc]] = field(default_factory=dict)        # suggestion id → its HCCs
    superseded: dict[int, Hcc] = field(default_factory=dict)          # suggestion id → the HCC above it
    encounter: HierarchyResult | None = None
    patient_year: HierarchyResult | None = None
    patient_year_label: str = ""
    other_encounters: int = 0
    hints: dict[int, Hint] = field(default_factory=dict)              # suggestion id → hint
    raf_note: str = ("No RAF score: the patient's eligibility segment (community, dual, institutional) is not "
                     "known from the EHR encounter.")

    def as_json(self) -> dict[str, object]:
        def hierarchy(result: HierarchyResult | None) -> dict[str, object] | None:
            if result is None:
                return None
            return {"hccs": [{"hcc": h.number, "label": h.label, "codes": result.codes_by_hcc[n]}
                             for n, h in result.kept.items()],
                    "dropped": [{"hcc": n, "label": d.hcc.label, "by": d.by.number} for n, d in result.dropped.items()]}
        return {"model": self.model, "payment_year": self.year, "encounter": hierarchy(self.encounter),
                "patient_year": hierarchy(self.patient_year), "patient_year_of": self.patient_year_label,
                "other_encounters": self.other_encounters,
                "hints": [{"code": h.code, "target": h.target, "hcc": h.target_hcc.number, "message": h.message}
                          for h in self.hints.values()],
                "raf": None, "raf_note": self.raf_note}


def _counted(suggestions: list[Suggestion]) -> list[Suggestion]:
    return [s for s in suggestions if s.category == "diagnosis" and s.decision != Decision.REJECTED]


def _other_accepted_codes(session: Session, encounter: Encounter) -> tuple[list[str], int]:
    """Accepted diagnoses on the patient's other encounters in this organisation, same year."""
    if not encounter.fhir_patient_id or encounter.date_of_service is None:
        return [], 0
    others = session.scalars(select(Encounter.id).where(
        Encounter.organization_id == encounter.organization_id, Encounter.source_system == encounter.source_system,
        Encounter.fhir_patient_id == encounter.fhir_patient_id, Encounter.id != encounter.id,
        extract("year", Encounter.date_of_service) == encounter.date_of_service.year,
    )).all()
    if not others:
        return [], 0
    latest = (select(func.max(CodingRun.id)).where(CodingRun.encounter_id.in_(others))
              .group_by(CodingRun.encounter_id))
    codes = list(session.scalars(select(Suggestion.code).where(
        Suggestion.run_id.in_(latest), Suggestion.category == "diagnosis",
        Suggestion.decision == Decision.ACCEPTED)).all())
    return codes, len(others)


def hcc_view(session: Session, encounter: Encounter, run: CodingRun | None, *, with_hints: bool = True) -> HccView:
    view = HccView()
    if run is None:
        return view
    counted = _counted(list(run.suggestions))
    for s in counted:
        found = hccs_for(s.code)
        if found:
            view.badges[s.id] = found
    codes = [s.code for s in counted]
    view.encounter = apply_hierarchies(codes)
    for s in counted:
        for hcc in view.badges.get(s.id, []):
            dropped = view.encounter.dropped.get(hcc.number)
            if dropped is not None:
                view.superseded[s.id] = dropped.by
    other_codes, view.other_encounters = _other_accepted_codes(session, encounter)
    if view.other_encounters:
        view.patient_year = apply_hierarchies(codes + other_codes)
        view.patient_year_label = str(encounter.date_of_service.year) if encounter.date_of_service else ""
    if with_hints and counted:
        text = "\n".join(n.text for n in encounter.notes if n.text)
        by_code = {s.code: s.id for s in counted}
        for hint in hints_for(codes, text):
            view.hints[by_code[hint.code]] = hint
    return view
