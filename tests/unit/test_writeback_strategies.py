"""Which write-back an EHR gets: launch.json preferences, kept only when the token's scopes allow the
create and the CapabilityStatement offers it; every strategy passed over says why in words."""

from __future__ import annotations

from typing import Any

from smartapp.writeback.strategies import choose, server_accepts


def capability(*types: str, operation_only: tuple[str, ...] = ()) -> dict[str, Any]:
    resources: list[dict[str, Any]] = [
        {"type": t, "interaction": [{"code": "read"}, {"code": "create"}]} for t in types]
    resources += [{"type": t, "interaction": [{"code": "read"}], "operation": [{"name": "$create"}]}
                  for t in operation_only]
    return {"resourceType": "CapabilityStatement", "rest": [{"mode": "server", "resource": resources}]}


def test_claim_is_chosen_when_granted_and_offered() -> None:
    choice = choose(["claim", "document_reference"], "launch user/Claim.c", capability("Claim"))
    assert choice.strategy is not None and choice.strategy.name == "claim"
    assert choice.reason is None and choice.passed_over == []


def test_server_without_claim_falls_to_charge_item_and_says_why() -> None:
    choice = choose(["claim", "charge_item"], "user/Claim.c user/ChargeItem.c", capability("ChargeItem"))
    assert choice.strategy is not None and choice.strategy.resource_type == "ChargeItem"
    assert choice.passed_over == ["The EHR's FHIR server does not accept Claim resources."]


def test_oracle_style_charge_item_create_operation_counts() -> None:
    cs = capability(operation_only=("ChargeItem",))
    assert server_accepts(cs, "ChargeItem")
    assert choose(["charge_item"], "user/ChargeItem.write", cs).available   # v1 write implies create


def test_missing_scope_is_reported_even_when_the_server_offers_it() -> None:
    choice = choose(["claim", "encounter_diagnosis"], "patient/Encounter.rs user/Condition.c",
                    capability("Claim", "Condition"))
    assert choice.strategy is not None and choice.strategy.name == "encounter_diagnosis"
    assert "not granted permission to create Claim" in choice.passed_over[0]


def test_nothing_possible_gives_every_reason_and_no_strategy() -> None:
    choice = choose(["claim", "document_reference"], "user/Claim.c", capability("Patient"))
    assert not choice.available
    assert choice.reason is not None
    assert "does not accept Claim" in choice.reason and "create DocumentReference" in choice.reason


def test_unknown_capabilities_leave_the_scopes_to_decide() -> None:
    assert choose(["claim"], "user/Claim.c", None).available
    assert not choose(["claim"], "user/Patient.r", None).available


def test_unknown_strategy_names_are_ignored() -> None:
    choice = choose(["fax", "document_reference"], "user/DocumentReference.c", None)
    assert choice.strategy is not None and choice.strategy.name == "document_reference"


def test_without_oauth_scopes_the_server_alone_decides() -> None:
    # A Basic or API-key connection grants no scopes: nothing is ruled out for want of one.
    choice = choose(["claim", "charge_item", "document_reference"], None, capability("ChargeItem"))
    assert choice.strategy is not None and choice.strategy.name == "charge_item"
    assert choice.passed_over == ["The EHR's FHIR server does not accept Claim resources."]
    assert choose(["claim"], None, None).available


def test_many_missing_scopes_make_one_sentence() -> None:
    choice = choose(["claim", "charge_item", "document_reference"], "system/*.rs", None)
    assert choice.reason == ("RevRX was not granted permission to create Claim, ChargeItem or DocumentReference "
                             "in this EHR.")
    assert len(choice.passed_over) == 3, "the preview still lists each strategy passed over"
