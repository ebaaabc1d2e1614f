"""FHIR Subscriptions: RevRX as a subscriber per FHIR connection (issue 17).

- `manage.py`: create, pause, resume and delete subscriptions on the EHR; `active_subscription()`.
- `notifications.py`: reading notification Bundles (no Flask, no ORM).
- `receive.py`: the webhook's quick work: authenticate, record each event once, queue the jobs.
- `processing.py`: the jobs: a notified event, a catch-up, the missed-heartbeat check.
- `auto_code.py`: per-connection auto-code switch and classes, the "new" badge, re-code on a later note.
"""

from smartapp.subscriptions.manage import active_subscription

__all__ = ["active_subscription"]
