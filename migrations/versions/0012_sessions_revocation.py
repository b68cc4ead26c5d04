"""sessions revocation: ``persons.session_epoch`` (issue 11, finding 7)

Revision ID: 0012_sessions_revocation
Revises: 0011_tamper_chain
Create Date: 2026-12-06

A web session names the person's ``session_epoch`` at login; logout, a password change and deactivation raise
it, so every session issued before ends on its next request, in every browser (the cookie alone no longer
proves anything once the person has logged out).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012_sessions_revocation'
down_revision: str | None = '0011_tamper_chain'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('persons') as batch:
        batch.add_column(sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('persons') as batch:
        batch.drop_column('session_epoch')
