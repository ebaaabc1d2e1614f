"""Synthetic people and organizations: patients named from the ACI-BENCH metadata, practitioners,
the clinic, the payer and one Coverage per patient. Every value is made up and deterministic.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from datetime import date
from typing import Any

MRN_SYSTEM = "urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.14"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
MEMBER_SYSTEM = "urn:oid:2.16.840.1.113883.3.9999.1"  # the sandbox payer's member ids

FIRST_NAMES = {
    "female": ["Alice", "Grace", "Nora", "Ruth", "Maya", "Helen", "Irene", "Lena"],
    "male": ["Arthur", "Daniel", "Frank", "Henry", "Oscar", "Peter", "Victor", "Walter"],
    "unknown": ["Jordan", "Casey", "Riley", "Morgan", "Avery", "Quinn", "Rowan", "Sage"],
}
FAMILY_NAMES = ["Abbott", "Bennett", "Carver", "Dalton", "Ellison", "Fletcher", "Garrison", "Holloway",
                "Ingram", "Jarvis", "Kendrick", "Lowell"]
STREETS = ["Maple Street", "Oak Avenue", "Cedar Lane", "Birch Road", "Elm Court", "Willow Way"]
CITIES = [("Springfield", "IL", "62701"), ("Madison", "WI", "53703"), ("Columbus", "OH", "43215"),
          ("Salem", "OR", "97301"), ("Dover", "DE", "19901"), ("Helena", "MT", "59601")]

PRACTITIONERS = [
    ("pr001", "Sarah", "Chen", "Internal Medicine", "1999000011"),
    ("pr002", "Michael", "Okafor", "Family Medicine", "1999000029"),
    ("pr003", "Priya", "Raman", "Orthopaedic Surgery", "1999000037"),
    ("pr004", "James", "Whitfield", "Cardiology", "1999000045"),
    ("pr005", "Elena", "Morales", "Family Medicine", "1999000052"),
]
# Staff who are not clinicians: they sign in to RevRX to code, and their PractitionerRole says so
# (launch.json maps these codes to RevRX roles). pr005 also codes: one person, two roles.
STAFF = [
    ("pr101", "Dana", "Brooks", "coder"),
    ("pr102", "Luis", "Ortega", "coder"),
    ("pr103", "Grace", "Whitaker", "coding-manager"),
]
STAFF_ROLE_SYSTEM = "http://revrx.example.org/fhir/CodeSystem/sandbox-staff-role"
STAFF_ROLE_WORDS = {"coder": "Medical coder", "coding-manager": "Coding manager"}
PRACTITIONER_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/practitioner-role"
ALSO_CODES = ("pr005",)
CLINIC = {"reference": "Organization/org-clinic", "display": "RevRX Sandbox Clinic"}
PAYER = {"reference": "Organization/org-payer", "display": "Sandbox Health Plan"}


def _pick(options: list[str], key: str) -> str:
    return options[zlib.crc32(key.encode()) % len(options)]


def capitalised(name: str) -> str:
    """'mary-ann o'neil' -> "Mary-Ann O'Neil": the metadata writes many names in lower case, as no EHR does."""
    name = " ".join(name.split())
    return re.sub(r"(^|[\s'-])([a-z])", lambda m: m.group(1) + m.group(2).upper(), name)


def patient_name(first: str, family: str, gender: str, key: str) -> tuple[str, str]:
    """The metadata's name, capitalised, with an empty part synthesized deterministically from `key`."""
    first = capitalised(first) or _pick(FIRST_NAMES.get(gender, FIRST_NAMES["unknown"]), key)
    family = capitalised(family) or _pick(FAMILY_NAMES, key + "/family")
    return first, family


def fhir_gender(gender: str) -> str:
    """The source's gender as FHIR codes it; 'unknown' only when the source gives none we recognise."""
    value = gender.strip().lower()
    return {"m": "male", "f": "female"}.get(value, value) if value in {"male", "female", "other", "m", "f"} \
        else "unknown"


