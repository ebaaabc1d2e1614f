"""Authorization codes and tokens in SQLite, shaped as Authlib's model mixins.

Secrets are stored only as SHA-256 hashes: a leaked sandbox DB does not leak live tokens, and lookups
stay exact. A code is claimed atomically (`UPDATE ... WHERE used = 0`), so two racing token requests
cannot both redeem it; presenting a used code again revokes every token issued from it (RFC 6749
section 4.1.2 recommends this).
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, TokenMixin


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class AuthorizedUser:
    """Who approved the request and the launch context they approved it in."""

    practitioner_id: str
    patient_id: str | None = None
    encounter_id: str | None = None
    nonce: str | None = None

    def get_user_id(self) -> str:
        return self.practitioner_id


@dataclass(frozen=True)
class StoredCode(AuthorizationCodeMixin):  # type: ignore[misc]
    code_hash: str
    client_id: str
    redirect_uri: str
    scope: str
    user_id: str
    patient_id: str | None
    encounter_id: str | None
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def user(self) -> AuthorizedUser:
        return AuthorizedUser(self.user_id, self.patient_id, self.encounter_id, self.nonce)


@dataclass(frozen=True)
class StoredToken(TokenMixin):  # type: ignore[misc]
    access_hash: str
    client_id: str
    scope: str
    user_id: str | None
    patient_id: str | None
    encounter_id: str | None
    issued_at: float
    expires_at: float
    refresh_expires_at: float | None
    revoked: bool
    refresh_revoked: bool

    def check_client(self, client: Any) -> bool:
        return bool(self.client_id == client.get_client_id())

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return int(self.expires_at - self.issued_at)

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> AuthorizedUser | None:
        return AuthorizedUser(self.user_id, self.patient_id, self.encounter_id) if self.user_id else None

    def get_client_id(self) -> str:
        return self.client_id


def save_code(conn: sqlite3.Connection, code: str, client_id: str, redirect_uri: str, scope: str,
              user: AuthorizedUser, challenge: str | None, method: str | None, ttl: int) -> None:
    now = time.time()
    conn.execute(
        "INSERT INTO auth_codes (code_hash, client_id, redirect_uri, scope, user_id, patient_id,"
        " encounter_id, nonce, code_challenge, code_challenge_method, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (digest(code), client_id, redirect_uri, scope, user.practitioner_id, user.patient_id,
         user.encounter_id, user.nonce, challenge, method, now, now + ttl),
    )


def claim_code(conn: sqlite3.Connection, code: str, client_id: str) -> StoredCode | None:
    """Redeem a code once: None when unknown, expired, for another client, or already used."""
    code_hash = digest(code)
    row = conn.execute(
        "SELECT * FROM auth_codes WHERE code_hash = ? AND client_id = ?", (code_hash, client_id)
    ).fetchone()
    if row is None:
        return None
    claimed = conn.execute(
        "UPDATE auth_codes SET used = 1 WHERE code_hash = ? AND used = 0", (code_hash,)
    ).rowcount
    if not claimed:
        conn.execute("UPDATE tokens SET revoked = 1, refresh_revoked = 1 WHERE code_hash = ?", (code_hash,))
        return None
    if time.time() >= row["expires_at"]:
        return None
    return StoredCode(
        code_hash=code_hash, client_id=row["client_id"], redirect_uri=row["redirect_uri"],
        scope=row["scope"], user_id=row["user_id"], patient_id=row["patient_id"],
        encounter_id=row["encounter_id"], nonce=row["nonce"], code_challenge=row["code_challenge"],
        code_challenge_method=row["code_challenge_method"],
    )


def save_token(conn: sqlite3.Connection, token: dict[str, Any], client_id: str,
               user: AuthorizedUser | None, code_hash: str | None, refresh_ttl: int) -> None:
    now = time.time()
    refresh = token.get("refresh_token")
    conn.execute(
        "INSERT INTO tokens (access_hash, refresh_hash, code_hash, client_id, scope, user_id,"
        " patient_id, encounter_id, issued_at, expires_at, refresh_expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (digest(token["access_token"]), digest(refresh) if refresh else None, code_hash, client_id,
         token.get("scope", ""), user.practitioner_id if user else None,
         user.patient_id if user else None, user.encounter_id if user else None,
         now, now + int(token["expires_in"]), now + refresh_ttl if refresh else None),
    )


def _token(row: sqlite3.Row | None) -> StoredToken | None:
    if row is None:
        return None
    return StoredToken(
        access_hash=row["access_hash"], client_id=row["client_id"], scope=row["scope"],
        user_id=row["user_id"], patient_id=row["patient_id"], encounter_id=row["encounter_id"],
        issued_at=row["issued_at"], expires_at=row["expires_at"],
        refresh_expires_at=row["refresh_expires_at"], revoked=bool(row["revoked"]),
        refresh_revoked=bool(row["refresh_revoked"]),
    )


def find_access_token(conn: sqlite3.Connection, access_token: str) -> StoredToken | None:
    row = conn.execute("SELECT * FROM tokens WHERE access_hash = ?", (digest(access_token),)).fetchone()
    return _token(row)


def find_refresh_token(conn: sqlite3.Connection, refresh_token: str) -> StoredToken | None:
    """A live refresh token: not revoked (rotation revokes the old one) and not past its lifetime."""
    row = conn.execute(
        "SELECT * FROM tokens WHERE refresh_hash = ? AND refresh_revoked = 0", (digest(refresh_token),)
    ).fetchone()
    token = _token(row)
    if token is None or (token.refresh_expires_at or 0) <= time.time():
        return None
    return token


def revoke_refresh(conn: sqlite3.Connection, token: StoredToken) -> None:
    conn.execute("UPDATE tokens SET refresh_revoked = 1 WHERE access_hash = ?", (token.access_hash,))


def revoke_grant(conn: sqlite3.Connection, token: StoredToken) -> None:
    """Token revocation (RFC 7009): this access token, and its refresh token, stop working."""
    conn.execute("UPDATE tokens SET revoked = 1, refresh_revoked = 1 WHERE access_hash = ?", (token.access_hash,))


def expire_codes(conn: sqlite3.Connection) -> int:
    """Fault injection: every authorization code issued so far is now expired."""
    return conn.execute("UPDATE auth_codes SET expires_at = 0 WHERE used = 0").rowcount


def expire_access_tokens(conn: sqlite3.Connection) -> int:
    """Fault injection: every access token issued so far is now expired (refresh tokens survive)."""
    return conn.execute(
        "UPDATE tokens SET expires_at = ? WHERE expires_at > ?", (time.time() - 1, time.time() - 1)
    ).rowcount


def use_assertion_jti(conn: sqlite3.Connection, jti: str, expires_at: float) -> bool:
    """Record a private_key_jwt assertion id; False when it was seen before (replay)."""
    conn.execute("DELETE FROM client_assertions WHERE expires_at < ?", (time.time(),))
    return conn.execute(
        "INSERT OR IGNORE INTO client_assertions (jti, expires_at) VALUES (?, ?)", (jti, expires_at)
    ).rowcount == 1
