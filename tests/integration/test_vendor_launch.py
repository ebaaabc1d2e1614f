"""Launches against the sandbox EHR's Epic and Oracle Health profiles (sandbox/profiles.py), over real
HTTP between real processes: the id_token's `iss` is the vendor's OAuth issuer (Epic) or a URL under the
tenant's authorization server (Oracle), not the FHIR base; neither echoes the nonce; the person is kept
as (issuer, subject) apart from the FHIR base; each vendor grants only the scopes it offers (Epic no
online_access, Oracle no patient/Practitioner) and Oracle's tokens last 570 s. Each launch must end on
the encounter's review page with coding done, so the token really read the vendor-shaped EHR.

The vendor sandboxes start once per module on ports the shared stack reserved (not in every stack).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from sqlalchemy import select

from devstack.app_client import AppUser, encounter_path, suggestions
from devstack.processes import Stack
from devstack.sandbox_process import SandboxProcess, vendor_sandbox_running
from devstack.smart_launcher import Launcher
from sandbox.profiles import EPIC, ORACLE_TENANT
from smartapp.models import Organization, User

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def epic(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with vendor_sandbox_running(stack, "epic", tmp_path_factory.mktemp("epic")) as proc:
        yield proc


@pytest.fixture(scope="module")
def oracle(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with vendor_sandbox_running(stack, "oracle", tmp_path_factory.mktemp("oracle")) as proc:
        yield proc


def _launch(stack: Stack, ehr: SandboxProcess, encounter: str, registration: str,
            launcher: Launcher | None = None) -> tuple[Launcher, str]:
    launcher = launcher or Launcher(stack)
    landing = launcher.http.get(f"{ehr.base_url}/ehr/launch/{encounter}", params={"client": registration},
                                timeout=60)
    assert landing.status_code == 200, landing.text[:400]
    assert re.search(r"/encounters/\d+$", landing.url), landing.url
    user = _as_user(stack, launcher)
    done = user.wait_for_coding(landing.url)
    assert 'class="suggestion' in done, "coding read the note through the vendor-shaped EHR"
    return launcher, landing.url


def _as_user(stack: Stack, launcher: Launcher) -> AppUser:
    user = AppUser(stack)
    user.http = launcher.http
    return user


def _accept_one(user: AppUser, landing_url: str, diagnosis: bool = False) -> str:
    """Accept the first suggestion (the first diagnosis, if asked); its code."""
    user.get(landing_url)   # the page carries the CSRF token
    found = [s for s in suggestions(user.wait_for_coding(landing_url))
             if not (diagnosis and s.code[:1].isdigit())]
    assert found, "the engine suggested a code"
    assert user.post(f"/suggestions/{found[0].id}/decision", {"decision": "accept"}).status_code == 200
    return found[0].code


def _resources(ehr: SandboxProcess, rtype: str) -> list[dict[str, Any]]:
    response = requests.get(f"{ehr.base_url}/_admin/resources/{rtype}", timeout=10)
    response.raise_for_status()
    found: list[dict[str, Any]] = response.json()
    return found


def _user(launcher: Launcher, user_id: int) -> User:
    with launcher.db() as s:
        found = s.scalar(select(User).where(User.id == user_id))
        assert found is not None
        return found


def test_epic_launch_checks_the_oauth_issuer_and_keeps_it_apart_from_the_fhir_base(
        stack: Stack, epic: SandboxProcess) -> None:
    discovered = requests.get(f"{epic.fhir_base}/.well-known/smart-configuration", timeout=10).json()
    assert discovered["issuer"] == f"{epic.base_url}/oauth2"
    launcher, landing = _launch(stack, epic, "e040", "sandbox-epic")
    html = launcher.http.get(landing, timeout=30).text
    row = launcher.latest_launch()
    assert row.registration_id == "sandbox-epic" and row.issuer == epic.fhir_base
    granted = row.scope.split()
    assert "user/DocumentReference.write" in granted and "user/Claim.write" not in granted
    assert "online_access" not in granted and not row.refresh_token
    who = _user(launcher, row.user_id)
    assert who.oidc_issuer == f"{epic.base_url}/oauth2" and who.oidc_subject
    assert who.issuer == epic.fhir_base and who.fhir_user.startswith(epic.fhir_base + "/Practitioner/")
    assert re.search(r'class="who"[^>]*>Dr\. [A-Z]', html), "the header names the practitioner"
    # The launch and the organisation keep the id_token issuer apart from the FHIR base they read.
    assert row.oidc_issuer == f"{epic.base_url}/oauth2"
    with launcher.db() as s:
        org = s.get(Organization, who.organization_id)
        assert org is not None and org.issuer == epic.fhir_base and org.oidc_issuer == f"{epic.base_url}/oauth2"
    # Encounter.class and reasonCode reach the header.
    assert 'data-testid="encounter-class">Office (AMB)<' in html and 'data-testid="visit-reason">' in html


def test_a_second_epic_launch_is_the_same_person(stack: Stack, epic: SandboxProcess) -> None:
    first, _ = _launch(stack, epic, "e048", "sandbox-epic")
    second, _ = _launch(stack, epic, "e042", "sandbox-epic")
    assert first.latest_launch().user_id == second.latest_launch().user_id


def test_epic_offers_no_claim_and_no_composition(epic: SandboxProcess) -> None:
    cap = requests.get(f"{epic.fhir_base}/metadata", timeout=10).json()
    types = {r["type"]: {i["code"] for i in r["interaction"]} for r in cap["rest"][0]["resource"]}
    assert "Claim" not in types and "Composition" not in types and "ChargeItem" not in types
    assert "create" in types["DocumentReference"] and "create" not in types["Condition"]


def test_oracle_launch_accepts_the_tenant_idsp_issuer_by_prefix(stack: Stack, oracle: SandboxProcess) -> None:
    launcher, _ = _launch(stack, oracle, "e050", "sandbox-oracle")
    row = launcher.latest_launch()
    assert row.registration_id == "sandbox-oracle" and row.issuer == oracle.fhir_base
    who = _user(launcher, row.user_id)
    assert who.oidc_issuer is not None
    assert who.oidc_issuer.startswith(f"{oracle.base_url}/tenants/{ORACLE_TENANT}/oidc/idsps/")
    granted = row.scope.split()
    assert "patient/Practitioner.read" not in granted and "user/Practitioner.read" in granted
    assert "user/Condition.write" in granted and "online_access" in granted
    assert row.expires_at is not None
    left = (row.expires_at.replace(tzinfo=row.expires_at.tzinfo or UTC) - datetime.now(UTC)).total_seconds()
    assert 400 < left <= 570, "Oracle Health access tokens last 570 s"


def test_epic_writes_back_a_coding_note_and_an_expired_session_keeps_the_work(
        stack: Stack, epic: SandboxProcess) -> None:
    """Epic gives no refresh token: after the access token's life the approval is kept as a failed,
    retryable write-back with the relaunch advice; relaunching from the EHR lands on the same encounter,
    the accepted code is still accepted, and the approval then writes one DocumentReference."""
    launcher, landing = _launch(stack, epic, "e044", "sandbox-epic")
    user = _as_user(stack, launcher)
    code = _accept_one(user, landing)
    requests.post(f"{epic.base_url}/_admin/faults", json={"expire_tokens": True}, timeout=10).raise_for_status()
    before = len(_resources(epic, "DocumentReference"))
    page = encounter_path(landing)
    expired = user.approve(f"{page}")
    assert "Launch RevRX again" in expired.text, expired.text[:600]
    assert "Your decisions here are saved" in expired.text and "nothing was sent" in expired.text
    assert len(_resources(epic, "DocumentReference")) == before

    _, again = _launch(stack, epic, "e044", "sandbox-epic", launcher=launcher)
    assert encounter_path(again) == page, "the relaunch lands back on the same encounter"
    user.get(again)   # the relaunched page (a new sign-in: a new CSRF token)
    assert code in user.wait_for_coding(again), "the accepted code is still there"
    done = user.approve(f"{page}")
    assert 'data-testid="writeback-success"' in done.text, done.text[:800]
    notes = _resources(epic, "DocumentReference")
    assert len(notes) == before + 1
    assert notes[-1]["context"]["encounter"][0]["reference"].endswith("Encounter/e044")


def test_oracle_writes_back_encounter_diagnoses(stack: Stack, oracle: SandboxProcess) -> None:
    launcher, landing = _launch(stack, oracle, "e002", "sandbox-oracle")
    user = _as_user(stack, launcher)
    code = _accept_one(user, landing, diagnosis=True)
    done = user.approve(f"{encounter_path(landing)}")
    assert 'data-testid="writeback-success"' in done.text, done.text[:800]
    written = [c for c in _resources(oracle, "Condition")
               if c.get("encounter", {}).get("reference", "").endswith("Encounter/e002")]
    assert any(code in {x.get("code") for x in c["code"]["coding"]} for c in written)
    assert all(c["category"][0]["coding"][0]["code"] == "encounter-diagnosis" for c in written)


@pytest.mark.parametrize("rtype", ["Claim", "ChargeItem"])
def test_epic_refuses_writes_it_does_not_offer(epic: SandboxProcess, rtype: str) -> None:
    token = requests.post(f"{epic.base_url}/_admin/tokens", json={}, timeout=10).json()["access_token"]
    answer = requests.post(f"{epic.fhir_base}/{rtype}", json={"resourceType": rtype, "status": "active"},
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 404 and answer.json()["resourceType"] == "OperationOutcome"


def test_an_epic_encounter_with_a_long_id_is_launched_coded_and_written_back(
        stack: Stack, epic: SandboxProcess) -> None:
    """Epic ids may exceed FHIR's 64 characters (issue 15 item 5): a 192-character id goes through the
    launch, the coding job (reads by and searches on that id), the database and the write-back."""
    long_id = EPIC.long_id_encounter
    assert long_id and len(long_id) > 64
    launcher, landing = _launch(stack, epic, long_id, "sandbox-epic")
    assert launcher.latest_launch().encounter_id == long_id
    user = _as_user(stack, launcher)
    _accept_one(user, landing)
    done = user.approve(f"{encounter_path(landing)}")
    assert 'data-testid="writeback-success"' in done.text, done.text[:800]
    assert any(d["context"]["encounter"][0]["reference"] == f"Encounter/{long_id}"
               for d in _resources(epic, "DocumentReference") if d.get("context", {}).get("encounter"))


def test_oracle_refresh_keeps_the_refresh_token_it_does_not_replace(stack: Stack, oracle: SandboxProcess) -> None:
    """Oracle's 570-second tokens run out during a review and its refresh answers without a new refresh
    token: RevRX keeps the old one, and a second expiry is refreshed with it again (the page keeps
    working, no "Launch RevRX again")."""
    launcher, landing = _launch(stack, oracle, "e052", "sandbox-oracle")
    first = launcher.latest_launch()
    user = _as_user(stack, launcher)
    for _ in range(2):
        requests.post(f"{oracle.base_url}/_admin/faults", json={"expire_tokens": True}, timeout=10).raise_for_status()
        user.get(landing)
        assert user.post(f"{encounter_path(landing)}/rerun").status_code == 200   # the worker reads the EHR again
        done = user.wait_for_coding(landing)
        assert 'class="suggestion' in done and "Launch RevRX again" not in done, done[:400]
    after = launcher.latest_launch()
    assert after.id == first.id and after.access_token != first.access_token
    assert after.refresh_token == first.refresh_token, "Oracle gave no new refresh token: the old one is kept"


def test_an_epic_encounter_without_notes_fails_visibly_and_keeps_its_header(
        stack: Stack, epic: SandboxProcess) -> None:
    """Issue 15 items 7-8: e047's note is a Composition, which Epic does not have: coding fails with a
    reason the user sees (not "no codes"), and the header keeps the date and provider it had read."""
    launcher = Launcher(stack)
    landing = launcher.http.get(f"{epic.base_url}/ehr/launch/e047", params={"client": "sandbox-epic"}, timeout=60)
    assert landing.status_code == 200
    user = _as_user(stack, launcher)
    done = user.wait_for_coding(landing.url)
    assert 'data-testid="coding-failed"' in done and "no clinical notes" in done
    page = user.get(landing.url).text
    assert re.search(r'data-testid="date-of-service">\d{4}-\d\d-\d\d<', page), "the date read from the EHR stays"
    assert re.search(r'data-testid="provider">Dr\. [A-Z]', page), "the provider read from the EHR stays"


@pytest.mark.parametrize("encounter", ["e062", "e065", "e071"])
def test_oracle_binary_notes_are_asked_for_in_their_own_content_type(
        stack: Stack, oracle: SandboxProcess, encounter: str) -> None:
    """The oracle profile serves a Binary only for an Accept naming its content type (HTML, PDF, cp1252
    text here): the launch codes, so RevRX asked for each in the type the attachment declares."""
    _launch(stack, oracle, encounter, "sandbox-oracle")


def test_an_epic_registration_that_opts_into_offline_access_refreshes_instead_of_asking_for_a_relaunch(
        stack: Stack, epic: SandboxProcess) -> None:
    """Issue 15 item 2: Epic advertises only permission-offline. A customer who accepts offline_access
    (registration sandbox-epic-offline) gets an approval after the access token's life refreshed and
    sent, with no "Launch RevRX again"; the default Epic registration asks for the relaunch instead."""
    launcher, landing = _launch(stack, epic, "e056", "sandbox-epic-offline")
    first = launcher.latest_launch()
    assert "offline_access" in first.scope.split() and first.refresh_token
    user = _as_user(stack, launcher)
    _accept_one(user, landing)
    requests.post(f"{epic.base_url}/_admin/faults", json={"expire_tokens": True}, timeout=10).raise_for_status()
    before = len(_resources(epic, "DocumentReference"))
    done = user.approve(encounter_path(landing))
    assert 'data-testid="writeback-success"' in done.text and "Launch RevRX again" not in done.text, done.text[:800]
    assert len(_resources(epic, "DocumentReference")) == before + 1
    assert launcher.latest_launch().access_token != first.access_token, "refreshed"
