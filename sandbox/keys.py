"""The sandbox's id_token signing key: an RSA key created once and kept in the `settings` table.

Keeping the key in the database (not in memory) means id_tokens stay verifiable across restarts and
across several processes sharing one DB file; `INSERT OR IGNORE` + re-read settles the race when two
processes start on a fresh file at once.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from joserfc import jwk, jwt

SETTING = "id_token_signing_key"
ALG = "RS256"


def load_or_create_key(conn: sqlite3.Connection) -> jwk.RSAKey:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    if row is None:
        key = jwk.RSAKey.generate_key(
            2048, parameters={"use": "sig", "alg": ALG}, private=True, auto_kid=True
        )
        conn.execute(
            "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
            (SETTING, json.dumps(key.as_dict(private=True))),
        )
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    return jwk.RSAKey.import_key(json.loads(row["value"]))


class Signer:
    """Signs id_tokens and publishes the public half as a JWKS."""

    def __init__(self, key: jwk.RSAKey) -> None:
        self.key = key

    @property
    def kid(self) -> str:
        return str(self.key.kid)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def id_token(
        self,
        *,
        issuer: str,
        subject: str,
        audience: str,
        fhir_user: str | None,
        nonce: str | None,
        name: str | None = None,
        lifetime: int = 3600,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer,
            "sub": subject,
            "aud": audience,
            "iat": now,
            "exp": now + lifetime,
            "auth_time": now,
        }
        if fhir_user:
            claims["fhirUser"] = fhir_user
        if nonce:
            claims["nonce"] = nonce
        if name:
            claims["name"] = name
        return jwt.encode({"alg": ALG, "kid": self.kid, "typ": "JWT"}, claims, self.key)
