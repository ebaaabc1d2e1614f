"""The coding insights page (coders and administrators, the active organisation only): charts with a
CSV download each, the rules learned from decisions, and the administrator's reset."""

from __future__ import annotations

import csv
import io

from flask import Response, redirect, render_template, request, url_for
from flask_login import login_required

from smartapp.access import why_not_reset_learning
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.insights import service
from smartapp.insights.charts import bar_chart, csv_rows
from smartapp.insights.stats import CHARTS
from smartapp.web import bp
from smartapp.web.auth import user


def _allowed(call):  # type: ignore[no-untyped-def]
    try:
        return call()
    except service.NotAllowed as refused:
        raise UserFacingError(403, "Not allowed", str(refused)) from None


@bp.get("/insights")
@login_required
def insights_page() -> str:
    days = service.period(request.args.get("days"))
    found = _allowed(lambda: service.insights(db.session, user(), days))
    learned, since = _allowed(lambda: service.learned_rules(db.session, user()))
    return render_template("insights.html", days=days, periods=service.PERIODS, tables=found.tables,
                           charts={key: bar_chart(table) for key, table in found.tables.items()},
                           learned=learned, since=since, can_reset=why_not_reset_learning(user()) is None,
                           reset=request.args.get("reset"))


@bp.get("/insights/<chart>.csv")
@login_required
def insights_csv(chart: str) -> Response:
    if chart not in CHARTS:
        raise UserFacingError(404, "No such chart", "Go back to the insights page.")
    days = service.period(request.args.get("days"))
    table = _allowed(lambda: service.insights(db.session, user(), days, only=chart)).tables[chart]
    out = io.StringIO()
    csv.writer(out).writerows(csv_rows(table))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="revrx-insights-{chart}-{days}d.csv"'})


@bp.post("/insights/learning/reset")
@login_required
def reset_learning() -> Response:
    _allowed(lambda: service.reset_learning(db.session, user()))
    db.session.commit()
    return redirect(url_for("web.insights_page", reset=1))  # type: ignore[return-value]
