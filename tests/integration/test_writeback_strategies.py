"""Every write-back strategy against the real sandbox EHR: ChargeItems (also as the fallback when the
server has no Claim), encounter-diagnosis Conditions, and the DocumentReference coding report; each
approved twice makes one set of resources. A patient without Coverage gets the next write-back the
registration allows, or, where only a Claim is allowed, a clear refusal with nothing sent.

The app runs in-process (the `app` fixture) with registrations of its own pointing at the sandbox,
and an access token minted by the sandbox for exactly the scopes each test grants."""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
import requests
from flask import Flask

from devstack.app_client import AppUser, encounter_path, suggestions
from devstack.processes import Stack
from smartapp.extensions import db
from smartapp.models import (
    ClaimSubmission,
    CodingRun,
    Decision,
    Encounter,
    EncounterSource,
    LaunchSession,
    Organization,
    Role,
    RunStatus,
    Suggestion,
    User,
)
from smartapp.smart.registry import load_registry
from smartapp.web.runtime import RUNTIME_KEY
from tests.support.review_data import Browser, run_write_back_jobs

pytestmark = pytest.mark.integration
ICD, CPT = "http://hl7.org/fhir/sid/icd-10-cm", "http://www.ama-assn.org/go/cpt"
STRATEGIES = {"wb-charge": ["claim", "charge_item"], "wb-dx": ["encounter_diagnosis"],
              "wb-doc": ["document_reference"], "wb-claim": ["claim"]}


@pytest.fixture()
def ehr_app(app: Flask, stack: Stack, tmp_path: Path) -> Flask:
    fhir = f"{stack.sandbox_url}/fhir"
    registrations = [{"id": rid, "name": f"Sandbox ({rid})", "iss": fhir, "client_id": "revrx-sandbox",
                      "client_auth": "public", "scopes": ["launch"], "launch_url": "http://app/launch",
                      "redirect_uris": ["http://app/callback"], "writeback": wb} for rid, wb in STRATEGIES.items()]
    path = tmp_path / "launch.json"
    path.write_text(json.dumps({"app": {"base_url": "http://app"}, "registrations": registrations}))
    runtime = app.extensions[RUNTIME_KEY]
    runtime.registry = load_registry(path, env={})
    runtime.ehr = replace(runtime.ehr, registry=runtime.registry)
    return app


@pytest.fixture()
def no_claim(stack: Stack) -> Iterator[None]:
    requests.post(f"{stack.sandbox_url}/_admin/faults", json={"no_claim": True}, timeout=10).raise_for_status()
    try:
        yield
    finally:
        requests.delete(f"{stack.sandbox_url}/_admin/faults", timeout=10).raise_for_status()


def mint(stack: Stack, scope: str) -> str:
    response = requests.post(f"{stack.sandbox_url}/_admin/tokens", json={"scope": scope}, timeout=10)
    response.raise_for_status()
    return str(response.json()["access_token"])


