"""Filling a PostgreSQL database for ``bench/scale.py``: programs run through the product's own code, then their
rows cloned in bulk.

    seed = run_seed(session_factory)        # the demo story (engine.demo.story): five programs of the department
    fill(engine, seed, copies)              # add copies of every seed row until ``copies`` copies exist

The seed is the demo (``nastavnik demo``): the Tomsk department, its mentors appointed by the head's orders, mentees
registered, pairs formed by the curator with the participants' consents and the head's order, programs lived
through their stages with reports, returns, reminders, an escalation, an extension, an early completion, completion
orders and mentor bonuses — two completed, one completed early, one extended then completed, one active whose
stage report waits for the curator, and one pair whose formation order waits for the head. Every row of it is a
row the engine wrote.

A copy clones those rows with ``INSERT … SELECT … CROSS JOIN generate_series`` (one statement a table and batch,
all in the server): programs, groups, members, consents, mentees, the participants (persons: mentors and mentees;
the staff — head, curator, methodologist, administrator — are not cloned, the copies are theirs too), role
assignments of the participants, decisions, mentor appointments and bonuses, workflow instances with their state,
open tasks, timers, stage reports, roadmap events, orders, notifications, audit entries, the access log. Ids are
new (``base + copy × stride + original id``), every foreign key column and ``workflow_instances.subject`` points
into the same copy; unique texts get the copy's number (login ``volkov.17``, order number ``12.17``). Left as in
the original: the JSON inside rows (workflow state data, audit details, notification payloads) and the audit
chain (copies are not linked into it). The organizations, process definitions, regulation packs and rule files
are not cloned: all copies are the same department's (the worst case for its curator's pages).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Table, text
from sqlalchemy.orm import Session, sessionmaker

from engine.db import Base
from engine.demo.story import Demo, demo_start

# Not cloned: the installation's own rows (organizations, deployed versions), secrets, the audit chain.
NOT_CLONED = {"organizations", "process_definitions", "regulation_pack_versions", "rule_file_versions",
              "chain_heads", "chain_links", "worker_heartbeats", "api_tokens", "account_links", "calendar_feeds",
              "roadmap_years", "roadmap_year_items"}
STAFF_ROLES = ("head", "curator", "methodologist", "admin")
# rows cloned only when they belong to a cloned person (their unique keys name the person)
PERSON_ROWS = {"persons": "id", "role_assignments": "person_id", "notification_preferences": "person_id"}
# unique texts: the copy's number appended
SUFFIXED = {("persons", "login"): ".", ("orders", "number"): ".", ("jobs", "key"): ":",
            ("notifications", "key"): ":", ("outgoing_emails", "message_id"): "."}
# ids inside workflow_instances.subject, by key: the table they point into
SUBJECT_KEYS = {"candidate_id": "persons", "group_id": "mentoring_groups", "program_id": "programs",
                "mentor": "persons", "mentee": "persons", "Task_mentor_consent": "persons",
                "mentor_id": "persons", "mentee_id": "persons", "person_id": "persons"}
BATCH_ROWS = 200_000  # rows of one table one INSERT … SELECT adds at most


@dataclass
class Seed:
    """The rows the engine wrote, by table: how many, the largest id (the stride of a copy), the cloned persons."""
    rows: dict[str, int]
    stride: dict[str, int]
    participants: list[int]
    programs: int
    subjects: dict[int, Any] = field(default_factory=dict)
    copies: int = 1  # the seed itself is copy 0

    @property
    def program_count(self) -> int:
        return self.programs * self.copies


def run_seed(sessions: sessionmaker[Session], engine: Engine) -> Seed:
    """The demo story through the services, committed; what it wrote."""
    with sessions() as session:
        demo = Demo(session, say=lambda line: None, start=demo_start(datetime.now(UTC)))
        demo.run()
        demo.leave_work_in_progress()
        session.commit()
    with engine.connect() as conn:
        rows, stride = {}, {}
        for table in cloned_tables():
            count, largest = conn.execute(text(f'SELECT count(*), coalesce(max(id), 0) FROM "{table.name}"')).one()
            if count:
                rows[table.name], stride[table.name] = count, largest
        participants = list(conn.scalars(text(
            "SELECT id FROM persons WHERE id NOT IN (SELECT person_id FROM role_assignments WHERE role = ANY(:staff)) "
            "ORDER BY id"), {"staff": list(STAFF_ROLES)}))
        subjects = {row.id: row.subject for row in conn.execute(text(
            "SELECT id, subject FROM workflow_instances WHERE subject IS NOT NULL"))}
        programs = conn.scalar(text("SELECT count(*) FROM programs"))
    return Seed(rows, stride, participants, programs, subjects)


def cloned_tables() -> list[Table]:
    """The tables copies are made of, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_CLONED and "id" in t.c]


