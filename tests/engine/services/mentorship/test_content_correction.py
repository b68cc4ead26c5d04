"""003 §7.2: «… возможно продление срока реализации персонализированной программы наставничества ИЛИ корректировка
ее содержания (например, плана мероприятий, формы наставничества)». In Tomsk (pack ``petitions[].content: [plan,
form]``) the mentee petitions with no added months: the plan correction the curator approved and a new form of
mentorship; the mentor agrees, the curator petitions, the head signs an order «о корректировке содержания» without a
new end date — the program keeps its term, takes the new form and the order lists the changed events. An empty
correction, a form the pack does not name or that does not fit the mentee, and a content-only petition where the
pack does not allow one are refused in Russian."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from engine.errors import NastavnikError
from engine.regulations import PACKS_DIRECTORY, PackError, load_pack_files, pack, read_folder, shipped_packs
from engine.services.audit import history
from engine.services.mentorship import content_correction, petitions, plan_decisions, plan_drafts
from engine.services.mentorship.plan_changes import PlanChange
from engine.services.monitoring import analytic_figures
from tests.engine.services.mentorship.test_lifecycle_decisions import complete_curator_step
from tests.engine.services.mentorship.test_lifecycle_paths import program_orders
from tests.engine.services.mentorship.test_participant_work import BOTH, pair


def _approved_correction(demo, program):
    """The mentor moves event 2.2, the mentee agrees, the curator approves (003 §4.2, §5.1, §7.2)."""
    s = demo.session
    event = next(e for e in program.events if e.number == "2.2")
    plan_drafts.add_change(s, demo.actor("volkov"), program.id,
                    PlanChange("move", "совпадает с педсоветом", event_id=event.id, due_on=date(2025, 3, 20)),
                    clock=demo.clock)
    correction = plan_drafts.propose(s, demo.actor("volkov"), program.id, clock=demo.clock)
    plan_decisions.agree(s, demo.actor("novikova"), program.id, correction.id, agreed=True)
    plan_decisions.decide(s, demo.actor("curator"), program.id, correction.id, approved=True, clock=demo.clock)
    s.commit()
    return correction


@BOTH
def test_a_content_only_correction_goes_to_an_order_without_a_new_end_date(demo, db_session):
    s = db_session
    program = pair(demo)
    novikova = demo.actor("novikova")
    assert program.group.form == "head_head" and content_correction.content_allowed(program) == ("plan", "form")
    end_before, iid = program.planned_end_on, program.workflow_instance_id
    # nothing to correct yet: no months, no approved plan change, no new form
    with pytest.raises(NastavnikError, match="ничего не меняет") as empty:
        petitions.file_petition(s, novikova, program.id, "extension", reason="смена формата", months=0)
    assert empty.value.where == "months"
    # the new form must be one of the pack's (003 §2.4) and fit the mentee's category
    with pytest.raises(NastavnikError, match="не предусматривает форму") as unknown:
        petitions.file_petition(s, novikova, program.id, "extension", reason="x", months=0, new_form="teacher_teacher")
    assert unknown.value.where == "new_form"
    with pytest.raises(NastavnikError, match="не для категории"):
        petitions.file_petition(s, novikova, program.id, "extension", reason="x", months=0, new_form="reservist_head")
    with pytest.raises(NastavnikError, match="уже идёт в форме"):
        petitions.file_petition(s, novikova, program.id, "extension", reason="x", months=0, new_form="head_head")
    assert ("reservist_head" not in dict(content_correction.form_choices(program))
            and "virtual" in dict(content_correction.form_choices(program)))

    correction = _approved_correction(demo, program)
    petitions.file_petition(s, novikova, program.id, "extension", reason="наставник переезжает: встречи онлайн",
                            months=0, new_form="virtual", clock=demo.clock)
    s.commit()
    asked = petitions.extension_request(s, program)
    assert asked is not None and (asked.months, asked.new_form, asked.plan_changes) == (
        0, "Виртуальное (дистанционное) наставничество", 1)
    demo.complete("volkov", "agree_extension", {"agreed": True}, iid)
    complete_curator_step(demo, program, "petition_extension",
                          {"petitioned": True, "extension_months": 0, "justification": "встречи онлайн"})
    [order] = [o for o in program_orders(s, program) if o.type == "extension"]
    assert order.subject == "О корректировке содержания персонализированной программы наставничества"
    assert "Продлить срок" not in order.body and "до " + end_before.strftime("%d.%m.%Y") not in order.body
    assert ("форму наставничества – Виртуальное (дистанционное) наставничество (ранее – «руководитель – "
            "руководитель»)") in order.body
    assert "Внести изменения в план мероприятий указанной" in order.body and "стало – срок — 20.03.2025" in order.body
    assert "  " not in order.body.replace("\n  ", "\n")  # no doubled spaces from the template's choices

    extended_before = extended_count(s, program)
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    s.refresh(correction)
    assert program.status == "active" and program.planned_end_on == end_before  # corrected, not extended
    assert program.group.form == "virtual" and correction.order_id == order.id
    told = [f"{e.text} | {e.details}" for e in history.history(s, program_ids=[program.id])]
    assert any("Форма наставничества изменена приказом" in line and "«руководитель – руководитель»" in line
               and "стало — Виртуальное" in line for line in told)
    assert not any("Срок программы продлён" in line for line in told)
    # the monitoring counts extensions of the term only: this order corrects the content (003 §7.2 «или»)
    assert order.extends_term is False and extended_count(s, program) == extended_before


def extended_count(s, program) -> int:
    """The analytic report's «продлено» for the program's organization over the whole demo's years."""
    return analytic_figures.programs(s, [program.group.organization_id], date(2020, 1, 1), date(2035, 12, 31))["extended"]


