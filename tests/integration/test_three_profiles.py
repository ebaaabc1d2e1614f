"""Launch → read → code → write-back against each sandbox profile (issue 15 item 12): the generic
sandbox (a Claim), Epic (the coding summary note, DocumentReference) and Oracle Health (encounter
diagnoses as Conditions), each through its own registration in launch.json, over real HTTP. One test,
three profiles, so a change that breaks one vendor's path fails here beside the others."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from devstack.app_client import encounter_path
from devstack.processes import Stack
from devstack.sandbox_process import SandboxProcess, vendor_sandbox_running
from tests.integration.test_vendor_launch import _accept_one, _as_user, _launch

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Ehr:
    base_url: str


@pytest.fixture(scope="module")
def vendors(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SandboxProcess]]:
    with vendor_sandbox_running(stack, "epic", tmp_path_factory.mktemp("epic3")) as epic, \
            vendor_sandbox_running(stack, "oracle", tmp_path_factory.mktemp("oracle3")) as oracle:
        yield {"epic": epic, "oracle": oracle}


def written(base_url: str, rtype: str, encounter: str) -> list[dict[str, Any]]:
    """What RevRX wrote for this EHR encounter (our identifiers begin revrx-<encounter>-)."""
    found = requests.get(f"{base_url}/_admin/resources/{rtype}", timeout=10).json()
    return [r for r in found if any(str(i.get("value", "")).startswith(f"revrx-{encounter}-")
                                    for i in r.get("identifier", []))]


@pytest.mark.parametrize(("profile", "registration", "encounter", "rtype"), [
    ("generic", "sandbox", "e032", "Claim"),
    ("epic", "sandbox-epic", "e034", "DocumentReference"),
    ("oracle", "sandbox-oracle", "e036", "Condition"),
])
def test_launch_read_code_and_write_back(stack: Stack, vendors: dict[str, SandboxProcess], profile: str,
                                         registration: str, encounter: str, rtype: str) -> None:
    ehr = Ehr(stack.sandbox_url) if profile == "generic" else vendors[profile]
    launcher, landing = _launch(stack, ehr, encounter, registration)   # type: ignore[arg-type]
    assert launcher.latest_launch().registration_id == registration
    user = _as_user(stack, launcher)
    _accept_one(user, landing, diagnosis=True)
    done = user.approve(encounter_path(landing), {"without_service_line": "yes"})
    assert 'data-testid="writeback-success"' in done.text, done.text[:800]
    assert written(ehr.base_url, rtype, encounter), f"{profile} got a {rtype}"
    for other in {"Claim", "DocumentReference", "Condition"} - {rtype} - ({"DocumentReference"} if profile == "oracle"
                                                                         else set()):
        assert not written(ehr.base_url, other, encounter), f"{profile} got no {other}"
