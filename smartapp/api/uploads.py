"""`POST /api/v1/uploads`: note files (TXT, PDF, DOCX) as multipart parts named `files`; optional
form field `on_duplicate` = skip (default) | overwrite | version. Answers 201 when at least one new
encounter was made, else 200, with one entry per file: its status (created, versioned, overwritten,
duplicate, rejected), the encounter id, and for a rejected file an error code, title and detail.

`GET /api/v1/uploads/<encounter id>`: the uploaded file's metadata and its coding status and codes.
"""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import select

from smartapp.access import why_not_upload
from smartapp.api import bp
from smartapp.api.auth import api_user
from smartapp.api.problems import ApiProblem
from smartapp.connections.service import MAX_ID
from smartapp.extensions import db
from smartapp.jobqueue import jobs
from smartapp.models import UploadedFile
from smartapp.models.queries import latest_run
from smartapp.sources.upload_service import Outcome, accept_file, parse_policy, upload_context
from smartapp.web.runtime import absolute_url, runtime

_NEW = {Outcome.CREATED, Outcome.VERSIONED}


@bp.post("/uploads")
def create_uploads() -> tuple[dict[str, Any], int]:
    me = api_user()
    if why_not_upload(me) is not None:
        raise ApiProblem(403, "Forbidden", "A read-only user cannot upload notes.")
    files = request.files.getlist("files") or request.files.getlist("file")
    if not files:
        raise ApiProblem(400, "No files", "Send the notes as multipart/form-data, one part per file, named 'files'.")
    ctx = upload_context(runtime(), me)
    policy = parse_policy(request.form.get("on_duplicate"), ctx.settings.default_policy)
    if policy is None:
        raise ApiProblem(400, "Unknown duplicate policy", "on_duplicate must be skip, overwrite or version.")
    jobs.require_available()   # all or nothing: without the queue no file is taken (503, nothing stored)
    db.session.commit()   # e.g. the token's last use: no write stays open while the files are read
    results = []
    for file in files:   # each file is its own unit: one refused or slow file holds up no other
        results.append(accept_file(db.session, ctx, file.filename or "", file.read(), policy))
        db.session.commit()
    body = [{**r.as_dict(), "url": absolute_url("api.get_upload", encounter_id=r.encounter_id)
             if r.encounter_id else None} for r in results]
    return {"uploads": body}, 201 if any(r.outcome in _NEW for r in results) else 200


@bp.get("/uploads/<int:encounter_id>")
def get_upload(encounter_id: int) -> dict[str, Any]:
    me = api_user()
    upload = (db.session.scalar(select(UploadedFile).where(UploadedFile.encounter_id == encounter_id))
              if 0 < encounter_id <= MAX_ID else None)
    if upload is None or upload.organization_id != me.organization_id:
        raise ApiProblem(404, "Not Found", "No uploaded note with this encounter id in your organization.")
    enc = upload.encounter
    run = latest_run(db.session, enc.id)
    # The run finishes and the encounter turns READY in one commit, but under READ COMMITTED (PostgreSQL)
    # the encounter row read above may predate it: read it again after the run, so the two agree.
    db.session.refresh(enc)
    return {
        "encounter_id": enc.id, "source": enc.source.value, "status": enc.status.value, "version": upload.version,
        "sha256": upload.sha256, "media_type": upload.media_type, "size_bytes": upload.size_bytes,
        "provider": enc.provider_name,
        "date_of_service": enc.date_of_service.isoformat() if enc.date_of_service else None,
        "fhir_encounter_id": enc.fhir_encounter_id,
        "review_url": absolute_url("web.encounter", encounter_id=enc.id),
        "coding": None if run is None else {
            "status": run.status.value, "error": run.error, "engine": run.engine,
            "suggestions": [{"system": s.system, "code": s.code, "display": s.display, "category": s.category,
                             "decision": s.decision.value} for s in run.suggestions],
        },
    }
