"""web: attachments, api tokens, rule file versions, draft process versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

Existing process definitions become 'deployed' (they were all in use before drafts existed).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_api_tokens_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_api_tokens_token_sha256'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_person_id'), ['person_id'], unique=False)

    op.create_table('rule_file_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.Column('deployed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deployed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'deployed')", name=op.f('ck_rule_file_versions_status')),
    sa.ForeignKeyConstraint(['deployed_by_id'], ['persons.id'], name=op.f('fk_rule_file_versions_deployed_by_id_persons')),
    sa.ForeignKeyConstraint(['saved_by_id'], ['persons.id'], name=op.f('fk_rule_file_versions_saved_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_file_versions')),
    sa.UniqueConstraint('file_name', 'sha256', name=op.f('uq_rule_file_versions_file_name_sha256')),
    sa.UniqueConstraint('file_name', 'version', name=op.f('uq_rule_file_versions_file_name_version'))
    )
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('event_record_id', sa.Integer(), nullable=True),
    sa.Column('stage_report_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size_bytes >= 0', name=op.f('ck_attachments_size_not_negative')),
    sa.ForeignKeyConstraint(['event_record_id'], ['roadmap_events.id'], name=op.f('fk_attachments_event_record_id_roadmap_events')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_attachments_organization_id_organizations')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_attachments_program_id_programs')),
    sa.ForeignKeyConstraint(['stage_report_id'], ['stage_reports.id'], name=op.f('fk_attachments_stage_report_id_stage_reports')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['persons.id'], name=op.f('fk_attachments_uploaded_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_event_record_id'), ['event_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_stage_report_id'), ['stage_report_id'], unique=False)

    with op.batch_alter_table('process_definitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='deployed'))
        batch_op.add_column(sa.Column('comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(op.f('ck_process_definitions_status'), "status IN ('draft', 'deployed')")
    with op.batch_alter_table('process_definitions', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None)



def downgrade() -> None:
    with op.batch_alter_table('process_definitions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_process_definitions_status'), type_='check')
        batch_op.drop_column('activated_at')
        batch_op.drop_column('comment')
        batch_op.drop_column('status')

    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_stage_report_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_program_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_event_record_id'))

    op.drop_table('attachments')
    op.drop_table('rule_file_versions')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_person_id'))

    op.drop_table('api_tokens')
