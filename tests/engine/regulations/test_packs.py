"""Regulation packs (rules/<pack>/): the shipped packs load, every clause they cite is a clause of their seed,
and a broken pack is refused naming every problem by file and field."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from engine.errors import NotFound
from engine.regulations import PACKS_DIRECTORY, PackError, load_pack, load_packs, pack, shipped_packs
from tests.clause_coverage import cites, load_inventory
from tests.engine.regulations.test_roadmaps import clause_text, needs_seeds, quoted

SHIPPED = ("tomsk", "yakutsk", "school", "college", "vsosh")


def _clauses(regulation) -> list[tuple[str, str]]:
    """(where, clause) for every part of the pack that cites one."""
    found = [(f"mentee_categories.{c.id}", c.clause) for c in regulation.mentee_categories]
    found += [(f"mentorship_forms.{f.id}", f.clause) for f in regulation.mentorship_forms]
    found += [(f"work_forms.{f.id}", f.clause) for f in regulation.work_forms]
    found += [(f"roles.{r}", c.clause) for r, c in regulation.roles.items()]
    found += [(f"petitions.{p.kind}", p.clause) for p in regulation.petitions]
    found += [(f"orders.{o.kind}", o.clause) for o in regulation.orders]
    found += [(f"report_calendar.{r.id}", r.clause) for r in regulation.report_calendar]
    found += [(f"duties[{n}]", d.clause) for n, d in enumerate(regulation.duties)]
    found.append(("mentor_term", regulation.mentor_term.clause))
    if regulation.program_term_clause:
        found.append(("program", regulation.program_term_clause))
    return found


def test_the_shipped_packs_load():
    assert set(SHIPPED) <= set(shipped_packs())


@pytest.mark.parametrize("pack_id", sorted(shipped_packs()))
def test_every_clause_a_pack_cites_is_a_clause_of_its_seed(pack_id):
    regulation = pack(pack_id)
    inventory = next(seed for seed in load_inventory() if seed.seed_file == regulation.seed_file)
    known = [c.clause for c in inventory.clauses]
    not_set = f"{regulation.seed} не задаёт"  # the seed is silent; the loader demands the organization's choice
    unknown = [(where, clause) for where, clause in _clauses(regulation)
               if clause != not_set and not any(cites(clause, listed) for listed in known)]
    assert unknown == []


@needs_seeds
@pytest.mark.parametrize("pack_id", sorted(shipped_packs()))
def test_every_duty_is_quoted_from_the_clause_it_cites(pack_id):
    regulation = pack(pack_id)
    wrong = [(d.clause, d.text) for d in regulation.duties
             if not quoted(d.text, clause_text(regulation.seed_file, d.clause))]
    assert wrong == []


def test_the_school_pack_says_what_001_sets_and_what_the_school_chose():
    school = pack("school")
    assert [(f.id, f.mentor, f.mentee) for f in school.mentorship_forms] == [
        ("teacher_teacher", "pedagogue", "pedagogue"), ("teacher_student", "pedagogue", "student"),
        ("student_teacher", "student", "pedagogue")]  # 001 §2.3
    assert {c.id for c in school.mentee_categories} == {"student", "pedagogue", "young_specialist"}  # 001 §1.1
    assert [(p.kind, p.decided_by, p.clause) for p in school.petitions] == [("mentor_replacement", "head", "001 §6.2")]
    assert school.petition("mentor_replacement").grounds == "при невозможности установления личного контакта с наставником"
    assert [(d.id, d.month, d.day, d.task) for d in school.calendar_tasks()] == [
        ("monitoring_december", 12, 20, "monitoring"), ("monitoring_may", 5, 20, "monitoring"),
        ("base_review", 9, 15, "base_review")]
    assert {d.clause for d in school.calendar_tasks() if d.task == "monitoring"} == {"001 §2.4"}
    # what 001 does not set is the school's choice, said so
    assert school.mentor_term.clause == school.program_term_clause == "001 не задаёт"
    assert school.mentor_term.choice and school.program_term_choice
    assert school.program_term_months == school.roadmap("school_pair").total_planned_months == 9
    assert school.mentor_term.ends_on(date(2025, 9, 1)) == date(2026, 8, 31)
    assert {d.by for d in school.duties} == {"working_group", "curator", "head", "mentor", "mentee"}


@pytest.mark.parametrize("pack_id", sorted(shipped_packs()))
def test_every_category_routes_to_a_roadmap_of_its_pack_or_leaves_the_choice(pack_id):
    regulation = pack(pack_id)
    for category in regulation.mentee_categories:
        assert category.roadmap is None or category.roadmap in regulation.roadmaps


def test_mentor_terms_by_the_pack():
    assert pack("tomsk").mentor_term.ends_on(date(2024, 1, 31)) == date(2026, 1, 30)  # 003 §3.4: two years − 1 day
    assert pack("tomsk").mentor_term.ends_on(date(2024, 2, 29)) == date(2026, 2, 27)
    assert pack("yakutsk").mentor_term.ends_on(date(2025, 8, 31)) == date(2025, 8, 31)  # 004 III.2: the academic year
    assert pack("yakutsk").mentor_term.ends_on(date(2025, 9, 1)) == date(2026, 8, 31)
    assert pack("tomsk").mentor_term.phrase(date(2024, 9, 1), date(2026, 8, 31)) == "сроком на два года"
    assert pack("yakutsk").mentor_term.phrase(date(2024, 9, 1), date(2025, 8, 31)) == (
        "сроком на один учебный год (2024/2025 учебный год)")
    assert pack("yakutsk").mentor_term.phrase(date(2024, 9, 1), date(2025, 6, 30)) is None  # not the standard term


def test_the_network_program_lasts_the_academic_year_and_names_the_forms_of_work():
    yakutsk = pack("yakutsk")
    assert yakutsk.program_ends_on(date(2025, 10, 1)) == date(2026, 8, 31)  # 004 III.2: the academic year
    assert yakutsk.program_ends_on(date(2026, 2, 1)) == date(2026, 8, 31)
    assert pack("tomsk").program_ends_on(date(2024, 3, 1)) == date(2026, 2, 28)  # 003 §1.2.6: 24 months
    review = yakutsk.report_date("trainee_review")  # 004 IV.1: the review at the end of the academic year
    assert review is not None and (review.month, review.day, review.clause) == (5, 31, "004 IV.1")
    assert [f.label for f in yakutsk.work_forms][:3] == ["Мастер-класс", "Консультация", "Беседа"]  # 004 III.6
    assert yakutsk.work_form("documentation_study").label == "Изучение документации стажёра"
    with pytest.raises(NotFound, match="«webinar»"):
        yakutsk.work_form("webinar")
    assert pack("tomsk").work_forms == () and pack("tomsk").report_date("trainee_review") is None


def test_an_unknown_pack_is_named():
    with pytest.raises(NotFound, match="«moscow»"):
        pack("moscow")


# ---- refusals -----------------------------------------------------------------------------------

def _copy(tmp_path: Path, pack_id: str = "tomsk") -> Path:
    folder = tmp_path / pack_id
    shutil.copytree(PACKS_DIRECTORY / pack_id, folder)
    return folder


def _edit(folder: Path, change) -> None:
    manifest = folder / "pack.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    change(data)
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_broken_pack_is_refused_naming_every_problem_by_file_and_field(tmp_path):
    folder = _copy(tmp_path)

    def break_it(data):
        data["mentee_categories"][1]["roadmap"] = "tomsk_newhead"
        data["mentor_term"] = {"end": "day_before", "clause": "003 §3.4"}
        data["rulesets"]["bonus"] = "mentor_bonus_moscow"
        data["petitions"][0]["decided_by"] = "janitor"
        data["report_calendar"][0] = {"id": "may", "label": "Мониторинг", "day": "20.05", "clause": "003 §3.3"}
        data["roles"]["mentor"]["clause"] = "004 II.1"
        data["colour"] = "blue"
    _edit(folder, break_it)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    found = {(p.file, p.field) for p in caught.value.problems}
    assert found == {
        ("tomsk/pack.yaml", "mentee_categories[1].roadmap"), ("tomsk/pack.yaml", "mentor_term.months"),
        ("tomsk/pack.yaml", "rulesets.bonus"), ("tomsk/pack.yaml", "petitions[0].decided_by"),
        ("tomsk/pack.yaml", "report_calendar[0].day"), ("tomsk/pack.yaml", "roles.mentor.clause"),
        ("tomsk/pack.yaml", "colour"),
    }
    messages = " ".join(p.message for p in caught.value.problems)
    assert "tomsk_newhead" in messages and "mentor_bonus_moscow" in messages and "«003»" in messages


def test_what_a_pack_says_the_seed_does_not_set_needs_the_organizations_choice(tmp_path):
    folder = _copy(tmp_path, "school")

    def break_it(data):
        del data["mentor_term"]["choice"]
        data["report_calendar"][0]["task"] = "party"
        data["mentorship_forms"][1]["mentee"] = "parent"
        data["duties"][0]["feature"] = "coffee"
        data["duties"][1]["by"] = "janitor"
        data["program"]["clause"] = "003 §1.2.6"
    _edit(folder, break_it)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    found = {(p.file, p.field) for p in caught.value.problems}
    assert found == {
        ("school/pack.yaml", "mentor_term.choice"), ("school/pack.yaml", "report_calendar[0].task"),
        ("school/pack.yaml", "mentorship_forms[1].mentee"), ("school/pack.yaml", "duties[0].feature"),
        ("school/pack.yaml", "duties[1].by"), ("school/pack.yaml", "program.clause"),
    }
    assert "не задаёт" in " ".join(p.message for p in caught.value.problems)


def test_a_program_term_given_twice_or_unknown_is_refused(tmp_path):
    folder = _copy(tmp_path, "yakutsk")
    _edit(folder, lambda data: data.update(program={"end": "academic_year_end", "term_months": 12,
                                                    "clause": "004 III.2"}))
    with pytest.raises(PackError, match="либо term_months") as caught:
        load_pack(folder)
    assert [(p.file, p.field) for p in caught.value.problems] == [("yakutsk/pack.yaml", "program.end")]
    _edit(folder, lambda data: data.update(program={"end": "calendar_year_end", "clause": "004 III.2"},
                                           work_forms=[{"id": "Мастер-класс", "label": "x", "clause": "004 III.6"}]))
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    assert {(p.field) for p in caught.value.problems} == {"program.end", "work_forms[0].id"}


def test_a_label_cut_at_an_unquoted_comma_is_refused(tmp_path):
    folder = _copy(tmp_path, "yakutsk")
    manifest = folder / "pack.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'label: "Педагог, впервые принятый по основному месту работы"',
        "label: Педагог, впервые принятый по основному месту работы"), encoding="utf-8")
    with pytest.raises(PackError, match="возьмите подпись в кавычки") as caught:
        load_pack(folder)
    assert [p.field for p in caught.value.problems] == [
        "mentee_categories[1].впервые принятый по основному месту работы"]
    assert [c.label for c in pack("yakutsk").mentee_categories][:2] == [  # 004 I.3, whole
        "Педагог, испытывающий затруднения в профессиональной деятельности",
        "Педагог, впервые принятый по основному месту работы"]


def test_a_roadmap_problem_is_named_by_its_file_and_a_category_it_names_must_exist(tmp_path):
    folder = _copy(tmp_path)
    roadmap = folder / "roadmaps" / "tomsk_new_head.yaml"
    data = yaml.safe_load(roadmap.read_text(encoding="utf-8"))
    del data["stages"][0]["events"][0]["name"]
    roadmap.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    other = folder / "roadmaps" / "tomsk_reservist.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("mentee_category: reservist",
                                                                "mentee_category: teacher"), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    found = {(p.file, p.field) for p in caught.value.problems}
    assert ("tomsk/roadmaps/tomsk_new_head.yaml", "stages[0].events[0].name") in found
    assert ("tomsk/roadmaps/tomsk_reservist.yaml", "mentee_category") in found


def test_a_folder_without_a_manifest_or_with_another_id_is_refused(tmp_path):
    folder = _copy(tmp_path)
    _edit(folder, lambda data: data.update(id="tomsk2"))
    with pytest.raises(PackError, match="не совпадает с именем папки"):
        load_pack(folder)
    (folder / "pack.yaml").unlink()
    with pytest.raises(PackError, match="нет файла pack.yaml"):
        load_pack(folder)


def test_two_packs_may_not_ship_the_same_roadmap(tmp_path):
    _copy(tmp_path, "tomsk")
    twin = _copy(tmp_path, "yakutsk")
    shutil.copy(PACKS_DIRECTORY / "tomsk" / "roadmaps" / "tomsk_new_head.yaml", twin / "roadmaps")
    _edit(twin, lambda data: data["mentee_categories"].append(
        {"id": "new_head", "label": "x", "clause": "004 I.3", "roadmap": "tomsk_new_head"}))
    with pytest.raises(PackError, match="уже есть в tomsk"):
        load_packs(tmp_path)


def test_the_stage_plan_fits_inside_the_program_term(tmp_path):
    """003 §1.2.6: the program lasts 24 months and its stages (1 + 4 + 9 + 1) fit inside; a term shorter than a
    roadmap's stages is refused naming the roadmap."""
    folder = _copy(tmp_path, "tomsk")
    _edit(folder, lambda data: data["program"].update(term_months=12))
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    found = {(p.file, p.field) for p in caught.value.problems}
    assert ("tomsk/roadmaps/tomsk_new_head.yaml", "stages") in found
    assert "дольше срока программы (12 мес." in " ".join(p.message for p in caught.value.problems)


