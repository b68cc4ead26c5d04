"""roadmap events: who marked them and participants' comments; the mentor's bonus per term (003 §9.3)

Revision ID: 0009_events10
Revises: 0008
Create Date: 2026-12-06

An event marked done records who marked it (the mentor or the mentee, 001 §6, 003 §5.1) beside the day it
took place; participants' comments on events are kept as written (roadmap_event_comments). The bonus of
003 §9.3 is one record per mentor and appointment term (mentor_bonuses), with the head's decision on
revocation.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0009_events10'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('roadmap_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('marked_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_roadmap_events_marked_by_id_persons'), 'persons',
                                    ['marked_by_id'], ['id'])

    op.create_table('roadmap_event_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['persons.id'], name=op.f('fk_roadmap_event_comments_author_id_persons')),
    sa.ForeignKeyConstraint(['event_id'], ['roadmap_events.id'], name=op.f('fk_roadmap_event_comments_event_id_roadmap_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_event_comments'))
    )
    with op.batch_alter_table('roadmap_event_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roadmap_event_comments_event_id'), ['event_id'], unique=False)

    op.create_table('mentor_bonuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('term_starts_on', sa.Date(), nullable=False),
    sa.Column('term_ends_on', sa.Date(), nullable=True),
    sa.Column('ruleset_id', sa.String(length=128), nullable=False),
    sa.Column('mentee_count', sa.Integer(), nullable=False),
    sa.Column('salaries', sa.Integer(), nullable=False),
    sa.Column('verdict', sa.String(length=64), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('revoked', sa.Boolean(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('mentee_count >= 0', name=op.f('ck_mentor_bonuses_mentee_count_not_negative')),
    sa.CheckConstraint('salaries >= 0', name=op.f('ck_mentor_bonuses_salaries_not_negative')),
    sa.CheckConstraint('revoked IS NULL OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)', name=op.f('ck_mentor_bonuses_head_decision_has_author')),
    sa.CheckConstraint('revoked IS NOT TRUE OR reason IS NOT NULL', name=op.f('ck_mentor_bonuses_revocation_has_reason')),
    sa.ForeignKeyConstraint(['appointment_id'], ['mentor_appointments.id'], name=op.f('fk_mentor_bonuses_appointment_id_mentor_appointments')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['persons.id'], name=op.f('fk_mentor_bonuses_decided_by_id_persons')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_mentor_bonuses_decision_id_decisions')),
    sa.ForeignKeyConstraint(['mentor_id'], ['persons.id'], name=op.f('fk_mentor_bonuses_mentor_id_persons')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_mentor_bonuses_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_bonuses')),
    sa.UniqueConstraint('mentor_id', 'organization_id', 'term_starts_on', name=op.f('uq_mentor_bonuses_mentor_id_organization_id_term_starts_on'))
    )
    with op.batch_alter_table('mentor_bonuses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_bonuses_mentor_id'), ['mentor_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mentor_bonuses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_bonuses_mentor_id'))
    op.drop_table('mentor_bonuses')
    with op.batch_alter_table('roadmap_event_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roadmap_event_comments_event_id'))
    op.drop_table('roadmap_event_comments')
    with op.batch_alter_table('roadmap_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_roadmap_events_marked_by_id_persons'), type_='foreignkey')
        batch_op.drop_column('marked_by_id')
