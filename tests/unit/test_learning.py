"""Learning from decisions: a code this organisation's coders usually reject is shown lower and marked
with their reason, a usual edit A → B is offered, nothing is learned from fewer than N decisions or
from another organisation, and an administrator's reset starts learning over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from smartapp.coding.types import CodeSuggestion, CodingResult
from smartapp.extensions import db
from smartapp.insights import feedback
from smartapp.insights.learning import Decided, learn
from smartapp.models import (
    CodingRun,
    Decision,
    Encounter,
    LearningReset,
    Organization,
    RunStatus,
    Suggestion,
)
from smartapp.runs.results import store_result
from tests.support.review_data import ISS, Browser, Seeded

REASON = "Not addressed at this visit"


def test_rules_need_n_decisions_and_a_majority() -> None:
    four = [Decided("Z79.899", "present", False, REASON)] * 4
    assert learn(four, 5).empty                                        # fewer than N teaches nothing
    five = four + [Decided("Z79.899", "present", False, None)]
    rule = learn(five, 5).rejected[("Z79.899", "present")]
    assert (rule.rejected, rule.accepted, rule.reason) == (5, 0, REASON)   # the top reason that was given
    mostly_accepted = five + [Decided("Z79.899", "present", True)] * 6
    assert learn(mostly_accepted, 5).empty                             # rejected 5 of 11: not "usually"
    negated_context = [Decided("Z79.899", "negated", False, REASON)] * 5
    assert ("Z79.899", "present") not in learn(negated_context, 5).rejected   # another context
    edits = [Decided("M25.569", "present", True, chosen="M25.561")] * 5 + [Decided("M25.569", "present", True)]
    offer = learn(edits, 5).chosen[("M25.569", "present")]
    assert (offer.code, offer.times, offer.of) == ("M25.561", 5, 6)


def _decided_run(app: Flask, org_id: int, code: str, decision: Decision, n: int, *, reason: str | None = None,
                 original: str | None = None, when: datetime | None = None) -> None:
    with app.app_context():
        for i in range(n):
            key = f"{code}-{decision}-{i}-{when}"
            enc = Encounter(organization_id=org_id, source_system=ISS, fhir_encounter_id=key)
            db.session.add(enc)
            db.session.flush()
            run = CodingRun(encounter_id=enc.id, status=RunStatus.COMPLETE)
            db.session.add(run)
            db.session.flush()
            db.session.add(Suggestion(run_id=run.id, system="icd", code=code, category="diagnosis", rank=1,
                                      decision=decision, decision_reason=reason, original_code=original,
                                      decided_at=when or datetime.now(UTC)))
        db.session.commit()


def _suggest(code: str, rank: int) -> CodeSuggestion:
    return CodeSuggestion(system="icd", code=code, display=code, category="diagnosis", evidence=(),
                          assertion="present", confidence=0.8, rationale="", rank=rank)


def _code_new_run(app: Flask, seeded: Seeded, codes: list[str]) -> dict[str, Suggestion]:
    with app.app_context():
        enc = db.session.get(Encounter, seeded.encounter_id)
        assert enc is not None
        run = CodingRun(encounter_id=enc.id, status=RunStatus.RUNNING)
        db.session.add(run)
        db.session.flush()
        result = CodingResult([_suggest(c, i) for i, c in enumerate(codes, start=1)], "local", "test")
        store_result(db.session, run, enc, result, warnings=[], timings={})
        rows = {s.code: s for s in run.suggestions}
        for s in rows.values():
            db.session.expunge(s)
        return rows


def _org_id(app: Flask, seeded: Seeded) -> int:
    with app.app_context():
        enc = db.session.get(Encounter, seeded.encounter_id)
        assert enc is not None
        return enc.organization_id


@pytest.mark.db
def test_a_new_run_shows_a_usually_rejected_code_lower_and_says_why(app: Flask, seeded: Seeded) -> None:
    org = _org_id(app, seeded)
    _decided_run(app, org, "Z79.899", Decision.REJECTED, 5, reason=REASON)
    rows = _code_new_run(app, seeded, ["Z79.899", "E11.9", "I10"])
    demoted = rows["Z79.899"]
    assert demoted.rank > rows["I10"].rank > rows["E11.9"].rank
    assert demoted.learned == {"kind": "usually_rejected", "rejected": 5, "accepted": 0, "reason": REASON,
                               "was_rank": 1, "min_decisions": 5}
    assert rows["E11.9"].learned is None
    html = Browser(app, seeded.users["coder"]).page(f"/encounters/{seeded.encounter_id}")
    assert f"Usually rejected here: {REASON}" in html and "Why is this here?" in html
    assert "rejected Z79.899 5 times" in html
    assert html.index('data-code="E11.9"') < html.index('data-code="Z79.899"')   # shown lower, still shown


@pytest.mark.db
def test_a_usual_edit_is_offered_and_one_click_applies_it(app: Flask, seeded: Seeded) -> None:
    org = _org_id(app, seeded)
    _decided_run(app, org, "M25.561", Decision.ACCEPTED, 5, original="M25.569")
    rows = _code_new_run(app, seeded, ["M25.569"])
    assert rows["M25.569"].learned is not None and rows["M25.569"].learned["code"] == "M25.561"
    me = Browser(app, seeded.users["coder"])
    html = me.page(f"/encounters/{seeded.encounter_id}")
    assert "Coders here usually choose M25.561" in html
    changed = me.post(f"/suggestions/{rows['M25.569'].id}/code", {"code": "M25.561"}).get_data(as_text=True)
    assert 'data-code="M25.561"' in changed and "Changed from M25.569" in changed


@pytest.mark.db
def test_never_from_another_organisation_nor_from_before_a_reset(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        other = Organization(name="Elsewhere", issuer="http://elsewhere.test/fhir")
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    _decided_run(app, other_id, "Z79.899", Decision.REJECTED, 9, reason=REASON)
    assert _code_new_run(app, seeded, ["Z79.899"])["Z79.899"].learned is None
    org = _org_id(app, seeded)
    _decided_run(app, org, "Z79.899", Decision.REJECTED, 5, reason=REASON,
                 when=datetime.now(UTC) - timedelta(hours=1))
    assert _code_new_run(app, seeded, ["Z79.899"])["Z79.899"].learned is not None
    with app.app_context():
        db.session.add(LearningReset(organization_id=org))
        db.session.commit()
        assert feedback.learned(db.session, org).empty
    assert _code_new_run(app, seeded, ["Z79.899"])["Z79.899"].learned is None


@pytest.mark.db
def test_a_reason_typed_in_a_coders_own_words_never_travels_to_another_encounter(app: Flask, seeded: Seeded) -> None:
    org = _org_id(app, seeded)
    _decided_run(app, org, "Z79.899", Decision.REJECTED, 5, reason="Mrs Example stopped it in May")
    learned = _code_new_run(app, seeded, ["Z79.899"])["Z79.899"].learned
    assert learned is not None and learned["reason"] == "Other (typed)"
    assert "Example" not in Browser(app, seeded.users["coder"]).page(f"/encounters/{seeded.encounter_id}")
