"""Database triggers backing the model-level guarantees (append-only trails, immutable signed
orders) for writes that bypass the ORM (Core statements, psql, bulk updates).

They are attached to the tables' ``after_create`` event here, so ``metadata.create_all`` installs
them; migration 0001 installs the same statements (copied there, migrations are frozen). Both
backends raise an integrity error (SQLite ``RAISE(ABORT)``, PostgreSQL SQLSTATE 23001), which
SQLAlchemy reports as ``IntegrityError``.

PostgreSQL also refuses ``TRUNCATE`` of the trails, the orders and the chains (a statement trigger; row triggers
do not see a TRUNCATE), and SQLite runs with ``PRAGMA recursive_triggers=ON`` (``engine.db.base``) so that
``INSERT OR REPLACE`` fires the DELETE triggers of the row it replaces. Migration 0011 installs those and the
chain's triggers (``chain_links`` is append-only like the trails).
"""
from __future__ import annotations

from sqlalchemy import DDL, event

from engine.db.base import Base

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION nastavnik_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'nastavnik: % on % refused: the row is immutable', TG_OP, TG_TABLE_NAME
        USING ERRCODE = '23001';
END;
$$
"""

# table -> WHEN condition on OLD (None: always refuse)
IMMUTABLE_ROWS: dict[str, str | None] = {
    "audit_entries": None,
    "access_log": None,
    "orders": "OLD.status = 'signed'",
    "chain_links": None,
}
# tables PostgreSQL refuses to TRUNCATE (statement trigger)
NO_TRUNCATE: tuple[str, ...] = ("audit_entries", "access_log", "orders", "chain_links", "chain_heads")


def sqlite_statements(table: str, when: str | None) -> list[str]:
    cond = f" WHEN {when}" if when else ""
    return [
        f"CREATE TRIGGER trg_{table}_immutable_{op.lower()} BEFORE {op} ON {table} FOR EACH ROW{cond} "
        f"BEGIN SELECT RAISE(ABORT, 'nastavnik: {op} on {table} refused: the row is immutable'); END"
        for op in ("UPDATE", "DELETE")
    ]


def postgresql_statements(table: str, when: str | None) -> list[str]:
    cond = f" WHEN ({when})" if when else ""
    return [PG_FUNCTION] + [
        f"CREATE TRIGGER trg_{table}_immutable_{op.lower()} BEFORE {op} ON {table} FOR EACH ROW{cond} "
        f"EXECUTE FUNCTION nastavnik_refuse_change()"
        for op in ("UPDATE", "DELETE")
    ]


def truncate_statement(table: str) -> str:
    return (f"CREATE TRIGGER trg_{table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION nastavnik_refuse_change()")


def _install() -> None:
    for table_name, when in IMMUTABLE_ROWS.items():
        table = Base.metadata.tables[table_name]
        for stmt in sqlite_statements(table_name, when):
            event.listen(table, "after_create", DDL(stmt).execute_if(dialect="sqlite"))
        for stmt in postgresql_statements(table_name, when):
            event.listen(table, "after_create", DDL(stmt.replace("%", "%%")).execute_if(dialect="postgresql"))
    for table_name in NO_TRUNCATE:
        table = Base.metadata.tables[table_name]
        if table_name not in IMMUTABLE_ROWS:  # the function is created with the row triggers
            event.listen(table, "after_create", DDL(PG_FUNCTION.replace("%", "%%")).execute_if(dialect="postgresql"))
        event.listen(table, "after_create", DDL(truncate_statement(table_name)).execute_if(dialect="postgresql"))


_install()
