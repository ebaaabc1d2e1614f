"""The coding report as a download (PDF or JSON), for EHRs that take no write-back and for records."""

from __future__ import annotations

import re

from flask import Response
from flask_login import login_required

from smartapp import audit
from smartapp.extensions import db
from smartapp.web import bp
from smartapp.web.auth import user
from smartapp.web.review_guard import coded_encounter
from smartapp.writeback.report import build_report, report_json, report_pdf

_TYPES = {"pdf": "application/pdf", "json": "application/json"}


@bp.get("/encounters/<int:encounter_id>/report.<fmt>")
@login_required
def coding_report(encounter_id: int, fmt: str) -> Response:
    if fmt not in _TYPES:
        return Response("Choose report.pdf or report.json", status=404, mimetype="text/plain")
    enc, run = coded_encounter(encounter_id)
    content = build_report(enc, run, user())
    body = report_pdf(content) if fmt == "pdf" else report_json(content)
    audit.record(db.session, action="export", actor=user(), resource_type="Encounter",
                 resource_id=enc.fhir_encounter_id or str(enc.id), encounter_id=enc.id, detail=f"coding report {fmt}")
    db.session.commit()
    name = re.sub(r"[^A-Za-z0-9_-]", "", enc.fhir_encounter_id or str(enc.id)) or "encounter"
    return Response(body, mimetype=_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="revrx-coding-report-{name}.{fmt}"',
    })
