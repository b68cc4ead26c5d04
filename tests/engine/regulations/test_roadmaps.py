"""Every pack's roadmaps (rules/<pack>/roadmaps/) against the seed regulations (003 прил. 1-4, 004, …) and the
loader's refusals. The fidelity checks (texts verbatim, rows in printed order) run over every roadmap of every pack."""
from __future__ import annotations

import copy
import dataclasses
import os
import re
from pathlib import Path

import pytest
import yaml

from engine.errors import NastavnikError, NotFound
from engine.regulations import PACKS_DIRECTORY, all_roadmaps, pack
from engine.regulations.roadmaps import Roadmap, load_roadmap

SEEDS = Path(os.environ.get("NASTAVNIK_SEEDS", "/work/shared/seeds"))
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found in {SEEDS}")

ROADMAPS = all_roadmaps()
TOMSK_DIR = PACKS_DIRECTORY / "tomsk" / "roadmaps"
YAKUTSK_DIR = PACKS_DIRECTORY / "yakutsk" / "roadmaps"
IDS = sorted(ROADMAPS)

# Counted by hand in the seeds: events per stage, in stage order.
EXPECTED_EVENTS = {
    "tomsk_new_head": [4, 9, 7, 2],             # 003 прил. 1
    "tomsk_reservist": [4, 8, 8, 2],            # 003 прил. 2
    "tomsk_low_results_school": [3, 6, 8, 2],   # 003 прил. 3
    "tomsk_low_efficiency_head": [3, 9, 7, 2],  # 003 прил. 4
    "yakutsk_school": [6, 1, 1, 1, 1, 2, 3, 1, 1, 1],  # 004, карта общеобразовательных учреждений
    "school_pair": [4, 3, 2],  # 001: no printed table; stages composed of the seed's words (scheme composed)
    "college_personal": [3, 2, 2],  # 002: no printed table; composed of 002 §1.2, §3.2, §4.1.3, §4.1.4
    "vsosh_process": [3, 2, 2],  # 000: no printed table; composed of 000 §2.2, §3.2, §3.5, §3.6, §3.7
}
COMPOSED = sorted(i for i in IDS if ROADMAPS[i].scheme == "composed")
PRINTED = sorted(i for i in IDS if ROADMAPS[i].scheme != "composed")
CATEGORIES = {
    "new_head": "tomsk_new_head",
    "reservist": "tomsk_reservist",
    "low_results_school_head": "tomsk_low_results_school",
    "low_efficiency_head": "tomsk_low_efficiency_head",
}


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seed_text(roadmap: Roadmap) -> str:
    return (SEEDS / roadmap.seed_file).read_text(encoding="utf-8")


def seed_section(roadmap: Roadmap) -> str:
    """The roadmap's table in the seed (``seed_lines``), HTML tags removed, whitespace collapsed."""
    first, last = map(int, roadmap.seed_lines.split("-"))
    lines = seed_text(roadmap).split("\n")[first - 1:last]
    return collapse(re.sub(r"<[^>]+>", " ", "\n".join(lines)))


def clause_text(seed_file: str, clause: str) -> str:
    """The text of one numbered clause of a seed («001 §5.1»: from the line «5.1.» up to the next numbered
    line), whitespace collapsed."""
    label = clause.split("§", 1)[1].strip()
    lines = (SEEDS / seed_file).read_text(encoding="utf-8").split("\n")
    # «3.3  широкое информирование» (000): a seed may number a clause without the dot after it
    start = next(i for i, line in enumerate(lines) if re.match(rf"{re.escape(label)}\.?\s", line))
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"\d+(\.\d+)*\.\s", lines[i])), len(lines))
    return collapse("\n".join(lines[start:end]))


def quoted(text: str, source: str) -> bool:
    """``text`` is a quotation of ``source``: verbatim, whitespace collapsed; a composed text may raise the case
    of its first letter (it begins a title or an event the seed has inside a sentence)."""
    text = collapse(text)
    return text in source or (text[:1].lower() + text[1:]) in source


