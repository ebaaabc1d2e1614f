"""The roles an EHR gives a person: the codes of their active PractitionerRole resources.

fhirUser names either the Practitioner (then every PractitionerRole whose `practitioner` is them) or
one PractitionerRole (then that one). Codes come back as "system|code" (and the bare code when the EHR
sends no system), so a registration can map its EHR's own role vocabulary to RevRX roles.
"""

from __future__ import annotations

from typing import Any

import requests

from smartapp.fhir.outbound import configured, guarded_session
from smartapp.fhir.references import same_origin
from smartapp.fhir.transport import Transport, check_type_and_id

MAX_ROLES = 50   # one page; nobody holds more


def _codes(resource: dict[str, Any]) -> set[str]:
    if resource.get("resourceType") != "PractitionerRole" or resource.get("active") is False:
        return set()
    found: set[str] = set()
    concepts = [c for c in resource.get("code") or [] if isinstance(c, dict)]
    for coding in (c for concept in concepts for c in concept.get("coding") or [] if isinstance(c, dict)):
        code, system = coding.get("code"), coding.get("system")
        if isinstance(code, str) and code:
            found.add(f"{system}|{code}" if isinstance(system, str) and system else code)
    return found


def role_codes(base_url: str, access_token: str, fhir_user: str, *, timeout: float = 5.0,
               session: requests.Session | None = None) -> frozenset[str]:
    """Every PractitionerRole code of the person `fhir_user` (absolute) names, read with their token.
    Raises FhirError when the EHR refuses or fails; a fhirUser that is not a practitioner gives none."""
    if not same_origin(fhir_user, base_url):
        return frozenset()
    resource_type, _, resource_id = fhir_user.rstrip("/").rpartition("/")
    resource_type = resource_type.rpartition("/")[2]
    if resource_type not in ("Practitioner", "PractitionerRole"):
        return frozenset()
    check_type_and_id(resource_type, resource_id)
    transport = Transport(base_url, access_token, timeout=timeout, max_retries=1,
                          session=session or guarded_session(configured()), backoff_base=0.2,
                          max_retry_wait=1.0, max_binary_bytes=1024 * 1024)
    if resource_type == "PractitionerRole":
        return frozenset(_codes(transport.request("GET", f"PractitionerRole/{resource_id}",
                                                  "reading your role in the EHR").json()))
    bundle = transport.request("GET", "PractitionerRole", "reading your roles in the EHR",
                               params=[("practitioner", resource_id), ("_count", str(MAX_ROLES))]).json()
    codes: set[str] = set()
    for entry in bundle.get("entry") or []:
        if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
            codes |= _codes(entry["resource"])
    return frozenset(codes)
