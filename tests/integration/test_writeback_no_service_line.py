"""A Claim with diagnoses but no service line (the E/M rejected) is sent only on an explicit choice:
the preview warns, a confirm without the choice shows the preview again and sends nothing."""

from __future__ import annotations

import pytest
from flask import Flask

from devstack.processes import Stack
from smartapp.extensions import db
from smartapp.models import Decision, Suggestion
from tests.integration.test_writeback_strategies import ehr_app, ours, seed  # noqa: F401 (fixture)
from tests.support.review_data import Browser

pytestmark = pytest.mark.integration


def test_claim_without_service_line_needs_an_explicit_choice(ehr_app: Flask, stack: Stack) -> None:  # noqa: F811
    enc, coder = seed(ehr_app, stack, "wb-charge", "user/Claim.c user/ChargeItem.c patient/Coverage.rs",
                      "e029", "p029")
    with ehr_app.app_context():
        em = db.session.query(Suggestion).filter_by(code="99214").one()
        em.decision, em.decision_reason = Decision.REJECTED, "Not supported by the documentation"
        db.session.commit()
    me = Browser(ehr_app, coder)
    me.page(f"/encounters/{enc}")
    preview = me.get(f"/encounters/{enc}/writeback/preview").get_data(as_text=True)
    assert 'data-testid="no-service-line"' in preview and 'data-testid="send-without-service-line"' in preview
    refused = me.post(f"/encounters/{enc}/approve").get_data(as_text=True)
    assert "Choose one before sending" in refused and ours(stack, "Claim", "e029") == []
    sent = me.approve(enc, {"without_service_line": "yes"})
    assert 'data-testid="writeback-success"' in sent
    claims = ours(stack, "Claim", "e029")
    assert len(claims) == 1 and "item" not in claims[0]
