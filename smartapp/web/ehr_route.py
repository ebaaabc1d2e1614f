"""The way into the EHR for an approval made on a page: the signed-in user's, for this encounter."""

from __future__ import annotations

from flask import current_app

from smartapp.extensions import db
from smartapp.models import Encounter
from smartapp.web.auth import user
from smartapp.writeback.routing import Route, route_for


def ehr_route(encounter: Encounter) -> Route:
    return route_for(db.session, encounter, user(), current_app.extensions["revrx.registry"])
