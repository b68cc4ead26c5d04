"""A Yakutsk school runs the school roadmap (004 прил. 2) for the academic year 2025/2026 on the domain's clock
(004 п. 4.3): the director starts it, the events become records and tasks with due dates from the printed «Сроки»,
the curator («ответственный по школе») and the director mark them done with evidence, one is overdue and escalated
to the director, the interim analysis opens in January (004 прил. 2 п. 7.2) and the monitoring and completion in
May (п. 8.1). A kindergarten's curator is offered the ДОУ categories (004 прил. 3 п. 2.1), a school's the
school's (004 прил. 2 п. 2.1). Refusals are Russian."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from engine.db.models import InstanceStatus, OpenTask, RoadmapYear, WorkflowInstance
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms import FormDataError, FormId
from engine.services.mentorship import mentee_registry, school_roadmap
from engine.services.mentorship import school_roadmap_views as views
from engine.services.people.actor import Actor, load_actor
from engine.services.process import definitions, instances
from engine.workflow import FixedClock
from tests import factories as f

YAKUTSK_UTC_OFFSET = timedelta(hours=9)


def local(day: str, hour: int = 10) -> datetime:
    """``hour`` o'clock in Yakutsk on ``day``, as the UTC moment the clock holds."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+09:00")


@dataclass
class School:
    id: int
    kindergarten_id: int
    director: Actor
    curator: Actor
    kindergarten_curator: Actor
    teacher_id: int
    clock: FixedClock


@pytest.fixture
def school(db_session) -> School:
    definitions.deploy_shipped(db_session)
    department = f.make_department(db_session, regulation="yakutsk", name="Управление образования г. Якутска")
    school = f.make_organization(db_session, parent=department, name="МОБУ СОШ № 7 г. Якутска")
    kindergarten = f.make_organization(db_session, parent=department, kind="kindergarten", name="МБДОУ Д/с № 5")
    people = {}
    for key, organization, role in (("director", school, "head"), ("curator", school, "curator"),
                                    ("kindergarten_curator", kindergarten, "curator")):
        person = f.make_person(db_session, organization=organization)
        f.make_role(db_session, person, organization, role)
        people[key] = load_actor(db_session, person.login)
    teacher = f.make_person(db_session, organization=school, full_name="Саввинова Айталина Петровна")
    db_session.commit()
    return School(school.id, kindergarten.id, people["director"], people["curator"], people["kindergarten_curator"],
                  teacher.id, FixedClock(local("2025-09-01", 9)))


def _items(db_session, year_id: int) -> dict:
    return {item.key: item for item in db_session.get(RoadmapYear, year_id).items}


def _mark(db_session, s: School, actor: Actor, year_id: int, key: str, evidence: str, **extra) -> None:
    views.act(db_session, actor, year_id, key, FormId.ROADMAP_EVENT_DONE, {"evidence": evidence, **extra},
              clock=s.clock)
    db_session.commit()


def _on(db_session, s: School, day: str) -> int:
    s.clock.set(local(day, 0) + timedelta(minutes=1))  # just after the local midnight
    return instances.fire_timers(db_session, clock=s.clock)


