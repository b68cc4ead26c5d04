"""A teacher of МКОУ ВСОШ № 8 (000) writes the individual plan of professional development (ИППР, 000 §2.2) for the
academic year with the mentor of the management team: the curator (the mentor-head, 000 §4.4) opens it; the teacher
and the mentor add items to the eight sections of 000 §2.2; the mentor agrees it, the head returns it once for
rework and then approves it (000 §4.3: decisions agreed with the administration); at the year's end each item is
marked done or not with its result and the mentor closes the year. Out-of-order and forbidden actions are refused in
Russian naming the section or the item; the plan prints as DOCX and PDF."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import AccessLogEntry, AuditEntry, DevelopmentPlan
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.development_plans import access, items, pages, permissions, plans, states
from engine.services.development_plans.items import ItemData
from tests.engine.services.mentorship.test_college_002 import college
from tests.engine.services.mentorship.test_vsosh_000 import vsosh

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


def item(section: str, what: str, due_on: str = "2025-12-20", expected: str = "Результат") -> ItemData:
    return ItemData(section=section, what=what, due_on=due_on, expected_result=expected)


@BOTH
def test_a_teacher_s_plan_from_draft_to_the_year_s_results(db_session):  # noqa: PLR0915 - one story
    s = db_session
    world, p = vsosh(s)
    org = world.organization.id
    curator, head = world.actor(world.curator), world.actor(world.head)
    teacher, mentor, other = world.actor(p["lipin"]), world.actor(p["kedrova"]), world.actor(p["sosnina"])

    with pytest.raises(PermissionDenied, match="наставник-руководитель"):
        plans.open_plan(s, teacher, org, p["lipin"].id, p["kedrova"].id)
    with pytest.raises(NastavnikError, match="член управленческой команды"):  # a student holds no role
        plans.open_plan(s, curator, org, p["lipin"].id, p["student"].id)
    with pytest.raises(NastavnikError, match="не самого педагога"):
        plans.open_plan(s, curator, org, p["lipin"].id, p["lipin"].id)
    with pytest.raises(NastavnikError, match=r"текущий \(2025/2026\) или следующий"):
        plans.open_plan(s, curator, org, p["lipin"].id, p["kedrova"].id, academic_year=2024)
    plan = plans.open_plan(s, curator, org, p["lipin"].id, p["kedrova"].id)
    assert (plan.state, plan.starts_on, plan.ends_on, plan.year_label) == (
        "draft", date(2025, 9, 1), date(2026, 8, 31), "2025/2026")  # школьный год: 1 сентября – 31 августа
    with pytest.raises(ConflictError, match="уже есть ИППР"):
        plans.open_plan(s, curator, org, p["lipin"].id, p["sosnina"].id)

    with pytest.raises(PermissionDenied, match="видят педагог, его наставник"):
        items.add_item(s, other, plan.id, item("self_education", "Курс"))
    with pytest.raises(PermissionDenied, match="вносить пункты ИППР могут педагог и его наставник"):
        items.add_item(s, curator, plan.id, item("self_education", "Курс"))
    with pytest.raises(NastavnikError, match="нет раздела «hobby»; разделы \\(000 §2.2\\): «Самообразование»"):
        items.add_item(s, teacher, plan.id, item("hobby", "Рыбалка"))
    with pytest.raises(NastavnikError, match="Раздел «Конкурсная деятельность»: срок 01.09.2026 — вне учебного года"):
        items.add_item(s, teacher, plan.id, item("contests", "Конкурс «Учитель года»", "2026-09-01"))
    with pytest.raises(NastavnikError, match="Раздел «Самообразование»: ожидаемый результат: заполните поле"):
        items.add_item(s, teacher, plan.id, item("self_education", "Курс", expected=" "))
    with pytest.raises(NastavnikError, match="ожидается дата в виде ГГГГ-ММ-ДД"):
        items.add_item(s, teacher, plan.id, item("self_education", "Курс", "20.12.2025"))
    with pytest.raises(NastavnikError, match="пуст"):
        states.agree(s, mentor, plan.id)
    course = items.add_item(s, teacher, plan.id, item("self_education", "Изучить технологию смыслового чтения",
                                                      "2025-12-20", "Конспект и открытый урок"))
    contest = items.add_item(s, mentor, plan.id, item("contests", "Участие в конкурсе «Педагог года»", "2026-03-15",
                                                      "Участие в муниципальном этапе"))
    spare = items.add_item(s, teacher, plan.id, item("experience", "Статья", "2026-05-01", "Публикация"))
    items.change_item(s, teacher, plan.id, spare.id, item("experience", "Статья о смысловом чтении", "2026-05-20",
                                                          "Публикация в сборнике"))
    items.remove_item(s, mentor, plan.id, spare.id)
    assert [i.section for i in plan.items] == ["self_education", "contests"]

    with pytest.raises(PermissionDenied, match="согласует наставник"):
        states.agree(s, teacher, plan.id)
    with pytest.raises(ConflictError, match="ещё не согласован наставником"):
        states.approve(s, head, plan.id)
    states.agree(s, mentor, plan.id)
    assert (plan.state, plan.agreed_by_id) == ("agreed", p["kedrova"].id)
    with pytest.raises(ConflictError, match="пункт «Участие в конкурсе «Педагог года»» раздела «Конкурсная "
                                            "деятельность»: план — согласован наставником"):
        items.remove_item(s, teacher, plan.id, contest.id)
    with pytest.raises(PermissionDenied, match="администрация"):
        states.approve(s, curator, plan.id)
    with pytest.raises(NastavnikError, match="Причина возврата"):
        states.return_to_draft(s, head, plan.id, "")
    states.return_to_draft(s, head, plan.id, "Добавьте повышение квалификации")
    assert plan.state == "draft" and plan.agreed_on is None
    items.add_item(s, teacher, plan.id, item("qualification", "КПК «Функциональная грамотность»", "2026-02-10",
                                             "Удостоверение о повышении квалификации"))
    states.agree(s, mentor, plan.id)
    with pytest.raises(ConflictError, match="выполнение отмечается в утверждённом плане"):
        items.mark_item(s, teacher, plan.id, course.id, "done", "Проведён открытый урок")
    states.approve(s, head, plan.id)
    assert (plan.state, plan.approved_by_id, plan.returned_note) == ("approved", world.head.id, None)

    with pytest.raises(NastavnikError, match="отметьте «выполнено» или «не выполнено»"):
        items.mark_item(s, teacher, plan.id, course.id, "half", "—")
    with pytest.raises(NotFound, match="нет пункта № 999"):
        items.mark_item(s, teacher, plan.id, 999, "done", "—")
    items.mark_item(s, teacher, plan.id, course.id, "done", "Проведён открытый урок 18.12.2025")
    with pytest.raises(ConflictError, match="не отмечено выполнение: пункт «КПК «Функциональная грамотность»» раздела "
                                            "«Планы повышения квалификации и аттестации»; пункт «Участие в конкурсе "
                                            "«Педагог года»» раздела «Конкурсная деятельность»"):
        states.close(s, mentor, plan.id, "Год прошёл продуктивно")
    for row in plan.items:
        if row.outcome is None:
            items.mark_item(s, mentor, plan.id, row.id, "not_done" if row.section == "contests" else "done",
                            "Конкурс перенесён" if row.section == "contests" else "Удостоверение получено")
    with pytest.raises(PermissionDenied, match="наставник педагога или куратор"):
        states.close(s, teacher, plan.id, "Итоги")
    states.close(s, mentor, plan.id, "План выполнен на две трети; конкурс — в следующем году.")
    assert plan.state == "closed"
    with pytest.raises(ConflictError, match="итоги года подведены"):
        items.mark_item(s, teacher, plan.id, course.id, "not_done", "передумал")

    page = pages.plan_page(s, head, plan.id)
    assert [v.label for v in page.sections][0] == "Самообразование" and len(page.sections) == 8
    assert not (page.may_write or page.may_approve or page.may_close)
    for kind, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        made = pages.plan_file(s, mentor, plan.id, kind)
        assert made.data.startswith(magic) and made.file_name == f"ippr-{plan.id}-2025.{kind}"
    s.commit()
    actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("ippr.%")).order_by(AuditEntry.id)))
    assert actions[:2] == ["ippr.opened", "ippr.item_added"] and actions[-1] == "ippr.closed"
    assert "ippr.returned" in actions and "ippr.approved" in actions
    assert s.scalar(select(AccessLogEntry).where(AccessLogEntry.subject_id == p["lipin"].id)) is not None

    with pytest.raises(PermissionDenied, match="видят педагог"):
        permissions.plan_for(s, other, plan.id)
    assert access.concerns(s, teacher) and access.concerns(s, head) and not access.concerns(s, other)
    lists = pages.plan_lists(s, curator)
    assert [p_.id for p_ in lists.organization] == [plan.id] and [o.id for o in lists.openable] == [org]


def test_the_docx_carries_the_sections_and_the_results(db_session):
    """The document lists every section of 000 §2.2 (an empty one says so) and the marked results."""
    from io import BytesIO

    from docx import Document

    s = db_session
    world, p = vsosh(s)
    curator, teacher = world.actor(world.curator), world.actor(p["lipin"])
    plan = plans.open_plan(s, curator, world.organization.id, p["lipin"].id, p["kedrova"].id)
    items.add_item(s, teacher, plan.id, item("innovation", "Проект «Цифровой класс»", "2026-04-01", "Презентация"))
    text = "\n".join(par.text for par in Document(BytesIO(pages.plan_file(s, teacher, plan.id, "docx").data))
                     .paragraphs)
    assert "Индивидуальный план профессионального развития педагога" in text and "на 2025/2026 учебный год" in text
    assert "5. Инновационная деятельность" in text and text.count("Пунктов нет.") == 7
    assert "СОГЛАСОВАНО наставником: —" in text


def test_an_organization_without_ippr_in_its_regulation_cannot_open_one(db_session):
    s = db_session
    world, p = college(s)  # 002 names no ИППР (it has the ИОМ)
    with pytest.raises(NastavnikError, match="не предусматривает индивидуальных планов профессионального развития"):
        plans.open_plan(s, world.actor(world.curator), world.organization.id, p["kedrov"].id, p["lesnikova"].id)
    assert s.scalar(select(DevelopmentPlan)) is None
    assert not access.concerns(s, world.actor(world.curator))
