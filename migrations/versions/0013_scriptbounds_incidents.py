"""script bounds: incidents of scripts stopped at a bound; process versions belong to an organization

Revision ID: 0013_scriptbounds_incidents
Revises: 0012_sessions_revocation
Create Date: 2026-12-06

``script_incidents``: a BPMN script or expression stopped at its time, memory, operation or data bound
(issue 11, finding 2); the step it ran in was not committed. ``process_definitions.organization_id``: the
organization whose methodologist stored the version — only that organization's new work runs it; NULL (every
row stored before) is a shipped version, the default of every organization. The same bytes may be stored once
per owner (unique ``(process_id, bpmn_sha256, organization_id)``): an organization chooses another's version by
uploading its file. (Downgrading fails while two owners hold the same bytes.)
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013_scriptbounds_incidents'
down_revision: str | None = '0012_sessions_revocation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('process_definitions') as batch:
        batch.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_process_definitions_organization_id_organizations', 'organizations',
                                 ['organization_id'], ['id'])
        batch.create_index('ix_process_definitions_organization_id', ['organization_id'])
        batch.drop_constraint('uq_process_definitions_process_id_bpmn_sha256', type_='unique')
        batch.create_unique_constraint('uq_process_definitions_process_id_bpmn_sha256_organization_id',
                                       ['process_id', 'bpmn_sha256', 'organization_id'])
    op.create_index('uq_process_definitions_shipped_sha256', 'process_definitions', ['process_id', 'bpmn_sha256'],
                    unique=True, sqlite_where=sa.text('organization_id IS NULL'),
                    postgresql_where=sa.text('organization_id IS NULL'))
    op.create_table(
        'script_incidents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=True),
        sa.Column('instance_id', sa.Integer(), nullable=True),
        sa.Column('definition_id', sa.Integer(), nullable=True),
        sa.Column('process_id', sa.String(length=128), nullable=False),
        sa.Column('element_id', sa.String(length=255), nullable=True),
        sa.Column('bound', sa.String(length=16), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name='fk_script_incidents_organization_id_organizations'),
        sa.ForeignKeyConstraint(['instance_id'], ['workflow_instances.id'],
                                name='fk_script_incidents_instance_id_workflow_instances'),
        sa.ForeignKeyConstraint(['definition_id'], ['process_definitions.id'],
                                name='fk_script_incidents_definition_id_process_definitions'),
        sa.ForeignKeyConstraint(['actor_id'], ['persons.id'], name='fk_script_incidents_actor_id_persons'),
        sa.PrimaryKeyConstraint('id', name='pk_script_incidents'),
    )
    op.create_index('ix_script_incidents_occurred_at', 'script_incidents', ['occurred_at'])
    op.create_index('ix_script_incidents_organization_id', 'script_incidents', ['organization_id'])


def downgrade() -> None:
    op.drop_index('ix_script_incidents_organization_id', table_name='script_incidents')
    op.drop_index('ix_script_incidents_occurred_at', table_name='script_incidents')
    op.drop_table('script_incidents')
    op.drop_index('uq_process_definitions_shipped_sha256', table_name='process_definitions')
    with op.batch_alter_table('process_definitions') as batch:
        batch.drop_constraint('uq_process_definitions_process_id_bpmn_sha256_organization_id', type_='unique')
        batch.create_unique_constraint('uq_process_definitions_process_id_bpmn_sha256', ['process_id', 'bpmn_sha256'])
        batch.drop_index('ix_process_definitions_organization_id')
        batch.drop_constraint('fk_process_definitions_organization_id_organizations', type_='foreignkey')
        batch.drop_column('organization_id')
