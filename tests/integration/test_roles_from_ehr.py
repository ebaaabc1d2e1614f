"""Roles come from the EHR (issue 16 item 3), against the real sandbox EHR and app: the seeded coder
signing in standalone can add a connection; a doctor signing in the same way is a clinician, and the
connections page says why it offers no form and names the administrator to ask (the sandbox's coding
manager, an administrator because her PractitionerRole says so); a doctor who also codes holds both
roles."""

from __future__ import annotations

import re

import pytest
import requests

from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter
from devstack.smart_launcher import Launcher

pytestmark = pytest.mark.integration
_WHO = re.compile(r'<span class="who" title="Signed in">([^<]*)</span>')


def _signed_in(stack: Stack, practitioner: str) -> Launcher:
    launcher = Launcher(stack)
    launcher.standalone("sandbox", practitioner=practitioner, patient=SandboxWriter(stack.sandbox_url).new_patient())
    return launcher


def _page(stack: Stack, launcher: Launcher, path: str) -> str:
    response = launcher.http.get(f"{stack.app_url}{path}", timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.text


def test_the_ehr_says_who_codes_and_the_others_learn_whom_to_ask(stack: Stack) -> None:
    coder = _signed_in(stack, "pr101")
    connections = _page(stack, coder, "/connections")
    assert _WHO.findall(connections) == ["Dana Brooks · coder"]
    assert 'data-testid="add-connection"' in connections and 'data-testid="role-needed"' not in connections

    manager = _signed_in(stack, "pr103")
    assert _WHO.findall(_page(stack, manager, "/people")) == ["Grace Whitaker · admin"]

    doctor = _signed_in(stack, "pr001")
    refused = _page(stack, doctor, "/connections")
    assert _WHO.findall(refused) == ["Dr. Sarah Chen · clinician"], "a standalone sign-in no longer makes a coder"
    assert 'data-testid="add-connection"' not in refused
    assert "signed in as clinician" in refused and ">Grace Whitaker</span>" in refused

    both = _signed_in(stack, "pr005")
    assert _WHO.findall(_page(stack, both, "/connections")) == ["Dr. Elena Morales · coder, clinician"]


def test_an_ehr_that_does_not_answer_for_roles_keeps_the_last_ones(stack: Stack) -> None:
    assert _WHO.findall(_page(stack, _signed_in(stack, "pr003"), "/")) == ["Dr. Priya Raman · clinician"]
    faults = f"{stack.sandbox_url}/_admin/faults"
    requests.post(faults, json={"status_500": ["PractitionerRole"]}, timeout=10).raise_for_status()
    try:
        again = _signed_in(stack, "pr003")   # standalone: without the EHR's word the default is coder
    finally:
        requests.delete(faults, timeout=10).raise_for_status()
    assert _WHO.findall(_page(stack, again, "/")) == ["Dr. Priya Raman · clinician"]
