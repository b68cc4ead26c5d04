"""an extension order says whether it moves the program's end date or corrects only its content (003 §7.2)

Revision ID: 0035_order_extends_term
Revises: 0034_council_bodies

003 §7.2 lets the head extend a personalized program's term «или» correct its content (the plan's events, the form
of mentorship). Both go through the same petition and the same order type ``extension``; ``orders.extends_term``
tells them apart (True: a new end date; False: content only; NULL for other types). Existing extension orders keep
NULL, read as «moves the end date»: before this revision every extension order did, and signed orders are
immutable rows (``engine.db.ddl``), so nothing is backfilled.

Create Date: 2026-12-07 11:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0035_order_extends_term'
down_revision: str | None = '0034_council_bodies'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# plain ALTER TABLE (no batch mode): SQLite adds and drops the column in place, so the table is not rebuilt and the
# triggers that keep signed orders immutable stay (tests/engine/db/test_db_migrations.py checks it)
def upgrade() -> None:
    op.add_column('orders', sa.Column('extends_term', sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.drop_column('orders', 'extends_term')
