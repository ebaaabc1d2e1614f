"""where a subscription's search catch-up left off (plain R4 pings, EHRs without $events) — issue 17

Revision ID: a617d97ca5fc
Revises: b113f8ad46ce
Create Date: 2026-12-05 11:58:00.037401
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a617d97ca5fc'
down_revision: str | None = 'b113f8ad46ce'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ehr_subscriptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('caught_up_at', sa.DateTime(timezone=True), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('ehr_subscriptions', schema=None) as batch_op:
        batch_op.drop_column('caught_up_at')

