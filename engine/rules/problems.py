"""Problems found in rule files, reported as ``file: ruleset/item: message`` (Russian)."""
from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RuleProblem:
    file: str
    ruleset: str  # ruleset id, or "?" before it is known
    item: str  # criterion id, fact name, section ("verdict", "outputs.roadmap", ...)
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.ruleset}/{self.item}: {self.message}"

    def as_dict(self) -> dict:
        return {"file": self.file, "ruleset": self.ruleset, "item": self.item, "message": self.message}


def suggestion(name: object, known: Iterable[str]) -> str:
    """' — возможно, имелось в виду «x»' for the closest known name, or ''."""
    if not isinstance(name, str):
        return ""
    matches = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; возможно, имелось в виду «{matches[0]}»" if matches else ""


def known_list(known: Iterable[str]) -> str:
    return ", ".join(f"«{name}»" for name in known)


class ProblemList:
    """Collects problems for one file while the loader walks it."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.ruleset = "?"
        self.items: list[RuleProblem] = []

    def add(self, item: str, message: str) -> None:
        self.items.append(RuleProblem(self.file, self.ruleset, item, message))

    def unknown_keys(self, item: str, mapping: dict, allowed: Iterable[str], what: str = "поле") -> None:
        allowed = list(allowed)
        for key in mapping:
            if key not in allowed:
                self.add(item, f"неизвестное {what} «{key}»{suggestion(key, allowed)} (допустимы: {known_list(allowed)})")

    def __bool__(self) -> bool:
        return bool(self.items)
