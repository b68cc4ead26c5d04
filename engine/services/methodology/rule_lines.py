"""Where a problem of a rule file most likely is: the validator names a ruleset item and a field
(``head_experience`` / ``поле condition: …``, ``facts.years_as_head``, ``criteria[2]``), the editor
wants a line."""
from __future__ import annotations

import re

from engine.rules.loader import TOP_KEYS
from engine.rules.problems import RuleProblem

_YAML_LINE = re.compile(r"^строка (\d+), столбец \d+")
_FIELD = re.compile(r"^поле ([a-z_.]+)")
_INDEX = re.compile(r"^([a-z_]+)\[(\d+)\]$")
_UNKNOWN_KEY = re.compile(r"^неизвестное \w+ «([A-Za-z0-9_]+)»")


def _find(lines: list[str], pattern: str, start: int = 0, stop: int | None = None) -> int | None:
    compiled = re.compile(pattern)
    for index in range(start, len(lines) if stop is None else stop):
        if compiled.match(lines[index]):
            return index
    return None


def _block_end(lines: list[str], start: int) -> int:
    """The line after the block that starts at ``start`` (the next line indented as much or less)."""
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#") and len(lines[index]) - len(lines[index].lstrip(" ")) <= indent:
            return index
    return len(lines)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _descend(lines: list[str], found: int | None, part: str) -> int | None:
    """The line of ``part`` (``key`` or ``key[n]``: the n-th entry of a list) inside the block at
    ``found`` (None: at the top of the file)."""
    indexed = _INDEX.match(part)
    name = indexed.group(1) if indexed else part
    if found is None:
        line = _find(lines, rf"^{re.escape(name)}\s*:")
    else:
        line = _find(lines, rf"^\s*-?\s*{re.escape(name)}\s*:", found, _block_end(lines, found))
    if line is None or not indexed:
        return line
    entries = [i for i in range(line + 1, _block_end(lines, line)) if lines[i].lstrip().startswith("- ")]
    entries = [i for i in entries if _indent(lines[i]) == _indent(lines[entries[0]])] if entries else []
    position = int(indexed.group(2))
    return entries[position] if position < len(entries) else line


def locate(text: str, problem: RuleProblem) -> int | None:
    """The 1-based line a problem most likely points at, or None."""
    yaml_line = _YAML_LINE.match(problem.message)
    if yaml_line:
        return int(yaml_line.group(1))
    lines = text.split("\n")
    parts = problem.item.split(".")
    head = parts[0]
    unknown_key = _UNKNOWN_KEY.match(problem.message)
    if head == "файл":
        found = _find(lines, rf"^{re.escape(unknown_key.group(1))}\s*:") if unknown_key else None
        return None if found is None else found + 1
    if head in TOP_KEYS or _INDEX.match(head):  # a section: facts.x, verdict.cases[0], criteria[2]
        found = _descend(lines, None, head)
    else:  # a criterion by its id
        found = _find(lines, rf"^\s*-\s*id\s*:\s*[\"']?{re.escape(head)}[\"']?\s*(#.*)?$")
    if found is None:
        return None
    field_match = _FIELD.match(problem.message)
    keys = parts[1:]
    keys += field_match.group(1).rstrip(".").split(".") if field_match else []
    keys += [unknown_key.group(1)] if unknown_key else []
    for key in keys:  # narrow down: the field inside the item, the entry inside the field
        inner = _descend(lines, found, key)
        if inner is None:
            break
        found = inner
    return found + 1


_YAML_MARK = re.compile(r"line (\d+), column \d+")


def locate_field(text: str, field: str, message: str = "") -> int | None:
    """The 1-based line of a dotted path in a YAML text (``mentee_categories[0].roadmap``, ``roles.head.clause``;
    a YAML error: the line it names), or None; the deepest part found wins."""
    mark = _YAML_MARK.search(message)
    if mark:
        return int(mark.group(1))
    lines = text.split("\n")
    found: int | None = None
    for key in (part for part in field.split(".") if part):
        inner = _descend(lines, found, key)
        if inner is None:
            break
        found = inner
    return None if found is None else found + 1
