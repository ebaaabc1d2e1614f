"""Write-back against the sandbox EHR's Oracle Health profile, which validates writes as Oracle documents
them and, like Oracle, ignores If-None-Exist (sandbox/vendor_validation.py): who the written resources
name (issue 15 item 3), charges only through `ChargeItem/$create` in the tenant's bill codes (item 9),
and no duplicate after a lost answer, a failed send or a killed worker (item 10).

The app runs in-process with registrations of its own pointing at the Oracle-profile sandbox; each
person's launch carries a token the sandbox minted for that person (provider access), as a real launch
would. The encounter was opened by a clinician's launch; a coder approves it through her own launch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from devstack.processes import Stack
from devstack.sandbox_process import SandboxProcess, vendor_sandbox_running
from sandbox.profiles import ORACLE_TENANT
from smartapp.extensions import db
from smartapp.models import (
    ClaimSubmission,
    CodingRun,
    Decision,
    Encounter,
    EncounterSource,
    EncounterStatus,
    LaunchSession,
    Organization,
    Role,
    RunStatus,
    SubmissionStatus,
    Suggestion,
    User,
)
from smartapp.smart.registry import load_registry
from smartapp.web.runtime import RUNTIME_KEY
from smartapp.writeback.approval import approve_reviewed
from tests.support.review_data import Browser

pytestmark = pytest.mark.integration
ICD, CPT = "http://hl7.org/fhir/sid/icd-10-cm", "http://www.ama-assn.org/go/cpt"
WRITEBACK = {"ora-dx": ["encounter_diagnosis"], "ora-note": ["clinical_note"], "ora-charge": ["charge_item"],
             "ora-charge-unmapped": ["charge_item"]}
SCOPE = ("launch user/Condition.write user/DocumentReference.write user/Condition.read user/DocumentReference.read "
         "user/ChargeItem.write user/ChargeItem.read patient/Encounter.read")
CHARGE_MASTER = {"source_id": ORACLE_TENANT, "bill_code_type": "CDM_SCHED", "codes": {"99214": "01012022"},
                 "schedule": {"system": f"https://fhir.cerner.com/{ORACLE_TENANT}/codeSet/14002", "code": "667687"}}


@pytest.fixture(scope="module")
def oracle(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with vendor_sandbox_running(stack, "oracle", tmp_path_factory.mktemp("oracle-wb")) as proc:
        yield proc


@pytest.fixture()
def oracle_app(app: Flask, oracle: SandboxProcess, tmp_path: Path) -> Flask:
    registrations = [{"id": rid, "name": f"Oracle ({rid})", "vendor": "oracle", "iss": oracle.fhir_base,
                      "client_id": "revrx-sandbox-oracle", "client_auth": "public", "scope_dialect": "v1",
                      "scopes": ["launch"], "launch_url": "http://app/launch", "redirect_uris": ["http://app/callback"],
                      "writeback": wb, "require_nonce": False,
                      **({"charge_master": CHARGE_MASTER} if rid == "ora-charge" else {})}
                     for rid, wb in WRITEBACK.items()]
    path = tmp_path / "launch.json"
    path.write_text(json.dumps({"app": {"base_url": "http://app"}, "registrations": registrations}))
    runtime = app.extensions[RUNTIME_KEY]
    runtime.registry = load_registry(path, env={})
    runtime.ehr = replace(runtime.ehr, registry=runtime.registry)
    return app


@dataclass(frozen=True)
class Seeded:
    encounter_id: int
    coder_id: int
    ehr_encounter: str


def _patient_of(ehr: SandboxProcess, encounter: str) -> str:
    found = requests.get(f"{ehr.base_url}/_admin/resources/Encounter", timeout=10).json()
    return str(next(e for e in found if e["id"] == encounter)["subject"]["reference"].split("/")[-1])


def _launch(app: Flask, ehr: SandboxProcess, user: User, registration: str, practitioner: str) -> LaunchSession:
    token = requests.post(f"{ehr.base_url}/_admin/tokens", json={"scope": SCOPE, "user": practitioner},
                          timeout=10).json()["access_token"]
    launch = LaunchSession(user_id=user.id, registration_id=registration, issuer=ehr.fhir_base,
                           token_endpoint=f"{ehr.base_url}/oauth/token", access_token=token, scope=SCOPE)
    db.session.add(launch)
    db.session.flush()
    return launch


def seed(app: Flask, ehr: SandboxProcess, registration: str, encounter: str) -> Seeded:
    """Dr. Okafor (pr002) launched the encounter and is its provider; Priya Raman (pr003), a coder here,
    has launched RevRX herself and approves it."""
    fhir = ehr.fhir_base
    with app.app_context():
        org = Organization(name="Oracle clinic", issuer=fhir)
        db.session.add(org)
        db.session.flush()
        clinician = User(organization_id=org.id, issuer=fhir, fhir_user=f"{fhir}/Practitioner/pr002",
                         role=Role.CLINICIAN, display_name="Michael Okafor")
        coder = User(organization_id=org.id, issuer=fhir, fhir_user=f"{fhir}/Practitioner/pr003",
                     role=Role.CODER, display_name="Priya Raman")
        db.session.add_all([clinician, coder])
        db.session.flush()
        opened = _launch(app, ehr, clinician, registration, "pr002")
        _launch(app, ehr, coder, registration, "pr003")
        enc = Encounter(organization_id=org.id, source=EncounterSource.FHIR, source_system=fhir,
                        fhir_encounter_id=encounter, fhir_patient_id=_patient_of(ehr, encounter),
                        fhir_provider_id="pr002", date_of_service=date(2026, 3, 1), launch_session_id=opened.id,
                        launched_by_id=clinician.id)
        db.session.add(enc)
        db.session.flush()
        run = CodingRun(encounter_id=enc.id, status=RunStatus.COMPLETE)
        db.session.add(run)
        db.session.flush()
        db.session.add_all([
            Suggestion(run_id=run.id, system=ICD, code="E03.9", display="Hypothyroidism, unspecified",
                       category="diagnosis", rank=1, decision=Decision.ACCEPTED),
            Suggestion(run_id=run.id, system=CPT, code="99214", display="Office visit", category="em", rank=2,
                       decision=Decision.ACCEPTED),
        ])
        db.session.commit()
        return Seeded(enc.id, coder.id, encounter)


def written(ehr: SandboxProcess, rtype: str, encounter: str) -> list[dict[str, Any]]:
    """What RevRX wrote on this encounter (not the seeded notes and conditions)."""
    found = requests.get(f"{ehr.base_url}/_admin/resources/{rtype}", timeout=10).json()
    return [r for r in found if f"Encounter/{encounter}" in json.dumps(r.get("encounter") or r.get("context"))
            and "revrx" in json.dumps(r).lower()]


@pytest.mark.parametrize(("registration", "encounter", "rtype"), [("ora-note", "e061", "DocumentReference"),
                                                                  ("ora-dx", "e062", "Condition")])
def test_what_a_coder_approves_names_the_coder_not_the_clinician_who_launched_it(
        oracle_app: Flask, oracle: SandboxProcess, registration: str, encounter: str, rtype: str) -> None:
    """Issue 15 item 3. Oracle (provider access) accepts a document only when its single author is the
    token's own provider; before, RevRX named the encounter's clinician and Oracle refused it."""
    seeded = seed(oracle_app, oracle, registration, encounter)
    me = Browser(oracle_app, seeded.coder_id)
    me.page(f"/encounters/{seeded.encounter_id}")
    preview = me.get(f"/encounters/{seeded.encounter_id}/writeback/preview").get_data(as_text=True)
    assert 'data-testid="writeback-author"' in preview, preview[:1500]
    assert "Priya Raman (Practitioner/pr003), your own EHR sign-in" in preview
    done = me.approve(seeded.encounter_id)
    assert 'data-testid="writeback-success"' in done, done[:1500]
    [resource] = written(oracle, rtype, encounter)
    who = resource["author"][0] if rtype == "DocumentReference" else resource["recorder"]
    assert who["reference"] == "Practitioner/pr003" and who["display"] == "Priya Raman"
    assert "pr002" not in json.dumps(resource.get("author") or resource.get("recorder"))


# ---- issue 15 item 10: no duplicates in the chart -------------------------------------------------

def _faults(ehr: SandboxProcess, body: dict[str, Any] | None) -> None:
    if body is None:
        requests.delete(f"{ehr.base_url}/_admin/faults", timeout=10).raise_for_status()
    else:
        requests.post(f"{ehr.base_url}/_admin/faults", json=body, timeout=10).raise_for_status()


def test_oracle_ignores_if_none_exist_as_its_documents_never_offer_it(oracle: SandboxProcess) -> None:
    """Why the app may not trust it there: the same conditional create twice makes two Conditions."""
    token = requests.post(f"{oracle.base_url}/_admin/tokens", json={"scope": SCOPE, "user": "pr003"},
                          timeout=10).json()["access_token"]
    patient = _patient_of(oracle, "e063")
    body = {"resourceType": "Condition", "subject": {"reference": f"Patient/{patient}"},
            "encounter": {"reference": "Encounter/e063"}, "code": {"coding": [{"system": ICD, "code": "E55.9"}]},
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                      "code": "encounter-diagnosis"}]}],
            "clinicalStatus": {"coding": [{"code": "active"}]},
            "verificationStatus": {"coding": [{"code": "confirmed"}]},
            "identifier": [{"system": "urn:test", "value": "once"}]}
    headers = {"Authorization": f"Bearer {token}", "If-None-Exist": "identifier=urn:test|once"}
    ids = {requests.post(f"{oracle.fhir_base}/Condition", json=body, headers=headers, timeout=10).json()["id"]
           for _ in range(2)}
    assert len(ids) == 2
    cap = requests.get(f"{oracle.fhir_base}/metadata", timeout=10).json()
    assert not any(r.get("conditionalCreate") for r in cap["rest"][0]["resource"])


def test_a_lost_answer_is_searched_for_instead_of_sent_again(oracle_app: Flask, oracle: SandboxProcess) -> None:
    """Oracle writes the Condition but the gateway answers 504: RevRX does not resend it (only a
    429/503 with Retry-After says "not processed"); it searches, finds it and reports it written."""
    seeded = seed(oracle_app, oracle, "ora-dx", "e064")
    me = Browser(oracle_app, seeded.coder_id)
    me.page(f"/encounters/{seeded.encounter_id}")
    _faults(oracle, {"rules": [{"kind": "lost", "resource": "Condition", "times": 1}]})
    try:
        done = me.approve(seeded.encounter_id)
    finally:
        _faults(oracle, None)
    assert 'data-testid="writeback-success"' in done, done[:1500]
    assert len(written(oracle, "Condition", "e064")) == 1, "one diagnosis in the chart, not two"


def test_a_worker_killed_after_sending_leaves_a_marker_and_recovery_finds_what_it_sent(
        oracle_app: Flask, oracle: SandboxProcess) -> None:
    """The note went out, then the worker died before recording its id: the submission is stuck in
    SENDING with only the "sent" marker. Recovery's resend searches first and finds the note."""
    seeded = seed(oracle_app, oracle, "ora-note", "e065")
    me = Browser(oracle_app, seeded.coder_id)
    me.page(f"/encounters/{seeded.encounter_id}")
    assert 'data-testid="writeback-success"' in me.approve(seeded.encounter_id)
    assert len(written(oracle, "DocumentReference", "e065")) == 1
    with oracle_app.app_context():
        row = db.session.query(ClaimSubmission).filter_by(encounter_id=seeded.encounter_id).one()
        [done] = row.results
        assert done["status"] == "CREATED" and done["key"].endswith("-note")
        sent_at = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
        row.results = [{"key": done["key"], "resourceType": "DocumentReference", "status": "SENT", "sent_at": sent_at}]
        row.status, row.fhir_id = SubmissionStatus.SENDING, None
        row.updated_at = datetime.now(UTC) - timedelta(minutes=10)   # its worker is surely dead
        encounter, user = db.session.get(Encounter, seeded.encounter_id), db.session.get(User, seeded.coder_id)
        assert encounter is not None and user is not None
        encounter.status = EncounterStatus.APPROVING
        db.session.commit()
        route = oracle_app.extensions[RUNTIME_KEY].ehr.route(db.session, encounter, user)
        assert approve_reviewed(db.session, encounter, user, route, None) == "APPROVED"
        row = db.session.query(ClaimSubmission).filter_by(encounter_id=seeded.encounter_id).one()
        assert row.status == SubmissionStatus.EXISTING and row.results[0]["id"] == done["id"]
    assert len(written(oracle, "DocumentReference", "e065")) == 1, "recovery made no second note"


