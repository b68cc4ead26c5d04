"""school 001: participants' kind and birth date, calendar reports

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

A person of a school's mentorship is a teacher or a student (001 §1.1, §2.3) with a date of birth for the age
the mentee rule reads (001 §1.1: обучающиеся от 10 лет); what the curator files on the dates of the report
calendar (001 §2.4 monitoring, 001 §4.2 the base of mentors and mentees) is kept in calendar_reports.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('calendar_id', sa.String(length=64), nullable=False),
    sa.Column('clause', sa.String(length=64), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=False),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('conclusions', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('monitoring', 'base_review')", name=op.f('ck_calendar_reports_kind')),
    sa.ForeignKeyConstraint(['filed_by_id'], ['persons.id'], name=op.f('fk_calendar_reports_filed_by_id_persons')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_calendar_reports_organization_id_organizations')),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instances.id'], name=op.f('fk_calendar_reports_workflow_instance_id_workflow_instances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_reports'))
    )
    with op.batch_alter_table('calendar_reports', schema=None) as batch_op:
        batch_op.create_index('ix_calendar_reports_org_kind_due', ['organization_id', 'kind', 'due_on'], unique=False)

    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_persons_participant_kind'),
                                         "participant_kind IN ('pedagogue', 'student')")



def downgrade() -> None:
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_persons_participant_kind'), type_='check')
        batch_op.drop_column('birth_date')
        batch_op.drop_column('participant_kind')

    with op.batch_alter_table('calendar_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_calendar_reports_org_kind_due')

    op.drop_table('calendar_reports')
