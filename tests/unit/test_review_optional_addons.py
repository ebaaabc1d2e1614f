"""Optional add-ons (G2211) are shown but never accepted by "Accept all"; low-confidence codes are
visibly "to check" (issue 14 items 4-5)."""

from __future__ import annotations

import pytest
from flask import Flask

from smartapp.extensions import db
from smartapp.models import Decision, Suggestion
from tests.support.review_data import Browser, Seeded

pytestmark = pytest.mark.db


def _add(app: Flask, seeded: Seeded, **fields: object) -> int:
    with app.app_context():
        row = Suggestion(run_id=seeded.run_id, **fields)
        db.session.add(row)
        db.session.commit()
        return row.id


def test_accept_all_leaves_the_optional_add_on_for_the_person(app: Flask, seeded: Seeded) -> None:
    addon = _add(app, seeded, system="http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets", code="G2211",
                 display="Visit complexity add-on", category="em", rank=4, confidence=0.4,
                 rationale="chronic conditions", hint="Optional: add only if you are the focal point of care")
    me = Browser(app, seeded.users["coder"])
    html = me.page(f"/encounters/{seeded.encounter_id}")
    assert 'data-testid="optional-G2211"' in html and 'data-testid="to-check-G2211"' in html
    assert 'data-testid="to-check-E11.9"' not in html
    assert me.post(f"/encounters/{seeded.encounter_id}/accept-all").status_code == 200
    with app.app_context():
        decisions = {s.code: s.decision for s in db.session.query(Suggestion).filter_by(run_id=seeded.run_id)}
        assert decisions["E11.9"] == Decision.ACCEPTED and decisions["99213"] == Decision.ACCEPTED
        assert decisions["G2211"] == Decision.PENDING
        assert db.session.get(Suggestion, addon) is not None