def test_a_failed_send_keeps_its_sent_marker(oracle_app: Flask, oracle: SandboxProcess) -> None:
    """A 500 on the POST (outcome unknown, nothing found): the write-back fails, and the submission
    still says the diagnosis was sent, committed before the POST, for the retry to search by."""
    seeded = seed(oracle_app, oracle, "ora-dx", "e066")
    me = Browser(oracle_app, seeded.coder_id)
    me.page(f"/encounters/{seeded.encounter_id}")
    _faults(oracle, {"rules": [{"kind": "status", "status": 500, "resource": "Condition", "times": 1}]})
    try:
        failed = me.approve(seeded.encounter_id)
    finally:
        _faults(oracle, None)
    assert 'data-testid="writeback-error"' in failed, failed[:1500]
    with oracle_app.app_context():
        row = db.session.query(ClaimSubmission).filter_by(encounter_id=seeded.encounter_id).one()
        assert row.status == SubmissionStatus.FAILED
        assert [(r["status"], r["key"].endswith("-dx-E03.9")) for r in row.results] == [("SENT", True)]
    retried = me.approve(seeded.encounter_id, {"retry": "1"})
    assert 'data-testid="writeback-success"' in retried, retried[:1500]
    assert len(written(oracle, "Condition", "e066")) == 1


