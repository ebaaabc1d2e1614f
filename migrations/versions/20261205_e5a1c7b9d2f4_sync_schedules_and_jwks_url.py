"""sync_schedules (scheduled incremental sync per connection) and fhir_connections.jwks_token (the stable
public JWKS URL of a connection)

Revision ID: e5a1c7b9d2f4
Revises: 6a9e2c4f1d58
Create Date: 2026-12-05 11:40:00.000000
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e5a1c7b9d2f4'
down_revision: str | None = '6a9e2c4f1d58'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sync_id", sa.Integer(), nullable=True),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("bulk_group_id", sa.String(length=255), nullable=True),
        sa.Column("patient_ids", sa.JSON(), nullable=False),
        sa.Column("offers_subscription", sa.Boolean(), nullable=True),
        sa.Column("offers_bulk_export", sa.Boolean(), nullable=True),
        sa.Column("capabilities_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.Column("source_reason", sa.String(length=500), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["connection_id"], ["fhir_connections.id"],
                                name=op.f("fk_sync_schedules_connection_id_fhir_connections"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_sync_schedules_organization_id_organizations")),
        sa.ForeignKeyConstraint(["last_sync_id"], ["sync_runs.id"],
                                name=op.f("fk_sync_schedules_last_sync_id_sync_runs"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_schedules")),
        sa.UniqueConstraint("connection_id", name=op.f("uq_sync_schedules_connection_id")),
    )
    op.create_index(op.f("ix_sync_schedules_organization_id"), "sync_schedules", ["organization_id"])
    op.create_index(op.f("ix_sync_schedules_next_run_at"), "sync_schedules", ["next_run_at"])
    with op.batch_alter_table("fhir_connections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jwks_token", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    for (row_id,) in conn.execute(sa.text("SELECT id FROM fhir_connections")).all():
        conn.execute(sa.text("UPDATE fhir_connections SET jwks_token = :t WHERE id = :i"),
                     {"t": secrets.token_urlsafe(24), "i": row_id})
    with op.batch_alter_table("fhir_connections", schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f("uq_fhir_connections_jwks_token"), ["jwks_token"])


def downgrade() -> None:
    with op.batch_alter_table("fhir_connections", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_fhir_connections_jwks_token"), type_="unique")
        batch_op.drop_column("jwks_token")
    op.drop_index(op.f("ix_sync_schedules_next_run_at"), table_name="sync_schedules")
    op.drop_index(op.f("ix_sync_schedules_organization_id"), table_name="sync_schedules")
    op.drop_table("sync_schedules")
