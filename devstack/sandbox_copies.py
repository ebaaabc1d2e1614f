"""Encounters of one's own in a running sandbox EHR: copies of a seeded Encounter and its notes
(DocumentReference / Composition pointing at the copy), for a new Patient or an existing one, POSTed
over FHIR. Tests that sync use them so no other test's launches or syncs touch the same encounters;
the sync benchmark uses them to grow the sandbox to 1,000 encounters."""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests


def _strip(resource: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(resource)
    body.pop("id", None)
    body.pop("meta", None)
    return body


def encounter_ref_of(note: dict[str, Any]) -> str | None:
    if note["resourceType"] == "Composition":
        return (note.get("encounter") or {}).get("reference")
    refs = (note.get("context") or {}).get("encounter") or []
    return refs[0].get("reference") if refs else None


class SandboxWriter:
    def __init__(self, sandbox_url: str) -> None:
        self.sandbox_url = sandbox_url
        token = requests.post(f"{sandbox_url}/_admin/tokens", json={"scope": "system/*.cruds"}, timeout=30)
        token.raise_for_status()
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"Bearer {token.json()['access_token']}",
                                  "Content-Type": "application/fhir+json"})
        admin = f"{sandbox_url}/_admin/resources"
        self.encounters: list[dict[str, Any]] = requests.get(f"{admin}/Encounter", timeout=60).json()
        self.notes: dict[str, list[dict[str, Any]]] = {}
        for rtype in ("DocumentReference", "Composition"):
            for note in requests.get(f"{admin}/{rtype}", timeout=60).json():
                ref = encounter_ref_of(note)
                if ref:
                    self.notes.setdefault(ref.rsplit("/", 1)[-1], []).append(note)

    def create(self, resource: dict[str, Any]) -> str:
        resp = self.http.post(f"{self.sandbox_url}/fhir/{resource['resourceType']}", json=resource, timeout=60)
        resp.raise_for_status()
        return str(resp.json()["id"])

    def new_patient(self, like: str = "p010") -> str:
        patient = requests.get(f"{self.sandbox_url}/_admin/resources/Patient", timeout=60).json()
        template = next(p for p in patient if p["id"] == like)
        return self.create(_strip(template))

    def copy_encounter(self, original: dict[str, Any], patient_id: str | None = None) -> str:
        body = _strip(original)
        if patient_id:
            body["subject"] = {"reference": f"Patient/{patient_id}"}
        new_id = self.create(body)
        for note in self.notes.get(original["id"], []):
            copied = _strip(note)
            if note["resourceType"] == "Composition":
                copied["encounter"] = {"reference": f"Encounter/{new_id}"}
            else:
                copied.setdefault("context", {})["encounter"] = [{"reference": f"Encounter/{new_id}"}]
            if patient_id:
                copied["subject"] = {"reference": f"Patient/{patient_id}"}
            self.create(copied)
        return new_id

    def fresh_encounters(self, count: int, like: str = "e010") -> tuple[str, list[str]]:
        """A new patient with `count` copies of encounter `like`; returns (patient id, encounter ids)."""
        patient = self.new_patient("p" + like[1:])
        original = next(e for e in self.encounters if e["id"] == like)
        return patient, [self.copy_encounter(original, patient) for _ in range(count)]

    def grow_to(self, wanted: int, threads: int = 8) -> int:
        """Copies of every seeded encounter, round robin, until the sandbox holds `wanted`."""
        missing = max(0, wanted - len(self.encounters))
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(lambda i: self.copy_encounter(self.encounters[i % len(self.encounters)]), range(missing)))
        return missing
