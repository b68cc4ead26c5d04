"""background work: jobs the database decides, workers' heartbeats, notifications and their e-mails, each person's
delivery choices and calendar feed

Revision ID: 0015_background_work
Revises: 0014_administration

Issue 13. ``jobs`` (one per idempotency key; waiting → done | incident → retried or skipped),
``worker_heartbeats``, ``notifications`` (the outbox written with the step), ``notification_preferences``,
``outgoing_emails``, ``calendar_feeds`` (a SHA-256 of the secret only); ``workflow_timers.enqueued_for`` (the moment its job was
enqueued for).

Create Date: 2026-12-06 18:43:09.131700
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015_background_work'
down_revision: str | None = '0014_administration'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('workflow_timers') as batch:
        batch.add_column(sa.Column('enqueued_for', sa.DateTime(timezone=True), nullable=True))
    op.create_table('worker_heartbeats',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_heartbeats'))
    )
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_calendar_feeds_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_calendar_feeds_token_sha256'))
    )
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feeds_person_id'), ['person_id'], unique=False)

    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('email', sa.String(length=16), nullable=False),
    sa.CheckConstraint("email IN ('immediate', 'digest', 'none')", name=op.f('ck_notification_preferences_email')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_notification_preferences_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('person_id', 'kind', name=op.f('uq_notification_preferences_person_id_kind'))
    )
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_preferences_person_id'), ['person_id'], unique=False)

    op.create_table('outgoing_emails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('secret_scrubbed', sa.Boolean(), nullable=False),
    sa.CheckConstraint("status IN ('waiting', 'sent', 'failed')", name=op.f('ck_outgoing_emails_status')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_outgoing_emails_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_outgoing_emails_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_emails')),
    sa.UniqueConstraint('message_id', name=op.f('uq_outgoing_emails_message_id'))
    )
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_emails_person_id'), ['person_id'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('run_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('element_id', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_tried_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('waiting', 'done', 'incident', 'skipped')", name=op.f('ck_jobs_status')),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_jobs_instance_id_workflow_instances')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_jobs_organization_id_organizations')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['persons.id'], name=op.f('fk_jobs_resolved_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
    sa.UniqueConstraint('key', name=op.f('uq_jobs_key'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_jobs_status_run_after', ['status', 'run_after'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=48), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('key', sa.String(length=255), nullable=True),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_state', sa.String(length=16), nullable=False),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outgoing_email_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("email_state IN ('not_wanted', 'pending', 'in_digest', 'sent', 'failed')", name=op.f('ck_notifications_email_state')),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_notifications_instance_id_workflow_instances')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_notifications_organization_id_organizations')),
    sa.ForeignKeyConstraint(['outgoing_email_id'], ['outgoing_emails.id'], name=op.f('fk_notifications_outgoing_email_id_outgoing_emails')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_notifications_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('key', name=op.f('uq_notifications_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_notifications_person_id_read_at', ['person_id', 'read_at'], unique=False)
        batch_op.create_index('ix_notifications_email_state_created_at', ['email_state', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_outgoing_email_id'), ['outgoing_email_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('workflow_timers') as batch:
        batch.drop_column('enqueued_for')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_outgoing_email_id'))
        batch_op.drop_index('ix_notifications_email_state_created_at')
        batch_op.drop_index('ix_notifications_person_id_read_at')
        batch_op.drop_index(batch_op.f('ix_notifications_organization_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_created_at'))

    op.drop_table('notifications')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_status_run_after')
        batch_op.drop_index(batch_op.f('ix_jobs_organization_id'))
        batch_op.drop_index(batch_op.f('ix_jobs_instance_id'))

    op.drop_table('jobs')
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_emails_person_id'))

    op.drop_table('outgoing_emails')
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_preferences_person_id'))

    op.drop_table('notification_preferences')
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_person_id'))

    op.drop_table('calendar_feeds')
    op.drop_table('worker_heartbeats')
