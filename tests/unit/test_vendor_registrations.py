"""launch.json asks each vendor for what its documents say it offers (issue 15 item 2): Epic has no
Claim/ChargeItem create and needs DocumentReference write, offers offline_access only (so RevRX asks
for no refresh token there),
and does not echo the nonce; Oracle Health offers no patient/Practitioner, speaks v1 in its examples,
and signs id_tokens under its tenant's authorization server (accepted by prefix)."""

from __future__ import annotations

import pytest

from smartapp.smart import scopes
from smartapp.smart.registry import Registration, load_registry

REGISTRY = load_registry(env={})


def reg(reg_id: str) -> Registration:
    found = REGISTRY.by_id(reg_id)
    assert found is not None
    return found


@pytest.mark.parametrize("reg_id", ["epic-sandbox", "sandbox-epic"])
def test_epic_asks_for_a_note_write_and_never_for_a_claim(reg_id: str) -> None:
    epic = reg(reg_id)
    assert scopes.allows(set(epic.scopes), "DocumentReference", "c")
    for rtype in ("Claim", "ChargeItem", "Condition", "Composition"):
        assert not any(scopes.allows({s}, rtype, a) for s in epic.scopes for a in "crus"), rtype
    # Epic offers only offline_access, which RevRX never asks for: no refresh scope at all.
    assert not {"online_access", "offline_access"} & set(epic.scopes)
    assert epic.writeback == ("clinical_note",) and not epic.require_nonce


@pytest.mark.parametrize("reg_id", ["oracle-health-sandbox", "sandbox-oracle"])
def test_oracle_asks_in_v1_without_patient_practitioner(reg_id: str) -> None:
    oracle = reg(reg_id)
    assert oracle.scope_dialect == "v1"
    assert not any(s.startswith("patient/Practitioner") for s in oracle.scopes)
    assert "user/Practitioner.read" in oracle.scopes and "user/Condition.write" in oracle.scopes
    assert oracle.oidc_issuer_match == "prefix" and oracle.oidc_issuer and "/tenants/" in oracle.oidc_issuer
    assert oracle.writeback == ("encounter_diagnosis", "clinical_note")
    assert not any("*" in s for s in oracle.scopes)


@pytest.mark.parametrize("reg_id", ["epic-sandbox", "sandbox-epic", "oracle-health-sandbox", "sandbox-oracle"])
def test_vendors_read_without_batch_bundles(reg_id: str) -> None:
    """Issue 15 item 6: neither vendor documents how a batch's note searches are checked, so their
    registrations read with separate requests (`batch_reads` false); the generic sandbox keeps batching."""
    assert reg(reg_id).batch_reads is False
    assert reg("sandbox").batch_reads is True
