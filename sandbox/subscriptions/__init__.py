"""The sandbox EHR as a FHIR R4 subscription server, in the shape of the Subscriptions R5 Backport IG.

- `topics.py`: the SubscriptionTopics offered (encounter finished; a note added or amended for an
  encounter) and which resource changes trigger them; plain R4 criteria (`Encounter?status=finished`).
- `store.py`: subscriptions and their numbered events in the sandbox's SQLite file.
- `bundles.py`: notification Bundles (`history`, first entry the SubscriptionStatus-shaped Parameters).
- `delivery.py`: one background thread per sandbox process: handshake, events, heartbeats, retries with
  backoff; delivery errors land on the subscription's status.
- `api.py`: `/fhir/Subscription` (create, read, search, update, delete), `$status`, `$events`,
  `/fhir/SubscriptionTopic`.

Only profiles whose resource list includes Subscription offer it (the generic one: Epic and Oracle
Health document no FHIR Subscriptions), so their CapabilityStatement lists neither.
"""

from sandbox.subscriptions.store import record_change

__all__ = ["record_change"]
