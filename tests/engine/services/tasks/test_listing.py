"""A person's open tasks page by page (the API's /tasks): assigned to them and their roles' unassigned ones, merged
oldest first across those branches, counted up to the bound; others' tasks never shown."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engine.db import paging
from engine.services.people.actor import load_actor
from engine.services.tasks.listing import tasks_page
from tests import factories as f

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_branches_merge_oldest_first_page_by_page(db_session, monkeypatch):
    department = f.make_department(db_session)
    school = f.make_organization(db_session, parent=department)
    curator = f.make_person(db_session, login="kurator")
    f.make_role(db_session, curator, department, "curator")
    f.make_role(db_session, curator, school, "methodologist")
    other = f.make_person(db_session)
    instance = f.make_instance(db_session, organization=department)
    made = {}
    for minute, (name, kw) in enumerate([
            ("отдела 1", {"role": "curator"}), ("мой 1", {"role": "mentor", "assignee_id": curator.id}),
            ("школы 1", {"role": "methodologist", "organization_id": school.id}),
            ("чужой", {"role": "mentor", "assignee_id": other.id}), ("отдела 2", {"role": "curator"}),
            ("назначен другому", {"role": "curator", "assignee_id": other.id}), ("мой 2", {"role": "head",
                                                                                      "assignee_id": curator.id}),
            ("школы 2", {"role": "methodologist", "organization_id": school.id}),
            ("другой роли", {"role": "head"})]):
        made[name] = f.make_open_task(db_session, instance=instance, name=name,
                                      created_at=START + timedelta(minutes=minute), **kw).id
    db_session.commit()
    actor = load_actor(db_session, "kurator")
    shown = ["отдела 1", "мой 1", "школы 1", "отдела 2", "мой 2", "школы 2"]
    pages = [tasks_page(db_session, actor, offset, 2) for offset in (0, 2, 4, 6)]
    assert [[t.name for t in p.tasks] for p in pages] == [shown[0:2], shown[2:4], shown[4:6], []]
    assert {(p.total, p.more) for p in pages} == {(6, False)}

    monkeypatch.setattr(paging, "LIST_BOUND", 1)  # each branch counted up to the page's offset + the bound
    first = tasks_page(db_session, actor, 0, 2)
    assert ([t.name for t in first.tasks], first.more) == (shown[0:2], True)
    assert tasks_page(db_session, actor, 4, 2).more is False  # every branch counted to its end there
