"""Where an approval is written back, and what RevRX may write there: from an EHR launch (the
registration's preferences and the token's scopes) or from a FHIR connection (the encounter came by
batch sync: the connection's preferences and the scopes its last token was granted).

Pure: no Flask, no database. `routing` pairs a destination with the client that reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartapp.models import FhirConnection, LaunchSession
from smartapp.smart.registry import Registration

# A connection not configured otherwise tries them all, best first: a coder approving synced work
# would rather get a coding report into the chart than nothing.
CONNECTION_DEFAULT = ("claim", "charge_item", "encounter_diagnosis", "document_reference")


@dataclass(frozen=True)
class Destination:
    name: str                         # what the pages call the EHR
    preferences: tuple[str, ...]      # write-back strategies, best first
    granted: frozenset[str] | None    # scopes; None: no OAuth scopes (Basic, API key): the server decides
    claim_status: str = "draft"
    via: str = "launch"               # "launch" or "connection": what the pages say it goes through
    # A connection writes under its own credentials, so what it writes names the connection's system
    # identity in the EHR (configured: a Practitioner/Device reference and a name), never a person.
    # A launch writes as the person whose launch it is (the plan takes that from the acting user).
    system_author_ref: str | None = None
    system_author_name: str | None = None
    vendor: str = ""                  # the registration's vendor ("epic", "oracle", …); "" for a connection
    charge_master: dict[str, Any] | None = None   # Oracle Health charges: the customer's mapping (raw)


def from_launch(launch: LaunchSession, reg: Registration) -> Destination:
    return Destination(reg.name, tuple(reg.writeback), frozenset(launch.scopes), reg.claim_status, "launch",
                       vendor=reg.vendor, charge_master=reg.extra.get("charge_master"))


def from_connection(connection: FhirConnection) -> Destination:
    prefs: dict[str, Any] = connection.writeback_preferences or {}
    strategies = tuple(prefs.get("strategies") or CONNECTION_DEFAULT)
    # What the EHR's last token granted, else what the connection asks for; neither: no OAuth scopes.
    scope = (connection.granted_scope or connection.scope or "").strip()
    granted = frozenset(scope.split()) if scope else None
    return Destination(connection.name, strategies, granted, str(prefs.get("claim_status") or "draft"), "connection",
                       system_author_ref=prefs.get("author") or None,
                       system_author_name=prefs.get("author_name") or f"{connection.name} (RevRX connection)",
                       charge_master=prefs.get("charge_master"))
