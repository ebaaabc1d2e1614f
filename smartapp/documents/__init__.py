"""Documents → plain text: the one extractor for EHR notes (`smartapp.fhir.notes`) and uploaded files
(`smartapp.sources.files`). A library: no Flask, no models, no configuration."""
