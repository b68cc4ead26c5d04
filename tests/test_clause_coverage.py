"""The clause inventory (tests/clauses/seed_NNN.yaml) is true to the seeds, and the coverage count
(tests/clause_coverage.py) reads citations the way its docstring says: a methodologist adds a clause, quotes
the seed, cites it in a rule file, and the count moves."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.clause_coverage import (
    CLAUSE_FORM,
    SEED_NUMBERS,
    Clause,
    InventoryError,
    SeedInventory,
    citations_in,
    cites,
    collapse,
    coverage,
    find_quote,
    load_inventory,
    load_seed_inventory,
    main,
    render_markdown,
)

SEEDS = Path(os.environ.get("NASTAVNIK_SEEDS", "/work/shared/seeds"))
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found in {SEEDS}")
INVENTORY = load_inventory()


def _seed_text(inventory: SeedInventory) -> str:
    return (SEEDS / inventory.seed_file).read_text(encoding="utf-8")


def _ids(inventory: SeedInventory) -> str:
    return inventory.seed


# -- the inventory is true to the seeds ------------------------------------------------------------

def test_each_seed_has_its_inventory_naming_its_file():
    assert [inventory.seed for inventory in INVENTORY] == list(SEED_NUMBERS)
    for inventory in INVENTORY:
        assert inventory.seed_file.startswith(inventory.seed + "_") and inventory.seed_file.endswith(".txt")
        assert inventory.title and inventory.clauses
        assert any(clause.applicable for clause in inventory.clauses)


@needs_seeds
@pytest.mark.parametrize("inventory", INVENTORY, ids=_ids)
def test_every_quote_stands_in_its_seed_in_the_order_of_the_entries(inventory):
    """Whitespace-normalised, through the seed's hyphenation; each quote is sought after the previous entry's, so
    a roadmap row that several appendices repeat word for word is found in its own appendix."""
    seed = collapse(_seed_text(inventory))
    position = 0
    for clause in inventory.clauses:
        found = find_quote(clause.quote, seed, position)
        assert found >= 0, (f"{clause.clause}: цитата «{clause.quote}» не найдена в {inventory.seed_file} после "
                            f"цитаты предыдущего пункта" + (" (есть раньше)" if find_quote(clause.quote, seed) >= 0
                                                            else ""))
        position = found


@pytest.mark.parametrize("inventory", INVENTORY, ids=_ids)
def test_quotes_are_short_single_line_fragments(inventory):
    for clause in inventory.clauses:
        assert clause.quote == collapse(clause.quote) and 15 <= len(clause.quote) <= 120, clause.clause
        assert clause.summary.strip() and "\n" not in clause.summary, clause.clause


@pytest.mark.parametrize("inventory", INVENTORY, ids=_ids)
def test_every_citation_has_the_projects_form_and_belongs_to_its_seed(inventory):
    for clause in inventory.clauses:
        match = CLAUSE_FORM.fullmatch(clause.clause)
        assert match is not None, f"{clause.clause}: не ссылка вида «003 §3.5», «004 III.2», «004 прил. 2 п. 7.2»"
        assert match.group("seed") == inventory.seed == clause.seed
        assert citations_in(f"({clause.clause}).") == {clause.clause}, f"{clause.clause}: счёт прочтёт её иначе"


@pytest.mark.parametrize("inventory", INVENTORY, ids=_ids)
def test_no_clause_is_listed_twice_and_every_skipped_one_says_why(inventory):
    citations = [clause.clause for clause in inventory.clauses]
    assert len(citations) == len(set(citations)), sorted(c for c in citations if citations.count(c) > 1)
    for clause in inventory.clauses:
        assert clause.applicable or clause.reason, clause.clause
        assert not (clause.applicable and clause.reason), f"{clause.clause}: причина у применимого пункта"


def _printed_number(clause: str) -> str | None:
    """The number the seed prints at the start of the clause's line («3.5.», «- 3.1.», «1)», «2.»)."""
    item = re.search(r"\((\d+)\)$", clause)
    if item:
        return item.group(1)
    number = re.search(r"(?:§|п\. |[IV]\.)(\d+(?:\.\d+)*)$", clause)
    return number.group(1) if number else None


