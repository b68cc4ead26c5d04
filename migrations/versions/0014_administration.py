"""administration: the administrator's role, organization details and document settings, people's contact data,
rule-file facts without a column, anonymization, one-time account links

Revision ID: 0014_administration
Revises: 0013_scriptbounds_incidents
Create Date: 2026-12-06

Issue 12. ``role_assignments.role`` admits ``admin`` (Администратор). ``organizations``: ``inn``, ``ogrn`` and
``document_settings`` (over the pack's defaults). ``persons``: ``phone``, ``personnel_number`` (табельный номер,
a key the staff import may match by), ``extra_facts`` (facts a rule file declares that have no column) and
``anonymized_at``. ``account_links``: invitations and password resets (a SHA-256 of the token only).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014_administration'
down_revision: str | None = '0013_scriptbounds_incidents'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_ROLES = "role IN ('curator', 'methodologist', 'head', 'mentor', 'mentee')"
_NEW_ROLES = "role IN ('curator', 'methodologist', 'head', 'mentor', 'mentee', 'admin')"


def upgrade() -> None:
    with op.batch_alter_table('role_assignments') as batch:
        batch.drop_constraint(batch.f('ck_role_assignments_role'), type_='check')
        batch.create_check_constraint(batch.f('ck_role_assignments_role'), _NEW_ROLES)
    with op.batch_alter_table('organizations') as batch:
        batch.add_column(sa.Column('inn', sa.String(length=12), nullable=True))
        batch.add_column(sa.Column('ogrn', sa.String(length=15), nullable=True))
        batch.add_column(sa.Column('document_settings', sa.JSON(), nullable=True))
    with op.batch_alter_table('persons') as batch:
        batch.add_column(sa.Column('phone', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('personnel_number', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('extra_facts', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('anonymized_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_index('ix_persons_personnel_number', ['personnel_number'])
    op.create_table(
        'account_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("purpose IN ('invitation', 'password_reset')", name='ck_account_links_purpose'),
        sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name='fk_account_links_person_id_persons'),
        sa.ForeignKeyConstraint(['created_by_id'], ['persons.id'], name='fk_account_links_created_by_id_persons'),
        sa.PrimaryKeyConstraint('id', name='pk_account_links'),
        sa.UniqueConstraint('token_sha256', name='uq_account_links_token_sha256'),
    )
    op.create_index('ix_account_links_person_id', 'account_links', ['person_id'])


def downgrade() -> None:
    op.drop_index('ix_account_links_person_id', table_name='account_links')
    op.drop_table('account_links')
    with op.batch_alter_table('persons') as batch:
        batch.drop_index('ix_persons_personnel_number')
        batch.drop_column('anonymized_at')
        batch.drop_column('extra_facts')
        batch.drop_column('personnel_number')
        batch.drop_column('phone')
    with op.batch_alter_table('organizations') as batch:
        batch.drop_column('document_settings')
        batch.drop_column('ogrn')
        batch.drop_column('inn')
    op.execute("DELETE FROM role_assignments WHERE role = 'admin'")
    with op.batch_alter_table('role_assignments') as batch:
        batch.drop_constraint(batch.f('ck_role_assignments_role'), type_='check')
        batch.create_check_constraint(batch.f('ck_role_assignments_role'), _OLD_ROLES)
