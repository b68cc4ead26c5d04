"""The rulesets in service: loading, checking, reloading and deciding.

A methodologist's edited file replaces the running ruleset only if it passes the check; otherwise the
previous version keeps serving. Every decision names the version that made it.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from engine import resources
from engine.errors import FactError, UnknownRuleset
from engine.rules import decision, durable_backend
from engine.rules.facts import normalise
from engine.rules.loader import load_bytes, load_file
from engine.rules.model import Fact, Ruleset
from engine.rules.problems import RuleProblem, suggestion

RULES_DIRECTORY = resources.shipped("rules")  # the regulation packs: rules/<pack>/rulesets/
RULE_FILE_SUFFIXES = (".yaml", ".yml")


def _in_folder(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in RULE_FILE_SUFFIXES)


def rule_files(paths: Iterable[str | Path]) -> list[Path]:
    """The rule files of files and folders: a folder of regulation packs (``rules/``: every
    ``<pack>/rulesets/``), one pack (its ``rulesets/``) or a plain folder of rule files."""
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
        elif (path / "rulesets").is_dir():
            files.extend(_in_folder(path / "rulesets"))
        elif any((sub / "rulesets").is_dir() for sub in path.iterdir() if sub.is_dir()):
            files.extend(f for sub in sorted(path.iterdir()) if (sub / "rulesets").is_dir()
                         for f in _in_folder(sub / "rulesets"))
        else:
            files.extend(_in_folder(path))
    return files


def check_paths(paths: Iterable[str | Path]) -> list[RuleProblem]:
    """Every problem in the given files and directories (duplicate ids across files included)."""
    problems: list[RuleProblem] = []
    seen: dict[str, str] = {}
    for path in rule_files(paths):
        ruleset, found = load_file(path)
        problems.extend(found)
        if ruleset is not None:
            if ruleset.id in seen:
                problems.append(RuleProblem(str(path), ruleset.id, "id", f"этот id уже есть в {seen[ruleset.id]}"))
            seen[ruleset.id] = str(path)
    return problems


@dataclass(frozen=True)
class _Entry:
    ruleset: Ruleset
    compiled: durable_backend.CompiledRuleset
    criterion_rules: tuple[tuple[str, str, str], ...]  # (criterion id, true-rule, false-rule)
    case_rule_prefix: dict[str, str]  # output name -> the prefix of its cases' rules ("o<index>_")


class RuleRegistry:
    def __init__(self, backend: durable_backend.DurableBackend | None = None) -> None:
        self._backend = backend or durable_backend.backend()
        self._current: dict[str, _Entry] = {}
        self._history: dict[str, list[tuple[str, str]]] = {}  # id -> [(version, digest)]
        self._lock = threading.Lock()

    # -- loading ----------------------------------------------------------------------------------
    def load_directory(self, directory: str | Path = RULES_DIRECTORY) -> list[RuleProblem]:
        problems: list[RuleProblem] = []
        for path in rule_files([directory]):
            problems.extend(self.reload(path.read_bytes(), str(path)))
        return problems

    def reload(self, data: bytes, filename: str) -> list[RuleProblem]:
        """Install the file's ruleset if it passes the check; return the problems (empty: installed)."""
        return self._install(data, filename, same_version_check=True)

    def install(self, data: bytes, filename: str) -> list[RuleProblem]:
        """Run this file's ruleset from now on, whichever edition runs now (also an older one).

        For a deployed version chosen from a store of versions that already refuses changed content
        under the same version (engine/services/rule_files.py); problems: nothing changed."""
        return self._install(data, filename, same_version_check=False)

    def _install(self, data: bytes, filename: str, *, same_version_check: bool) -> list[RuleProblem]:
        ruleset, problems = load_bytes(data, filename)
        if ruleset is None:
            return problems
        with self._lock:
            previous = self._current.get(ruleset.id)
            if same_version_check and previous and previous.ruleset.digest != ruleset.digest \
                    and previous.ruleset.version == ruleset.version:
                return [RuleProblem(filename, ruleset.id, "version",
                                    f"содержимое изменилось, а версия осталась «{ruleset.version}»: "
                                    "увеличьте version, чтобы решения различали редакции")]
            compiled = self._backend.compile(ruleset)
            criterion_rules = tuple((c.id, f"c{i}_t", f"c{i}_f") for i, c in enumerate(ruleset.criteria))
            case_rule_prefix = {output.name: f"o{index}_" for index, output in enumerate(ruleset.outputs)}
            self._current[ruleset.id] = _Entry(ruleset, compiled, criterion_rules, case_rule_prefix)
            versions = self._history.setdefault(ruleset.id, [])
            if (ruleset.version, ruleset.digest) not in versions:
                versions.append((ruleset.version, ruleset.digest))
        return []

    # -- queries ----------------------------------------------------------------------------------
    def ids(self) -> list[str]:
        return sorted(self._current)

    def get(self, ruleset_id: str) -> Ruleset:
        return self._entry(ruleset_id).ruleset

    def running(self) -> dict[str, str]:
        """Ruleset id -> sha256 of the file that runs now."""
        return {ruleset_id: entry.ruleset.digest for ruleset_id, entry in self._current.items()}

    def fact(self, name: str) -> Fact | None:
        """The declaration of the fact ``name`` in the running rulesets (the first that declares it): its
        Russian label, unit and enum value labels — the one vocabulary the pages show facts with."""
        with self._lock:
            entries = list(self._current.values())
        return next((entry.ruleset.facts[name] for entry in sorted(entries, key=lambda e: e.ruleset.id)
                     if name in entry.ruleset.facts), None)

    def versions(self, ruleset_id: str) -> list[tuple[str, str]]:
        return list(self._history.get(ruleset_id, []))

    def _entry(self, ruleset_id: str) -> _Entry:
        entry = self._current.get(ruleset_id)
        if entry is None:
            raise UnknownRuleset(f"неизвестный набор правил «{ruleset_id}»{suggestion(ruleset_id, self._current)}"
                                 f"; известны: {', '.join(self.ids()) or 'ни одного'}")
        return entry

    # -- deciding ---------------------------------------------------------------------------------
    def decide(self, ruleset_id: str, facts: Mapping, *, strict: bool = False) -> dict:
        """The decision for one fact set. ``strict``: wrong types and unknown facts raise FactError
        instead of counting as missing data."""
        entry = self._entry(ruleset_id)
        ruleset = entry.ruleset
        typed, issues = normalise(ruleset, facts)
        if strict and issues:
            raise FactError("; ".join(str(issue) for issue in issues), where=ruleset_id)
        fired = self._backend.fire(entry.compiled, typed)
        passed = {cid: True if t in fired else (False if f in fired else None) for cid, t, f in entry.criterion_rules}

        def case_outcome(output: str, case: int) -> bool | None:
            prefix = f"{entry.case_rule_prefix[output]}{case}_"
            return True if prefix + "t" in fired else (False if prefix + "f" in fired else None)

        return decision.build(ruleset, typed, issues, passed, case_outcome)


_default: RuleRegistry | None = None
_default_lock = threading.Lock()


def default_registry() -> RuleRegistry:
    """The shipped rules/ directory, loaded once per process."""
    global _default
    with _default_lock:
        if _default is None:
            registry = RuleRegistry()
            problems = registry.load_directory()
            if problems:
                from engine.errors import RuleFileError

                raise RuleFileError(problems, where=str(RULES_DIRECTORY))
            _default = registry
        return _default
