"""network mentoring (004 I–IV): trainees' direction and self-diagnosis, groups by direction, the trainees'
development plans and the mentor's reviews, the work the mentor records

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

A trainee is a row of the mentee registry with the direction of professional activity they need help in
(``mentees.direction``, 004 III.3); ``competence_diagnoses`` holds the self-diagnosis or the school's
monitoring; ``network_groups`` the groups handed to network mentors (004 III.4) with the mentor's work plan
(004 III.5); ``network_members`` each trainee's development plan and the mentor's review (004 IV.1);
``network_work_records`` the work in the regulation's forms (004 III.6).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('network_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=200), nullable=False),
    sa.Column('academic_year', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('review_opens_on', sa.Date(), nullable=False),
    sa.Column('review_due_on', sa.Date(), nullable=False),
    sa.Column('formed_by_id', sa.Integer(), nullable=False),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.Column('work_plan', sa.Text(), nullable=True),
    sa.Column('work_plan_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_network_groups_term_order')),
    sa.CheckConstraint('review_opens_on <= review_due_on', name=op.f('ck_network_groups_review_window')),
    sa.ForeignKeyConstraint(['appointment_id'], ['mentor_appointments.id'], name=op.f('fk_network_groups_appointment_id_mentor_appointments')),
    sa.ForeignKeyConstraint(['formed_by_id'], ['persons.id'], name=op.f('fk_network_groups_formed_by_id_persons')),
    sa.ForeignKeyConstraint(['mentor_id'], ['persons.id'], name=op.f('fk_network_groups_mentor_id_persons')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_network_groups_organization_id_organizations')),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instances.id'], name=op.f('fk_network_groups_workflow_instance_id_workflow_instances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_groups'))
    )
    with op.batch_alter_table('network_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_groups_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index('ix_network_groups_org_year', ['organization_id', 'academic_year'], unique=False)

    op.create_table('network_work_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=48), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('trainee_ids', sa.JSON(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['network_groups.id'], name=op.f('fk_network_work_records_group_id_network_groups')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['persons.id'], name=op.f('fk_network_work_records_recorded_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_work_records'))
    )
    with op.batch_alter_table('network_work_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_work_records_group_id'), ['group_id'], unique=False)

    op.create_table('competence_diagnoses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('difficulties', sa.Text(), nullable=False),
    sa.Column('help_needed', sa.Text(), nullable=False),
    sa.Column('self_rating', sa.Integer(), nullable=True),
    sa.Column('conducted_by', sa.String(length=300), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind <> 'monitoring' OR conducted_by IS NOT NULL", name=op.f('ck_competence_diagnoses_monitoring_names_who')),
    sa.CheckConstraint("kind IN ('self', 'monitoring')", name=op.f('ck_competence_diagnoses_kind')),
    sa.CheckConstraint('self_rating IS NULL OR (self_rating >= 1 AND self_rating <= 5)', name=op.f('ck_competence_diagnoses_self_rating_range')),
    sa.ForeignKeyConstraint(['mentee_id'], ['mentees.id'], name=op.f('fk_competence_diagnoses_mentee_id_mentees')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['persons.id'], name=op.f('fk_competence_diagnoses_recorded_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competence_diagnoses'))
    )
    with op.batch_alter_table('competence_diagnoses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competence_diagnoses_mentee_id'), ['mentee_id'], unique=False)

    op.create_table('network_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.Column('plan_goals', sa.Text(), nullable=True),
    sa.Column('plan_actions', sa.Text(), nullable=True),
    sa.Column('plan_submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('plan_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('plan_comment', sa.Text(), nullable=True),
    sa.Column('plan_fulfilled', sa.Boolean(), nullable=True),
    sa.Column('fulfilment', sa.Text(), nullable=True),
    sa.Column('business_qualities', sa.Text(), nullable=True),
    sa.Column('readiness', sa.String(length=16), nullable=True),
    sa.Column('activity_results', sa.Text(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("readiness IN ('ready', 'partly', 'not_ready')", name=op.f('ck_network_members_readiness')),
    sa.CheckConstraint('plan_accepted_at IS NULL OR plan_submitted_at IS NOT NULL', name=op.f('ck_network_members_accepted_was_submitted')),
    sa.CheckConstraint('reviewed_at IS NULL OR (plan_fulfilled IS NOT NULL AND readiness IS NOT NULL AND reviewed_by_id IS NOT NULL)', name=op.f('ck_network_members_review_complete')),
    sa.ForeignKeyConstraint(['group_id'], ['network_groups.id'], name=op.f('fk_network_members_group_id_network_groups')),
    sa.ForeignKeyConstraint(['mentee_id'], ['mentees.id'], name=op.f('fk_network_members_mentee_id_mentees')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_network_members_person_id_persons')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['persons.id'], name=op.f('fk_network_members_reviewed_by_id_persons')),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instances.id'], name=op.f('fk_network_members_workflow_instance_id_workflow_instances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_members')),
    sa.UniqueConstraint('group_id', 'mentee_id', name=op.f('uq_network_members_group_id_mentee_id'))
    )
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_members_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_members_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('mentees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('direction', sa.String(length=200), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('mentees', schema=None) as batch_op:
        batch_op.drop_column('direction')

    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_members_person_id'))
        batch_op.drop_index(batch_op.f('ix_network_members_group_id'))

    op.drop_table('network_members')
    with op.batch_alter_table('competence_diagnoses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competence_diagnoses_mentee_id'))

    op.drop_table('competence_diagnoses')
    with op.batch_alter_table('network_work_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_work_records_group_id'))

    op.drop_table('network_work_records')
    with op.batch_alter_table('network_groups', schema=None) as batch_op:
        batch_op.drop_index('ix_network_groups_org_year')
        batch_op.drop_index(batch_op.f('ix_network_groups_mentor_id'))

    op.drop_table('network_groups')
