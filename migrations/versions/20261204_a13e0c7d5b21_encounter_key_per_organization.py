"""encounter key per organization: one EHR encounter may be held by several organisations, each with its
own row; a launch or a sync only ever finds its own organisation's

Revision ID: a13e0c7d5b21
Revises: 7b3e9f1c2a64
Create Date: 2026-12-04 18:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = 'a13e0c7d5b21'
down_revision: str | None = '7b3e9f1c2a64'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('encounters', schema=None) as batch_op:
        batch_op.drop_constraint('uq_encounters_fhir_key', type_='unique')
        batch_op.create_unique_constraint('uq_encounters_fhir_key',
                                          ['organization_id', 'source_system', 'fhir_encounter_id'])


def downgrade() -> None:
    with op.batch_alter_table('encounters', schema=None) as batch_op:
        batch_op.drop_constraint('uq_encounters_fhir_key', type_='unique')
        batch_op.create_unique_constraint('uq_encounters_fhir_key', ['source_system', 'fhir_encounter_id'])
