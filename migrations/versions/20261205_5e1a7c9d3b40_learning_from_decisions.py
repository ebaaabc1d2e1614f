"""learning from decisions: a suggestion records what past decisions changed about it, and an
organisation's learning can be reset

Revision ID: 5e1a7c9d3b40
Revises: a13e0c7d5b21
Create Date: 2026-12-05 07:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5e1a7c9d3b40'
down_revision: str | None = 'a13e0c7d5b21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'learning_resets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('reset_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_learning_resets_organization_id_organizations')),
        sa.ForeignKeyConstraint(['reset_by_id'], ['users.id'], name=op.f('fk_learning_resets_reset_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_resets')),
    )
    with op.batch_alter_table('learning_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_resets_organization_id'), ['organization_id'], unique=False)
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('learned', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_column('learned')
    with op.batch_alter_table('learning_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_resets_organization_id'))
    op.drop_table('learning_resets')
