"""What Epic and Oracle Health document as required on the writes RevRX makes, checked on create in
their sandbox profiles (422 with an OperationOutcome, as a request that would fail at the vendor).

- DocumentReference (Epic Clinical Notes Create; Oracle DocumentReference create): exactly one attachment,
  inline `data`, `contentType` text/plain (Epic also takes text/html), a LOINC `type`, `subject`,
  `context.encounter`; Oracle also needs `context.period.end`, every date with a time component, and
  (docs.oracle.com, "Create a document reference") under provider access exactly one author, the authorized
  provider; under system access the author is optional and must be a Practitioner.
- ChargeItem (Oracle only through `POST ChargeItem/$create`): see `charge_item_from_create`.
- Condition (Oracle encounter diagnosis): category `encounter-diagnosis`, `clinicalStatus`,
  `verificationStatus`, `encounter`, `subject`, a `code`.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.outcome import FhirError

LOINC = "http://loinc.org"


def _fail(rtype: str, what: str) -> FhirError:
    return FhirError(422, f"{rtype}: {what}", "required")


def _document(body: dict[str, Any], vendor: str, acting: str | None) -> None:
    content = body.get("content") or []
    if len(content) != 1:
        raise _fail("DocumentReference", f"exactly one content.attachment is accepted, not {len(content)}")
    attachment = (content[0] or {}).get("attachment") or {}
    allowed = {"text/plain", "text/html"} if vendor == "epic" else {"text/plain"}
    if str(attachment.get("contentType", "")).split(";")[0].strip() not in allowed:
        raise _fail("DocumentReference", f"attachment.contentType must be one of {', '.join(sorted(allowed))}")
    if not attachment.get("data"):
        raise _fail("DocumentReference", "attachment.data (inline, base64) is required")
    codings = ((body.get("type") or {}).get("coding")) or []
    if not any(c.get("system") == LOINC and c.get("code") for c in codings if isinstance(c, dict)):
        raise _fail("DocumentReference", "type must carry a LOINC note type")
    context = body.get("context") or {}
    if not body.get("subject") or not context.get("encounter"):
        raise _fail("DocumentReference", "subject and context.encounter are required")
    if vendor == "oracle":
        _oracle_document(body, context, acting)


def _oracle_document(body: dict[str, Any], context: dict[str, Any], acting: str | None) -> None:
    end = str((context.get("period") or {}).get("end") or "")
    if not end:
        raise _fail("DocumentReference", "context.period.end is required")
    if "T" not in end:
        raise _fail("DocumentReference", "all provided dates must have a time component (context.period.end)")
    authors = [str((a or {}).get("reference") or "") for a in body.get("author") or []]
    if acting is not None and authors != [f"Practitioner/{acting}"]:
        raise _fail("DocumentReference", "for provider access, only a single author can be provided, and it must "
                                         f"be the authorized provider (Practitioner/{acting}), not {authors}")
    if any(not a.startswith("Practitioner/") for a in authors):
        raise _fail("DocumentReference", "author must contain only Practitioner references")


def _condition(body: dict[str, Any]) -> None:
    categories = {c.get("code") for cat in body.get("category") or [] for c in (cat or {}).get("coding") or []}
    if "encounter-diagnosis" not in categories:
        raise _fail("Condition", "category encounter-diagnosis is required")
    for field in ("clinicalStatus", "verificationStatus", "encounter", "subject", "code"):
        if not body.get(field):
            raise _fail("Condition", f"{field} is required")


def honours_if_none_exist(vendor: str) -> bool:
    """Neither vendor documents conditional create (Oracle's API reference names no If-None-Exist on any
    create; Epic's create APIs neither): their profiles ignore the header, so a client that trusts it
    makes duplicates here as it would there."""
    return vendor not in ("epic", "oracle")


def check_vendor_create(vendor: str, rtype: str, body: dict[str, Any], acting: str | None = None) -> None:
    """Raise a 422 FhirError when `vendor` would refuse this create; nothing for the generic profile.
    `acting`: the practitioner id of a user's token (provider access); None for system access."""
    if vendor not in ("epic", "oracle"):
        return
    if rtype == "DocumentReference":
        _document(body, vendor, acting)
    elif rtype == "Condition" and vendor == "oracle":
        _condition(body)


_BILL_CODE_SYSTEM = re.compile(r"^https://fhir\.cerner\.com/(?P<tenant>[^/]+)/CodeSystem/BillCodes-"
                               r"(?P<type>CDM_SCHED|CPT|HCPCS|PROCCODE)$")
_UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def charge_item_from_create(body: dict[str, Any], tenant: str) -> dict[str, Any]:
    """`POST ChargeItem/$create` as Oracle documents it: a Parameters body with one `chargeItem`
    resource and one `transactionId` (valueUuid); the ChargeItem's code is exactly one coding in the
    tenant's bill-code systems (CDM_SCHED, CPT, HCPCS or PROCCODE), `context` an Encounter and
    `subject` a Patient. Returns the ChargeItem to store (422 otherwise)."""
    if body.get("resourceType") != "Parameters":
        raise _fail("ChargeItem/$create", "the body must be a Parameters resource")
    params = [p for p in body.get("parameter") or [] if isinstance(p, dict)]
    items = [p.get("resource") for p in params if p.get("name") == "chargeItem"]
    transactions = [p.get("valueUuid") for p in params if p.get("name") == "transactionId"]
    if len(items) != 1 or not isinstance(items[0], dict) or items[0].get("resourceType") != "ChargeItem":
        raise _fail("ChargeItem/$create", "exactly one chargeItem parameter holding a ChargeItem is required")
    if len(transactions) != 1 or not _UUID.match(str(transactions[0] or "")):
        raise _fail("ChargeItem/$create", "exactly one transactionId (valueUuid urn:uuid:...) is required")
    item = dict(items[0])
    codings = (item.get("code") or {}).get("coding") or []
    if len(codings) != 1:
        raise _fail("ChargeItem/$create", "code.coding must contain only one coding")
    match = _BILL_CODE_SYSTEM.match(str(codings[0].get("system") or ""))
    if match is None or match["tenant"] != tenant or not codings[0].get("code"):
        raise _fail("ChargeItem/$create", "code must be one of this tenant's bill codes "
                                          f"(https://fhir.cerner.com/{tenant}/CodeSystem/BillCodes-<type>)")
    if not str((item.get("context") or {}).get("reference") or "").startswith("Encounter/"):
        raise _fail("ChargeItem/$create", "context must be an Encounter reference")
    if not str((item.get("subject") or {}).get("reference") or "").startswith("Patient/"):
        raise _fail("ChargeItem/$create", "subject must be a Patient reference")
    item.pop("id", None)
    return item
