"""Launch context as different EHRs send it, over real HTTP: the patient banner shown or hidden as
`need_patient_banner` says, an EHR launch that gives a patient but no encounter (the user picks one),
and an encounter that arrives only as a SMART 2.x `fhirContext` reference."""

from __future__ import annotations

import pytest

from devstack.app_client import AppUser
from devstack.processes import Stack
from devstack.smart_launcher import Launcher

pytestmark = pytest.mark.integration


def _reviewed(stack: Stack, launcher: Launcher, url: str) -> str:
    user = AppUser(stack)
    user.http = launcher.http
    user.wait_for_coding(url)
    return launcher.http.get(url, timeout=30).text


@pytest.mark.parametrize(("banner", "encounter"), [(True, "e056"), (False, "e057")])
def test_patient_banner_follows_need_patient_banner(launcher: Launcher, stack: Stack, banner: bool,
                                                    encounter: str) -> None:
    launcher.context({"need_patient_banner": banner})
    landing = launcher.ehr_launch(encounter)
    page = _reviewed(stack, launcher, landing.url)
    assert ('data-testid="patient-banner"' in page) is banner
    assert launcher.latest_launch().need_patient_banner is banner


def test_ehr_launch_with_a_patient_but_no_encounter(launcher: Launcher, stack: Stack) -> None:
    launcher.context({"encounter": "omit"})
    picker = launcher.ehr_launch("e010", client="sandbox-public")
    assert "/launch/encounters?launch=" in picker.url, picker.url
    choices = launcher.choices(picker)
    assert "e010" in choices and len(choices) >= 1
    patient = launcher.patient_of("e010")
    assert all(launcher.patient_of(c) == patient for c in choices), "only this patient's encounters"
    landing = launcher.choose_encounter(picker, "e010")
    assert "/encounters/" in landing.url and launcher.latest_launch().encounter_id == "e010"


def test_encounter_only_in_fhir_context(launcher: Launcher, stack: Stack) -> None:
    launcher.context({"encounter": "fhirContext"})
    landing = launcher.ehr_launch("e028", client="sandbox-post")
    assert "/encounters/" in landing.url, landing.url
    row = launcher.latest_launch()
    assert row.encounter_id == "e028" and row.context["fhirContext"] == [{"reference": "Encounter/e028"}]
    assert row.registration_id == "sandbox-post"


def test_picker_refuses_another_patients_encounter(launcher: Launcher, stack: Stack) -> None:
    launcher.context({"encounter": "omit"})
    picker = launcher.ehr_launch("e029")
    other = "e013"
    assert launcher.patient_of(other) != launcher.patient_of("e029")
    before = launcher.counts()
    refused = launcher.choose_encounter(picker, other, offered=False)   # a forged form
    assert refused.status_code == 404 and "does not belong to the patient" in refused.text
    assert launcher.counts() == before and launcher.latest_launch().encounter_id is None
