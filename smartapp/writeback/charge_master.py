"""A customer's charge-master mapping for Oracle Health charges, from the registration's `charge_master`.

Oracle Health creates charges only through `POST ChargeItem/$create`, and each charge's code must be
one of the tenant's own bill codes (docs.oracle.com, "Create a charge item"): a coding in
`https://fhir.cerner.com/<EHR source id>/CodeSystem/BillCodes-<type>`, type CDM_SCHED, CPT, HCPCS or
PROCCODE, the highest tier the charge has. Which bill code a CPT or HCPCS code becomes is each
organisation's charge master, so it is configuration (docs/ehr-registration.md):

    "charge_master": {"source_id": "<EHR source id>", "bill_code_type": "CDM_SCHED",
                      "codes": {"99213": "01012021", "99214": "01012022"},
                      "schedule": {"system": "https://fhir.cerner.com/<id>/codeSet/14002", "code": "667687"}}

With `bill_code_type` CPT or HCPCS, a code missing from `codes` is sent as itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

BILL_CODE_TYPES = ("CDM_SCHED", "CPT", "HCPCS", "PROCCODE")
SCHEDULE_URL = "https://fhir-ehr.cerner.com/r4/StructureDefinition/bill-code-schedule"


@dataclass(frozen=True)
class ChargeMaster:
    source_id: str
    bill_code_type: str
    codes: Mapping[str, str] = field(default_factory=dict)
    schedule: tuple[str, str] | None = None     # (system, code) of the bill-code schedule extension

    @property
    def system(self) -> str:
        return f"https://fhir.cerner.com/{self.source_id}/CodeSystem/BillCodes-{self.bill_code_type}"

    @property
    def diagnosis_system(self) -> str:
        """Oracle's binding for ChargeItem.reason (fhir.cerner.com ChargeItem terminology bindings)."""
        return f"https://fhir.cerner.com/{self.source_id}/CodeSystem/BillCodes-ICD"

    def bill_code(self, code: str) -> str | None:
        """The tenant's bill code for one of our CPT/HCPCS codes, or None when the mapping lacks it."""
        mapped = self.codes.get(code)
        if mapped:
            return mapped
        return code if self.bill_code_type in ("CPT", "HCPCS") else None

    def coding(self, code: str) -> dict[str, Any]:
        coding: dict[str, Any] = {"system": self.system, "code": code}
        if self.schedule:
            coding["extension"] = [{"url": SCHEDULE_URL,
                                    "valueCoding": {"system": self.schedule[0], "code": self.schedule[1]}}]
        return coding


def parse(raw: Any) -> ChargeMaster:
    """The mapping from launch.json; ValueError saying what to fix when it cannot be used."""
    if not isinstance(raw, dict):
        raise ValueError("charge_master must be an object (see docs/ehr-registration.md)")
    source_id = str(raw.get("source_id") or "").strip()
    kind = str(raw.get("bill_code_type") or "").strip().upper()
    if not source_id:
        raise ValueError("charge_master.source_id (the tenant's EHR source id) is required")
    if kind not in BILL_CODE_TYPES:
        raise ValueError(f"charge_master.bill_code_type must be one of {', '.join(BILL_CODE_TYPES)}")
    codes = raw.get("codes") or {}
    if not isinstance(codes, dict) or not all(isinstance(v, str) and v for v in codes.values()):
        raise ValueError("charge_master.codes must map each CPT/HCPCS code to the tenant's bill code")
    schedule = raw.get("schedule")
    pair = (str(schedule["system"]), str(schedule["code"])) if isinstance(schedule, dict) \
        and schedule.get("system") and schedule.get("code") else None
    return ChargeMaster(source_id, kind, {str(k).upper(): v for k, v in codes.items()}, pair)
