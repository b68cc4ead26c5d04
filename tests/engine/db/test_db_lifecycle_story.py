"""The services' real paths move every status along its declared table (engine.db.models.lifecycle):
mentors appointed and one released (003 §3.4, §4.1), mentees registered, a pair refused and pairs formed
(003 §6.2), events marked and unmarked, a stage report returned then approved, a program extended
(003 §7.2) and programs ended on each ground of 003 §7.1 — every status change recorded as it happens."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from engine.db import Base
from engine.db.models import LIFECYCLES, Mentee, MentorAppointment, MentoringGroup
from engine.demo import world as demo_data
from engine.demo.story import Demo
from engine.services.mentorship import formation, lifecycle, roadmap_events
from engine.services.process import definitions


@contextmanager
def recorded_statuses() -> Iterator[tuple[set[tuple[str, str, str]], set[tuple[str, str]]]]:
    """(table, old, new) of every status change and (table, status) of every row created, while inside."""
    moves: set[tuple[str, str, str]] = set()
    created: set[tuple[str, str]] = set()
    models = {mapper.local_table.name: mapper.class_ for mapper in Base.registry.mappers}
    listeners = []
    for table in (lc.table for lc in LIFECYCLES):
        def on_set(target, value, _old, _initiator, table=table):
            old = target.status  # the lifecycle's validator ran first and loaded it; the new value is not set yet
            if old is not None and old != value:
                moves.add((table, old, value))

        def on_insert(_mapper, _connection, target, table=table):
            default = models[table].__table__.c.status.default.arg  # applied at the INSERT itself
            created.add((table, target.status or default))

        listeners += [(models[table].status, "set", on_set), (models[table], "before_insert", on_insert)]
    for listener in listeners:
        event.listen(*listener)
    try:
        yield moves, created
    finally:
        for listener in listeners:
            event.remove(*listener)


@pytest.fixture
def demo(db_session, monkeypatch) -> Iterator[Demo]:
    # one precomputed hash for the demo people instead of thirteen argon2 runs (not what is tested here)
    monkeypatch.setattr(demo_data, "set_password", lambda person, plain: setattr(person, "password_hash", "-"))
    definitions.clear_cache()
    yield Demo(db_session, say=lambda line: None)
    definitions.clear_cache()


def decide_and_sign(demo: Demo, instance_id: int) -> None:
    demo.complete("curator", "decide_petition", {"approved": True, "comment": "обосновано"}, instance_id)
    demo.complete("head", "sign_order", {"signed": True}, instance_id)


def test_the_services_move_statuses_only_along_their_tables(demo, db_session):
    s = demo.session
    with recorded_statuses() as (moves, created):
        for mentor in ("volkov", "morozova", "lebedev"):
            demo.appoint(mentor)
        for mentee in ("novikova", "fedorov", "egorova", "pavlov"):
            demo.register(mentee)

        refused = formation.propose_pair(s, demo.actor("curator"), demo.department_id, demo.person_id("lebedev"),
                                         [demo.person_id("pavlov")], clock=demo.clock)
        s.commit()
        demo.complete("lebedev", "give_consent", {"consent": True}, refused.id)
        demo.complete("pavlov", "give_consent", {"consent": False, "comment": "не готов"}, refused.id)

        # one program: an event marked and unmarked, a report returned then approved, extended, terminated
        first = demo.form_pair("volkov", "novikova")
        for done in (True, False):
            roadmap_events.mark_event(s, demo.actor("volkov"), first.id, first.events[0].id, done=done,
                                      held_on=first.started_on, clock=demo.clock)
        s.commit()
        demo.stage(first, "volkov", returned=True)
        demo.extend(first, "volkov", "novikova", 3)
        lifecycle.petition(s, demo.actor("curator"), first.id, "early_completion",
                           {"ground": "improper_execution", "reason": "мероприятия не проводятся"}, clock=demo.clock)
        s.commit()  # the curator's own initiative is her decision: straight to the head's order (issue 10)
        demo.complete("head", "sign_order", {"signed": True}, first.workflow_instance_id)

        # another: its mentor released at her request (003 §4.1), then the curator ends it early (003 §7.1 б)
        second = demo.form_pair("morozova", "fedorov")
        lifecycle.petition(s, demo.actor("morozova"), second.id, "mentor_release", {"reason": "переезд"},
                           clock=demo.clock)
        s.commit()
        decide_and_sign(demo, second.workflow_instance_id)
        demo.complete("curator", "replace_mentor", {"complete_early": True, "comment": "замены нет"},
                      second.workflow_instance_id)
        demo.complete("head", "sign_order", {"signed": True}, second.workflow_instance_id)

        # a third: completed with the plan fulfilled (every stage done: «в полном объеме», 003 §7.1)
        third = demo.form_pair("lebedev", "egorova")
        for _stage in range(4):
            demo.stage(third, "lebedev")
            s.refresh(third)
        demo.finish(third)

    declared = {(lc.table, old, new) for lc in LIFECYCLES for old, new in lc.moves()}
    assert moves <= declared
    assert moves == {
        ("orders", "draft", "awaiting_signature"), ("orders", "awaiting_signature", "signed"),
        ("mentoring_groups", "forming", "dissolved"), ("mentoring_groups", "forming", "approved"),
        ("mentees", "waiting", "in_program"), ("mentees", "in_program", "completed"),
        ("roadmap_events", "planned", "done"), ("roadmap_events", "done", "planned"),
        ("stage_reports", "submitted", "returned"), ("stage_reports", "submitted", "approved"),
        ("programs", "active", "extended"), ("programs", "extended", "terminated"),
        ("programs", "active", "completed_early"), ("programs", "active", "completed"),
        ("mentor_appointments", "active", "released"),
    }
    assert created == {("orders", "draft"), ("mentor_appointments", "active"), ("mentees", "waiting"),
                       ("mentoring_groups", "forming"), ("programs", "active"), ("roadmap_events", "planned"),
                       ("stage_reports", "submitted")}

    s.expire_all()
    assert [p.status for p in (first, second, third)] == ["terminated", "completed_early", "completed"]
    assert {(m.person.login, m.status) for m in s.scalars(select(Mentee))} == {
        ("novikova", "completed"), ("fedorov", "completed"), ("egorova", "completed"), ("pavlov", "waiting")}
    assert sorted(g.status for g in s.scalars(select(MentoringGroup))) == ["approved"] * 3 + ["dissolved"]
    assert {(a.person.login, a.status) for a in s.scalars(select(MentorAppointment))} == {
        ("volkov", "active"), ("morozova", "released"), ("lebedev", "active")}
