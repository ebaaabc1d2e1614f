"""Start-up of the subscription server: its tables, and delivery resumed for subscriptions that exist
(a restarted sandbox goes on sending what it had not sent)."""

from __future__ import annotations

from sandbox.config import SandboxConfig
from sandbox.db import connect
from sandbox.subscriptions import store
from sandbox.subscriptions.delivery import ensure_started


def prepare_subscriptions(config: SandboxConfig) -> None:
    conn = connect(config.db_path)
    try:
        store.init_tables(conn)
        waiting = store.all_subs(conn, ("requested", "active", "error"))
    finally:
        conn.close()
    if waiting and config.profile.has_type("Subscription"):
        ensure_started(config.db_path, config.fhir_base)
