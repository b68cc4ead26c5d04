"""The methodologist changes each shipped process in the browser and the change reaches new work (issue 16,
«Done means»): she opens the process in the modeler, changes one thing through the properties panel (a timer's
duration, a user task's form, a gateway's condition, a script before a step), checks, saves version 2 and deploys it;
a NEW instance started the way the product starts that kind of work runs on version 2 up to the changed element,
and the change takes effect there (the timer fires at the new duration on the test's clock, the task asks for
the new form, the condition routes differently, the step's script sets what the form reads). Elements are found by their
names on the diagram, not by their ids. Screenshots modeler-deploy-*.png of each panel edit at 1280 and 390 px."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from engine.db.models import MentoringGroup, MentorPeriodReport, Organization, Person, WorkflowInstance
from engine.db.models.org import RULE_FACT_FIELDS
from engine.db.models.workflow import latest_definition
from engine.demo.world import DEMO_PASSWORD
from engine.regulations.report_dates import report_dates
from engine.services.curation import mentor_reports
from engine.services.mentorship import formation, lifecycle, mentor_appointment
from engine.services.mentorship.basics import start_data
from engine.services.methodology import designed_forms
from engine.services.people.actor import SYSTEM, load_actor
from engine.services.process import instance_timers, instances
from engine.services.process.definitions import check
from engine.workflow import FixedClock
from tests.factories import make_mentee, make_person
from web.db import database

DEPARTMENT = 1  # the demo's «ДО г. Томска», where the demo methodologist works
NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)  # the demo's story ends shortly before now

FIND = """(spec) => {
    const m = window.nastavnikModeler;
    const name = (e) => ((e && e.businessObject && e.businessObject.name) || "").replace(/\\s+/g, " ");
    const found = m.get("elementRegistry").filter((e) => e.type === spec.type && e.type !== "label"
        && (!spec.name || name(e) === spec.name)
        && (!spec.target || name(e.target).startsWith(spec.target))
        && (!spec.timer || (e.businessObject.eventDefinitions || []).some(
            (d) => d.$type === "bpmn:TimerEventDefinition")));
    if (found.length !== 1) { throw new Error("not one element: " + JSON.stringify(spec) + " " + found.length); }
    m.get("selection").select(found[0]);
    return found[0].id;
}"""


def _select(page, **spec) -> str:
    """Select the one element of a type with the name (or the flow into the target) given, as a click does."""
    element_id = page.evaluate(FIND, spec)
    expect(page.locator('#properties [data-group-id="group-nastavnik"]')).to_be_visible()
    return element_id


def _entry(page, entry_id: str):
    return page.locator(f'#properties [data-entry-id="nastavnik-{entry_id}"]')


def _no_problems(page) -> None:
    expect(_entry(page, "problems")).to_contain_text("замечаний к элементу нет", timeout=15000)


# --- the edits through the properties panel ------------------------------------------------------

def _timer_duration(event_name: str, duration: str, words: str) -> Callable:
    def edit(page) -> None:
        _select(page, type="bpmn:BoundaryEvent", name=event_name, timer=True)
        _entry(page, "timer-kind").locator("select").select_option("timeDuration")
        _entry(page, "timer-expression").locator("input").fill(duration)
        expect(_entry(page, "timer-expression")).to_contain_text(words)
        _no_problems(page)
    return edit


def _designed_form(task_name: str, form: str, fields: str) -> Callable:
    def edit(page) -> None:
        _select(page, type="bpmn:UserTask", name=task_name)
        _entry(page, "form").locator("select").select_option(form)
        expect(_entry(page, "form")).to_contain_text(fields)  # the panel shows the designed form's fields
        _no_problems(page)
    return edit


def _condition(target: str, old: str, new: str) -> Callable:
    def edit(page) -> None:
        _select(page, type="bpmn:SequenceFlow", target=target)
        condition = _entry(page, "condition").locator("textarea")
        expect(condition).to_have_value(old)
        condition.fill(new)
        _no_problems(page)
    return edit


def _pre_script(task_name: str, script: str) -> Callable:
    def edit(page) -> None:
        _select(page, type="bpmn:UserTask", name=task_name)
        _entry(page, "pre-script").locator("textarea").fill(script)
        _no_problems(page)
    return edit


# --- new work on the new version -----------------------------------------------------------------

def _start(session, process_id: str, kind: str, subject: dict, data: dict) -> WorkflowInstance:
    """What the product's service for that kind of work starts (``engine.services.*``: the pack's start data and the
    kind's own), on the demo's department — for the kinds the demo's Tomsk world has no service path to: the
    calendar (the school pack's), the network group and year, the school roadmap (the Yakutsk pack's)."""
    base = start_data(session.get(Organization, DEPARTMENT))
    instance = instances.start_instance(session, SYSTEM, process_id, kind, DEPARTMENT, subject=subject,
                                        data={**base, **data}, clock=FixedClock(NOW))
    assert instance.definition.version == 2
    return instance


def _open(instance: WorkflowInstance) -> list[tuple[str, str | None, str]]:
    return [(t.name, t.form_id, t.role) for t in instance.open_tasks]


def _fire(session, instance: WorkflowInstance, at: datetime) -> int:
    fired = instance_timers.fire_instance_timers(session, instance.id, now=at)
    session.refresh(instance)
    return fired


def _lifecycle_reminder_after_three_days(session) -> None:

    # the demo's pair waiting for the head's order: its program starts as the signed order would start it
    group = session.scalars(select(MentoringGroup).where(MentoringGroup.status == "forming")).one()
    program = lifecycle.start_program(session, group, group.members[0].person_id, group.roadmap_id,
                                      started_on=NOW.date(), clock_now=NOW)
    instance = session.get(WorkflowInstance, program.workflow_instance_id)
    assert instance.definition.version == 2
    assert [t.fires_at for t in instance.timers] == [NOW + timedelta(days=3)]  # version 1: 14 days before the due
    assert _fire(session, instance, NOW + timedelta(days=3) - timedelta(minutes=1)) == 0
    assert _fire(session, instance, NOW + timedelta(days=3)) == 1
    assert ("Напоминание: срок этапа истекает", "acknowledge_reminder", "mentor") in _open(instance)


PLAN_FORM = {"type": "default", "components": [
    {"type": "textarea", "key": "plan", "label": "Что успею до даты отчёта", "validate": {"required": True}}]}


def _design_plan_form(session) -> None:
    """The methodologist designs and deploys the form the reminder will ask (Процессы и правила → Формы)."""
    methodologist = load_actor(session, "methodologist")
    designed_forms.save_draft(session, methodologist, "report_plan", "План к отчёту", PLAN_FORM)
    designed_forms.deploy(session, methodologist, "report_plan")


def _period_report_reminder_asks_for_a_plan(session) -> Callable:
    # the scheduler's job opens the mentors' reports two weeks before the pack's date (003 п. 3: 10 June, 10 December)
    department = session.get(Organization, DEPARTMENT)
    upcoming = sorted(day.next_on_or_after(NOW.date() + timedelta(days=4)) for day in report_dates(department))
    opened = [due for due in upcoming if mentor_reports.open_due_reports(session, max(NOW, _midnight(due, -14)))]
    assert opened, upcoming  # the demo's report left waiting may be the nearest date's; then the next one's
    report = session.scalars(select(MentorPeriodReport).order_by(MentorPeriodReport.id.desc())).first()
    instance = session.get(WorkflowInstance, report.workflow_instance_id)
    assert instance.definition.version == 2
    assert _fire(session, instance, _midnight(report.due_on, -2)) == 1  # three days before the date
    assert ("Напоминание: срок отчёта наставника истекает", "designed:report_plan", "mentor") in _open(instance)
    mentor_login = session.get(Person, report.mentor_id).login
    instance_id = instance.id
    report_task = next(t.task_id for t in instance.open_tasks if t.form_id == "mentor_period_report")

    def answer(demo_page) -> None:
        """The mentor sees the step on his report's page, opens the designed form and completes it."""
        page = demo_page.page
        page.get_by_role("button", name="Выйти").click()
        demo_page.login(mentor_login, DEMO_PASSWORD)
        demo_page.goto(f"/my/reports/{instance_id}/{report_task}")
        step = page.locator("[data-designed-step]")
        expect(step).to_contain_text("Напоминание: срок отчёта наставника истекает")
        step.get_by_role("link", name="Заполнить форму").click()
        expect(page.get_by_role("heading", name="Напоминание: срок отчёта наставника истекает")).to_be_visible()
        page.get_by_label("Что успею до даты отчёта").fill("Провести две встречи и закрыть этап")
        demo_page.shot("modeler-deploy-designed-step")
        page.get_by_role("button", name="Отправить").click()
        expect(page.locator(".flash").first).to_contain_text("выполнен")
    return answer


