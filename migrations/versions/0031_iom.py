"""the individual educational route (ИОМ, 002 §1.2, §4.2.2): routes, their seven steps, yearly reviews, programs

Revision ID: 0031_iom
Revises: 0029_council_sessions

Issue 18, item 2. ``iom_routes``: a teacher's long-term route (4–5 years) with its tutor and the step it is at;
``iom_steps``: what each of the seven positions of 002 §4.2.2 recorded; ``iom_reviews``: the yearly review the worker
opens on each anniversary; ``iom_programs``: personalized programs attached to a route.

Create Date: 2026-12-07 09:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0031_iom'
down_revision: str | None = '0029_council_sessions'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_DATETIME = sa.DateTime(timezone=True)


def _person(column: str, table: str, nullable: bool = True) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey('persons.id', name=f'fk_{table}_{column}_persons'),
                     nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'iom_routes',
        sa.PrimaryKeyConstraint('id', name=op.f('pk_iom_routes')),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), sa.ForeignKey('organizations.id', name='fk_iom_routes_organization_id_organizations'), nullable=False),
        _person('teacher_id', 'iom_routes', nullable=False),
        _person('tutor_id', 'iom_routes'),
        sa.Column('years', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('step', sa.Integer(), nullable=False),
        _person('created_by_id', 'iom_routes'),
        sa.Column('created_at', UTC_DATETIME, nullable=False),
        sa.Column('updated_at', UTC_DATETIME, nullable=False),
        sa.CheckConstraint('years IN (4, 5)', name='ck_iom_routes_years'),
        sa.CheckConstraint('step BETWEEN 1 AND 8', name='ck_iom_routes_step'),
        sa.CheckConstraint('ends_on > starts_on', name='ck_iom_routes_term_order'),
    )
    for column in ('organization_id', 'teacher_id', 'tutor_id'):
        op.create_index(f'ix_iom_routes_{column}', 'iom_routes', [column])
    op.create_table(
        'iom_steps',
        sa.PrimaryKeyConstraint('id', name=op.f('pk_iom_steps')),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('route_id', sa.Integer(), sa.ForeignKey('iom_routes.id', ondelete='CASCADE', name='fk_iom_steps_route_id_iom_routes'), nullable=False),
        sa.Column('step', sa.Integer(), nullable=False),
        sa.Column('body', sa.JSON(), nullable=False),
        _person('done_by_id', 'iom_steps'),
        sa.Column('done_on', sa.Date(), nullable=False),
        sa.Column('created_at', UTC_DATETIME, nullable=False),
        sa.UniqueConstraint('route_id', 'step', name='uq_iom_steps_route_step'),
        sa.CheckConstraint('step BETWEEN 1 AND 7', name='ck_iom_steps_step'),
    )
    op.create_index('ix_iom_steps_route_id', 'iom_steps', ['route_id'])
    op.create_table(
        'iom_reviews',
        sa.PrimaryKeyConstraint('id', name=op.f('pk_iom_reviews')),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('route_id', sa.Integer(), sa.ForeignKey('iom_routes.id', ondelete='CASCADE', name='fk_iom_reviews_route_id_iom_routes'), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('opened_on', sa.Date(), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=True),
        _person('done_by_id', 'iom_reviews'),
        sa.Column('conclusion', sa.Text(), nullable=True),
        sa.Column('corrections', sa.Text(), nullable=True),
        sa.Column('created_at', UTC_DATETIME, nullable=False),
        sa.UniqueConstraint('route_id', 'year', name='uq_iom_reviews_route_year'),
        sa.CheckConstraint('year BETWEEN 1 AND 5', name='ck_iom_reviews_year'),
    )
    op.create_index('ix_iom_reviews_route_id', 'iom_reviews', ['route_id'])
    op.create_table(
        'iom_programs',
        sa.PrimaryKeyConstraint('id', name=op.f('pk_iom_programs')),
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('route_id', sa.Integer(), sa.ForeignKey('iom_routes.id', ondelete='CASCADE', name='fk_iom_programs_route_id_iom_routes'), nullable=False),
        sa.Column('program_id', sa.Integer(), sa.ForeignKey('programs.id', name='fk_iom_programs_program_id_programs'), nullable=False),
        _person('attached_by_id', 'iom_programs'),
        sa.Column('attached_on', sa.Date(), nullable=False),
        sa.Column('note', sa.String(500), nullable=True),
        sa.UniqueConstraint('program_id', name='uq_iom_programs_program'),
    )
    op.create_index('ix_iom_programs_route_id', 'iom_programs', ['route_id'])


def downgrade() -> None:
    for table in ('iom_programs', 'iom_reviews', 'iom_steps', 'iom_routes'):
        op.drop_table(table)
