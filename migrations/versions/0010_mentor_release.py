"""mentor release: a pair (group) whose mentor was released by order (003 §4.1)

Revision ID: 0010_mentor_release
Revises: 0009_events10
Create Date: 2026-12-06

``mentoring_groups.mentor_released_on``: the day the group's mentor was released from her duties by the head's
order (003 §4.1); until a new mentor is appointed to the group by a replacement order the program has no mentor
(nobody works its stage) and the curator proposes one or ends the program.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010_mentor_release'
down_revision: str | None = '0009_events10'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('mentoring_groups') as batch:
        batch.add_column(sa.Column('mentor_released_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mentoring_groups') as batch:
        batch.drop_column('mentor_released_on')
