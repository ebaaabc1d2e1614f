"""Two launches in one embedded browser (Hyperspace and PowerChart host several app instances sharing
one cookie), issue 15 item 4: each page acts for the launch it was opened by. A picker opened for
patient A chooses A's encounter under A's launch even after a later launch for patient B in the same
browser; a choice posted with B's launch for A's encounter is refused; a choice that names no launch is
refused rather than applied to whichever launch came last. (A form signed before another launch's sign-in
rotated the session is refused as expired; reloading the page keeps its launch.)"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from devstack.processes import Stack
from devstack.smart_launcher import Launcher
from smartapp.models import Encounter

pytestmark = pytest.mark.integration

_LAUNCH = re.compile(r'name="launch" value="(\d+)"')
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _launch_of(picker_html: str) -> str:
    found = _LAUNCH.search(picker_html)
    assert found, "the picker names its launch"
    return found.group(1)


def test_a_picker_acts_for_its_own_launch_after_another_launch_in_the_same_browser(
        launcher: Launcher, stack: Stack) -> None:
    patient_a, patient_b = launcher.patient_of("e050"), launcher.patient_of("e052")
    assert patient_a != patient_b
    picker_a = launcher.standalone("sandbox-public", practitioner="pr001", patient=patient_a)
    launch_a = _launch_of(picker_a.text)
    assert "e050" in launcher.choices(picker_a)
    picker_b = launcher.standalone("sandbox-public", practitioner="pr001", patient=patient_b)
    launch_b = _launch_of(picker_b.text)
    assert launch_a != launch_b and "e050" not in launcher.choices(picker_b)

    # Back in tab A (same cookie, now naming launch B). Its old form was signed before B's sign-in
    # rotated the session: refused, nothing opened. Reloaded, the page still shows patient A (its URL
    # names launch A) and its choice acts for A.
    stale = launcher.choose_encounter(picker_a, "e050")
    assert stale.status_code == 400
    picker_a = launcher.http.get(picker_a.url, timeout=60)
    assert _launch_of(picker_a.text) == launch_a and "e050" in launcher.choices(picker_a)
    opened = launcher.choose_encounter(picker_a, "e050")
    assert opened.status_code == 200 and re.search(r"/encounters/\d+$", opened.url), opened.text[:300]
    with launcher.db() as s:
        enc = s.scalar(select(Encounter).where(Encounter.fhir_encounter_id == "e050",
                                               Encounter.source_system == f"{stack.sandbox_url}/fhir"))
        assert enc is not None and enc.fhir_patient_id == patient_a
        assert str(enc.launch_session_id) == launch_a


def test_a_choice_under_another_patients_launch_or_no_launch_is_refused(launcher: Launcher) -> None:
    patient_a, patient_b = launcher.patient_of("e054"), launcher.patient_of("e056")
    picker_a = launcher.standalone("sandbox-public", practitioner="pr001", patient=patient_a)
    picker_b = launcher.standalone("sandbox-public", practitioner="pr001", patient=patient_b)
    picker_a = launcher.http.get(picker_a.url, timeout=60)
    csrf = _CSRF.search(picker_b.text)
    assert csrf is not None
    crossed = launcher.http.post(f"{launcher.stack.app_url}/launch/encounters", timeout=60, data={
        "csrf_token": csrf.group(1), "launch": _launch_of(picker_b.text), "encounter": "e054"})
    assert crossed.status_code == 404 and "does not belong to the patient" in crossed.text
    unnamed = launcher.http.post(f"{launcher.stack.app_url}/launch/encounters", timeout=60, data={
        "csrf_token": csrf.group(1), "encounter": "e054"})
    assert unnamed.status_code == 400
    assert "e054" in launcher.choices(picker_a)
