"""The banner's MRN is the identifier typed MR (issue 15 item 8), not the first identifier of any type:
Epic and Oracle list several, and an SSN or external id first must never be shown as the MRN."""

from __future__ import annotations

from smartapp.fhir.people import parse_patient

V2 = "http://terminology.hl7.org/CodeSystem/v2-0203"


def ident(code: str | None, value: str) -> dict[str, object]:
    return {"value": value, **({"type": {"coding": [{"system": V2, "code": code}]}} if code else {})}


def test_the_mrn_is_the_mr_typed_identifier() -> None:
    patient = parse_patient({"resourceType": "Patient", "id": "1",
                             "identifier": [ident("SS", "123-45-6789"), ident(None, "ext-9"), ident("MR", "E4101628")]})
    assert patient.mrn == "E4101628"


def test_without_an_mr_identifier_there_is_no_mrn() -> None:
    patient = parse_patient({"resourceType": "Patient", "id": "1", "identifier": [ident("SS", "123-45-6789")]})
    assert patient.mrn is None and patient.identifiers == ("123-45-6789",)
