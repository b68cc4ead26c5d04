"""Initial schema.

Organizations and people, mentorship registries, programs, orders, audit, workflow storage; plus
the triggers that keep audit/access-log rows append-only and signed orders immutable (the same
statements as engine/db/ddl.py, copied here because migrations are frozen).

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> WHEN condition on OLD (None: always refuse UPDATE and DELETE)
_IMMUTABLE_ROWS: dict[str, str | None] = {
    "audit_entries": None,
    "access_log": None,
    "orders": "OLD.status = 'signed'",
}

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION nastavnik_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'nastavnik: % on % refused: the row is immutable', TG_OP, TG_TABLE_NAME
        USING ERRCODE = '23001';
END;
$$
"""


def _create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG_FUNCTION)
    for table, when in _IMMUTABLE_ROWS.items():
        for operation in ("UPDATE", "DELETE"):
            name = f"trg_{table}_immutable_{operation.lower()}"
            if dialect == "sqlite":
                cond = f" WHEN {when}" if when else ""
                op.execute(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW{cond} BEGIN SELECT "
                    f"RAISE(ABORT, 'nastavnik: {operation} on {table} refused: the row is immutable'); END"
                )
            elif dialect == "postgresql":
                cond = f" WHEN ({when})" if when else ""
                op.execute(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW{cond} "
                    f"EXECUTE FUNCTION nastavnik_refuse_change()"
                )


def _drop_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for table in _IMMUTABLE_ROWS:
        for operation in ("update", "delete"):
            if dialect == "sqlite":
                op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_immutable_{operation}")
            elif dialect == "postgresql":
                op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_immutable_{operation} ON {table}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS nastavnik_refuse_change()")


