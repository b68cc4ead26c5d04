"""forms methodologists design: their versions, the pins of deployed processes, the answers

Revision ID: 0026_designed_forms
Revises: 0025_monitoring_snapshots

Issue 16, item 5. ``designed_forms``: a form-js schema per (organization, key, version), draft or deployed;
``designed_form_pins``: the form version each deployed process version's user tasks use; ``designed_form_answers``:
the answers a completed step gave (the program page lists them).

Create Date: 2026-12-07 08:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0026_designed_forms'
down_revision: str | None = '0025_monitoring_snapshots'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'designed_forms',
        sa.PrimaryKeyConstraint('id', name=op.f('pk_designed_forms')),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(255), nullable=False),
        sa.Column('schema', sa.JSON(), nullable=False),
        sa.Column('organization_id', sa.Integer(), sa.ForeignKey('organizations.id', name='fk_designed_forms_organization_id_organizations'), nullable=True),
        sa.Column('status', sa.String(16), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('persons.id', name='fk_designed_forms_created_by_id_persons'), nullable=True),
        sa.Column('created_at', UTC_DATETIME, nullable=False),
        sa.Column('deployed_at', UTC_DATETIME, nullable=True),
        sa.UniqueConstraint('organization_id', 'key', 'version', name='uq_designed_forms_organization_id_key_version'),
        sa.CheckConstraint("status IN ('draft', 'deployed')", name='ck_designed_forms_status'),
    )
    op.create_index('ix_designed_forms_organization_id', 'designed_forms', ['organization_id'])
    op.create_table(
        'designed_form_pins',
        sa.PrimaryKeyConstraint('id', name=op.f('pk_designed_form_pins')),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('definition_id', sa.Integer(), sa.ForeignKey('process_definitions.id', ondelete='CASCADE', name='fk_designed_form_pins_definition_id_process_definitions'), nullable=False),
        sa.Column('key', sa.String(64), nullable=False),
        sa.Column('form_id', sa.Integer(), sa.ForeignKey('designed_forms.id', name='fk_designed_form_pins_form_id_designed_forms'), nullable=False),
        sa.UniqueConstraint('definition_id', 'key', name='uq_designed_form_pins_definition_id_key'),
    )
    op.create_table(
        'designed_form_answers',
        sa.PrimaryKeyConstraint('id', name=op.f('pk_designed_form_answers')),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), sa.ForeignKey('workflow_instances.id', ondelete='CASCADE', name='fk_designed_form_answers_instance_id_workflow_instances'), nullable=False),
        sa.Column('form_id', sa.Integer(), sa.ForeignKey('designed_forms.id', name='fk_designed_form_answers_form_id_designed_forms'), nullable=False),
        sa.Column('task_id', sa.String(36), nullable=False),
        sa.Column('step_name', sa.String(500), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('answered_by_id', sa.Integer(), sa.ForeignKey('persons.id', name='fk_designed_form_answers_answered_by_id_persons'), nullable=True),
        sa.Column('answered_at', UTC_DATETIME, nullable=False),
    )
    op.create_index('ix_designed_form_answers_instance', 'designed_form_answers', ['instance_id', 'answered_at'])


def downgrade() -> None:
    op.drop_index('ix_designed_form_answers_instance', table_name='designed_form_answers')
    op.drop_table('designed_form_answers')
    op.drop_table('designed_form_pins')
    op.drop_index('ix_designed_forms_organization_id', table_name='designed_forms')
    op.drop_table('designed_forms')
