"""Organisations in a real browser (issue 17, "Done when"): a coder who belongs to two organisations —
their own, which their EHR sign-in puts them in, and one that invited them by EHR identity before they
ever signed in — picks the organisation in the header, and the queue shows that organisation's work
only; another organisation's encounter, opened by URL, does not exist for them."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from devstack.api_client import ApiUser, backend_connection, flask_cli, sync
from devstack.processes import Stack
from devstack.sandbox_copies import SandboxWriter

pytestmark = pytest.mark.browser


def _organisation_with_one_encounter(stack: Stack, sandbox: SandboxWriter, admin: ApiUser) -> tuple[str, int]:
    """Its administrator syncs one fresh encounter through the organisation's own (shared) connection."""
    patient, (encounter,) = sandbox.fresh_encounters(1)
    connection = backend_connection(admin, stack, name="Shared backend")
    assert connection["sharing"] == "organization"
    assert sync(admin, connection["id"], patient_ids=[patient])["status"] == "COMPLETE"
    row = admin.get("/encounters", fhir_encounter_id=encounter).json()["items"][0]
    return encounter, int(row["id"])


def test_switching_organisation_changes_what_the_queue_shows(stack: Stack, page: Page) -> None:
    sandbox = SandboxWriter(stack.sandbox_url)
    fhir = f"{stack.sandbox_url}/fhir"
    home_admin = ApiUser(stack, issuer=fhir, role="admin")            # the sandbox EHR's organisation
    south_name = f"Clinic South {uuid.uuid4().hex[:6]}"
    south_admin = ApiUser(stack, organization=south_name, role="admin")
    home_encounter, _ = _organisation_with_one_encounter(stack, sandbox, home_admin)
    south_encounter, south_id = _organisation_with_one_encounter(stack, sandbox, south_admin)

    # A new coder at the sandbox EHR; Clinic South invites them by EHR identity before their first sign-in.
    practitioner = sandbox.create({"resourceType": "Practitioner", "active": True,
                                   "name": [{"family": "Twofold", "given": ["Robin"]}]})
    south_org = flask_cli(stack, "organization-id", str(south_admin.user_id))
    home_org = flask_cli(stack, "organization-id", str(home_admin.user_id))
    assert flask_cli(stack, "add-member", south_org, "--fhir-user", f"{fhir}/Practitioner/{practitioner}",
                     "--role", "coder") == "invited"

    page.goto(f"{stack.app_url}/launch?registration=sandbox")   # a standalone sign-in: a coder by default
    page.get_by_test_id("pick-practitioner").select_option(practitioner)
    page.get_by_test_id("approve").click()
    page.wait_for_url(f"{stack.app_url}/**")
    page.goto(f"{stack.app_url}/")
    switcher = page.locator("#org-switch")
    expect(switcher).to_be_visible()
    expect(page.get_by_test_id(f"queue-row-{home_encounter}")).to_be_visible()
    expect(page.get_by_test_id(f"queue-row-{south_encounter}")).to_have_count(0)

    switcher.select_option(label=south_name)   # submits by itself
    page.wait_for_url(f"{stack.app_url}/")
    expect(page.locator("#org-switch")).to_have_value(south_org)
    expect(page.get_by_test_id(f"queue-row-{south_encounter}")).to_be_visible()
    expect(page.get_by_test_id(f"queue-row-{home_encounter}")).to_have_count(0)
    opened = page.goto(f"{stack.app_url}/encounters/{south_id}")
    assert opened is not None and opened.status == 200

    page.locator("#org-switch").select_option(value=home_org)
    page.wait_for_url(f"{stack.app_url}/")
    expect(page.get_by_test_id(f"queue-row-{home_encounter}")).to_be_visible()
    expect(page.get_by_test_id(f"queue-row-{south_encounter}")).to_have_count(0)
    hidden = page.goto(f"{stack.app_url}/encounters/{south_id}")
    assert hidden is not None and hidden.status == 404, "Clinic South's encounter while the home one is active"
    page.console_errors.clear()  # type: ignore[attr-defined]   # the 404 above was asked for

