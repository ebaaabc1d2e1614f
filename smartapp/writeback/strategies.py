"""Choosing the write-back for an EHR: its `launch.json` preferences, in order, kept only when the
granted scopes allow creating the resource and the server's CapabilityStatement offers it.

Pure functions (no Flask, no ORM): the inputs are the preference list, the granted scopes (None when
the EHR grants none) and the CapabilityStatement (None when not fetched yet: then only the scopes
decide). Every strategy passed over gets a reason in plain words, so the page can say why the
preferred one was not used.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from smartapp.fhir.capabilities import resource_capability
from smartapp.smart import scopes


@dataclass(frozen=True)
class Strategy:
    name: str
    resource_type: str
    label: str          # what the page calls it
    what: str           # one line: what the EHR receives


STRATEGIES: dict[str, Strategy] = {
    "claim": Strategy("claim", "Claim", "Claim",
                      "one professional Claim with the diagnoses in sequence and a line per visit or procedure code"),
    "charge_item": Strategy("charge_item", "ChargeItem", "Charges (ChargeItem)",
                            "one ChargeItem per visit or procedure code, each giving the diagnoses as its reason"),
    "encounter_diagnosis": Strategy("encounter_diagnosis", "Condition", "Encounter diagnoses",
                                    "one encounter-diagnosis Condition per diagnosis, linked to the encounter"),
    "document_reference": Strategy("document_reference", "DocumentReference", "Coding report",
                                   "a DocumentReference holding the coding report as PDF and JSON"),
    # The form Epic (Clinical Notes DocumentReference.Create) and Oracle Health document: one plain-text
    # attachment, a LOINC note type, the encounter and its period, the author.
    "clinical_note": Strategy("clinical_note", "DocumentReference", "Coding summary note",
                              "one plain-text note (LOINC progress note) listing the approved codes, on the "
                              "encounter"),
}


@dataclass(frozen=True)
class Choice:
    strategy: Strategy | None
    passed_over: list[str] = field(default_factory=list)   # why each preferred strategy was not used
    unscoped: tuple[str, ...] = ()    # resource types passed over for want of a create scope
    hint: str | None = None           # what to do about it, when nothing can be written back

    @property
    def available(self) -> bool:
        return self.strategy is not None

    @property
    def reason(self) -> str | None:
        """Why nothing can be written back (None when something can), in as few words as it takes."""
        if self.strategy is not None:
            return None
        if not self.passed_over:
            return "This EHR is not set up for any write-back from RevRX."
        if self.unscoped and len(self.unscoped) == len(self.passed_over):
            types = self.unscoped[0] if len(self.unscoped) == 1 else \
                f"{', '.join(self.unscoped[:-1])} or {self.unscoped[-1]}"
            text = f"RevRX was not granted permission to create {types} in this EHR."
        else:
            text = " ".join(self.passed_over)
        return f"{text} {self.hint}" if self.hint else text


def server_accepts(capability: dict[str, Any], resource_type: str) -> bool:
    """Create, or a `$create` operation (Oracle Health offers ChargeItem that way)."""
    resource = resource_capability(capability, resource_type)
    if resource is None:
        return False
    interactions = {i.get("code") for i in resource.get("interaction") or [] if isinstance(i, dict)}
    operations = {str(o.get("name", "")).lstrip("$") for o in resource.get("operation") or [] if isinstance(o, dict)}
    return "create" in interactions or "create" in operations


def choose(preferences: Sequence[str], granted: Iterable[str] | str | None,
           capability: dict[str, Any] | None) -> Choice:
    """`granted` None: the EHR grants no OAuth scopes (a Basic or API-key connection), so only the
    CapabilityStatement can rule a strategy out."""
    granted_set = None if granted is None else set(granted.split()) if isinstance(granted, str) else set(granted)
    passed: list[str] = []
    unscoped: list[str] = []
    for name in preferences:
        strategy = STRATEGIES.get(name)
        if strategy is None:
            continue
        rtype = strategy.resource_type
        if granted_set is not None and not scopes.allows(granted_set, rtype, "c"):
            passed.append(f"RevRX was not granted permission to create {rtype} in this EHR.")
            unscoped.append(rtype)
        elif capability is not None and not server_accepts(capability, rtype):
            passed.append(f"The EHR's FHIR server does not accept {rtype} resources.")
        else:
            return Choice(strategy, passed, tuple(unscoped))
    return Choice(None, passed, tuple(unscoped))
