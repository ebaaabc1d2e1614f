"""HTMX endpoints for changing the code list: edit a code (typeahead form), add a code, make a
diagnosis first-listed. Each answers with the one group fragment that changed."""

from __future__ import annotations

from flask import Response, make_response, render_template, request
from flask_login import login_required

from smartapp.errors import UserFacingError
from smartapp.extensions import db
from smartapp.review.edits import EditRefused, add_code, change_code, make_first_listed
from smartapp.web import bp
from smartapp.web.auth import user
from smartapp.web.decisions import changeable_suggestion, render_group
from smartapp.web.review_context import group_context
from smartapp.web.review_guard import changeable_encounter, coded_encounter


@bp.get("/suggestions/<int:suggestion_id>/edit")
@login_required
def edit_form(suggestion_id: int) -> str:
    suggestion, enc = changeable_suggestion(suggestion_id)
    return render_template("partials/_suggestion_edit.html", s=suggestion, encounter=enc)


@bp.get("/encounters/<int:encounter_id>/groups/<category>")
@login_required
def group(encounter_id: int, category: str) -> str:
    enc, run = coded_encounter(encounter_id)
    if category not in ("diagnosis", "em", "procedure"):
        raise UserFacingError(404, "No such group", "Reload the page.")
    return render_template("partials/_group.html", **group_context(enc, run, category))


@bp.post("/suggestions/<int:suggestion_id>/code")
@login_required
def change(suggestion_id: int) -> str:
    suggestion, enc = changeable_suggestion(suggestion_id)
    try:
        change_code(db.session, suggestion, request.form.get("code", ""), user())
    except EditRefused as err:
        raise UserFacingError(422, "Code not changed", str(err)) from None
    db.session.commit()
    return render_group(enc, suggestion)


@bp.post("/suggestions/<int:suggestion_id>/first")
@login_required
def first_listed(suggestion_id: int) -> str:
    suggestion, enc = changeable_suggestion(suggestion_id)
    try:
        make_first_listed(db.session, suggestion, user())
    except EditRefused as err:
        raise UserFacingError(422, "Not reordered", str(err)) from None
    db.session.commit()
    return render_group(enc, suggestion)


@bp.post("/encounters/<int:encounter_id>/codes")
@login_required
def add(encounter_id: int) -> Response:
    enc, run = changeable_encounter(encounter_id)
    category = "diagnosis" if request.form.get("category", "diagnosis") == "diagnosis" else "procedure"
    try:
        added = add_code(db.session, run, category, request.form.get("code", ""), user())
    except EditRefused as err:
        raise UserFacingError(422, "Code not added", str(err)) from None
    db.session.commit()
    response = make_response(render_template("partials/_group.html", **group_context(enc, run, added.category)))
    # The form sits below the groups; the answer replaces the group the new code joined.
    response.headers["HX-Retarget"] = f"#group-{added.category}"
    response.headers["HX-Reswap"] = "outerHTML"
    response.headers["HX-Trigger"] = "revrx:code-added"
    return response
