"""Reading and writing FHIR R4 for RevRX: no Flask, no ORM; plain dicts and dataclasses in and out.

client.FhirClient        authorized HTTP with retries, paging, token scoping and audit callbacks
context.fetch_encounter_context   encounter + patient + provider + coverage + notes in few round trips
encounters / people / notes       tolerant JSON → dataclass parsers
"""

from smartapp.fhir.errors import FhirAuthError, FhirError, FhirNotFound
from smartapp.fhir.records import AccessRecord, BinaryContent, CreateResult

__all__ = ["AccessRecord", "BinaryContent", "CreateResult", "FhirAuthError", "FhirError", "FhirNotFound"]
