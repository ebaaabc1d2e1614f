"""Which write-back a launch can do, or in plain words why none: the registration's strategies
(launch.json) intersected with the scopes the EHR actually granted."""

from __future__ import annotations

from dataclasses import dataclass

from smartapp.models import LaunchSession
from smartapp.smart import scopes
from smartapp.smart.registry import Registry

_RESOURCE = {"claim": "Claim", "charge_item": "ChargeItem", "encounter_diagnosis": "Condition",
             "document_reference": "DocumentReference"}


@dataclass(frozen=True)
class Availability:
    strategy: str | None
    reason: str | None = None

    @property
    def available(self) -> bool:
        return self.strategy is not None


def writeback_availability(launch: LaunchSession | None, registry: Registry) -> Availability:
    if launch is None:
        return Availability(None, "Write-back needs an EHR session: launch this encounter from the EHR.")
    reg = registry.by_id(launch.registration_id)
    if reg is None:
        return Availability(None, "This EHR is no longer registered with RevRX.")
    for strategy in reg.writeback:
        resource = _RESOURCE.get(strategy)
        if resource and scopes.allows(launch.scopes, resource, "c"):
            return Availability(strategy)
    wanted = ", ".join(_RESOURCE.get(s, s) for s in reg.writeback) or "nothing"
    return Availability(None, f"The EHR did not grant RevRX permission to create {wanted}, so approved codes "
                        "cannot be written back from this session.")
