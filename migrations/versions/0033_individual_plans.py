"""the individual plans of teachers' professional development (ИППР, 000 §2.2): plans and their items

Revision ID: 0033_individual_plans
Revises: 0032_recognition

``development_plans``: one plan per teacher and academic year with its mentor of the management team and its state
(draft → agreed → approved → closed); ``development_plan_items``: the items of the plan's sections (the sections come
from the pack's ``individual_plans``), each with its planned term, expected result and, at the year's end, whether it
was done and the result.

Create Date: 2026-12-07 11:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0033_individual_plans'
down_revision: str | None = '0032_recognition'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _person(column: str, table: str, nullable: bool = True) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey('persons.id', name=f'fk_{table}_{column}_persons'),
                     nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'development_plans',
        sa.PrimaryKeyConstraint('id', name=op.f('pk_development_plans')),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), sa.ForeignKey('organizations.id', name='fk_development_plans_organization_id_organizations'), nullable=False),
        _person('teacher_id', 'development_plans', nullable=False),
        _person('mentor_id', 'development_plans', nullable=False),
        sa.Column('academic_year', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('state', sa.String(16), nullable=False),
        sa.Column('agreed_on', sa.Date(), nullable=True),
        _person('agreed_by_id', 'development_plans'),
        sa.Column('approved_on', sa.Date(), nullable=True),
        _person('approved_by_id', 'development_plans'),
        sa.Column('returned_note', sa.Text(), nullable=True),
        sa.Column('closed_on', sa.Date(), nullable=True),
        _person('closed_by_id', 'development_plans'),
        sa.Column('conclusion', sa.Text(), nullable=True),
        _person('created_by_id', 'development_plans'),
        sa.Column('created_at', UTC_DATETIME, nullable=False),
        sa.Column('updated_at', UTC_DATETIME, nullable=False),
        sa.UniqueConstraint('teacher_id', 'academic_year', name='uq_development_plans_teacher_year'),
        sa.CheckConstraint("state IN ('draft', 'agreed', 'approved', 'closed')", name='ck_development_plans_state'),
        sa.CheckConstraint('ends_on > starts_on', name='ck_development_plans_term_order'),
    )
    for column in ('organization_id', 'teacher_id', 'mentor_id'):
        op.create_index(f'ix_development_plans_{column}', 'development_plans', [column])
    op.create_table(
        'development_plan_items',
        sa.PrimaryKeyConstraint('id', name=op.f('pk_development_plan_items')),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), sa.ForeignKey('development_plans.id', ondelete='CASCADE', name='fk_development_plan_items_plan_id_development_plans'), nullable=False),
        sa.Column('section', sa.String(64), nullable=False),
        sa.Column('what', sa.Text(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('expected_result', sa.Text(), nullable=False),
        sa.Column('outcome', sa.String(16), nullable=True),
        sa.Column('result', sa.Text(), nullable=True),
        sa.Column('marked_on', sa.Date(), nullable=True),
        _person('marked_by_id', 'development_plan_items'),
        _person('created_by_id', 'development_plan_items'),
        sa.Column('created_at', UTC_DATETIME, nullable=False),
        sa.CheckConstraint("outcome IS NULL OR outcome IN ('done', 'not_done')",
                           name='ck_development_plan_items_outcome'),
    )
    op.create_index('ix_development_plan_items_plan_id', 'development_plan_items', ['plan_id'])


def downgrade() -> None:
    for table in ('development_plan_items', 'development_plans'):
        op.drop_table(table)
