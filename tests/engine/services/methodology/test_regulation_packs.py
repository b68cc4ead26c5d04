"""Regulation pack versions: the shipped folders as version 1, a methodologist's edit of one file checked as a
whole pack (every problem by file and field, nothing stored when any), deploying it (new programs of the
organizations bound to the pack follow it, the old version stays readable), the deployed versions running after
a restart, and who may do what."""
from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from engine.db.models import AuditEntry, GroupMember, RegulationPackVersion
from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.regulations import PACKS_DIRECTORY, PackError, forget_installed, pack, pack_folders, roadmap
from engine.services.mentorship import lifecycle
from engine.services.methodology import pack_binding, pack_running, regulation_packs
from engine.services.people.actor import SYSTEM, load_actor
from engine.services.process import definitions
from tests import factories as f

ROADMAP = "roadmaps/tomsk_new_head.yaml"
OLD_EVENT = "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ."
NEW_EVENT = "Диагностика затруднений вновь назначенного руководителя (анкета департамента)"


@pytest.fixture(autouse=True)
def packs_as_shipped():
    """Deploying installs a pack in the process: the tests after these run the folders under rules/."""
    yield
    forget_installed()


@pytest.fixture
def world(db_session):
    tomsk = f.make_department(db_session)
    yakutsk = f.make_department(db_session, regulation="yakutsk")
    methodologist, other, curator = f.make_person(db_session), f.make_person(db_session), f.make_person(db_session)
    f.make_role(db_session, methodologist, tomsk, "methodologist")
    f.make_role(db_session, other, yakutsk, "methodologist")
    f.make_role(db_session, curator, tomsk, "curator")
    db_session.commit()
    return {"tomsk": tomsk, "yakutsk": yakutsk, "me": load_actor(db_session, methodologist.login),
            "other": load_actor(db_session, other.login), "curator": load_actor(db_session, curator.login)}


def _versions(session, pack_id: str = "tomsk") -> list[tuple[int, str]]:
    return [(r.version, r.status) for r in session.scalars(
        select(RegulationPackVersion).where(RegulationPackVersion.pack_id == pack_id)
        .order_by(RegulationPackVersion.version))]


def _edited_roadmap(session, actor) -> str:
    info = regulation_packs.get_pack(session, actor, "tomsk")
    return info.deployed.files[ROADMAP].replace(OLD_EVENT, NEW_EVENT)


def test_shipped_folders_become_deployed_version_1_once(db_session):
    assert regulation_packs.ensure_shipped(db_session) == 5
    assert regulation_packs.ensure_shipped(db_session) == 0
    rows = db_session.scalars(select(RegulationPackVersion).order_by(RegulationPackVersion.pack_id)).all()
    assert [(r.pack_id, r.version, r.status) for r in rows] == [
        ("college", 1, "deployed"), ("school", 1, "deployed"), ("tomsk", 1, "deployed"), ("vsosh", 1, "deployed"),
        ("yakutsk", 1, "deployed")]
    tomsk = rows[2]
    school = sorted(rows[1].files)
    assert [f for f in school if f.startswith("orders/")] == [f"orders/{kind}.j2" for kind in sorted(  # 001's own
        ("curator_appointment", "appointment_of_mentors", "pair_formation", "mentor_replacement", "completion",
         "target_model", "implementation_plan", "regulation", "final_event"))]  # and the order set of 004 п. 3.1.1
    orders = sorted(f"orders/{kind}.j2" for kind in pack("tomsk").order_templates)
    assert len(orders) == 9
    assert sorted(tomsk.files) == [*orders, "pack.yaml", "roadmaps/tomsk_low_efficiency_head.yaml",
                                   "roadmaps/tomsk_low_results_school.yaml", ROADMAP, "roadmaps/tomsk_reservist.yaml"]
    assert tomsk.rule_files == ["mentee_category_tomsk.yaml", "mentor_bonus_tomsk.yaml",
                                "mentor_eligibility_tomsk.yaml"]
    assert tomsk.digest == pack_running.own_digest(pack("tomsk"))  # the stored copy is what the folder runs
    assert pack_running.in_sync(db_session)


def test_a_later_release_of_a_shipped_folder_is_stored_as_a_draft(db_session, tmp_path):
    regulation_packs.ensure_shipped(db_session)
    release = tmp_path / "rules"
    for folder in pack_folders(PACKS_DIRECTORY):
        shutil.copytree(folder, release / folder.name)
    manifest = release / "tomsk" / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("place: г. Томск", "place: город Томск"),
                        encoding="utf-8")
    assert regulation_packs.ensure_shipped(db_session, release) == 1
    assert regulation_packs.ensure_shipped(db_session, release) == 0
    assert _versions(db_session) == [(1, "deployed"), (2, "draft")]