def _midnight(day: date, days: int = 0) -> datetime:
    return datetime.combine(day + timedelta(days=days), time(), UTC)


def _calendar_base_review_becomes_monitoring(session) -> None:
    due = NOW.date() + timedelta(days=30)
    instance = _start(session, "mentorship_calendar", "calendar", {}, {
        "calendar_id": None, "task": "base_review", "label": "Сверка базы", "clause": "001 §4",
        "due_at": due.isoformat(), "lead_days": 14, "cycle": 0})
    assert instance.open_tasks == []
    assert _fire(session, instance, _midnight(due, -13)) == 1  # lead_days before the date
    assert [name for name, _form, _role in _open(instance)] == [
        "Провести мониторинг и оценку результатов реализации системы наставничества"]  # v1: «Сверить базу…»


def _appointment_without_direction_goes_back(session) -> None:
    curator = load_actor(session, "curator")
    candidate = session.scalar(_person("morozova"))
    instance = mentor_appointment.propose_mentor(session, curator, DEPARTMENT, candidate, clock=FixedClock(NOW))
    assert instance.definition.version == 2
    # eligible (version 1 drafts the order for the head to sign) but no direction named: proposed again
    assert _open(instance) == [("Предложить кандидата в наставники", "propose_mentor", "curator")]
    again = mentor_appointment.propose_mentor(session, curator, DEPARTMENT, candidate, direction="Управление школой",
                                              clock=FixedClock(NOW))
    assert [form for _name, form, _role in _open(again)] == ["sign_order"]


