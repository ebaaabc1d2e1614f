"""The sandbox EHR: a small, real EHR for demos and tests.

A separate Flask app on its own port that speaks FHIR R4 (JSON over SQLite), runs a SMART on FHIR
authorization server on Authlib's server side, shows an EHR page with a "Launch RevRX" button per
encounter, and seeds itself from the ACI-BENCH visit notes. Start it with
`python -m sandbox --host 127.0.0.1 --port 5055`; build it in-process with `sandbox.app.create_app`.
"""
