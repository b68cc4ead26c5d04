"""A school bound to the pack «vsosh» (000, Положение об управленческой системе наставничества МКОУ ВСОШ № 8
г. Томска) runs its mentorship end to end through the engine: a pedagogical worker is appointed mentor (000 §1.3:
наставники — все педагогические работники школы; a student is refused), a class teacher enters the base
(000 §2.1), the pair «педагог – педагог» is approved by the director's order, the program runs the three stages of
the school's roadmap composed of 000 §2.2 (моделирование и планирование; организация, руководство, мотивация;
контроль и анализ) and is completed; the council of mentors (000 §4–5) holds a session facilitated by the
mentor-head (000 §4.4), its protocol is signed and the administration agrees the decision (000 §4.3), and the
protocol is kept 12 months (000 §5.3)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from engine.db.models import MentorAppointment, Order
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.regulations import pack
from engine.services.council import base, protocol, sessions
from tests.engine.services.mentorship.test_school_001 import stage
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
START = datetime(2025, 9, 16, 9, 0, tzinfo=UTC)
SECTIONS = ["самообразование", "формирование профессионально значимых качеств учителя",
            "развитие воспитательного потенциала в классном руководстве",
            "рост профессионального мастерства в направлениях методической и организационной работы по реализации "
            "программ предметной области", "инновационная деятельность", "планы повышения квалификации и аттестации",
            "обобщение педагогического опыта", "конкурсная деятельность"]


def vsosh(session) -> tuple[PackWorld, dict]:
    world = PackWorld(session, "vsosh", START, name="МКОУ ВСОШ № 8 г. Томска", short_name="ВСОШ № 8")
    people = {
        "kedrova": world.person("Кедрова Анна Ивановна", "mentor", position="учитель истории",
                                participant_kind="pedagogue"),
        "lipin": world.person("Липин Павел Андреевич", "mentor", position="классный руководитель 10 класса",
                              participant_kind="pedagogue"),
        "sosnina": world.person("Соснина Вера Олеговна", "mentor", position="учитель химии",
                                participant_kind="pedagogue"),
        "student": world.person("Ельцов Илья", position="учащийся 11 класса", participant_kind="student"),
    }
    session.commit()
    return world, people


def test_the_vsosh_pack_says_what_000_sets_and_what_the_school_chose():
    regulation = pack("vsosh")
    assert (regulation.seed, regulation.organization_kinds) == ("000", ("school",))
    assert regulation.roles["curator"].label == "Наставник – руководитель"  # 000 §4.4: фасилитатор сессий
    assert regulation.roles["curator"].clause == "000 §4.4"
    assert regulation.roles["mentor"].clause == "000 §1.3"
    (body,) = regulation.council_bodies  # the System's sessions (000 §4.1) are its only collegial body
    assert (body.id, body.label, body.retention_months, body.clause) == (
        "mentors_council", "Управленческая система наставничества", 12, "000 §5.3")
    assert body.protocol_template is not None and "000 §4.4" in body.protocol_template
    assert regulation.program_term_clause == "000 не задаёт" and regulation.program_term_months == 9
    assert regulation.petitions == ()  # 000 names none
    plans = regulation.individual_plans
    assert plans is not None and plans.clause == "000 §2.2"
    assert [s.label.lower() for s in plans.sections] == SECTIONS  # 000 §2.2: the eight sections of the ИППР
    assert {s.clause for s in plans.sections} == {"000 §2.2"}
    assert pack("school").individual_plans is None  # 001 names no ИППР


@BOTH
def test_a_vsosh_school_runs_a_program_and_its_council_by_000(db_session):
    s = db_session
    world, p = vsosh(s)
    with pytest.raises(NastavnikError):  # 000 §1.3: наставники — педагогические работники
        world.appoint(p["student"])
    s.rollback()
    world.appoint(p["kedrova"])
    [appointment] = s.scalars(select(MentorAppointment))
    assert (appointment.starts_on, appointment.ends_on) == (date(2025, 9, 16), date(2026, 8, 31))
    order = s.scalars(select(Order).where(Order.type == "appointment_of_mentors")).one()
    assert "В соответствии с п. 1.3 Положения об управленческой системе наставничества МКОУ ВСОШ № 8" in order.body

    world.register(p["lipin"], "class_teacher")
    [program] = world.pair(p["kedrova"], [p["lipin"]], "teacher_teacher")
    assert (program.roadmap_id, program.current_stage_id) == ("vsosh_process", "plan")
    pairs = s.scalars(select(Order).where(Order.type == "pair_formation")).one()
    assert "О формировании пар (групп) наставления" in pairs.body and "(9 месяцев учебного года)" in pairs.body
    for stage_id in ("plan", "guidance", "analysis"):
        s.refresh(program)
        assert program.current_stage_id == stage_id
        stage(world, program, p["kedrova"])
    world.complete(world.curator, FormId.COMPLETE_PROGRAM,
                   {"final_report": "Программа наставления выполнена.", "completion_ground": "plan_completed",
                    "reopen_stage": False}, program.workflow_instance_id)
    world.complete(world.head, FormId.SIGN_ORDER, {"signed": True}, program.workflow_instance_id)
    s.refresh(program)
    assert program.status == "completed"

    # the council (000 §4–5): the mentor-head (curator role) forms it; a mentor facilitates (000 §4.4)
    curator, head = world.actor(world.curator), world.actor(world.head)
    mentors = [world.actor(p[name]) for name in ("kedrova", "lipin", "sosnina")]
    school = world.organization
    for mentor in mentors:
        base.add_member(s, curator, school.id, mentor.person_id)
    base.set_chair(s, curator, school.id, mentors[0].person_id)
    found = sessions.schedule(s, curator, school.id, held_on=date(2026, 3, 12), place="методический кабинет",
                              agenda=["ИППР педагогов: итоги полугодия"])
    sessions.hold(s, mentors[0], found.id, present=[m.person_id for m in mentors], secretary_id=mentors[1].person_id,
                  votes_for=3, abstained=0)
    [item] = found.items
    for mentor in mentors:
        sessions.vote(s, mentor, found.id, item.id, "for")  # 000 §4.2: решение — по итогам голосования
    sessions.record_item(s, mentors[1], found.id, item.id, key_points="Планы выполняются",
                         proposals="Обобщить опыт на методическом совете", decision="Принять итоги к сведению",
                         responsible="Кедрова А. И.")
    protocol.draw_up(s, mentors[1], found.id)
    protocol.sign(s, mentors[0], found.id, at=datetime(2026, 3, 13, 3, 0, tzinfo=UTC))
    protocol.sign(s, mentors[1], found.id, at=datetime(2026, 3, 13, 4, 0, tzinfo=UTC))
    assert found.status == "signed" and item.result == "adopted"
    text = found.protocol_text or ""  # the vsosh pack's own template (000 §5.2), inside the product's frame
    assert "Фасилитатор сессии (наставник – руководитель, 000 §4.4)" in text
    assert "Ключевые моменты обсуждения: Планы выполняются" in text and "ПРОТОКОЛ № 1" in text
    protocol.agree(s, head, found.id, item.id, agreed=True)  # 000 §4.3: согласовываются с администрацией
    assert item.agreement == "agreed"
    s.commit()
