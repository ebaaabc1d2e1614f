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

import pytest
import requests
from sqlalchemy import select

from devstack.app_client import AppUser
from devstack.processes import Stack
from devstack.sandbox_process import SandboxProcess, vendor_sandbox_running
from devstack.smart_launcher import Launcher
from sandbox.profiles import ORACLE_TENANT
from smartapp.models import User

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def epic(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with vendor_sandbox_running(stack, "epic", tmp_path_factory.mktemp("epic")) as proc:
        yield proc


@pytest.fixture(scope="module")
def oracle(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    with vendor_sandbox_running(stack, "oracle", tmp_path_factory.mktemp("oracle")) as proc:
        yield proc


def _launch(stack: Stack, ehr: SandboxProcess, encounter: str, registration: str) -> tuple[Launcher, str]:
    launcher = Launcher(stack)
    landing = launcher.http.get(f"{ehr.base_url}/ehr/launch/{encounter}", params={"client": registration},
                                timeout=60)
    assert landing.status_code == 200, landing.text[:400]
    assert re.search(r"/encounters/\d+$", landing.url), landing.url
    user = AppUser(stack)
    user.http = launcher.http
    done = user.wait_for_coding(landing.url)
    assert 'class="suggestion' in done, "coding read the note through the vendor-shaped EHR"
    return launcher, landing.text


def _user(launcher: Launcher, user_id: int) -> User:
    with launcher.db() as s:
        found = s.scalar(select(User).where(User.id == user_id))
        assert found is not None
        return found


def test_epic_launch_checks_the_oauth_issuer_and_keeps_it_apart_from_the_fhir_base(
        stack: Stack, epic: SandboxProcess) -> None:
    discovered = requests.get(f"{epic.fhir_base}/.well-known/smart-configuration", timeout=10).json()
    assert discovered["issuer"] == f"{epic.base_url}/oauth2"
    launcher, html = _launch(stack, epic, "e040", "sandbox-epic")
    row = launcher.latest_launch()
    assert row.registration_id == "sandbox-epic" and row.issuer == epic.fhir_base
    granted = row.scope.split()
    assert "user/DocumentReference.write" in granted and "user/Claim.write" not in granted
    assert "online_access" not in granted and not row.refresh_token
    who = _user(launcher, row.user_id)
    assert who.oidc_issuer == f"{epic.base_url}/oauth2" and who.oidc_subject
    assert who.issuer == epic.fhir_base and who.fhir_user.startswith(epic.fhir_base + "/Practitioner/")
    assert re.search(r'class="who"[^>]*>Dr\. [A-Z]', html), "the header names the practitioner"


def test_a_second_epic_launch_is_the_same_person(stack: Stack, epic: SandboxProcess) -> None:
    first, _ = _launch(stack, epic, "e041", "sandbox-epic")
    second, _ = _launch(stack, epic, "e042", "sandbox-epic")
    assert first.latest_launch().user_id == second.latest_launch().user_id


def test_epic_offers_no_claim_and_no_composition(epic: SandboxProcess) -> None:
    cap = requests.get(f"{epic.fhir_base}/metadata", timeout=10).json()
    types = {r["type"]: {i["code"] for i in r["interaction"]} for r in cap["rest"][0]["resource"]}
    assert "Claim" not in types and "Composition" not in types and "ChargeItem" not in types
    assert "create" in types["DocumentReference"] and "create" not in types["Condition"]


def test_oracle_launch_accepts_the_tenant_idsp_issuer_by_prefix(stack: Stack, oracle: SandboxProcess) -> None:
    launcher, _ = _launch(stack, oracle, "e043", "sandbox-oracle")
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
