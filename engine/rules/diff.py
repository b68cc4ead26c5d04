"""The difference between two editions of a rule file: as text (unified, and side by side in hunks)
and by meaning, from the loader's parsed model (criteria, parameters, facts, verdict, outputs and the
clauses of the regulation they cite)."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, fields

from engine.rules.model import Criterion, Fact, Output, Parameter, Ruleset, VerdictCase

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
SECTIONS = ("ruleset", "fact", "parameter", "criterion", "verdict", "output")


# -- text -----------------------------------------------------------------------------------------

def unified(old_text: str, new_text: str, old_name: str = "a", new_name: str = "b", context: int = 3) -> str:
    return "".join(difflib.unified_diff(old_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                        old_name, new_name, n=context))


@dataclass(frozen=True)
class Row:
    """One row of a side-by-side view; a number is None where that side has no line."""

    kind: str  # equal | delete | insert | replace
    old_no: int | None
    old: str
    new_no: int | None
    new: str


@dataclass(frozen=True)
class Hunk:
    old_start: int
    old_count: int
    new_start: int
    new_count: int
    rows: tuple[Row, ...]

    @property
    def header(self) -> str:
        return f"@@ -{self.old_start},{self.old_count} +{self.new_start},{self.new_count} @@"


def side_by_side(old_text: str, new_text: str, context: int = 3) -> list[Hunk]:
    """The changed places with ``context`` lines around; an empty list when the texts are equal."""
    old, new = old_text.splitlines(), new_text.splitlines()
    hunks = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context):
        rows: list[Row] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(Row("equal", i1 + k + 1, old[i1 + k], j1 + k + 1, new[j1 + k]) for k in range(i2 - i1))
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                has_old, has_new = i1 + k < i2, j1 + k < j2
                kind = "replace" if has_old and has_new else ("delete" if has_old else "insert")
                rows.append(Row(kind, i1 + k + 1 if has_old else None, old[i1 + k] if has_old else "",
                                j1 + k + 1 if has_new else None, new[j1 + k] if has_new else ""))
        first, last = group[0], group[-1]
        hunks.append(Hunk(first[1] + 1, last[2] - first[1], first[3] + 1, last[4] - first[3], tuple(rows)))
    return hunks


# -- meaning --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    section: str  # one of SECTIONS
    name: str  # criterion id, fact or parameter name, output name, verdict name, or the ruleset field
    kind: str  # added | removed | changed
    details: tuple[str, ...] = ()  # Russian: «условие: «x» → «y»»
    clause_change: tuple[str, str] | None = None  # (old source, new source) when the cited clause changed

    def __str__(self) -> str:
        head = {ADDED: "добавлен", REMOVED: "удалён", CHANGED: "изменён"}[self.kind]
        return f"{self.section} {self.name}: {head}" + (f" ({'; '.join(self.details)})" if self.details else "")


def _shown(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_shown(item)}" for key, item in value.items()) + "}"
    return str(value)


def _field_changes(old: object, new: object, labels: dict[str, str]) -> list[str]:
    details = []
    for name, label in labels.items():
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            details.append(f"{label}: «{_shown(before)}» → «{_shown(after)}»")
    return details


RULESET_FIELDS = {"version": "версия", "title": "название", "regulation": "регламент", "notes": "пояснения"}
FACT_FIELDS = {"type": "тип", "label": "подпись", "unit": "единица", "minimum": "минимум", "maximum": "максимум",
               "integer": "целое", "values": "значения", "description": "описание"}
PARAMETER_FIELDS = {"value": "значение", "label": "подпись", "source": "основание", "description": "описание"}
CRITERION_FIELDS = {"label": "формулировка", "condition_text": "условие", "source": "пункт регламента"}
MESSAGE_LABELS = {"passed": "сообщение «выполнен»", "failed": "сообщение «не выполнен»",
                  "no_data": "сообщение «нет данных»"}
OUTPUT_LABELS = {"label": "подпись", "unit": "единица", "source": "пункт регламента", "value": "значение",
                 "when_verdict": "при вердиктах", "otherwise": "иначе", "collect": "собирает",
                 "collect_from": "из критериев", "collect_values": "значения сбора"}


def _by_name(old: dict, new: dict, section: str, describe) -> list[Change]:
    changes = [Change(section, name, REMOVED) for name in old if name not in new]
    for name, item in new.items():
        if name not in old:
            changes.append(Change(section, name, ADDED))
        elif old[name] != item:
            change = describe(old[name], item)
            if change is not None:
                changes.append(change)
    return changes


def _fact(old: Fact, new: Fact) -> Change:
    return Change("fact", new.name, CHANGED, tuple(_field_changes(old, new, FACT_FIELDS)))


def _parameter(old: Parameter, new: Parameter) -> Change:
    clause = (old.source, new.source) if old.source != new.source else None
    return Change("parameter", new.name, CHANGED, tuple(_field_changes(old, new, PARAMETER_FIELDS)), clause)


def _criterion(old: Criterion, new: Criterion) -> Change | None:
    details = _field_changes(old, new, CRITERION_FIELDS)
    for kind, label in MESSAGE_LABELS.items():
        if old.messages.get(kind) != new.messages.get(kind):
            details.append(f"{label}: «{old.messages.get(kind, '—')}» → «{new.messages.get(kind, '—')}»")
    if old.condition_text == new.condition_text and old.condition != new.condition:
        details.append("условие то же, но изменились значения параметров в нём")
    if not details:
        return None
    clause = (old.source, new.source) if old.source != new.source else None
    return Change("criterion", new.id, CHANGED, tuple(details), clause)


def _case_text(case: VerdictCase) -> str:
    if case.when is None:
        return f"иначе → {case.verdict}"
    parts = " и ".join(f"{combinator}: {', '.join(ids)}" for combinator, ids in case.when.parts)
    return f"{parts} → {case.verdict}"


def _verdict(old: Ruleset, new: Ruleset) -> list[Change]:
    changes = [Change("verdict", name, REMOVED) for name in old.verdict_labels if name not in new.verdict_labels]
    for name, label in new.verdict_labels.items():
        if name not in old.verdict_labels:
            changes.append(Change("verdict", name, ADDED, (f"подпись: «{label}»",)))
        elif old.verdict_labels[name] != label:
            changes.append(Change("verdict", name, CHANGED, (f"подпись: «{old.verdict_labels[name]}» → «{label}»",)))
    if old.verdict_cases != new.verdict_cases:
        before = "; ".join(_case_text(case) for case in old.verdict_cases)
        after = "; ".join(_case_text(case) for case in new.verdict_cases)
        changes.append(Change("verdict", "cases", CHANGED, (f"случаи: «{before}» → «{after}»",)))
    return changes


def _output(old: Output, new: Output) -> Change:
    details = _field_changes(old, new, OUTPUT_LABELS)
    if old.cases != new.cases:
        details.append("варианты (cases) изменились")
    clause = (old.source or "", new.source or "") if old.source != new.source else None
    return Change("output", new.name, CHANGED, tuple(details), clause)


def compare(old: Ruleset, new: Ruleset) -> list[Change]:
    """What changed in meaning, section by section (an empty list: the same rules, maybe other layout)."""
    changes: list[Change] = []
    header = _field_changes(old, new, RULESET_FIELDS)
    if header:
        changes.append(Change("ruleset", new.id, CHANGED, tuple(header)))
    changes += _by_name(old.facts, new.facts, "fact", _fact)
    changes += _by_name(old.parameters, new.parameters, "parameter", _parameter)
    changes += _by_name({c.id: c for c in old.criteria}, {c.id: c for c in new.criteria}, "criterion", _criterion)
    if old.criterion_ids != new.criterion_ids and set(old.criterion_ids) == set(new.criterion_ids):
        changes.append(Change("criterion", "*", CHANGED, ("порядок критериев изменился",)))
    changes += _verdict(old, new)
    changes += _by_name({o.name: o for o in old.outputs}, {o.name: o for o in new.outputs}, "output", _output)
    return changes


@dataclass(frozen=True)
class Summary:
    criteria_added: tuple[str, ...]
    criteria_removed: tuple[str, ...]
    criteria_changed: tuple[str, ...]
    parameters_changed: tuple[str, ...]  # added, removed or changed
    clauses_changed: tuple[tuple[str, str, str], ...]  # (item, old clause, new clause)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def summarise(changes: list[Change]) -> Summary:
    def names(section: str, kind: str) -> tuple[str, ...]:
        return tuple(c.name for c in changes if c.section == section and c.kind == kind and c.name != "*")

    return Summary(
        names("criterion", ADDED), names("criterion", REMOVED), names("criterion", CHANGED),
        tuple(c.name for c in changes if c.section == "parameter"),
        tuple((c.name, *c.clause_change) for c in changes if c.clause_change is not None))
