"""roadmap years: an organization runs its pack's calendar roadmap for an academic year (004 п. 4.3, прил. 2)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

roadmap_years — one per organization, roadmap and academic year; roadmap_year_items — its event occurrences and
the explicit steps (interim analysis, completion) with due dates, who marks them, evidence, escalation.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('roadmap_years',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('roadmap_id', sa.String(length=64), nullable=False),
    sa.Column('academic_year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'completed' OR completed_on IS NOT NULL", name=op.f('ck_roadmap_years_completed_has_date')),
    sa.CheckConstraint("status IN ('running', 'completed')", name=op.f('ck_roadmap_years_status')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_roadmap_years_organization_id_organizations')),
    sa.ForeignKeyConstraint(['started_by_id'], ['persons.id'], name=op.f('fk_roadmap_years_started_by_id_persons')),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instances.id'], name=op.f('fk_roadmap_years_workflow_instance_id_workflow_instances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_years')),
    sa.UniqueConstraint('organization_id', 'roadmap_id', 'academic_year', name=op.f('uq_roadmap_years_organization_id_roadmap_id_academic_year'))
    )
    with op.batch_alter_table('roadmap_years', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roadmap_years_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roadmap_years_workflow_instance_id'), ['workflow_instance_id'], unique=False)

    op.create_table('roadmap_year_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('stage_title', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('due_as_printed', sa.String(length=200), nullable=True),
    sa.Column('responsible', sa.String(length=300), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.Column('escalated_on', sa.Date(), nullable=True),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('measures_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('event', 'interim_analysis', 'completion')", name=op.f('ck_roadmap_year_items_kind')),
    sa.CheckConstraint("role IN ('curator', 'head')", name=op.f('ck_roadmap_year_items_role')),
    sa.CheckConstraint("status <> 'done' OR (done_on IS NOT NULL AND done_by_id IS NOT NULL)", name=op.f('ck_roadmap_year_items_done_has_who')),
    sa.CheckConstraint("status IN ('planned', 'done', 'not_done')", name=op.f('ck_roadmap_year_items_status')),
    sa.CheckConstraint('measures IS NULL OR escalated_on IS NOT NULL', name=op.f('ck_roadmap_year_items_measures_after_escalation')),
    sa.ForeignKeyConstraint(['done_by_id'], ['persons.id'], name=op.f('fk_roadmap_year_items_done_by_id_persons')),
    sa.ForeignKeyConstraint(['measures_by_id'], ['persons.id'], name=op.f('fk_roadmap_year_items_measures_by_id_persons')),
    sa.ForeignKeyConstraint(['year_id'], ['roadmap_years.id'], name=op.f('fk_roadmap_year_items_year_id_roadmap_years'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_year_items')),
    sa.UniqueConstraint('year_id', 'key', name=op.f('uq_roadmap_year_items_year_id_key'))
    )
    with op.batch_alter_table('roadmap_year_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roadmap_year_items_year_id'), ['year_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('roadmap_year_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roadmap_year_items_year_id'))

    op.drop_table('roadmap_year_items')
    with op.batch_alter_table('roadmap_years', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roadmap_years_workflow_instance_id'))
        batch_op.drop_index(batch_op.f('ix_roadmap_years_organization_id'))

    op.drop_table('roadmap_years')
