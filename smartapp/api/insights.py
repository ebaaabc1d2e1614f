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