def seed(app: Flask, stack: Stack, registration: str, scope: str, encounter: str, patient: str) -> tuple[int, int]:
    """A coder, the sandbox encounter with accepted codes (two diagnoses and an E/M), and a launch."""
    fhir = f"{stack.sandbox_url}/fhir"
    with app.app_context():
        org = Organization(name="Sandbox", issuer=fhir)
        db.session.add(org)
        db.session.flush()
        coder = User(organization_id=org.id, issuer=fhir, fhir_user=f"{fhir}/Practitioner/pr001", role=Role.CODER,
                     display_name="Coder")
        db.session.add(coder)
        db.session.flush()
        launch = LaunchSession(user_id=coder.id, registration_id=registration, issuer=fhir,
                               token_endpoint=f"{stack.sandbox_url}/oauth/token", access_token=mint(stack, scope),
                               scope=scope)
        db.session.add(launch)
        db.session.flush()
        enc = Encounter(organization_id=org.id, source=EncounterSource.FHIR, source_system=fhir,
                        fhir_encounter_id=encounter, fhir_patient_id=patient, fhir_provider_id="pr001",
                        date_of_service=date(2026, 3, 1), launch_session_id=launch.id, launched_by_id=coder.id)
        db.session.add(enc)
        db.session.flush()
        run = CodingRun(encounter_id=enc.id, status=RunStatus.COMPLETE)
        db.session.add(run)
        db.session.flush()
        db.session.add_all([
            Suggestion(run_id=run.id, system=ICD, code="E03.9", display="Hypothyroidism, unspecified",
                       category="diagnosis", rank=1, decision=Decision.ACCEPTED),
            Suggestion(run_id=run.id, system=ICD, code="E55.9", display="Vitamin D deficiency, unspecified",
                       category="diagnosis", rank=2, decision=Decision.ACCEPTED),
            Suggestion(run_id=run.id, system=ICD, code="R63.5", display="Abnormal weight gain",
                       category="diagnosis", rank=3, decision=Decision.REJECTED, decision_reason="Not addressed"),
            Suggestion(run_id=run.id, system=CPT, code="99214", display="Office visit", category="em", rank=4,
                       decision=Decision.ACCEPTED),
        ])
        db.session.commit()
        return enc.id, coder.id


def ours(stack: Stack, rtype: str, ehr_encounter: str) -> list[dict[str, Any]]:
    """What RevRX wrote for this EHR encounter (our identifiers: revrx-<EHR encounter>-…)."""
    found = requests.get(f"{stack.sandbox_url}/_admin/resources/{rtype}", timeout=10).json()
    return [r for r in found if any(i.get("value", "").startswith(f"revrx-{ehr_encounter}-")
                                    for i in r.get("identifier", []))]


def approve_twice(me: Browser, enc: int) -> str:
    """A double click: both answer at once with the progress, one write-back job runs; a later click
    on the written-back encounter changes nothing."""
    me.page(f"/encounters/{enc}")
    first = me.post(f"/encounters/{enc}/approve").get_data(as_text=True)
    second = me.post(f"/encounters/{enc}/approve").get_data(as_text=True)
    assert 'data-testid="writeback-progress"' in first and 'data-testid="writeback-progress"' in second, first
    assert run_write_back_jobs(me.app) == 1
    done = me.get(f"/encounters/{enc}/writeback").get_data(as_text=True)
    assert 'data-testid="writeback-success"' in done, done
    assert 'data-testid="writeback-success"' in me.approve(enc)
    return str(done)


def test_server_without_claim_gets_charge_items_once(ehr_app: Flask, stack: Stack, no_claim: None) -> None:
    enc, coder = seed(ehr_app, stack, "wb-charge", "user/Claim.c user/ChargeItem.c patient/Coverage.rs", "e021", "p021")
    me = Browser(ehr_app, coder)
    me.page(f"/encounters/{enc}")
    preview = me.get(f"/encounters/{enc}/writeback/preview").get_data(as_text=True)
    assert "does not accept Claim" in preview and "&#34;resourceType&#34;: &#34;ChargeItem&#34;" in preview
    html = approve_twice(me, enc)
    items = ours(stack, "ChargeItem", "e021")
    assert len(items) == 1 and items[0]["id"] in html
    assert items[0]["code"]["coding"][0]["code"] == "99214"
    assert [r["coding"][0]["code"] for r in items[0]["reason"]] == ["E03.9", "E55.9"]
    assert items[0]["context"]["reference"] == "Encounter/e021"
    assert ours(stack, "Claim", "e021") == []
    with ehr_app.app_context():
        row = db.session.query(ClaimSubmission).filter_by(encounter_id=enc).one()
        assert row.strategy == "charge_item" and row.results[0]["id"] == items[0]["id"]


