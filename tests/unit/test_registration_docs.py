"""docs/ehr-registration.md per vendor (issue 15 item 13): the registration steps, the scopes, the write-back,
what the customer configures and the go-live checklist are all there, and the scopes the page tells an
integrator to register are exactly the ones launch.json asks for (so the page cannot drift from the app)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "ehr-registration.md").read_text()
REGISTRATIONS = {r["id"]: r for r in json.loads((ROOT / "launch.json").read_text())["registrations"]}


def section(title: str) -> str:
    start = DOC.index(f"\n## {title}")
    end = DOC.find("\n## ", start + 4)
    return DOC[start:end if end > 0 else None]


@pytest.mark.parametrize(("title", "registration"),
                         [("Epic", "epic-sandbox"), ("Oracle Health", "oracle-health-sandbox")])
def test_each_vendor_section_lists_the_scopes_launch_json_asks_for(title: str, registration: str) -> None:
    text = section(title)
    listed = set(re.findall(r"`((?:patient|user)/[A-Za-z]+\.(?:read|write))`", text))
    wanted = {s for s in REGISTRATIONS[registration]["scopes"] if "/" in s}
    assert listed == wanted
    assert re.search(r"^\d+\. ", text, re.MULTILINE), "numbered registration steps"
    assert "Write-back" in text and "What the customer configures" in text


def test_epic_registration_names_its_id_scheme_and_its_separate_keys() -> None:
    text = section("Epic")
    assert "FHIR ID generation scheme" in text
    assert "non-production and production client ids and keys" in text


def test_the_go_live_checklist_covers_both_vendors_sandboxes() -> None:
    checklist = section("Go-live checklist")
    assert "Epic" in checklist and "Oracle" in checklist and "tests/data/vendors" in checklist