def test_the_periodic_report_s_indicators_are_cited_typed_and_staged(tmp_path):
    """``report_indicators`` (002 §5 names them; any pack may): each a percent, count or text of the monitoring of
    the process or of the impact, cited by the pack's own regulation; the 002 set the tests run reads cleanly."""
    from tests.packs import indicators_002

    assert [(i.kind, i.stage) for i in indicators_002()][:3] == [
        ("text", "process"), ("count", "process"), ("percent", "process")]
    folder = _copy(tmp_path)

    def declare(data):
        data["report_indicators"] = [
            {"id": "heads_trained", "label": "Обученные руководители", "kind": "count", "clause": "003 §3.3"},
            {"id": "share", "label": "Доля", "kind": "ratio", "stage": "process", "clause": "003 §3.3"},
            {"id": "effect", "label": "Влияние", "stage": "outcome", "clause": "002 §5"}]
    _edit(folder, declare)
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    found = {(p.field, p.message) for p in caught.value.problems}
    assert found == {("report_indicators[1].kind", "«ratio»: ожидается одно из percent, count, text"),
                     ("report_indicators[2].stage", "«outcome»: ожидается одно из process, impact"),
                     ("report_indicators[2].clause",
                      "ссылка «002 §5» должна начинаться с номера положения «003»")}
