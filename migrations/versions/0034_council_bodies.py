"""council bodies from the pack: a council has a body kind, protocols numbered per body and calendar year

Revision ID: 0034_council_bodies
Revises: 0033_individual_plans

The collegial bodies an organization has come from its regulation pack (``council_bodies``): the mentors' council
(000 §4–5) and the pedagogical council (004 прил. 1 п. 3.1.1). ``councils.body`` says which (existing councils are
the mentors' councils); one council of each body per organization. A session's protocol is numbered within the
body and the calendar year it is held in (``council_sessions.year``, filled from ``held_on``). An agenda item may
say which order its adopted decision lets the curator cite (``council_agenda_items.considers``).

Create Date: 2026-12-07 11:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0034_council_bodies'
down_revision: str | None = '0033_individual_plans'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body', sa.String(length=32), nullable=False, server_default='mentors_council'))
        batch_op.drop_constraint('uq_councils_organization_id', type_='unique')
        batch_op.create_unique_constraint('uq_councils_organization_id_body', ['organization_id', 'body'])
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.alter_column('body', server_default=None)
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('year', sa.Integer(), nullable=True))
    sessions = sa.table('council_sessions', sa.column('id', sa.Integer), sa.column('held_on', sa.Date),
                        sa.column('year', sa.Integer))
    connection = op.get_bind()
    for session_id, held_on in connection.execute(sa.select(sessions.c.id, sessions.c.held_on)).all():
        year = held_on.year if hasattr(held_on, 'year') else int(str(held_on)[:4])
        connection.execute(sessions.update().where(sessions.c.id == session_id).values(year=year))
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.alter_column('year', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_council_sessions_council_id', type_='unique')
        batch_op.create_unique_constraint('uq_council_sessions_council_id_year', ['council_id', 'year', 'number'])
    with op.batch_alter_table('council_agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('considers', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('council_agenda_items', schema=None) as batch_op:
        batch_op.drop_column('considers')
    with op.batch_alter_table('council_sessions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_council_sessions_council_id_year', type_='unique')
        batch_op.create_unique_constraint('uq_council_sessions_council_id', ['council_id', 'number'])
        batch_op.drop_column('year')
    with op.batch_alter_table('councils', schema=None) as batch_op:
        batch_op.drop_constraint('uq_councils_organization_id_body', type_='unique')
        batch_op.create_unique_constraint('uq_councils_organization_id', ['organization_id'])
        batch_op.drop_column('body')
