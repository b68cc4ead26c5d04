"""Which petitions a participant may file, and who decides them, come from the organization's regulation pack
(``petitions``: kind, decided_by, clause): 003 lists four, decided by the curator (003 §4.1, §5.1, §7.1, §7.2);
004 lists none; 001 one, decided by the head (001 §6.2: tests/engine/services/mentorship/test_school_001.py).
A kind the pack does not list is refused naming the regulation and what it does allow."""
from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from engine.errors import PermissionDenied
from engine.forms import FormId
from engine.regulations import install_pack, pack
from engine.regulations.pack_parts import Petition
from engine.services.mentorship import petitions
from tests import factories as f
from tests.engine.services.pack_world import PackWorld

BOTH = pytest.mark.parametrize("db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
TOMSK_MENTOR = {"years_as_head": 7, "contest_level": "regional", "contest_result": "winner",
                "efficiency_percent": 90, "has_mentorship_certificate": True}
NEW_HEAD = {"is_head": True, "months_as_head": 3, "in_management_reserve": False, "school_low_results": False,
            "efficiency_percent": 70}


@pytest.fixture
def tomsk_as_shipped():
    """Tests may run a changed Tomsk pack (``install_pack``); the shipped one comes back afterwards."""
    shipped = pack("tomsk")
    yield shipped
    install_pack(shipped)


def tomsk_program(session):
    world = PackWorld(session, "tomsk", datetime(2025, 1, 15, 9, 0, tzinfo=UTC))
    mentor = world.person("Волков Андрей Николаевич", position="директор гимназии", **TOMSK_MENTOR)
    mentee = world.person("Новикова Елена Павловна", position="директор школы", **NEW_HEAD)
    world.appoint(mentor)
    world.register(mentee)
    [program] = world.pair(mentor, [mentee], "head_head")
    return world, mentor, mentee, program


@BOTH
def test_tomsk_petitions_are_the_four_of_its_pack_decided_by_the_curator(db_session, tomsk_as_shipped):
    s = db_session
    world, mentor, mentee, program = tomsk_program(s)
    options = {o.name: (o.clause, o.decided_by) for o in petitions.petition_options(s, world.actor(mentee), program)}
    assert options == {"early_completion": ("003 §7.1 (2)", "curator"), "extension": ("003 §7.2", "curator"),
                       "mentor_replacement": ("003 §5.1", "curator")}
    assert {o.name for o in petitions.petition_options(s, world.actor(mentor), program)} == {
        "early_completion", "extension", "mentor_release"}
    petitions.file_petition(s, world.actor(mentee), program.id, "mentor_replacement", reason="нет контакта",
                            clock=world.clock)
    s.commit()
    assert world.task(world.curator, FormId.DECIDE_PETITION, program.workflow_instance_id).role == "curator"
    assert FormId.DECIDE_PETITION not in [t.form_id for t in world.tasks(world.head)]


@pytest.mark.parametrize("db_backend", ["sqlite"])
def test_a_changed_tomsk_pack_changes_what_is_allowed_and_who_decides(db_session, tomsk_as_shipped):
    s = db_session
    world, mentor, mentee, program = tomsk_program(s)
    install_pack(dataclasses.replace(tomsk_as_shipped, petitions=(
        Petition("mentor_replacement", "head", "003 §5.1"), Petition("mentor_release", "curator", "003 §4.1"))))
    assert [o.name for o in petitions.petition_options(s, world.actor(mentee), program)] == ["mentor_replacement"]
    with pytest.raises(PermissionDenied) as refused:
        petitions.file_petition(s, world.actor(mentee), program.id, "extension", reason="болезнь", months=3)
    assert refused.value.message.startswith("Положение о наставничестве руководителей")
    assert "(003) не предусматривает ходатайство «продление (корректировка) программы»" in refused.value.message
    assert "предусмотрено: «замена наставника» (003 §5.1); «освобождение наставника от обязанностей» (003 §4.1)" \
        in refused.value.message
    petitions.file_petition(s, world.actor(mentee), program.id, "mentor_replacement", reason="нет контакта",
                            clock=world.clock)
    s.commit()
    task = world.task(world.head, FormId.DECIDE_PETITION, program.workflow_instance_id)
    assert task.role == "head"  # the same diagram: the pack, not the lane, names the decider
    assert FormId.DECIDE_PETITION not in [t.form_id for t in world.tasks(world.curator)]


@BOTH
def test_yakutsk_lists_no_petition_and_refuses_every_one(db_session):
    s = db_session
    department = f.make_department(s, regulation="yakutsk")
    mentor, mentee = f.make_person(s), f.make_person(s)
    f.make_role(s, mentee, department, "mentee")
    group = f.make_group(s, organization=department, mentor=mentor, mentees=[mentee], form="group",
                         roadmap_id="yakutsk_school")
    program = f.make_program(s, group=group, current_stage_id="preparation")
    s.commit()
    actor = PackWorld.actor_of(s, mentee)
    assert petitions.petition_options(s, actor, program) == []
    for name in ("mentor_replacement", "early_completion", "extension"):
        with pytest.raises(PermissionDenied, match=r"\(004\) не предусматривает ходатайство .*ходатайств участников "
                                                   "положение не предусматривает"):
            petitions.file_petition(s, actor, program.id, name, reason="нет контакта с наставником", months=2)
