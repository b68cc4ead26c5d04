"""corrections of a program's plan of events (003 §7.2)

Revision ID: 0028_plan_corrections
Revises: 0026_designed_forms

Issue 18 item 3: mentor and mentee compose and correct the program's events within the roadmap's frame (add,
move, replace, remove, each with its reason), the other participants agree, the curator approves or returns;
the approved corrections go into the extension order as the list of changed events.

Create Date: 2026-12-10 08:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0028_plan_corrections'
down_revision: str | None = '0026_designed_forms'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('plan_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposer_role', sa.String(length=16), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('agreed_by', sa.JSON(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('applied', sa.JSON(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'proposed', 'agreed', 'approved', 'returned', 'withdrawn')",
                       name=op.f('ck_plan_corrections_status')),
    sa.CheckConstraint("proposer_role IN ('mentor', 'mentee')", name=op.f('ck_plan_corrections_proposer_role')),
    sa.CheckConstraint("status NOT IN ('approved', 'returned') OR decided_at IS NOT NULL",
                       name=op.f('ck_plan_corrections_decided_has_time')),
    sa.CheckConstraint("status <> 'returned' OR return_reason IS NOT NULL",
                       name=op.f('ck_plan_corrections_returned_has_reason')),
    sa.CheckConstraint('attempt >= 1', name=op.f('ck_plan_corrections_attempt_positive')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_plan_corrections_program_id_programs'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['persons.id'], name=op.f('fk_plan_corrections_proposed_by_id_persons')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['persons.id'], name=op.f('fk_plan_corrections_decided_by_id_persons')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_plan_corrections_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_corrections'))
    )
    op.create_index('ix_plan_corrections_program_status', 'plan_corrections', ['program_id', 'status'])
    op.create_index(op.f('ix_plan_corrections_order_id'), 'plan_corrections', ['order_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_plan_corrections_order_id'), table_name='plan_corrections')
    op.drop_index('ix_plan_corrections_program_status', table_name='plan_corrections')
    op.drop_table('plan_corrections')
