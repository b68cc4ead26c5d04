"""What the people deciding a program's course see and may decide (issue 10, «The lifecycle»): the stage
report's name as the roadmap gives it (003 appendix 2, stage 4 names no form), the extension agreement
with the months and the reason (003 §7.2), an incomplete stage accepted only with a recorded reason and the
completion ground that follows the roadmap (003 §7.1), the curator's own petitions, the head's refusal
reason back on the curator's step."""
from __future__ import annotations

import pytest

from engine.demo.story import Demo
from engine.errors import NastavnikError, PermissionDenied
from engine.regulations.roadmaps import NO_REPORT_FORM
from engine.services.audit import history
from engine.services.curation import step_completion, step_page
from engine.services.mentorship import participant_views as views
from engine.services.mentorship import petitions
from tests.engine.services.mentorship.test_lifecycle_paths import pair, program_orders, stage_events
from tests.engine.services.mentorship.test_participant_work import forms

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def run_stage(demo: Demo, program, mentor: str) -> None:
    iid = program.workflow_instance_id
    demo.complete(mentor, "stage_work", {"events_done": stage_events(program), "report": "справка"}, iid)
    demo.complete("curator", "review_stage_report", {"approved": True, "comment": ""}, iid)
    demo.session.refresh(program)


# -- 003 appendix 2, stage 4: the seed names no report form ---------------------------------------------

@BOTH
def test_the_reservists_fourth_stage_report_is_not_called_an_information_note(demo, db_session):
    s = db_session
    program = pair(demo, "morozova", "fedorov")
    for _ in range(3):
        run_stage(demo, program, "morozova")
    assert program.current_stage_id == "reflection"
    page = views.stage_work(s, demo.actor("morozova"), program.id)
    assert page.stage is not None and page.stage.report_form is None
    assert page.stage.report_name == NO_REPORT_FORM and "справка" not in page.stage.report_name
    demo.complete("morozova", "stage_work", {"events_done": stage_events(program), "report": "итоги"},
                  program.workflow_instance_id)
    s.refresh(program)
    names = {r.stage_id: r.form_name for r in program.reports}
    assert names["diagnosis"] == "Информационная справка"  # stages 1-3: the seed's «Информационная справка»
    assert names["reflection"] == NO_REPORT_FORM


# -- helpers: the curator's step as the page completes it ---------------------------------------------

def curator_step(demo: Demo, program, form: str):
    task = demo.task("curator", form, program.workflow_instance_id)
    return step_page.task_page(demo.session, demo.actor("curator"), task.instance_id, task.task_id)


def complete_curator_step(demo: Demo, program, form: str, values: dict) -> None:
    """What the step's page does: the domain's data from the form's values, then the step."""
    page = curator_step(demo, program, form)
    demo.complete("curator", form, step_completion.task_data(demo.session, page, values), program.workflow_instance_id)


def told(session, program) -> list[str]:
    return [f"{e.text} | {e.details}" for e in history.history(session, program_ids=[program.id],
                                                              instance_ids=[program.workflow_instance_id])]


# -- 003 §7.2: the extension agreed with the months and the reason in view -----------------------------

@BOTH
def test_the_extension_is_agreed_knowing_months_and_reason_and_the_curator_may_refuse(demo, db_session):
    s = db_session
    program = pair(demo)
    petitions.file_petition(s, demo.actor("novikova"), program.id, "extension", reason="длительная болезнь",
                            months=3, clock=demo.clock)
    s.commit()
    assert forms(s, program) == ["agree_extension"]  # the mentor's; novikova's petition is her consent
    mentor_page = views.stage_work(s, demo.actor("volkov"), program.id)
    assert [t.task.assignee_id for t in mentor_page.tasks] == [demo.person_id("volkov")]
    request = mentor_page.extension
    assert request is not None and (request.months, request.reason, request.initiator) == (3, "длительная болезнь",
                                                                                          "mentee")
    assert request.petitioner == demo.world.people["novikova"].full_name
    assert views.stage_work(s, demo.actor("novikova"), program.id).tasks == []  # not asked to agree to her own
    demo.complete("volkov", "agree_extension", {"agreed": True}, program.workflow_instance_id)

    page = curator_step(demo, program, "petition_extension")
    assert page.petition is not None and page.petition["extension_months"] == 3  # the form is prefilled from it
    with pytest.raises(NastavnikError, match="причину отказа"):
        step_completion.task_data(s, page, {"petitioned": False, "petition_refusal_reason": " "})
    complete_curator_step(demo, program, "petition_extension",
                          {"petitioned": False, "petition_refusal_reason": "Этап можно завершить в срок"})
    s.refresh(program)
    assert program.status == "active" and forms(s, program) == ["stage_work"]  # no order: the stage goes on
    refusals = views.stage_work(s, demo.actor("novikova"), program.id).refusals
    assert [(r.petition, r.reason) for r in refusals] == [("extension", "Этап можно завершить в срок")]
    assert any("Куратор отказал: ходатайство о продлении" in line and "Этап можно завершить в срок" in line
               for line in told(s, program))


# -- 003 §7.1: what was done decides what the curator may accept and state ----------------------------

