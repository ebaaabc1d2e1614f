"""fhir ids up to 255 characters: Epic customers may use unconstrained ids longer than FHIR's 64

Revision ID: c2f8a4e6d910
Revises: 3f6b2d8e9a41
Create Date: 2026-12-05 07:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c2f8a4e6d910'
down_revision: str | None = '3f6b2d8e9a41'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, old length, new length)
WIDENED = (
    ("encounters", "fhir_encounter_id", 200, 255),
    ("encounters", "fhir_patient_id", 200, 255),
    ("encounters", "fhir_provider_id", 200, 255),
    ("notes", "resource_id", 200, 300),
    ("launch_sessions", "patient_id", 200, 255),
    ("launch_sessions", "encounter_id", 200, 255),
    ("claim_submissions", "fhir_id", 200, 255),
    ("claim_submissions", "idempotency_key", 200, 320),   # carries the FHIR encounter id
    ("sync_items", "fhir_encounter_id", 200, 255),
    ("audit_events", "resource_id", 200, 300),
)


def _alter(grow: bool) -> None:
    for table, column, old, new in WIDENED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.String(length=old if grow else new),
                                  type_=sa.String(length=new if grow else old))


def upgrade() -> None:
    _alter(grow=True)


def downgrade() -> None:
    _alter(grow=False)
