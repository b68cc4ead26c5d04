"""regulation packs: an organization is bound to a pack by id (rules/<pack>/pack.yaml), no fixed list

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

The packs «tomsk» (003) and «yakutsk» (004) keep the ids the two former profiles had, so stored rows stay
as they are; the check that allowed only those two goes, and the column widens to 64 characters.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_organizations_regulation'), type_='check')
        batch_op.alter_column('regulation', existing_type=sa.String(length=16), type_=sa.String(length=64),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.alter_column('regulation', existing_type=sa.String(length=64), type_=sa.String(length=16),
                              existing_nullable=False)
        batch_op.create_check_constraint(batch_op.f('ck_organizations_regulation'),
                                         "regulation IN ('tomsk', 'yakutsk')")
