"""Pages and HTMX partial endpoints."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from smartapp.web import (  # noqa: E402,F401  (routes register on import)
    approve,
    audit_view,
    codes,
    connections,
    decisions,
    insights,
    organizations,
    pages,
    people,
    queue,
    reports,
    subscription_hooks,
    subscriptions,
    sync,
    sync_schedule,
    typeahead,
    uploads,
)