def test_encounter_diagnoses_as_conditions_once(ehr_app: Flask, stack: Stack) -> None:
    enc, coder = seed(ehr_app, stack, "wb-dx", "user/Condition.c", "e023", "p023")
    me = Browser(ehr_app, coder)
    me.page(f"/encounters/{enc}")
    preview = me.get(f"/encounters/{enc}/writeback/preview").get_data(as_text=True)
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview)
    assert digest and "E55.9" in preview
    # The codes change after the preview: the confirm shows the new preview instead of sending.
    with ehr_app.app_context():
        e55 = db.session.query(Suggestion).filter_by(code="E55.9").one().id
    me.post(f"/suggestions/{e55}/decision", {"decision": "reject"})
    stale = me.approve(enc, {"digest": digest.group(1)})
    assert "codes changed after you reviewed" in stale and 'data-testid="retry"' not in stale
    assert ours(stack, "Condition", "e023") == []
    html = approve_twice(me, enc)
    conditions = ours(stack, "Condition", "e023")
    assert sorted(c["code"]["coding"][0]["code"] for c in conditions) == ["E03.9"]   # not the rejected ones
    assert all(c["category"][0]["coding"][0]["code"] == "encounter-diagnosis" for c in conditions)
    assert all(c["encounter"]["reference"] == "Encounter/e023" for c in conditions)
    assert all(c["id"] in html for c in conditions)


def test_coding_report_as_document_reference_once(ehr_app: Flask, stack: Stack) -> None:
    enc, coder = seed(ehr_app, stack, "wb-doc", "user/DocumentReference.c", "e025", "p025")
    approve_twice(Browser(ehr_app, coder), enc)
    docs = ours(stack, "DocumentReference", "e025")
    assert len(docs) == 1
    pdf_data, json_data = (base64.b64decode(c["attachment"]["data"]) for c in docs[0]["content"])
    text = pypdf.PdfReader(io.BytesIO(pdf_data)).pages[0].extract_text()
    assert "E03.9" in text and "99214" in text
    report = json.loads(json_data)
    assert [d["code"] for d in report["diagnoses"]] == ["E03.9", "E55.9"]
    assert report["rejected"] == [{"code": "R63.5", "reason": "Not addressed"}]


def test_no_permission_for_any_write_back_says_why_and_sends_nothing(ehr_app: Flask, stack: Stack) -> None:
    enc, coder = seed(ehr_app, stack, "wb-dx", "patient/Encounter.rs", "e027", "p027")
    me = Browser(ehr_app, coder)
    page = me.page(f"/encounters/{enc}")
    assert 'data-testid="writeback-unavailable"' in page and "not granted permission to create Condition" in page
    assert 'data-testid="report-pdf"' in page and 'data-testid="approve"' not in page
    refused = me.approve(enc)
    assert 'data-testid="writeback-error"' in refused
    assert ours(stack, "Condition", "e027") == []


@pytest.fixture()
def cancelled_coverage(stack: Stack) -> Iterator[None]:
    """p016's only Coverage, cancelled for the test and restored after."""
    token = mint(stack, "user/Coverage.rs user/Coverage.u")
    url = f"{stack.sandbox_url}/fhir/Coverage/cov016"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/fhir+json"}
    original = requests.get(url, headers=headers, timeout=10).json()
    original.pop("meta", None)
    requests.put(url, json={**original, "status": "cancelled"}, headers=headers, timeout=10).raise_for_status()
    try:
        yield
    finally:
        requests.put(url, json=original, headers=headers, timeout=10).raise_for_status()


def test_without_coverage_the_next_write_back_the_registration_allows_is_sent(
        stack: Stack, cancelled_coverage: None) -> None:
    """Issue 15 item 8: the sandbox registration allows Claim, then ChargeItem, Condition and the report.
    A patient without Coverage used to be refused ("no active Coverage"); the preview now says why no
    Claim and offers the ChargeItems, which are what is sent."""
    user = AppUser(stack)
    landing = user.launch("e016")
    html = user.wait_for_coding(landing.url)
    page = encounter_path(landing.url)
    for s in suggestions(html)[:2]:
        assert user.post(f"/suggestions/{s.id}/decision", {"decision": "accept"}).status_code == 200
    claims_before = requests.get(f"{stack.sandbox_url}/_admin/resources/Claim", timeout=10).json()
    preview = user.get(f"{page}/writeback/preview", htmx=True).text
    assert "no active Coverage" in preview and 'data-testid="writeback-refused"' not in preview, preview
    assert 'data-testid="confirm-writeback"' in preview
    result = user.approve(page).text
    assert 'data-testid="writeback-success"' in result, result[:800]
    assert len(requests.get(f"{stack.sandbox_url}/_admin/resources/Claim", timeout=10).json()) == len(claims_before)
    assert ours(stack, "ChargeItem", "e016") or ours(stack, "Condition", "e016"), "the fallback was written"