@BOTH
def test_months_and_a_new_form_together_and_the_curator_s_own_correction(demo, db_session):
    s = db_session
    program = pair(demo)
    curator = demo.actor("curator")
    with pytest.raises(NastavnikError, match="ничего не меняет"):
        petitions.file_curator_petition(s, curator, program.id, "extension", reason="x", months=0)
    petitions.file_curator_petition(s, curator, program.id, "extension", reason="загрузка наставника", months=2,
                                    new_form="situational", clock=demo.clock)
    s.commit()
    iid = program.workflow_instance_id
    demo.complete("volkov", "agree_extension", {"agreed": True}, iid)
    demo.complete("novikova", "agree_extension", {"agreed": True}, iid)
    [order] = [o for o in program_orders(s, program) if o.type == "extension"]
    assert order.subject == "О продлении (изменении) персонализированной программы наставничества"
    assert "Продлить срок реализации" in order.body and "форму наставничества – Ситуационное наставничество" in order.body
    extended_before = extended_count(s, program)
    demo.complete("head", "sign_order", {"signed": True}, iid)
    s.refresh(program)
    assert program.status == "extended" and program.group.form == "situational"
    assert order.extends_term is True and extended_count(s, program) == extended_before + 1


@BOTH
def test_a_pack_without_content_corrections_asks_for_months(demo, db_session, monkeypatch):
    s = db_session
    program = pair(demo)
    tomsk = pack("tomsk")
    petitions_without = tuple(dataclasses.replace(p, content=()) if p.kind == "extension" else p
                              for p in tomsk.petitions)
    monkeypatch.setitem(shipped_packs(), "tomsk", dataclasses.replace(tomsk, petitions=petitions_without))
    assert content_correction.form_choices(program) == [] and content_correction.months_range(program) == (1, 24)
    with pytest.raises(NastavnikError, match="от 1 до 12"):
        petitions.file_petition(s, demo.actor("novikova"), program.id, "extension", reason="x", months=0)
    with pytest.raises(NastavnikError, match="не предусматривает изменение формы"):
        petitions.file_petition(s, demo.actor("novikova"), program.id, "extension", reason="x", months=2,
                                new_form="virtual")


def test_the_pack_names_what_a_petition_may_correct():
    files = read_folder(PACKS_DIRECTORY / "tomsk")
    text = files["pack.yaml"].decode()
    assert "content: [plan, form]}" in text
    bad = text.replace("content: [plan, form]}", "content: [plan, timetable]}").replace(
        '{kind: early_completion, decided_by: curator, clause: "003 §7.1"}',
        '{kind: early_completion, decided_by: curator, clause: "003 §7.1", content: [plan]}')
    with pytest.raises(PackError) as problems:
        load_pack_files("tomsk", {**files, "pack.yaml": bad.encode()})
    said = " | ".join(f"{p.field}: {p.message}" for p in problems.value.problems)
    assert "неизвестное содержание «timetable»" in said and "только ходатайство extension" in said