@needs_seeds
@pytest.mark.parametrize("inventory", INVENTORY, ids=_ids)
def test_every_numbered_clause_is_numbered_so_in_its_seed(inventory):
    text = _seed_text(inventory)
    for clause in inventory.clauses:
        roman = re.search(r" (IV|V|I{1,3})\.", clause.clause)
        if roman:
            assert re.search(rf"(?m)^{roman.group(1)}\. ", text), clause.clause
        appendix = re.fullmatch(r"\d{3} прил\. (\d+)", clause.clause)
        if appendix:
            assert f"Приложение {appendix.group(1)}" in text, clause.clause
        number = _printed_number(clause.clause)
        if number:
            assert re.search(rf"(?m)^[\s\-–]*{re.escape(number)}[.)]?\s", text), f"{clause.clause}: нет «{number}»"


# -- reading citations -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Наставник назначается на два года (003 §3.4).", {"003 §3.4"}),
    ("criterion (2) of 003 §3.5 (2): contests", {"003 §3.5 (2)"}),
    ("003 §9.3. Премия", {"003 §9.3"}),
    ("003\n    §3.6.1 — категории", {"003 §3.6.1"}),
    ("003 § 7.2", {"003 §7.2"}),
    ("003 §3.4–3.5", {"003 §3.4", "003 §3.5"}),
    ("003 прил. 1-4", {"003 прил. 1", "003 прил. 2", "003 прил. 3", "003 прил. 4"}),
    ("the four roadmaps (003 appendices 1–4)", {"003 прил. 1", "003 прил. 2", "003 прил. 3", "003 прил. 4"}),
    ("(003 §3.3, §3.4, §3.5; 004 II.2, III.2)", {"003 §3.3", "003 §3.4", "003 §3.5", "004 II.2", "004 III.2"}),
    ("003 §7.1 б, §7.2 и §9.3", {"003 §7.1", "003 §7.2", "003 §9.3"}),
    ("004 прил. 2 п. 7.2 (промежуточный анализ)", {"004 прил. 2 п. 7.2"}),
    ("004 п. 4.1 — куратор", {"004 п. 4.1"}),
    ("004 IV", {"004 IV"}),
    ("001 преамбула", {"001 преамбула"}),
])
def test_citations_are_read_in_the_forms_the_project_writes(text, expected):
    assert citations_in(text) == expected


@pytest.mark.parametrize("text", [
    "п. 3.5 Положения",  # no seed number
    "003 Положение о наставничестве руководителей, §9.3",  # words between the seed and the clause
    "1003 §3.5", "v2.003 §3.5",  # a longer number
    "003 II.2",  # roman sections are 004's only
    "003_e495fc76b2d59434.txt",  # the seed's file name
    "003 §3.5 - 2 years",  # a spaced dash is no range: only §3.5
])
def test_what_is_not_a_citation_is_not_read(text):
    assert citations_in(text) <= {"003 §3.5"}


@pytest.mark.parametrize(("citation", "clause", "counts"), [
    ("003 §3.5", "003 §3.5", True),
    ("003 §3.5 (2)", "003 §3.5", True),
    ("003 §3.5.1", "003 §3.5", True),
    ("003 §3.5", "003 §3.5.1", False),  # the general does not encode the particular
    ("003 §3.10", "003 §3.1", False),
    ("003 §3.1", "003 §3.10", False),
    ("004 III.2", "004 II.2", False),
    ("004 II.2", "004 I.2", False),
    ("004 III.2", "004 III", True),
    ("004 прил. 2 п. 7.2", "004 прил. 2", True),
    ("004 прил. 2 п. 3.1", "004 п. 3", False),  # a roadmap row is not a point of the order
    ("004 прил. 1 п. 3.1.1", "004 прил. 1 п. 3.1", True),
    ("004 прил. 12 п. 1.1", "004 прил. 1", False),
])
def test_a_citation_counts_for_its_clause_and_those_above_it(citation, clause, counts):
    assert cites(citation, clause) is counts


# -- counting --------------------------------------------------------------------------------------

def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _clause(citation: str, applicable: bool = True) -> Clause:
    return Clause(seed=citation[:3], clause=citation, quote="…", summary="суть", applicable=applicable,
                  reason="" if applicable else "определение")


def _planted_world(root: Path) -> list[SeedInventory]:
    _write(root, "rules/tomsk/eligibility.yaml", 'source: "003 §3.5 (1)"\n')
    _write(root, "engine/services/bonus.py", "# премия: 003 §9.3\n")
    _write(root, "workflows/program.bpmn", "<bpmn:task name='Продление (003 §7.2)'/>\n")
    _write(root, "engine/demo/story.py", "# 003 §7.1 б: досрочное завершение\n")  # the demo is no product
    _write(root, "web/static/vendor/lib.html", "003 §6.2\n")  # vendored
    _write(root, "engine/notes.bin", "003 §6.2\n")  # not a text file the count reads
    _write(root, "docs/decisions.md", "003 §6.2\n")  # outside the product's folders
    _write(root, "tests/engine/test_bonus.py", "def test_bonus():  # 003 §9.3\n    pass\n")
    _write(root, "tests/clauses/seed_003.yaml", "clause: '003 §7.2'\n")  # the inventory itself is no test
    return [SeedInventory(seed="003", seed_file="003_x.txt", title="Томск", clauses=(
        _clause("003 §1.2.1", applicable=False), _clause("003 §3.5"), _clause("003 §3.5.1"), _clause("003 §6.2"),
        _clause("003 §7.1"), _clause("003 §7.2"), _clause("003 §9.3")))]


