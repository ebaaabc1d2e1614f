"""EHR launch contexts: what the EHR knew when the clinician pressed "Launch RevRX".

A context names the client, the signed-in EHR user (the encounter's practitioner), the patient and
the encounter, and lives one hour. The app receives only its random id (`launch=`) and passes it back
to /oauth/authorize, which turns it into the token response's `patient` and `encounter`.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LaunchContext:
    id: str
    client_id: str
    user_id: str
    patient_id: str | None
    encounter_id: str | None
    expires_at: float


def create_launch(conn: sqlite3.Connection, client_id: str, user_id: str, patient_id: str | None,
                  encounter_id: str | None, ttl: int) -> LaunchContext:
    now = time.time()
    ctx = LaunchContext(secrets.token_urlsafe(16), client_id, user_id, patient_id, encounter_id, now + ttl)
    conn.execute(
        "INSERT INTO launch_contexts (id, client_id, user_id, patient_id, encounter_id, created_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ctx.id, client_id, user_id, patient_id, encounter_id, now, ctx.expires_at),
    )
    return ctx


def find_launch(conn: sqlite3.Connection, launch_id: str) -> LaunchContext | None:
    """The stored context, or None when unknown or expired."""
    row = conn.execute("SELECT * FROM launch_contexts WHERE id = ?", (launch_id,)).fetchone()
    if row is None or row["expires_at"] <= time.time():
        return None
    return LaunchContext(row["id"], row["client_id"], row["user_id"], row["patient_id"],
                         row["encounter_id"], row["expires_at"])
