"""The review page writes for a coder (issue 16 item 6): where the phrase was found and why it
supports the code, not the engine's shorthand; each quote once; and changing a code to one already
listed merges the two rows and their evidence instead of showing the code twice."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from smartapp.extensions import db
from smartapp.models import Decision, Note, Suggestion
from smartapp.review.wording import for_coder
from smartapp.web.evidence import quotes
from tests.support.review_data import Browser, Seeded


def test_engine_shorthand_becomes_a_sentence_a_coder_reads() -> None:
    said = for_coder("curated term in cc")
    assert said.startswith("Found in the chief complaint") and "curated" not in said
    index = for_coder("ICD-10-CM index/title term in assessment_plan; 'history of'")
    assert "assessment and plan" in index and "index entry or title" in index and "“history of”" in index
    em = for_coder("Problems: low (1 stable chronic illness); data: moderate — moderate; risk: low (otc drugs)")
    assert "data: moderate;" in em and "moderate — moderate" not in em
    assert for_coder("Added by a person.") == "Added by a person."


def test_a_phrase_the_note_repeats_is_quoted_once() -> None:
    note = Note(id=1, text="Hypertension. Plan: hypertension, recheck. HYPERTENSION  controlled.")
    starts = [0, 20, 43]
    suggestion = Suggestion(evidence=[{"note_id": 1, "start": s, "end": s + 12} for s in starts])
    assert [q.text for q in quotes(suggestion, {1: note})] == ["Hypertension"]


@pytest.mark.db
def test_changing_a_code_to_one_already_listed_merges_the_rows(app: Flask, seeded: Seeded) -> None:
    coder = Browser(app, seeded.users["coder"])
    coder.page(f"/encounters/{seeded.encounter_id}")
    e11, i10 = seeded.suggestions["E11.9"], seeded.suggestions["I10"]
    with app.app_context():
        both = {s.id: list(s.evidence) for s in db.session.scalars(select(Suggestion).where(
            Suggestion.id.in_([e11, i10])))}
    done = coder.post(f"/suggestions/{e11}/code", {"code": "I10"})
    assert done.status_code == 200, done.get_data(as_text=True)[:300]
    assert done.get_data(as_text=True).count('data-code="I10"') == 1, "one I10 row"
    with app.app_context():
        rows = db.session.scalars(select(Suggestion).where(Suggestion.code == "I10")).all()
        assert len(rows) == 1
        kept = rows[0]
        assert (kept.id, kept.original_code, kept.decision) == (e11, "E11.9", Decision.ACCEPTED)
        assert all(span in kept.evidence for span in both[e11] + both[i10]), "both rows' evidence"