def test_a_planted_citation_makes_its_clause_encoded_and_a_test_citation_tested(tmp_path):
    [seed] = coverage(tmp_path, _planted_world(tmp_path))
    where = {item.clause.clause: (item.encoded_in, item.tested_in) for item in seed.clauses}
    assert where == {
        "003 §1.2.1": ((), ()),
        "003 §3.5": (("rules/tomsk/eligibility.yaml",), ()),
        "003 §3.5.1": ((), ()),
        "003 §6.2": ((), ()),
        "003 §7.1": ((), ()),
        "003 §7.2": (("workflows/program.bpmn",), ()),
        "003 §9.3": (("engine/services/bonus.py",), ("tests/engine/test_bonus.py",)),
    }
    assert (len(seed.applicable), seed.encoded, seed.tested) == (6, 3, 1)


def test_the_report_names_the_clause_its_files_and_the_shares(tmp_path):
    document = render_markdown(coverage(tmp_path, _planted_world(tmp_path)))
    assert document.startswith("# Покрытие пунктов регламентов\n")
    assert "| 003 | Томск | 7 | 6 | 3 (50 %) | 1 (17 %) |" in document
    assert "| пункт | суть | где закодирован | где проверен |" in document
    assert "| 003 §9.3 | суть | `engine/services/bonus.py` | `tests/engine/test_bonus.py` |" in document
    assert "| 003 §1.2.1 | суть | определение |" in document


def test_this_projects_count_is_sane():
    seeds = coverage()
    assert [seed.inventory.seed for seed in seeds] == list(SEED_NUMBERS)
    root = Path(__file__).resolve().parent.parent
    for seed in seeds:
        assert 0 <= seed.tested <= len(seed.applicable) and 0 <= seed.encoded <= len(seed.applicable)
        for item in seed.clauses:
            assert all((root / path).is_file() for path in item.encoded_in + item.tested_in)
            assert not any(path.startswith(("tests/", "engine/demo/")) for path in item.encoded_in)
            assert not any(path.startswith("tests/clauses/") for path in item.tested_in)
    tomsk = {item.clause.clause: item for item in seeds[3].clauses}
    assert tomsk["003 §3.5"].encoded_in and tomsk["003 §3.5"].tested_in  # the mentor rule: a rule file and its tests


def test_the_command_prints_the_table_and_writes_the_document(tmp_path, capsys):
    _planted_world(tmp_path)
    assert main(["--write", "--root", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0].split() == ["регламент", "пунктов", "применимых", "закодировано", "проверено"]
    assert "003 §9.3: закодирован — engine/services/bonus.py; проверен — tests/engine/test_bonus.py" in printed
    document = (tmp_path / "docs" / "clause-coverage.md").read_text(encoding="utf-8")
    assert "## 004 — " in document and "## Сводка" in document


# -- a broken inventory file is named --------------------------------------------------------------

@pytest.mark.parametrize(("entry", "message"), [
    ("- clause: '001 §2.4'\n  quote: 'до 20 мая'\n  summary: 'мониторинг'\n", "нет поля «applicable»"),
    ("- clause: '001 §2.4'\n  quote: 'до 20 мая'\n  summary: 'мониторинг'\n  applicable: да\n",
     "seed_001.yaml, пункт «001 §2.4»: поле «applicable» должно быть true или false"),
    ("- clause: '001 §7.1'\n  quote: 'вступает в силу'\n  summary: 'срок действия'\n  applicable: false\n",
     "неприменимому пункту нужна причина в поле «reason»"),
    ("- [не словарь]\n", "seed_001.yaml, запись 1: ожидается словарь"),
])
def test_a_broken_entry_is_refused_naming_the_file_the_clause_and_the_field(tmp_path, entry, message):
    path = tmp_path / "seed_001.yaml"
    path.write_text("seed: 001_x.txt\ntitle: Кунара\nclauses:\n" + entry, encoding="utf-8")
    with pytest.raises(InventoryError, match=re.escape(message)):
        load_seed_inventory(path)