def upgrade() -> None:
    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('regulation', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('short_name', sa.String(length=120), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('department', 'school', 'kindergarten', 'college', 'additional', 'centre')", name=op.f('ck_organizations_kind')),
    sa.CheckConstraint("regulation IN ('tomsk', 'yakutsk')", name=op.f('ck_organizations_regulation')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_organizations_not_own_parent')),
    sa.ForeignKeyConstraint(['parent_id'], ['organizations.id'], name=op.f('fk_organizations_parent_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations'))
    )
    op.create_index(op.f('ix_organizations_parent_id'), 'organizations', ['parent_id'], unique=False)

    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=300), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('years_as_head', sa.Integer(), nullable=True),
    sa.Column('months_as_head', sa.Integer(), nullable=True),
    sa.Column('is_head', sa.Boolean(), nullable=True),
    sa.Column('contest_level', sa.String(length=32), nullable=True),
    sa.Column('contest_result', sa.String(length=32), nullable=True),
    sa.Column('efficiency_percent', sa.Numeric(precision=5, scale=2, asdecimal=False), nullable=True),
    sa.Column('has_mentorship_certificate', sa.Boolean(), nullable=True),
    sa.Column('experience_years', sa.Integer(), nullable=True),
    sa.Column('high_result_directions', sa.JSON(), nullable=True),
    sa.Column('communication_skills', sa.Boolean(), nullable=True),
    sa.Column('ready_to_share', sa.Boolean(), nullable=True),
    sa.Column('in_management_reserve', sa.Boolean(), nullable=True),
    sa.Column('school_low_results', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(years_as_head IS NULL OR years_as_head >= 0) AND (months_as_head IS NULL OR months_as_head >= 0) AND (experience_years IS NULL OR experience_years >= 0)', name=op.f('ck_persons_non_negative_durations')),
    sa.CheckConstraint('efficiency_percent IS NULL OR (efficiency_percent >= 0 AND efficiency_percent <= 100)', name=op.f('ck_persons_efficiency_percent_range')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_persons_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('login', name=op.f('uq_persons_login'))
    )
    op.create_index(op.f('ix_persons_organization_id'), 'persons', ['organization_id'], unique=False)

    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=64), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['subject_id'], ['persons.id'], name=op.f('fk_access_log_subject_id_persons')),
    sa.ForeignKeyConstraint(['viewer_id'], ['persons.id'], name=op.f('fk_access_log_viewer_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log'))
    )
    op.create_index('ix_access_log_subject_at', 'access_log', ['subject_id', 'at'], unique=False)
    op.create_index(op.f('ix_access_log_viewer_id'), 'access_log', ['viewer_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['persons.id'], name=op.f('fk_audit_entries_actor_id_persons')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_audit_entries_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    op.create_index(op.f('ix_audit_entries_actor_id'), 'audit_entries', ['actor_id'], unique=False)
    op.create_index(op.f('ix_audit_entries_at'), 'audit_entries', ['at'], unique=False)
    op.create_index('ix_audit_entries_object', 'audit_entries', ['object_type', 'object_id'], unique=False)
    op.create_index(op.f('ix_audit_entries_organization_id'), 'audit_entries', ['organization_id'], unique=False)

    op.create_table('process_definitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('bpmn_sha256', sa.String(length=64), nullable=False),
    sa.Column('bpmn', sa.Text(), nullable=False),
    sa.Column('spec_json', sa.Text(), nullable=False),
    sa.Column('source_path', sa.String(length=500), nullable=True),
    sa.Column('deployed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deployed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['deployed_by_id'], ['persons.id'], name=op.f('fk_process_definitions_deployed_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_definitions')),
    sa.UniqueConstraint('process_id', 'bpmn_sha256', name=op.f('uq_process_definitions_process_id_bpmn_sha256')),
    sa.UniqueConstraint('process_id', 'version', name=op.f('uq_process_definitions_process_id_version'))
    )
    op.create_table('workflow_instances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('definition_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.JSON(), nullable=True),
    sa.Column('state', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('running', 'completed', 'cancelled', 'error')", name=op.f('ck_workflow_instances_status')),
    sa.ForeignKeyConstraint(['definition_id'], ['process_definitions.id'], name=op.f('fk_workflow_instances_definition_id_process_definitions')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_workflow_instances_organization_id_organizations')),
    sa.ForeignKeyConstraint(['started_by_id'], ['persons.id'], name=op.f('fk_workflow_instances_started_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_instances'))
    )
    op.create_index(op.f('ix_workflow_instances_definition_id'), 'workflow_instances', ['definition_id'], unique=False)
    op.create_index('ix_workflow_instances_org_kind_status', 'workflow_instances', ['organization_id', 'kind', 'status'], unique=False)

    op.create_table('open_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('element_id', sa.String(length=255), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('form_id', sa.String(length=128), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('curator', 'methodologist', 'head', 'mentor', 'mentee')", name=op.f('ck_open_tasks_role')),
    sa.ForeignKeyConstraint(['assignee_id'], ['persons.id'], name=op.f('fk_open_tasks_assignee_id_persons')),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_open_tasks_instance_id_workflow_instances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_open_tasks_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open_tasks')),
    sa.UniqueConstraint('instance_id', 'task_id', name=op.f('uq_open_tasks_instance_id_task_id'))
    )
    op.create_index(op.f('ix_open_tasks_assignee_id'), 'open_tasks', ['assignee_id'], unique=False)
    op.create_index('ix_open_tasks_inbox', 'open_tasks', ['organization_id', 'role'], unique=False)

    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('document_sha256', sa.String(length=64), nullable=True),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'refused' OR refusal_reason IS NOT NULL", name=op.f('ck_orders_refused_has_reason')),
    sa.CheckConstraint("status <> 'signed' OR (number IS NOT NULL AND signer_id IS NOT NULL AND signed_at IS NOT NULL AND document_sha256 IS NOT NULL)", name=op.f('ck_orders_signed_is_complete')),
    sa.CheckConstraint("status IN ('draft', 'awaiting_signature', 'signed', 'refused')", name=op.f('ck_orders_status')),
    sa.CheckConstraint('document_sha256 IS NULL OR length(document_sha256) = 64', name=op.f('ck_orders_sha256_length')),
    sa.CheckConstraint('number IS NULL OR (year IS NOT NULL AND issued_on IS NOT NULL)', name=op.f('ck_orders_number_has_date')),
    sa.ForeignKeyConstraint(['created_by_id'], ['persons.id'], name=op.f('fk_orders_created_by_id_persons')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_orders_organization_id_organizations')),
    sa.ForeignKeyConstraint(['signer_id'], ['persons.id'], name=op.f('fk_orders_signer_id_persons')),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instances.id'], name=op.f('fk_orders_workflow_instance_id_workflow_instances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('organization_id', 'year', 'number', name=op.f('uq_orders_organization_id_year_number'))
    )
    op.create_index('ix_orders_org_status', 'orders', ['organization_id', 'status'], unique=False)
    op.create_index(op.f('ix_orders_workflow_instance_id'), 'orders', ['workflow_instance_id'], unique=False)

    op.create_table('workflow_timers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('element_id', sa.String(length=255), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=True),
    sa.Column('fires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'], name=op.f('fk_workflow_timers_instance_id_workflow_instances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workflow_timers'))
    )
    op.create_index(op.f('ix_workflow_timers_fires_at'), 'workflow_timers', ['fires_at'], unique=False)
    op.create_index(op.f('ix_workflow_timers_instance_id'), 'workflow_timers', ['instance_id'], unique=False)

    op.create_table('mentor_appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('direction', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=True),
    sa.Column('release_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'released' OR released_on IS NOT NULL", name=op.f('ck_mentor_appointments_released_has_date')),
    sa.CheckConstraint("status IN ('pending', 'active', 'released', 'cancelled')", name=op.f('ck_mentor_appointments_status')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_mentor_appointments_term_order')),
    sa.CheckConstraint('released_on IS NULL OR released_on >= starts_on', name=op.f('ck_mentor_appointments_released_after_start')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_mentor_appointments_order_id_orders')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_mentor_appointments_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_mentor_appointments_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_appointments'))
    )
    op.create_index(op.f('ix_mentor_appointments_order_id'), 'mentor_appointments', ['order_id'], unique=False)
    op.create_index('ix_mentor_appointments_org_status_term', 'mentor_appointments', ['organization_id', 'status', 'starts_on', 'ends_on'], unique=False)
    op.create_index(op.f('ix_mentor_appointments_person_id'), 'mentor_appointments', ['person_id'], unique=False)

    op.create_table('mentoring_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=32), nullable=False),
    sa.Column('roadmap_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('forming', 'approved', 'closed', 'dissolved')", name=op.f('ck_mentoring_groups_status')),
    sa.ForeignKeyConstraint(['mentor_id'], ['persons.id'], name=op.f('fk_mentoring_groups_mentor_id_persons')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_mentoring_groups_order_id_orders')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_mentoring_groups_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentoring_groups'))
    )
    op.create_index(op.f('ix_mentoring_groups_mentor_id'), 'mentoring_groups', ['mentor_id'], unique=False)
    op.create_index(op.f('ix_mentoring_groups_organization_id'), 'mentoring_groups', ['organization_id'], unique=False)

    op.create_table('role_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('curator', 'methodologist', 'head', 'mentor', 'mentee')", name=op.f('ck_role_assignments_role')),
    sa.CheckConstraint('active OR revoked_at IS NOT NULL', name=op.f('ck_role_assignments_revoked_has_time')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_role_assignments_order_id_orders')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_role_assignments_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_role_assignments_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_assignments')),
    sa.UniqueConstraint('person_id', 'organization_id', 'role', name=op.f('uq_role_assignments_person_id_organization_id_role'))
    )
    op.create_index(op.f('ix_role_assignments_organization_id'), 'role_assignments', ['organization_id'], unique=False)
    op.create_index(op.f('ix_role_assignments_person_id'), 'role_assignments', ['person_id'], unique=False)

    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('document_ref', sa.String(length=500), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind <> 'participation' OR group_id IS NOT NULL", name=op.f('ck_consents_participation_has_group')),
    sa.CheckConstraint("kind IN ('participation', 'personal_data')", name=op.f('ck_consents_kind')),
    sa.CheckConstraint('text IS NOT NULL OR document_ref IS NOT NULL', name=op.f('ck_consents_has_content')),
    sa.ForeignKeyConstraint(['group_id'], ['mentoring_groups.id'], name=op.f('fk_consents_group_id_mentoring_groups')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_consents_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    op.create_index(op.f('ix_consents_group_id'), 'consents', ['group_id'], unique=False)
    op.create_index(op.f('ix_consents_person_id'), 'consents', ['person_id'], unique=False)

    op.create_table('programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('roadmap_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('planned_end_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('current_stage_id', sa.String(length=32), nullable=True),
    sa.Column('completion_ground', sa.String(length=32), nullable=True),
    sa.Column('completion_note', sa.Text(), nullable=True),
    sa.Column('workflow_instance_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status IN ('completed', 'completed_early', 'terminated') AND completion_ground IS NOT NULL) OR (status NOT IN ('completed', 'completed_early', 'terminated') AND completion_ground IS NULL)", name=op.f('ck_programs_finished_has_ground')),
    sa.CheckConstraint("completion_ground IN ('plan_completed', 'participants_initiative', 'improper_execution')", name=op.f('ck_programs_completion_ground')),
    sa.CheckConstraint("status IN ('forming', 'active', 'extended', 'completed', 'completed_early', 'terminated')", name=op.f('ck_programs_status')),
    sa.CheckConstraint('planned_end_on IS NULL OR started_on IS NULL OR planned_end_on >= started_on', name=op.f('ck_programs_term_order')),
    sa.ForeignKeyConstraint(['group_id'], ['mentoring_groups.id'], name=op.f('fk_programs_group_id_mentoring_groups')),
    sa.ForeignKeyConstraint(['workflow_instance_id'], ['workflow_instances.id'], name=op.f('fk_programs_workflow_instance_id_workflow_instances')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs'))
    )
    op.create_index(op.f('ix_programs_group_id'), 'programs', ['group_id'], unique=False)
    op.create_index(op.f('ix_programs_workflow_instance_id'), 'programs', ['workflow_instance_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('ruleset_id', sa.String(length=128), nullable=False),
    sa.Column('ruleset_version', sa.String(length=64), nullable=False),
    sa.Column('verdict', sa.String(length=64), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('made_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('program_id IS NOT NULL OR person_id IS NOT NULL OR group_id IS NOT NULL', name=op.f('ck_decisions_has_subject')),
    sa.ForeignKeyConstraint(['group_id'], ['mentoring_groups.id'], name=op.f('fk_decisions_group_id_mentoring_groups')),
    sa.ForeignKeyConstraint(['made_by_id'], ['persons.id'], name=op.f('fk_decisions_made_by_id_persons')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_decisions_person_id_persons')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_decisions_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    op.create_index(op.f('ix_decisions_group_id'), 'decisions', ['group_id'], unique=False)
    op.create_index(op.f('ix_decisions_person_id'), 'decisions', ['person_id'], unique=False)
    op.create_index(op.f('ix_decisions_program_id'), 'decisions', ['program_id'], unique=False)
    op.create_index('ix_decisions_ruleset', 'decisions', ['ruleset_id', 'ruleset_version'], unique=False)

    op.create_table('roadmap_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.String(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=16), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('report_form', sa.String(length=200), nullable=True),
    sa.CheckConstraint("status <> 'done' OR done_on IS NOT NULL", name=op.f('ck_roadmap_events_done_has_date')),
    sa.CheckConstraint("status IN ('planned', 'done', 'skipped')", name=op.f('ck_roadmap_events_status')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_roadmap_events_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roadmap_events')),
    sa.UniqueConstraint('program_id', 'number', name=op.f('uq_roadmap_events_program_id_number'))
    )
    op.create_table('stage_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('stage_id', sa.String(length=32), nullable=False),
    sa.Column('form_name', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.CheckConstraint("status = 'draft' OR submitted_at IS NOT NULL", name=op.f('ck_stage_reports_submitted_has_time')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'approved')", name=op.f('ck_stage_reports_status')),
    sa.CheckConstraint("status NOT IN ('returned', 'approved') OR (reviewer_id IS NOT NULL AND reviewed_at IS NOT NULL)", name=op.f('ck_stage_reports_reviewed_has_reviewer')),
    sa.CheckConstraint('attempt >= 1', name=op.f('ck_stage_reports_attempt_positive')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_stage_reports_program_id_programs')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['persons.id'], name=op.f('fk_stage_reports_reviewer_id_persons')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['persons.id'], name=op.f('fk_stage_reports_submitted_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_reports')),
    sa.UniqueConstraint('program_id', 'stage_id', 'attempt', name=op.f('uq_stage_reports_program_id_stage_id_attempt'))
    )
    op.create_index(op.f('ix_stage_reports_program_id'), 'stage_reports', ['program_id'], unique=False)

    op.create_table('mentees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=48), nullable=False),
    sa.Column('decision', sa.JSON(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('waiting', 'in_program', 'completed', 'withdrawn')", name=op.f('ck_mentees_status')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_mentees_decision_id_decisions')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_mentees_organization_id_organizations')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_mentees_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentees'))
    )
    op.create_index('ix_mentees_org_status', 'mentees', ['organization_id', 'status'], unique=False)
    op.create_index(op.f('ix_mentees_person_id'), 'mentees', ['person_id'], unique=False)

    op.create_table('group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['mentoring_groups.id'], name=op.f('fk_group_members_group_id_mentoring_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentee_id'], ['mentees.id'], name=op.f('fk_group_members_mentee_id_mentees')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_group_members_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_members')),
    sa.UniqueConstraint('group_id', 'person_id', name=op.f('uq_group_members_group_id_person_id'))
    )
    op.create_index(op.f('ix_group_members_person_id'), 'group_members', ['person_id'], unique=False)

    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_table('group_members')
    op.drop_table('mentees')
    op.drop_table('stage_reports')
    op.drop_table('roadmap_events')
    op.drop_table('decisions')
    op.drop_table('programs')
    op.drop_table('consents')
    op.drop_table('role_assignments')
    op.drop_table('mentoring_groups')
    op.drop_table('mentor_appointments')
    op.drop_table('workflow_timers')
    op.drop_table('orders')
    op.drop_table('open_tasks')
    op.drop_table('workflow_instances')
    op.drop_table('process_definitions')
    op.drop_table('audit_entries')
    op.drop_table('access_log')
    op.drop_table('persons')
    op.drop_table('organizations')
