"""launch.json registrations (several per issuer, explicit selection, checks that fail fast) and the
scopes one launch asks for (EHR or standalone, v1 or v2, granted scopes parsed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from smartapp.smart import scopes
from smartapp.smart.registry import RegistryError, load_registry

ISS = "https://ehr.example/fhir"


def registry(tmp_path: Path, *regs: dict[str, Any]) -> Any:
    base = {"iss": ISS, "client_id": "c", "client_auth": "public", "scopes": ["launch"],
            "launch_url": "https://app.example/launch", "redirect_uris": ["https://app.example/callback"]}
    path = tmp_path / "launch.json"
    path.write_text(json.dumps({"registrations": [{**base, **r} for r in regs]}))
    return load_registry(path, env={})


def test_several_registrations_share_an_issuer(tmp_path: Path) -> None:
    reg = registry(tmp_path, {"id": "a"}, {"id": "b", "iss": ISS + "/"}, {"id": "other", "iss": "https://x.example"})
    assert [r.id for r in reg.for_iss(ISS)] == ["a", "b"]
    assert reg.by_iss(ISS + "/").id == "a", "the first one listed is the issuer's default"
    assert reg.select(ISS, "b").id == "b" and reg.select(None, "b").id == "b"
    assert reg.select(ISS, None).id == "a"
    assert reg.select(ISS, "other") is None, "a registration of another issuer is not a match"
    assert reg.select("https://unknown.example", None) is None and reg.select(ISS, "nope") is None


def test_prefix_issuers_for_launchers_that_encode_settings_in_the_url(tmp_path: Path) -> None:
    sim = {"id": "sim", "iss": "https://launcher.example/v/r4", "iss_match": "prefix"}
    reg = registry(tmp_path, {"id": "exact"}, sim)
    launched = "https://launcher.example/v/r4/sim/eyJhIjoxfQ/fhir"
    assert reg.select(launched, None).id == "sim" and reg.select(launched, "sim").id == "sim"
    assert reg.select("https://launcher.example/v/r4-evil/fhir", None) is None, "a path boundary, not a string prefix"
    assert reg.select(launched, "exact") is None
    repo = load_registry(env={})
    assert repo.select("https://launch.smarthealthit.org/v/r4/sim/abc/fhir", None).id == "smart-launcher"


@pytest.mark.parametrize(("raw", "says"), [
    ({"id": "a", "client_auth": "client_secret_basic"}, "client_secret"),
    ({"id": "a", "client_auth": "private_key_jwt", "assertion_alg": "HS256"}, "assertion_alg"),
    ({"id": "a", "client_auth": "magic"}, "unsupported client_auth"),
    ({"id": "a", "scope_dialect": "v3"}, "scope_dialect"),
    ({"id": "a", "allow_wildcards": False, "scopes": ["patient/*.rs"]}, "wildcard"),
    ({"id": "a", "redirect_uris": []}, "redirect_uris"),
    ({"id": "a", "scopes": ["launch", "offline_access"]}, "refresh_why"),
    ({"id": "a", "scopes": ["launch"], "standalone_scopes": ["online_access"], "refresh_why": " "}, "refresh_why"),
])
def test_bad_registrations_fail_at_start_up(tmp_path: Path, raw: dict[str, Any], says: str) -> None:
    with pytest.raises(RegistryError, match=says):
        registry(tmp_path, raw)


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="twice"):
        registry(tmp_path, {"id": "a"}, {"id": "a"})


def test_repository_launch_json_has_every_client_type_for_the_sandbox() -> None:
    reg = load_registry(env={"SANDBOX_BASE_URL": "http://127.0.0.1:9999", "APP_BASE_URL": "http://app:1"})
    sandbox = reg.for_iss("http://127.0.0.1:9999/fhir")
    kinds = {(r.client_auth, r.assertion_alg if r.client_auth == "private_key_jwt" else "") for r in sandbox}
    assert {("public", ""), ("client_secret_basic", ""), ("client_secret_post", ""),
            ("private_key_jwt", "RS384"), ("private_key_jwt", "ES384")} <= kinds
    assert sandbox[0].id == "sandbox", "the EHR's default button keeps using the default registration"
    for r in sandbox[1:]:
        assert r.launch_url == f"http://app:1/launch?registration={r.id}"
    oracle = reg.by_id("oracle-health-sandbox")
    assert oracle is not None and not oracle.allow_wildcards


def test_repository_registrations_ask_for_refresh_tokens_only_with_a_reason() -> None:
    """In-EHR sessions use online_access (the refresh token ends with the EHR session); offline_access,
    which outlives it, is asked for only by the registration showing a customer's opt-in on Epic (which
    offers nothing else), and says why."""
    reg = load_registry(env={})
    for r in reg:
        asked = set(r.scopes) | set(r.standalone_scopes or ())
        if "offline_access" in asked:
            assert r.id == "sandbox-epic-offline", f"{r.id} asks for offline_access"
            assert r.refresh_why and "offline_access, opted in" in r.refresh_why
        if "online_access" in asked:
            assert r.refresh_why and "online_access" in r.refresh_why, f"{r.id} does not say why it refreshes"
    assert "online_access" in reg.by_id("sandbox").scopes


def test_scope_dialects() -> None:
    assert scopes.to_v1("patient/Encounter.rs") == "patient/Encounter.read"
    assert scopes.to_v1("user/Claim.c") == "user/Claim.write"
    assert scopes.to_v1("patient/Observation.cruds") == "patient/Observation.*"
    assert scopes.to_v2("patient/Encounter.read") == "patient/Encounter.rs"
    assert scopes.to_v2("user/Claim.write") == "user/Claim.cud"
    assert scopes.to_v2("launch") == "launch" and scopes.to_v1("openid") == "openid"
    assert scopes.dialect_for("v2", ["permission-v1"]) == "v1", "the server speaks only v1"
    assert scopes.dialect_for("v1", ["permission-v1", "permission-v2"]) == "v1"
    assert scopes.dialect_for("auto", ["permission-v2"]) == "v2"
    assert scopes.dialect_for("v1", []) == "v1", "a server that says nothing gets what was registered"


def test_requested_scopes_for_each_launch_kind() -> None:
    listed = ["launch", "openid", "patient/Encounter.rs", "user/Claim.c"]
    ehr = scopes.requested(listed, dialect="v2", capabilities=["permission-v2"], standalone=False)
    assert ehr == listed
    alone = scopes.requested(listed, dialect="v2", capabilities=["context-standalone-encounter"], standalone=True)
    assert alone[:2] == ["launch/patient", "launch/encounter"] and "launch" not in alone
    plain = scopes.requested(listed, dialect="v1", capabilities=["permission-v1"], standalone=True)
    assert "launch/encounter" not in plain and "user/Claim.write" in plain and "patient/Encounter.read" in plain


def test_granted_scopes_and_what_they_allow() -> None:
    assert scopes.granted(None, "launch  openid") == "launch openid", "no `scope` answer: what was asked"
    granted = scopes.granted("patient/Encounter.read user/Claim.write", "ignored")
    assert scopes.allows(granted, "Claim", "c") and scopes.allows(granted, "Encounter", "s")
    assert not scopes.allows("patient/Encounter.rs", "Claim", "c")
