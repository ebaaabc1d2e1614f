"""The way into the EHR for an approval made in this app (a page or the API): the registry comes
from the running app, the rest from `writeback.routing`."""

from __future__ import annotations

from flask import current_app

from smartapp.ehr_access.routing import Route, route_for
from smartapp.extensions import db
from smartapp.models import Encounter, User


def ehr_route(encounter: Encounter, user: User) -> Route:
    return route_for(db.session, encounter, user, current_app.extensions["revrx.registry"])
