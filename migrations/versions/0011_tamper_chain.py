"""tamper evidence: the chains of the audit trail, the access log and the signed orders; CMS signatures of orders;
TRUNCATE refused (issue 11, finding 4)

Revision ID: 0011_tamper_chain
Revises: 0010_mentor_release
Create Date: 2026-12-06

* ``orders.document_signature``: the detached CMS (PKCS#7) signature of a signed order's text (base64 DER). Orders
  signed before this migration keep none (``nastavnik verify`` says so and checks their SHA-256 and chain link).
* ``chain_links`` (append-only: UPDATE and DELETE refused by triggers like the trails') and ``chain_heads``.
* Backfill: every existing audit entry, access-log entry and signed order is chained in id order with the server's
  chain key (``engine.integrity.keys``: ``NASTAVNIK_SIGNING_KEY`` or ``instance/signing/chain.key``, made if
  missing) — the same code the application appends with, so the links are the ones ``nastavnik verify`` checks.
* PostgreSQL: ``TRUNCATE`` of audit_entries, access_log, orders, chain_links and chain_heads is refused (a BEFORE
  TRUNCATE statement trigger). SQLite has no TRUNCATE; the connection's ``PRAGMA recursive_triggers=ON``
  (engine.db.base) makes ``INSERT OR REPLACE`` fire the DELETE triggers.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011_tamper_chain'
down_revision: str | None = '0010_mentor_release'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHAINS = ('audit', 'access', 'orders')
_NO_TRUNCATE = ('audit_entries', 'access_log', 'orders', 'chain_links', 'chain_heads')
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION nastavnik_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'nastavnik: % on % refused: the row is immutable', TG_OP, TG_TABLE_NAME
        USING ERRCODE = '23001';
END;
$$
"""


def _chain_check(name: str) -> sa.CheckConstraint:
    return sa.CheckConstraint("chain IN ('audit', 'access', 'orders')", name=op.f(f'ck_{name}_chain'))


def _create_triggers(dialect: str) -> None:
    if dialect == 'postgresql':
        op.execute(_PG_FUNCTION)
    for operation in ('UPDATE', 'DELETE'):
        name = f'trg_chain_links_immutable_{operation.lower()}'
        if dialect == 'sqlite':
            op.execute(f"CREATE TRIGGER {name} BEFORE {operation} ON chain_links FOR EACH ROW BEGIN SELECT "
                       f"RAISE(ABORT, 'nastavnik: {operation} on chain_links refused: the row is immutable'); END")
        elif dialect == 'postgresql':
            op.execute(f"CREATE TRIGGER {name} BEFORE {operation} ON chain_links FOR EACH ROW "
                       f"EXECUTE FUNCTION nastavnik_refuse_change()")
    if dialect == 'postgresql':
        for table in _NO_TRUNCATE:
            op.execute(f"CREATE TRIGGER trg_{table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION nastavnik_refuse_change()")


def _backfill() -> None:
    from engine.db.chain import append, load_rows  # the application's own chaining (see the docstring)
    from engine.integrity.keys import chain_key, organization_certificate

    chain_key(), organization_certificate()  # the key material is made now, at setup, not at the first commit
    connection = op.get_bind()
    for chain in _CHAINS:
        append(connection, chain, list(load_rows(connection, chain)))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column('orders', sa.Column('document_signature', sa.Text(), nullable=True))
    op.create_table('chain_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chain', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('previous_hash', sa.String(length=64), nullable=False),
    sa.Column('chain_hash', sa.String(length=64), nullable=False),
    sa.Column('seal', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    _chain_check('chain_links'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chain_links')),
    sa.UniqueConstraint('chain', 'seq', name=op.f('uq_chain_links_chain_seq'))
    )
    op.create_index('ix_chain_links_record', 'chain_links', ['chain', 'record_id'], unique=True)
    op.create_table('chain_heads',
    sa.Column('chain', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('chain_hash', sa.String(length=64), nullable=False),
    sa.Column('seal', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    _chain_check('chain_heads'),
    sa.PrimaryKeyConstraint('chain', name=op.f('pk_chain_heads'))
    )
    _create_triggers(dialect)
    _backfill()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'postgresql':
        for table in _NO_TRUNCATE:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_no_truncate ON {table}")
    for operation in ('update', 'delete'):
        suffix = ' ON chain_links' if dialect == 'postgresql' else ''
        op.execute(f"DROP TRIGGER IF EXISTS trg_chain_links_immutable_{operation}{suffix}")
    op.drop_table('chain_heads')
    op.drop_index('ix_chain_links_record', table_name='chain_links')
    op.drop_table('chain_links')
    op.drop_column('orders', 'document_signature')  # no batch: SQLite would rebuild the table without its triggers
