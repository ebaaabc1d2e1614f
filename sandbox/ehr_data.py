"""Read models for the EHR pages: patients, encounters, notes and claims as display rows.

Everything is computed from FHIR resources in the store (no separate tables), so what the EHR page
shows is exactly what a FHIR client would see.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sandbox.search_params import values_at
from sandbox.store import Resource, ResourceStore


def human_name(resource: Resource | None) -> str:
    if not resource:
        return "?"
    names = resource.get("name") or []
    if isinstance(names, str):  # Organization.name
        return names
    if not names or not isinstance(names, list):
        return resource.get("id", "?")
    name = names[0]
    if name.get("text"):
        return str(name["text"])
    return " ".join([*name.get("given", []), name.get("family", "")]).strip()


def _ref_ids(resource: Resource, path: str) -> list[str]:
    refs = [r.get("reference", "") for r in values_at(resource, path) if isinstance(r, dict)]
    return [r.rpartition("/")[2] for r in refs if r]


@dataclass
class EncounterRow:
    id: str
    date: str
    type: str
    reason: str
    provider: str
    patient_id: str
    patient_name: str
    note_shape: str
    claims: int


@dataclass
class PatientRow:
    id: str
    name: str
    mrn: str
    birth_date: str
    gender: str
    encounters: list[EncounterRow] = field(default_factory=list)


@dataclass
class ClaimRow:
    id: str
    status: str
    created: str
    patient: str
    encounters: list[str]
    codes: list[str]


def practitioner_choices(store: ResourceStore) -> list[tuple[str, str]]:
    """Who can sign in, with what they do at the clinic (their PractitionerRole): "Dana Brooks · Medical coder"."""
    does: dict[str, list[str]] = {}
    for role in store.all_of_type("PractitionerRole"):
        who = str((role.get("practitioner") or {}).get("reference", "")).partition("/")[2]
        what = [str(c.get("text")) for c in role.get("code") or [] if isinstance(c, dict) and c.get("text")]
        if who and role.get("active", True):
            does.setdefault(who, []).extend(what)
    return [(p["id"], " · ".join([human_name(p), *(["/".join(does[p["id"]])] if does.get(p["id"]) else [])]))
            for p in store.all_of_type("Practitioner")]


def patient_choices(store: ResourceStore) -> list[tuple[str, str]]:
    rows = [(p["id"], f"{human_name(p)} ({p.get('birthDate', '?')})") for p in store.all_of_type("Patient")]
    return sorted(rows, key=lambda row: row[1])


def _note_shapes(store: ResourceStore) -> dict[str, str]:
    shapes: dict[str, str] = {}
    for doc in store.all_of_type("DocumentReference"):
        types = [str(c.get("attachment", {}).get("contentType", "?")).split(";")[0]
                 for c in doc.get("content", []) if isinstance(c, dict)]
        for enc in _ref_ids(doc, "context.encounter"):
            shapes[enc] = f"DocumentReference ({', '.join(types)})"
    for comp in store.all_of_type("Composition"):
        for enc in _ref_ids(comp, "encounter"):
            shapes[enc] = f"Composition ({len(comp.get('section', []))} sections)"
    for report in store.all_of_type("DiagnosticReport"):
        forms = [str(f.get("contentType", "?")).split(";")[0] for f in report.get("presentedForm", [])
                 if isinstance(f, dict)]
        for enc in _ref_ids(report, "encounter"):
            shapes[enc] = f"DiagnosticReport ({', '.join(forms)})"
    return shapes


def encounter_rows(store: ResourceStore) -> list[EncounterRow]:
    patients = {p["id"]: p for p in store.all_of_type("Patient")}
    practitioners = {p["id"]: p for p in store.all_of_type("Practitioner")}
    claims: Counter[str] = Counter()
    for claim in store.all_of_type("Claim"):
        claims.update(set(_ref_ids(claim, "item.encounter")))
    shapes = _note_shapes(store)
    rows = []
    for enc in store.all_of_type("Encounter"):
        patient_id = next(iter(_ref_ids(enc, "subject")), "")
        provider_id = next(iter(_ref_ids(enc, "participant.individual")), "")
        rows.append(EncounterRow(
            id=enc["id"],
            date=str(enc.get("period", {}).get("start", ""))[:16].replace("T", " "),
            type=str((enc.get("type") or [{}])[0].get("text", "")),
            reason=str((enc.get("reasonCode") or [{}])[0].get("text", "")),
            provider=human_name(practitioners.get(provider_id)),
            patient_id=patient_id,
            patient_name=human_name(patients.get(patient_id)),
            note_shape=shapes.get(enc["id"], "no note"),
            claims=claims[enc["id"]],
        ))
    return rows


def patients_with_encounters(store: ResourceStore) -> list[PatientRow]:
    rows = {
        p["id"]: PatientRow(
            id=p["id"], name=human_name(p),
            mrn=str((p.get("identifier") or [{}])[0].get("value", "")),
            birth_date=str(p.get("birthDate", "")), gender=str(p.get("gender", "")),
        )
        for p in store.all_of_type("Patient")
    }
    for enc in encounter_rows(store):
        if enc.patient_id in rows:
            rows[enc.patient_id].encounters.append(enc)
    return list(rows.values())


def matches(patient: PatientRow, query: str) -> bool:
    """The home page's search: every word in the patient's name, MRN, birth date or one of their
    encounters' id, date, type, reason or provider."""
    fields = [patient.name, patient.mrn, patient.birth_date, patient.id]
    for e in patient.encounters:
        fields += [e.id, e.date, e.type, e.reason, e.provider]
    text = " ".join(fields).lower()
    return all(word in text for word in query.lower().split())


def _codes(claim: Resource) -> list[str]:
    codes: list[str] = []
    for path in ("diagnosis.diagnosisCodeableConcept.coding", "item.productOrService.coding",
                 "procedure.procedureCodeableConcept.coding"):
        for coding in values_at(claim, path):
            if isinstance(coding, dict) and coding.get("code"):
                codes.append(str(coding["code"]))
    return codes


def claim_rows(store: ResourceStore) -> list[ClaimRow]:
    patients = {p["id"]: p for p in store.all_of_type("Patient")}
    rows = []
    for claim in store.all_of_type("Claim"):
        patient_id = next(iter(_ref_ids(claim, "patient")), "")
        rows.append(ClaimRow(
            id=claim["id"], status=str(claim.get("status", "")), created=str(claim.get("created", "")),
            patient=human_name(patients.get(patient_id)) if patient_id in patients else patient_id,
            encounters=sorted(set(_ref_ids(claim, "item.encounter"))), codes=_codes(claim),
        ))
    return sorted(rows, key=lambda row: row.created, reverse=True)


def encounter_detail(store: ResourceStore, encounter_id: str) -> dict[str, Any] | None:
    enc = store.get("Encounter", encounter_id)
    if enc is None:
        return None
    patient = store.get("Patient", next(iter(_ref_ids(enc, "subject")), ""))
    row = next((r for r in encounter_rows(store) if r.id == encounter_id), None)
    return {"encounter": enc, "patient": patient, "patient_name": human_name(patient), "row": row}
