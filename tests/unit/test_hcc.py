"""CMS-HCC V28 flags: the mapping agrees with rows of CMS's published 2026 V28 ICD-10 mapping, the
hierarchies drop what CMS drops, hints appear only where the note documents more, a RAF needs all its
inputs, and the review page shows the badges and the patient's year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask

from smartapp.extensions import db
from smartapp.hcc.hints import RULES, hints_for
from smartapp.hcc.mapping import apply_hierarchies, hccs_for
from smartapp.hcc.raf import raf
from smartapp.models import CodingRun, Decision, Encounter, RunStatus, Suggestion
from tests.support.review_data import ISS, Browser, Seeded

# Rows of CMS's "2026 Midyear Final ICD-10 Mappings" (the V28 payment HCC column), written down from
# CMS's table: code → V28 HCC, or None where CMS gives V28 no HCC.
CMS_V28_ROWS = {
    "E11.9": 38, "E11.22": 37, "E11.42": 37, "E11.65": 38, "E10.9": 38,
    "I50.9": 226, "I11.0": 226, "I48.0": 238, "N18.4": 327, "N18.5": 326, "N18.6": 326,
    "J44.9": 280, "C50.911": 23, "E66.01": 48, "F32.2": 155, "F33.1": 155, "M06.9": 93,
    "I10": None, "F32.9": None, "E66.9": None, "N18.9": None, "E78.5": None, "I48.91": 238,
}


@pytest.mark.parametrize(("code", "hcc"), sorted(CMS_V28_ROWS.items()))
def test_mapping_matches_cms_published_v28_rows(code: str, hcc: int | None) -> None:
    assert [h.number for h in hccs_for(code)] == ([] if hcc is None else [hcc])


def test_hierarchies_drop_the_less_severe_hcc_of_a_family() -> None:
    result = apply_hierarchies(["E11.9", "E11.22", "N18.4", "N18.5", "I10"])
    assert set(result.kept) == {37, 326}
    assert {n: d.by.number for n, d in result.dropped.items()} == {38: 37, 327: 326}
    assert result.kept[37].label == "Diabetes with Chronic Complications"
    assert set(apply_hierarchies(["E11.9", "J44.9"]).kept) == {38, 280}   # different families both count


def test_hints_need_the_note_to_document_more_and_not_negate_it() -> None:
    [hint] = hints_for(["E11.9"], "Type 2 diabetes with peripheral neuropathy of both feet.")
    assert (hint.target, hint.target_hcc.number) == ("E11.42", 37)
    assert hints_for(["E11.9"], "Type 2 diabetes. No neuropathy on monofilament exam.") == []
    assert hints_for(["E11.9", "E11.42"], "diabetic neuropathy") == []       # already coded
    assert hints_for(["F32.9"], "Severe depression, recurrent")[0].target == "F32.2"


def test_every_hint_rule_points_at_a_code_that_carries_an_hcc() -> None:
    for rule in RULES:
        assert hccs_for(rule.target), rule.target


def test_raf_only_with_age_sex_and_segment() -> None:
    assert raf(["E11.22"], age=72, sex="F", segment=None) is None
    assert raf(["E11.22"], age=None, sex="F", segment="CNA") is None
    score = raf(["E11.22", "I50.9"], age=72, sex="F", segment="CNA")
    assert score is not None and score.year == 2026 and "Community, non-dual, aged" in score.described
    demographic_only = raf([], age=72, sex="F", segment="CNA")
    assert demographic_only is not None and score.score > demographic_only.score


def test_raf_adds_cms_v28_relative_factors_after_hierarchies() -> None:
    # CMS's V28 community, non-dual, aged factors: female 70-74 0.395, male 65-69 0.332,
    # HCC 37 and HCC 38 0.166 each (unnormalised; no coding-intensity adjustment).
    def score(codes: list[str], age: int, sex: str) -> float:
        found = raf(codes, age=age, sex=sex, segment="CNA")
        assert found is not None
        return found.score

    assert score([], 72, "F") == 0.395
    assert score(["E11.22"], 72, "F") == 0.561
    assert score(["E11.9"], 67, "M") == 0.498
    assert score(["E11.22", "E11.9"], 72, "F") == 0.561          # HCC 38 dropped below HCC 37


def _other_encounter(app: Flask, seeded: Seeded, code: str, when: date) -> None:
    with app.app_context():
        first = db.session.get(Encounter, seeded.encounter_id)
        assert first is not None
        enc = Encounter(organization_id=first.organization_id, source_system=ISS, fhir_encounter_id=f"e-{when}",
                        fhir_patient_id=first.fhir_patient_id, date_of_service=when)
        db.session.add(enc)
        db.session.flush()
        run = CodingRun(encounter_id=enc.id, status=RunStatus.COMPLETE, finished_at=datetime.now(UTC))
        db.session.add(run)
        db.session.flush()
        db.session.add(Suggestion(run_id=run.id, system="icd", code=code, category="diagnosis",
                                  decision=Decision.ACCEPTED))
        db.session.commit()


@pytest.mark.db
def test_review_page_shows_badges_and_the_patients_year(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    html = me.page(f"/encounters/{seeded.encounter_id}")
    assert 'data-testid="hcc-E11.9"' in html and "HCC 38" in html
    assert 'data-testid="hcc-I10"' not in html
    assert "No RAF score" in html
    # The same patient's other encounter that year, E11.22 accepted: HCC 37 ranks above this one's 38.
    _other_encounter(app, seeded, "E11.22", date(2026, 6, 1))
    _other_encounter(app, seeded, "J44.9", date(2025, 6, 1))      # another year: not counted
    html = me.page(f"/encounters/{seeded.encounter_id}")
    assert "encounters in 2026" in html and "HCC 38 (below 37)" in html and "HCC 280" not in html


@pytest.mark.db
def test_rejected_codes_lose_their_badge(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    rejected = me.post(f"/suggestions/{seeded.suggestions['E11.9']}/decision", {"decision": "reject"})
    html = rejected.get_data(as_text=True)
    assert 'data-testid="hcc-E11.9"' not in html


@pytest.mark.db
def test_the_api_gives_each_code_its_hcc_and_the_encounters_hierarchy(app: Flask, seeded: Seeded) -> None:
    from smartapp.api.auth import create_token
    from smartapp.models import User

    with app.app_context():
        token = create_token(db.session, db.session.get(User, seeded.users["coder"]))   # type: ignore[arg-type]
        db.session.commit()
    body = app.test_client().get(f"/api/v1/encounters/{seeded.encounter_id}",
                                 headers={"Authorization": f"Bearer {token}"}).get_json()
    by_code = {s["code"]: s for s in body["coding"]["suggestions"]}
    assert by_code["E11.9"]["hcc"] == [38] and by_code["I10"]["hcc"] == []
    assert body["coding"]["hcc"]["encounter"]["hccs"][0]["hcc"] == 38
    assert body["coding"]["hcc"]["model"] == "CMS-HCC Model V28" and body["coding"]["hcc"]["raf"] is None


@pytest.mark.db
def test_the_coding_report_lists_the_approved_codes_hccs(app: Flask, seeded: Seeded) -> None:
    import io
    import json

    import pypdf

    me = Browser(app, seeded.users["coder"])
    me.page(f"/encounters/{seeded.encounter_id}")
    me.post(f"/suggestions/{seeded.suggestions['E11.9']}/decision", {"decision": "accept"})
    report = json.loads(me.client.get(f"/encounters/{seeded.encounter_id}/report.json").data)
    risk = report["risk_adjustment"]
    assert (risk["model"], risk["payment_year"]) == ("CMS-HCC Model V28", 2026)
    assert risk["hccs"] == [{"hcc": 38, "label": "Diabetes with Glycemic, Unspecified, or No Complications",
                             "codes": ["E11.9"]}]
    pdf = me.client.get(f"/encounters/{seeded.encounter_id}/report.pdf")
    assert "HCC 38" in pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()


@pytest.mark.db
def test_raf_in_the_api_only_when_age_sex_and_segment_are_given(app: Flask, seeded: Seeded) -> None:
    from smartapp.api.auth import create_token
    from smartapp.models import User

    with app.app_context():
        token = create_token(db.session, db.session.get(User, seeded.users["coder"]))   # type: ignore[arg-type]
        db.session.commit()
    client, auth = app.test_client(), {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/encounters/{seeded.encounter_id}/risk-adjustment"
    plain = client.get(url, headers=auth).get_json()
    assert plain["raf"] is None and "eligibility segment" in plain["raf_note"]
    scored = client.get(url, query_string={"age": "72", "sex": "F", "segment": "CNA"}, headers=auth).get_json()
    assert scored["raf"]["score"] == 0.561 and scored["raf"]["payment_year"] == 2026   # 0.395 + HCC 38's 0.166
    assert scored["raf"]["segment_name"] == "Community, non-dual, aged"
    assert client.get(url, query_string={"age": "72"}, headers=auth).status_code == 422


@pytest.mark.db
def test_the_risk_adjustment_panel_follows_each_decision(app: Flask, seeded: Seeded) -> None:
    me = Browser(app, seeded.users["coder"])
    page = me.page(f"/encounters/{seeded.encounter_id}")
    assert page.count('id="hcc-summary-slot"') == 1 and "1 HCC on this encounter" in page
    rejected = me.post(f"/suggestions/{seeded.suggestions['E11.9']}/decision", {"decision": "reject"})
    html = rejected.get_data(as_text=True)
    assert '<div id="hcc-summary-slot" hx-swap-oob="true">' in html and "HCC on this encounter" not in html
