"""What an approval will send: the strategy for this EHR and the exact resources, or why nothing.

The preview shows a plan and the approval sends one, built the same way, so what the person confirmed
is what goes out. A plan's digest covers everything that decides the payload (strategy, codes in
order, coverage, target); the confirm form carries it back, and a changed plan is shown again
instead of being sent.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from smartapp.ehr_access.destination import Destination
from smartapp.fhir.client import FhirClient
from smartapp.fhir.coverage import find_coverage
from smartapp.fhir.errors import FhirAuthError, FhirError
from smartapp.models import CodingRun, Encounter, User
from smartapp.review.approved import ApprovedCodes, approved_codes
from smartapp.writeback import charge_master, report, resource_builders
from smartapp.writeback.claim_builder import (
    ClaimDiagnosis,
    ClaimInput,
    ClaimLine,
    ClaimValidationError,
    build_claim,
    conditional_query,
)
from smartapp.writeback.resource_builders import Author, Outgoing, Target
from smartapp.writeback.sending import trusts_if_none_exist
from smartapp.writeback.strategies import Choice, Strategy, choose

IDENTIFIER_SYSTEM = "https://revrx.example/fhir/claim-id"


class WritebackRefused(RuntimeError):
    """Nothing was sent: the message says why (no accepted diagnosis, no coverage, no session…)."""


@dataclass
class Plan:
    strategy: Strategy | None
    codes: ApprovedCodes
    outgoing: list[Outgoing] = field(default_factory=list)
    refusal: str | None = None          # set: nothing will be sent, and this says why
    passed_over: list[str] = field(default_factory=list)
    coverage_ref: str | None = None
    ehr_name: str = "the EHR"
    author: Author | None = None        # who the EHR will show as author / enterer / recorder
    author_how: str = ""                # "your own EHR sign-in" or "the connection's system identity"
    # The server honours If-None-Exist (declared, and not a vendor that never documented it): a resend
    # is harmless. Otherwise each create is searched for before it is resent (writeback/sending.py).
    conditional_create: bool = False
    # The encounter's provider as the EHR names it, shown on the preview of a Claim (its rendering
    # provider); None when the EHR named none RevRX could find.
    provider: str | None = None

    @property
    def sendable(self) -> bool:
        return self.strategy is not None and self.refusal is None and bool(self.outgoing)

    @property
    def claim_without_lines(self) -> bool:
        """A Claim with diagnoses but no service line (the E/M and procedures were all rejected):
        most payers deny it, so the preview warns and the person must choose to send it anyway."""
        return self.sendable and self.strategy is not None and self.strategy.name == "claim" \
            and not self.codes.lines

    @property
    def digest(self) -> str:
        material = {
            "strategy": self.strategy.name if self.strategy else None, "coverage": self.coverage_ref,
            "dx": [(c.system, c.code, c.ai_suggested) for c in self.codes.diagnoses],
            "lines": [(c.system, c.code, c.ai_suggested) for c in self.codes.lines],
            "targets": [o.if_none_exist for o in self.outgoing],
            "author": [self.author.ref, self.author.name] if self.author else None,
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:32]


def idempotency_key(encounter: Encounter, run: CodingRun) -> str:
    """The same for every retry and double click of one coding run's approval, and different across
    RevRX databases writing to one EHR: row ids repeat when a database is recreated (or a staging copy
    shares the EHR), a run's creation instant does not. Resource identifiers derive from it."""
    stamp = run.created_at.strftime("%Y%m%d%H%M%S%f") if run.created_at else "0"
    return f"revrx-{encounter.fhir_encounter_id or 'local'}-{encounter.id}-{run.id}-{stamp}"


def provider_ref(encounter: Encounter, user: User) -> str | None:
    if encounter.fhir_provider_id:
        return f"Practitioner/{encounter.fhir_provider_id}"
    return _person_ref(user.fhir_user)


def _person_ref(fhir_user: str) -> str | None:
    """`.../Practitioner/7` → `Practitioner/7`; None for anything that cannot author (a Patient, a local id)."""
    parts = fhir_user.rstrip("/").split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 and parts[-2] in ("Practitioner", "PractitionerRole") else None


