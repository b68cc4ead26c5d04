"""mentors' periodic reports

Revision ID: 0018_mentor_period_reports
Revises: 0017_registry_order_indexes

Issue 15, item 1. 003 п. 3 of the order: the reports of the heads acting as mentors, yearly by 10 June and
10 December. The worker opens one report task per mentor appointed on the opening day, per date of the pack's
report calendar (``report_by: mentor``); the row is the task's record and its unique key keeps a second run of the
worker from opening another. The curator's overview of a period reads ``ix_mentor_period_reports_org_due``.

Create Date: 2026-12-08 10:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018_mentor_period_reports'
down_revision: str | None = '0017_registry_order_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mentor_period_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('calendar_id', sa.String(length=64), nullable=False),
    sa.Column('clause', sa.String(length=64), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('body', sa.JSON(), nullable=True),
    sa.Column('escalated_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['mentor_id'], ['persons.id'], name=op.f('fk_mentor_period_reports_mentor_id_persons')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                            name=op.f('fk_mentor_period_reports_organization_id_organizations')),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instances.id'],
                            name=op.f('fk_mentor_period_reports_workflow_instance_id_workflow_instances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_period_reports')),
    sa.UniqueConstraint('organization_id', 'calendar_id', 'due_on', 'mentor_id',
                        name=op.f('uq_mentor_period_reports_one'))
    )
    op.create_index('ix_mentor_period_reports_org_due', 'mentor_period_reports', ['organization_id', 'due_on', 'id'])
    op.create_index(op.f('ix_mentor_period_reports_mentor_id'), 'mentor_period_reports', ['mentor_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_mentor_period_reports_mentor_id'), table_name='mentor_period_reports')
    op.drop_index('ix_mentor_period_reports_org_due', table_name='mentor_period_reports')
    op.drop_table('mentor_period_reports')
