"""Units of an add-on line reach the EHR: a third vaccine is 90472 × 2 on the Claim and the ChargeItem, not × 1
(issue 14: the quantity used to live only in the suggestion's wording)."""
from __future__ import annotations

from datetime import UTC, date, datetime

from fhir.resources.R4B.claim import Claim

from smartapp.coding.pipeline import run
from smartapp.coding.types import NoteInput
from smartapp.models import CodingRun, Decision, Suggestion
from smartapp.review.approved import approved_codes
from smartapp.writeback.claim_builder import (
    CPT_SYSTEM,
    ICD10CM_SYSTEM,
    ClaimDiagnosis,
    ClaimInput,
    ClaimLine,
    build_claim,
)
from smartapp.writeback.resource_builders import Target, charge_items

_THREE_VACCINES = ("Assessment: Encounter for immunization.\nAdministered today:\n"
                   "- Influenza vaccine, high-dose (Fluzone High-Dose), 0.5 mL IM, left deltoid.\n"
                   "- RSV vaccine (Arexvy) 0.5 mL IM, right deltoid.\n"
                   "- Shingrix 0.5 mL IM, left deltoid.")


def test_the_engine_counts_the_additional_vaccines() -> None:
    lines = {s.code: s.quantity for s in run([NoteInput("n", _THREE_VACCINES)], setting="office").suggestions
             if s.category == "procedure"}
    assert lines["90471"] == 1 and lines["90472"] == 2
    assert {"90662", "90679", "90750"} <= set(lines)


def _run_with(quantity: int) -> CodingRun:
    coding_run = CodingRun()
    coding_run.suggestions = [
        Suggestion(system=ICD10CM_SYSTEM, code="Z23", display="Encounter for immunization", category="diagnosis",
                   rank=1, decision=Decision.ACCEPTED, origin="engine"),
        Suggestion(system=CPT_SYSTEM, code="90471", display="Vaccine given by injection", category="procedure",
                   rank=2, decision=Decision.ACCEPTED, origin="engine"),
        Suggestion(system=CPT_SYSTEM, code="90472", display="Each additional vaccine", category="procedure",
                   rank=3, decision=Decision.ACCEPTED, origin="engine", quantity=quantity),
    ]
    return coding_run


def test_the_claim_and_the_charges_carry_the_units() -> None:
    codes = approved_codes(_run_with(2))
    assert [(c.code, c.quantity) for c in codes.lines] == [("90471", 1), ("90472", 2)]
    claim = build_claim(ClaimInput(
        identifier_system="https://revrx.example/fhir/claim-id", identifier_value="enc-1-v1", patient_id="p-1",
        encounter_id="enc-1", provider_ref="Practitioner/pr-1", coverage_ref="Coverage/c-1",
        created=datetime(2026, 12, 6, 9, 0, tzinfo=UTC), service_date=date(2026, 12, 6),
        diagnoses=[ClaimDiagnosis(d.code, d.display, i, d.ai_suggested) for i, d in enumerate(codes.diagnoses, 1)],
        lines=[ClaimLine(c.system, c.code, c.display, codes.pointers, c.ai_suggested, quantity=c.quantity)
               for c in codes.lines]))
    Claim.model_validate(claim)
    assert [(i["productOrService"]["coding"][0]["code"], i.get("quantity", {}).get("value", 1))
            for i in claim["item"]] == [("90471", 1), ("90472", 2)]
    target = Target(key="k", patient_id="p-1", encounter_id="enc-1", provider_ref="Practitioner/pr-1",
                    service_date=date(2026, 12, 6), now=datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    assert [o.resource["quantity"]["value"] for o in charge_items(codes, target)] == [1, 2]