@BOTH
def test_an_incomplete_stage_needs_a_reason_and_the_order_does_not_say_in_full(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    demo.complete("volkov", "stage_work", {"events_done": [], "report": "x"}, iid)
    page = curator_step(demo, program, "review_stage_report")
    assert page.stage_progress == (0, 4)  # the page shows what was done
    with pytest.raises(NastavnikError, match="выполнено 0 из 4 мероприятий"):
        demo.complete("curator", "review_stage_report", {"approved": True, "comment": ""}, iid)
    demo.complete("curator", "review_stage_report",
                  {"approved": True, "comment": "Диагностика проведена на совещании, без отдельных мероприятий"}, iid)
    assert any("принят при неполном выполнении этапа" in line and "выполнено 0 из 4 мероприятий" in line
               and "без отдельных мероприятий" in line for line in told(s, program))
    s.refresh(program)
    for _ in range(3):
        run_stage(demo, program, "volkov")
    page = curator_step(demo, program, "complete_program")
    assert page.roadmap_progress[0] < page.roadmap_progress[1] and page.default_ground == "improper_execution"
    with pytest.raises(NastavnikError, match="в полном объеме"):  # 003 §7.1's first ground, quoted
        complete_curator_step(demo, program, "complete_program",
                              {"final_report": "Итоги", "completion_ground": "plan_completed"})
    complete_curator_step(demo, program, "complete_program", {"final_report": "Итоги"})  # the page's default
    [order] = [o for o in program_orders(s, program) if o.type == "completion"]
    assert "в полном объ" not in order.body and "по инициативе куратора" in order.body
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    assert (program.status, program.completion_ground) == ("terminated", "improper_execution")


# -- 003 §7.1 third ground, §7.2: the curator's own petitions; a refused order reopens the stage ----------

@BOTH
def test_the_curator_petitions_herself_and_is_not_asked_again(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    curator = demo.actor("curator")
    assert {o.name: o.state for o in petitions.curator_options(s, curator, program)} == {
        "early_completion": "available", "extension": "available"}
    assert petitions.curator_options(s, demo.actor("volkov"), program) == []
    with pytest.raises(PermissionDenied):
        petitions.file_curator_petition(s, demo.actor("volkov"), program.id, "extension", reason="x", months=2)
    with pytest.raises(NastavnikError, match="месяцев от 0 до 24"):
        petitions.file_curator_petition(s, curator, program.id, "extension", reason="загрузка", months=25)
    with pytest.raises(NastavnikError, match="ничего не меняет"):  # 003 §7.2: nothing to extend or correct
        petitions.file_curator_petition(s, curator, program.id, "extension", reason="загрузка", months=0)
    petitions.file_curator_petition(s, curator, program.id, "extension", reason="загрузка наставника", months=2,
                                    clock=demo.clock)
    s.commit()
    assert views.stage_work(s, demo.actor("novikova"), program.id).extension.months == 2
    demo.complete("volkov", "agree_extension", {"agreed": True}, iid)  # both participants agree (003 §7.2)
    demo.complete("novikova", "agree_extension", {"agreed": True}, iid)
    assert forms(s, program) == ["sign_order"]  # her petition is made: straight to the head
    [order] = program_orders(s, program)
    assert order.type == "extension" and "загрузка наставника" in order.body
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    assert program.status == "extended"

    petitions.file_curator_petition(s, curator, program.id, "early_completion", reason="наставляемая не выходит на связь",
                                    clock=demo.clock)
    s.commit()
    assert forms(s, program) == ["sign_order"]  # not asked to decide her own initiative
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    assert (program.status, program.completion_ground) == ("terminated", "improper_execution")
    # her grounds «войдут в приказ», as the form says: the signed order states the note the program keeps
    completion = program_orders(s, program)[-1]
    assert completion.type == "completion" and program.completion_note == "наставляемая не выходит на связь"
    assert "(наставляемая не выходит на связь)" in completion.body


@BOTH
def test_after_a_refused_completion_order_the_curator_reopens_the_last_stage(demo, db_session):
    s = db_session
    program = pair(demo)
    iid = program.workflow_instance_id
    for _ in range(4):
        run_stage(demo, program, "volkov")
    complete_curator_step(demo, program, "complete_program", {"final_report": "Итоги"})
    demo.complete("head", "sign_order", {"signed": False, "refusal_reason": "Нет анализа по этапу 4"}, iid)
    page = curator_step(demo, program, "complete_program")
    assert page.refusal is not None and page.refusal.refusal_reason == "Нет анализа по этапу 4"
    with pytest.raises(NastavnikError, match="доработать"):
        step_completion.task_data(s, page, {"reopen_stage": True, "reopen_reason": ""})
    complete_curator_step(demo, program, "complete_program", {"reopen_stage": True, "reopen_reason": "Добавьте анализ"})
    s.refresh(program)
    assert forms(s, program) == ["stage_work"] and program.current_stage_id == "reflection"
    last = [r for r in program.reports if r.stage_id == "reflection"][-1]
    assert last.status == "returned" and "Добавьте анализ" in last.review_comment
    run_stage(demo, program, "volkov")
    assert [r.attempt for r in program.reports if r.stage_id == "reflection"] == [1, 2]
    complete_curator_step(demo, program, "complete_program", {"final_report": "Итоги с анализом"})
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    assert (program.status, program.completion_ground) == ("completed", "plan_completed")
