"""A new regulation needs no code (issue 9, docs/regulation-packs.md): a methodologist copies the Tomsk pack
into a folder of its own, renames it, lowers a threshold, rewords a roadmap event and an order, deploys the
folder (``nastavnik packs deploy``: engine.services.methodology.pack_import) for a new organization, and a
program runs on it: the mentor passes under the new threshold (and would fail under 003 §3.5), the signed pair
order carries the new wording, the program follows the reworded roadmap through its first stage."""
from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.db.models import MentorAppointment, Order, Program
from engine.forms import FormId
from engine.regulations import PACKS_DIRECTORY, forget_installed, pack
from engine.rules import decide
from engine.services.mentorship import basics, formation, mentee_registry, mentor_appointment
from engine.services.methodology.pack_import import import_folder
from engine.services.people.actor import SYSTEM, Actor, load_actor
from engine.services.process import definitions, instances
from engine.workflow import FixedClock
from tests import factories as f

NEW_EVENT = "Анкетирование вновь назначенного руководителя по методике управления образования района"
OLD_EVENT = "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ."
NEW_ORDER_WORDS = "Утвердить состав наставнических пар (групп) Северного района"
OLD_ORDER_WORDS = "Утвердить наставнические пары (группы), сформированные на добровольной основе"
GOOD_MENTOR = dict(contest_level="regional", contest_result="winner", efficiency_percent=90,
                   has_mentorship_certificate=True, is_head=True, years_as_head=3, months_as_head=40)


@pytest.fixture(autouse=True)
def packs_as_shipped():
    yield
    forget_installed()  # the deployed copy ran in this process; the tests after this one run rules/ again


def _district_folder(tmp_path: Path) -> Path:
    """rules/tomsk copied as «district», with the four changes a methodologist makes in a text editor."""
    folder = tmp_path / "district"
    shutil.copytree(PACKS_DIRECTORY / "tomsk", folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8").replace("_tomsk", "_district").replace("tomsk_", "district_")
        path.write_text(text, encoding="utf-8")
        if "tomsk" in path.name:
            path.rename(path.with_name(path.name.replace("_tomsk", "_district").replace("tomsk_", "district_")))

    def edit(relative: str, old: str, new: str) -> None:
        path = folder / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("pack.yaml", "id: tomsk", "id: district")  # the name
    edit("pack.yaml", "title: Наставничество руководителей муниципальных образовательных учреждений г. Томска",
         "title: Наставничество руководителей школ Северного района")
    edit("rulesets/mentor_eligibility_district.yaml", "years_as_head >= 5", "years_as_head >= 3")  # a threshold
    edit("roadmaps/district_new_head.yaml", OLD_EVENT, NEW_EVENT)  # a roadmap event
    edit("orders/pair_formation.j2", OLD_ORDER_WORDS, NEW_ORDER_WORDS)  # an order text
    return folder


def _complete(session, login: str, form: str, data: dict, instance_id: int, clock: FixedClock) -> None:
    actor = load_actor(session, login)
    task = next(t for t in instances.list_tasks(session, actor)
                if t.form_id == form and t.instance_id == instance_id)
    instances.complete_task(session, actor, task.instance_id, task.task_id, data, clock=clock)
    session.commit()


def test_a_copied_renamed_and_edited_pack_runs_a_program_for_a_new_organization(db_session, tmp_path):
    folder = _district_folder(tmp_path)
    definitions.deploy_shipped(db_session)  # the processes of workflows/, as at the first start
    import_folder(db_session, SYSTEM, folder)  # what `nastavnik packs deploy <folder>` does
    db_session.commit()
    district = pack("district")
    assert district.title == "Наставничество руководителей школ Северного района"
    assert district.ruleset("mentor_eligibility") == "mentor_eligibility_district"

    department = f.make_department(db_session, regulation="district", name="Управление образования Северного района")
    people = {login: f.make_person(db_session, login=login, full_name=name, organization=department, **facts)
              for login, name, facts in [
                  ("kurator", "Куратов Пётр Ильич", {}), ("nachalnik", "Начальникова Ольга Сергеевна", {}),
                  ("mentor", "Наставников Игорь Олегович", GOOD_MENTOR),
                  ("novichok", "Новичкова Анна Петровна", dict(is_head=True, months_as_head=3, efficiency_percent=70,
                                                             school_low_results=False, in_management_reserve=False))]}
    f.make_role(db_session, people["kurator"], department, "curator")
    f.make_role(db_session, people["nachalnik"], department, "head")
    db_session.commit()
    facts = basics.facts_for("mentor_eligibility_district", people["mentor"])
    assert decide("mentor_eligibility_district", facts)["verdict"] == "eligible"  # three years suffice here
    assert decide("mentor_eligibility_tomsk", facts)["verdict"] == "not_eligible"  # 003 §3.5 asks for five

    clock = FixedClock(datetime(2026, 9, 1, 9, tzinfo=UTC))
    curator: Actor = load_actor(db_session, "kurator")
    appointment = mentor_appointment.propose_mentor(db_session, curator, department.id, people["mentor"].id, clock=clock)
    db_session.commit()
    _complete(db_session, "nachalnik", FormId.SIGN_ORDER, {"signed": True}, appointment.id, clock)
    assert db_session.scalar(select(MentorAppointment).where(MentorAppointment.person_id == people["mentor"].id))

    entry = mentee_registry.register_mentee(db_session, curator, department.id, people["novichok"].id)
    db_session.commit()
    assert entry.category == "new_head"
    pairing = formation.propose_pair(db_session, curator, department.id, people["mentor"].id,
                                     [people["novichok"].id], clock=clock)
    db_session.commit()
    _complete(db_session, "mentor", FormId.GIVE_CONSENT, {"consent": True}, pairing.id, clock)
    _complete(db_session, "novichok", FormId.GIVE_CONSENT, {"consent": True}, pairing.id, clock)
    _complete(db_session, "nachalnik", FormId.SIGN_ORDER, {"signed": True}, pairing.id, clock)

    order = db_session.scalar(select(Order).where(Order.workflow_instance_id == pairing.id))
    assert order is not None and order.status == "signed"
    assert NEW_ORDER_WORDS in order.body and OLD_ORDER_WORDS not in order.body
    assert order.regulation == "district"

    program = db_session.scalar(select(Program).where(Program.group.has(mentor_id=people["mentor"].id)))
    assert program is not None and program.roadmap_id == "district_new_head"
    first = [e for e in program.events if e.stage_id == program.current_stage_id]
    assert first[0].name == NEW_EVENT
    _complete(db_session, "mentor", FormId.STAGE_WORK,
              {"events_done": [e.number for e in first], "report": "Информационная справка по первому этапу."},
              program.workflow_instance_id, clock)
    _complete(db_session, "kurator", FormId.REVIEW_STAGE_REPORT, {"approved": True, "comment": ""},
              program.workflow_instance_id, clock)
    db_session.refresh(program)
    assert program.current_stage_id == "consultation"  # the program moved on, on the pack's own roadmap
