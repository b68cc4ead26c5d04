"""A teacher of the college (002) builds an individual educational route (ИОМ, 002 §1.2: 4–5 years) in the seven
positions of 002 §4.2.2 with the tutor: the curator opens the route and names the tutor; a step out of order is
refused in Russian naming the step it waits for; each step's sections are checked; a year on, the worker's tick
opens the yearly review, which the tutor closes with the corrections of the roadmap; the curator attaches the
teacher's personalized program (3 months to 1 year, 002 §1.2); the reflection closes the route."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from engine.bootstrap import build_job_table
from engine.db.models import AuditEntry, IomReview, Job
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.iom import routes
from engine.services.iom.reviews import IOM_REVIEWS
from engine.services.jobs.runner import run_job
from engine.services.jobs.scheduler import tick
from tests.engine.services.mentorship.test_college_002 import college
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])

STEP_BODIES = {
    1: {"image": "Преподаватель, который ведёт проектную работу студентов по лесному хозяйству и делится опытом."},
    2: {"subject": "Практический опыт таксации леса", "ict": "Уверенно работает с ГИС"},
    3: {"methods": "Мало активных методов обучения", "psychology": "Трудности с мотивацией первокурсников"},
    4: {"dpo_schedule": "2026 — КПК «Активные методы обучения в СПО»; 2027 — «Цифровая дидактика»",
        "trials": "Кейс-метод на занятиях по лесоустройству",
        "measures": "Открытые занятия раз в семестр; участие в конкурсе «Мастер своего дела»"},
    5: {"products": "Разработки трёх занятий кейс-методом; методические рекомендации", "attitude": "Доволен"},
    6: {"changes": "Добавлен курс по наставничеству", "reasons": "Новые требования ФГОС СПО"},
    7: {"by_deficit": "Активные методы освоены; мотивация первокурсников выросла",
        "image_distance": "Желаемый образ во многом достигнут"},
}


def _review_tick(world: PackWorld, day: date) -> None:
    """The worker's tick on ``day``: the sweep makes the day's job, the runner runs it."""
    s = world.session
    world.advance_to(day)
    table = build_job_table()
    tick(s, table, world.clock.now())
    job = s.scalar(select(Job).where(Job.kind == IOM_REVIEWS, Job.key == f"{IOM_REVIEWS}:{day.isoformat()}"))
    assert job is not None
    run_job(s, table, job.id, now=world.clock.now())


@BOTH
def test_a_teacher_builds_the_route_in_seven_steps_reviewed_yearly(db_session):  # noqa: PLR0915 - one story
    s = db_session
    world, p = college(s)
    curator, teacher, tutor = world.actor(world.curator), world.actor(p["kedrov"]), world.actor(p["lesnikova"])
    org = world.organization.id

    with pytest.raises(NastavnikError, match=r"срок ИОМ — 4 или 5 лет \(002 §1\.2"):
        routes.open_route(s, curator, org, p["kedrov"].id, years=3, tutor_id=p["lesnikova"].id)
    with pytest.raises(PermissionDenied):
        routes.open_route(s, teacher, org, p["kedrov"].id, years=5)
    route = routes.open_route(s, curator, org, p["kedrov"].id, years="5", tutor_id=p["lesnikova"].id)
    s.commit()
    assert (route.starts_on, route.ends_on, route.step) == (date(2025, 9, 16), date(2030, 9, 15), 1)
    assert routes.tutor_label(world.organization) == "Тьютор ЦНППМ"
    with pytest.raises(ConflictError, match="уже есть незавершённый ИОМ"):
        routes.open_route(s, curator, org, p["kedrov"].id, years=4)

    # the seven positions, in order: a roadmap is not made before the diagnostics
    with pytest.raises(NastavnikError, match=r"Шаг 4\. Составление дорожной карты .* — не по порядку: сначала шаг 1 "
                                             r"«Самоопределение \(саморефлексия\) педагога» .*002 §4\.2\.2"):
        routes.record_step(s, teacher, route.id, 4, STEP_BODIES[4])
    with pytest.raises(NastavnikError, match="заполните поле «Описание идеального"):
        routes.record_step(s, teacher, route.id, 1, {"image": "  "})
    routes.record_step(s, teacher, route.id, 1, STEP_BODIES[1])
    with pytest.raises(NastavnikError, match="заполните хотя бы одну область"):
        routes.record_step(s, tutor, route.id, 2, {})
    routes.record_step(s, tutor, route.id, 2, STEP_BODIES[2])  # the tutor helps (002 §4.2.2)
    routes.record_step(s, teacher, route.id, 3, STEP_BODIES[3])
    with pytest.raises(ConflictError, match=r"Шаг 2\. .* уже записан"):
        routes.record_step(s, teacher, route.id, 2, STEP_BODIES[2])
    routes.record_step(s, teacher, route.id, 4, STEP_BODIES[4])
    s.commit()
    assert route.step == 5 and [st.step for st in route.steps] == [1, 2, 3, 4]

    # who sees it: the teacher, the tutor, the curator and head; not another teacher
    stranger = world.actor(p["student"])
    with pytest.raises(PermissionDenied):
        routes.route_for(s, stranger, route.id)
    with pytest.raises(NotFound):
        routes.route_for(s, stranger, route.id + 100)
    with pytest.raises(PermissionDenied):
        routes.record_step(s, world.actor(world.head), route.id, 5, STEP_BODIES[5])
    assert routes.route_for(s, world.actor(world.head), route.id) is route

    # a personalized program of the teacher attached to the route (002 §1.2: from 3 months to 1 year)
    world.appoint(p["lesnikova"])
    world.register(p["kedrov"], "young_specialist")
    [program] = world.pair(p["lesnikova"], [p["kedrov"]], "teacher_teacher")
    with pytest.raises(PermissionDenied):
        routes.attach_program(s, teacher, route.id, program.id)
    program.planned_end_on = date(2026, 12, 31)  # 15 months: longer than 002 §1.2 allows
    with pytest.raises(NastavnikError, match=r"от 3 до 12 месяцев \(002 §1\.2\)"):
        routes.attach_program(s, curator, route.id, program.id)
    s.rollback()
    link = routes.attach_program(s, curator, route.id, program.id, note="Активные методы обучения")
    s.commit()
    assert routes.route_of_program(s, program.id) is route and link.attached_on == date(2025, 9, 16)
    with pytest.raises(ConflictError, match="уже прикреплена"):
        routes.attach_program(s, curator, route.id, program.id)
    s.rollback()

    # a year on, the worker opens the yearly review — not a day before
    _review_tick(world, date(2026, 9, 15))
    assert s.scalars(select(IomReview)).all() == []
    _review_tick(world, date(2026, 9, 16))
    [review] = s.scalars(select(IomReview)).all()
    assert (review.year, review.due_on, review.opened_on, review.done_on) == (1, date(2026, 9, 16), date(2026, 9, 16), None)
    _review_tick(world, date(2026, 9, 17))
    assert len(s.scalars(select(IomReview)).all()) == 1  # once
    with pytest.raises(PermissionDenied):
        routes.close_review(s, teacher, route.id, 1, conclusion="x")
    with pytest.raises(NastavnikError, match="напишите вывод"):
        routes.close_review(s, tutor, route.id, 1, conclusion=" ")
    routes.close_review(s, tutor, route.id, 1, conclusion="Курс пройден, кейс-метод применяется",
                        corrections="Добавить участие в конкурсе профессионального мастерства")
    s.commit()
    assert review.done_on == date(2026, 9, 17) and review.done_by_id == p["lesnikova"].id

    for number in (5, 6, 7):
        routes.record_step(s, teacher, route.id, number, STEP_BODIES[number])
    s.commit()
    assert route.finished
    with pytest.raises(ConflictError, match="завершён"):
        routes.record_step(s, teacher, route.id, 7, STEP_BODIES[7])
    _review_tick(world, date(2027, 9, 16))
    assert len(s.scalars(select(IomReview)).all()) == 1  # a finished route is not reviewed again
    actions = [a.action for a in s.scalars(select(AuditEntry).where(AuditEntry.action.like("iom.%")))]
    assert actions.count("iom.step_recorded") == 7 and "iom.review_opened" in actions and "iom.program_attached" in actions


@BOTH
def test_an_organization_whose_regulation_has_no_tutor_opens_no_route(db_session):
    world = PackWorld(db_session, "school", datetime(2025, 9, 16, 9, tzinfo=UTC))
    teacher = world.person("Белова Дарья Сергеевна", participant_kind="pedagogue")
    db_session.commit()
    with pytest.raises(NastavnikError, match="не предусматривает индивидуальных образовательных маршрутов"):
        routes.open_route(db_session, world.actor(world.curator), world.organization.id, teacher.id, years=4)


def test_the_seven_steps_are_the_positions_of_002():
    """002 §4.2.2 (1) самоопределение, 002 §4.2.2 (2) диагностика достижений, 002 §4.2.2 (3) диагностика
    затруднений, 002 §4.2.2 (4) дорожная карта (а–г), 002 §4.2.2 (5) реализация, 002 §4.2.2 (6) корректировка,
    002 §4.2.2 (7) рефлексивный анализ; 002 §1.2: маршрут на 4–5 лет."""
    from engine.services.iom.steps import AREAS, STEPS

    assert [s.clause for s in STEPS] == [f"002 §4.2.2 ({n})" for n in range(1, 8)]
    assert [s.number for s in STEPS] == list(range(1, 8)) and routes.YEARS == (4, 5)
    assert [f.id for f in STEPS[3].fields] == ["dpo_schedule", "trials", "projects", "measures"]  # а) б) в) г)
    assert len(AREAS) == 8 and STEPS[1].by_area and STEPS[2].by_area