def test_a_broken_pack_yaml_is_refused_naming_every_file_and_field(db_session, world):
    regulation_packs.ensure_shipped(db_session)
    manifest = regulation_packs.get_pack(db_session, world["me"], "tomsk").deployed.files["pack.yaml"]
    broken = (manifest.replace("roadmap: tomsk_reservist", "roadmap: tomsk_reserve")
              .replace("end: day_before", "end: someday").replace("  bonus: mentor_bonus_tomsk\n", "  bonus: nope\n"))
    with pytest.raises(PackError) as refused:
        regulation_packs.save_file(db_session, world["me"], "tomsk", "pack.yaml", broken, note="опечатки")
    assert [(p.file, p.field) for p in refused.value.problems] == [
        ("tomsk/pack.yaml", "rulesets.bonus"), ("tomsk/pack.yaml", "mentee_categories[0].roadmap"),
        ("tomsk/pack.yaml", "mentor_term.end")]
    assert "дорожной карты «tomsk_reserve» нет в папке roadmaps/" in refused.value.problems[1].message
    assert _versions(db_session) == [(1, "deployed")]  # nothing stored, nothing deployed changed
    assert pack("tomsk").category("reservist").roadmap == "tomsk_reservist"


def test_only_the_files_of_a_pack_may_be_edited_and_a_save_must_change_something(db_session, world):
    regulation_packs.ensure_shipped(db_session)
    me = world["me"]
    with pytest.raises(NastavnikError, match="файлы правил правятся в разделе «Файлы правил»"):
        regulation_packs.save_file(db_session, me, "tomsk", "rulesets/mentor_bonus_tomsk.yaml", "id: x")
    with pytest.raises(NastavnikError, match="не может входить в положение") as refused:
        regulation_packs.save_file(db_session, me, "tomsk", "../../etc/passwd", "x")
    assert refused.value.where == "path"
    same = regulation_packs.get_pack(db_session, me, "tomsk").deployed.files[ROADMAP]
    with pytest.raises(NastavnikError, match="уже сохранены как версия 1: изменений нет"):
        regulation_packs.save_file(db_session, me, "tomsk", ROADMAP, same.replace("\n", "\r\n"))


def test_a_deployed_roadmap_edit_reaches_new_programs_and_the_old_version_stays_readable(db_session, world):
    me = world["me"]
    definitions.deploy_shipped(db_session)
    before = _start_program(db_session, world["tomsk"])
    draft = regulation_packs.save_file(db_session, me, "tomsk", ROADMAP, _edited_roadmap(db_session, me),
                                       note="Формулировка мероприятия 1.1 по письму департамента")
    assert (draft.version, draft.status, draft.base_version) == (2, "draft", 1)
    assert regulation_packs.changed_files(regulation_packs.get_pack(db_session, me, "tomsk").version(1), draft) == [
        ROADMAP]
    assert roadmap("tomsk_new_head").stages[0].events[0].name == OLD_EVENT  # a draft does not run

    regulation_packs.deploy(db_session, me, "tomsk", 2)
    db_session.commit()
    assert _versions(db_session) == [(1, "superseded"), (2, "deployed")]
    after = _start_program(db_session, world["tomsk"])
    assert after.events[0].name == NEW_EVENT and before.events[0].name == OLD_EVENT
    assert regulation_packs.get_pack(db_session, me, "tomsk").version(1).files[ROADMAP].count(OLD_EVENT) == 1
    deployed = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "regulation_pack.deployed")).one()
    assert deployed.actor_id == me.person_id and deployed.details["version"] == 2

    forget_installed()  # a new process on this database: the deployed version runs again
    assert roadmap("tomsk_new_head").stages[0].events[0].name == OLD_EVENT and not pack_running.in_sync(db_session)
    pack_running.activate_deployed(db_session)
    assert roadmap("tomsk_new_head").stages[0].events[0].name == NEW_EVENT and pack_running.in_sync(db_session)

    regulation_packs.deploy(db_session, me, "tomsk", 1)  # back to the shipped text
    assert _versions(db_session) == [(1, "deployed"), (2, "superseded")]
    assert roadmap("tomsk_new_head").stages[0].events[0].name == OLD_EVENT


