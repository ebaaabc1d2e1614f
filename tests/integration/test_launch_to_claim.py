"""The walking skeleton end to end, over real HTTP between real processes: EHR launch → SMART
authorization → coding job on the RQ worker → suggestions with evidence → approve (twice) → one
Claim on the sandbox EHR carrying the accepted codes."""

from __future__ import annotations

import pytest
import requests

from devstack.app_client import AppUser, encounter_path, suggestions
from devstack.processes import Stack

pytestmark = pytest.mark.integration


def _claims(stack: Stack) -> list[dict]:
    response = requests.get(f"{stack.sandbox_url}/_admin/resources/Claim", timeout=10)
    response.raise_for_status()
    return response.json()


def _codes(claim: dict) -> set[str]:
    dx = {c["code"] for d in claim.get("diagnosis", []) for c in d["diagnosisCodeableConcept"]["coding"]}
    items = {c["code"] for i in claim.get("item", []) for c in i["productOrService"]["coding"]}
    return dx | items


def test_launch_code_approve_twice_makes_one_claim(stack: Stack) -> None:
    user = AppUser(stack)
    landing = user.launch("e002")
    assert landing.status_code == 200
    page = encounter_path(landing.url)
    assert landing.url.startswith(stack.app_url)

    html = user.wait_for_coding(landing.url)
    found = suggestions(html)
    assert found, "the coding engine suggested nothing for a real visit note"
    assert "class=\"evidence\"" in html, "suggestions come with the note text that supports them"

    diagnoses = [s for s in found if not s.code.startswith("99")]
    accepted, rejected = diagnoses[0], diagnoses[1] if len(diagnoses) > 1 else None
    assert user.post(f"/suggestions/{accepted.id}/decision", {"decision": "accept"}).status_code == 200
    if rejected:
        assert user.post(f"/suggestions/{rejected.id}/decision", {"decision": "reject"}).status_code == 200

    visit = next((s for s in found if s.code.startswith("99")), None)
    if visit:   # the visit code is the Claim's service line (without one the preview asks first)
        assert user.post(f"/suggestions/{visit.id}/decision", {"decision": "accept"}).status_code == 200
    choice = {} if visit else {"without_service_line": "yes"}

    before = len(_claims(stack))
    # A double click: both requests answer at once (the write-back is a job), and one job runs.
    clicks = [user.post(f"{page}/approve", choice) for _ in range(2)]
    assert all(c.status_code == 200 and ('data-testid="writeback-progress"' in c.text
                                         or 'data-testid="writeback-success"' in c.text) for c in clicks)
    assert 'data-testid="writeback-progress"' in clicks[0].text, clicks[0].text
    first = user.approve(f"{page}", choice)     # follows the panel's progress until the job is done
    second = user.approve(f"{page}", choice)
    assert first.status_code == 200 and second.status_code == 200
    assert 'data-testid="writeback-success"' in first.text, first.text

    claims = _claims(stack)
    assert len(claims) == before + 1, "two approvals must make exactly one Claim"
    claim = claims[-1]
    assert claim["id"] in first.text and claim["id"] in second.text
    assert accepted.code in _codes(claim)
    if rejected:
        assert rejected.code not in _codes(claim)
    assert claim["patient"]["reference"].endswith("Patient/" + claim["patient"]["reference"].split("/")[-1])
    assert claim["insurance"][0]["coverage"]["reference"].startswith("Coverage/")


def test_forged_state_is_refused_and_stores_nothing(stack: Stack) -> None:
    response = requests.get(f"{stack.app_url}/callback", params={"state": "forged", "code": "x"}, timeout=10)
    assert response.status_code == 400
    assert "no longer valid" in response.text


def test_unknown_issuer_gets_a_clear_page(stack: Stack) -> None:
    response = requests.get(f"{stack.app_url}/launch",
                            params={"iss": "https://unknown.example/fhir", "launch": "abc"}, timeout=10)
    assert response.status_code == 400
    assert "not registered" in response.text


def test_no_phi_in_any_process_log(stack: Stack) -> None:
    """After a launch has been read and coded, no log line names the patient or their identifiers."""
    user = AppUser(stack)
    landing = user.launch("e006")
    user.wait_for_coding(landing.url)
    encounter = next(e for e in requests.get(f"{stack.sandbox_url}/_admin/resources/Encounter", timeout=10).json()
                     if e["id"] == "e006")
    patient_id = encounter["subject"]["reference"].split("/")[-1]
    patient = next(p for p in requests.get(f"{stack.sandbox_url}/_admin/resources/Patient", timeout=10).json()
                   if p["id"] == patient_id)
    identifiers = [patient["name"][0]["family"], *patient["name"][0]["given"], patient["birthDate"],
                   *(i["value"] for i in patient.get("identifier", [])),
                   *(t["value"] for t in patient.get("telecom", []))]
    assert stack.log_dir is not None
    app_logs = {p.name: p.read_text(errors="replace") for p in stack.log_dir.glob("*.log")
                if p.name in ("web.log", "worker.log")}
    assert app_logs, "the web and worker logs exist"
    for name, text in app_logs.items():
        for value in identifiers:
            assert value not in text, f"{name} contains patient identifier {value!r}"
