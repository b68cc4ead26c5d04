"""Plans people author (issue 18 item 3, 003 §7.2 «корректировка ее содержания (плана мероприятий …)»): the
mentor proposes adding, moving and replacing events, the mentee agrees (003 §7.2 «по обоюдному согласию»),
the curator returns the correction with a reason, the mentor proposes it again, the curator approves — only
then do the program's events change, in its history — and the next extension order lists the changed events."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from engine.db.models import RoadmapEventRecord
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.regulations.roadmaps import Roadmap
from engine.services.audit import history
from engine.services.mentorship import petitions, plan_access, plan_decisions, plan_drafts, plan_order_rows, programs
from engine.services.mentorship.plan_changes import PlanChange
from tests.engine.services.mentorship.test_lifecycle_decisions import complete_curator_step
from tests.engine.services.mentorship.test_lifecycle_paths import program_orders
from tests.engine.services.mentorship.test_participant_work import BOTH, SQLITE, pair


def _event(program, number: str) -> RoadmapEventRecord:
    return next(e for e in program.events if e.number == number)


def _changes(program) -> list[PlanChange]:
    consultation_end = max(e.due_on for e in program.events if e.stage_id == "consultation")
    return [
        PlanChange("add", "запрос наставляемой на тему ВПР", stage_id="consultation",
                   name="Консультация по теме: «Анализ результатов ВПР»", due_on=date(2025, 4, 10)),
        PlanChange("move", "совпадает с педсоветом", event_id=_event(program, "2.2").id, due_on=date(2025, 3, 20)),
        PlanChange("replace", "тема уже изучена на курсах", event_id=_event(program, "2.3").id,
                   name="Консультация по теме: «Управление качеством»", due_on=consultation_end),
    ]


@BOTH
def test_a_correction_from_the_mentor_s_proposal_to_the_extension_order(demo, db_session):
    s = db_session
    program = pair(demo)
    volkov, novikova, curator = demo.actor("volkov"), demo.actor("novikova"), demo.actor("curator")
    moved_before = _event(program, "2.2").due_on
    for change in _changes(program):
        correction = plan_drafts.add_change(s, volkov, program.id, change, clock=demo.clock)
    assert correction.status == "draft" and len(correction.changes) == 3
    with pytest.raises(ConflictError, match="другого участника"):  # one correction in work at a time
        plan_drafts.add_change(s, novikova, program.id, _changes(program)[0], clock=demo.clock)
    plan_drafts.propose(s, volkov, program.id, clock=demo.clock)
    assert correction.status == "proposed" and plan_access.waiting_for(correction, program) == [demo.person_id("novikova")]
    with pytest.raises(PermissionDenied):  # the curator decides only once both participants agreed
        plan_decisions.decide(s, demo.actor("volkov"), program.id, correction.id, approved=True)
    with pytest.raises(ConflictError, match="не ждёт решения"):
        plan_decisions.decide(s, curator, program.id, correction.id, approved=True, clock=demo.clock)
    plan_decisions.agree(s, novikova, program.id, correction.id, agreed=True)
    assert correction.status == "agreed" and plan_decisions.awaiting_curator(s, curator) == [correction]
    with pytest.raises(NastavnikError, match="причину возврата"):
        plan_decisions.decide(s, curator, program.id, correction.id, approved=False, reason=" ")
    plan_decisions.decide(s, curator, program.id, correction.id, approved=False, reason="Не меняйте тему 2.3: она в приказе")
    s.commit()
    assert correction.status == "returned" and _event(program, "2.2").due_on == moved_before  # nothing changed yet
    plan_drafts.remove_change(s, volkov, program.id, 3)  # the mentor keeps 2.3 and proposes again
    plan_drafts.propose(s, volkov, program.id, clock=demo.clock)
    plan_decisions.agree(s, novikova, program.id, correction.id, agreed=True)
    plan_decisions.decide(s, curator, program.id, correction.id, approved=True, clock=demo.clock)
    s.commit()
    s.refresh(program)
    assert (correction.status, correction.attempt) == ("approved", 2)
    assert _event(program, "2.2").due_on == date(2025, 3, 20)
    added = _event(program, "2.10")
    assert (added.stage_id, added.name, added.due_on) == ("consultation", "Консультация по теме: «Анализ результатов ВПР»",
                                                          date(2025, 4, 10))
    numbers = [e.number for e in program.events]
    assert numbers.index("2.10") == numbers.index("2.9") + 1  # after the stage's last event, before stage 3
    told = [f"{e.text} | {e.details}" for e in history.history(s, program_ids=[program.id])]
    assert any("утвердил корректировку плана" in line and "2.2" in line and "20.03.2025" in line for line in told)
    assert any("вернул корректировку плана" in line and "Не меняйте тему 2.3" in line for line in told)

    # 003 §7.2: the extension order lists the changed events instead of a free-text line
    iid = program.workflow_instance_id
    petitions.file_petition(s, novikova, program.id, "extension", reason="длительная болезнь", months=2,
                            clock=demo.clock)
    s.commit()
    demo.complete("volkov", "agree_extension", {"agreed": True}, iid)
    complete_curator_step(demo, program, "petition_extension", {"petitioned": True, "extension_months": 2, "justification": "болезнь наставляемой"})
    [order] = [o for o in program_orders(s, program) if o.type == "extension"]
    assert "Внести изменения в план мероприятий" in order.body
    assert ("2.2 «" in order.body and "было – срок — " in order.body and "стало – срок — 20.03.2025" in order.body
            and "причина – совпадает с педсоветом" in order.body)
    assert "2.10 «Консультация по теме: «Анализ результатов ВПР»»: было – —; стало – добавлено" in order.body
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    s.refresh(correction)
    assert program.status == "extended" and correction.order_id == order.id
    assert plan_order_rows.order_rows(s, program) == []  # listed once
    assert _event(program, "2.2").due_on < _event(program, "2.1").due_on  # moved with its stage, still earlier


@BOTH
def test_strangers_dates_outside_the_term_and_untrusted_ids_are_refused(demo, db_session):
    s = db_session
    program = pair(demo)
    volkov = demo.actor("volkov")
    demo.appoint("morozova")
    change = _changes(program)[1]
    for outsider in ("morozova", "curator"):
        with pytest.raises(PermissionDenied, match="только её наставник и наставляемые"):
            plan_drafts.add_change(s, demo.actor(outsider), program.id, change, clock=demo.clock)
    with pytest.raises(NotFound):
        plan_drafts.add_change(s, volkov, 999999, change, clock=demo.clock)
    with pytest.raises(NastavnikError, match=r"Изменение 1 \(мероприятие 2\.2\): срок 01\.01\.2030 вне срока реализации"):
        plan_drafts.add_change(s, volkov, program.id, dataclasses.replace(change, due_on=date(2030, 1, 1)), clock=demo.clock)
    with pytest.raises(NastavnikError, match=r"вне этапа «2\. ЭТАП"):  # stage order: not into stage 3's months
        plan_drafts.add_change(s, volkov, program.id, dataclasses.replace(change, due_on=date(2025, 9, 1)), clock=demo.clock)
    other = pair(demo, "morozova", "orlova")
    with pytest.raises(NastavnikError, match=f"нет мероприятия №{other.events[0].id}"):
        plan_drafts.add_change(s, volkov, program.id, dataclasses.replace(change, event_id=other.events[0].id),
                        clock=demo.clock)
    with pytest.raises(NastavnikError, match="укажите причину"):
        plan_drafts.add_change(s, volkov, program.id, dataclasses.replace(change, reason=" "), clock=demo.clock)
    with pytest.raises(NastavnikError, match="не отмечает мероприятие как необязательное"):
        plan_drafts.add_change(s, volkov, program.id, PlanChange("remove", "лишнее", event_id=_event(program, "2.4").id),
                        clock=demo.clock)
    assert plan_access.open_correction(s, program) is None or plan_access.open_correction(s, program).changes == []


@SQLITE
def test_the_roadmap_s_frame_kinds_limits_and_optional_events(demo, db_session, monkeypatch):
    s = db_session
    program = pair(demo)
    volkov = demo.actor("volkov")
    real: Roadmap = programs.roadmap(program.roadmap_id)
    stages = tuple(dataclasses.replace(st, kinds=("Консультация", "Семинар"), max_added=1) if st.id == "consultation"
                   else dataclasses.replace(st, events=tuple(dataclasses.replace(e, optional=e.number == "3.1")
                                                             for e in st.events)) for st in real.stages)
    framed = dataclasses.replace(real, stages=stages)
    monkeypatch.setattr(programs, "roadmap", lambda roadmap_id: framed)
    add = PlanChange("add", "запрос", stage_id="consultation", kind="Стажировка", name="x", due_on=date(2025, 4, 1))
    with pytest.raises(NastavnikError, match="вид мероприятия «Стажировка» не предусмотрен.*допустимы: Консультация, Семинар"):
        plan_drafts.add_change(s, volkov, program.id, add, clock=demo.clock)
    plan_drafts.add_change(s, volkov, program.id, dataclasses.replace(add, kind="Семинар"), clock=demo.clock)
    with pytest.raises(NastavnikError, match="не более 1 добавленных"):
        plan_drafts.add_change(s, volkov, program.id, dataclasses.replace(add, kind="Семинар", name="y"), clock=demo.clock)
    plan_drafts.add_change(s, volkov, program.id, PlanChange("remove", "проведено в другой форме",
                                                      event_id=_event(program, "3.1").id), clock=demo.clock)
    plan_drafts.propose(s, volkov, program.id, clock=demo.clock)
    [correction] = plan_access.corrections(s, program)
    plan_decisions.agree(s, demo.actor("novikova"), program.id, correction.id, agreed=True)
    plan_decisions.decide(s, demo.actor("curator"), program.id, correction.id, approved=True, clock=demo.clock)
    assert _event(program, "2.10").name == "Семинар: x"
    assert (_event(program, "3.1").status, _event(program, "3.1").note) == ("skipped", "исключено из плана: проведено в другой форме")
