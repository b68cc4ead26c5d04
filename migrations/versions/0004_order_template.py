"""order template: which regulation pack (id, version) and which template (SHA-256) worded an order

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07

Orders are worded by the templates of the organization's pack (rules/<pack>/orders/<kind>.j2); each order
records the pack, its version and the template's SHA-256 when it is drafted. Orders drafted before keep NULL.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (('regulation', 64), ('regulation_version', 32), ('template_sha256', 64))


def upgrade() -> None:
    # plain ALTER TABLE … ADD COLUMN on both dialects: SQLite keeps the table (and its immutability triggers)
    for name, length in _COLUMNS:
        op.add_column('orders', sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    for name, _length in reversed(_COLUMNS):
        op.drop_column('orders', name)