def author_for(destination: Destination | None, user: User) -> tuple[Author | None, str]:
    """Who what is written names as its author, enterer or recorder, and how to say so in the preview.

    Through a launch: the acting user, whose own launch it is (routing never uses another person's), as
    Oracle requires of provider access ("the author must be the authorized provider"). Through a
    connection: the connection's named system identity, never a person who did not write it."""
    if destination is None:
        return None, ""
    if destination.via == "connection":
        return (Author(destination.system_author_ref, destination.system_author_name or destination.name),
                "the connection's system identity")
    return Author(_person_ref(user.fhir_user), user.display_name or "you"), "your own EHR sign-in"


def choose_for(destination: Destination | None, capability: dict[str, Any] | None) -> Choice:
    if destination is None:
        return Choice(None, ["Write-back needs a way into the EHR: launch this encounter from the EHR, "
                             "or sync it through an active FHIR connection."])
    choice = choose(destination.preferences, destination.granted, capability)
    if choice.strategy is None and choice.unscoped and destination.via == "connection":
        first = choice.unscoped[0]
        return replace(choice, hint=f"Add a create scope (e.g. system/{first}.c) to the connection's scopes "
                                    "and to its registration in the EHR.")
    return choice


def capabilities(client: FhirClient) -> dict[str, Any] | None:
    """The server's CapabilityStatement, read afresh: what the server accepts decides the write-back,
    and it can change (a server drops Claim). None when unreadable: then the scopes alone decide."""
    try:
        statement = client.capabilities(fresh=True)
    except FhirAuthError:
        raise
    except FhirError:
        return None
    return statement if statement.get("resourceType") == "CapabilityStatement" else None


def make_plan(encounter: Encounter, run: CodingRun, user: User, destination: Destination | None,
              client: FhirClient | None) -> Plan:
    """Reads the CapabilityStatement (and the Coverage, for a Claim) through `client`, afresh."""
    codes = approved_codes(run)
    capability = capabilities(client) if client is not None else None
    choice = choose_for(destination, capability)
    author, author_how = author_for(destination, user)
    plan = Plan(choice.strategy, codes, passed_over=choice.passed_over,
                ehr_name=destination.name if destination else "the EHR", author=author, author_how=author_how)
    if choice.strategy is None or client is None:
        plan.refusal = choice.reason
        return plan
    plan.conditional_create = trusts_if_none_exist(capability, choice.strategy.resource_type,
                                                   destination.vendor if destination else "")
    if codes.empty:
        plan.refusal = "Accept at least one code before writing back."
        return plan
    if not encounter.fhir_patient_id or not encounter.fhir_encounter_id:
        plan.refusal = "This encounter is not linked to an EHR encounter, so there is nothing to write to."
        return plan
    target = Target(key=idempotency_key(encounter, run), patient_id=encounter.fhir_patient_id,
                    encounter_id=encounter.fhir_encounter_id, provider_ref=provider_ref(encounter, user),
                    service_date=encounter.date_of_service, now=datetime.now(UTC), author=author)
    try:
        if choice.strategy.name == "claim":
            plan.provider = _rendering_provider(encounter)
            found = find_coverage(client, encounter.fhir_patient_id, encounter.date_of_service)
            plan.coverage_ref = f"Coverage/{found['id']}" if found and found.get("id") else None
            fallback = _without_coverage(encounter, run, user, destination, capability, codes, target) \
                if plan.coverage_ref is None else None
            if fallback is not None:
                # No Coverage, no Claim: the next write-back the registration allows and the server accepts
                # (and that these codes can make), and the preview says why the Claim was passed over.
                plan.strategy, plan.outgoing = fallback
                plan.passed_over = [NO_COVERAGE, *choice.passed_over]
                plan.conditional_create = trusts_if_none_exist(capability, fallback[0].resource_type,
                                                               destination.vendor if destination else "")
                return plan
        plan.outgoing = _outgoing(choice.strategy, encounter, run, user, codes, target, plan.coverage_ref,
                                  destination)
    except ClaimValidationError as err:
        plan.refusal = str(err)
    return plan