def fill(engine: Engine, seed: Seed, copies: int) -> dict[str, int]:
    """Copies of the seed's rows until there are ``copies`` in all (the seed counts as one); rows added by table."""
    if copies <= seed.copies:
        return {}
    first, last = seed.copies, copies - 1  # copy numbers made now
    added: dict[str, int] = {}
    with engine.begin() as conn:
        base = {name: conn.scalar(text(f'SELECT coalesce(max(id), 0) FROM "{name}"')) for name in seed.stride}
        for table in cloned_tables():
            if table.name not in seed.rows:
                continue
            per_batch = max(1, BATCH_ROWS // seed.rows[table.name])
            statement = text(_insert(table, seed, base, first))
            for start in range(first, last + 1, per_batch):
                result = conn.execute(statement, {"start": start, "stop": min(start + per_batch - 1, last)})
                added[table.name] = added.get(table.name, 0) + result.rowcount
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                              f'(SELECT max(id) FROM "{table.name}"))'))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in seed.rows:  # the planner's statistics and the visibility map, as autovacuum would leave them
            conn.execute(text(f'VACUUM (ANALYZE) "{name}"'))  # (PostgreSQL 13+ vacuums insert-only tables too)
    seed.copies = copies
    return added


def _new_id(table: str, seed: Seed, base: dict[str, int], first: int, original: str) -> str:
    return f"({base[table]} + (j - {first}) * {seed.stride[table]} + {original})"


def _reference(target: str, seed: Seed, base: dict[str, int], first: int, column: str) -> str:
    """The copy's id for a foreign key into ``target`` (itself when the target row is not cloned)."""
    if target not in seed.stride:
        return column
    cloned = (f"{column} = ANY(ARRAY[{','.join(map(str, seed.participants))}]::int[])" if target == "persons"
              else f"{column} <= {seed.stride[target]}")
    return f"CASE WHEN {cloned} THEN {_new_id(target, seed, base, first, column)} ELSE {column} END"


def _insert(table: Table, seed: Seed, base: dict[str, int], first: int) -> str:
    columns, values = [], []
    for column in table.columns:
        name = f'o."{column.name}"'
        if column.name == "id":
            value = _new_id(table.name, seed, base, first, name)
        elif column.foreign_keys:
            value = _reference(next(iter(column.foreign_keys)).column.table.name, seed, base, first, name)
        elif (table.name, column.name) in SUFFIXED:
            value = f"{name} || '{SUFFIXED[table.name, column.name]}' || j"
        elif (table.name, column.name) == ("workflow_instances", "subject"):
            value = _subjects(seed, base, first)
        else:
            value = name
        columns.append(f'"{column.name}"')
        values.append(value)
    where = f"o.id <= {seed.stride[table.name]}"
    if table.name in PERSON_ROWS:
        where += f" AND o.{PERSON_ROWS[table.name]} = ANY(ARRAY[{','.join(map(str, seed.participants))}]::int[])"
    return (f'INSERT INTO "{table.name}" ({", ".join(columns)}) SELECT {", ".join(values)} '
            f'FROM "{table.name}" AS o CROSS JOIN generate_series(CAST(:start AS integer), CAST(:stop AS integer)) AS j WHERE {where}')


def _subjects(seed: Seed, base: dict[str, int], first: int) -> str:
    """``workflow_instances.subject`` of each seed instance rebuilt with the copy's ids."""
    cases = " ".join(f"WHEN {instance} THEN ({_json(subject, None, seed, base, first)})::json"
                     for instance, subject in sorted(seed.subjects.items()))
    return f"CASE o.id {cases} ELSE o.subject END" if cases else "o.subject"


def _json(value: Any, key: str | None, seed: Seed, base: dict[str, int], first: int) -> str:
    if isinstance(value, dict):
        parts = ", ".join(f"{_literal(k)}, {_json(v, k, seed, base, first)}" for k, v in value.items())
        return f"jsonb_build_object({parts})"
    if isinstance(value, list):
        return f"jsonb_build_array({', '.join(_json(v, key, seed, base, first) for v in value)})"
    if isinstance(value, int) and not isinstance(value, bool) and key in SUBJECT_KEYS:
        return _reference(SUBJECT_KEYS[key], seed, base, first, str(value))
    return f"'{json.dumps(value)}'::jsonb" if not isinstance(value, str) else f"to_jsonb({_literal(value)})"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'::text"
