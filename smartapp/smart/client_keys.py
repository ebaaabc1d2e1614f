"""RevRX's own signing keys for `private_key_jwt` registrations, and the public JWKS we publish.

A registration's `jwks_private` is one of:
- a PEM private key (an environment variable holding the key itself, for production secrets);
- inline JWKS JSON (`{"keys": [...]}`), likewise from an environment variable;
- a path to a JWKS JSON file (or a PEM file). Relative paths live under the instance folder. A missing
  JWKS file is generated on first use (dev and tests), with one key of the registration's algorithm.

Rotation is by `kid`: a JWKS file may hold several keys, newest first. Every key is published at
`/.well-known/jwks.json` (so EHRs that cached an older set still verify recent assertions), and the
newest key of the registration's algorithm signs. `python -m smartapp.smart.client_keys rotate FILE
ES384` prepends a new key; `retire FILE KID` drops an old one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwk import ECKey, JWKRegistry, RSAKey

from smartapp.fhir import client_auth as fhir_client_auth
from smartapp.security.files import private_dir, write_private
from smartapp.smart.registry import Registration, Registry

log = logging.getLogger(__name__)

PrivateKey = RSAKey | ECKey
INSTANCE = Path(__file__).resolve().parents[2] / "instance"   # as smartapp.config; configure() overrides


class KeyConfigError(ValueError):
    """A registration's key material is missing or unreadable; the message names the registration."""


@dataclass(frozen=True)
class SigningKeys:
    keys: tuple[PrivateKey, ...]   # newest first

    def signing_key(self, alg: str) -> PrivateKey:
        for key in self.keys:
            if _alg_of(key) == alg:
                return key
        raise KeyConfigError(f"no {alg} key in the key set")

    def public_keys(self) -> list[dict[str, Any]]:
        return [key.as_dict(private=False) for key in self.keys]


def _alg_of(key: PrivateKey) -> str:
    return str(key.alg or ("ES384" if isinstance(key, ECKey) else "RS384"))


def generate_key(alg: str) -> PrivateKey:
    params: Any = {"alg": alg, "use": "sig"}
    if alg.startswith("ES"):
        return ECKey.generate_key("P-384" if alg == "ES384" else "P-256", parameters=params, private=True,
                                  auto_kid=True)
    return RSAKey.generate_key(2048, parameters=params, private=True, auto_kid=True)


def _from_pem(pem: str, alg: str) -> PrivateKey:
    key: PrivateKey = ECKey.import_key(pem) if alg.startswith("ES") else RSAKey.import_key(pem)
    data = key.as_dict(private=True)
    data.update(alg=alg, use="sig", kid=key.thumbprint())
    imported = JWKRegistry.import_key(data)
    assert isinstance(imported, RSAKey | ECKey)  # noqa: S101 - same key type as the PEM
    return imported


def _from_jwks(doc: dict[str, Any]) -> tuple[PrivateKey, ...]:
    keys: list[PrivateKey] = []
    for item in doc.get("keys", []):
        key = JWKRegistry.import_key(item)
        if not isinstance(key, RSAKey | ECKey) or not key.is_private:
            raise KeyConfigError("every key in a private JWKS must be an RSA or EC private key")
        if not key.kid:
            raise KeyConfigError("every key in a private JWKS needs a kid")
        keys.append(key)
    if not keys:
        raise KeyConfigError("the JWKS holds no keys")
    return tuple(keys)


