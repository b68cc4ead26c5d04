"""bench/scale.py: the demo's programs cloned into a department of many, its pages measured. The clones must be
whole copies (every foreign key into the same copy, unique texts numbered), and the bench must run to its figures
at tiny sizes on a database of its own."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import scale_fill
from tests.bench.test_benchmarks_run import _figures

pytestmark = pytest.mark.parametrize("db_backend", [pytest.param("postgres", marks=pytest.mark.postgres)])


def test_a_clone_of_the_demo_is_a_whole_program_of_its_own(db_engine, db_session_factory):
    seed = scale_fill.run_seed(db_session_factory, db_engine)
    assert seed.programs == 5 and seed.copies == 1

    added = scale_fill.fill(db_engine, seed, 3)

    assert seed.program_count == 15 and added["programs"] == 10 and added["workflow_instances"] == 32
    with db_engine.connect() as conn:
        staff = conn.scalar(text("SELECT count(*) FROM persons WHERE login IN ('curator', 'head', 'curator.1')"))
        assert staff == 2, "the staff are not cloned: the copies are the same curator's and head's"
        rows = conn.execute(text(
            "SELECT p.id, w.subject::jsonb AS subject, mentor.login AS mentor, instance_mentor.login AS listed "
            "FROM programs p JOIN workflow_instances w ON w.id = p.workflow_instance_id "
            "JOIN mentoring_groups g ON g.id = p.group_id JOIN persons mentor ON mentor.id = g.mentor_id "
            "JOIN persons instance_mentor ON instance_mentor.id = (w.subject::jsonb #>> '{assignees,mentor}')::int "
            "ORDER BY p.id")).all()
        assert len(rows) == 15
        for row in rows:
            assert row.subject["program_id"] == row.id and row.mentor == row.listed
        assert {row.mentor.partition(".")[2] for row in rows} == {"", "1", "2"}
        waiting = conn.execute(text("SELECT t.role, count(*) FROM open_tasks t JOIN workflow_instances w "
                                    "ON w.id = t.instance_id GROUP BY t.role ORDER BY t.role")).all()
        assert [tuple(row) for row in waiting] == [("curator", 3), ("head", 3)]


def test_the_scale_benchmark_fills_serves_and_drops_its_database(db_url):
    name = f"nastavnik_scale_t{uuid.uuid4().hex[:8]}"
    url = make_url(db_url).set(database=name, query={}).render_as_string(hide_password=False)

    figures = _figures("bench/scale.py", "--sizes", "10,20", "--requests", "2", "--pg-url", url)

    assert figures["20_curator_inbox_p95_ms"] > 0 and figures["20_program_page_statements"] > 0
    assert figures["20_API_program_list_requests"] == 2 and figures["10_fill_s"] > 0
    assert "20_fill_s" in figures and "targets_met" in figures
    from sqlalchemy import create_engine

    admin = create_engine(make_url(db_url).set(query={}))
    with admin.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM pg_database WHERE datname = :name"), {"name": name}) == 0
    admin.dispose()
