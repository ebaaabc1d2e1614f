"""coding_runs.engine_version up to 200 characters: "openai:<model>; ICD-10-CM FY2026 (...)" is longer than 50

Revision ID: d4e9b1a7c3f2
Revises: 8c2f4a6e1d93
Create Date: 2026-12-05 07:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd4e9b1a7c3f2'
down_revision: str | None = '8c2f4a6e1d93'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coding_runs", schema=None) as batch_op:
        batch_op.alter_column("engine_version", existing_type=sa.String(length=50), type_=sa.String(length=200))


def downgrade() -> None:
    with op.batch_alter_table("coding_runs", schema=None) as batch_op:
        batch_op.alter_column("engine_version", existing_type=sa.String(length=200), type_=sa.String(length=50))