def _person(login: str):
    return select(Person.id).where(Person.login == login)


def _pair_of_two_goes_back(session) -> None:

    department = session.get(Organization, DEPARTMENT)
    reservist = session.get(Person, session.scalar(_person("belova")))  # the demo's reservist: her facts
    people = [make_person(session, full_name=f"Резервова Анна Игоревна {n}", login=f"reservist{n}",
                          organization_id=DEPARTMENT, extra_facts=reservist.extra_facts,
                          **{name: getattr(reservist, name) for name in RULE_FACT_FIELDS}) for n in (1, 2, 3)]
    for person in people:
        make_mentee(session, person=person, organization=department, category="reservist", status="waiting")
    session.flush()
    curator, mentor = load_actor(session, "curator"), session.scalar(_person("sokolova"))
    two = formation.propose_pair(session, curator, DEPARTMENT, mentor, [people[0].id, people[1].id],
                                 clock=FixedClock(NOW))
    assert two.definition.version == 2
    # an eligible mentor with two mentees: version 1 asks the participants' consent, version 2 proposes again
    assert _open(two) == [("Предложить наставника и наставляемых", "propose_pair", "curator")]
    one = formation.propose_pair(session, curator, DEPARTMENT, mentor, [people[2].id], clock=FixedClock(NOW))
    assert [name for name, _form, _role in _open(one)] == ["Дать согласие быть наставником"]


