"""Reading ``pack.yaml`` field by field while collecting every problem (named by file and field) instead of
stopping at the first: texts, clauses of the seed (or the organization's choice where it is silent), participant
kinds, sections, lists of entries, cited items with their ids. Each section of the pack is read with it by the
module of its part (``pack_head``, ``participants``, ``program_terms``, ``report_parts``, ``order_parts``, …), as
``loader`` lists them."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from engine.regulations.pack import NOT_SET
from engine.regulations.pack_parts import Cited
from engine.regulations.problems import PackProblem
from engine.vocabulary import ParticipantKind

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


class Manifest:
    """Reads pack.yaml, collecting every problem instead of stopping at the first."""

    def __init__(self, file: str, data: dict[str, Any], seed: str) -> None:
        self.file, self.data, self.seed = file, data, seed
        self.problems: list[PackProblem] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(PackProblem(self.file, field, message))

    def text(self, mapping: Any, key: str, at: str, *, required: bool = True) -> str | None:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if value is None:
            if required:
                self.fail(f"{at}{key}", "отсутствует обязательное поле")
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
            self.fail(f"{at}{key}", "ожидается непустая строка")
            return None
        return str(value).strip()

    def clause(self, mapping: Any, at: str) -> str:
        clause = self.text(mapping, "clause", at) or ""
        if clause and not clause.startswith(self.seed):
            self.fail(f"{at}clause", f"ссылка «{clause}» должна начинаться с номера положения «{self.seed}»")
        if clause == f"{self.seed} {NOT_SET}" and not self.choice(mapping, at):
            self.fail(f"{at}choice", f"положение {NOT_SET} этого: укажите в choice, что решила организация")
        return clause

    def choice(self, mapping: Any, at: str) -> str | None:
        """The organization's decision where the regulation is silent (``clause: "<seed> не задаёт"``)."""
        return self.text(mapping, "choice", at, required=False)

    def kind(self, mapping: Any, key: str, at: str) -> str | None:
        """A participant kind (``mentor``/``mentee`` of a form of mentorship), or None."""
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if value is None:
            return None
        if value not in {k.value for k in ParticipantKind}:
            self.fail(f"{at}{key}", f"«{value}»: ожидается одно из {', '.join(k.value for k in ParticipantKind)}")
            return None
        return str(value)

    def mapping(self, key: str, *, required: bool = True) -> dict[str, Any]:
        value = self.data.get(key)
        if value is None:
            if required:
                self.fail(key, "отсутствует обязательный раздел")
            return {}
        if not isinstance(value, dict):
            self.fail(key, "ожидается словарь (ключ: значение)")
            return {}
        return value

    def entries(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            self.fail(key, "ожидается список")
            return []
        found: list[tuple[str, dict[str, Any]]] = []
        for index, entry in enumerate(value):
            if isinstance(entry, dict):
                found.append((f"{key}[{index}].", entry))
            else:
                self.fail(f"{key}[{index}]", "ожидается словарь (ключ: значение)")
        return found

    def cited(self, key: str, make: Callable[..., Cited] = Cited, **extra: Callable[[str, dict], Any]) -> list:
        items, seen = [], set()
        known = {"id", "label", "clause", *extra}
        for at, entry in self.entries(key):
            for unknown in sorted(set(map(str, entry)) - known):
                self.fail(f"{at}{unknown}", f"неизвестное поле «{unknown}»; допустимы: {', '.join(sorted(known))} "
                          "(запятая в подписи? возьмите подпись в кавычки)")
            item_id = self.text(entry, "id", at) or ""
            if item_id and not IDENTIFIER.fullmatch(item_id):
                self.fail(f"{at}id", f"идентификатор «{item_id}»: строчные латинские буквы, цифры и _")
            if item_id in seen:
                self.fail(f"{at}id", f"«{item_id}» повторяется")
            seen.add(item_id)
            values = {name: read(at, entry) for name, read in extra.items()}
            items.append(make(id=item_id, label=self.text(entry, "label", at) or "", clause=self.clause(entry, at),
                              **values))
        return items
