"""The upload page (drag and drop, several files, per-file progress), the original file for review,
and linking an upload to an EHR encounter.

Progressive enhancement: the page is a plain multipart form that works without JavaScript (all files
in one POST, the page comes back with one row per file). static/js/upload.js sends each file in its
own request instead, shows its progress, and swaps in the row the server returns for it.
"""

from __future__ import annotations

import io

from flask import Response, current_app, make_response, redirect, render_template, request, send_file, session, url_for
from flask_login import login_required
from sqlalchemy import select

from smartapp import audit
from smartapp.access import why_not_upload
from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.jobqueue import jobs
from smartapp.models import Encounter, UploadedFile
from smartapp.sources.files.extract import LABEL
from smartapp.sources.upload_link import LinkRefused, launch_for_linking, link_to_ehr
from smartapp.sources.upload_service import UploadResult, accept_file, parse_policy, upload_context
from smartapp.storage import StorageError
from smartapp.web import bp
from smartapp.web.auth import encounter_for_user, is_htmx, require_can_decide, user
from smartapp.web.runtime import runtime

RECENT = 20


def _wants_rows() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


@bp.app_template_global()
def upload_of(encounter: Encounter) -> UploadedFile | None:
    """The uploaded file behind an encounter (None for EHR encounters); used by the review page."""
    return db.session.scalar(select(UploadedFile).where(UploadedFile.encounter_id == encounter.id))


@bp.app_template_filter("upload_kind")
def upload_kind(media_type: str) -> str:
    return LABEL.get(media_type, media_type)


def _page(results: list[UploadResult], status: int = 200) -> Response:
    me = user()
    recent = db.session.scalars(
        select(UploadedFile).where(UploadedFile.organization_id == me.organization_id)
        .order_by(UploadedFile.id.desc()).limit(RECENT)
    ).all()
    settings = upload_context(runtime(), me).settings
    html = render_template("upload.html", results=results, recent=recent, settings=settings,
                           why_not_upload=why_not_upload(me),
                           max_request_bytes=current_app.config.get("MAX_CONTENT_LENGTH") or 0)
    return make_response(html, status)


@bp.get("/uploads")
@login_required
def upload_page() -> Response:
    return _page([])


@bp.post("/uploads")
@login_required
def upload_files() -> Response:
    me = user()
    why = why_not_upload(me)
    if why is not None:
        raise UserFacingError(403, "Read-only access", why)
    ctx = upload_context(runtime(), me)
    policy = parse_policy(request.form.get("on_duplicate"), ctx.settings.default_policy)
    if policy is None:
        raise UserFacingError(400, "Unknown duplicate choice", "Choose skip, replace or keep both.")
    files = [f for f in request.files.getlist("files") if f.filename or f.content_length]
    jobs.require_available()   # all or nothing: without the queue no file is taken (503, nothing stored)
    db.session.commit()   # e.g. the token's last use: no write stays open while the files are read
    results = []
    for file in files:   # each file is its own unit: one refused or slow file holds up no other
        results.append(accept_file(db.session, ctx, file.filename or "", file.read(), policy))
        db.session.commit()
    if _wants_rows():
        response = make_response(render_template("partials/_upload_rows.html", results=results))
    elif not files:
        response = _page([], 400)
    else:
        response = _page(results)
    response.headers["Vary"] = "X-Requested-With"
    return response


@bp.get("/uploads/<int:encounter_id>/original")
@login_required
def upload_original(encounter_id: int) -> Response:
    enc = encounter_for_user(encounter_id)
    upload = upload_of(enc)
    if upload is None:
        raise UserFacingError(404, "No uploaded file", "This encounter came from the EHR, not from a file.")
    if upload.purged_at is not None:   # the bytes may live on for another upload of the same content
        raise UserFacingError(410, "Original removed", "The original file was removed after the encounter was "
                              "approved and the retention period ended.")
    try:
        data = runtime().storage.get(upload.storage_key)
    except StorageError as err:
        raise UserFacingError(404, "Original not available", "The original file is no longer stored.") from err
    audit.record(db.session, action="read", actor=user(), resource_type="Upload", resource_id=str(upload.id),
                 encounter_id=enc.id, detail="original file downloaded")
    db.session.commit()
    return send_file(io.BytesIO(data), mimetype=upload.media_type, as_attachment=True,
                     download_name=upload.filename)


@bp.post("/encounters/<int:encounter_id>/link")
@login_required
def link_upload(encounter_id: int) -> Response:
    enc = encounter_for_user(encounter_id)
    require_can_decide(enc)
    me = user()
    launch = launch_for_linking(db.session, me, session.get("launch_session_id"))
    try:
        link_to_ehr(db.session, runtime().ehr, enc, request.form.get("fhir_encounter_id", ""), user=me, launch=launch)
    except LinkRefused as err:
        db.session.commit()   # the audit of what was read stays; the link was not made
        if not is_htmx():
            raise UserFacingError(409, "Not linked", str(err)) from err
        return make_response(render_template("partials/_upload_link.html", encounter=enc, link_error=str(err),
                                              entered=request.form.get("fhir_encounter_id", "")))
    db.session.commit()
    target = url_for("web.encounter", encounter_id=enc.id)
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target   # the whole review page changes: write-back is now offered
        return response
    return redirect(target)  # type: ignore[return-value]
