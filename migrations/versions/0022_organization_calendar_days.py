"""the organization's own days of the curator's calendar

Revision ID: 0022_organization_calendar_days
Revises: 0021_dashboard_indexes

Issue 15, item 1 (follow-up). The curator's yearly tasks of the report calendar (001 §2.4: monitoring «до 20 декабря
и до 20 мая»; the base review, yearly by 15 September — the school's choice) are due on the regulation pack's days;
an organization's administrator may move each of them. ``organizations.calendar_days``: {entry id: "MM-DD"} for the
entries whose day differs from the pack's; NULL — the pack's (engine.regulations.calendar_days).

Create Date: 2026-12-10 10:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022_organization_calendar_days'
down_revision: str | None = '0021_dashboard_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organizations') as batch:
        batch.add_column(sa.Column('calendar_days', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organizations') as batch:
        batch.drop_column('calendar_days')
