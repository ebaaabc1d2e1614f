"""Creating one write-back resource exactly once on a server that does not honour `If-None-Exist`.

Neither Epic nor Oracle Health documents conditional create, so a resent POST would make a second
note, diagnosis or charge in the chart. On such a server (`conditional` False):

- before each POST the caller records a "sent" marker (and commits it), so a later attempt knows this
  resource may already exist even if the process died before the answer came;
- the POST is resent only when the server said it did not process it (429/503 with Retry-After; the
  transport does that); a timeout or a 5xx leaves the outcome unknown;
- whenever the outcome is unknown (after such an error, or when an earlier attempt left a marker), the
  server is searched for what we may have written: same patient and encounter, same kind, our
  identifier, or, where the server dropped our identifier, the same code written since the marker.

No Flask, no ORM: the caller persists the markers it is handed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from smartapp.fhir.capabilities import resource_capability
from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirAuthError, FhirError
from smartapp.writeback.resource_builders import Outgoing

SLACK = timedelta(minutes=5)   # clock difference between RevRX and the EHR we tolerate when matching

Entry = dict[str, str]


# Vendors whose documentation says nothing of If-None-Exist: never trusted there, whatever is declared.
UNDOCUMENTED_CONDITIONAL_CREATE = frozenset({"epic", "oracle"})


def trusts_if_none_exist(capability: dict[str, Any] | None, resource_type: str, vendor: str) -> bool:
    """Whether a resent conditional create is safe: the server's CapabilityStatement declares
    `conditionalCreate` for the type and the vendor is not one known not to document it."""
    if vendor in UNDOCUMENTED_CONDITIONAL_CREATE or capability is None:
        return False
    resource = resource_capability(capability, resource_type)
    return bool(resource and resource.get("conditionalCreate") is True)


def entry(out: Outgoing, status: str, rid: str = "", sent_at: str = "") -> Entry:
    """One line of a submission's results: confirmed (`id` set) or only sent (status SENT)."""
    found = {"key": out.ident, "resourceType": out.resource["resourceType"], "status": status}
    if rid:
        found["id"] = rid
    if sent_at:
        found["sent_at"] = sent_at
    return found


def create_once(client: FhirClient, out: Outgoing, earlier: Entry | None, mark: Callable[[Entry], None],
                now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Entry:
    """Create `out` unless an earlier attempt already did; `mark` persists the "sent" marker before the
    POST. Raises FhirError when it was not created (and the search did not find it)."""
    if earlier is not None and earlier.get("status") == "SENT":
        found = find_written(client, out, _parse(earlier.get("sent_at")))
        if found:
            return entry(out, "EXISTING", found)
    sent_at = now()
    mark(entry(out, "SENT", sent_at=sent_at.isoformat()))
    try:
        if out.operation and out.parameters is not None:
            result = client.create_by_operation(out.resource["resourceType"], out.operation, out.parameters)
        else:
            result = client.create(out.resource)
    except FhirAuthError:
        raise
    except FhirError as err:
        if not _maybe_processed(err):
            raise
        found = find_written(client, out, sent_at)   # the answer was lost, not necessarily the write
        if found:
            return entry(out, "CREATED", found)
        raise
    return entry(out, "CREATED", result.id)


def _maybe_processed(err: FhirError) -> bool:
    """A timeout, a dropped connection or a 5xx: the server may have written it. A 4xx it refused."""
    return err.status is None or err.status >= 500


def _parse(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def find_written(client: FhirClient, out: Outgoing, since: datetime | None) -> str | None:
    """The id of what an earlier POST of `out` created, or None. Searches by patient and encounter (and
    the kind: note type, diagnosis category) as both vendors require the patient on searches."""
    resource = out.resource
    rtype = resource["resourceType"]
    params = _search_params(resource)
    if params is None:
        return None
    try:
        candidates = client.search(rtype, params)
    except FhirAuthError:
        raise
    except FhirError:
        return None   # cannot tell: the caller sends (or reports the failure) as before
    for candidate in candidates:
        if _ours(candidate, out):
            return str(candidate.get("id") or "") or None
    for candidate in candidates:
        if not _has_our_identifier_system(candidate, out) and _same_content(candidate, resource, since):
            return str(candidate.get("id") or "") or None
    return None


def _ref(value: Any) -> str:
    return str((value or {}).get("reference") or "") if isinstance(value, dict) else ""


def _search_params(resource: dict[str, Any]) -> list[tuple[str, str]] | None:
    rtype = resource["resourceType"]
    patient = _ref(resource.get("subject") or resource.get("patient")).split("/")[-1]
    if not patient:
        return None
    params = [("patient", patient)]
    if rtype == "Condition":
        params += [("encounter", _ref(resource.get("encounter")).split("/")[-1]), ("category", "encounter-diagnosis")]
    elif rtype == "DocumentReference":
        encounters = (resource.get("context") or {}).get("encounter") or [{}]
        params.append(("encounter", _ref(encounters[0]).split("/")[-1]))
        coding = ((resource.get("type") or {}).get("coding") or [{}])[0]
        if coding.get("system") and coding.get("code"):
            params.append(("type", f"{coding['system']}|{coding['code']}"))
    elif rtype == "ChargeItem":
        params.append(("context", _ref(resource.get("context")).split("/")[-1]))
    elif rtype == "Claim":
        params.append(("identifier", _identifiers(resource)[0]))
    return [(k, v) for k, v in params if v]


def _identifiers(resource: dict[str, Any]) -> list[str]:
    return [f"{i.get('system')}|{i.get('value')}" for i in resource.get("identifier") or [] if isinstance(i, dict)]


def _ours(candidate: dict[str, Any], out: Outgoing) -> bool:
    return bool(set(_identifiers(candidate)) & set(_identifiers(out.resource)))


def _has_our_identifier_system(candidate: dict[str, Any], out: Outgoing) -> bool:
    systems = {i.get("system") for i in out.resource.get("identifier") or [] if isinstance(i, dict)}
    return any(i.get("system") in systems for i in candidate.get("identifier") or [] if isinstance(i, dict))


def _codes(resource: dict[str, Any]) -> set[str]:
    concept = resource.get("code") if resource["resourceType"] != "DocumentReference" else resource.get("type")
    return {str(c.get("code")) for c in (concept or {}).get("coding") or [] if isinstance(c, dict)}


def _written_at(resource: dict[str, Any]) -> datetime | None:
    for key in ("recordedDate", "enteredDate", "date", "created"):
        when = _parse(str(resource.get(key) or "").replace("Z", "+00:00"))
        if when is not None:
            return when if when.tzinfo else when.replace(tzinfo=UTC)
    return _parse(str((resource.get("meta") or {}).get("lastUpdated") or "").replace("Z", "+00:00"))


def _same_content(candidate: dict[str, Any], ours: dict[str, Any], since: datetime | None) -> bool:
    """A server that drops our identifier (Oracle ignores fields it does not support): the same codes,
    the same description for a note, written no earlier than our marker (less clock slack)."""
    if since is None or not (_codes(ours) & _codes(candidate)):
        return False
    if ours["resourceType"] == "DocumentReference" and candidate.get("description") != ours.get("description"):
        return False
    written = _written_at(candidate)
    return written is not None and written >= since - SLACK
