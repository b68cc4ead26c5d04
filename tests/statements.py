"""Counting the SQL statements a request (or any block) sends, through SQLAlchemy's ``before_cursor_execute``
event on the engine that runs them, and naming the heavy columns a list must never read.

    with counted_statements(database(app).engine) as statements:
        client.get("/inbox")
    assert len(statements) == ...
    assert not heavy_columns_read(statements)

A list issues the same number of statements for 3 rows as for 25 (no query per row): tests/web/test_list_statements.py,
tests/web/api/test_list_statements.py and tests/web/test_network_list_statements.py compare the two counts.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine

# columns no list reads: the workflow's serialized state, the BPMN text and the parsed spec of a process
# version, an order's text and signature, a rule file's text
HEAVY_COLUMNS = ("workflow_instances.state", "process_definitions.bpmn", "process_definitions.spec_json",
                 "orders.body", "orders.document_signature", "rule_file_versions.content")


@dataclass
class Statements:
    sql: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sql)

    def without_access_log(self) -> Statements:
        """The statements but the access log's (152-ФЗ: one entry per person a page shows, bounded by the page's
        size) and its tamper chain's."""
        return Statements([s for s in self.sql if not re.search(r"\b(access_log|chain_heads|chain_links)\b", s)])

    def selects(self) -> list[str]:
        return [s for s in self.sql if s.lstrip().upper().startswith(("SELECT", "WITH"))]

    def show(self) -> str:
        return "\n".join(f"{n}. {' '.join(s.split())[:300]}" for n, s in enumerate(self.sql, 1))


@contextmanager
def counted_statements(engine: Engine) -> Iterator[Statements]:
    """Every statement ``engine`` sends while the block runs (SAVEPOINTs and the like included)."""
    found = Statements()

    def record(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        found.sql.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", record)


_SELECTED = re.compile(r"^\s*SELECT\s+(?P<columns>.*?)\s+FROM\s", re.IGNORECASE | re.DOTALL)


def heavy_columns_read(statements: Statements, heavy: tuple[str, ...] = HEAVY_COLUMNS) -> list[str]:
    """The heavy columns any statement selects (in its column list, subqueries included), with the statement."""
    found = []
    for sql in statements.sql:
        flat = " ".join(sql.split())
        for column in heavy:
            # a selected column is written ``table.column`` (or ``alias.column``) followed by AS, a comma or FROM
            name = column.split(".")[1]
            table = column.split(".")[0]
            if re.search(rf"\b{table}(_\d+)?\.{name}\b(?!_)", flat) and _SELECTED.search(flat):
                found.append(f"{column}: {flat[:300]}")
    return found


def same_count(run: Callable[[int], Statements], few: int, many: int) -> tuple[int, int]:
    """The statement counts of ``run(few)`` and ``run(many)`` (``run`` makes that many rows and requests)."""
    return len(run(few)), len(run(many))
