"""The coding report as a download (PDF or JSON), for EHRs that take no write-back and for records."""

from __future__ import annotations

import json
import re

from flask import Response
from flask_login import login_required

from smartapp import audit
from smartapp.extensions import db
from smartapp.web import bp
from smartapp.web.auth import user
from smartapp.web.review_guard import coded_encounter
from smartapp.writeback import exports
from smartapp.writeback.claim_builder import ClaimValidationError
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


_EXPORTS = {"claim.json": "application/fhir+json", "bar-p12.hl7": "x-application/hl7-v2+er7"}


@bp.get("/encounters/<int:encounter_id>/export/<kind>")
@login_required
def coding_export(encounter_id: int, kind: str) -> Response:
    """The approved codes as a FHIR Claim (for a payer or clearinghouse) or as the HL7 v2.5.1 BAR^P12
    for an Epic coding interface, downloaded: nothing is sent anywhere."""
    if kind not in _EXPORTS:
        return Response("Choose claim.json or bar-p12.hl7", status=404, mimetype="text/plain")
    enc, run = coded_encounter(encounter_id)
    try:
        body = (json.dumps(exports.claim_json(enc, run, user()), indent=2) if kind == "claim.json"
                else exports.bar_p12(enc, run, user()))
    except (ClaimValidationError, ValueError) as err:
        return Response(str(err), status=409, mimetype="text/plain")
    audit.record(db.session, action="export", actor=user(), resource_type="Encounter",
                 resource_id=enc.fhir_encounter_id or str(enc.id), encounter_id=enc.id, detail=f"export {kind}")
    db.session.commit()
    name = re.sub(r"[^A-Za-z0-9_-]", "", enc.fhir_encounter_id or str(enc.id)) or "encounter"
    return Response(body, mimetype=_EXPORTS[kind], headers={
        "Content-Disposition": f'attachment; filename="revrx-{name}-{kind}"',
    })
