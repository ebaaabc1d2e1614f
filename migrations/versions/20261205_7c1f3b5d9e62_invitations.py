"""invitations by e-mail or EHR identity, and the e-mail an id_token gives a person (issue 17 item 5)

Revision ID: 7c1f3b5d9e62
Revises: e5a1c7b9d2f4
Create Date: 2026-12-05 12:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7c1f3b5d9e62'
down_revision: str | None = 'e5a1c7b9d2f4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('users', sa.Column('email', sa.String(length=320), nullable=True))
    op.create_index(op.f('ix_users_email'), 'users', ['email'])
    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=True),
        sa.Column('fhir_user', sa.String(length=500), nullable=True),
        sa.Column('roles', sa.String(length=100), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('accepted_by_id', sa.Integer(), nullable=True),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_invitations_organization_id_organizations')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_invitations_accepted_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    )
    op.create_index(op.f('ix_invitations_organization_id'), 'invitations', ['organization_id'])
    op.create_index(op.f('ix_invitations_email'), 'invitations', ['email'])
    op.create_index(op.f('ix_invitations_fhir_user'), 'invitations', ['fhir_user'])


def downgrade() -> None:
    op.drop_index(op.f('ix_invitations_fhir_user'), table_name='invitations')
    op.drop_index(op.f('ix_invitations_email'), table_name='invitations')
    op.drop_index(op.f('ix_invitations_organization_id'), table_name='invitations')
    op.drop_table('invitations')
    op.drop_index(op.f('ix_users_email'), table_name='users')
    # A plain DROP COLUMN (SQLite >= 3.35): a batch copy of `users` would cascade-delete rows pointing at it.
    op.drop_column('users', 'email')
