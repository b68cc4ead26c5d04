"""The fixtures' fast databases are the ones they replace: ``db_engine``'s schema is ``create_all``'s
(columns, keys, indexes, triggers and the trigger function, on both backends), and a world copied from its
template has the template's rows and continues its ids."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, select, text

from engine.db import Base, make_engine
from engine.db.models import AuditEntry, Organization, Person, record_audit
from tests import factories as f
from tests.database_copies import postgresql_copy_script, postgresql_script, temporary_schema


def schema_of(engine) -> dict:
    """Everything ``create_all`` decides, read back from the database (the schema's own name left out)."""
    inspector = inspect(engine)
    shape = {}
    for table in sorted(inspector.get_table_names()):
        shape[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], str(c.get("default"))) for c in inspector.get_columns(table)],
            "primary": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign": sorted((k["name"], tuple(k["constrained_columns"]), k["referred_table"],
                               tuple(k["referred_columns"]), k.get("options", {}).get("ondelete"))
                              for k in inspector.get_foreign_keys(table)),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), i["unique"]) for i in inspector.get_indexes(table)),
            "checks": sorted((c["name"], c["sqltext"]) for c in inspector.get_check_constraints(table)),
        }
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            shape["triggers"] = sorted(connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all())
        else:
            shape["triggers"] = sorted(connection.execute(text(
                "SELECT tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal")).all())
            shape["triggers"] = [(name, definition.replace(connection.execute(text("SELECT current_schema()"))
                                                           .scalar() + ".", "")) for name, definition in shape["triggers"]]
            shape["functions"] = sorted(connection.execute(text(
                "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = current_schema()::regnamespace")).all())
    return shape


@pytest.fixture
def reference_url(db_backend, tmp_path, request):
    """Another empty database on the same backend, for ``create_all`` itself."""
    if db_backend == "sqlite":
        yield f"sqlite:///{(tmp_path / 'reference.sqlite3').as_posix()}"
        return
    admin, problem = request.getfixturevalue("_pg_admin")
    assert admin is not None, problem
    with temporary_schema(admin, "r") as url:
        yield url


def test_the_empty_database_is_create_alls(db_engine, reference_url):
    copied = schema_of(db_engine)
    reference = make_engine(reference_url)
    try:
        Base.metadata.create_all(reference)
        assert schema_of(reference) == copied
    finally:
        reference.dispose()
    assert set(copied) == {*Base.metadata.tables, "triggers", *(["functions"] if "functions" in copied else [])}
    # UPDATE and DELETE of the trails, signed orders and chain links; PostgreSQL: TRUNCATE of five tables too
    assert len(copied["triggers"]) == (13 if "functions" in copied else 8)
    if "functions" in copied:
        assert "RAISE EXCEPTION 'nastavnik: % on % refused" in dict(copied["functions"])["nastavnik_refuse_change"]


def test_the_postgresql_script_is_every_table_once():
    script = postgresql_script()
    created = re.findall(r"CREATE TABLE (\w+)", script)
    assert sorted(created) == sorted(Base.metadata.tables)
    assert "%%" not in script and "CREATE TRIGGER trg_orders_immutable_update" in script
    assert "RAISE(ABORT" not in script  # SQLite's triggers stay out


def test_the_copy_script_names_every_column():
    script = postgresql_copy_script("a", "b", ["persons_id_seq"])
    for table in Base.metadata.tables.values():
        assert f'INSERT INTO "b"."{table.name}" (' in script
        assert all(f'"{column.name}"' in script for column in table.columns)
    assert """SELECT setval('"b"."persons_id_seq"', last_value, is_called) FROM "a"."persons_id_seq";""" in script


def _small_world(session) -> dict:
    department = f.make_department(session, name="Департамент копий")
    person = f.make_person(session, login="copied")
    f.make_role(session, person, department, "curator")
    removed = f.make_person(session, login="removed")
    session.delete(removed)  # PostgreSQL's next id is not max + 1 any more
    record_audit(session, "test.copied", actor=person.id, obj=department, details={})
    return {"department": department.id, "person": person.id, "removed": removed.id}


def _rows(session) -> dict:
    return {"organizations": sorted(session.scalars(select(Organization.name))),
            "persons": sorted(session.execute(select(Person.id, Person.login)).all()),
            "audit": sorted(session.scalars(select(AuditEntry.action)))}


def test_a_world_is_copied_with_its_rows_and_its_next_ids(demo_worlds, db_url, db_engine, db_session_factory):
    ids = demo_worlds.copy("copies-test", _small_world, db_url, db_engine)
    with db_session_factory() as session:
        assert session.get(Person, ids["person"]).login == "copied"
        assert session.get(Organization, ids["department"]).name == "Департамент копий"
        before = _rows(session)
        assert [login for _, login in before["persons"]] == ["copied"] and before["audit"] == ["test.copied"]
        added = f.make_person(session, login="after")
        session.commit()
    # as in the template: PostgreSQL's sequence went past the removed row, SQLite takes the highest rowid + 1
    assert added.id == ids["removed"] + (1 if db_engine.dialect.name == "postgresql" else 0)
