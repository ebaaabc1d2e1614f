"""memberships: a person may belong to several organisations with roles in each (issue 17 item 5);
API tokens are issued for one organisation; a connection may be private to one person (item 6)

Existing people get a membership in their current organisation, their roles are held there, and their
API tokens act there.

Revision ID: 6a9e2c4f1d58
Revises: 9d3e7a1b5c20
Create Date: 2026-12-05 11:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '6a9e2c4f1d58'
down_revision: str | None = '9d3e7a1b5c20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'memberships',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_memberships_organization_id_organizations')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_memberships_invited_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('user_id', 'organization_id', name=op.f('pk_memberships')),
    )
    op.create_index(op.f('ix_memberships_organization_id'), 'memberships', ['organization_id'])
    op.execute("INSERT INTO memberships (user_id, organization_id, joined_at) "
               "SELECT id, organization_id, created_at FROM users")

    op.add_column('user_roles', sa.Column('organization_id', sa.Integer(), nullable=True))
    op.execute("UPDATE user_roles SET organization_id = "
               "(SELECT organization_id FROM users WHERE users.id = user_roles.user_id)")
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.alter_column('organization_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('pk_user_roles', type_='primary')
        batch_op.create_primary_key('pk_user_roles', ['user_id', 'organization_id', 'role', 'source'])
        batch_op.create_foreign_key(batch_op.f('fk_user_roles_organization_id_organizations'), 'organizations',
                                    ['organization_id'], ['id'])

    op.add_column('api_tokens', sa.Column('organization_id', sa.Integer(), nullable=True))
    op.execute("UPDATE api_tokens SET organization_id = "
               "(SELECT organization_id FROM users WHERE users.id = api_tokens.user_id)")
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_api_tokens_organization_id_organizations'), 'organizations',
                                    ['organization_id'], ['id'])

    with op.batch_alter_table('fhir_connections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_fhir_connections_owner_id_users'), 'users', ['owner_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('fhir_connections', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_fhir_connections_owner_id_users'), type_='foreignkey')
        batch_op.drop_column('owner_id')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_tokens_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_column('organization_id')
    # Roles held elsewhere than the home organisation are lost with the memberships.
    op.execute("DELETE FROM user_roles WHERE organization_id <> "
               "(SELECT organization_id FROM users WHERE users.id = user_roles.user_id)")
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_user_roles_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_constraint('pk_user_roles', type_='primary')
        batch_op.create_primary_key('pk_user_roles', ['user_id', 'role', 'source'])
        batch_op.drop_column('organization_id')
    op.drop_index(op.f('ix_memberships_organization_id'), table_name='memberships')
    op.drop_table('memberships')
