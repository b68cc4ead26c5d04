"""Pack parts tied to kinds of organization: the school formats (004 прил. 2 п. 1.3), the school's mentee base
(004 прил. 2 п. 2.1) and the ДОУ's (004 прил. 3 п. 2.1) offered by the organization's kind, and the calendar
roadmap a school runs each academic year (004 п. 4.3); a broken part is refused naming file and field."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from engine.errors import NotFound
from engine.regulations import PACKS_DIRECTORY, PackError, load_pack, pack
from engine.vocabulary import ORGANIZATION_KIND_LABELS
from tests.engine.regulations.test_roadmaps import SEEDS, needs_seeds

# the seed's own misprint, corrected in the label (rules/yakutsk/pack.yaml says so)
MISPRINTS = {"Начинающий педагог – руководитель": "Начинаящий педагог – руководитель",
             "Начинающий педагог": "Начинаящий педагог"}

SCHOOL_FORMS = [  # 004 прил. 2 п. 1.3, in printed order
    "Опытный педагог – молодой специалист (освоение основ мастерства)",
    "Опытный классный руководитель – начинающий классный руководитель",
    "Педагог-исследователь, новатор – педагог, готовый к освоению новаций",
    "Опытный руководитель – начинающий руководитель",
    "Педагог-лидер – вновь принятый в коллектив педагог",
]
SCHOOL_CATEGORIES = ["Молодой специалист (освоение основ мастерства)", "Начинающий классный руководитель",
                     "Педагог, готовый к освоению новаций", "Начинающий руководитель",
                     "Вновь принятый в коллектив педагог"]
DOU_CATEGORIES = ["Начинающий педагог", "Молодой педагог", "Педагог, готовящийся к аттестации",
                  "Педагог, участвующий в профессиональном конкурсе, смотре", "Начинающий педагог-исследователь"]


def test_the_kinds_of_organization_have_russian_labels_for_every_kind_of_the_database():
    from engine.db.models import OrganizationKind
    assert set(ORGANIZATION_KIND_LABELS) == {kind.value for kind in OrganizationKind}


def test_a_school_is_offered_the_school_base_and_a_kindergarten_the_dou_base():
    yakutsk = pack("yakutsk")
    assert [c.label for c in yakutsk.categories_for("school")] == SCHOOL_CATEGORIES
    assert [c.label for c in yakutsk.categories_for("kindergarten")] == DOU_CATEGORIES
    assert [f.label for f in yakutsk.forms_for("school")] == SCHOOL_FORMS
    assert {c.clause for c in yakutsk.categories_for("kindergarten")} == {"004 прил. 3 п. 2.1"}
    network = {c.id for c in yakutsk.categories_for("department")}  # the trainees of 004 I.3
    assert network == {"teacher_with_difficulties", "newly_hired", "new_in_post", "low_results_school_staff"}
    assert not network & {c.id for c in yakutsk.categories_for("school")}


@needs_seeds
@pytest.mark.parametrize("label", SCHOOL_FORMS + SCHOOL_CATEGORIES + DOU_CATEGORIES
                         + [f.label for f in pack("yakutsk").forms_for("kindergarten")])
def test_the_labels_are_the_seeds_words(label):
    seed = re.sub(r"\s+", " ", (SEEDS / pack("yakutsk").seed_file).read_text(encoding="utf-8"))
    printed = MISPRINTS.get(label, label)
    assert printed in seed or printed[0].lower() + printed[1:] in seed


def test_a_category_or_form_of_another_kind_is_refused_in_russian_naming_the_clause():
    yakutsk = pack("yakutsk")
    assert yakutsk.category("dou_attestation", "kindergarten").label == "Педагог, готовящийся к аттестации"
    with pytest.raises(NotFound) as caught:
        yakutsk.category("dou_attestation", "school")
    assert "«Педагог, готовящийся к аттестации» (004 прил. 3 п. 2.1)" in caught.value.message
    assert "«дошкольная образовательная организация (ДОУ)», а не «общеобразовательная организация»" \
        in caught.value.message
    assert "«Молодой специалист (освоение основ мастерства)»" in caught.value.message  # what a school has
    with pytest.raises(NotFound, match="форма наставничества «Опытный руководитель – начинающий руководитель»"):
        yakutsk.form("school_heads", "kindergarten")
    assert yakutsk.form("school_heads", "school").clause == "004 прил. 2 п. 1.3"


def test_the_school_runs_the_school_roadmap_and_the_director_marks_his_events():
    yakutsk = pack("yakutsk")
    school = yakutsk.roadmap_for("school")
    assert (school.roadmap, school.interim_analysis, school.completion) == ("yakutsk_school", "7.2", "8.1")
    assert yakutsk.process("school_roadmap") == "school_roadmap"
    roadmap = yakutsk.roadmap(school.roadmap)
    assert school.role_of(roadmap.event("1.2").responsible) == "head"  # «Директор школы» (004 прил. 2 п. 1.2)
    assert school.role_of(roadmap.event("2.1").responsible) == "curator"  # «Ответственный по школе»
    with pytest.raises(NotFound, match="не задаёт дорожной карты для организаций вида «дошкольная"):
        yakutsk.roadmap_for("kindergarten")


# ---- refusals -----------------------------------------------------------------------------------

def _broken(tmp_path: Path, change) -> PackError:
    folder = tmp_path / "yakutsk"
    shutil.copytree(PACKS_DIRECTORY / "yakutsk", folder)
    manifest = folder / "pack.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    change(data)
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    return caught.value


def test_kinds_of_organization_are_checked_by_file_and_field(tmp_path):
    def break_it(data):
        data["organization_kinds"].append("university")
        data["mentee_categories"][4]["organization_kinds"] = ["college"]  # a kind the pack does not have
        data["mentorship_forms"][1]["organization_kinds"] = "school"
    error = _broken(tmp_path, break_it)
    found = {(p.file, p.field): p.message for p in error.problems}
    assert set(found) == {("yakutsk/pack.yaml", "organization_kinds"),
                          ("yakutsk/pack.yaml", "mentee_categories[4].organization_kinds"),
                          ("yakutsk/pack.yaml", "mentorship_forms[1].organization_kinds")}
    assert "«university» нет среди видов системы" in found[("yakutsk/pack.yaml", "organization_kinds")]
    assert "«college» нет среди видов положения" in found[("yakutsk/pack.yaml", "mentee_categories[4].organization_kinds")]
    assert found[("yakutsk/pack.yaml", "mentorship_forms[1].organization_kinds")] == "ожидается список видов организаций"


def test_an_organization_roadmap_is_checked_by_file_and_field(tmp_path):
    def break_it(data):
        entry = data["organization_roadmaps"][0]
        entry["interim_analysis"] = "7.9"
        entry["performers"] = {"head": ["Директор гимназии"], "mentor": ["Ответственный по школе"]}
        data["organization_roadmaps"].append({"roadmap": "yakutsk_kindergarten", "clause": "003 §1",
                                              "completion": "8.1"})
    error = _broken(tmp_path, break_it)
    found = {p.field: p.message for p in error.problems if p.file == "yakutsk/pack.yaml"}
    assert set(found) == {"organization_roadmaps[0].interim_analysis", "organization_roadmaps[0].performers.head",
                          "organization_roadmaps[0].performers.mentor", "organization_roadmaps[1].roadmap",
                          "organization_roadmaps[1].organization_kinds", "organization_roadmaps[1].clause"}
    assert found["organization_roadmaps[0].interim_analysis"] == "в дорожной карте «yakutsk_school» нет мероприятия 7.9"
    assert "«Директор гимназии» нет в колонке «Исполнители»" in found["organization_roadmaps[0].performers.head"]


def test_a_staged_roadmap_is_not_run_by_the_academic_year(tmp_path):
    folder = tmp_path / "tomsk"
    shutil.copytree(PACKS_DIRECTORY / "tomsk", folder)
    manifest = folder / "pack.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["organization_roadmaps"] = [{"roadmap": "tomsk_new_head", "organization_kinds": ["school"],
                                      "clause": "003 §3.3", "completion": "4.2"}]
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(folder)
    problems = {(p.file, p.field): p.message for p in caught.value.problems}
    assert "не календарная (scheme: staged)" in problems[("tomsk/pack.yaml", "organization_roadmaps[0].roadmap")]


def test_an_unknown_field_of_a_category_is_refused_so_an_unquoted_comma_cannot_cut_a_label(tmp_path):
    def break_it(data):  # what «label: Педагог, испытывающий затруднения…» in a flow mapping reads as
        data["mentee_categories"][0] = {"id": "x", "label": "Педагог", "испытывающий затруднения": None,
                                        "clause": "004 I.3"}
    error = _broken(tmp_path, break_it)
    [problem] = error.problems
    assert (problem.file, problem.field) == ("yakutsk/pack.yaml", "mentee_categories[0].испытывающий затруднения")
    assert "возьмите подпись в кавычки" in problem.message
