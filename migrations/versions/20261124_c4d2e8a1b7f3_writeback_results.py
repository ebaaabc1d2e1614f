"""write-back results: every resource a write-back made (several for ChargeItem and Condition)

Revision ID: c4d2e8a1b7f3
Revises: 89ed4efa0a2e
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c4d2e8a1b7f3'
down_revision: str | None = '89ed4efa0a2e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('claim_submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('claim_submissions', schema=None) as batch_op:
        batch_op.drop_column('results')
