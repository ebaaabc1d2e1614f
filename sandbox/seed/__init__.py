"""Seed data of the sandbox EHR, built from the ACI-BENCH visit notes.

One Encounter per ACI-BENCH note (87), one Patient per distinct patient name (named from the
metadata; missing first or family names are synthesized deterministically), five Practitioners, a
clinic and a payer Organization, and an active Coverage per patient. Even-numbered encounters carry
their note as a DocumentReference (inline base64 text/plain), odd-numbered ones as a Composition with
an XHTML section per SOAP heading; e060–e078 carry their note in the other shapes real EHRs send
(Binary-backed, HTML, RTF, PDF, several attachments, DiagnosticReport, entered-in-error, superseded,
cp1252, malformed, missing Binary, scanned, split for paging, foreign URL: see `shapes.py`). Ids are
stable across runs (Patient p001..., Encounter e001...,
DocumentReference dr002..., Composition cmp001..., Coverage cov001...); encounter dates are distinct
days in 2026. Demographics, addresses, phones, emails, MRNs and NPIs are synthetic.

The notes come from ACI-BENCH, licensed CC BY 4.0:
Yim W., Fu Y., Ben Abacha A., Snider N., Lin T., Yetisgen M. "ACI-BENCH: a Novel Ambient Clinical
Intelligence Dataset for Benchmarking Automatic Visit Note Generation." Scientific Data 10, 586 (2023).
https://doi.org/10.1038/s41597-023-02487-3
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from sandbox.db import connect, init_db, transaction
from sandbox.seed import notes, people, shapes
from sandbox.seed.source import NoteRecord, load_notes
from sandbox.store import ResourceStore

ATTRIBUTION = (
    'Clinical notes from ACI-BENCH (CC BY 4.0): Yim W., Fu Y., Ben Abacha A., Snider N., Lin T., '
    'Yetisgen M. "ACI-BENCH: a Novel Ambient Clinical Intelligence Dataset for Benchmarking Automatic '
    'Visit Note Generation." Scientific Data 10, 586 (2023).'
)
CLINIC_TZ = timezone(timedelta(hours=-5))
FIRST_DAY = datetime(2026, 1, 5, 8, 0, tzinfo=CLINIC_TZ)
SOURCE_SYSTEM = "urn:revrx:sandbox:aci-bench"
PPRF = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                    "code": "PPRF", "display": "primary performer"}]}


def _visit_type(cc: str) -> str:
    lowered = cc.lower()
    if "annual" in lowered or "physical" in lowered:
        return "Annual wellness visit"
    if "follow" in lowered:
        return "Follow-up visit"
    return "Office Visit"


def build_resources(records: list[NoteRecord]) -> list[dict[str, Any]]:
    """Every seed resource, deterministic for a given list of notes."""
    practitioners = people.practitioners()
    resources: list[dict[str, Any]] = [*people.organizations(), *practitioners, *people.staff(),
                                       *people.practitioner_roles()]
    patient_ids: dict[tuple[str, str], str] = {}
    for index, record in enumerate(records):
        n = index + 1
        start = FIRST_DAY + timedelta(days=index * 3, minutes=45 * (index % 9))
        end = start + timedelta(minutes=30)
        first, family = people.patient_name(record.first_name, record.family_name, record.gender,
                                            record.source_id)
        if (first, family) not in patient_ids:
            pn = len(patient_ids) + 1
            patient_ids[(first, family)] = f"p{pn:03d}"
            born = people.birth_date(record.age, date(start.year, start.month, start.day), pn)
            resources.append(people.patient(pn, first, family, record.gender, born))
            ref = {"reference": f"Patient/p{pn:03d}", "display": f"{first} {family}"}
            resources.append(people.coverage(pn, ref))
        patient = {"reference": f"Patient/{patient_ids[(first, family)]}", "display": f"{first} {family}"}
        doc = practitioners[index % len(practitioners)]
        author = {"reference": f"Practitioner/{doc['id']}", "display": doc["name"][0]["text"]}
        period = {"start": start.isoformat(), "end": end.isoformat()}
        encounter_id = f"e{n:03d}"
        resources.append({
            "resourceType": "Encounter",
            "id": encounter_id,
            "identifier": [{"system": SOURCE_SYSTEM, "value": record.source_id}],
            "status": "finished",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB",
                      "display": "ambulatory"},
            "type": [{"text": _visit_type(record.chief_complaint)}],
            "subject": patient,
            "participant": [{"type": [PPRF], "individual": author}],
            "period": period,
            "reasonCode": [{"text": record.chief_complaint or "Office visit"}],
            "serviceProvider": people.CLINIC,
        })
        encounter = {"ref": {"reference": f"Encounter/{encounter_id}"}, "period": period}
        signed = end.isoformat()
        description = f"Progress note: {record.chief_complaint}" if record.chief_complaint else "Progress note"
        if n in shapes.SHAPES:
            visit = shapes.Visit(n, record.note, patient, encounter, author, signed, description)
            resources.extend(shapes.SHAPES[n](visit))
        elif n % 2 == 0:
            resources.append(notes.document_reference(f"dr{n:03d}", record.note, patient, encounter, author,
                                                      signed, description))
        else:
            resources.append(notes.composition(f"cmp{n:03d}", record.note, patient, encounter, author, signed))
    return resources


def seed_if_empty(db_path: str) -> int:
    """Seed when the store holds no resources; returns how many were inserted (0 if already seeded)."""
    conn = connect(db_path)
    try:
        store = ResourceStore(conn)
        if store.count():
            return 0
        resources = build_resources(load_notes())
        # IMMEDIATE + re-check: two processes starting on one fresh file seed it once.
        with transaction(conn, immediate=True):
            if store.count():
                return 0
            return store.insert_many(resources)
    finally:
        conn.close()


def add_missing_staff(db_path: str) -> int:
    """A sandbox seeded before the clinic had coders (and PractitionerRoles) gets them, so the README's
    coder can sign in without a reseed; nothing else of an existing store changes."""
    conn = connect(db_path)
    try:
        store = ResourceStore(conn)
        wanted = [*people.staff(), *people.practitioner_roles()]
        with transaction(conn, immediate=True):
            missing = [r for r in wanted if store.get(r["resourceType"], r["id"]) is None]
            return store.insert_many(missing) if missing else 0
    finally:
        conn.close()


def wipe(db_path: str) -> None:
    """Drop all resources, launches, codes and tokens (keeps the signing key): for --reseed."""
    init_db(db_path)
    conn = connect(db_path)
    try:
        with transaction(conn, immediate=True):
            for table in ("resources", "search_index", "launch_contexts", "auth_codes", "tokens", "client_assertions"):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    finally:
        conn.close()
