"""A seeded encounter with a long id (Epic customers may use unconstrained FHIR ids longer than R4's 64
characters): a copy of one seeded encounter and its notes under the profile's long id, added once."""

from __future__ import annotations

import json

from sandbox.db import connect, transaction
from sandbox.store import ResourceStore


def add_long_id_copy(db_path: str, source: str, long_id: str) -> bool:
    """Copy Encounter `source` and the DocumentReferences of it to `long_id`; False when already there."""
    conn = connect(db_path)
    try:
        store = ResourceStore(conn)
        with transaction(conn, immediate=True):
            if store.get("Encounter", long_id) is not None:
                return False
            encounter = store.get("Encounter", source)
            if encounter is None:
                return False
            store.create({k: v for k, v in encounter.items() if k not in ("id", "meta")}, rid=long_id)
            old_ref, new_ref = f"Encounter/{source}", f"Encounter/{long_id}"
            for doc in store.all_of_type("DocumentReference"):
                text = json.dumps(doc.get("context", {}))
                if old_ref not in text:
                    continue
                copy = {k: v for k, v in doc.items() if k not in ("id", "meta")}
                copy["context"] = json.loads(text.replace(old_ref, new_ref))
                store.create(copy, rid=f"{doc['id']}-{long_id}"[:255])
        return True
    finally:
        conn.close()