def test_a_school_runs_its_roadmap_year(db_session, school):
    s = school
    year = school_roadmap.start_year(db_session, s.director, s.id, clock=s.clock)
    db_session.commit()
    items = _items(db_session, year.id)
    assert (year.academic_year, year.label, year.roadmap_id) == (2025, "2025/2026", "yakutsk_school")
    # 18 events of 004 прил. 2, «Ноябрь 2021, март 2022» (п. 5.1) twice
    assert len(items) == 19 and items["5.1#2"].due_on == date(2026, 3, 31)
    assert (items["1.1"].due_on, items["1.1"].role) == (date(2025, 9, 30), "curator")   # «Сентябрь 2021»
    assert (items["1.2"].due_on, items["1.2"].role) == (date(2025, 10, 31), "head")     # «Директор школы»
    assert items["1.4"].due_on == date(2025, 11, 30)                                    # «Октябрь-ноябрь 2021»
    assert items["7.1"].due_on == date(2026, 5, 31)                                     # «В течение года»
    assert (items["9.1"].due_on, items["9.1"].role) == (None, "head")                   # «По мере реализации»
    assert (items["7.2"].kind, items["7.2"].opens_on) == ("interim_analysis", date(2026, 1, 1))
    assert (items["8.1"].kind, items["8.1"].due_on) == ("completion", date(2026, 5, 31))
    instance = db_session.get(WorkflowInstance, year.workflow_instance_id)
    tasks = {(t.role, t.form_id) for t in instance.open_tasks}
    assert tasks == {("curator", FormId.ROADMAP_EVENT_DONE), ("head", FormId.ROADMAP_EVENT_DONE)}
    assert len(instance.open_tasks) == 17  # every event; the two steps wait for their months
    due = sorted((t.due_at.date() if t.due_at else None) for t in instance.open_tasks if t.due_at)
    assert (due[0], due[-1], len(due)) == (date(2025, 9, 30), date(2026, 5, 31), 16)  # п. 9.1 has no due date

    # September: the curator marks what is due; «Определение форматов наставничества» (п. 1.3) is forgotten
    s.clock.set(local("2025-09-20"))
    for key in ("1.1", "2.1"):
        _mark(db_session, s, s.curator, year.id, key, "Протокол педсовета № 1 от 15.09.2025", done_on="2025-09-15")
    with pytest.raises(PermissionDenied, match="отмечает руководитель"):  # «Директор школы» marks п. 6.1
        views.act(db_session, s.curator, year.id, "6.1", FormId.ROADMAP_EVENT_DONE, {"evidence": "x"}, clock=s.clock)
    _mark(db_session, s, s.director, year.id, "6.1", "Приказ № 112 от 20.09.2025, положение на сайте школы")
    with pytest.raises(FormDataError):  # the evidence is required by the form's contract
        views.act(db_session, s.curator, year.id, "1.5", FormId.ROADMAP_EVENT_DONE, {}, clock=s.clock)
    with pytest.raises(NastavnikError, match="ещё не наступила"):
        _mark(db_session, s, s.curator, year.id, "1.5", "Сообщество в сети", done_on="2025-12-01")
    with pytest.raises(ConflictError, match=r"уже выполнено \(15.09.2025\)"):
        _mark(db_session, s, s.curator, year.id, "1.1", "ещё раз")

    # 1 October (Yakutsk midnight): September is over; п. 1.3 is overdue and escalated to the director
    assert _on(db_session, s, "2025-10-01") >= 1
    items = _items(db_session, year.id)
    assert items["1.3"].escalated_on == date(2025, 10, 1) and items["1.3"].status == "planned"
    assert items["1.1"].escalated_on is None
    escalations = db_session.scalars(select(OpenTask).where(OpenTask.form_id == FormId.ROADMAP_OVERDUE)).all()
    assert [(t.role, t.name) for t in escalations] == [("head", "Мероприятие просрочено: принять меры")]
    page = views.year_page(db_session, s.director, year.id, now=s.clock.now())
    row = next(r for stage in page.stages for r in stage.rows if r.item.key == "1.3")
    assert (row.state, row.escalation_open, row.forms) == ("overdue", True, (FormId.ROADMAP_OVERDUE,))
    with pytest.raises(PermissionDenied, match=r"меры по «Определение форматов наставничества» \(1.3\) принимает "
                                                "руководитель"):
        views.act(db_session, s.curator, year.id, "1.3", FormId.ROADMAP_OVERDUE, {"measures": "x"}, clock=s.clock)
    views.act(db_session, s.director, year.id, "1.3", FormId.ROADMAP_OVERDUE,
              {"measures": "Поручено ответственному определить форматы до 5 октября"}, clock=s.clock)
    db_session.commit()
    s.clock.set(local("2025-10-05"))
    _mark(db_session, s, s.curator, year.id, "1.3", "Приказ № 118 от 05.10.2025 «Об утверждении форматов»")
    items = _items(db_session, year.id)
    assert (items["1.3"].status, items["1.3"].done_on, items["1.3"].measures_by_id) == \
        ("done", date(2025, 10, 5), s.director.person_id)

    # the interim analysis opens in January, not before (004 прил. 2 п. 7.2)
    for key, who in (("1.2", s.director), ("1.4", s.curator), ("1.5", s.curator), ("1.6", s.curator),
                     ("3.1", s.curator), ("5.1", s.curator)):
        _mark(db_session, s, who, year.id, key, "Приказ по школе, протокол, ссылка")
    s.clock.set(local("2025-12-20"))
    with pytest.raises(ConflictError, match=r"\(004 прил. 2 п. 7.2\) откроется 01.01.2026"):
        views.act(db_session, s.curator, year.id, "7.2", FormId.ROADMAP_INTERIM_ANALYSIS,
                  {"pairs_working": 4, "state": "x"}, clock=s.clock)
    _on(db_session, s, "2026-01-01")
    assert _items(db_session, year.id)["7.2"].escalated_on is None
    s.clock.set(local("2026-01-20"))
    views.act(db_session, s.curator, year.id, "7.2", FormId.ROADMAP_INTERIM_ANALYSIS,
              {"pairs_working": 4, "state": "Работают 4 пары; две программы скорректированы",
               "corrections": "Программа пары Саввиновой дополнена открытыми уроками"}, clock=s.clock)
    db_session.commit()
    interim = _items(db_session, year.id)["7.2"]
    assert (interim.status, interim.done_on, interim.report["pairs_working"]) == ("done", date(2026, 1, 20), 4)

    # March: the second round of 5.1; then May: the monitoring and completion (004 прил. 2 п. 8.1)
    s.clock.set(local("2026-03-20"))
    _mark(db_session, s, s.curator, year.id, "5.1#2", "Отбор лучших программ: протокол № 3")
    with pytest.raises(ConflictError, match="откроется 01.05.2026"):
        views.act(db_session, s.curator, year.id, "8.1", FormId.ROADMAP_COMPLETION,
                  {"pairs_completed": 4, "effectiveness": "x"}, clock=s.clock)
    _on(db_session, s, "2026-05-01")
    s.clock.set(local("2026-05-25"))
    views.act(db_session, s.curator, year.id, "8.1", FormId.ROADMAP_COMPLETION,
              {"pairs_completed": 4, "effectiveness": "Все молодые специалисты остались в школе",
               "experience": "Открытые уроки пар", "problems": "Мало времени у наставников", "fair_held": True},
              clock=s.clock)
    db_session.commit()
    year = db_session.get(RoadmapYear, year.id)
    items = _items(db_session, year.id)
    assert (year.status, year.completed_on) == ("completed", date(2026, 5, 25))
    assert items["8.1"].report["fair_held"] is True
    not_done = {key for key, item in items.items() if item.status == "not_done"}
    assert not_done == set(items["8.1"].report["not_done"]) >= {"9.1", "10.1", "7.1"}
    instance = db_session.get(WorkflowInstance, year.workflow_instance_id)
    assert instance.status == InstanceStatus.COMPLETED.value and instance.open_tasks == []
    with pytest.raises(ConflictError, match="2025/2026 учебный год по дорожной карте уже завершён"):
        _mark(db_session, s, s.curator, year.id, "7.1", "поздно")