def _group_form_knows_the_limit(session) -> None:
    instance = _start(session, "network_grouping", "pair_formation", {"assignees": {}}, {
        "direction": "Функциональная грамотность", "academic_year": "2026/2027"})
    assert [name for name, _form, _role in _open(instance)] == [
        "Сформировать группу стажёров по направлению (004 III.4)"]
    assert instances.snapshot(session, instance.id).data["max_trainees"] == 5  # version 1 has no such limit


def _network_year_review_after_thirty_days(session) -> None:
    review_opens = NOW.date() + timedelta(days=200)
    instance = _start(session, "network_program", "program", {"assignees": {}}, {
        "member_id": None, "group_id": None, "trainee_id": None, "mentor_id": None, "direction": "Литература",
        "review_opens_at": f"{review_opens.isoformat()}T00:00:00+09:00",
        "review_due_at": f"{(review_opens + timedelta(days=30)).isoformat()}T00:00:00+09:00",
        "year_ends_on": (review_opens + timedelta(days=60)).isoformat()})
    assert [t.fires_at for t in instance.timers] == [NOW + timedelta(days=30)]  # version 1: when the review opens
    assert _fire(session, instance, NOW + timedelta(days=30)) == 1
    assert [name for name, _form, _role in _open(instance)] == ["Представить отзыв о стажёре (004 IV.1)"]


def _roadmap_deputy_event_goes_to_the_head(session) -> None:
    opens, due = NOW.date(), NOW.date() + timedelta(days=30)
    event = {"key": "e1", "number": 1, "name": "Совещание наставников", "stage": "Подготовка",
             "due_as_printed": "в течение месяца", "responsible": "заместитель директора", "role": "deputy",
             "opens_on": opens.isoformat(), "due_on": due.isoformat(), "opens_at": f"{opens.isoformat()}T00:00:00+09:00",
             "overdue_at": f"{(due + timedelta(days=1)).isoformat()}T00:00:00+09:00"}
    end = NOW.date() + timedelta(days=240)
    completion = {**event, "key": "c", "role": "curator", "opens_on": end.isoformat(),
                  "due_on": (end + timedelta(days=30)).isoformat(), "opens_at": f"{end.isoformat()}T00:00:00+09:00",
                  "overdue_at": f"{(end + timedelta(days=31)).isoformat()}T00:00:00+09:00"}
    instance = _start(session, "school_roadmap", "school_roadmap", {}, {
        "roadmap_id": "yakutsk_school", "academic_year": NOW.year, "year_label": f"{NOW.year}/{NOW.year + 1}",
        "events": [event], "interim": None, "completion": completion})
    # version 1 gives an event of anyone but the head to the school's curator
    assert _open(instance) == [("Отметить выполнение мероприятия (директор)", "roadmap_event_done", "head")]


@dataclass(frozen=True)
class Change:
    process_id: str
    what: str  # the version's comment
    edit: Callable
    saved: bytes  # what the saved version 2 says
    drive: Callable  # runs new work to the change; may return what a person then does in the browser
    prepare: Callable | None = None  # what the methodologist has made before (a designed form)


