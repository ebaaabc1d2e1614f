"""Which of a patient's Coverages a claim for a given date of service should name.

Used by the coding job (context) and by write-back, so both pick the same insurance: active, in
force on the date of service, lowest `order` (primary) first.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from smartapp.fhir._values import as_dict, parse_date
from smartapp.fhir.client import FhirClient
from smartapp.fhir.errors import FhirAuthError, FhirError

log = logging.getLogger(__name__)


def choose_coverage(coverages: list[dict[str, Any]], date_of_service: date | None) -> dict[str, Any] | None:
    """The Coverage to bill, or None. A missing status or period is taken as 'applies'."""

    def applies(coverage: dict[str, Any]) -> bool:
        if coverage.get("resourceType") != "Coverage" or coverage.get("status") not in (None, "active"):
            return False
        if date_of_service is None:
            return True
        period = as_dict(coverage.get("period"))
        start, end = parse_date(period.get("start")), parse_date(period.get("end"))
        return (start is None or start <= date_of_service) and (end is None or date_of_service <= end)

    def order(coverage: dict[str, Any]) -> int:
        value = coverage.get("order")
        return value if isinstance(value, int) else 999

    candidates = sorted((c for c in coverages if applies(c)), key=order)
    return candidates[0] if candidates else None


# Answers that mean "this EHR does not let RevRX search Coverage" (no scope, search not supported):
# then there is no Coverage to name. Anything else (no answer, a timeout, a 5xx) means the EHR could
# not be asked, and is raised: "the patient has no active Coverage" would be a false statement.
_REFUSED = {400, 403, 404, 405, 422}


def find_coverage(client: FhirClient, patient_id: str, date_of_service: date | None) -> dict[str, Any] | None:
    """Search the patient's Coverage and choose one. None when none applies or the search is refused
    (e.g. no Coverage scope). Raises FhirError when the EHR could not answer (down, slow, 5xx) and
    FhirAuthError for an expired token."""
    try:
        coverages = client.search("Coverage", {"patient": patient_id})
    except FhirAuthError:
        raise
    except FhirError as exc:
        if exc.status not in _REFUSED:
            raise
        log.info("Coverage search refused (%s)", exc.status)
        return None
    return choose_coverage(coverages, date_of_service)
