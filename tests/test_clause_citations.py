"""Every clause the product cites where it decides and signs exists in the regulation it names: the rule files,
the regulation packs and the order templates (``rules/``) and the workflows (``workflows/``) are read for
citations — ``003 §7.1 (2)``, ``004 III.2``, ``001 прил. 1`` in the project's form (tests/clause_coverage.py
reads them), and in an order template the Положение's own words, «п. 6.2 Положения», «п. 2 раздела III
Положения», «п. 4.1 приказа», which cite the seed of the template's pack — and each is looked up in the seed's
text (../shared/seeds): the numbered clause is printed there, an item «(2)» is the clause's second dash, a
lettered item («§7.1 а», «подпункт «а»») needs letters the seed prints. 003 §7.1 lists its grounds as dashes,
so «подпункт «а» п. 7.1» cites what the Положение does not have."""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from tests.clause_coverage import CLAUSE_FORM, REPO_ROOT, SKIPPED_PARTS, citations_in, cites, load_inventory


def seeds_directory() -> Path:
    """``NASTAVNIK_SEEDS``, else the ``shared/seeds`` beside the clone (../shared/seeds, where README.md says the
    regulations are), else /work/shared/seeds."""
    for candidate in (os.environ.get("NASTAVNIK_SEEDS"), REPO_ROOT.parent / "shared" / "seeds", "/work/shared/seeds"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return REPO_ROOT.parent / "shared" / "seeds"


SEEDS = seeds_directory()
INVENTORY = load_inventory()
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed texts not found in {SEEDS}")
CITING_FOLDERS = ("rules", "workflows")
TEXT_SUFFIXES = (".yaml", ".yml", ".bpmn", ".j2", ".md")
NUMBER = r"\d+(?:\.\d+)*"
# in an order template: «п. 6.2 Положения», «п. 5.1, 6.2 Положения», «п. 2 раздела III …», «п. 4.1 приказа»,
# «п. 3.4 {{ act.genitive }}», a pair in a dict: ["п. 5.1", …]
TEMPLATE_POINT = re.compile(rf"п\.\s?(?P<numbers>{NUMBER}(?:,\s?{NUMBER})*)(?:\s(?P<where>раздела\s(?P<section>[IV]+)|"
                            rf"приказа))?")
LETTERED = re.compile(rf"(?P<seed>00[0-4])\s§(?P<number>{NUMBER})\s(?P<letter>[а-е])(?![\w.])")
SUBPOINT = re.compile(rf"подпункт[а-я]*\s«(?P<letter>[а-е]|\{{\{{[^}}]*\}}\}})»\s+п\.\s?(?P<number>{NUMBER})")


@lru_cache(maxsize=8)
def seed_text(seed: str) -> str:
    [path] = sorted(SEEDS.glob(f"{seed}_*.txt"))
    return path.read_text(encoding="utf-8")


def _line_of(text: str, number: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
    pattern = re.compile(rf"(?m)^[ \t\-–]*{re.escape(number)}[.)]?[ \t]")
    return pattern.search(text, start, len(text) if end is None else end)


def _clause_body(text: str, number: str) -> str | None:
    """The seed's text of clause ``number``: from its line to the next numbered line."""
    found = _line_of(text, number)
    if found is None:
        return None
    following = re.compile(r"(?m)^[ \t]*\d+(?:\.\d+)*[.)]?[ \t]").search(text, found.end())
    return text[found.start():following.start() if following else len(text)]


def _missing_section(text: str, section: str, point: str | None) -> str | None:
    start = re.search(rf"(?m)^{section}\.\s", text)
    if start is None:
        return f"нет раздела {section}"
    after = re.compile(r"(?m)^(?:IV|V|I{1,3})\.\s").search(text, start.end())
    if point and _line_of(text, point, start.end(), after.start() if after else None) is None:
        return f"в разделе {section} нет пункта {point}"
    return None


def _missing_appendix(citation: str, text: str, number: str, row: str | None) -> str | None:
    """004's appendices carry no headings: the inventory numbers them in the order of the text."""
    known = [clause.clause for inventory in INVENTORY for clause in inventory.clauses]
    if any(cites(citation, clause) or cites(clause, citation) for clause in known):
        return None
    if row is None and re.search(rf"(?i)приложени[ея]\s*(?:№\s*)?{number}\b", text):
        return None
    return f"нет {'строки ' + row + ' ' if row else ''}приложения {number}"


def missing(citation: str) -> str | None:
    """Why ``citation`` («003 §7.1 (2)») is not in its seed; None when it is."""
    match = CLAUSE_FORM.fullmatch(citation)
    if match is None:
        return "не ссылка вида «003 §3.5»"
    text, label, item = seed_text(match.group("seed")), match.group("label"), match.group("item")
    if label == "преамбула":
        return None
    if roman := re.fullmatch(r"(IV|V|I{1,3})(?:\.(\d+))?", label):
        return _missing_section(text, roman.group(1), roman.group(2))
    if appendix := re.fullmatch(rf"прил\. (\d+)(?: п\. ({NUMBER})| преамбула)?", label):
        return _missing_appendix(citation, text, appendix.group(1), appendix.group(2))
    number = re.sub(r"^(?:§|п\. )", "", label)
    body = _clause_body(text, number)
    if body is None:
        return f"нет пункта {number}"
    if item and len(re.findall(r"(?m)^[ \t]*(?:[-–•]|\d+\))[ \t]", body)) < int(item):
        return f"в пункте {number} нет подпункта ({item})"
    return None


def lettered_missing(seed: str, number: str, letter: str) -> str | None:
    body = _clause_body(seed_text(seed), number)
    if body is None:
        return f"нет пункта {number}"
    if not re.search(rf"(?m)^[ \t]*{letter}\)", body):
        return f"в пункте {number} нет подпункта «{letter}» (подпункты без букв — приведите основание словами)"
    return None


def _pack_seed(path: Path) -> str | None:
    """The seed a file under rules/<pack>/ belongs to (its pack.yaml's ``seed``)."""
    parts = path.relative_to(REPO_ROOT).parts
    if len(parts) < 3 or parts[0] != "rules":
        return None
    pack = REPO_ROOT / "rules" / parts[1] / "pack.yaml"
    return str(yaml.safe_load(pack.read_text(encoding="utf-8")).get("seed")) if pack.is_file() else None


def template_citations(seed: str, text: str) -> set[str]:
    """The clauses an order template cites in the Положение's own words, as the project writes them."""
    found = set()
    for match in TEMPLATE_POINT.finditer(text):
        for number in re.split(r",\s?", match.group("numbers")):
            if match.group("section"):
                found.add(f"{seed} {match.group('section')}.{number}")
            elif match.group("where") == "приказа":
                found.add(f"{seed} п. {number}")
            else:
                found.add(f"{seed} §{number}")
    return found


def citing_files() -> list[Path]:
    files = []
    for folder in CITING_FOLDERS:
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in TEXT_SUFFIXES and not set(SKIPPED_PARTS) & set(path.parts):
                files.append(path)
    return files


def problems_in(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    citations = set(citations_in(text))
    seed = _pack_seed(path)
    if seed and path.suffix == ".j2":
        citations |= template_citations(seed, text)
    problems = [f"{citation}: {why}" for citation in sorted(citations) if (why := missing(citation))]
    for match in LETTERED.finditer(text):
        if why := lettered_missing(match.group("seed"), match.group("number"), match.group("letter")):
            problems.append(f"{match.group()}: {why}")
    if seed:
        for match in SUBPOINT.finditer(text):
            letter = match.group("letter") if len(match.group("letter")) == 1 else "а"  # «{{ letter }}»: lettered
            if why := lettered_missing(seed, match.group("number"), letter):
                problems.append(f"{match.group()}: {why}")
    return problems


@needs_seeds
@pytest.mark.parametrize("path", citing_files(), ids=lambda p: p.relative_to(REPO_ROOT).as_posix())
def test_every_clause_cited_in_rules_workflows_and_orders_exists_in_its_seed(path):
    assert problems_in(path) == []


@needs_seeds
@pytest.mark.parametrize(("citation", "why"), [
    ("003 §7.1", None), ("003 §7.1 (3)", None), ("003 §7.1 (4)", "в пункте 7.1 нет подпункта (4)"),
    ("003 §3.5 (2)", None), ("003 §6.2", None), ("003 §6.3", "нет пункта 6.3"), ("003 прил. 4", None),
    ("004 III.2", None), ("004 III.9", "в разделе III нет пункта 9"), ("001 §6.2", None), ("003 п. 3", None),
])
def test_a_citation_is_found_in_its_seed_or_named_missing(citation, why):
    assert missing(citation) == why


@needs_seeds
def test_a_lettered_ground_of_7_1_is_refused_and_a_quoted_one_passes():
    """The defect: completion orders cited «подпункт «а» п. 7.1 Положения»; 003 §7.1 has three dashes."""
    assert lettered_missing("003", "7.1", "а") is not None
    assert [m.group() for m in SUBPOINT.finditer("основание – подпункт «{{ grounds[ground][0] }}» п. 7.1 Положения")]
    assert template_citations("003", "основание – п. 7.1 Положения: «завершения плана…»") == {"003 §7.1"}
    assert template_citations("004", "п. 2 раздела III {{ act.genitive }}; п. 4.1 приказа") == {"004 III.2",
                                                                                              "004 п. 4.1"}
    assert template_citations("001", "(п. 5.1, 6.2 Положения)") == {"001 §5.1", "001 §6.2"}
