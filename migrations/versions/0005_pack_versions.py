"""regulation pack versions: a pack's own files (pack.yaml, roadmaps/, orders/) stored, versioned and deployed
like rule files

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-10

The table starts empty: the shipped folders under rules/ become version 1 (deployed) the first time the web
app or a command starts (engine.services.methodology.regulation_packs.ensure_shipped).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('regulation_pack_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('rule_files', sa.JSON(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('base_version', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.Column('deployed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deployed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'deployed', 'superseded')",
                       name=op.f('ck_regulation_pack_versions_status')),
    sa.ForeignKeyConstraint(['deployed_by_id'], ['persons.id'],
                            name=op.f('fk_regulation_pack_versions_deployed_by_id_persons')),
    sa.ForeignKeyConstraint(['saved_by_id'], ['persons.id'],
                            name=op.f('fk_regulation_pack_versions_saved_by_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regulation_pack_versions')),
    sa.UniqueConstraint('pack_id', 'version', name=op.f('uq_regulation_pack_versions_pack_id_version'))
    )
    with op.batch_alter_table('regulation_pack_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regulation_pack_versions_pack_id'), ['pack_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('regulation_pack_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regulation_pack_versions_pack_id'))
    op.drop_table('regulation_pack_versions')