CHANGES = [
    Change("program_lifecycle", "Напоминание об отчёте через 3 дня после начала этапа",
           _timer_duration("Скоро срок отчёта", "P3D", "через 3 дня"), b">P3D</bpmn:timeDuration>",
           _lifecycle_reminder_after_three_days),
    Change("mentor_period_report", "В напоминании наставник пишет план",
           _designed_form("Напоминание: срок отчёта наставника истекает", "designed:report_plan",
                          "Что успею до даты отчёта (plan, обязательное)"),
           b'name="form" value="designed:report_plan"', _period_report_reminder_asks_for_a_plan,
           prepare=_design_plan_form),
    Change("mentorship_calendar", "Сверка базы проходит как мониторинг",
           _condition("Провести мониторинг", "task == 'monitoring'", "task in ('monitoring', 'base_review')"),
           b"task in ('monitoring', 'base_review')</bpmn:conditionExpression>", _calendar_base_review_becomes_monitoring),
    Change("mentor_appointment", "Без направления кандидат не назначается",
           _condition("Подготовить проект приказа", "decision['verdict'] == 'eligible'",
                      "decision['verdict'] == 'eligible' and bool(direction)"),
           b"and bool(direction)</bpmn:conditionExpression>", _appointment_without_direction_goes_back),
    Change("pair_formation", "Наставник ведёт одного наставляемого",
           _condition("Положение определяет категории", "decision['verdict'] == 'eligible'",
                      "decision['verdict'] == 'eligible' and len(mentee_ids) <= 1"),
           b"and len(mentee_ids) &lt;= 1</bpmn:conditionExpression>", _pair_of_two_goes_back),
    Change("network_grouping", "В группе не больше пяти стажёров",
           _pre_script("Сформировать группу стажёров по направлению (004 III.4)", "max_trainees = 5"),
           b"<spiffworkflow:preScript>max_trainees = 5</spiffworkflow:preScript>", _group_form_knows_the_limit),
    Change("network_program", "План согласуют не дольше 30 дней",
           _timer_duration("Конец учебного года: план не согласован", "P30D", "через 30 дней"),
           b">P30D</bpmn:timeDuration>", _network_year_review_after_thirty_days),
    Change("school_roadmap", "Мероприятия заместителя отмечает директор",
           _condition("Отметить выполнение мероприятия (директор)", "event['role'] == 'head'",
                      "event['role'] in ('head', 'deputy')"),
           b"in ('head', 'deputy')</bpmn:conditionExpression>", _roadmap_deputy_event_goes_to_the_head),
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.process_id)
def test_a_change_made_in_the_panel_reaches_new_work_after_the_deploy(demo_page, demo_server, change):
    page = demo_page.page
    if change.prepare is not None:
        with database(demo_server.app).session_factory() as session:
            change.prepare(session)
            session.commit()
    demo_page.login("methodologist", DEMO_PASSWORD)
    demo_page.goto(f"/methodology/workflows/{change.process_id}/1")
    page.wait_for_selector("#modeler[data-modeler-state]", timeout=30000)
    assert page.get_attribute("#modeler", "data-modeler-state") == "ready", page.inner_text("#modeler-status")

    change.edit(page)
    demo_page.shot(f"modeler-deploy-{change.process_id}")
    page.set_viewport_size({"width": 390, "height": 844})
    demo_page.shot(f"modeler-deploy-{change.process_id}-390")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("button", name="Проверить").click()
    expect(page.locator("#modeler")).to_have_attribute("data-check-state", "ok")
    page.fill("#version-comment", change.what)
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить как новую версию").click()
    page.wait_for_url(f"**/methodology/workflows/{change.process_id}/2")
    assert "Сохранена версия 2" in page.inner_text(".flash")
    saved = page.request.get(f"{demo_page.base}/methodology/workflows/{change.process_id}/2.bpmn").body()
    assert change.saved in saved
    domain = database(demo_server.app).domain
    assert check(saved, f"{change.process_id}.bpmn", domain=domain) == []

    page.wait_for_selector("#modeler[data-modeler-state=ready]", timeout=30000)
    with page.expect_navigation():
        page.click("#deploy-button")
    assert "развёрнута" in page.inner_text(".flash")

    with database(demo_server.app).session_factory() as session:
        current = latest_definition(session, change.process_id, DEPARTMENT)
        assert current is not None and current.version == 2
        then = change.drive(session)
        session.commit()
    if then is not None:
        then(demo_page)
        page.get_by_role("button", name="Выйти").click()
        demo_page.login("methodologist", DEMO_PASSWORD)
    # the list of workflows counts the new work under version 2, the running demo work stays on version 1
    demo_page.goto("/methodology")
    v2 = page.locator(f'section[data-process-id="{change.process_id}"] tr[data-version="2"]')
    assert "is-current" in (v2.get_attribute("class") or "")
    assert v2.locator('.usage li[data-status="running"]').count() >= 1, v2.inner_text()
    assert demo_page.console_errors == []
