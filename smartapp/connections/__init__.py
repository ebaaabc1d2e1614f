"""FHIR connections an organisation registers for batch sync and write-back: create, change, describe, test."""
