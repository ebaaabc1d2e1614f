"""A person's changes to the suggested codes: change a code, add one, choose the first-listed
diagnosis. Each is checked against the code set, recorded with who and when, and audited (codes only).

Diagnoses must be billable ICD-10-CM codes. Visit and procedure codes are CPT or HCPCS by format only:
RevRX ships no CPT descriptors (AMA licence), so the display says what kind of code it is.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.coding.codesets import icd10cm
from smartapp.coding.types import CPT, HCPCS, ICD10CM
from smartapp.models import CodingRun, Decision, Suggestion, User
from smartapp.review.approved import ordered

_CPT = re.compile(r"^\d{4}[0-9FTU]$")
_HCPCS = re.compile(r"^[A-V]\d{4}$")
_EM = re.compile(r"^99\d{3}$|^G2211$")


class EditRefused(ValueError):
    """The change is not possible; the message says what to fix."""


def checked_code(category: str, raw: str) -> tuple[str, str, str, str]:
    """(system, code, display, category) for a code a person typed, or EditRefused."""
    text = (raw or "").strip().upper()
    if not text:
        raise EditRefused("Type a code or search for one.")
    if category == "diagnosis":
        code = icd10cm.normalize(text)
        if not icd10cm.is_valid(code):
            raise EditRefused(f"{text} is not an ICD-10-CM code.")
        if not icd10cm.is_billable(code):
            raise EditRefused(f"{code} is a category, not a billable code: choose a more specific code.")
        return ICD10CM, code, icd10cm.describe(code) or code, "diagnosis"
    if _CPT.match(text):
        kind = "em" if _EM.match(text) else "procedure"
        return CPT, text, "Office visit (E/M)" if kind == "em" else "Procedure (CPT)", kind
    if _HCPCS.match(text):
        return HCPCS, text, "HCPCS service", "em" if _EM.match(text) else "procedure"
    raise EditRefused(f"{text} is not a CPT (5 digits) or HCPCS (letter and 4 digits) code.")


def _stamp(suggestion: Suggestion, user: User) -> None:
    suggestion.decision = Decision.ACCEPTED   # a person who chose a code has accepted it
    suggestion.decision_reason = None
    suggestion.decided_by_id = user.id
    suggestion.decided_at = datetime.now(UTC)


def _merge_twin(session: Session, suggestion: Suggestion, code: str) -> str:
    """Changing a code to one already listed makes one row, not two: the changed row (it keeps the
    person's edit, R03.0 -> I10) takes the other row's evidence and the better place; the other goes."""
    twins = [s for s in suggestion.run.suggestions if s.id != suggestion.id and s.code == code]
    if not twins:
        return ""
    spans = list(suggestion.evidence or [])
    seen = {(e.get("note_id"), e.get("start"), e.get("end")) for e in spans if isinstance(e, dict)}
    for twin in twins:
        for span in twin.evidence or []:
            key = (span.get("note_id"), span.get("start"), span.get("end")) if isinstance(span, dict) else None
            if key is not None and key not in seen:
                seen.add(key)
                spans.append(span)
        suggestion.rank = min(suggestion.rank, twin.rank)
        suggestion.confidence = max(suggestion.confidence, twin.confidence)
        suggestion.run.suggestions.remove(twin)
        session.delete(twin)
    suggestion.evidence = spans
    return f" (merged with the {code} already listed)"


def change_code(session: Session, suggestion: Suggestion, raw: str, user: User) -> None:
    category = "diagnosis" if suggestion.category == "diagnosis" else "procedure"
    system, code, display, kind = checked_code(category, raw)
    if code == suggestion.code:
        _stamp(suggestion, user)
    else:
        before = suggestion.code
        if suggestion.original_code is None and suggestion.origin == "engine":
            suggestion.original_code = before
        merged = _merge_twin(session, suggestion, code)
        suggestion.system, suggestion.code, suggestion.display = system, code, display
        if suggestion.category != "diagnosis":
            suggestion.category = kind
        _stamp(suggestion, user)
        audit.record(session, action="edit", actor=user, resource_type="Suggestion", resource_id=str(suggestion.id),
                     encounter_id=suggestion.run.encounter_id, detail=f"{before} -> {code}{merged}")


def add_code(session: Session, run: CodingRun, category: str, raw: str, user: User) -> Suggestion:
    system, code, display, kind = checked_code(category, raw)
    if any(s.code == code and s.decision != Decision.REJECTED for s in run.suggestions):
        raise EditRefused(f"{code} is already on this encounter.")
    last = max((s.rank for s in run.suggestions), default=0)
    suggestion = Suggestion(run=run, system=system, code=code, display=display, category=kind, rank=last + 1,
                            confidence=1.0, assertion="present", rationale="Added by a person.", evidence=[],
                            origin="user")
    _stamp(suggestion, user)
    session.add(suggestion)
    session.flush()
    audit.record(session, action="add", actor=user, resource_type="Suggestion", resource_id=str(suggestion.id),
                 encounter_id=run.encounter_id, detail=f"added {code}")
    return suggestion


def make_first_listed(session: Session, suggestion: Suggestion, user: User) -> None:
    """Sequence this diagnosis first; the others keep their order after it (ranks renumbered 1..n)."""
    if suggestion.category != "diagnosis":
        raise EditRefused("Only a diagnosis can be first-listed.")
    everything = ordered(list(suggestion.run.suggestions))
    diagnoses = [s for s in everything if s.category == "diagnosis" and s.id != suggestion.id]
    rest = [s for s in everything if s.category != "diagnosis"]
    for rank, s in enumerate([suggestion, *diagnoses, *rest], start=1):
        s.rank = rank
    if suggestion.decision == Decision.PENDING:
        _stamp(suggestion, user)
    audit.record(session, action="reorder", actor=user, resource_type="Suggestion", resource_id=str(suggestion.id),
                 encounter_id=suggestion.run.encounter_id, detail=f"{suggestion.code} first-listed")