def test_an_event_left_overdue_past_its_month_escalates_once_and_the_completion_is_escalated_too(db_session, school):
    s = school
    year = school_roadmap.start_year(db_session, s.curator, s.id, clock=s.clock)
    db_session.commit()
    _on(db_session, s, "2025-11-01")  # September and October events all late
    late = {i.key for i in _items(db_session, year.id).values() if i.escalated_on == date(2025, 11, 1)}
    assert late == {"1.1", "1.2", "1.3", "1.5", "1.6", "2.1", "3.1", "6.1"}
    assert _on(db_session, s, "2025-11-02") == 0  # non-interrupting, fired once
    _on(db_session, s, "2026-01-01")
    _on(db_session, s, "2026-02-01")  # the January analysis not submitted: escalated to the director
    assert _items(db_session, year.id)["7.2"].escalated_on == date(2026, 2, 1)
    s.clock.set(local("2026-05-10"))
    with pytest.raises(ConflictError, match="сначала проведите «Промежуточный анализ"):
        views.act(db_session, s.curator, year.id, "8.1", FormId.ROADMAP_COMPLETION,
                  {"pairs_completed": 0, "effectiveness": "x"}, clock=s.clock)


def test_who_may_start_which_year_and_where(db_session, school):
    s = school
    outsider = load_actor(db_session, f.make_person(db_session).login)
    with pytest.raises(PermissionDenied, match=r"руководитель или куратор \(ответственный\) этой организации"):
        school_roadmap.start_year(db_session, outsider, s.id, clock=s.clock)
    with pytest.raises(NotFound, match="не задаёт дорожной карты для организаций вида «дошкольная образовательная"):
        school_roadmap.start_year(db_session, s.kindergarten_curator, s.kindergarten_id, clock=s.clock)
    with pytest.raises(NastavnikError, match="2024/2025 учебный год уже прошёл"):
        school_roadmap.start_year(db_session, s.director, s.id, academic_year=2024, clock=s.clock)
    with pytest.raises(NastavnikError, match="2027/2028 учебный год ещё не скоро"):
        school_roadmap.start_year(db_session, s.director, s.id, academic_year=2027, clock=s.clock)
    s.clock.set(local("2025-08-31", 23))  # still 2024/2025 in Yakutsk
    first = school_roadmap.start_year(db_session, s.director, s.id, clock=s.clock)
    assert first.academic_year == 2024 and first.items[0].due_on == date(2024, 9, 30)
    db_session.commit()
    s.clock.set(local("2025-09-01", 1))  # one hour into 2025/2026 in Yakutsk (still 31 August in UTC)
    assert school_roadmap.start_year(db_session, s.director, s.id, clock=s.clock).academic_year == 2025
    db_session.commit()
    with pytest.raises(ConflictError, match=r"на 2025/2026 учебный год уже запущена \(01.09.2025\)"):
        school_roadmap.start_year(db_session, s.curator, s.id, clock=s.clock)
    with pytest.raises(PermissionDenied, match="доступна её куратору, руководителю и методисту"):
        views.year_page(db_session, s.kindergarten_curator, first.id, now=s.clock.now())
    listed = views.organization_years(db_session, s.director, now=s.clock.now())
    assert [(o.organization.id, [y.academic_year for y in o.years], o.next_year) for o in listed] == \
        [(s.id, [2025, 2024], 2026)]


