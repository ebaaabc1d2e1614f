"""Test a FHIR connection: authenticate, read the CapabilityStatement, try one search, and report
what works (each check with a plain-words detail), so an administrator can fix one thing at a time.

The result is recorded on the connection (`last_error`) and in the audit trail; nothing is cached.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from smartapp import audit
from smartapp.connections.capabilities import note_capabilities
from smartapp.ehr_access.access import EhrAccess
from smartapp.fhir.capabilities import resource_capability, supports_interaction
from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirError
from smartapp.models import FhirConnection, User

TEST_TIMEOUT_S = 5.0
# (check name, resource type, interaction): what batch sync, coding and write-back rely on.
_CAPABILITIES = (
    ("Encounter search", "Encounter", "search-type"),
    ("Encounter read", "Encounter", "read"),
    ("DocumentReference search", "DocumentReference", "search-type"),
    ("Composition search", "Composition", "search-type"),
    ("Patient read", "Patient", "read"),
    ("Practitioner read", "Practitioner", "read"),
    ("Claim create (write-back)", "Claim", "create"),
)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class CheckResult:
    ok: bool = False
    fhir_version: str | None = None
    software: str | None = None
    checks: list[Check] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_connection(session: Session, ehr: EhrAccess, user: User, connection: FhirConnection) -> CheckResult:
    result = CheckResult()
    client = _authenticate(session, ehr, user, connection, result)
    if client is not None:
        _capabilities(client, result)
        _search(client, result)
        _remember_capabilities(session, connection, client)
    result.ok = bool(result.checks) and all(c.ok for c in result.checks if c.name in _REQUIRED)
    connection.last_error = None if result.ok else next((f"{c.name}: {c.detail}" for c in result.checks
                                                         if not c.ok and c.name in _REQUIRED), "test failed")
    audit.record(session, action="connection-test", actor=user, resource_type="FhirConnection",
                 resource_id=str(connection.id), outcome="success" if result.ok else "failure")
    return result


_REQUIRED = {"Authenticate", "CapabilityStatement", "Encounter search (live)"}


def _authenticate(session: Session, ehr: EhrAccess, user: User, connection: FhirConnection,
                  result: CheckResult) -> FhirClient | None:
    try:
        client = ehr.for_connection(session, connection, actor=user, fresh_token=True, timeout_s=TEST_TIMEOUT_S)
    except FhirError as err:
        result.checks.append(Check("Authenticate", False, err.user_message))
        return None
    how = {"BACKEND_SERVICES": "Token minted with a signed client assertion (private_key_jwt).",
           "CLIENT_CREDENTIALS": "Token minted with the client id and secret."}
    detail = how.get(connection.auth_type.value,
                     "Credentials are sent with each request (checked by the search below).")
    result.checks.append(Check("Authenticate", True, detail))
    return client


def _capabilities(client: FhirClient, result: CheckResult) -> None:
    try:
        statement = client.capabilities(fresh=True)
    except FhirError as err:
        result.checks.append(Check("CapabilityStatement", False, err.user_message))
        return
    if statement.get("resourceType") != "CapabilityStatement":
        result.checks.append(Check("CapabilityStatement", False, "The metadata endpoint did not answer with a "
                                   "CapabilityStatement."))
        return
    result.fhir_version = str(statement.get("fhirVersion") or "") or None
    raw_software = statement.get("software")
    software: dict[str, Any] = raw_software if isinstance(raw_software, dict) else {}
    result.software = " ".join(str(software.get(k)) for k in ("name", "version") if software.get(k)) or None
    version_ok = (result.fhir_version or "").startswith("4.0")
    result.checks.append(Check("CapabilityStatement", True, f"FHIR {result.fhir_version or 'version not stated'}"
                               + ("" if version_ok else " (RevRX expects R4, 4.0.x)")))
    for name, rtype, interaction in _CAPABILITIES:
        declared = resource_capability(statement, rtype) is not None \
            and supports_interaction(statement, rtype, interaction)
        result.checks.append(Check(name, declared, "declared" if declared else "not declared by the server"))


def _remember_capabilities(session: Session, connection: FhirConnection, client: FhirClient) -> None:
    """What the server offers (Subscription, Bulk Data) for the connection page's mode line."""
    try:
        statement = client.capabilities()   # already read by _capabilities: no second request
    except FhirError:
        return
    if statement.get("resourceType") == "CapabilityStatement":
        note_capabilities(session, connection, statement)


def _search(client: FhirClient, result: CheckResult) -> None:
    try:
        bundle = client.search_bundle("Encounter", {"_count": "1"})
    except FhirError as err:
        if err.status == 400:
            # Authenticated and answered, but it wants a patient on every Encounter search (Oracle Health
            # does): syncs read through Bulk Data or one search per patient (sources/sync_reading.py).
            result.checks.append(Check("Encounter search (live)", True, "the EHR answers Encounter searches only "
                                       f"per patient ({err.user_message}); syncs use Bulk Data or per-patient "
                                       "searches"))
            return
        result.checks.append(Check("Encounter search (live)", False, err.user_message))
        return
    total = bundle.get("total")
    result.checks.append(Check("Encounter search (live)", True,
                               f"{total} encounters visible" if isinstance(total, int) else "search works"))

