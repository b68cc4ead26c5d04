"""The competences of the management system of mentorship (000 §3) on the product's features, for a school bound to
the pack «vsosh» (МКОУ ВСОШ № 8 г. Томска): the System — the teachers' self-government body of all the school's
pedagogical workers (000 §1.2, §1.3) — stimulates its teachers' initiatives (000 §3.5: the director's gratitude is
recorded for a mentor), runs a contest of professional mastery «Лучший наставник» to its signed order and the
winner's incentive (000 §3.8), takes a mentor's practice into the bank where the other teachers find it (000 §3.1,
§3.2, §3.3), and its monitoring programme (000 §3.4) asks each mentor for the indicators of his programs, which the
mentor-head reads before the analysis of results (000 §3.6); the System's powers (000 §3.10) are questions of its
sessions."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import ContestStatus, Incentive, MentorPeriodReport, PracticeStatus
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.regulations import pack
from engine.services.curation import mentor_report_overview, mentor_reports
from engine.services.orders import views as order_views
from engine.services.recognition import contests, incentives, practices
from tests.engine.services.mentorship.test_vsosh_000 import vsosh

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def test_the_pack_gives_each_competence_of_000_its_feature():
    regulation = pack("vsosh")
    features = {(d.clause, d.feature) for d in regulation.duties}
    assert {("000 §3.1", "practices"), ("000 §3.2", "practices"), ("000 §3.3", "practices"),
            ("000 §3.4", "monitoring"), ("000 §3.5", "incentives"), ("000 §3.8", "contests"),
            ("000 §3.8", "practices"), ("000 §3.9", "programs")} <= features
    # 000 §3.10: the System's powers are questions of its sessions (no order approves them), so duties of the council
    powers = [d for d in regulation.duties if d.clause == "000 §3.10"]
    assert {d.feature for d in powers} == {"council"} and len(powers) == 5
    assert any(d.text == "осуществляет экспертизу рабочих программ" for d in powers)
    (body,) = regulation.council_bodies
    assert body.considers == ()
    assert body.choice is not None and "орган самоуправления педагогов школы (000 §1.2)" in body.choice
    assert "все педагогические работники школы (000 §1.3)" in body.choice
    contest = regulation.contest_incentive()
    assert contest is not None and contest.clause == "000 §3.8"
    assert {k.clause for k in regulation.incentives if not k.contest} == {"000 §3.5", "000 §3.3"}
    assert [d.clause for d in regulation.periodic_reports()] == ["000 §3.4", "000 §3.4"]
    assert {i.clause for i in regulation.report_indicators} == {"000 §3.1", "000 §3.4", "000 §3.5", "000 §3.6",
                                                                 "000 §3.9"}


@BOTH
def test_a_vsosh_school_stimulates_runs_a_contest_banks_a_practice_and_monitors(db_session):  # noqa: PLR0915 - a year
    s = db_session
    world, p = vsosh(s)
    kedrova, sosnina, lipin = p["kedrova"], p["sosnina"], p["lipin"]
    world.appoint(kedrova)
    world.appoint(sosnina)
    world.register(lipin, "class_teacher")
    [program] = world.pair(kedrova, [lipin], "teacher_teacher")
    curator, head = world.actor(world.curator), world.actor(world.head)
    school = world.organization

    # 000 §3.5: the System stimulates initiatives — the director's gratitude recorded for the mentor
    given = incentives.record(s, curator, school.id, kedrova.id, incentives.IncentiveInput(
        kind="gratitude", basis="открытое занятие для педагогов школы", awarded_on=date(2025, 10, 20),
        program_id=program.id))
    assert given.kind == "gratitude"
    [shown] = incentives.of_mentor(s, world.actor(kedrova), kedrova.id).incentives
    assert shown.id == given.id
    s.commit()

    # 000 §3.8: the contest of professional mastery among the school's mentors, to its order and the winner's measure
    contest = contests.announce(s, curator, school.id, "Лучший наставник 2025 года", 1, [world.head.id])
    contests.nominate(s, curator, contest.id, kedrova.id, "пара «педагог – педагог», открытые занятия")
    contests.nominate(s, curator, contest.id, sosnina.id, "проектная группа учителей естественных наук")
    contests.open_voting(s, curator, contest.id)
    first, second = contest.nominations
    contests.vote(s, head, contest.id, first.id, 9)
    contests.vote(s, head, contest.id, second.id, 7)
    order = contests.compute_result(s, curator, contest.id)
    assert order.type == "contest_result" and "Кедрова Анна Ивановна" in order.body and "Соснина" not in order.body
    assert "В соответствии с п. 3.5 и 3.8 Положения об управленческой системе наставничества МКОУ ВСОШ № 8" in \
        order.body
    assert "«Лучший наставник»" in order.body and "банк лучших практик" in order.body
    order_views.sign(s, head, order.id)
    s.flush()
    assert contest.status == ContestStatus.CLOSED
    won = s.scalars(select(Incentive).where(Incentive.contest_id == contest.id)).one()
    assert (won.mentor_id, won.kind, won.order_id) == (kedrova.id, "best_mentor", order.id)
    s.commit()

    # 000 §3.1–3.3: the mentor's practice, approved by the mentor-head, is found by another teacher of the school
    practice = practices.submit(s, world.actor(kedrova), school.id, practices.PracticeInput(
        title="Дорожная карта самоопределения в классном руководстве", program_id=program.id,
        description="Как классный руководитель ведёт самоидентификацию и социализацию учащихся"))
    practices.review(s, curator, practice.id, approve=True)
    assert practice.status == PracticeStatus.APPROVED
    assert [x.id for x in practices.search(s, world.actor(sosnina), "самоопределения")] == [practice.id]
    s.commit()

    # 000 §3.4: the mentors' reports by 15 December (opened two weeks ahead) with the pack's indicators
    world.advance_to(date(2025, 12, 1))
    assert mentor_reports.open_due_reports(s, world.clock.now()) == 2
    s.commit()
    world.complete(kedrova, FormId.MENTOR_PERIOD_REPORT, {"programs": [{
        "program_id": str(program.id), "results": "План наставления на первое полугодие выполнен",
        "indicators": {"modern_methods": "кейс-метод, дорожные карты самоопределения",
                       "difficulties": "оформление рабочей программы внеурочной деятельности",
                       "initiatives": 2, "olympiad_students": 4,
                       "proposals": "МО классных руководителей — семинар по дорожным картам"}}]})
    overview = mentor_report_overview.period_overview(s, curator, school.id, today=date(2025, 12, 16))
    assert overview.due_on == date(2025, 12, 15) and overview.label.startswith("Отчёт наставника о результатах")
    assert [i.label for i in overview.indicators][:2] == [
        "Современные методики, формы, средства и технологии, которые применил наставляемый",
        "Диагностические методики и мониторинговые программы, применённые в работе"]
    rows = {row.mentor: row for row in overview.rows}
    assert (rows["Кедрова Анна Ивановна"].state, rows["Соснина Вера Олеговна"].state) == ("filed", "overdue")
    [kept] = (rows["Кедрова Анна Ивановна"].body or {})["programs"]
    assert kept["indicators"]["olympiad_students"] == 4 and kept["indicators"]["initiatives"] == 2
    row = s.scalars(select(MentorPeriodReport).where(MentorPeriodReport.mentor_id == kedrova.id)).one()
    assert row.clause == "000 §3.4"


def test_a_period_report_without_results_names_the_dates_clause():
    with pytest.raises(NastavnikError, match=r"напишите результаты за период \(000 §3\.4\)"):
        mentor_reports._entries({"programs": []}, {7: {"program_id": 7}}, (), "000 §3.4")