def texts_in_table(roadmap: Roadmap) -> list[str]:
    found = [roadmap.title, roadmap.report_rule, *roadmap.report_forms_listed]
    for stage in roadmap.stages:
        found += [stage.title, stage.term_as_printed, stage.report_form]
        for event in stage.events:
            found += [event.name, event.report_form, event.due_as_printed, event.responsible,
                      *event.items, *event.expected_results]
    return [text for text in found if text is not None]


def test_the_seed_roadmaps_load_and_each_says_where_it_is_printed():
    assert set(EXPECTED_EVENTS) <= set(IDS)
    assert all(ROADMAPS[roadmap_id].seed_lines for roadmap_id in IDS)


@needs_seeds
@pytest.mark.parametrize("roadmap_id", IDS)
def test_every_text_is_verbatim_from_its_table(roadmap_id):
    roadmap = ROADMAPS[roadmap_id]
    section = seed_section(roadmap)
    composed = roadmap.scheme == "composed"
    missing = [text for text in texts_in_table(roadmap)
               if not (quoted(text, section) if composed else collapse(text) in section)]
    assert missing == []
    whole = collapse(seed_text(roadmap))  # the model name (003 §3.7) and the order's date lie outside the table
    assert collapse(roadmap.short_title) in whole
    if not composed:  # 001 prints no approval of a roadmap: it prints no roadmap
        assert collapse(roadmap.approval_as_printed) in whole


@needs_seeds
@pytest.mark.parametrize("roadmap_id", PRINTED)
def test_events_are_the_printed_rows_in_printed_order(roadmap_id):
    roadmap = ROADMAPS[roadmap_id]
    section = seed_section(roadmap)
    position = -1
    for event in roadmap.events:
        row = collapse(f"{event.number_as_printed} {event.name}")
        assert row in section, row
        assert section.index(row) > position, f"{event.number} is out of order"
        position = section.index(row)
    first, last = map(int, roadmap.seed_lines.split("-"))
    lines = seed_text(roadmap).split("\n")[first - 1:last]
    printed = [m.group(1) for line in lines if (m := re.match(r"\t?(\d+(?:\.\d+)+\.?)[\t ]", line))]
    assert printed == [event.number_as_printed for event in roadmap.events]


@needs_seeds
@pytest.mark.parametrize("roadmap_id", COMPOSED)
def test_a_composed_roadmap_quotes_each_text_from_the_clause_it_cites(roadmap_id):
    """No table to copy (001): every stage title and event is a quotation of the clause named in its source,
    the clause is one of the seed's inventory, numbers run 1, 2, … and 1.1, 1.2, … in order, and every stage
    has the organization's length (the seed gives none)."""
    from tests.clause_coverage import load_inventory

    roadmap = ROADMAPS[roadmap_id]
    inventory = next(seed for seed in load_inventory() if seed.seed_file == roadmap.seed_file)
    known = {c.clause for c in inventory.clauses}
    wrong = []
    for n, stage in enumerate(roadmap.stages, start=1):
        assert stage.number == stage.number_as_printed == str(n)
        assert stage.planned_months and stage.term_as_printed is None
        for item, source in [(stage.title, stage.source), *((e.name, e.source) for e in stage.events)]:
            if source not in known or not quoted(item, clause_text(roadmap.seed_file, source)):
                wrong.append((item, source))
        assert [e.number for e in stage.events] == [f"{n}.{k}" for k in range(1, len(stage.events) + 1)]
    assert wrong == []
    probe = "001 §6.1" if roadmap.seed_file.startswith("001") else roadmap.stages[-1].source
    assert not quoted("Индивидуальный план", clause_text(roadmap.seed_file, probe))  # the check can fail


@pytest.mark.parametrize("roadmap_id", sorted(EXPECTED_EVENTS))
def test_event_counts_per_stage(roadmap_id):
    assert [len(stage.events) for stage in ROADMAPS[roadmap_id].stages] == EXPECTED_EVENTS[roadmap_id]


