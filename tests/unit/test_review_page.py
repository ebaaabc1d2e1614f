"""The review page's HTMX endpoints, as a signed-in person uses them: each action answers with the
one fragment it changed, roles are enforced, a written-back run is locked, and the audit view lists
who did what without any note text."""

from __future__ import annotations

import pytest
from flask import Flask

from smartapp.extensions import db
from smartapp.models import ClaimSubmission, Decision, SubmissionStatus, Suggestion
from tests.support.review_data import NOTE, Browser, Seeded

pytestmark = pytest.mark.db


def _decision(app: Flask, suggestion_id: int) -> Suggestion:
    with app.app_context():
        s = db.session.get(Suggestion, suggestion_id)
        assert s is not None
        db.session.expunge(s)
        return s


def test_page_shows_groups_first_listed_evidence_and_key_help(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    html = me.page(f"/encounters/{seeded.encounter_id}")
    assert 'id="group-diagnosis"' in html and 'id="group-em"' in html
    first = html.index('data-testid="first-listed"')
    assert html.index('data-code="E11.9"') < first < html.index('data-code="I10"')
    assert "<mark data-for=" in html and 'data-testid="key-help"' in html
    assert 'aria-label="Edit code E11.9"' in html   # icon buttons have names


def test_reject_with_a_reason_swaps_the_group(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    sid = seeded.suggestions["E11.9"]
    first = me.post(f"/suggestions/{sid}/decision", {"decision": "reject"})
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="group-diagnosis"')
    assert 'name="reason"' in html                       # the optional reason is offered
    # I10 is now the first-listed diagnosis, since E11.9 is rejected.
    assert html.index('data-testid="first-listed"') > html.index('data-code="I10"')
    saved = me.post(f"/suggestions/{sid}/decision", {"decision": "reject", "reason": "Condition ruled out or negated"})
    assert "Rejected: Condition ruled out or negated" in saved.get_data(as_text=True)
    assert _decision(app, sid).decision_reason == "Condition ruled out or negated"


def test_edit_code_through_the_typeahead(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    sid = seeded.suggestions["E11.9"]
    form = me.get(f"/suggestions/{sid}/edit").get_data(as_text=True)
    assert 'role="combobox"' in form and 'aria-controls="edit-' in form
    options = me.get(f"/encounters/{seeded.encounter_id}/codes/search", code="E11.65", list=f"edit-{sid}-list")
    text = options.get_data(as_text=True)
    assert 'role="option"' in text and 'data-code="E11.65"' in text and f'id="edit-{sid}-list-0"' in text
    changed = me.post(f"/suggestions/{sid}/code", {"code": "e1165"}).get_data(as_text=True)
    assert 'data-code="E11.65"' in changed and "Changed from E11.9" in changed
    s = _decision(app, sid)
    assert (s.code, s.original_code, s.decision) == ("E11.65", "E11.9", Decision.ACCEPTED)


def test_category_codes_and_nonsense_are_refused_with_a_reason(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    refused = me.post(f"/suggestions/{seeded.suggestions['E11.9']}/code", {"code": "E11"})
    assert refused.status_code == 422 and "not a billable code" in refused.get_data(as_text=True)
    nonsense = me.post(f"/encounters/{seeded.encounter_id}/codes", {"category": "procedure", "code": "ABC"})
    assert nonsense.status_code == 422 and "CPT" in nonsense.get_data(as_text=True)


def test_add_code_lands_in_its_group(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    added = me.post(f"/encounters/{seeded.encounter_id}/codes", {"category": "diagnosis", "code": "E78.5"})
    assert added.headers["HX-Retarget"] == "#group-diagnosis"
    assert 'data-code="E78.5"' in added.get_data(as_text=True)
    cpt = me.post(f"/encounters/{seeded.encounter_id}/codes", {"category": "procedure", "code": "93000"})
    assert cpt.headers["HX-Retarget"] == "#group-procedure" and 'data-code="93000"' in cpt.get_data(as_text=True)
    again = me.post(f"/encounters/{seeded.encounter_id}/codes", {"category": "diagnosis", "code": "E78.5"})
    assert again.status_code == 422 and "already" in again.get_data(as_text=True)


def test_make_first_listed_reorders(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    html = me.post(f"/suggestions/{seeded.suggestions['I10']}/first").get_data(as_text=True)
    assert html.index('data-code="I10"') < html.index('data-code="E11.9"')
    assert html.index('data-testid="first-listed"') < html.index('data-code="E11.9"')
    assert _decision(app, seeded.suggestions["I10"]).rank == 1
    assert _decision(app, seeded.suggestions["99213"]).rank == 3   # E/M stays after the diagnoses


def test_read_only_staff_see_no_controls_and_are_refused(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["read_only"])
    html = me.page(f"/encounters/{seeded.encounter_id}")
    assert 'data-testid="readonly"' in html and "Accept E11.9" not in html and 'data-testid="approve"' not in html
    _refused(app, seeded, me)


def test_another_clinician_cannot_open_the_encounter_or_act_on_it(app: Flask, seeded: Seeded) -> None:
    """A clinician sees the encounters they launched or are the practitioner of, not a colleague's
    patient by URL (the page says why and whom to ask)."""
    me = Browser(app, seeded.users["other_clinician"])
    me.page("/")   # their own queue, for the CSRF token of the refused posts below
    page = me.client.get(f"/encounters/{seeded.encounter_id}")
    assert page.status_code == 403 and "ask a coder" in page.get_data(as_text=True)
    assert "E11.9" not in page.get_data(as_text=True)
    assert me.client.get(f"/encounters/{seeded.encounter_id}/report.json").status_code == 403
    _refused(app, seeded, me)


def _refused(app: Flask, seeded: Seeded, me: Browser) -> None:
    refused = me.post(f"/suggestions/{seeded.suggestions['E11.9']}/decision", {"decision": "accept"})
    assert refused.status_code == 403
    assert me.get(f"/encounters/{seeded.encounter_id}/writeback/preview").status_code == 403
    assert _decision(app, seeded.suggestions["E11.9"]).decision == Decision.PENDING


@pytest.mark.parametrize("role", ["clinician", "coder", "admin"])
def test_roles_that_may_change(app: Flask, seeded: Seeded, role: str) -> None:
    me = Browser(app, seeded.users[role])
    me.page(f"/encounters/{seeded.encounter_id}")
    assert me.post(f"/suggestions/{seeded.suggestions['E11.9']}/decision", {"decision": "accept"}).status_code == 200


def test_written_back_run_is_locked_until_rerun(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        db.session.add(ClaimSubmission(encounter_id=seeded.encounter_id, run_id=seeded.run_id, idempotency_key="k1",
                                       strategy="claim", status=SubmissionStatus.CREATED, fhir_resource_type="Claim",
                                       fhir_id="c77", results=[{"resourceType": "Claim", "id": "c77",
                                                                "status": "CREATED"}]))
        db.session.commit()
    me = Browser(app, seeded.users["coder"])
    html = me.page(f"/encounters/{seeded.encounter_id}")
    assert 'data-testid="locked"' in html and "Accept E11.9" not in html
    assert 'data-testid="writeback-success"' in html and "c77" in html
    assert 'data-testid="writeback-history"' in html
    locked = me.post(f"/suggestions/{seeded.suggestions['E11.9']}/decision", {"decision": "accept"})
    assert locked.status_code == 409 and "read-only" in locked.get_data(as_text=True)
    assert me.post(f"/encounters/{seeded.encounter_id}/codes", {"code": "E78.5"}).status_code == 409


def test_audit_view_lists_actions_without_note_text(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    me.post(f"/suggestions/{seeded.suggestions['E11.9']}/decision", {"decision": "accept"})
    me.post(f"/suggestions/{seeded.suggestions['I10']}/code", {"code": "I15.0"})
    page = me.page(f"/encounters/{seeded.encounter_id}/audit")
    for expected in ("view", "decide", "edit", "I10 -&gt; I15.0", "Dr Coder", "success"):
        assert expected in page, expected
    for phrase in ("metformin", "Denies chest pain", NOTE[:40]):
        assert phrase not in page
    only = me.get(f"/encounters/{seeded.encounter_id}/audit", action="edit").get_data(as_text=True)
    assert "I15.0" in only and ">decide<" not in only


def test_typeahead_by_words_is_a_small_listbox(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    html = me.get(f"/encounters/{seeded.encounter_id}/codes/search", code="hypertension").get_data(as_text=True)
    assert html.count('role="option"') <= 8 and 'data-code="I10"' in html
    none = me.get(f"/encounters/{seeded.encounter_id}/codes/search", code="zzzzqq").get_data(as_text=True)
    assert 'aria-disabled="true"' in none and "No billable" in none


def test_report_downloads(app: Flask, seeded: Seeded) -> None:
    import io
    import json

    import pypdf

    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    me.post(f"/suggestions/{seeded.suggestions['E11.9']}/decision", {"decision": "accept"})
    me.post(f"/suggestions/{seeded.suggestions['99213']}/decision", {"decision": "accept"})
    me.post(f"/suggestions/{seeded.suggestions['I10']}/decision",
            {"decision": "reject", "reason": "Not addressed at this visit"})
    as_json = me.client.get(f"/encounters/{seeded.encounter_id}/report.json")
    assert as_json.headers["Content-Disposition"].startswith("attachment")
    report = json.loads(as_json.data)
    assert [d["code"] for d in report["diagnoses"]] == ["E11.9"] and report["diagnoses"][0]["ai_suggested"] is True
    assert report["services"][0]["code"] == "99213" and report["services"][0]["diagnosis_pointers"] == [1]
    assert report["rejected"] == [{"code": "I10", "reason": "Not addressed at this visit"}]
    assert "metformin" not in as_json.get_data(as_text=True)
    as_pdf = me.client.get(f"/encounters/{seeded.encounter_id}/report.pdf")
    assert as_pdf.mimetype == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(as_pdf.data)).pages[0].extract_text()
    assert "E11.9" in text and "99213" in text and "metformin" not in text


def test_a_write_back_stuck_in_sending_can_be_retried_after_a_while(app: Flask, seeded: Seeded) -> None:
    from datetime import UTC, datetime, timedelta

    from smartapp.models import CodingRun, Encounter
    from smartapp.writeback.plan import idempotency_key

    with app.app_context():
        enc, run = db.session.get(Encounter, seeded.encounter_id), db.session.get(CodingRun, seeded.run_id)
        assert enc is not None and run is not None
        row = ClaimSubmission(encounter_id=enc.id, run_id=run.id, idempotency_key=idempotency_key(enc, run),
                              status=SubmissionStatus.SENDING, results=[])
        db.session.add(row)
        db.session.commit()
        row_id = row.id
    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    waiting = me.post(f"/encounters/{seeded.encounter_id}/approve").get_data(as_text=True)
    assert "Sending to the EHR" in waiting   # a recent attempt may still be under way: not sent twice
    with app.app_context():
        stuck = db.session.get(ClaimSubmission, row_id)
        assert stuck is not None
        stuck.updated_at = datetime.now(UTC) - timedelta(minutes=10)
        db.session.commit()
    retried = me.approve(seeded.encounter_id)
    # Retried: this encounter has no EHR session, so the retry fails with a reason instead of hanging.
    assert 'data-testid="writeback-error"' in retried and "launch" in retried.lower()
