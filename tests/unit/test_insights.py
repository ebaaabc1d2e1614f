"""The coding insights page, its CSV downloads and `GET /api/v1/insights`: the organisation's
acceptance numbers as a coding manager would read them, scoped by the access rule, with small counts
suppressed and typed reasons never shown."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from smartapp.api.auth import create_token
from smartapp.extensions import db
from smartapp.models import (
    ClaimSubmission,
    CodingRun,
    Decision,
    Encounter,
    EncounterStatus,
    Organization,
    RunStatus,
    SubmissionStatus,
    Suggestion,
    User,
)
from tests.support.review_data import ISS, Browser, Seeded

pytestmark = pytest.mark.db
NOW = datetime.now(UTC)


def _encounter(org_id: int, key: str, *, engine: str = "local", written_back: bool = False) -> CodingRun:
    enc = Encounter(organization_id=org_id, source_system=ISS, fhir_encounter_id=key, status=EncounterStatus.READY)
    db.session.add(enc)
    db.session.flush()
    run = CodingRun(encounter_id=enc.id, status=RunStatus.COMPLETE, engine=engine, finished_at=NOW - timedelta(hours=2))
    db.session.add(run)
    db.session.flush()
    if written_back:
        db.session.add(ClaimSubmission(encounter_id=enc.id, run_id=run.id, idempotency_key=f"k-{key}",
                                       status=SubmissionStatus.CREATED, created_at=NOW - timedelta(hours=1)))
    return run


def _decide(run: CodingRun, code: str, decision: Decision, coder: int, *, reason: str | None = None,
            original: str | None = None) -> None:
    db.session.add(Suggestion(run_id=run.id, system="icd", code=code, original_code=original, category="diagnosis",
                              decision=decision, decision_reason=reason, decided_by_id=coder,
                              decided_at=NOW - timedelta(minutes=90)))


def _history(app: Flask, seeded: Seeded) -> None:
    """12 encounters: E11.9 accepted 12 times, Z79.899 rejected 6 times (5 with a listed reason, one typed),
    M25.569 changed to M25.561 5 times, I10 accepted 3 times (below the suppression line), J45.909 accepted
    4 times and rejected twice."""
    with app.app_context():
        coder = seeded.users["coder"]
        org = db.session.get(User, coder).organization_id   # type: ignore[union-attr]
        for i in range(12):
            run = _encounter(org, f"h{i}", engine="openai" if i % 2 else "local", written_back=i < 4)
            _decide(run, "E11.9", Decision.ACCEPTED, coder)
            if i < 6:
                _decide(run, "Z79.899", Decision.REJECTED, coder,
                        reason="Not addressed at this visit" if i else "patient says she stopped it in May")
            if i < 5:
                _decide(run, "M25.561", Decision.ACCEPTED, coder, original="M25.569")
            if i < 3:
                _decide(run, "I10", Decision.ACCEPTED, coder)
            if i < 6:
                _decide(run, "J45.909", Decision.ACCEPTED if i < 4 else Decision.REJECTED, coder,
                        reason=None if i < 4 else "Not supported by the documentation")
        other = Organization(name="Elsewhere", issuer="http://elsewhere.test/fhir")
        db.session.add(other)
        db.session.flush()
        stranger = User(organization_id=other.id, issuer=other.issuer, fhir_user="x/Practitioner/1")
        db.session.add(stranger)
        db.session.flush()
        for i in range(7):
            _decide(_encounter(other.id, f"o{i}"), "J44.9", Decision.REJECTED, stranger.id)
        db.session.commit()


def test_the_page_shows_real_charts_for_a_coder(app: Flask, seeded: Seeded) -> None:
    _history(app, seeded)
    html = Browser(app, seeded.users["coder"]).page("/insights")
    assert html.count("<svg class=\"chart\"") >= 8
    assert "Acceptance by code" in html and "E11.9" in html and "100% (12 of 12)" in html
    assert "M25.569 → M25.561" in html                         # the most frequent edit
    assert "Not addressed at this visit" in html and "stopped it" not in html   # typed reasons never shown
    assert "J44.9" not in html                                  # another organisation's decisions
    assert "Not shown, fewer than 5 decisions each: codes, 1." in html and "67% of 6" in html
    assert "Z79.899" in html and "shows it lower" in html       # the learned rule, explained
    assert 'data-testid="reset-learning"' not in html           # coders cannot reset


def test_csv_and_api_carry_the_same_numbers_with_small_counts_suppressed(app: Flask, seeded: Seeded) -> None:
    _history(app, seeded)
    me = Browser(app, seeded.users["coder"])
    rows = list(csv.reader(io.StringIO(me.client.get("/insights/by-code.csv").get_data(as_text=True))))
    assert rows[0] == ["code", "decided", "accepted", "of which edited", "rejected", "acceptance rate"]
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["E11.9"][1:] == ["12", "12", "0", "0", "1.0"]
    assert "I10" not in by_code                                 # 3 decisions: the code is not shown at all
    assert by_code["J45.909"][1:] == ["6", "<5", "0", "<5", "0.667"]   # small counts inside a row: "<5"
    with app.app_context():
        token = create_token(db.session, db.session.get(User, seeded.users["coder"]))   # type: ignore[arg-type]
        db.session.commit()
    api = app.test_client().get("/api/v1/insights/by-code", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    assert {r[0]: r for r in api.get_json()["rows"]}["E11.9"] == ["E11.9", 12, 12, 0, 0, 1.0]
    everything = app.test_client().get("/api/v1/insights?days=30", headers={"Authorization": f"Bearer {token}"})
    body = everything.get_json()
    assert {c["id"] for c in body["charts"]} >= {"by-engine", "by-source", "by-coder", "waiting", "time-to-writeback"}
    assert body["learning"]["usually_rejected"][0]["code"] == "Z79.899"
    bad = app.test_client().get("/api/v1/insights?days=3", headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 422


def test_clinicians_and_read_only_staff_do_not_see_insights(app: Flask, seeded: Seeded) -> None:
    for role in ("clinician", "read_only"):
        me = Browser(app, seeded.users[role])
        assert me.client.get("/insights").status_code == 403
        assert me.client.get("/insights/by-code.csv").status_code == 403
        assert "Insights</a>" not in me.page("/")


def test_only_an_administrator_resets_learning(app: Flask, seeded: Seeded) -> None:
    _history(app, seeded)
    coder = Browser(app, seeded.users["coder"])
    coder.page("/insights")
    assert coder.client.post("/insights/learning/reset", data={"csrf_token": coder.csrf}).status_code in (400, 403)
    admin = Browser(app, seeded.users["admin"])
    html = admin.page("/insights")
    token = html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = admin.client.post("/insights/learning/reset", data={"csrf_token": token}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert 'data-testid="reset-done"' in text and 'data-testid="nothing-learned"' in text
    assert "E11.9" in text                                      # the charts keep every decision
