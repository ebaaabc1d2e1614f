"""One way into the EHR: an authorized, audited FHIR client and what it was granted, for a launch, a
FHIR connection or an encounter; token refresh, connection credentials and the write-back destination."""
