"""The sandbox EHR's home page finds a patient without scrolling (issue 16 item 5): ten patients a page,
a search over names, MRNs, birth dates, encounter ids, reasons and providers; and the sign-in page says
what each person does at the clinic (their PractitionerRole), so a tester knows whom to sign in as."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sandbox.app import create_app
from sandbox.db import connect
from sandbox.seed import add_missing_staff, people
from sandbox.store import ResourceStore

BASE = "http://ehr.test"


def _client(template_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = tmp_path / "sandbox.db"
    shutil.copy(template_db, db)
    return create_app(str(db), BASE).test_client()


def test_patients_come_in_pages_and_a_search_finds_one(template_db: Path, tmp_path: Path) -> None:
    client = _client(template_db, tmp_path)
    first = client.get("/").get_data(as_text=True)
    assert len(re.findall(r'<section class="panel" data-testid="patient-', first)) == 10
    assert 'data-testid="next-patients"' in first and "Page 1 of" in first
    found = client.get("/?q=e067").get_data(as_text=True)
    assert 'data-testid="launch-e067"' in found and "(1)" in found
    by_name = client.get("/?q=chen").get_data(as_text=True)
    assert "Dr. Sarah Chen" in by_name and 'data-testid="next-patients"' in by_name, "her patients, paged"
    assert 'data-testid="no-patients"' in client.get("/?q=nobody-like-this").get_data(as_text=True)


def test_the_clinic_has_coders_a_manager_and_a_doctor_who_codes(template_db: Path, tmp_path: Path) -> None:
    client = _client(template_db, tmp_path)
    roles = client.get("/fhir/PractitionerRole?practitioner=pr005")
    assert roles.status_code == 401, "a PractitionerRole is read with a token like any resource"
    store = ResourceStore(connect(str(tmp_path / "sandbox.db")))
    held = {(str(r["practitioner"]["reference"]), r["code"][0]["coding"][0]["code"])
            for r in store.all_of_type("PractitionerRole")}
    assert ("Practitioner/pr101", "coder") in held and ("Practitioner/pr103", "coding-manager") in held
    assert {("Practitioner/pr005", "doctor"), ("Practitioner/pr005", "coder")} <= held
    assert {pid for pid, *_ in people.PRACTITIONERS} <= {ref.rpartition("/")[2] for ref, _ in held}


def test_a_sandbox_seeded_before_the_coders_gets_them_at_start(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    shutil.copy(template_db, db)
    conn = connect(str(db))
    conn.execute("DELETE FROM resources WHERE type = 'PractitionerRole' OR id IN ('pr101', 'pr102', 'pr103')")
    conn.close()
    create_app(str(db), BASE)   # what `make run` does with the existing instance
    store = ResourceStore(connect(str(db)))
    assert store.get("Practitioner", "pr101") is not None and store.get("PractitionerRole", "role-pr101")
    assert add_missing_staff(str(db)) == 0, "nothing twice"


def test_finish_a_new_visit_makes_a_visit_of_today(template_db: Path, tmp_path: Path) -> None:
    """"Finish a new visit" on the patient list is a visit that happened today (a coder looks for it at the
    top of a queue sorted newest first), not one dated like the encounter it was copied from."""
    from datetime import UTC, datetime
    from urllib.parse import parse_qs, urlsplit

    client = _client(template_db, tmp_path)
    answer = client.post("/ehr/encounter/e010/finish-new-visit")
    new_id = parse_qs(urlsplit(answer.headers["Location"]).query)["finished"][0]
    with connect(str(tmp_path / "sandbox.db")) as conn:
        store = ResourceStore(conn)
        made, original = store.get("Encounter", new_id), store.get("Encounter", "e010")
    assert made is not None and original is not None and made["status"] == "finished"
    today = datetime.now(UTC).date().isoformat()
    assert made["period"]["start"][:10] == today and made["period"]["end"][:10] == today
    assert made["period"]["start"] <= made["period"]["end"]
    assert original["period"]["start"][:10] != today, "the seeded visit it copies is an older one"


def test_a_new_visit_finished_just_after_midnight_is_dated_today() -> None:
    # Found by CI at 00:20 UTC: a copied one-hour visit "started" the day before (the test above failed).
    from datetime import UTC, datetime

    from sandbox.ehr_events import started_now

    now = datetime(2026, 12, 8, 0, 20, tzinfo=UTC)
    period = {"start": "2025-03-01T09:00:00+00:00", "end": "2025-03-01T10:00:00+00:00"}
    assert started_now(period, now)["start"] == "2026-12-08T00:00:00+00:00"
    assert started_now(period, datetime(2026, 12, 8, 15, 0, tzinfo=UTC))["start"] == "2026-12-08T14:00:00+00:00"