@pytest.mark.parametrize("roadmap_id", [i for i in IDS if i.startswith("tomsk_")])
def test_tomsk_roadmaps_have_four_stages_of_1_4_9_1_months(roadmap_id):
    roadmap = ROADMAPS[roadmap_id]
    assert [stage.id for stage in roadmap.stages] == ["diagnosis", "consultation", "activity", "reflection"]
    assert [stage.planned_months for stage in roadmap.stages] == [1, 4, 9, 1]
    assert roadmap.total_planned_months == 15
    assert [stage.title for stage in roadmap.stages] == [
        "1 ЭТАП. ОРГАНИЗАЦИОННЫЙ", "2. ЭТАП. КОНСУЛЬТАЦИОННЫЙ", "3 ЭТАП. ДЕЯТЕЛЬНОСТНЫЙ", "4 ЭТАП. РЕФЛЕКСИВНЫЙ"]
    assert all(stage.report_form == "Информационная справка" for stage in roadmap.stages[:3])


def test_stage_report_forms_of_the_last_stage_differ_by_appendix():
    last = {roadmap_id: ROADMAPS[roadmap_id].stages[-1].report_form for roadmap_id in CATEGORIES.values()}
    assert last == {
        "tomsk_new_head": "Аналитическая справка",
        "tomsk_reservist": None,  # прил. 2 leaves the column empty
        "tomsk_low_results_school": "Аналитический отчет",
        "tomsk_low_efficiency_head": "Аналитическая справка",
    }
    assert ROADMAPS["tomsk_reservist"].stages[-1].term_as_printed == "1 месяца"


@needs_seeds
def test_shnor_event_3_8_gives_an_analytic_report():
    roadmap = ROADMAPS["tomsk_low_results_school"]
    event = roadmap.event("3.8")
    assert event.number_as_printed == "3.8."
    assert event.report_form == "Аналитический отчет"
    assert "3.8. Семинар в школе наставляемых «Наступление позитивных изменений». Аналитический отчет" \
        in seed_section(roadmap)
    others = [e.number for rm in ROADMAPS.values() for e in rm.events if e.report_form and e is not event]
    assert others == []
    assert roadmap.report_rule == "ОТЧЕТ представляется после завершения каждого этапа"
    assert roadmap.report_forms_listed == ("Информационная справка", "Аналитическая справка")


def test_numbers_keep_the_printed_form():
    new_head = ROADMAPS["tomsk_new_head"]
    assert (new_head.event("2.2").number_as_printed, new_head.event("2.6").number_as_printed) == ("2.2.", "2.6")
    assert ROADMAPS["tomsk_low_results_school"].event("3.3").number_as_printed == "3.3"


def test_yakutsk_school_roadmap_keeps_its_columns():
    roadmap = ROADMAPS["yakutsk_school"]
    assert roadmap.mentee_category is None and roadmap.total_planned_months is None
    assert roadmap.event("1.2").name == "Назначение ответственного по школе за реализацию Модели наставничества"
    assert roadmap.event("1.2").responsible == "Директор школы"
    assert roadmap.event("5.1").items[0] == "Защита программ деятельности наставнических пар (групп);"
    assert roadmap.event("7.2").due_as_printed == "Январь 2022"
    assert roadmap.stage("monitoring_completion").events[0].due_as_printed == "Май 2022"
    assert len(roadmap.event("1.3").items) == 5


@pytest.mark.parametrize(("category", "roadmap_id"), sorted(CATEGORIES.items()))
def test_the_tomsk_pack_routes_each_category_to_its_roadmap(category, roadmap_id):
    assert pack("tomsk").category(category).roadmap == roadmap_id
    assert ROADMAPS[roadmap_id].mentee_category == category


def test_an_unknown_category_is_refused_by_name():
    with pytest.raises(NotFound, match="student"):
        pack("tomsk").category("student")


def test_roadmap_objects_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ROADMAPS["tomsk_new_head"].stages[0].events[0].name = "x"  # type: ignore[misc]


