"""FHIR Subscriptions: RevRX as a subscriber per FHIR connection (issue 17).

- `manage.py`: create, pause, resume and delete subscriptions on the EHR; `active_subscription()`.
- `notifications.py`: reading notification Bundles (no Flask, no ORM).
- `receive.py`: the webhook's quick work: authenticate, record each event once, queue the jobs.
- `processing.py`: the jobs: a notified event, a catch-up, the missed-heartbeat check.
- `auto_code.py`: per-connection auto-code switch and classes, the "new" badge, re-code on a later note.
"""

from sqlalchemy.orm import Session

from smartapp.models import FhirConnection
from smartapp.subscriptions.manage import active_subscription


def has_active_subscription(session: Session, connection: FhirConnection) -> bool:
    """Whether the connection has a live subscription on its EHR (smartapp/sources/sync_mode.py asks)."""
    return active_subscription(session, connection) is not None


__all__ = ["active_subscription", "has_active_subscription"]