def _start_program(session, organization):
    mentee = f.make_mentee(session, organization=organization)
    group = f.make_group(session, organization=organization, mentees=[mentee.person], consents=True)
    session.execute(GroupMember.__table__.update().where(GroupMember.group_id == group.id)
                    .values(mentee_id=mentee.id))
    session.expire(group)
    return lifecycle.start_program(session, group, mentee.person_id, "tomsk_new_head", started_on=date(2025, 9, 1),
                                   clock_now=datetime(2025, 9, 1, 9, tzinfo=UTC))


def test_another_regions_methodologist_and_a_curator_are_refused(db_session, world):
    assert [i.pack_id for i in regulation_packs.list_packs(db_session, world["other"])] == ["yakutsk"]
    assert [i.pack_id for i in regulation_packs.list_packs(db_session, world["me"])] == ["tomsk"]
    assert regulation_packs.list_packs(db_session, world["curator"]) == []
    edited = _edited_roadmap(db_session, world["me"])
    with pytest.raises(PermissionDenied, match="по положению «tomsk» работают другие организации"):
        regulation_packs.get_pack(db_session, world["other"], "tomsk")
    with pytest.raises(PermissionDenied):
        regulation_packs.save_file(db_session, world["other"], "tomsk", ROADMAP, edited)
    with pytest.raises(PermissionDenied, match="только методисты"):
        regulation_packs.deploy(db_session, world["curator"], "tomsk", 1)
    with pytest.raises(NotFound, match="нет положения"):
        regulation_packs.get_pack(db_session, world["me"], "moscow")
    assert _versions(db_session) == [(1, "deployed")]


def test_a_deployed_version_that_no_longer_loads_leaves_the_shipped_pack_serving(db_session, world):
    regulation_packs.ensure_shipped(db_session)
    row = db_session.scalars(select(RegulationPackVersion).where(RegulationPackVersion.pack_id == "tomsk")).one()
    row.files = {**row.files, "pack.yaml": row.files["pack.yaml"].replace("program: program_lifecycle",
                                                                           "program: retired_process")}
    row.digest = regulation_packs.digest_of(row.files)
    db_session.flush()
    with pytest.raises(PackError) as refused:
        pack_running.activate_deployed(db_session)
    assert str(refused.value.problems[0]) == ("tomsk/pack.yaml: processes.program: процесса «retired_process» нет "
                                              "среди процессов workflows/ (версия 1)")
    assert pack("tomsk").process("program") == "program_lifecycle" and pack_running.in_sync(db_session)


def test_binding_an_organization_to_a_pack(db_session, world):
    school = f.make_organization(db_session, parent=world["tomsk"], regulation="yakutsk", short_name="СОШ № 8")
    db_session.commit()
    me = world["me"]
    with pytest.raises(PermissionDenied, match="меняет методист этой организации или вышестоящей"):
        pack_binding.bind_organization(db_session, world["other"], school.id, "yakutsk")
    with pytest.raises(PermissionDenied, match="не работает ни одна из ваших организаций"):
        pack_binding.bind_organization(db_session, me, school.id, "yakutsk")
    with pytest.raises(NotFound, match=r"нет положения \(пакета\) «moscow»; есть: college, school, tomsk, vsosh, yakutsk"):
        pack_binding.bind_organization(db_session, me, school.id, "moscow")
    assert pack_binding.bind_organization(db_session, me, school.id, "tomsk").regulation == "tomsk"
    audit = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "organization.regulation_bound")).one()
    assert (audit.actor_id, audit.organization_id, audit.details) == (me.person_id, school.id,
                                                                      {"from": "yakutsk", "to": "tomsk"})
    assert pack_binding.bind_organization(db_session, SYSTEM, world["tomsk"].id, "yakutsk").regulation == "yakutsk"
    assert db_session.scalar(select(func.count(AuditEntry.id))
                             .where(AuditEntry.action == "organization.regulation_bound")) == 2


def test_a_version_naming_a_rule_file_nobody_has_is_refused(db_session, world):
    regulation_packs.ensure_shipped(db_session)
    deployed = regulation_packs.get_pack(db_session, world["me"], "tomsk").deployed
    problems = regulation_packs.problems_of(db_session, "tomsk", deployed.files, [*deployed.rule_files, "gone.yaml"])
    assert [(str(p)) for p in problems] == [
        "tomsk/rulesets/gone.yaml: файл правил не найден: его нет ни среди сохранённых версий файлов правил, "
        "ни в поставке"]
