"""a mentor's recognition: incentives, the best-mentor contest, the bank of practices

Revision ID: 0032_recognition
Revises: 0031_iom

Issue 18 items 4 and 5: the incentives recorded for a mentor with their basis and document (002 §3.4, 003 §9.1,
004 прил. 2 п. 9.1); the best-mentor contest (nominations, jury, votes, the result order); the bank of practices
and cases with their files (001 §2.2, 002 §3.2, 003 §3.3, 004 прил. 1 п. 5.1). New tables only.

Create Date: 2026-12-07 08:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0032_recognition'
down_revision: str | None = '0031_iom'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mentor_contests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('winners_count', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('nominating', 'voting', 'awaiting_order', 'closed')", name=op.f('ck_mentor_contests_status')),
    sa.CheckConstraint('winners_count >= 1', name=op.f('ck_mentor_contests_winners_count_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['persons.id'], name=op.f('fk_mentor_contests_created_by_id_persons')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_mentor_contests_order_id_orders')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_mentor_contests_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_contests'))
    )
    with op.batch_alter_table('mentor_contests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_contests_organization_id'), ['organization_id'], unique=False)

    op.create_table('contest_jurors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['mentor_contests.id'], name=op.f('fk_contest_jurors_contest_id_mentor_contests')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_contest_jurors_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_jurors')),
    sa.UniqueConstraint('contest_id', 'person_id', name=op.f('uq_contest_jurors_contest_id_person_id'))
    )
    with op.batch_alter_table('contest_jurors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_jurors_contest_id'), ['contest_id'], unique=False)

    op.create_table('contest_nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.Integer(), nullable=True),
    sa.Column('total_score', sa.Integer(), nullable=True),
    sa.Column('winner', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contest_id'], ['mentor_contests.id'], name=op.f('fk_contest_nominations_contest_id_mentor_contests')),
    sa.ForeignKeyConstraint(['mentor_id'], ['persons.id'], name=op.f('fk_contest_nominations_mentor_id_persons')),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['persons.id'], name=op.f('fk_contest_nominations_nominated_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_nominations')),
    sa.UniqueConstraint('contest_id', 'mentor_id', name=op.f('uq_contest_nominations_contest_id_mentor_id'))
    )
    with op.batch_alter_table('contest_nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_nominations_contest_id'), ['contest_id'], unique=False)

    op.create_table('contest_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('juror_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('voted_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('score >= 0 AND score <= 10', name=op.f('ck_contest_votes_score_range')),
    sa.ForeignKeyConstraint(['juror_id'], ['persons.id'], name=op.f('fk_contest_votes_juror_id_persons')),
    sa.ForeignKeyConstraint(['nomination_id'], ['contest_nominations.id'], name=op.f('fk_contest_votes_nomination_id_contest_nominations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contest_votes')),
    sa.UniqueConstraint('nomination_id', 'juror_id', name=op.f('uq_contest_votes_nomination_id_juror_id'))
    )
    with op.batch_alter_table('contest_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contest_votes_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('incentives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('kind_label', sa.String(length=500), nullable=False),
    sa.Column('clause', sa.String(length=100), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('awarded_on', sa.Date(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('contest_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('document_name', sa.String(length=255), nullable=True),
    sa.Column('document_type', sa.String(length=100), nullable=True),
    sa.Column('document_size', sa.Integer(), nullable=True),
    sa.Column('document_sha256', sa.String(length=64), nullable=True),
    sa.Column('document_content', sa.LargeBinary(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('document_size IS NULL OR document_size >= 0', name=op.f('ck_incentives_document_size_not_negative')),
    sa.CheckConstraint('percent IS NULL OR (percent > 0 AND percent <= 100)', name=op.f('ck_incentives_percent_range')),
    sa.ForeignKeyConstraint(['contest_id'], ['mentor_contests.id'], name=op.f('fk_incentives_contest_id_mentor_contests')),
    sa.ForeignKeyConstraint(['mentor_id'], ['persons.id'], name=op.f('fk_incentives_mentor_id_persons')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_incentives_order_id_orders')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_incentives_organization_id_organizations')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_incentives_program_id_programs')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['persons.id'], name=op.f('fk_incentives_recorded_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incentives'))
    )
    with op.batch_alter_table('incentives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incentives_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incentives_organization_id'), ['organization_id'], unique=False)

    op.create_table('practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('practice', 'case')", name=op.f('ck_practices_kind')),
    sa.CheckConstraint("status <> 'returned' OR review_comment IS NOT NULL", name=op.f('ck_practices_returned_has_comment')),
    sa.CheckConstraint("status IN ('submitted', 'approved', 'returned')", name=op.f('ck_practices_status')),
    sa.ForeignKeyConstraint(['author_id'], ['persons.id'], name=op.f('fk_practices_author_id_persons')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_practices_organization_id_organizations')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_practices_program_id_programs')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['persons.id'], name=op.f('fk_practices_reviewed_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practices'))
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practices_organization_id'), ['organization_id'], unique=False)

    op.create_table('practice_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size_bytes >= 0', name=op.f('ck_practice_files_size_not_negative')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_files_practice_id_practices')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['persons.id'], name=op.f('fk_practice_files_uploaded_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_files'))
    )
    with op.batch_alter_table('practice_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_files_practice_id'), ['practice_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('practice_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_files_practice_id'))

    op.drop_table('practice_files')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practices_organization_id'))

    op.drop_table('practices')
    with op.batch_alter_table('incentives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incentives_organization_id'))
        batch_op.drop_index(batch_op.f('ix_incentives_mentor_id'))

    op.drop_table('incentives')
    with op.batch_alter_table('contest_votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_votes_nomination_id'))

    op.drop_table('contest_votes')
    with op.batch_alter_table('contest_nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_nominations_contest_id'))

    op.drop_table('contest_nominations')
    with op.batch_alter_table('contest_jurors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contest_jurors_contest_id'))

    op.drop_table('contest_jurors')
    with op.batch_alter_table('mentor_contests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_contests_organization_id'))

    op.drop_table('mentor_contests')
