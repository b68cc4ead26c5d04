"""indexes in the registries' sort orders

Revision ID: 0017_registry_order_indexes
Revises: 0016_list_indexes

Issue 14 (pages constant in size). The mentor registry lists the appointments in force first, the terms ending
soonest first; the mentee registry those waiting for a pair first, the newest first. Both orders begin with an
expression (``status <> 'active'``, ``status <> 'waiting'``), so without an index on it PostgreSQL sorted a whole
department's rows for every page (0.5–0.8 s at 100 000 programs). With these a page, from either end, is read in
order and stops. The head's signed and refused orders are listed newest change first across both statuses: the
partial index ``ix_orders_decided`` reads them in that order (``ix_orders_org_status`` had them per status, and the
orders waiting for a signature, oldest first, had to be sorted: it now ends with ``created_at``, ``id``).
The methodology page counts each version's instances by status, counted up to a bound, and links its first
programs in the order they started: ``ix_workflow_instances_definition_status`` and
``ix_workflow_instances_definition_order`` (which also serves the foreign key, replacing
``ix_workflow_instances_definition_id``).
A person's open tasks (the API's ``/tasks``) are those assigned to them and each of their roles' unassigned ones,
oldest first: each is read in the order of its index (``ix_open_tasks_assignee``, replacing
``ix_open_tasks_assignee_id``; ``ix_open_tasks_role_created``) and the branches merged.

Create Date: 2026-12-07 02:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017_registry_order_indexes'
down_revision: str | None = '0016_list_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_open_tasks_role_created', 'open_tasks', ['organization_id', 'role', 'created_at', 'id'])
    op.create_index('ix_open_tasks_assignee', 'open_tasks', ['assignee_id', 'created_at', 'id'])
    op.drop_index('ix_open_tasks_assignee_id', table_name='open_tasks')
    op.create_index('ix_workflow_instances_definition_order', 'workflow_instances', ['definition_id', 'id'])
    op.create_index('ix_workflow_instances_definition_status', 'workflow_instances', ['definition_id', 'status', 'kind'])
    op.drop_index('ix_workflow_instances_definition_id', table_name='workflow_instances')
    op.create_index('ix_mentor_appointments_registry', 'mentor_appointments',
                    ['organization_id', sa.text("(status <> 'active')"), 'ends_on', 'id'])
    op.drop_index('ix_orders_org_status', table_name='orders')
    op.create_index('ix_orders_org_status', 'orders', ['organization_id', 'status', 'created_at', 'id'])
    decided = sa.text("status IN ('signed', 'refused')")
    op.create_index('ix_orders_decided', 'orders', ['organization_id', 'updated_at', 'id'],
                    postgresql_where=decided, sqlite_where=decided)
    op.create_index('ix_mentees_registry', 'mentees',
                    ['organization_id', sa.text("(status <> 'waiting')"), sa.text('registered_on DESC'),
                     sa.text('id DESC')])


def downgrade() -> None:
    op.create_index('ix_open_tasks_assignee_id', 'open_tasks', ['assignee_id'])
    op.drop_index('ix_open_tasks_assignee', table_name='open_tasks')
    op.drop_index('ix_open_tasks_role_created', table_name='open_tasks')
    op.create_index('ix_workflow_instances_definition_id', 'workflow_instances', ['definition_id'])
    op.drop_index('ix_workflow_instances_definition_status', table_name='workflow_instances')
    op.drop_index('ix_workflow_instances_definition_order', table_name='workflow_instances')
    op.drop_index('ix_mentees_registry', table_name='mentees')
    op.drop_index('ix_mentor_appointments_registry', table_name='mentor_appointments')
    op.drop_index('ix_orders_decided', table_name='orders')
    op.drop_index('ix_orders_org_status', table_name='orders')
    op.create_index('ix_orders_org_status', 'orders', ['organization_id', 'status', 'updated_at'])
