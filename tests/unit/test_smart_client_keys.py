"""RevRX's private_key_jwt keys: generated on first use, read from a PEM or JWKS, published as a
public JWKS (with Cache-Control), rotated by kid; and the client assertion's header and claims."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from joserfc import jwk, jwt

from smartapp.smart import client_keys
from smartapp.smart.registry import Registration, Registry

TOKEN_URL = "https://ehr.example/oauth2/token"


def reg(spec: str | None, alg: str = "RS384", rid: str = "r") -> Registration:
    return Registration(id=rid, name=rid, vendor="x", iss="https://ehr.example/fhir", client_id=f"client-{rid}",
                        client_auth="private_key_jwt", scopes=("launch",), launch_url="https://app/launch",
                        redirect_uris=("https://app/callback",), jwks_private=spec, assertion_alg=alg)


@pytest.mark.parametrize("alg", ["RS384", "ES384"])
def test_assertion_follows_smart_rules(tmp_path: Path, alg: str) -> None:
    registration = reg("keys/k.json", alg)
    first = client_keys.client_assertion(registration, TOKEN_URL, tmp_path)
    second = client_keys.client_assertion(registration, TOKEN_URL, tmp_path)
    public = jwk.KeySet.import_key_set(client_keys.public_jwks(Registry(None, [registration]), tmp_path))  # type: ignore[arg-type]
    token = jwt.decode(first, public, algorithms=[alg])
    assert token.header["alg"] == alg and token.header["typ"] == "JWT"
    assert token.header["kid"] == public.keys[0].kid
    claims = token.claims
    assert claims["iss"] == claims["sub"] == "client-r" and claims["aud"] == TOKEN_URL
    assert 0 < claims["exp"] - time.time() <= 300
    assert claims["jti"] != jwt.decode(second, public, algorithms=[alg]).claims["jti"], "jti is unique"
    assert (tmp_path / "keys" / "k.json").stat().st_mode & 0o777 == 0o600, "generated once, private"


def test_rotation_publishes_both_and_the_newest_signs(tmp_path: Path) -> None:
    registration = reg("k.json")
    old = client_keys.keys_for(registration, tmp_path).signing_key("RS384").kid
    new = client_keys.rotate(tmp_path / "k.json", "RS384")
    published = client_keys.public_jwks(Registry(None, [registration]), tmp_path)  # type: ignore[arg-type]
    assert [k["kid"] for k in published["keys"]] == [new, old]
    assert all("d" not in k for k in published["keys"]), "never the private part"
    header = jwt.decode(client_keys.client_assertion(registration, TOKEN_URL, tmp_path),
                        jwk.KeySet.import_key_set(published), algorithms=["RS384"]).header
    assert header["kid"] == new
    assert client_keys.retire(tmp_path / "k.json", old) == 1


def test_pem_from_the_environment(tmp_path: Path) -> None:
    key = jwk.ECKey.generate_key("P-384", private=True)
    registration = reg(key.as_pem(private=True).decode(), "ES384")
    assertion = client_keys.client_assertion(registration, TOKEN_URL, tmp_path)
    public = jwk.ECKey.import_key(key.as_pem(private=False))
    assert jwt.decode(assertion, public, algorithms=["ES384"]).header["kid"] == key.thumbprint()
    assert not list(tmp_path.iterdir()), "nothing written for a key given in the environment"


def test_broken_key_material_is_named_and_does_not_hide_the_others(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"keys": [{"kty": "RSA", "n": "x", "e": "AQAB"}]}))
    good, bad = reg("good.json", rid="good"), reg("bad.json", rid="bad")
    with pytest.raises(client_keys.KeyConfigError, match="'bad'"):
        client_keys.client_assertion(bad, TOKEN_URL, tmp_path)
    with pytest.raises(client_keys.KeyConfigError, match="jwks_private"):
        client_keys.client_assertion(reg(None), TOKEN_URL, tmp_path)
    published = client_keys.public_jwks(Registry(None, [good, bad]), tmp_path)  # type: ignore[arg-type]
    assert len(published["keys"]) == 1