def birth_date(age: str, on: date, n: int) -> str:
    """A birth date that makes the patient `age` old on `on` ('57', '60.0', '22-month', '' = 45)."""
    months = 45 * 12
    raw = age.lower()
    with contextlib.suppress(ValueError):
        months = int(float(raw.split("-")[0])) if "month" in raw else int(float(raw)) * 12
    total = on.year * 12 + (on.month - 1) - months - 1  # one month earlier: birthday already passed
    return date(total // 12, total % 12 + 1, 1 + (n * 7) % 28).isoformat()


def patient(n: int, first: str, family: str, gender: str, born: str) -> dict[str, Any]:
    street = STREETS[n % len(STREETS)]
    city, state, postal = CITIES[n % len(CITIES)]
    return {
        "resourceType": "Patient",
        "id": f"p{n:03d}",
        "identifier": [{
            "use": "usual",
            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}],
                     "text": "MRN"},
            "system": MRN_SYSTEM,
            "value": f"E{4100000 + n * 37}",
        }],
        "active": True,
        "name": [{"use": "official", "text": f"{first} {family}", "family": family, "given": [first]}],
        "telecom": [
            {"system": "phone", "value": f"555-01{n % 100:02d}", "use": "home"},
            {"system": "email", "value": f"{first}.{family}@example.com".lower().replace(" ", "")},
        ],
        "gender": fhir_gender(gender),
        "birthDate": born,
        "address": [{"use": "home", "line": [f"{100 + n * 3} {street}"], "city": city, "state": state,
                     "postalCode": postal, "country": "US"}],
        "managingOrganization": CLINIC,
    }


def coverage(n: int, patient_ref: dict[str, str]) -> dict[str, Any]:
    return {
        "resourceType": "Coverage",
        "id": f"cov{n:03d}",
        "status": "active",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIP",
                             "display": "health insurance plan policy"}]},
        "subscriberId": f"SHP{n:08d}",
        "identifier": [{"system": MEMBER_SYSTEM, "value": f"SHP{n:08d}"}],
        "beneficiary": patient_ref,
        "subscriber": patient_ref,
        "relationship": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
                                     "code": "self"}]},
        "period": {"start": "2026-01-01", "end": "2026-12-31"},
        "payor": [PAYER],
        "class": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                                        "code": "plan"}]}, "value": "PPO-GOLD", "name": "Sandbox PPO Gold"}],
    }


def practitioners() -> list[dict[str, Any]]:
    return [{
        "resourceType": "Practitioner",
        "id": pid,
        "identifier": [{"system": NPI_SYSTEM, "value": npi}],
        "active": True,
        "name": [{"use": "official", "text": f"Dr. {given} {family}", "family": family, "given": [given],
                  "prefix": ["Dr."]}],
        "telecom": [{"system": "email", "value": f"{given}.{family}@clinic.example.org".lower(), "use": "work"}],
        "qualification": [{"code": {"text": specialty}}],
    } for pid, given, family, specialty, npi in PRACTITIONERS]


def staff() -> list[dict[str, Any]]:
    """Coders and a coding manager: Practitioner resources without the clinical trimmings."""
    return [{
        "resourceType": "Practitioner",
        "id": pid,
        "active": True,
        "name": [{"use": "official", "text": f"{given} {family}", "family": family, "given": [given]}],
        "telecom": [{"system": "email", "value": f"{given}.{family}@clinic.example.org".lower(), "use": "work"}],
    } for pid, given, family, _ in STAFF]


def _role(rid: str, practitioner: str, system: str, code: str, display: str) -> dict[str, Any]:
    return {"resourceType": "PractitionerRole", "id": rid, "active": True,
            "practitioner": {"reference": f"Practitioner/{practitioner}"}, "organization": CLINIC,
            "code": [{"coding": [{"system": system, "code": code, "display": display}], "text": display}]}


def practitioner_roles() -> list[dict[str, Any]]:
    """What each person does at the clinic: doctors, coders, a coding manager; pr005 is doctor and coder."""
    roles = [_role(f"role-{pid}", pid, PRACTITIONER_ROLE_SYSTEM, "doctor", "Doctor")
             for pid, *_ in PRACTITIONERS]
    roles += [_role(f"role-{pid}", pid, STAFF_ROLE_SYSTEM, code, STAFF_ROLE_WORDS[code]) for pid, _, _, code in STAFF]
    roles += [_role(f"role-{pid}-coder", pid, STAFF_ROLE_SYSTEM, "coder", STAFF_ROLE_WORDS["coder"])
              for pid in ALSO_CODES]
    return roles


def organizations() -> list[dict[str, Any]]:
    org_type = "http://terminology.hl7.org/CodeSystem/organization-type"
    return [
        {"resourceType": "Organization", "id": "org-clinic", "active": True, "name": CLINIC["display"],
         "identifier": [{"system": NPI_SYSTEM, "value": "1999000060"}],
         "type": [{"coding": [{"system": org_type, "code": "prov", "display": "Healthcare Provider"}]}],
         "address": [{"line": ["1 Sandbox Plaza"], "city": "Springfield", "state": "IL",
                      "postalCode": "62701", "country": "US"}]},
        {"resourceType": "Organization", "id": "org-payer", "active": True, "name": PAYER["display"],
         "identifier": [{"system": "urn:oid:2.16.840.1.113883.3.9999", "value": "SHP"}],
         "type": [{"coding": [{"system": org_type, "code": "pay", "display": "Payer"}]}]},
    ]
