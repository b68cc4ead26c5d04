"""the monitoring views' figures as last counted

Revision ID: 0025_monitoring_snapshots
Revises: 0024_effects_in_stored_diagrams

Issue 15 (the dashboard and the analytic report over 100k programs, p95 < 1 s): the figures of a view (a dashboard's
scope and period, an analytic report's organization and period) are kept as last counted and served while younger
than the refresh period; the worker counts the views people open by default anew every period
(engine.services.monitoring.snapshots).

Create Date: 2026-12-07 08:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0025_monitoring_snapshots'
down_revision: str | None = '0024_effects_in_stored_diagrams'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('monitoring_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('compute_ms', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('dashboard', 'analytic')", name=op.f('ck_monitoring_snapshots_kind')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                            name=op.f('fk_monitoring_snapshots_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring_snapshots')),
    sa.UniqueConstraint('key', name=op.f('uq_monitoring_snapshots_key'))
    )


def downgrade() -> None:
    op.drop_table('monitoring_snapshots')
