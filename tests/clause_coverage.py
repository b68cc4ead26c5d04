"""Which normative clauses of the five regulations (../shared/seeds/000…004) the product encodes and the tests check.

The inventory is ``tests/clauses/seed_NNN.yaml``: one entry per numbered clause of a seed (citation, a verbatim
quote, a Russian summary, whether it is normative — ``applicable``). Coverage is counted mechanically from
citations written in files, nothing else:

* a citation is the seed's number, a space (or a line break), and a label: ``§3.5``, ``§3.6.1`` (a clause of
  the regulation), ``п. 3.1`` (a point of the order itself), ``прил. 2``, ``прил. 2 п. 7.2``, ``прил. 2
  преамбула`` (an appendix, a row of its roadmap, its preamble; ``appendix``/``appendices``/``app.`` are read
  as ``прил.``), ``II.2`` (the sections I–IV of 004's coordination-centre regulation) or ``преамбула``;
  optionally an item ``(2)``. Nothing else is read: ``п. 3.5`` without ``003`` before it, or
  ``003 Положение …, §9.3``, does not count;
* a range counts for every clause in it: ``003 §3.4–3.5`` cites §3.4 and §3.5, ``003 прил. 1-4`` all four;
* a list continues the seed: ``003 §3.3, §3.4 и §6.2`` cites all three, ``004 II.2, III.2`` both;
* a citation counts for its clause and every clause above it, never below or beside it: ``003 §3.5 (2)``
  and ``003 §3.5.1`` count for ``003 §3.5``; ``003 §3.5`` does not count for ``003 §3.5.1``; ``003 §3.1``
  is not ``003 §3.10``;
* ENCODED: the citation occurs in a text file of the product (``PRODUCT_FOLDERS``; not the demo's story
  ``engine/demo/``, not vendored code, not translations); TESTED: it occurs under ``tests/`` outside this
  inventory, this module and its own test.

``python -m tests.clause_coverage`` prints the summary and each clause's files; ``--write`` writes
``docs/clause-coverage.md``.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
INVENTORY_DIR = Path(__file__).resolve().parent / "clauses"
DOC_PATH = Path("docs") / "clause-coverage.md"
SEED_NUMBERS = ("000", "001", "002", "003", "004")
PRODUCT_FOLDERS = ("engine", "web", "cli", "rules", "workflows", "regulations")
TEST_FOLDERS = ("tests",)
EXCLUDED = ("engine/demo", "web/static/vendor", "web/translations", "tests/clauses", "tests/clause_coverage.py",
            "tests/test_clause_coverage.py")
SKIPPED_PARTS = ("node_modules", "__pycache__", ".venv")
TEXT_SUFFIXES = (".py", ".yaml", ".yml", ".bpmn", ".dmn", ".html", ".j2", ".jinja", ".md", ".txt", ".json")
FIELDS = ("clause", "quote", "summary", "applicable")
QUOTE_MAX_CHARS = 120
SHOWN_PATHS = 6

_NUMBER = r"\d+(?:\.\d+)*"
_APPENDIX = r"(?:прил\.|appendix|appendices|app\.)"
_LABEL = (rf"(?:§\s?{_NUMBER}|п\.\s?{_NUMBER}|{_APPENDIX}\s?\d+(?:\s(?:п\.\s?{_NUMBER}|преамбула))?|преамбула"
          rf"|(?:IV|V|I{{1,3}})(?:\.\d+)*(?![A-Za-z]))")
_TAIL = rf"(?:[–-](?P<upto>{_NUMBER}))?(?:\s\((?P<item>\d+)\)|\s[а-вa-c](?!\w))?"
_HEAD = re.compile(rf"(?<![\d.])(?P<seed>00[0-4])\s+(?P<label>{_LABEL}){_TAIL}")
_NEXT = re.compile(rf"\s?(?:,|;|и|and|&)\s?(?P<label>{_LABEL}){_TAIL}")
_ROMAN = re.compile(r"(?:IV|V|I{1,3})(?:\.\d+)*")
CLAUSE_FORM = re.compile(rf"(?P<seed>00[0-4]) (?P<label>{_LABEL})(?: \((?P<item>\d+)\))?")
MAX_RANGE = 20


class InventoryError(ValueError):
    """A clause file that cannot be read as the inventory (the message names the file, the entry, the field)."""


@dataclass(frozen=True)
class Clause:
    seed: str  # "003"
    clause: str  # "003 §3.5"
    quote: str
    summary: str
    applicable: bool
    reason: str = ""


@dataclass(frozen=True)
class SeedInventory:
    seed: str
    seed_file: str
    title: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class ClauseCoverage:
    clause: Clause
    encoded_in: tuple[str, ...]
    tested_in: tuple[str, ...]


@dataclass(frozen=True)
class SeedCoverage:
    inventory: SeedInventory
    clauses: tuple[ClauseCoverage, ...]

    @property
    def applicable(self) -> tuple[ClauseCoverage, ...]:
        return tuple(c for c in self.clauses if c.clause.applicable)

    @property
    def encoded(self) -> int:
        return sum(1 for c in self.applicable if c.encoded_in)

    @property
    def tested(self) -> int:
        return sum(1 for c in self.applicable if c.tested_in)


# -- citations -------------------------------------------------------------------------------------

def _canonical_label(label: str) -> str:
    label = " ".join(label.split())
    label = re.sub(r"^§\s?", "§", label)
    label = re.sub(rf"^{_APPENDIX}\s?", "прил. ", label)
    return re.sub(r"п\.\s?(?=\d)", "п. ", label)


def _expand(label: str, upto: str | None) -> list[str]:
    """``§3.4`` up to ``3.5`` → [§3.4, §3.5]; ``прил. 1`` up to ``4`` → прил. 1…4; a range that is not one
    (different parents, backwards, too long) cites only its first end."""
    if not upto:
        return [label]
    match = re.search(rf"{_NUMBER}$", label)
    if match is None:
        return [label]
    first = match.group().split(".")
    last = upto.split(".")
    if len(last) == 1:
        last = first[:-1] + last
    if len(last) != len(first) or last[:-1] != first[:-1] or not 0 < int(last[-1]) - int(first[-1]) <= MAX_RANGE:
        return [label]
    stem = label[:match.start()] + ".".join(first[:-1]) + ("." if len(first) > 1 else "")
    return [f"{stem}{n}" for n in range(int(first[-1]), int(last[-1]) + 1)]


def _citations_of(seed: str, match: re.Match[str]) -> list[str]:
    label = _canonical_label(match.group("label"))
    if _ROMAN.fullmatch(label) and seed != "004":
        return []  # roman numerals number sections only in 004's coordination-centre regulation
    item = f" ({match.group('item')})" if match.group("item") else ""
    return [f"{seed} {one}{item}" for one in _expand(label, match.group("upto"))]


def citations_in(text: str) -> set[str]:
    """Every clause citation written in ``text``, in canonical form (``003 §3.5``, ``004 прил. 2 п. 7.2``)."""
    found: set[str] = set()
    for head in _HEAD.finditer(text):
        seed = head.group("seed")
        found.update(_citations_of(seed, head))
        end = head.end()
        while (more := _NEXT.match(text, end)) is not None:
            found.update(_citations_of(seed, more))
            end = more.end()
    return found


def cites(citation: str, clause: str) -> bool:
    """Whether ``citation`` counts for ``clause``: the same clause or one below it (``003 §3.5 (2)``,
    ``003 §3.5.1`` for ``003 §3.5``), never a sibling (``003 §3.10`` is not ``003 §3.1``)."""
    return citation == clause or citation.startswith((clause + ".", clause + " "))


# -- the inventory ---------------------------------------------------------------------------------

def _clause_of(path: Path, seed: str, index: int, entry: object) -> Clause:
    where = f"{path.name}, запись {index}"
    if not isinstance(entry, dict):
        raise InventoryError(f"{where}: ожидается словарь с полями {', '.join(FIELDS)}")
    for field in FIELDS:
        if field not in entry:
            raise InventoryError(f"{where}: нет поля «{field}»")
    where = f"{path.name}, пункт «{entry['clause']}»"
    if not isinstance(entry["applicable"], bool):
        raise InventoryError(f"{where}: поле «applicable» должно быть true или false")
    if not entry["applicable"] and not str(entry.get("reason") or "").strip():
        raise InventoryError(f"{where}: неприменимому пункту нужна причина в поле «reason»")
    return Clause(seed=seed, clause=str(entry["clause"]), quote=str(entry["quote"]), summary=str(entry["summary"]),
                  applicable=entry["applicable"], reason=str(entry.get("reason") or ""))


def load_seed_inventory(path: Path) -> SeedInventory:
    seed = path.stem.removeprefix("seed_")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InventoryError(f"{path.name}: не читается как YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("clauses"), list):
        raise InventoryError(f"{path.name}: нужны поля «seed», «title» и список «clauses»")
    clauses = tuple(_clause_of(path, seed, index, entry) for index, entry in enumerate(data["clauses"], 1))
    return SeedInventory(seed=seed, seed_file=str(data.get("seed", "")), title=str(data.get("title", "")),
                         clauses=clauses)


def load_inventory(directory: Path = INVENTORY_DIR) -> list[SeedInventory]:
    return [load_seed_inventory(directory / f"seed_{seed}.yaml") for seed in SEED_NUMBERS]


# -- the seeds' text (for the quotes) --------------------------------------------------------------

def collapse(text: str) -> str:
    return " ".join(text.split())


def quote_pattern(quote: str) -> re.Pattern[str]:
    """The quote as it may stand in the whitespace-collapsed seed: a word may be broken by a hyphen and a line
    break («осуществ- ляющих»), a hyphen may be followed by a line break («научно- исследовательской»)."""
    parts: list[str] = []
    for char, following in zip(quote, quote[1:] + " ", strict=True):
        if char == " ":
            parts.append(r"\s")
        elif char == "-":
            parts.append(r"-\s?")
        else:
            parts.append(re.escape(char) + (r"(?:-\s)?" if char.isalpha() and following.isalpha() else ""))
    return re.compile("".join(parts))


def find_quote(quote: str, collapsed_seed: str, start: int = 0) -> int:
    """Where ``quote`` first occurs in the collapsed seed at or after ``start``; -1 when it does not."""
    match = quote_pattern(quote).search(collapsed_seed, start)
    return match.start() if match else -1


# -- scanning and counting -------------------------------------------------------------------------

def _excluded(relative: str, excluded: Iterable[str]) -> bool:
    return any(relative == item or relative.startswith(item + "/") for item in excluded)


def scan(root: Path, folders: Iterable[str], excluded: Iterable[str] = EXCLUDED) -> dict[str, set[str]]:
    """Citations per text file (path relative to ``root``) under ``folders``."""
    excluded = tuple(excluded)
    found: dict[str, set[str]] = {}
    for folder in folders:
        base = root / folder
        paths = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for path in paths:
            relative = path.relative_to(root).as_posix()
            if (not path.is_file() or path.suffix not in TEXT_SUFFIXES or _excluded(relative, excluded)
                    or set(SKIPPED_PARTS) & set(path.relative_to(root).parts)):
                continue
            citations = citations_in(path.read_text(encoding="utf-8", errors="replace"))
            if citations:
                found[relative] = citations
    return found


def _where(clause: str, files: dict[str, set[str]]) -> tuple[str, ...]:
    return tuple(sorted(path for path, citations in files.items() if any(cites(c, clause) for c in citations)))


def coverage(root: Path = REPO_ROOT, inventory: Sequence[SeedInventory] | None = None,
             product_folders: Iterable[str] = PRODUCT_FOLDERS, test_folders: Iterable[str] = TEST_FOLDERS,
             excluded: Iterable[str] = EXCLUDED) -> list[SeedCoverage]:
    """Each seed's clauses with the product files that encode them and the test files that check them."""
    inventory = load_inventory() if inventory is None else inventory
    excluded = tuple(excluded)
    product = scan(root, product_folders, excluded)
    tests = scan(root, test_folders, excluded)
    return [SeedCoverage(inventory=seed, clauses=tuple(
        ClauseCoverage(clause=clause, encoded_in=_where(clause.clause, product), tested_in=_where(clause.clause, tests))
        for clause in seed.clauses)) for seed in inventory]


