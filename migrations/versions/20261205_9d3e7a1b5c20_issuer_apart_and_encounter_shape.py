"""the id_token issuer kept apart from the FHIR base (organizations, launch sessions); encounter class,
reason and the last day of a multi-day stay

Revision ID: 9d3e7a1b5c20
Revises: d4e9b1a7c3f2
Create Date: 2026-12-05 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9d3e7a1b5c20'
down_revision: str | None = 'd4e9b1a7c3f2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=500), nullable=True))
    with op.batch_alter_table('launch_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('oidc_issuer', sa.String(length=500), nullable=True))
    with op.batch_alter_table('encounters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('encounter_class', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('visit_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('service_end_date', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('encounters', schema=None) as batch_op:
        batch_op.drop_column('service_end_date')
        batch_op.drop_column('visit_reason')
        batch_op.drop_column('encounter_class')
    with op.batch_alter_table('launch_sessions', schema=None) as batch_op:
        batch_op.drop_column('oidc_issuer')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('oidc_issuer')
