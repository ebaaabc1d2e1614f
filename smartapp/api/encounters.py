"""`/api/v1/encounters`: the organization's encounters with filters and pagination, and one by id."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for

from smartapp.access import exists_for, why_not_see
from smartapp.api import bp
from smartapp.api.auth import api_user
from smartapp.api.inputs import parse_query
from smartapp.connections.service import MAX_ID
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.inputs import EncounterQuery
from smartapp.insights.hcc_review import hcc_view
from smartapp.models import Encounter, User
from smartapp.models.queries import latest_run
from smartapp.worklist import describe_encounter, find_encounters


@bp.get("/encounters")
def list_encounters() -> Response:
    q = parse_query(EncounterQuery)
    page = find_encounters(db.session, api_user(), q)
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k in EncounterQuery.model_fields}

    def link(number: int) -> str:
        return url_for("api.list_encounters", **{**args, "page": number, "per_page": q.per_page})

    return jsonify({
        "items": [describe_encounter(e) for e in page.items], "total": page.total, "page": page.page,
        "per_page": page.per_page, "pages": page.pages,
        "links": {"self": link(page.page), "next": link(page.page + 1) if page.page < page.pages else None,
                  "prev": link(page.page - 1) if page.page > 1 else None},
    })


def owned_encounter(encounter_id: int, user: User) -> Encounter:
    """The encounter, if the user may see it: 404 when there is none or it is another organisation's (than
    the token's) or another person's private connection's; 403 with the reason for one of their own
    organisation their role may not open."""
    encounter = db.session.get(Encounter, encounter_id) if 0 < encounter_id <= MAX_ID else None
    if encounter is None or not exists_for(user, encounter):
        raise UserFacingError(404, "Encounter not found", "There is no encounter with this id.")
    why = why_not_see(user, encounter)
    if why is not None:
        raise UserFacingError(403, "Forbidden", why)
    return encounter


@bp.get("/encounters/<int:encounter_id>")
def show_encounter(encounter_id: int) -> Response:
    encounter = owned_encounter(encounter_id, api_user())
    run = latest_run(db.session, encounter.id)
    db.session.refresh(encounter)   # after the run, so its status agrees with it (see api/uploads.py)
    hcc = hcc_view(db.session, encounter, run)   # CMS-HCC V28 flags (codes and categories only)
    coding = None if run is None else {
        "id": run.id, "status": run.status.value, "engine": run.engine, "error": run.error,
        "suggestions": [{"id": s.id, "system": s.system, "code": s.code, "display": s.display,
                         "category": s.category, "assertion": s.assertion,
                         "rank": s.rank, "confidence": s.confidence, "decision": s.decision.value,
                         "hcc": [h.number for h in hcc.badges.get(s.id, [])], "learned": s.learned}
                        for s in run.suggestions],
        "hcc": hcc.as_json(),
    }
    return jsonify({**describe_encounter(encounter), "coding": coding})
