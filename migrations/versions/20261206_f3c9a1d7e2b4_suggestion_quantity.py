"""units of a suggested line (add-ons such as 90472, 90461, 99292, 99417 reach the Claim with their quantity) — issue 14

Revision ID: f3c9a1d7e2b4
Revises: a617d97ca5fc
Create Date: 2026-12-06 06:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'f3c9a1d7e2b4'
down_revision: str | None = 'a617d97ca5fc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quantity', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_column('quantity')
