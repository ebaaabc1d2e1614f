"""A Claim with diagnoses but no service line (the E/M rejected) is sent only on an explicit choice:
the preview warns, a confirm without the choice shows the preview again and sends nothing; the queue's
"Approve selected" skips it with the reason on the row, and the API refuses it without its flag."""

from __future__ import annotations

import pytest
from flask import Flask

from devstack.processes import Stack
from smartapp.api.auth import create_token
from smartapp.extensions import db
from smartapp.models import Decision, Encounter, EncounterStatus, Suggestion, User
from smartapp.web.runtime import RUNTIME_KEY
from smartapp.writeback.approval import approve_queued, failed_writebacks
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


def _reject_em(app: Flask) -> None:
    with app.app_context():
        em = db.session.query(Suggestion).filter_by(code="99214").one()
        em.decision, em.decision_reason = Decision.REJECTED, "Not supported by the documentation"
        db.session.commit()


def test_approve_selected_skips_a_claim_without_service_line_and_says_why(ehr_app: Flask,  # noqa: F811
                                                                          stack: Stack) -> None:
    """Issue 14 item 4: the bulk action made no choice, so it sends no line-less Claim unseen."""
    enc, coder = seed(ehr_app, stack, "wb-charge", "user/Claim.c patient/Coverage.rs", "e030", "p030")
    _reject_em(ehr_app)
    with ehr_app.app_context():
        encounter, user = db.session.get(Encounter, enc), db.session.get(User, coder)
        assert encounter is not None and user is not None
        encounter.status = EncounterStatus.APPROVING   # as "Approve selected" leaves it for its job
        db.session.commit()
        route = ehr_app.extensions[RUNTIME_KEY].ehr.route(db.session, encounter, user)
        assert approve_queued(db.session, encounter, user, route) == EncounterStatus.READY
        why = failed_writebacks(db.session, [encounter])[enc]
    assert "no visit or procedure line" in why and ours(stack, "Claim", "e030") == []


def test_api_approve_needs_the_explicit_flag_for_a_claim_without_service_line(ehr_app: Flask,  # noqa: F811
                                                                              stack: Stack) -> None:
    enc, coder = seed(ehr_app, stack, "wb-charge", "user/Claim.c patient/Coverage.rs", "e031", "p031")
    _reject_em(ehr_app)
    with ehr_app.app_context():
        user = db.session.get(User, coder)
        assert user is not None
        headers = {"Authorization": f"Bearer {create_token(db.session, user)}"}
        db.session.commit()
    client = ehr_app.test_client()
    refused = client.post(f"/api/v1/encounters/{enc}/approve", headers=headers, json={})
    assert refused.status_code == 409 and "no visit or procedure line" in refused.json["detail"]
    assert ours(stack, "Claim", "e031") == []
    sent = client.post(f"/api/v1/encounters/{enc}/approve", headers=headers, json={"without_service_line": True})
    assert sent.status_code == 200, sent.json
    claims = ours(stack, "Claim", "e031")
    assert len(claims) == 1 and "item" not in claims[0]
