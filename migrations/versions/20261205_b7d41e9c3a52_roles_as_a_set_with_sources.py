"""roles as a set with sources: a person may hold several roles, each from the EHR, the registration's
policy or an administrator's decision (issue 16 item 3)

The old single `users.role` is carried over: administrator and read-only practitioner roles were
decisions someone made, so they become administrator grants; clinician and coder came from the kind of
the first sign-in and are recomputed at the next one, so they become registration grants.

Revision ID: b7d41e9c3a52
Revises: 5e0a1d2c9b47
Create Date: 2026-12-05 07:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b7d41e9c3a52'
down_revision: str | None = '5e0a1d2c9b47'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLE = sa.Enum('CLINICIAN', 'CODER', 'ADMIN', 'READ_ONLY', name='role', native_enum=False, length=32)


def upgrade() -> None:
    op.create_table(
        'user_roles',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', ROLE, nullable=False),
        sa.Column('source', sa.Enum('EHR', 'REGISTRATION', 'ADMIN', name='rolesource', native_enum=False,
                                    length=32), nullable=False),
        sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'),
                                ),
        sa.PrimaryKeyConstraint('user_id', 'role', 'source', name=op.f('pk_user_roles')),
    )
    op.execute(
        "INSERT INTO user_roles (user_id, role, source, granted_at) "
        "SELECT id, role, CASE WHEN role = 'ADMIN' THEN 'ADMIN' "
        "WHEN role = 'READ_ONLY' AND fhir_user NOT LIKE '%/Patient/%' "
        "AND fhir_user NOT LIKE '%/RelatedPerson/%' THEN 'ADMIN' "
        "ELSE 'REGISTRATION' END, COALESCE(updated_at, created_at) FROM users")
    # A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy of `users` would drop the table,
    # and with foreign keys on that deletes every grant just copied (ON DELETE CASCADE).
    op.drop_column('users', 'role')


def downgrade() -> None:
    op.add_column('users', sa.Column('role', ROLE, nullable=False, server_default='CLINICIAN'))
    # The most capable role each person holds: later updates win.
    for role in ('READ_ONLY', 'CLINICIAN', 'CODER', 'ADMIN'):
        op.execute(sa.text("UPDATE users SET role = :role WHERE id IN "
                           "(SELECT user_id FROM user_roles WHERE role = :role)").bindparams(role=role))
    op.drop_table('user_roles')
