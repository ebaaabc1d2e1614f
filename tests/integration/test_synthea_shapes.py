"""A Synthea-shaped encounter end to end on the generic sandbox (issue 15 item 8): launched, read, coded
and written back. Its only note is `superseded` with nothing replacing it, comes again as a
DiagnosticReport whose id the DocumentReference's identifier carries, its participant is a conditional
`Practitioner?identifier=<NPI>` reference, and it has a class, a reason and a three-day period.

The resources are PUT into the shared sandbox under ids no seed uses (`syn-*`)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from devstack.app_client import AppUser, encounter_path, suggestions
from devstack.processes import Stack
from devstack.smart_launcher import Launcher
from smartapp.models import Encounter, Note

pytestmark = pytest.mark.integration
SYNTHEA = Path(__file__).resolve().parents[1] / "data" / "fhir" / "synthea"
NPI_OF_PR001 = "1999000011"   # Dr. Sarah Chen in the sandbox seed


def shape(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SYNTHEA / f"{name}.json").read_text())
    return loaded


def put(stack: Stack, resource: dict[str, Any]) -> None:
    scope = "user/Encounter.cu user/DocumentReference.cu user/DiagnosticReport.cu"
    token = requests.post(f"{stack.sandbox_url}/_admin/tokens", json={"scope": scope}, timeout=10).json()
    url = f"{stack.sandbox_url}/fhir/{resource['resourceType']}/{resource['id']}"
    answer = requests.put(url, json=resource, timeout=10, headers={
        "Authorization": f"Bearer {token['access_token']}", "Content-Type": "application/fhir+json"})
    assert answer.status_code in (200, 201), answer.text[:400]


def synthea_encounter(stack: Stack, tag: str) -> str:
    encounter, doc, report = shape("encounter"), shape("documentreference"), shape("diagnosticreport")
    enc_id, doc_id, report_id = f"syn-e{tag}", f"syn-d{tag}", f"syn-r{tag}"
    conditional = f"Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|{NPI_OF_PR001}"
    # Dates inside the seeded Coverage's period (2026), so the sandbox registration's first choice, a Claim,
    # is what goes out.
    stay = {"start": "2026-03-04T08:10:00-05:00", "end": "2026-03-07T11:00:00-05:00"}
    encounter.update(id=enc_id, subject={"reference": "Patient/p030"}, period=stay)
    encounter["participant"][0]["individual"] = {"reference": conditional, "display": "Dr. Sarah Chen"}
    encounter.pop("serviceProvider", None)
    doc = copy.deepcopy(doc)
    doc.update(id=doc_id, subject={"reference": "Patient/p030"}, author=[{"reference": conditional}],
               identifier=[{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{report_id}"}])
    doc["context"]["encounter"] = [{"reference": f"Encounter/{enc_id}"}]
    report.update(id=report_id, subject={"reference": "Patient/p030"}, encounter={"reference": f"Encounter/{enc_id}"},
                  performer=[{"reference": conditional}])
    for resource in (encounter, doc, report):
        put(stack, resource)
    return enc_id


def test_a_synthea_encounter_is_read_coded_once_and_written_back_under_its_own_provider(stack: Stack) -> None:
    enc_id = synthea_encounter(stack, "1")
    user = AppUser(stack)
    # Opened by Dr. Okafor (pr002), not by the encounter's provider: the Claim must still name Dr. Chen.
    landing = user.http.get(f"{stack.sandbox_url}/ehr/launch/{enc_id}", params={"as": "pr002"}, timeout=30)
    assert landing.status_code == 200, landing.text[:400]
    user.get(landing.url)   # the page carries the CSRF token
    done = user.wait_for_coding(landing.url)
    assert 'data-testid="coding-failed"' not in done, done[:800]
    found = suggestions(done)
    assert any(s.code == "I10" for s in found), [s.code for s in found]
    page = user.get(landing.url).text
    assert re.search(r'data-testid="provider">Dr\. Sarah Chen<', page), "resolved by NPI, not 'not recorded'"
    assert 'data-testid="encounter-class">Inpatient (IMP)<' in page
    assert 'data-testid="visit-reason">Chest pain (finding)<' in page
    assert 'data-testid="date-of-service">2026-03-04<' in page
    assert 'data-testid="service-end-date">to 2026-03-07<' in page
    with Launcher(stack).db() as s:
        row = s.scalar(select(Encounter).where(Encounter.fhir_encounter_id == enc_id))
        assert row is not None and row.fhir_provider_id == "pr001"
        notes = s.scalars(select(Note).where(Note.encounter_id == row.id)).all()
        assert [(n.resource_type, n.resource_id) for n in notes] == [("DocumentReference", "syn-d1")]
    i10 = next(s for s in found if s.code == "I10")
    assert user.post(f"/suggestions/{i10.id}/decision", {"decision": "accept"}).status_code == 200
    result = user.approve(encounter_path(landing.url), {"without_service_line": "yes"}).text
    assert 'data-testid="writeback-success"' in result, result[:800]
    claims = requests.get(f"{stack.sandbox_url}/_admin/resources/Claim", timeout=10).json()
    mine = [c for c in claims
            if any(i.get("value", "").startswith(f"revrx-{enc_id}-") for i in c.get("identifier", []))]
    assert len(mine) == 1, "p030 has Coverage: one Claim"
    assert mine[0]["provider"]["reference"] == "Practitioner/pr001", "the encounter's provider, not the launcher's"
