"""A pack as a whole folder: a zip uploaded by the methodologist becomes a draft (its rule files must be the
deployed ones), a folder kept in git is deployed by the system with its rule files, all or nothing."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.db.models import RegulationPackVersion, RuleFileVersion
from engine.regulations import PACKS_DIRECTORY, PackError, forget_installed, read_folder, roadmap
from engine.rules import decide, default_registry
from engine.services.methodology import pack_import, regulation_packs
from engine.services.people.actor import SYSTEM, load_actor
from tests import factories as f

OLD_EVENT = "Диагностика затруднений в деятельности вновь назначенных руководителей ОУ."
NEW_EVENT = "Диагностика затруднений вновь назначенного руководителя (анкета департамента)"
FACTS = {"years_as_head": 4, "contest_level": "regional", "contest_result": "laureate", "efficiency_percent": 85,
         "has_mentorship_certificate": True}


@pytest.fixture(autouse=True)
def shipped_afterwards():
    yield
    forget_installed()
    registry = default_registry()
    for path in sorted((PACKS_DIRECTORY).glob("*/rulesets/*.yaml")):
        assert registry.install(path.read_bytes(), str(path)) == []


@pytest.fixture
def methodologist(db_session):
    person = f.make_person(db_session)
    f.make_role(db_session, person, f.make_department(db_session), "methodologist")
    db_session.commit()
    return load_actor(db_session, person.login)


def _zip(files: dict[str, bytes], folder: str = "tomsk/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for relative, data in files.items():
            archive.writestr(folder + relative, data)
    return buffer.getvalue()


def _edited_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "tomsk"
    shutil.copytree(PACKS_DIRECTORY / "tomsk", folder)
    road = folder / "roadmaps" / "tomsk_new_head.yaml"
    road.write_text(road.read_text(encoding="utf-8").replace(OLD_EVENT, NEW_EVENT), encoding="utf-8")
    return folder


def test_a_zip_of_the_folder_becomes_a_draft(db_session, methodologist, tmp_path):
    files = read_folder(_edited_folder(tmp_path))
    row = pack_import.save_archive(db_session, methodologist, "tomsk", _zip(files), note="архив из git")
    assert (row.version, row.status, row.note) == (2, "draft", "архив из git")
    assert NEW_EVENT in row.files["roadmaps/tomsk_new_head.yaml"] and not any(p.startswith("rulesets/") for p in row.files)
    assert row.rule_files == regulation_packs.get_pack(db_session, methodologist, "tomsk").version(1).rule_files


def test_a_zip_with_an_edited_rule_file_or_a_stray_file_is_refused(db_session, methodologist, tmp_path):
    files = read_folder(_edited_folder(tmp_path))
    files["rulesets/mentor_bonus_tomsk.yaml"] = files["rulesets/mentor_bonus_tomsk.yaml"].replace(b"title:", b"title: !")
    files["notes.txt"] = "заметки".encode()
    with pytest.raises(PackError) as refused:
        pack_import.save_archive(db_session, methodologist, "tomsk", _zip(files, folder=""))
    assert [(p.file, p.field) for p in refused.value.problems] == [("tomsk/rulesets/mentor_bonus_tomsk.yaml", ""),
                                                                   ("tomsk/notes.txt", "")]
    assert "правятся и развёртываются в разделе «Файлы правил»" in refused.value.problems[0].message
    assert "лишний файл" in refused.value.problems[1].message
    del files["rulesets/mentor_bonus_tomsk.yaml"]  # a pack without its bonus rule file
    with pytest.raises(PackError) as refused:
        pack_import.save_archive(db_session, methodologist, "tomsk", _zip(files, folder=""))
    assert [(p.file, p.field) for p in refused.value.problems] == [("tomsk/pack.yaml", "rulesets.bonus"),
                                                                   ("tomsk/notes.txt", "")]
    with pytest.raises(PackError, match="не читается как zip-архив"):
        pack_import.save_archive(db_session, methodologist, "tomsk", b"PK not a zip")
    with pytest.raises(PackError, match="выходящие за папку положения"):
        pack_import.save_archive(db_session, methodologist, "tomsk", _zip({"../pack.yaml": b"id: x"}, folder=""))
    assert len(db_session.scalars(select(RegulationPackVersion).where(RegulationPackVersion.pack_id == "tomsk")).all()) == 1


def test_a_folder_from_git_deploys_its_rule_files_and_the_pack(db_session, tmp_path):
    folder = _edited_folder(tmp_path)
    rules = folder / "rulesets" / "mentor_eligibility_tomsk.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"')
                     .replace("years_as_head >= 5", "years_as_head >= 4"), encoding="utf-8")
    imported = pack_import.import_folder(db_session, SYSTEM, folder)
    assert imported.rule_files == ["mentor_eligibility_tomsk.yaml"] and imported.version.version == 2
    assert decide("mentor_eligibility_tomsk", FACTS)["version"] == "2"
    assert roadmap("tomsk_new_head").stages[0].events[0].name == NEW_EVENT
    assert [(r.version, r.status) for r in db_session.scalars(
        select(RuleFileVersion).where(RuleFileVersion.file_name == "mentor_eligibility_tomsk.yaml")
        .order_by(RuleFileVersion.version))] == [(1, "draft"), (2, "deployed")]
    again = pack_import.import_folder(db_session, SYSTEM, folder)
    assert (again.version, again.rule_files) == (None, [])


def test_a_broken_folder_changes_nothing(db_session, tmp_path):
    folder = _edited_folder(tmp_path)
    rules = folder / "rulesets" / "mentor_eligibility_tomsk.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("years_as_head >= 5", "years_as_hed >= 5"),
                     encoding="utf-8")
    manifest = folder / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("term_months: 24", "term_months: -1"),
                        encoding="utf-8")
    with pytest.raises(PackError) as refused:
        pack_import.import_folder(db_session, SYSTEM, folder)
    assert [(p.file, p.field) for p in refused.value.problems] == [
        ("tomsk/rulesets/mentor_eligibility_tomsk.yaml", "head_experience"),
        ("tomsk/pack.yaml", "program.term_months")]
    assert "years_as_hed" in refused.value.problems[0].message
    assert db_session.scalars(select(RuleFileVersion.version)
                              .where(RuleFileVersion.file_name == "mentor_eligibility_tomsk.yaml")).all() == [1]
    assert roadmap("tomsk_new_head").stages[0].events[0].name == OLD_EVENT


def test_check_folders_names_every_problem(tmp_path):
    assert pack_import.check_folders([PACKS_DIRECTORY]) == []
    folder = _edited_folder(tmp_path)
    (folder / "roadmaps" / "tomsk_new_head.yaml").write_text("id: tomsk_new_head\nscheme: weekly\n", encoding="utf-8")
    lines = pack_import.check_folders([folder, PACKS_DIRECTORY / "yakutsk"])
    assert lines == [
        "tomsk/pack.yaml: mentee_categories[1].roadmap: дорожной карты «tomsk_new_head» нет в папке roadmaps/ положения",
        "tomsk/roadmaps/tomsk_new_head.yaml: scheme: неизвестная схема «weekly»; допустимы: staged, calendar, composed"]
