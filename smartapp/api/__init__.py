"""JSON API v1 (`/api/v1`): token-authenticated, errors as RFC 9457 problem details.

Route modules register on `bp` and are imported at the bottom of this file.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from smartapp.api import auth, problems  # noqa: E402,F401  (hooks and handlers register on import)
