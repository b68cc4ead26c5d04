"""indexes matching the lists' filters and sort orders

Revision ID: 0016_list_indexes
Revises: 0015_background_work

Issue 14 (lists in SQL). The curator's inbox (and the API's task list) filters open steps by organization and
role and sorts them soonest due first, then by creation: ``ix_open_tasks_inbox`` gains the sort's columns
(``due_at``, ``created_at``, ``id``) so PostgreSQL reads a page in order and stops. The inbox's refused orders
without a step are those changed in the last 30 days: ``ix_orders_updated_at``. The head's decided orders are
sorted newest change first within organization and status: ``ix_orders_org_status`` gains ``updated_at``. A person's
notifications are listed newest first: ``ix_notifications_person_created`` (the unread count keeps
``ix_notifications_person_id_read_at``).

Create Date: 2026-12-07 09:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0016_list_indexes'
down_revision: str | None = '0015_background_work'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index('ix_open_tasks_inbox', table_name='open_tasks')
    op.create_index('ix_open_tasks_inbox', 'open_tasks', ['organization_id', 'role', 'due_at', 'created_at', 'id'])
    op.drop_index('ix_orders_org_status', table_name='orders')
    op.create_index('ix_orders_org_status', 'orders', ['organization_id', 'status', 'updated_at'])
    op.create_index('ix_orders_updated_at', 'orders', ['updated_at'])
    op.create_index('ix_notifications_person_created', 'notifications', ['person_id', 'created_at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_notifications_person_created', table_name='notifications')
    op.drop_index('ix_orders_updated_at', table_name='orders')
    op.drop_index('ix_orders_org_status', table_name='orders')
    op.create_index('ix_orders_org_status', 'orders', ['organization_id', 'status'])
    op.drop_index('ix_open_tasks_inbox', table_name='open_tasks')
    op.create_index('ix_open_tasks_inbox', 'open_tasks', ['organization_id', 'role'])