# ---- refusals -----------------------------------------------------------------------------------

def _set(path: str, value, *more):
    """A change to the parsed YAML: set (or delete) the value at ``path``; ``more`` are further pairs."""
    def change(data):
        *parents, last = path.split("/")
        node = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        key = int(last) if last.isdigit() else last
        if value is _DELETE:
            del node[key]
        else:
            node[key] = value
        if more:
            _set(*more)(data)
    return change


_DELETE = object()
BROKEN = [
    (_set("stages/2/events/0/name", _DELETE), "stages[2].events[0].name", "отсутствует"),
    (_set("title", _DELETE), "title", "отсутствует"),
    (_set("stages/1/id", "Консультации"), "stages[1].id", "строчные латинские буквы"),
    (_set("stages/0/planned_months", 0), "stages[0].planned_months", "больше нуля"),
    (_set("stages/3/planned_months", -1), "stages[3].planned_months", "больше нуля"),
    (_set("stages/2/planned_months", 8), "stages[2].planned_months", "не совпадает"),
    (_set("stages/1/events/3/number", "2.2", "stages/1/events/3/number_as_printed", "2.2."),
     "stages[1].events[3].number", "повторяется"),
    (_set("stages/1/events/0/number", "3.1", "stages/1/events/0/number_as_printed", "3.1"),
     "stages[1].events[0].number", "не относится"),
    (_set("stages/1/events/0/number_as_printed", "2.10"), "stages[1].events[0].number", "напечатанным"),
    (_set("stages/0/events/0/nmae", "x"), "stages[0].events[0].nmae", "неизвестное поле"),
    (_set("stages/0/term_as_printed", _DELETE), "stages[0].term_as_printed", "отсутствует"),
    (_set("id", "tomsk_other"), "id", "именем файла"),
    (_set("stages/0/events", []), "stages[0].events", "непустой список"),
]


@pytest.mark.parametrize(("change", "field", "words"), BROKEN, ids=[field for _, field, _ in BROKEN])
def test_broken_roadmap_is_refused_naming_file_and_field(tmp_path, change, field, words):
    data = copy.deepcopy(yaml.safe_load((TOMSK_DIR / "tomsk_new_head.yaml").read_text(encoding="utf-8")))
    change(data)
    path = tmp_path / "tomsk_new_head.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(NastavnikError) as caught:
        load_roadmap(path)
    assert caught.value.where == f"tomsk_new_head.yaml: {field}"
    assert words in caught.value.message


def test_unparsable_yaml_names_the_file(tmp_path):
    path = tmp_path / "tomsk_new_head.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(NastavnikError) as caught:
        load_roadmap(path)
    assert caught.value.where == "tomsk_new_head.yaml"


def test_yakutsk_event_without_responsible_is_refused(tmp_path):
    data = yaml.safe_load((YAKUTSK_DIR / "yakutsk_school.yaml").read_text(encoding="utf-8"))
    del data["stages"][6]["events"][1]["responsible"]
    path = tmp_path / "yakutsk_school.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(NastavnikError) as caught:
        load_roadmap(path)
    assert caught.value.where == "yakutsk_school.yaml: stages[6].events[1].responsible"


@pytest.mark.parametrize(("change", "field", "words"), [
    (_set("stages/1/events/0/source", _DELETE), "stages[1].events[0].source", "отсутствует"),
    (_set("stages/0/source", "§5.1"), "stages[0].source", "ссылка на пункт"),
    (_set("stages/2/planned_months", _DELETE), "stages[2].planned_months", "отсутствует"),
])
def test_a_composed_roadmap_needs_the_clause_of_every_text_and_every_length(tmp_path, change, field, words):
    data = yaml.safe_load((PACKS_DIRECTORY / "school" / "roadmaps" / "school_pair.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "school_pair.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(NastavnikError) as caught:
        load_roadmap(path)
    assert caught.value.where == f"school_pair.yaml: {field}"
    assert words in caught.value.message
