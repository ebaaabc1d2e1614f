"""`/api/v1/insights`: the insights page's numbers as JSON — every chart's table, or one — and the
rules learned from decisions. Coders and administrators, their organisation only; no PHI."""

from __future__ import annotations

from flask import Response, jsonify, request

from smartapp.api import bp
from smartapp.api.auth import api_user
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.insights import service
from smartapp.insights.stats import CHARTS


def _checked_days() -> int:
    raw = request.args.get("days")
    if raw is not None and service.period(raw) != (int(raw) if raw.isdigit() else -1):
        raise UserFacingError(422, "Invalid period", f"days must be one of {', '.join(map(str, service.PERIODS))}.")
    return service.period(raw)


@bp.get("/insights")
def insights_index() -> Response:
    days = _checked_days()
    try:
        found = service.insights(db.session, api_user(), days)
        learned, since = service.learned_rules(db.session, api_user())
    except service.NotAllowed as refused:
        raise UserFacingError(403, "Forbidden", str(refused)) from None
    return jsonify({
        "days": days, "charts": [t.as_json() for t in found.tables.values()],
        "learning": {
            "min_decisions": learned.min_decisions, "since": since.isoformat() if since else None,  # type: ignore[attr-defined]
            "usually_rejected": [{"code": c, "assertion": a, "rejected": r.rejected, "accepted": r.accepted,
                                  "top_reason": r.reason} for (c, a), r in learned.rejected.items()],
            "usually_chosen": [{"code": c, "assertion": a, "chosen": o.code, "times": o.times, "of": o.of}
                               for (c, a), o in learned.chosen.items()]},
    })


@bp.get("/insights/<chart>")
def insights_chart(chart: str) -> Response:
    if chart not in CHARTS:
        raise UserFacingError(404, "No such chart", f"Charts: {', '.join(CHARTS)}.")
    days = _checked_days()
    try:
        found = service.insights(db.session, api_user(), days, only=chart)
    except service.NotAllowed as refused:
        raise UserFacingError(403, "Forbidden", str(refused)) from None
    return jsonify({"days": days, **found.tables[chart].as_json()})


@bp.get("/encounters/<int:encounter_id>/risk-adjustment")
def risk_adjustment(encounter_id: int) -> Response:
    """The encounter's CMS-HCC V28 view; with `age`, `sex` and `segment` (which an encounter does not
    state: the caller knows them) also the RAF of the HCCs counted for the patient's year."""
    from smartapp.api.encounters import owned_encounter
    from smartapp.hcc.raf import SEGMENTS, raf
    from smartapp.insights.hcc_review import hcc_view
    from smartapp.models.queries import latest_run

    encounter = owned_encounter(encounter_id, api_user())
    view = hcc_view(db.session, encounter, latest_run(db.session, encounter.id))
    body = view.as_json()
    age_raw, sex, segment = request.args.get("age"), request.args.get("sex"), request.args.get("segment")
    if age_raw is not None or sex is not None or segment is not None:
        if not (age_raw and age_raw.isdigit() and 0 <= int(age_raw) <= 125 and sex in ("M", "F")
                and segment in SEGMENTS):
            raise UserFacingError(422, "Invalid RAF inputs", "Give age (0-125), sex (M or F) and segment "
                                  f"({', '.join(SEGMENTS)}) together.")
        counted = view.patient_year or view.encounter
        codes = [c for n in (counted.kept if counted else {}) for c in counted.codes_by_hcc[n]] if counted else []
        score = raf(codes, age=int(age_raw), sex=sex, segment=segment)
        if score is not None:
            body["raf"] = {"score": score.score, "model": score.model, "payment_year": score.year,
                           "segment": score.segment, "segment_name": SEGMENTS[score.segment],
                           "inputs": {"age": int(age_raw), "sex": sex}}
            body["raf_note"] = "RAF of the HCCs counted for the patient's year, unnormalised."
    return jsonify(body)
