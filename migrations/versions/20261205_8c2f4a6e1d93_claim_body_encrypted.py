"""claim_submissions.request_body encrypted at rest (a stored Claim names the patient and diagnoses)

The column becomes Text holding Fernet ciphertext (smartapp.security.crypto.EncryptedJSON). Rows written
before are encrypted here with the configured key: REVRX_ENCRYPTION_KEY, else the instance folder's
encryption.key (REVRX_INSTANCE_DIR). Nothing to encrypt, nothing needed; rows but no key stops the
upgrade with a message rather than leaving unreadable values.

Revision ID: 8c2f4a6e1d93
Revises: c2f8a4e6d910
Create Date: 2026-12-05 07:30:00.000000
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, MultiFernet

revision: str = '8c2f4a6e1d93'
down_revision: str | None = 'c2f8a4e6d910'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROOT = Path(__file__).resolve().parents[2]


def _cipher() -> MultiFernet:
    raw = os.environ.get("REVRX_ENCRYPTION_KEY", "").strip()
    if not raw:
        key_file = Path(os.environ.get("REVRX_INSTANCE_DIR", str(_ROOT / "instance"))) / "encryption.key"
        if not key_file.exists():
            raise RuntimeError("claim_submissions holds stored write-backs to encrypt, but no encryption key was "
                               "found: set REVRX_ENCRYPTION_KEY (or REVRX_INSTANCE_DIR) as the app has it")
        raw = key_file.read_text().strip()
    return MultiFernet([Fernet(k.strip().encode()) for k in raw.split(",") if k.strip()])


def _rows(conn: sa.Connection) -> list[tuple[int, str]]:
    found = conn.execute(sa.text("SELECT id, request_body FROM claim_submissions "
                                 "WHERE request_body IS NOT NULL")).all()
    return [(int(i), body if isinstance(body, str) else json.dumps(body)) for i, body in found]


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table('claim_submissions', schema=None) as batch_op:
        batch_op.alter_column('request_body', existing_type=sa.JSON(), type_=sa.Text(),
                              postgresql_using='request_body::text')
    rows = _rows(conn)
    cipher = _cipher() if any(body != "null" for _, body in rows) else None
    for row_id, body in rows:
        value = None if body == "null" or cipher is None else cipher.encrypt(body.encode()).decode()
        conn.execute(sa.text("UPDATE claim_submissions SET request_body = :v WHERE id = :i"),
                     {"v": value, "i": row_id})


def downgrade() -> None:
    conn = op.get_bind()
    rows = _rows(conn)
    if rows:
        cipher = _cipher()
        for row_id, body in rows:
            conn.execute(sa.text("UPDATE claim_submissions SET request_body = :v WHERE id = :i"),
                         {"v": cipher.decrypt(body.encode()).decode(), "i": row_id})
    with op.batch_alter_table('claim_submissions', schema=None) as batch_op:
        batch_op.alter_column('request_body', existing_type=sa.Text(), type_=sa.JSON(),
                              postgresql_using='request_body::json')