def _write_new(path: Path, doc: dict[str, Any]) -> None:
    """Create `path` atomically, once: two processes starting together end up with the same key."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".jwks-")   # mkstemp: 0600 from the start
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(doc, handle, indent=1)
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):   # another process created it first: theirs wins
            os.link(tmp, path)
    finally:
        os.unlink(tmp)


def _resolve(spec: str, instance_dir: Path) -> Path:
    path = Path(spec).expanduser()
    return path if path.is_absolute() else instance_dir / path


_cache: dict[tuple[str, str, str], tuple[float, SigningKeys]] = {}
_lock = threading.Lock()
_instance_dir: Path = INSTANCE


def configure(instance_dir: Path) -> None:
    """Where relative key paths live (the app's instance folder); set once at app start-up."""
    global _instance_dir
    _instance_dir = Path(instance_dir)


def load_keys(spec: str, alg: str, instance_dir: Path) -> SigningKeys:
    """The keys `spec` names (PEM, JWKS JSON or a file path), generating a missing JWKS file."""
    text = spec.strip()
    try:
        if text.startswith("-----BEGIN"):
            return SigningKeys((_from_pem(text, alg),))
        if text.startswith("{"):
            return SigningKeys(_from_jwks(json.loads(text)))
        path = _resolve(text, instance_dir)
        if not path.exists():
            _write_new(path, {"keys": [generate_key(alg).as_dict(private=True)]})
            log.info("generated a new %s client key in %s", alg, path)
        stamp = path.stat().st_mtime
        cache_key = (str(path), alg, str(instance_dir))
        with _lock:
            hit = _cache.get(cache_key)
            if hit and hit[0] == stamp:
                return hit[1]
        raw = path.read_text(encoding="utf-8")
        keys = SigningKeys((_from_pem(raw, alg),)) if raw.lstrip().startswith("-----BEGIN") \
            else SigningKeys(_from_jwks(json.loads(raw)))
        with _lock:
            _cache[cache_key] = (stamp, keys)
        return keys
    except (JoseError, ValueError, TypeError, OSError) as err:
        if isinstance(err, KeyConfigError):
            raise
        raise KeyConfigError(f"cannot read the signing key: {type(err).__name__}") from err


def keys_for(reg: Registration, instance_dir: Path | None = None) -> SigningKeys:
    if not reg.jwks_private:
        raise KeyConfigError(f"registration {reg.id!r} uses private_key_jwt but has no jwks_private")
    try:
        return load_keys(reg.jwks_private, reg.assertion_alg, instance_dir or _instance_dir)
    except KeyConfigError as err:
        raise KeyConfigError(f"registration {reg.id!r}: {err}") from err


def client_assertion(reg: Registration, token_endpoint: str, instance_dir: Path | None = None,
                     now: float | None = None) -> str:
    """A SMART client assertion: iss = sub = client_id, aud = the token URL, a unique jti, a short exp,
    signed by the newest key of the registration's algorithm, with its kid and typ=JWT."""
    key = keys_for(reg, instance_dir).signing_key(reg.assertion_alg)
    return fhir_client_auth.client_assertion(reg.client_id, token_endpoint, key, reg.assertion_alg, now=now)


def public_jwks(registry: Registry, instance_dir: Path | None = None) -> dict[str, Any]:
    """Every private_key_jwt registration's public keys, once each (by kid)."""
    seen: dict[str, dict[str, Any]] = {}
    for reg in registry:
        if reg.client_auth != "private_key_jwt":
            continue
        try:
            for key in keys_for(reg, instance_dir).public_keys():
                seen.setdefault(str(key.get("kid")), key)
        except KeyConfigError as err:
            # One broken registration must not take every other EHR's launches down with it.
            log.error("%s", err)
    return {"keys": list(seen.values())}


def rotate(path: Path, alg: str) -> str:
    """Prepend a new key to a JWKS file (it signs from now on); return its kid."""
    doc = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"keys": []}
    key = generate_key(alg)
    doc["keys"] = [key.as_dict(private=True), *doc.get("keys", [])]
    tmp = path.with_suffix(".tmp")
    write_private(tmp, json.dumps(doc, indent=1).encode("utf-8"))
    tmp.replace(path)
    return str(key.kid)


def retire(path: Path, kid: str) -> int:
    """Drop the key `kid` from a JWKS file (once EHRs no longer need it); return how many keys remain."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["keys"] = [k for k in doc.get("keys", []) if k.get("kid") != kid]
    if not doc["keys"]:
        raise KeyConfigError("refusing to remove the last key")
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return len(doc["keys"])


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "rotate":
        print(rotate(Path(argv[1]), argv[2]))  # noqa: T201 - a CLI
        return 0
    if len(argv) == 3 and argv[0] == "retire":
        print(retire(Path(argv[1]), argv[2]))  # noqa: T201
        return 0
    print("usage: python -m smartapp.smart.client_keys rotate FILE RS384|ES384 | retire FILE KID")  # noqa: T201
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
