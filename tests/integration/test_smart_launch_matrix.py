"""The SMART launch matrix against the sandbox EHR, over real HTTP between real processes:
{EHR launch, standalone launch} × {public, symmetric, asymmetric RS384, asymmetric ES384} client.

Each launch must end on the encounter's review page with coding done (so the access token really read
the EHR), a LaunchSession for the registration that was launched, the granted scopes (write scope
included), and the signed-in person's name from the id_token in the header. Standalone launches go
through the sandbox's sign-in and patient picker; half of them pick the encounter there
(`launch/encounter`), the other half leave it empty and pick it in RevRX's own encounter picker.
"""

from __future__ import annotations

import re

import pytest

from devstack.app_client import AppUser
from devstack.processes import Stack
from devstack.smart_launcher import Launcher

pytestmark = pytest.mark.integration

CLIENTS = {
    "public": "sandbox-public",
    "symmetric": "sandbox",
    "asymmetric-rs384": "sandbox-rs384",
    "asymmetric-es384": "sandbox-es384",
}
EHR_ENCOUNTERS = {"public": "e030", "symmetric": "e031", "asymmetric-rs384": "e032", "asymmetric-es384": "e033"}
STANDALONE = {  # encounter, and who picks it: the EHR's picker or RevRX's
    "public": ("e034", "ehr"), "symmetric": ("e035", "app"),
    "asymmetric-rs384": ("e036", "app"), "asymmetric-es384": ("e037", "ehr"),
}


def _assert_coded(stack: Stack, launcher: Launcher, landing_url: str, html: str, registration: str) -> None:
    assert re.search(r"/encounters/\d+$", landing_url), landing_url
    user = AppUser(stack)
    user.http = launcher.http
    done = user.wait_for_coding(landing_url)
    assert 'class="suggestion' in done, "coding read the note through the launch's token"
    row = launcher.latest_launch()
    assert row.registration_id == registration
    assert "user/Claim.c" in row.scopes and row.refresh_token
    # The id_token's `name` (profile scope) shows who is signed in, not an id.
    assert re.search(r'class="who"[^>]*>Dr\. [A-Z]', html), "the header names the practitioner"


@pytest.mark.parametrize("kind", list(CLIENTS))
def test_ehr_launch(stack: Stack, kind: str) -> None:
    launcher = Launcher(stack)
    landing = launcher.ehr_launch(EHR_ENCOUNTERS[kind], client=CLIENTS[kind])
    assert landing.status_code == 200, landing.text[:300]
    _assert_coded(stack, launcher, landing.url, landing.text, CLIENTS[kind])
    assert launcher.latest_launch().encounter_id == EHR_ENCOUNTERS[kind]


@pytest.mark.parametrize("kind", list(CLIENTS))
def test_standalone_launch(stack: Stack, kind: str) -> None:
    launcher = Launcher(stack)
    encounter, picker = STANDALONE[kind]
    patient = launcher.patient_of(encounter)
    landing = launcher.standalone(CLIENTS[kind], practitioner="pr003", patient=patient,
                                  encounter=encounter if picker == "ehr" else "")
    assert landing.status_code == 200, landing.text[:300]
    if picker == "app":
        assert "/launch/encounters?launch=" in landing.url, "a patient without an encounter: RevRX asks which one"
        assert encounter in launcher.choices(landing)
        assert launcher.latest_launch().encounter_id is None
        landing = launcher.choose_encounter(landing, encounter)
        assert landing.status_code == 200, landing.text[:300]
    _assert_coded(stack, launcher, landing.url, landing.text, CLIENTS[kind])
    row = launcher.latest_launch()
    assert row.patient_id == patient and row.encounter_id == encounter
    assert "launch/patient" in row.scopes and "launch" not in row.scopes


def test_asymmetric_keys_were_generated_and_published(stack: Stack) -> None:
    """Dev keys are made on first use under the instance folder and served as a public JWKS."""
    import requests

    jwks = requests.get(f"{stack.app_url}/.well-known/jwks.json", timeout=10)
    assert jwks.status_code == 200 and "max-age" in jwks.headers["Cache-Control"]
    algs = {k["alg"] for k in jwks.json()["keys"]}
    assert {"RS384", "ES384"} <= algs
    assert all("d" not in k for k in jwks.json()["keys"]), "never a private part"
    assert (stack.instance_dir / "keys" / "sandbox-rs384.json").exists()
    assert (stack.instance_dir / "keys" / "sandbox-es384.json").exists()