def test_a_registration_that_allows_only_a_claim_is_refused_without_coverage(
        ehr_app: Flask, stack: Stack, cancelled_coverage: None) -> None:
    enc, coder = seed(ehr_app, stack, "wb-claim", "user/Claim.c patient/Coverage.rs", "e016", "p016")
    me = Browser(ehr_app, coder)
    me.page(f"/encounters/{enc}")
    preview = me.get(f"/encounters/{enc}/writeback/preview").get_data(as_text=True)
    assert 'data-testid="writeback-refused"' in preview and "no active Coverage" in preview
    assert 'data-testid="confirm-writeback"' not in preview
    assert ours(stack, "Claim", "e016") == []


def test_an_ehr_that_cannot_answer_the_coverage_search_is_not_called_a_patient_without_coverage(
        ehr_app: Flask, stack: Stack) -> None:
    """Issue 13 item 13: with the EHR's Coverage search failing (503), the preview said "the patient has
    no active Coverage". It says the EHR is unavailable, and offers nothing to send."""
    enc, coder = seed(ehr_app, stack, "wb-charge", "user/Claim.c user/ChargeItem.c patient/Coverage.rs", "e022", "p022")
    me = Browser(ehr_app, coder)
    me.page(f"/encounters/{enc}")
    requests.post(f"{stack.sandbox_url}/_admin/faults", json={"rules": [
        {"kind": "status", "resource": "Coverage", "status": 503}]}, timeout=10).raise_for_status()
    try:
        preview = me.get(f"/encounters/{enc}/writeback/preview").get_data(as_text=True)
    finally:
        requests.delete(f"{stack.sandbox_url}/_admin/faults", timeout=10).raise_for_status()
    assert "no active Coverage" not in preview
    assert "temporarily unavailable" in preview and "Coverage" in preview
    assert 'data-testid="confirm-writeback"' not in preview
    assert ours(stack, "Claim", "e022") == []


def test_a_claim_names_the_encounters_provider_and_never_the_approver(ehr_app: Flask, stack: Stack) -> None:
    """Issue 15 item 8: an encounter whose provider the EHR did not resolve (a conditional reference) went
    out under the launching user's name. The preview names the rendering provider; without one the Claim
    is refused, saying whom the EHR named, and nothing is sent."""
    enc, coder = seed(ehr_app, stack, "wb-claim", "user/Claim.c patient/Coverage.rs", "e021", "p021")
    me = Browser(ehr_app, coder)
    with ehr_app.app_context():
        row = db.session.get(Encounter, enc)
        assert row is not None
        row.provider_name = "Dr. Sarah Chen"
        db.session.commit()
    me.page(f"/encounters/{enc}")
    preview = me.get(f"/encounters/{enc}/writeback/preview").get_data(as_text=True)
    assert 'data-testid="preview-provider">Rendering provider: <strong>Dr. Sarah Chen</strong>' in preview
    with ehr_app.app_context():
        row = db.session.get(Encounter, enc)
        assert row is not None
        row.fhir_provider_id, row.provider_name = None, "Dr. Aaron697 Brekke496"
        db.session.commit()
    refused = me.get(f"/encounters/{enc}/writeback/preview").get_data(as_text=True)
    assert 'data-testid="writeback-refused"' in refused and "Dr. Aaron697 Brekke496" in refused
    assert "Coder" not in refused.split('data-testid="writeback-refused"')[1][:400], "not the approver's name"
    assert 'data-testid="confirm-writeback"' not in refused
    assert ours(stack, "Claim", "e021") == []
