"""FHIR subscriptions on EHRs and their numbered events; per-connection auto-code settings; encounters
that arrived by themselves (the queue's "new" badge) — issue 17

Revision ID: b113f8ad46ce
Revises: 7c1f3b5d9e62
Create Date: 2026-12-05 11:21:01.128275
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b113f8ad46ce'
down_revision: str | None = '7c1f3b5d9e62'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('auto_code_settings',
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.Column('auto_code', sa.Boolean(), nullable=False),
    sa.Column('encounter_classes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['fhir_connections.id'], name=op.f('fk_auto_code_settings_connection_id_fhir_connections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('connection_id', name=op.f('pk_auto_code_settings'))
    )
    op.create_table('ehr_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('public_id', sa.String(length=64), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('header_name', sa.String(length=100), nullable=False),
    sa.Column('topic', sa.String(length=500), nullable=True),
    sa.Column('criteria', sa.String(length=500), nullable=False),
    sa.Column('fhir_subscription_id', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('heartbeat_seconds', sa.Integer(), nullable=False),
    sa.Column('last_event_number', sa.Integer(), nullable=False),
    sa.Column('highest_event_number', sa.Integer(), nullable=False),
    sa.Column('last_heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_notification_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['fhir_connections.id'], name=op.f('fk_ehr_subscriptions_connection_id_fhir_connections'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_ehr_subscriptions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_ehr_subscriptions_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ehr_subscriptions')),
    sa.UniqueConstraint('public_id', name=op.f('uq_ehr_subscriptions_public_id'))
    )
    with op.batch_alter_table('ehr_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ehr_subscriptions_connection_id'), ['connection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ehr_subscriptions_organization_id'), ['organization_id'], unique=False)

    op.create_table('auto_arrivals',
    sa.Column('encounter_id', sa.Integer(), nullable=False),
    sa.Column('arrived_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('note_waiting_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['encounter_id'], ['encounters.id'], name=op.f('fk_auto_arrivals_encounter_id_encounters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('encounter_id', name=op.f('pk_auto_arrivals'))
    )
    op.create_table('subscription_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('event_number', sa.Integer(), nullable=False),
    sa.Column('focus', sa.String(length=300), nullable=True),
    sa.Column('encounter_ref', sa.String(length=300), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=True),
    sa.Column('encounter_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['encounter_id'], ['encounters.id'], name=op.f('fk_subscription_events_encounter_id_encounters'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subscription_id'], ['ehr_subscriptions.id'], name=op.f('fk_subscription_events_subscription_id_ehr_subscriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_events')),
    sa.UniqueConstraint('subscription_id', 'event_number', name='uq_subscription_events_number')
    )
    with op.batch_alter_table('subscription_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscription_events_subscription_id'), ['subscription_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('subscription_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscription_events_subscription_id'))

    op.drop_table('subscription_events')
    op.drop_table('auto_arrivals')
    with op.batch_alter_table('ehr_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ehr_subscriptions_organization_id'))
        batch_op.drop_index(batch_op.f('ix_ehr_subscriptions_connection_id'))

    op.drop_table('ehr_subscriptions')
    op.drop_table('auto_code_settings')

