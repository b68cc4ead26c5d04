"""the organization's own report dates

Revision ID: 0020_organization_report_dates
Revises: 0019_analytic_reports

Issue 15, item 1 (follow-up). The dates by which the mentors report (003 п. 3 of the order: «ежегодно до 10 июня,
10 декабря») come from the regulation pack; an organization's administrator may set its own (add, change or remove
a date) on the organization's page. ``organizations.report_dates``: the month-days (["06-10", "12-10"]); NULL —
the pack's (engine.regulations.report_dates).

Create Date: 2026-12-09 10:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0020_organization_report_dates'
down_revision: str | None = '0019_analytic_reports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organizations') as batch:
        batch.add_column(sa.Column('report_dates', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organizations') as batch:
        batch.drop_column('report_dates')
