"""A college bound to the pack «college» (002, Положение о системе наставничества педагогических работников
КГБПОУ «Бийский техникум лесного хозяйства») runs a personalized program end to end through the engine: a teacher
is appointed mentor (002 §3.1: наставники – педагоги), a young specialist enters the base (002 §1.1), the pair
«педагог – педагог» (002 §4.1.5) is approved by the director's order with the college's wording, the program
runs the three stages of the college's roadmap (6 months: within 002 §1.2's 3 months to 1 year) and is completed
by the director's order."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from engine import regulations
from engine.db.models import MentorAppointment, Order
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.regulations import pack
from tests.engine.services.mentorship.test_school_001 import stage
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
START = datetime(2025, 9, 16, 9, 0, tzinfo=UTC)


def college(session) -> tuple[PackWorld, dict]:
    world = PackWorld(session, "college", START, kind="college",
                      name="КГБПОУ «Бийский техникум лесного хозяйства»", short_name="БТЛХ")
    people = {
        "lesnikova": world.person("Лесникова Анна Ивановна", position="преподаватель", participant_kind="pedagogue"),
        "kedrov": world.person("Кедров Павел Андреевич", position="преподаватель", participant_kind="pedagogue"),
        "student": world.person("Соснин Илья", position="студент", participant_kind="student"),
    }
    session.commit()
    return world, people


def test_the_college_pack_says_what_002_sets_and_what_the_college_chose():
    regulation = pack("college")
    assert regulation.organization_kinds == ("college",)
    assert regulation.program_term_limits == (3, 12)  # 002 §1.2: от 3 месяцев до 1 года
    assert regulation.program_term_months == regulation.roadmap("college_personal").total_planned_months == 6
    assert regulation.roles["tutor"].label == "Тьютор ЦНППМ" and regulation.roles["tutor"].clause == "002 §4.2.2"
    assert {f.id for f in regulation.mentorship_forms} >= {"teacher_teacher", "head_teacher", "reverse", "speed"}
    assert [i.stage for i in regulation.report_indicators].count("impact") == 5  # 002 §5 (2)
    assert regulation.petitions == ()  # 002 names none


@BOTH
def test_a_college_runs_a_personalized_program_by_002(db_session):
    s = db_session
    world, p = college(s)
    with pytest.raises(NastavnikError):  # 002 §3.1: наставники – педагоги
        world.appoint(p["student"])
    s.rollback()
    world.appoint(p["lesnikova"])
    [appointment] = s.scalars(select(MentorAppointment))
    assert (appointment.starts_on, appointment.ends_on) == (date(2025, 9, 16), date(2026, 8, 31))
    order = s.scalars(select(Order).where(Order.type == "appointment_of_mentors")).one()
    assert "Положением о системе наставничества педагогических работников в КГБПОУ" in order.body

    world.register(p["kedrov"], "young_specialist")
    [program] = world.pair(p["lesnikova"], [p["kedrov"]], "teacher_teacher")
    assert (program.roadmap_id, program.current_stage_id, program.planned_end_on) == (
        "college_personal", "plan", date(2026, 3, 15))  # 6 months, through the day before
    pairs = s.scalars(select(Order).where(Order.type == "pair_formation")).one()
    assert "по формам наставничества, установленным п. 4.1.5 Положения" in pairs.body
    assert "(6 месяцев)" in pairs.body
    # 002 §4.1.5 names the form «педагог – педагог»: the order prints the pack's label, not the system's word
    assert "форма наставничества – «педагог – педагог»" in pairs.body and "учитель" not in pairs.body
    assert regulations.form_label(program.group.organization, "teacher_teacher") == "«педагог – педагог»"

    for stage_id in ("plan", "practice", "monitoring"):
        s.refresh(program)
        assert program.current_stage_id == stage_id
        stage(world, program, p["lesnikova"])
    world.complete(world.curator, FormId.COMPLETE_PROGRAM,
                   {"final_report": "Персонализированная программа выполнена.", "completion_ground": "plan_completed",
                    "reopen_stage": False}, program.workflow_instance_id)
    world.complete(world.head, FormId.SIGN_ORDER, {"signed": True}, program.workflow_instance_id)
    s.refresh(program)
    assert program.status == "completed"
    completion = s.scalars(select(Order).where(Order.type == "completion")).one()
    assert completion.status == "signed"
    assert "О завершении персонализированной программы наставничества" in completion.body
    assert "«педагог – педагог»" in completion.body and "«учитель – учитель»" not in completion.body


def test_the_program_term_limits_are_checked_when_the_pack_loads(tmp_path):
    """002 §1.2 «от 3 месяцев до 1 года»: program.min_months / max_months bound the standard term; a term outside
    them, bounds reversed or not whole months are refused naming the field."""
    from engine.regulations import PackError, load_pack
    from tests.engine.regulations.test_packs import _copy, _edit

    folder = _copy(tmp_path, "college")

    def term(**program):
        _edit(folder, lambda data: data["program"].update(program))

    term(term_months=13)
    with pytest.raises(PackError, match=r"срок программы 13 мес\. вне пределов положения: от 3 до 12 мес\.") as caught:
        load_pack(folder)
    assert ("college/pack.yaml", "program.term_months") in [(p.file, p.field) for p in caught.value.problems]
    term(term_months=6, min_months=12, max_months=3)
    with pytest.raises(PackError, match="наименьший срок"):
        load_pack(folder)
    term(min_months="три", max_months=12)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert "program.min_months" in [p.field for p in caught.value.problems]