# ---- issue 15 item 9: Oracle charges through $create with the customer's charge master -------------

def test_oracle_charges_go_through_create_in_the_tenants_bill_codes(oracle_app: Flask, oracle: SandboxProcess) -> None:
    seeded = seed(oracle_app, oracle, "ora-charge", "e067")
    me = Browser(oracle_app, seeded.coder_id)
    me.page(f"/encounters/{seeded.encounter_id}")
    preview = me.get(f"/encounters/{seeded.encounter_id}/writeback/preview").get_data(as_text=True)
    assert "$create" in preview and "transactionId" in preview, "the preview shows the Parameters body"
    done = me.approve(seeded.encounter_id)
    assert 'data-testid="writeback-success"' in done, done[:1500]
    [charge] = written(oracle, "ChargeItem", "e067")
    coding = charge["code"]["coding"][0]
    assert (coding["system"], coding["code"]) == (
        f"https://fhir.cerner.com/{ORACLE_TENANT}/CodeSystem/BillCodes-CDM_SCHED", "01012022")
    assert charge["status"] == "unknown" and charge["enterer"]["reference"] == "Practitioner/pr003"
    assert charge["reason"][0]["coding"][0]["code"] == "E03.9"


def test_oracle_charges_without_a_charge_master_are_refused_with_what_to_configure(
        oracle_app: Flask, oracle: SandboxProcess) -> None:
    seeded = seed(oracle_app, oracle, "ora-charge-unmapped", "e068")
    me = Browser(oracle_app, seeded.coder_id)
    me.page(f"/encounters/{seeded.encounter_id}")
    preview = me.get(f"/encounters/{seeded.encounter_id}/writeback/preview").get_data(as_text=True)
    assert 'data-testid="writeback-refused"' in preview and "charge-master mapping" in preview
    assert written(oracle, "ChargeItem", "e068") == []


