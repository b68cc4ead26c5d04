"""council sessions and protocols

Revision ID: 0029_council_sessions
Revises: 0028_plan_corrections

Issue 18 item 1 (seed 000 §4–5): the council of mentors of an organization (members, chair), its sessions (agenda,
attendance, votes per item, decisions and their agreement with the administration) and the protocol the elected
secretary draws up, signed by the chair and the secretary (engine.db.models.council).

Create Date: 2026-12-07 08:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0029_council_sessions'
down_revision: str | None = '0028_plan_corrections'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('councils',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['chair_id'], ['persons.id'], name=op.f('fk_councils_chair_id_persons')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_councils_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_councils')),
    sa.UniqueConstraint('organization_id', name='uq_councils_organization_id')
    )
    op.create_table('council_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('added_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_council_members_council_id_councils'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_council_members_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_members')),
    sa.UniqueConstraint('council_id', 'person_id', name='uq_council_members_council_id')
    )
    with op.batch_alter_table('council_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_members_person_id'), ['person_id'], unique=False)

    op.create_table('council_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('council_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('members_total', sa.Integer(), nullable=True),
    sa.Column('secretary_id', sa.Integer(), nullable=True),
    sa.Column('secretary_votes', sa.String(length=100), nullable=True),
    sa.Column('protocol_text', sa.Text(), nullable=True),
    sa.Column('protocol_sha256', sa.String(length=64), nullable=True),
    sa.Column('chair_signer_id', sa.Integer(), nullable=True),
    sa.Column('chair_signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('chair_signature', sa.Text(), nullable=True),
    sa.Column('secretary_signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('secretary_signature', sa.Text(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.CheckConstraint("status IN ('planned', 'held', 'signing', 'signed')", name=op.f('ck_council_sessions_status')),
    sa.ForeignKeyConstraint(['chair_signer_id'], ['persons.id'], name=op.f('fk_council_sessions_chair_signer_id_persons')),
    sa.ForeignKeyConstraint(['council_id'], ['councils.id'], name=op.f('fk_council_sessions_council_id_councils')),
    sa.ForeignKeyConstraint(['created_by_id'], ['persons.id'], name=op.f('fk_council_sessions_created_by_id_persons')),
    sa.ForeignKeyConstraint(['secretary_id'], ['persons.id'], name=op.f('fk_council_sessions_secretary_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_sessions')),
    sa.UniqueConstraint('council_id', 'number', name='uq_council_sessions_council_id')
    )
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_sessions_council_id'), ['council_id'], unique=False)

    op.create_table('council_agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('key_points', sa.Text(), nullable=False),
    sa.Column('proposals', sa.Text(), nullable=False),
    sa.Column('decision', sa.Text(), nullable=False),
    sa.Column('responsible', sa.String(length=300), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=True),
    sa.Column('agreement', sa.String(length=16), nullable=True),
    sa.Column('agreed_by_id', sa.Integer(), nullable=True),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('agreement_note', sa.Text(), nullable=False),
    sa.CheckConstraint("agreement IN ('agreed', 'refused')", name=op.f('ck_council_agenda_items_agreement')),
    sa.CheckConstraint("result IN ('adopted', 'rejected')", name=op.f('ck_council_agenda_items_result')),
    sa.ForeignKeyConstraint(['agreed_by_id'], ['persons.id'], name=op.f('fk_council_agenda_items_agreed_by_id_persons')),
    sa.ForeignKeyConstraint(['session_id'], ['council_sessions.id'], name=op.f('fk_council_agenda_items_session_id_council_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_agenda_items'))
    )
    with op.batch_alter_table('council_agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_agenda_items_session_id'), ['session_id'], unique=False)

    op.create_table('council_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_council_attendance_person_id_persons')),
    sa.ForeignKeyConstraint(['session_id'], ['council_sessions.id'], name=op.f('fk_council_attendance_session_id_council_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_attendance')),
    sa.UniqueConstraint('session_id', 'person_id', name='uq_council_attendance_session_id')
    )
    with op.batch_alter_table('council_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_attendance_person_id'), ['person_id'], unique=False)

    op.create_table('council_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=16), nullable=False),
    sa.Column('cast_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("choice IN ('for', 'against', 'abstain')", name=op.f('ck_council_votes_choice')),
    sa.ForeignKeyConstraint(['item_id'], ['council_agenda_items.id'], name=op.f('fk_council_votes_item_id_council_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_council_votes_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_council_votes')),
    sa.UniqueConstraint('item_id', 'person_id', name='uq_council_votes_item_id')
    )
    with op.batch_alter_table('council_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_votes_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('council_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_votes_person_id'))

    op.drop_table('council_votes')
    with op.batch_alter_table('council_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_attendance_person_id'))

    op.drop_table('council_attendance')
    with op.batch_alter_table('council_agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_agenda_items_session_id'))

    op.drop_table('council_agenda_items')
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_sessions_council_id'))

    op.drop_table('council_sessions')
    with op.batch_alter_table('council_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_members_person_id'))

    op.drop_table('council_members')
    op.drop_table('councils')
