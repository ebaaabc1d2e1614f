"""Approved codes → the other write-back resources: ChargeItems, encounter-diagnosis Conditions and
a DocumentReference holding the coding report. Each is validated with fhir.resources (R4B) and
carries an identifier of ours, created with `If-None-Exist`, so a retry finds instead of duplicating.

No Flask, no ORM: plain inputs in, JSON dicts out.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from importlib import import_module
from typing import Any

from pydantic import ValidationError

from smartapp.review.approved import ApprovedCode, ApprovedCodes
from smartapp.writeback.charge_master import ChargeMaster
from smartapp.writeback.claim_builder import (
    AI_SUGGESTED_URL,
    CPT_SYSTEM,
    ICD10CM_SYSTEM,
    ClaimValidationError,
    conditional_query,
    fhir_instant,
)

WRITEBACK_ID_SYSTEM = "https://revrx.example/fhir/writeback-id"
SEQUENCE_URL = "https://revrx.example/fhir/StructureDefinition/diagnosis-sequence"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
REPORT_TYPE_SYSTEM = "https://revrx.example/fhir/CodeSystem/document-type"


@dataclass(frozen=True)
class Target:
    """Where the write-back goes and under which key."""

    key: str                  # the submission's idempotency key; resource identifiers derive from it
    patient_id: str
    encounter_id: str
    provider_ref: str | None  # "Practitioner/7": the encounter's rendering provider (performer, Claim.provider)
    service_date: date | None
    now: datetime
    # Who writes it (author, enterer, recorder): the acting user, or the connection's system identity;
    # never whoever else launched the encounter.
    author: Author | None = None


@dataclass(frozen=True)
class Author:
    ref: str | None     # "Practitioner/7", or None when the EHR has no record of them to point at
    name: str

    def reference(self) -> dict[str, str]:
        return {"reference": self.ref, "display": self.name} if self.ref else {"display": self.name}


@dataclass(frozen=True)
class Outgoing:
    resource: dict[str, Any]
    if_none_exist: str
    ident: str = ""       # our identifier's value: the "sent" marker's key and what a search matches first
    # Sent as `POST [type]/<operation>` with this Parameters body instead of a plain create (Oracle Health
    # takes ChargeItem only through `$create`); `resource` is then what the operation creates.
    operation: str | None = None
    parameters: dict[str, Any] | None = None

    @property
    def body(self) -> dict[str, Any]:
        """Exactly what is POSTed: the Parameters of an operation, else the resource."""
        return self.parameters if self.operation and self.parameters is not None else self.resource


def _coding(c: ApprovedCode) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": c.system, "code": c.code.strip().upper()}
    if c.display:
        coding["display"] = c.display
    if c.ai_suggested:
        coding["extension"] = [{"url": AI_SUGGESTED_URL, "valueBoolean": True}]
    return coding


def _identified(resource: dict[str, Any], value: str) -> Outgoing:
    resource["identifier"] = [{"system": WRITEBACK_ID_SYSTEM, "value": value}]
    _validate(resource)
    return Outgoing(resource, conditional_query(WRITEBACK_ID_SYSTEM, value), value)



def charge_items(codes: ApprovedCodes, target: Target) -> list[Outgoing]:
    if not codes.lines:
        raise ClaimValidationError("Charges need a visit level (E/M) or procedure code: accept or add one first.")
    if not codes.diagnoses:
        raise ClaimValidationError("Accept at least one diagnosis: every charge must say what it treated.")
    reasons = [{"coding": [_coding(d)]} for d in codes.diagnoses[:4]]
    out = []
    for line in codes.lines:
        item: dict[str, Any] = {
            "resourceType": "ChargeItem", "status": "billable",
            "code": {"coding": [_coding(line)]},
            "subject": {"reference": f"Patient/{target.patient_id}"},
            "context": {"reference": f"Encounter/{target.encounter_id}"},
            "quantity": {"value": line.quantity}, "enteredDate": fhir_instant(target.now), "reason": reasons,
        }
        if target.service_date:
            item["occurrenceDateTime"] = target.service_date.isoformat()
        if target.provider_ref:
            item["performer"] = [{"actor": {"reference": target.provider_ref}}]
        if target.author:
            item["enterer"] = target.author.reference()
        out.append(_identified(item, f"{target.key}-charge-{line.code}"))
    return out


def oracle_charge_items(codes: ApprovedCodes, target: Target, master: ChargeMaster) -> list[Outgoing]:
    """One `POST ChargeItem/$create` per visit or procedure code, as Oracle Health documents it: a
    Parameters body holding the ChargeItem (status `unknown`: Oracle's charge services decide billing)
    coded in the tenant's bill-code system, and a `transactionId` UUID derived from our identifier, so a
    resend after a lost answer carries the same transaction."""
    if not codes.lines:
        raise ClaimValidationError("Charges need a visit level (E/M) or procedure code: accept or add one first.")
    missing = [c.code for c in codes.lines if master.bill_code(c.code.strip().upper()) is None]
    if missing:
        raise ClaimValidationError(f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no bill code in "
                                   "this EHR's charge-master mapping (charge_master.codes in launch.json); "
                                   "ask the organisation's charge-master team for it.")
    out = []
    for line in codes.lines:
        bill = master.bill_code(line.code.strip().upper()) or line.code
        item: dict[str, Any] = {
            "resourceType": "ChargeItem", "status": "unknown",
            "code": {"coding": [master.coding(bill)], "text": f"{line.code} {line.display}".strip()},
            "subject": {"reference": f"Patient/{target.patient_id}"},
            "context": {"reference": f"Encounter/{target.encounter_id}"},
            "quantity": {"value": line.quantity}, "enteredDate": fhir_instant(target.now),
            "reason": [{"coding": [{"system": master.diagnosis_system, "code": d.code.strip().upper()}]}
                       for d in codes.diagnoses[:4]],
        }
        if target.service_date:
            item["occurrenceDateTime"] = f"{target.service_date.isoformat()}T12:00:00+00:00"
        if target.provider_ref:
            item["performer"] = [{"actor": {"reference": target.provider_ref}}]
        if target.author:
            item["enterer"] = target.author.reference()
        ident = f"{target.key}-charge-{line.code}"
        identified = _identified(item, ident)
        transaction = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, WRITEBACK_ID_SYSTEM + '/' + ident)}"
        parameters = {"resourceType": "Parameters", "parameter": [
            {"name": "chargeItem", "resource": identified.resource},
            {"name": "transactionId", "valueUuid": transaction}]}
        out.append(replace(identified, operation="$create", parameters=parameters))
    return out


def encounter_conditions(codes: ApprovedCodes, target: Target) -> list[Outgoing]:
    if not codes.diagnoses:
        raise ClaimValidationError("Accept at least one diagnosis before writing encounter diagnoses.")
    out = []
    for sequence, dx in enumerate(codes.diagnoses, start=1):
        condition: dict[str, Any] = {
            "resourceType": "Condition",
            "extension": [{"url": SEQUENCE_URL, "valueInteger": sequence}],
            "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": "active"}]},
            "verificationStatus": {"coding": [{"system": CONDITION_VERIFICATION, "code": "confirmed"}]},
            "category": [{"coding": [{"system": CONDITION_CATEGORY, "code": "encounter-diagnosis",
                                      "display": "Encounter Diagnosis"}]}],
            "code": {"coding": [_coding(dx)], "text": dx.display or dx.code},
            "subject": {"reference": f"Patient/{target.patient_id}"},
            "encounter": {"reference": f"Encounter/{target.encounter_id}"},
            "recordedDate": fhir_instant(target.now),
        }
        if target.author:
            condition["recorder"] = target.author.reference()
        out.append(_identified(condition, f"{target.key}-dx-{dx.code}"))
    return out


def report_document(report_pdf: bytes, report_json: bytes, target: Target) -> Outgoing:
    def attachment(content_type: str, data: bytes, title: str) -> dict[str, Any]:
        return {"attachment": {"contentType": content_type, "data": base64.b64encode(data).decode("ascii"),
                               "title": title, "creation": fhir_instant(target.now), "size": len(data)}}

    document: dict[str, Any] = {
        "resourceType": "DocumentReference", "status": "current", "docStatus": "final",
        "type": {"coding": [{"system": REPORT_TYPE_SYSTEM, "code": "coding-report",
                             "display": "RevRX coding report"}], "text": "Coding report"},
        "subject": {"reference": f"Patient/{target.patient_id}"},
        "date": fhir_instant(target.now), "description": "RevRX coding report: approved ICD-10-CM and CPT codes",
        "content": [attachment("application/pdf", report_pdf, "coding-report.pdf"),
                    attachment("application/json", report_json, "coding-report.json")],
        "context": {"encounter": [{"reference": f"Encounter/{target.encounter_id}"}]},
    }
    if target.author:
        document["author"] = [target.author.reference()]
    return _identified(document, f"{target.key}-report")


LOINC = "http://loinc.org"
PROGRESS_NOTE = ("11506-3", "Progress note")


def clinical_note(text: str, target: Target, loinc: tuple[str, str] = PROGRESS_NOTE,
                  doc_status: str = "final") -> Outgoing:
    """The coding summary as the note both vendors document: exactly one `text/plain` attachment, a
    LOINC type, `context.encounter` and `context.period.end`, the author, `status` current."""
    data = text.encode("utf-8")
    # Oracle refuses dates without a time component. The service date's midday UTC keeps its calendar
    # day in every US and European time zone.
    period_end = (f"{target.service_date.isoformat()}T12:00:00+00:00" if target.service_date
                  else fhir_instant(target.now))
    document: dict[str, Any] = {
        "resourceType": "DocumentReference", "status": "current", "docStatus": doc_status,
        "type": {"coding": [{"system": LOINC, "code": loinc[0], "display": loinc[1]}], "text": "Coding summary"},
        "category": [{"coding": [{"system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                                  "code": "clinical-note", "display": "Clinical Note"}]}],
        "subject": {"reference": f"Patient/{target.patient_id}"},
        "date": fhir_instant(target.now), "description": "RevRX coding summary: approved codes",
        "content": [{"attachment": {"contentType": "text/plain", "data": base64.b64encode(data).decode("ascii"),
                                    "title": "Coding summary"}}],
        "context": {"encounter": [{"reference": f"Encounter/{target.encounter_id}"}],
                    "period": {"end": period_end}},
    }
    if target.author:
        document["author"] = [target.author.reference()]   # Oracle: the signed-in provider, and only them
    return _identified(document, f"{target.key}-note")


def _validate(resource: dict[str, Any]) -> None:
    rtype = resource["resourceType"]
    model = getattr(import_module(f"fhir.resources.R4B.{rtype.lower()}"), rtype)
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise ClaimValidationError(f"The {rtype} is not valid FHIR: {where}: {first.get('msg')}") from exc


__all__ = ["Author", "CPT_SYSTEM", "ICD10CM_SYSTEM", "Outgoing", "Target", "WRITEBACK_ID_SYSTEM", "charge_items",
           "clinical_note", "encounter_conditions", "oracle_charge_items", "report_document"]
