"""Reading a person's roles from the EHR: fhirUser Practitioner/x searches PractitionerRole by
practitioner, fhirUser PractitionerRole/y reads that one; inactive roles count for nothing; a patient's
fhirUser or one on another server asks nothing (the token is never sent elsewhere)."""

from __future__ import annotations

import requests

from smartapp.fhir.practitioner_roles import role_codes
from tests.support.json_server import json_server

STAFF = "http://example.org/staff-role"


def _role(code: str, active: bool = True) -> dict[str, object]:
    return {"resourceType": "PractitionerRole", "active": active,
            "code": [{"coding": [{"system": STAFF, "code": code}, {"code": "bare"}]}]}


def test_roles_of_a_practitioner_and_of_a_practitioner_role() -> None:
    with json_server() as ehr:
        ehr.routes["/fhir/PractitionerRole"] = (200, {"resourceType": "Bundle", "entry": [
            {"resource": _role("coder")}, {"resource": _role("manager", active=False)}]})
        ehr.routes["/fhir/PractitionerRole/r1"] = (200, _role("doctor"))
        base = f"{ehr.url}/fhir"
        got = role_codes(base, "tok", f"{base}/Practitioner/pr7", session=requests.Session())
        assert got == {f"{STAFF}|coder", "bare"}
        assert ehr.hits[-1].startswith("/fhir/PractitionerRole?practitioner=pr7")
        assert role_codes(base, "tok", f"{base}/PractitionerRole/r1", session=requests.Session()) == \
            {f"{STAFF}|doctor", "bare"}
        asked = len(ehr.hits)
        assert role_codes(base, "tok", f"{base}/Patient/p1", session=requests.Session()) == frozenset()
        assert role_codes(base, "tok", "https://elsewhere.example/fhir/Practitioner/pr7",
                          session=requests.Session()) == frozenset()
        assert len(ehr.hits) == asked, "nothing asked for a patient or another server's person"
