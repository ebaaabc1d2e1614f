"""A coder's whole day in the work queue (issue 16 item 5): patients by name and date of birth, newest
visit first with a choice of order, filters and page kept in the URL, select every row on the page,
and "all N matching the filter" reaching encounters on other pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from smartapp.extensions import db
from smartapp.models import Encounter, EncounterStatus
from tests.support.review_data import Browser, Seeded

pytestmark = pytest.mark.db


def _many(app: Flask, seeded: Seeded, count: int = 30) -> None:
    with app.app_context():
        first = db.session.get(Encounter, seeded.encounter_id)
        assert first is not None
        for n in range(count):
            db.session.add(Encounter(
                organization_id=first.organization_id, source_system=first.source_system, fhir_encounter_id=f"q{n:03d}",
                fhir_patient_id=f"pq{n:03d}", date_of_service=date(2030, 1, 1) + timedelta(days=n),
                patient_label=f"Ada Lovelace{n} · Female · born 1970-02-{n % 28 + 1:02d} · MRN E{n}",
                provider_name="Dr Odd" if n % 2 else "Dr Even", status=EncounterStatus.READY))
        db.session.commit()


def test_patients_by_name_newest_visit_first_and_a_choice_of_order(app: Flask, seeded: Seeded) -> None:
    _many(app, seeded)
    coder = Browser(app, seeded.users["coder"])
    html = coder.page("/")
    rows = html.split('data-testid="queue-row-')[1:]
    assert rows[0].startswith("q029") and rows[1].startswith("q028"), "newest date of service first"
    assert "Ada Lovelace29" in rows[0] and "born 1970-02-02" in rows[0]
    assert "pq029" not in rows[0].split("</tr>")[0], "the name, not the FHIR id"
    oldest = coder.page("/?sort=date_of_service")
    assert oldest.index('queue-row-q000"') < oldest.index('queue-row-q001"')
    assert '<option value="date_of_service" selected>' in oldest
    second = coder.page("/?provider=Odd&page=2&per_page=5")
    assert 'name="provider" value="Odd"' in second and "page 2 of 3" in second, "filters and page stay in the URL"
    assert 'data-testid="select-page"' in html


def test_all_matching_the_filter_reaches_every_page(app: Flask, seeded: Seeded) -> None:
    _many(app, seeded)
    coder = Browser(app, seeded.users["coder"])
    html = coder.page("/?provider=Odd&per_page=5")
    assert "all 15 encounters matching the filter" in html
    done = coder.post("/queue/approve?provider=Odd&per_page=5", {"all_matching": "yes"})
    assert done.status_code == 200
    assert "15 encounters queued for approval" in done.get_data(as_text=True)
    with app.app_context():
        approving = db.session.scalars(select(Encounter.fhir_encounter_id)
                                       .where(Encounter.status == EncounterStatus.APPROVING)).all()
    assert sorted(approving) == [f"q{n:03d}" for n in range(1, 30, 2)], "only the filter's, on every page"


def test_without_all_matching_only_the_ticked_rows_are_approved(app: Flask, seeded: Seeded) -> None:
    _many(app, seeded, count=3)
    coder = Browser(app, seeded.users["coder"])
    coder.page("/")
    with app.app_context():
        one = db.session.scalars(select(Encounter.id).where(Encounter.fhir_encounter_id == "q001")).one()
    done = coder.post("/queue/approve", {"ids": str(one)})
    assert "1 encounter queued" in done.get_data(as_text=True)
