"""the dashboard's indexes

Revision ID: 0021_dashboard_indexes
Revises: 0020_organization_report_dates

Issue 15, item 2: the department's dashboard counts its figures over every program in the database. Two of them
read one row per program through an index instead of scanning: a program's current stage due date (the latest
event date of the stage: ``roadmap_events`` by program, stage and date) and the extension orders signed in a period
(``orders`` by type and date).

Create Date: 2026-12-07 05:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0021_dashboard_indexes'
down_revision: str | None = '0020_organization_report_dates'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_roadmap_events_stage_due', 'roadmap_events', ['program_id', 'stage_id', 'due_on'])
    op.create_index('ix_orders_type_issued', 'orders', ['type', 'issued_on'])


def downgrade() -> None:
    op.drop_index('ix_orders_type_issued', table_name='orders')
    op.drop_index('ix_roadmap_events_stage_due', table_name='roadmap_events')
