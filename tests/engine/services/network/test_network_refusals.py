"""What the Coordination Centre's regulation does not allow is refused with a Russian message naming the field
and the clause, and nothing starts: a trainee whose direction no network mentor covers or another mentor's
direction (004 II.2, III.4), a trainee without self-diagnosis or monitoring (004 III.3), a mentor not appointed
for the year (004 III.2), a group formed when the year's reviews begin (004 IV.1), work recorded by someone
else or out of the year (004 III.6), a Tomsk step (consent and order, 003 §6.2) on a Yakutsk organization and
a network step on a Tomsk one."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.db.models import Mentee, NetworkGroup, WorkflowInstance
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.mentorship import formation
from engine.services.network import groups, trainees
from tests import factories as f
from tests.engine.services.network.centre_world import DIGITAL, LITERACY, UPBRINGING, build_centre, on

SQLITE = pytest.mark.parametrize("db_backend", ["sqlite"])
BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])


@pytest.fixture
def world(db_session):
    world = build_centre(db_session)
    world.appoint("sidorova", LITERACY)
    world.appoint("nikolaev", UPBRINGING)
    world.register("ivanova", "newly_hired", LITERACY)
    world.register("kim", "new_in_post", UPBRINGING, diagnosis="monitoring")
    world.register("fedorov", "newly_hired", DIGITAL)
    world.register("popov", "teacher_with_difficulties", LITERACY, diagnosis=None)
    world.at(on(date(2025, 10, 1)))
    return world


def _refused(world, mentor: str, *trainees_: str) -> NastavnikError:
    with pytest.raises(NastavnikError) as caught:
        groups.form_group(world.session, world.curator, world.department.id, world.person(mentor).id,
                          [world.person(t).id for t in trainees_], clock=world.clock)
    assert world.session.scalars(select(WorkflowInstance).where(WorkflowInstance.kind != "mentor_appointment")).all() \
        == [] and world.session.scalars(select(NetworkGroup)).all() == []  # nothing started, nothing recorded
    return caught.value


@BOTH
def test_a_trainee_in_a_direction_no_mentor_covers(world):
    error = _refused(world, "sidorova", "ivanova", "fedorov")
    assert error.where == "trainee_ids"
    assert error.message == (
        "Фёдоров Мичил Егорович нуждается в помощи по направлению «Цифровая образовательная среда», а сетевой "
        "наставник Сидорова Елена Петровна закреплён за направлением «Функциональная грамотность»: за этим "
        "направлением не закреплён ни один сетевой наставник (004 II.2); группы формируются по направлениям (004 III.4)")


@SQLITE
def test_a_trainee_of_another_mentors_direction_is_sent_to_that_mentor(world):
    error = _refused(world, "sidorova", "kim")
    assert "по нему работает Николаев Айсен Васильевич" in error.message and "004 III.4" in error.message


@SQLITE
def test_a_trainee_without_self_diagnosis_or_monitoring(world):
    error = _refused(world, "sidorova", "popov")
    assert "нет ни самодиагностики профессиональных компетенций, ни мониторинга" in error.message
    assert "(004 III.3)" in error.message


@SQLITE
def test_a_mentor_not_appointed_for_the_year(world):
    error = _refused(world, "osipova", "ivanova")
    assert error.where == "mentor_id"
    assert error.message == ("Осипова Нюргуяна Петровна не назначен(а) сетевым наставником приказом управления "
                             "образования на этот учебный год (004 III.2)")


@SQLITE
def test_a_group_is_not_formed_when_the_years_reviews_begin(world):
    world.at(on(date(2026, 5, 3)))
    error = _refused(world, "sidorova", "ivanova")
    assert error.message.startswith("2025/2026 учебный год заканчивается: с 01.05.2026 сетевые наставники пишут "
                                    "отзывы о стажёрах (004 IV.1)")


@SQLITE
def test_the_trainee_alone_fills_the_self_diagnosis_and_rates_within_the_scale(world):
    popov = world.session.scalars(select(Mentee).where(
        Mentee.person_id == world.person("popov").id)).one()
    with pytest.raises(PermissionDenied, match="самодиагностику заполняет сам стажёр"):
        trainees.record_self_diagnosis(world.session, world.curator, popov.id, difficulties="…", help_needed="…",
                                       self_rating=3)
    with pytest.raises(NastavnikError, match="от 1 до 5") as caught:
        trainees.record_self_diagnosis(world.session, world.actor("popov"), popov.id, difficulties="…",
                                       help_needed="…", self_rating=7)
    assert caught.value.where == "self_rating"
    with pytest.raises(NastavnikError, match="Кто провёл мониторинг"):
        trainees.record_monitoring(world.session, world.curator, popov.id, conducted_by=" ", difficulties="…",
                                   help_needed="…")
    with pytest.raises(NastavnikError, match="уже в базе стажёров"):
        trainees.register_trainee(world.session, world.curator, world.department.id, world.person("popov").id,
                                  category="newly_hired", direction=LITERACY)
    with pytest.raises(NastavnikError, match="укажите категорию стажёра \\(004 I.3\\)"):
        trainees.register_trainee(world.session, world.curator, world.department.id, world.person("osipova").id,
                                  category=None, direction=LITERACY)


@SQLITE
def test_work_is_recorded_by_the_groups_mentor_within_the_year_in_the_regulations_forms(world):
    groups.form_group(world.session, world.curator, world.department.id, world.person("sidorova").id,
                      [world.person("ivanova").id], clock=world.clock)
    world.session.commit()
    group = world.session.scalars(select(NetworkGroup)).one()
    ivanova = [world.person("ivanova").id]

    def record(login: str = "sidorova", **changes):
        values = {"form": "consultation", "held_on": date(2025, 10, 1), "topic": "ИППР", "trainee_ids": ivanova}
        return groups.record_work(world.session, world.actor(login), group.id, **{**values, **changes},
                                  clock=world.clock)

    with pytest.raises(PermissionDenied, match="записывает её сетевой наставник"):
        record("nikolaev")
    with pytest.raises(NastavnikError, match="не может быть позже сегодняшней"):
        record(held_on=date(2025, 10, 2))
    with pytest.raises(NastavnikError, match="в пределах учебного года группы: с 01.10.2025 по 31.08.2026"):
        record(held_on=date(2025, 9, 30))
    with pytest.raises(NotFound, match="не называет форму работы наставника «webinar»; есть: Мастер-класс"):
        record(form="webinar")
    with pytest.raises(NastavnikError, match="отметьте стажёров группы"):
        record(trainee_ids=[world.person("kim").id])
    assert record().form == "consultation"


@BOTH
def test_a_tomsk_step_on_a_yakutsk_organization_and_a_network_step_on_a_tomsk_one(world):
    s = world.session
    with pytest.raises(NastavnikError) as caught:  # 003 §6.2: consent and the head's order — not in 004
        formation.propose_pair(s, world.curator, world.department.id, world.person("sidorova").id,
                               [world.person("ivanova").id], form="group", clock=world.clock)
    assert caught.value.where == "regulation"
    assert caught.value.message == (
        "положение «Сетевое наставничество в образовательном пространстве г. Якутска» не предусматривает "
        "формирования пар по письменному согласию участников и приказу руководителя (003 §6.2); в нём: Сетевое "
        "наставничество в группе стажёров по направлению деятельности (004 III.4)")
    tomsk = f.make_department(s, name="Департамент образования администрации Города Томска")
    f.make_role(s, world.person("specialist"), tomsk, "curator")
    s.commit()
    with pytest.raises(NastavnikError, match="не предусматривает сетевого наставничества — групп стажёров по "
                                             "направлениям, которые формирует управление образования \\(004 III.4\\)"):
        trainees.register_trainee(s, world.curator, tomsk.id, world.person("osipova").id, category="new_head",
                                  direction=LITERACY)
