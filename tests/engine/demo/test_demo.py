"""``Demo.run()``: the whole Tomsk story through the workflows, and the DB it leaves behind."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, timedelta

import pytest
from sqlalchemy import select

from engine.db.models import (
    Consent,
    Decision,
    Mentee,
    MentorAppointment,
    OpenTask,
    Order,
    RoleAssignment,
    StageReport,
    add_months,
)
from engine.demo.story import Demo
from engine.demo.world import DEMO_PAIRS
from engine.services.orders import register as orders

ROADMAPS = ["tomsk_new_head", "tomsk_reservist", "tomsk_low_results_school", "tomsk_low_efficiency_head"]


def _orders(session) -> list[Order]:
    return list(session.scalars(select(Order).order_by(Order.id)))


def test_demo_run_leaves_the_whole_story_in_the_database(db_session):
    lines: list[str] = []
    demo = Demo(db_session, say=lines.append)
    programs = demo.run()
    s = db_session
    s.expire_all()
    person = demo.person_id

    # four programs, one per Tomsk model
    assert [p.roadmap_id for p in programs] == ROADMAPS
    assert [p.status for p in programs] == ["completed", "completed", "completed", "completed_early"]
    assert [p.completion_ground for p in programs] == ["plan_completed"] * 3 + ["participants_initiative"]
    by_mentor = {p.group.mentor_id: p for p in programs}
    for mentor, mentee, _ in DEMO_PAIRS:
        program = by_mentor[person(mentor)]
        assert [m.person_id for m in program.group.members] == [person(mentee)]
        assert program.group.status == "approved" and program.group.order.status == "signed"
    # 003 §2.4: the reservist's pair is signed in its own model, the heads' in «руководитель – руководитель»
    assert [p.group.form for p in programs] == ["head_head", "reservist_head", "head_head", "head_head"]
    reservist_order = next(p.group.order for p in programs if p.roadmap_id == "tomsk_reservist")
    assert "форма наставничества – «резервист – руководитель»" in reservist_order.body

    # orders: all signed, sha256 verified, per type
    all_orders = _orders(s)
    assert {o.status for o in all_orders} == {"signed"}
    assert all(o.document_sha256 and len(o.document_sha256) == 64 and orders.verify(o) for o in all_orders)
    assert Counter(o.type for o in all_orders) == {"appointment_of_mentors": 4, "pair_formation": 4,
                                                   "completion": 4, "extension": 1}
    completion_grounds = Counter(
        next(p.completion_ground for p in programs if p.workflow_instance_id == o.workflow_instance_id)
        for o in all_orders if o.type == "completion")
    assert completion_grounds == {"plan_completed": 3, "participants_initiative": 1}
    assert len({(o.year, o.number) for o in all_orders}) == len(all_orders)  # numbered per year
    assert {o.issued_on.year for o in all_orders} == {2025, 2026}  # dated by the demo's clock

    # appointments: 24 months (003 §3.4), kozlov not eligible and not appointed
    appointments = {a.person_id: a for a in s.scalars(select(MentorAppointment))}
    assert set(appointments) == {person(m) for m, _, _ in DEMO_PAIRS}
    for appointment in appointments.values():
        assert appointment.status == "active"
        assert appointment.ends_on == add_months(appointment.starts_on, 24) - timedelta(days=1)
        assert appointment.order.type == "appointment_of_mentors" and appointment.order.status == "signed"
    kozlov = list(s.scalars(select(Decision).where(Decision.person_id == person("kozlov"))))
    assert [(d.ruleset_id, d.verdict) for d in kozlov] == [("mentor_eligibility_tomsk", "not_eligible")]
    assert person("kozlov") not in appointments

    # program 1: returned report (attempt 1) then approved (attempt 2) on its first stage
    first = programs[0]
    reports = list(s.scalars(select(StageReport).where(StageReport.program_id == first.id,
                                                        StageReport.stage_id == "diagnosis")
                             .order_by(StageReport.attempt)))
    assert [(r.attempt, r.status) for r in reports] == [(1, "returned"), (2, "approved")]
    assert reports[0].review_comment
    assert all(r.status == "approved" for r in first.reports if r.stage_id != "diagnosis")
    for program in programs[:3]:
        assert {r.stage_id for r in program.reports if r.status == "approved"} == {e.stage_id for e in program.events}
        assert all(e.status == "done" for e in program.events)

    # program 2: extended by 3 months (003 §7.2)
    second = programs[1]
    # the program term (003 §1.2.6: 24 months) plus the extension's 3, through the day before
    assert second.planned_end_on == add_months(second.started_on, 24 + 3) - timedelta(days=1)

    # mentees: roles, consents, registry entries
    mentee_ids = {person(m) for _, m, _ in DEMO_PAIRS}
    roles = {(r.person_id, r.role) for r in s.scalars(select(RoleAssignment).where(RoleAssignment.active))}
    assert {(p, "mentee") for p in mentee_ids} <= roles
    assert {(person(m), "mentor") for m, _, _ in DEMO_PAIRS} <= roles
    consents = {(c.person_id, c.group_id) for c in s.scalars(select(Consent))}
    assert consents == {(pid, p.group_id) for p in programs for pid in p.group.participant_ids()}
    assert {(m.person_id, m.status) for m in s.scalars(select(Mentee))} == {(p, "completed") for p in mentee_ids}

    # decisions: eligibility of each mentor, category of each mentee, the bonus (003 §9.3)
    decisions = list(s.scalars(select(Decision)))
    eligible = {d.person_id for d in decisions
                if d.ruleset_id == "mentor_eligibility_tomsk" and d.verdict == "eligible"}
    assert eligible == {person(m) for m, _, _ in DEMO_PAIRS}
    categories = {d.person_id: d.body["outputs"]["roadmap_id"] for d in decisions
                  if d.ruleset_id == "mentee_category_tomsk"}
    assert categories == {person(m): roadmap for (_, m, _), roadmap in zip(DEMO_PAIRS, ROADMAPS, strict=False)}
    bonus = [d for d in decisions if d.ruleset_id == "mentor_bonus_tomsk"]
    # every program's end decides its mentor's bonus for the term, the early-completed one too (issue 10)
    assert {d.program_id for d in bonus} == {p.id for p in programs}
    assert all(d.body["outputs"]["bonus_salaries"] == 3 for d in bonus)  # one mentee per mentor in the story
    early = next(d for d in bonus if d.program_id == programs[3].id)
    assert early.verdict == "revocation_possible"  # the head decides (003 §9.3 «может быть отменено»)

    # nothing left to do; the story was told
    assert s.scalar(select(OpenTask.id)) is None
    assert any("completed_early" in line for line in lines)


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_demo_completion_is_dated_by_the_workflow_clock(db_session):
    demo = Demo(db_session, say=lambda line: None)
    programs = demo.run()
    end = demo.clock.now().date()
    assert [p.completed_on for p in programs[:3]] == [end] * 3


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_demo_leaves_work_for_every_role(db_session):
    lines: list[str] = []
    demo = Demo(db_session, say=lines.append)
    demo.run()
    in_progress = demo.leave_work_in_progress()
    s = db_session
    s.expire_all()
    person = demo.person_id

    # volkov + orlova: the first stage report waits for the curator
    assert in_progress.group.mentor_id == person("volkov")
    assert [m.person_id for m in in_progress.group.members] == [person("orlova")]
    assert [(r.stage_id, r.status) for r in in_progress.reports] == [("diagnosis", "submitted")]

    # lebedev + belova: consents given, the pair-formation order waits for the head's signature
    waiting = [o for o in _orders(s) if o.status == "awaiting_signature"]
    assert [o.type for o in waiting] == ["pair_formation"]
    order = waiting[0]
    assert "Лебедев Сергей Петрович" in order.body and "Белова Татьяна Николаевна" in order.body
    assert orders.orders_awaiting_signature(s, demo.actor("head")) == [order]
    tasks = {(t.form_id, t.role) for t in s.scalars(select(OpenTask))}
    assert tasks == {("review_stage_report", "curator"), ("sign_order", "head")}
    sign_task = s.scalar(select(OpenTask).where(OpenTask.form_id == "sign_order"))
    assert sign_task.instance_id == order.workflow_instance_id
    group_consents = {c.person_id for c in s.scalars(select(Consent)) if c.group.order_id is None}
    assert group_consents == {person("lebedev"), person("belova")}
    belova = s.scalar(select(Mentee).where(Mentee.person_id == person("belova")))
    assert belova.category == "reservist" and belova.status == "waiting"
    assert "форма наставничества – «резервист – руководитель»" in order.body  # her model (003 §2.4)
    assert any("ждёт подписи руководителя" in line for line in lines)


def test_demo_start_ends_the_story_shortly_before_now(db_session):
    from datetime import datetime, timedelta

    from engine.demo.story import DEMO_SPAN, DEMO_START, demo_start

    for now in (datetime(2026, 11, 21, 7, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC),
                datetime(2027, 3, 31, 23, tzinfo=UTC)):
        start = demo_start(now)
        assert start.day == 15 and start + DEMO_SPAN <= now - timedelta(days=2)
        assert now - (start + DEMO_SPAN) < timedelta(days=35)
    demo = Demo(db_session, say=lambda line: None)
    demo.run()
    demo.leave_work_in_progress()
    assert demo.clock.now() - DEMO_START == DEMO_SPAN  # the story's length, as demo_start assumes
