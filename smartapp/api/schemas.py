"""Request bodies only the JSON API takes (the ones the pages share live in `smartapp/inputs.py`)."""

from __future__ import annotations

from pydantic import Field

from smartapp.inputs import FhirId, Strict
from smartapp.models import DuplicatePolicy


class IngestRequest(Strict):
    fhir_connection_id: int = Field(ge=1, le=2**31 - 1)
    fhir_encounter_id: FhirId
    duplicate_policy: DuplicatePolicy = DuplicatePolicy.SKIP


class ApproveRequest(Strict):
    accept_pending: bool = Field(False, description="Accept every code still pending before writing back (as the "
                                 "queue's \"Approve selected\" does). Otherwise only codes already accepted are sent.")
    without_service_line: bool = Field(False, description="Send a Claim that has diagnoses but no visit or "
                                       "procedure line (payers deny most). Without it such a Claim is refused "
                                       "(409) and nothing is sent.")
