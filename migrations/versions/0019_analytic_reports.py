"""the curator's conclusions of the analytic reports

Revision ID: 0019_analytic_reports
Revises: 0018_mentor_period_reports

Issue 15, items 4 and 6. 003 §3.3: the curator «формирует итоговый аналитический отчет о реализации системы
наставничества»; 001 §2.4: monitoring twice a year. The report's figures are counted when it is opened; the text
the curator writes with it (the conclusions) is kept here, one per organization, kind (semiannual | final) and
period (``2026-1``, ``2026-2``, ``2026``).

Create Date: 2026-12-07 05:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019_analytic_reports'
down_revision: str | None = '0018_mentor_period_reports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('analytic_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('conclusions', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('semiannual', 'final')", name=op.f('ck_analytic_reports_kind')),
    sa.ForeignKeyConstraint(['author_id'], ['persons.id'], name=op.f('fk_analytic_reports_author_id_persons')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                            name=op.f('fk_analytic_reports_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytic_reports')),
    sa.UniqueConstraint('organization_id', 'kind', 'period', name=op.f('uq_analytic_reports_one'))
    )


def downgrade() -> None:
    op.drop_table('analytic_reports')