# -- reports ---------------------------------------------------------------------------------------

def percent(part: int, whole: int) -> str:
    return f"{part} ({round(100 * part / whole) if whole else 0} %)"


def shown(paths: Sequence[str], limit: int = SHOWN_PATHS) -> str:
    if not paths:
        return "—"
    more = f" и ещё {len(paths) - limit}" if len(paths) > limit else ""
    return ", ".join(paths[:limit]) + more


def render_text(seeds: Sequence[SeedCoverage], per_clause: bool = True) -> str:
    lines = [f"{'регламент':<10} {'пунктов':>8} {'применимых':>11} {'закодировано':>14} {'проверено':>14}"]
    for seed in seeds:
        total = len(seed.applicable)
        lines.append(f"{seed.inventory.seed:<10} {len(seed.clauses):>8} {total:>11} "
                     f"{percent(seed.encoded, total):>14} {percent(seed.tested, total):>14}")
    if per_clause:
        for seed in seeds:
            lines += ["", f"{seed.inventory.seed} — {seed.inventory.title}"]
            for item in seed.applicable:
                lines.append(f"  {item.clause.clause}: закодирован — {shown(item.encoded_in, 3)}; "
                             f"проверен — {shown(item.tested_in, 3)}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _paths_cell(paths: Sequence[str]) -> str:
    return _cell(shown([f"`{path}`" for path in paths]))


RULE_RU = """\
Файл создан командой `python -m tests.clause_coverage --write`; правки вручную перезапишутся. Перечень пунктов —
`tests/clauses/seed_NNN.yaml` (у каждого пункта дословная цитата из seed; неприменимые — не нормы: определения,
цели, заголовки, обязанности внешних организаций — с причиной), правило подсчёта — `tests/clause_coverage.py`.

## Как считается

- Ссылка — номер регламента, пробел и пункт: `003 §3.5`, `003 §3.6.1` (пункт положения), `003 п. 3`, `004 п. 3.1`
  (пункт самого распоряжения или приказа), `003 прил. 1` (приложение), `004 прил. 2 п. 7.2` (строка дорожной карты
  приложения), `004 прил. 1 преамбула`, `004 III.2` (разделы I–IV положения о Координационном центре),
  `001 преамбула`; можно с подпунктом `(2)`. `appendix`/`appendices`/`app.` читаются как `прил.`.
- Диапазон засчитывается каждому пункту (`003 §3.4–3.5`, `003 прил. 1-4`), перечень продолжает номер регламента
  (`003 §3.3, §3.4 и §6.2`, `004 II.2, III.2`). Без номера регламента (`п. 3.5`, `003 Положение …, §9.3`) не считается.
- Ссылка засчитывается своему пункту и пунктам выше: `003 §3.5 (2)` и `003 §3.5.1` — пункту `003 §3.5`; общая
  ссылка `003 §3.5` частному `003 §3.5.1` не засчитывается; `003 §3.1` — не `003 §3.10`.
- **Закодирован** — ссылка есть в текстовом файле продукта (engine/, web/, cli/, rules/, workflows/, regulations/;
  кроме истории демо engine/demo/, сторонних библиотек и переводов). **Проверен** — ссылка есть в tests/ (кроме этого
  перечня, модуля подсчёта и его теста). Упоминание в комментарии тоже считается: счёт механический.
- Приложения 004 (в seed без заголовков) пронумерованы по порядку текста, как в п. 1 приказа: 1 — городская модель
  и дорожная карта Управления образования, 2 — общеобразовательные учреждения, 3 — ДОУ, 4 — УДОД, 5 — положение о
  Координационном центре (его разделы цитируются как `004 I.3` … `004 IV.4`). Мероприятия дорожных карт 003
  отдельными пунктами не ведутся: проект ссылается на карту целиком (`003 прил. 1`)."""


def render_markdown(seeds: Sequence[SeedCoverage]) -> str:
    lines = ["# Покрытие пунктов регламентов", "", RULE_RU, "",
             "## Сводка", "", "| регламент | документ | пунктов | применимых | закодировано | проверено тестами |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for seed in seeds:
        total = len(seed.applicable)
        lines.append(f"| {seed.inventory.seed} | {_cell(seed.inventory.title)} | {len(seed.clauses)} | {total} | "
                     f"{percent(seed.encoded, total)} | {percent(seed.tested, total)} |")
    for seed in seeds:
        lines += ["", f"## {seed.inventory.seed} — {_cell(seed.inventory.title)}", "",
                  f"Файл: `{seed.inventory.seed_file}`.", "",
                  "| пункт | суть | где закодирован | где проверен |", "| --- | --- | --- | --- |"]
        lines += [f"| {item.clause.clause} | {_cell(item.clause.summary)} | {_paths_cell(item.encoded_in)} | "
                  f"{_paths_cell(item.tested_in)} |" for item in seed.applicable]
        skipped = [item.clause for item in seed.clauses if not item.clause.applicable]
        if skipped:
            lines += ["", "Неприменимые пункты (не нормы):", "", "| пункт | суть | причина |", "| --- | --- | --- |"]
            lines += [f"| {c.clause} | {_cell(c.summary)} | {_cell(c.reason)} |" for c in skipped]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.clause_coverage",
                                     description="Покрытие пунктов регламентов кодом и тестами.")
    parser.add_argument("--write", action="store_true", help=f"записать {DOC_PATH}")
    parser.add_argument("--summary", action="store_true", help="только сводная таблица")
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="корень проекта")
    args = parser.parse_args(argv)
    try:
        seeds = coverage(args.root)
    except InventoryError as error:
        print(f"Ошибка в перечне пунктов: {error}", file=sys.stderr)
        return 2
    print(render_text(seeds, per_clause=not args.summary), end="")
    if args.write:
        target = args.root / DOC_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_markdown(seeds), encoding="utf-8")
        print(f"\nЗаписано: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