def test_a_kindergarten_curator_gets_the_dou_categories_and_a_school_curator_the_schools(db_session, school):
    s = school
    dou = [c.label for c in mentee_registry.offered_categories(db_session, s.kindergarten_curator, s.kindergarten_id)]
    assert dou == ["Начинающий педагог", "Молодой педагог", "Педагог, готовящийся к аттестации",
                   "Педагог, участвующий в профессиональном конкурсе, смотре", "Начинающий педагог-исследователь"]
    ours = [c.id for c in mentee_registry.offered_categories(db_session, s.curator, s.id)]
    assert ours == ["school_young_specialist", "school_novice_class_teacher", "school_ready_for_innovation",
                    "school_novice_head", "school_newcomer"]
    with pytest.raises(PermissionDenied):
        mentee_registry.offered_categories(db_session, s.curator, s.kindergarten_id)
    with pytest.raises(NotFound) as refused:
        mentee_registry.register_mentee(db_session, s.curator, s.id, s.teacher_id, category="dou_attestation")
    assert "«Педагог, готовящийся к аттестации» (004 прил. 3 п. 2.1) предусмотрена для организаций вида " \
           "«дошкольная образовательная организация (ДОУ)», а не «общеобразовательная организация»" \
           in refused.value.message
    with pytest.raises(NastavnikError, match="укажите категорию наставляемого; положение допускает: Молодой специалист"):
        mentee_registry.register_mentee(db_session, s.curator, s.id, s.teacher_id)
    entry = mentee_registry.register_mentee(db_session, s.curator, s.id, s.teacher_id, category="school_young_specialist")
    assert entry.category == "school_young_specialist"