def _outgoing(strategy: Strategy, encounter: Encounter, run: CodingRun, user: User, codes: ApprovedCodes,
              target: Target, coverage_ref: str | None, destination: Destination | None) -> list[Outgoing]:
    """What `strategy` sends for these codes; ClaimValidationError when they cannot make it."""
    if strategy.name == "claim":
        return [_claim(codes, target, coverage_ref, destination.claim_status if destination else "draft")]
    if strategy.name == "charge_item":
        return _charges(codes, target, destination)
    if strategy.name == "encounter_diagnosis":
        return resource_builders.encounter_conditions(codes, target)
    content = report.build_report(encounter, run, user, generated=target.now)
    if strategy.name == "clinical_note":
        return [resource_builders.clinical_note(report.report_text(content), target)]
    return [resource_builders.report_document(report.report_pdf(content), report.report_json(content), target)]


def _charges(codes: ApprovedCodes, target: Target, destination: Destination | None) -> list[Outgoing]:
    """Plain ChargeItem creates, or Oracle Health's `$create` with the customer's charge-master mapping."""
    raw = destination.charge_master if destination else None
    if raw is None and (destination is None or destination.vendor != "oracle"):
        return resource_builders.charge_items(codes, target)
    if raw is None:
        raise ClaimValidationError("Oracle Health takes charges only in the organisation's own bill codes: its "
                                   "charge-master mapping (charge_master in launch.json) is not configured.")
    try:
        master = charge_master.parse(raw)
    except ValueError as err:
        raise ClaimValidationError(f"The charge-master mapping cannot be used: {err}.") from None
    return resource_builders.oracle_charge_items(codes, target, master)


NO_COVERAGE = "The patient has no active Coverage in the EHR, so no Claim was prepared."


def _without_coverage(encounter: Encounter, run: CodingRun, user: User, destination: Destination | None,
                      capability: dict[str, Any] | None, codes: ApprovedCodes,
                      target: Target) -> tuple[Strategy, list[Outgoing]] | None:
    """The first write-back after the Claim, in the registration's order, that the server accepts and these
    codes can make (ChargeItems need a service line); None when there is none (the Claim's refusal stands)."""
    if destination is None:
        return None
    left = tuple(p for p in destination.preferences if p != "claim")
    while left:
        choice = choose_for(replace(destination, preferences=left), capability)
        if choice.strategy is None:
            return None
        try:
            return choice.strategy, _outgoing(choice.strategy, encounter, run, user, codes, target, None, destination)
        except ClaimValidationError:
            left = left[left.index(choice.strategy.name) + 1:]
    return None


def _rendering_provider(encounter: Encounter) -> str:
    """The Claim's rendering provider is the encounter's, never whoever approves: an encounter whose
    provider the EHR did not resolve (a conditional reference, "Provider: not recorded") is refused,
    not sent under the approver's name (an ED Claim once named the primary-care physician who opened it)."""
    if not encounter.fhir_provider_id:
        named = f" (the EHR names \"{encounter.provider_name}\" but RevRX could not find that practitioner)" \
            if encounter.provider_name else ""
        raise ClaimValidationError(f"The encounter has no rendering provider to put on the claim{named}. RevRX "
                                   "does not put the approver's name in its place: record the provider on the "
                                   "encounter in the EHR, then re-run coding.")
    return encounter.provider_name or f"Practitioner/{encounter.fhir_provider_id}"


def _claim(codes: ApprovedCodes, target: Target, coverage_ref: str | None, status: str) -> Outgoing:
    if not codes.diagnoses:
        raise ClaimValidationError("Accept at least one diagnosis before writing back.")
    if target.provider_ref is None:
        raise ClaimValidationError("The encounter has no rendering provider to put on the claim.")
    claim = build_claim(ClaimInput(
        identifier_system=IDENTIFIER_SYSTEM, identifier_value=target.key, patient_id=target.patient_id,
        encounter_id=target.encounter_id, provider_ref=target.provider_ref, coverage_ref=coverage_ref,
        created=target.now, service_date=target.service_date, status=status,
        diagnoses=[ClaimDiagnosis(d.code, d.display, i, d.ai_suggested) for i, d in enumerate(codes.diagnoses, 1)],
        lines=[ClaimLine(c.system, c.code, c.display, codes.pointers, c.ai_suggested, quantity=c.quantity)
               for c in codes.lines],
        enterer=target.author.reference() if target.author else None,
    ))
    return Outgoing(claim, conditional_query(IDENTIFIER_SYSTEM, target.key), target.key)
