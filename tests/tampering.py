"""The attacks of the audit (issue 11, finding 4) on a test database, as someone who can write the database
directly would do them, around the application: SQLite through a plain connection (no ``recursive_triggers``,
triggers dropped where needed), PostgreSQL as a superuser who switches user triggers off
(``session_replication_role = replica``)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, create_engine, text

from engine.db import resolve_url


@contextmanager
def attacker(db_url: str, *, triggers_off: bool = False) -> Iterator[Connection]:
    """A connection that is not the application's (its connect hook, its session events) in one transaction."""
    engine = create_engine(resolve_url(db_url))
    try:
        with engine.begin() as connection:
            if triggers_off:
                if connection.dialect.name == "sqlite":
                    names = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars()
                    for name in list(names):
                        connection.execute(text(f"DROP TRIGGER {name}"))
                else:
                    connection.execute(text("SET LOCAL session_replication_role = replica"))
            yield connection
    finally:
        engine.dispose()


def row(connection: Connection, table: str, row_id: int) -> dict[str, Any]:
    return dict(connection.execute(text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id}).mappings().one())


def replace_row(connection: Connection, table: str, values: dict[str, Any]) -> None:
    """The row with these values in place of the one with its id: SQLite ``INSERT OR REPLACE``, PostgreSQL an
    UPDATE of every column (its ``INSERT … ON CONFLICT DO UPDATE`` is one)."""
    columns = list(values)
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
                                f"VALUES ({', '.join(':' + c for c in columns)})"), values)
    else:
        assignments = ", ".join(f"{c} = :{c}" for c in columns if c != "id")
        connection.execute(text(f"UPDATE {table} SET {assignments} WHERE id = :id"), values)


def forged_order(original: dict[str, Any], body: str) -> dict[str, Any]:
    """The signed order with another text and the SHA-256 recomputed for it, as the audit did."""
    return {**original, "body": body, "document_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest()}


def signed_order_world(session) -> dict[str, Any]:  # noqa: ANN001 - a Session
    """A department with its head and curator and a mentor; an order appointing the mentor, drafted by the curator
    and signed by the head; the head's reading of the mentor's data in the access log. Committed."""
    from datetime import UTC, date, datetime

    from engine.db.models import log_access
    from engine.services.orders import drafting, signing
    from engine.services.people.actor import load_actor
    from tests import factories as f

    department = f.make_department(session, name="Департамент образования")
    head = f.make_person(session, full_name="Савенков Максим Геннадьевич", position="Начальник департамента",
                         organization=department)
    curator = f.make_person(session, full_name="Боровикова Наталья Алексеевна", position="главный специалист",
                            organization=department)
    mentor = f.make_person(session, full_name="Петров Пётр Петрович", position="директор", organization=department)
    f.make_role(session, head, department, "head")
    f.make_role(session, curator, department, "curator")
    f.make_role(session, mentor, department, "mentor")
    session.commit()
    head_actor, curator_actor = load_actor(session, head.login), load_actor(session, curator.login)
    order = drafting.draft_order(session, curator_actor, department.id, "appointment_of_mentors",
                                 {"mentors": [mentor.id], "starts_on": date(2024, 9, 1)})
    drafting.submit(session, curator_actor, order.id)
    session.commit()
    signing.sign(session, head_actor, order.id, at=datetime(2024, 2, 20, 3, 0, 55, tzinfo=UTC))
    log_access(session, mentor, "profile", viewer=head, fields=["full_name", "position"])
    session.commit()
    return {"department": department.id, "head": head.login, "curator": curator.login, "mentor": mentor.id,
            "order": order.id, "number": order.number}
