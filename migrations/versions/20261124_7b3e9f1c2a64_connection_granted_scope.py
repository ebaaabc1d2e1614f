"""connections: the scopes the EHR's last token actually granted

Revision ID: 7b3e9f1c2a64
Revises: 5e1a7c3d9b20
Create Date: 2026-11-24 09:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7b3e9f1c2a64'
down_revision: str | None = '5e1a7c3d9b20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('fhir_connections', sa.Column('granted_scope', sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('fhir_connections') as batch:
        batch.drop_column('granted_scope')