def test_the_oracle_profile_takes_charges_only_as_oracle_documents(oracle: SandboxProcess) -> None:
    """A plain ChargeItem create is not offered; `$create` needs a Parameters body, one transactionId
    and exactly one coding in the tenant's bill-code systems."""
    token = requests.post(f"{oracle.base_url}/_admin/tokens", json={"scope": SCOPE, "user": "pr003"},
                          timeout=10).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    patient = _patient_of(oracle, "e069")
    item = {"resourceType": "ChargeItem", "status": "unknown", "subject": {"reference": f"Patient/{patient}"},
            "context": {"reference": "Encounter/e069"},
            "code": {"coding": [{"system": CPT, "code": "99214"}]}}
    assert requests.post(f"{oracle.fhir_base}/ChargeItem", json=item, headers=auth, timeout=10).status_code == 405
    body = {"resourceType": "Parameters", "parameter": [
        {"name": "chargeItem", "resource": item},
        {"name": "transactionId", "valueUuid": "urn:uuid:aa7623a0-0c7b-11ec-82a8-0242ac130003"}]}
    refused = requests.post(f"{oracle.fhir_base}/ChargeItem/$create", json=body, headers=auth, timeout=10)
    assert refused.status_code == 422 and "bill codes" in refused.text
    item["code"]["coding"] = [{"system": f"https://fhir.cerner.com/{ORACLE_TENANT}/CodeSystem/BillCodes-CPT",
                               "code": "99214"}]
    made = requests.post(f"{oracle.fhir_base}/ChargeItem/$create", json=body, headers=auth, timeout=10)
    assert made.status_code == 201 and "/ChargeItem/" in made.headers["Location"]
    cap = requests.get(f"{oracle.fhir_base}/metadata", timeout=10).json()
    charge = next(r for r in cap["rest"][0]["resource"] if r["type"] == "ChargeItem")
    assert [o["name"] for o in charge["operation"]] == ["create"] and "create" not in {
        i["code"] for i in charge["interaction"]}
