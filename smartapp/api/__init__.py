"""JSON API v1 (`/api/v1`): token-authenticated, errors as RFC 9457 problem details.

Route modules register on `bp` and are imported at the bottom of this file.
"""

from flask import Blueprint

# cli_group=None: `flask --app wsgi create-api-token 3`, not `flask api create-api-token 3`.
bp = Blueprint("api", __name__, url_prefix="/api/v1", cli_group=None)

from smartapp.api import (  # noqa: E402,F401  (hooks, handlers and routes register on import)
    approvals,
    auth,
    cli,
    connections,
    encounters,
    fhir_sync,
    inputs,
    insights,
    openapi,
    problems,
    subscriptions,
    sync_schedule,
    uploads,
)
