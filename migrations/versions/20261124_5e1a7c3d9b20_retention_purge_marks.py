"""retention: when a note's text and an upload's original were purged

Revision ID: 5e1a7c3d9b20
Revises: cf4e279ecaf0
Create Date: 2026-11-24 08:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5e1a7c3d9b20'
down_revision: str | None = 'cf4e279ecaf0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('notes', sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('uploaded_files', sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('uploaded_files') as batch:
        batch.drop_column('purged_at')
    with op.batch_alter_table('notes') as batch:
        batch.drop_column('purged_at')
