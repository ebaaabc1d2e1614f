"""`POST /api/v1/encounters/<id>/approve`: write an encounter's approved codes back to the EHR, as
"Approve & write back" does on the page (through its launch, or the connection that synced it).

Idempotent: calling it again returns the same submission and makes nothing new on the EHR. 200 with
the submission when written back; 409 (problem details, the submission attached) when it was not:
nothing accepted, no Coverage, no permission, or the EHR refused — the detail says which.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from smartapp.access import why_not_decide
from smartapp.api import bp
from smartapp.api.auth import api_user
from smartapp.api.encounters import owned_encounter
from smartapp.api.inputs import parse_body
from smartapp.api.problems import ApiProblem, problem
from smartapp.api.schemas import ApproveRequest
from smartapp.extensions import db
from smartapp.models import ClaimSubmission
from smartapp.web.runtime import runtime
from smartapp.writeback.approval import NotReady, approve_latest


def describe_submission(row: ClaimSubmission) -> dict[str, Any]:
    return {"id": row.id, "encounter_id": row.encounter_id, "run_id": row.run_id, "status": row.status.value,
            "strategy": row.strategy, "results": list(row.results or []), "error": row.error,
            "updated_at": row.updated_at.isoformat() if row.updated_at else None}


@bp.post("/encounters/<int:encounter_id>/approve")
def approve_encounter(encounter_id: int) -> Response:
    me = api_user()
    wanted = parse_body(ApproveRequest) if request.get_data() else ApproveRequest.model_validate({})
    encounter = owned_encounter(encounter_id, me)
    why = why_not_decide(me, encounter)
    if why is not None:
        raise ApiProblem(403, "Forbidden", why)
    try:
        route = runtime().ehr.route(db.session, encounter, me)
        row = approve_latest(db.session, encounter, me, route, accept_pending=wanted.accept_pending,
                             without_service_line=wanted.without_service_line)
    except NotReady as err:
        raise ApiProblem(409, "Not ready", str(err)) from None
    db.session.commit()
    if row.status.written_back:
        return jsonify(describe_submission(row))
    return problem(409, "Not written back", row.error or "The write-back did not complete.",
                   submission=describe_submission(row))
