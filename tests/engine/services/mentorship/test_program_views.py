"""The program page's data (``program_views.program_page`` / ``program_diagram``) and the history in words."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engine.db.models import AccessLogEntry, Program
from engine.demo.story import Demo
from engine.errors import NotFound, PermissionDenied
from engine.services.audit import history
from engine.services.mentorship import program_views


def _program(demo: Demo, mentor: str = "volkov", mentee: str = "novikova") -> Program:
    demo.appoint(mentor)
    demo.register(mentee)
    return demo.form_pair(mentor, mentee)


def test_the_page_of_a_running_program(demo: Demo, db_session):
    program = _program(demo)
    events = [e.number for e in program.events if e.stage_id == "diagnosis"]
    demo.complete("volkov", "stage_work", {"events_done": events[:2], "report": "Справка"},
                  program.workflow_instance_id)
    s = db_session
    before = s.scalar(select(func.count()).select_from(AccessLogEntry))
    started = datetime.combine(program.started_on, datetime.min.time(), UTC)
    page = program_views.program_page(s, demo.actor("curator"), program.id, now=started + timedelta(days=3))

    assert page.mentor.login == "volkov" and [m.login for m in page.mentees] == ["novikova"]
    assert page.roadmap_source == "003 прил. 1" and page.form_label == "«руководитель – руководитель»"
    assert page.completion_clause is None and page.is_staff
    assert [st.id for st in page.stages] == ["diagnosis", "consultation", "activity", "reflection"]
    first = page.stages[0]
    assert first.is_current and first.title == "1 ЭТАП. ОРГАНИЗАЦИОННЫЙ"
    assert [(e.number, e.status) for e in first.events] == [("1.1", "done"), ("1.2", "done"),
                                                            ("1.3", "planned"), ("1.4", "planned")]
    assert first.events[0].name == "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ."
    assert [r.status for r in page.reports] == ["submitted"]
    assert {d.ruleset_id for d in page.decisions} == {"mentor_eligibility_tomsk", "mentee_category_tomsk"}
    assert [o.type for o in page.orders] == ["pair_formation"]

    process = page.process
    assert [t.element_id for t in process.ready] == ["Task_review_stage_report"]
    assert "Task_stage_work" in process.completed and "Task_review_stage_report" in process.active
    assert process.overdue == [] and not process.ready[0].overdue

    texts = [entry.text for entry in page.history]
    assert texts[0] == "Выполнена задача «Провести мероприятия этапа и представить отчёт»"
    assert "Представлен отчёт по этапу «1 ЭТАП. ОРГАНИЗАЦИОННЫЙ» (попытка 1)" in texts
    assert "Руководитель подписал приказ № " + page.orders[0].number in texts
    assert texts[-1] == "Запущен процесс «Формирование наставнической пары (группы)» (версия 1)"
    assert [e.at for e in page.history] == sorted((e.at for e in page.history), reverse=True)
    # the curator saw the mentor's and the mentee's data: logged (152-ФЗ)
    assert s.scalar(select(func.count()).select_from(AccessLogEntry)) == before + 2


def test_overdue_after_the_stage_due_date(demo: Demo, db_session):
    program = _program(demo)
    due = program_views.stage_due(program, "diagnosis")
    late = datetime.combine(due + timedelta(days=2), datetime.min.time(), UTC)
    page = program_views.program_page(db_session, demo.actor("volkov"), program.id, now=late)
    assert {e.status for e in page.stages[0].events} == {"overdue"}
    assert {e.status for e in page.stages[1].events} == {"planned"}
    assert page.process.ready[0].overdue and page.process.ready[0].element_id == "Task_stage_work"
    diagram = program_views.program_diagram(db_session, demo.actor("novikova"), program.id, now=late)
    assert diagram["overdue"] == ["SubProcess_stage", "Task_stage_work"]
    assert "Task_stage_work" in diagram["active"] and diagram["xml"].lstrip().startswith("<?xml")
    on_time = program_views.program_diagram(db_session, demo.actor("head"), program.id,
                                            now=late - timedelta(days=5))
    assert on_time["overdue"] == []


def test_a_finished_program_shows_its_ground(demo: Demo, db_session):
    program = _program(demo, "sokolova", "pavlov")
    demo.complete_early(program, "pavlov")
    page = program_views.program_page(db_session, demo.actor("methodologist"), program.id)
    assert page.program.status == "completed_early" and page.completion_clause == "003 §7.1 (2)"
    assert [o.type for o in page.orders] == ["pair_formation", "completion"]
    assert page.process.ready == [] and page.process.active == []
    texts = [entry.text for entry in page.history]
    assert "Программа завершена" in texts
    assert "Поступило ходатайство о досрочном завершении программы" in texts
    finished = next(e for e in page.history if e.text == "Программа завершена")
    assert finished.details == "основание: по инициативе наставника или наставляемого (003 §7.1 (2))"


def test_who_may_see_a_program(demo: Demo, db_session):
    program = _program(demo)
    demo.appoint("morozova")
    demo.register("fedorov")
    other = demo.form_pair("morozova", "fedorov")
    s = db_session
    for login in ("curator", "head", "methodologist", "volkov", "novikova"):
        assert program_views.program_page(s, demo.actor(login), program.id).program.id == program.id
    assert not program_views.program_page(s, demo.actor("novikova"), program.id).is_staff
    for login in ("morozova", "fedorov", "kozlov"):
        with pytest.raises(PermissionDenied):
            program_views.program_page(s, demo.actor(login), program.id)
        with pytest.raises(PermissionDenied):
            program_views.program_diagram(s, demo.actor(login), program.id)
    assert program_views.program_page(s, demo.actor("fedorov"), other.id).program.id == other.id
    with pytest.raises(NotFound):
        program_views.program_page(s, demo.actor("curator"), 999_999)


def test_action_codes_in_words():
    assert history.describe_action("order.signed") == "Руководитель подписал приказ"
    assert history.describe_action("order.refused") == "Руководитель отказал в подписании приказа"
    assert history.describe_action("stage_report.returned").startswith("Отчёт по этапу")
    assert history.describe_action("workflow.task_completed") == "Выполнена задача «задача»"
    assert history.describe_action("something.new") == "Действие в системе"  # never the code


@pytest.mark.parametrize("action", ["roadmap_event.marked", "attachment.uploaded", "workflow.draft_saved",
                                    "program.created", "program.extended", "program.finished", "order.drafted",
                                    "stage_report.submitted", "stage_report.approved", "workflow.message"])
def test_every_action_a_programs_history_records_is_told_in_russian(action):
    text = history.describe_action(action)
    assert text != "Действие в системе" and not re.search(r"[A-Za-z_]", text), text


def test_what_arrived_agrees_with_its_noun_and_events_and_files_are_told():
    teller = history._Teller(None, None)
    def told(action: str, details: dict) -> tuple[str, str | None]:
        return teller.tell(history.AuditEntry(action=action, details=details))
    assert told("workflow.message", {"message": "mentor_release"})[0].startswith("Поступила просьба наставника")
    assert told("workflow.message", {"message": "extension"})[0] == "Поступило ходатайство о продлении программы"
    assert told("roadmap_event.marked", {"event": "1.2", "status": "done", "note": "провели"}) == (
        "Мероприятие 1.2 отмечено проведённым", "заметка: провели")
    assert told("attachment.uploaded", {"file_name": "plan.pdf", "event": "1.2"})[0] == (
        "Приложен файл «plan.pdf» к мероприятию 1.2")
