"""The second half of reading a rule file: how criteria outcomes combine into a verdict, and the outputs.
Mixed into the loader's reader, which provides ``add``, ``problems``, ``criteria`` and ``read_condition``."""
from __future__ import annotations

from typing import TYPE_CHECKING

from engine.rules.model import (
    COMBINATORS,
    UNDECIDED,
    UNIT_HELP,
    CriteriaTest,
    Criterion,
    Output,
    OutputCase,
    VerdictCase,
    unit_of,
)
from engine.rules.problems import known_list, suggestion

if TYPE_CHECKING:
    from engine.rules import expressions
    from engine.rules.problems import ProblemList
from engine.rules.syntax import IDENTIFIER, is_text

OUTPUT_KEYS = ("label", "unit", "source", "value", "when_verdict", "cases", "otherwise", "collect", "from", "values")
CASE_KEYS = ("when", "when_criteria", "value")


class ResultsReader:
    # what the loader's reader provides (declared for the type checker)
    problems: ProblemList
    criteria: list[Criterion]

    def add(self, item: str, message: str) -> None:
        raise NotImplementedError

    def read_condition(self, item: str, key: str, text: object) -> expressions.Expr | None:
        raise NotImplementedError

    # -- verdict and outputs ----------------------------------------------------------------------
    def read_criteria_test(self, item: str, spec: object) -> CriteriaTest | None:
        if not isinstance(spec, dict) or not spec:
            self.add(item, f"условие по критериям — словарь вида {{all_passed: [id, …]}} ({known_list(COMBINATORS)})")
            return None
        parts = []
        known = [criterion.id for criterion in self.criteria]
        for combinator, ids in spec.items():
            if combinator not in COMBINATORS:
                self.add(item, f"неизвестное условие «{combinator}»{suggestion(combinator, COMBINATORS)}"
                               f" (допустимы: {known_list(COMBINATORS)})")
                continue
            if ids == "*":
                ids = known
            if not isinstance(ids, list) or not ids:
                self.add(item, f"{combinator}: нужен список id критериев или \"*\"")
                continue
            for criterion_id in ids:
                if criterion_id not in known:
                    self.add(item, f"{combinator}: неизвестный критерий «{criterion_id}»{suggestion(criterion_id, known)}")
            parts.append((combinator, tuple(ids)))
        return CriteriaTest(tuple(parts))

    def read_verdict(self, verdict: object) -> tuple[dict[str, str], tuple[VerdictCase, ...]]:  # noqa: C901 - one check per field of the verdict section, each with its own Russian message
        if not isinstance(verdict, dict):
            self.add("verdict", "раздел verdict обязателен: labels и cases")
            return {}, ()
        self.problems.unknown_keys("verdict", verdict, ("labels", "cases"))
        labels = verdict.get("labels")
        if isinstance(labels, dict) and any(isinstance(key, bool) for key in labels):
            self.add("verdict", "в labels слово yes/no/on/off без кавычек YAML читает как да/нет: возьмите его в кавычки")
        if not isinstance(labels, dict) or not all(isinstance(k, str) and is_text(v) for k, v in labels.items()):
            self.add("verdict", "поле labels обязательно: вердикт: подпись по-русски")
            labels = {}
        if UNDECIDED not in labels:
            self.add("verdict", f"в labels нужна подпись для «{UNDECIDED}» (недостаточно данных)")
        cases_spec = verdict.get("cases")
        if not isinstance(cases_spec, list) or not cases_spec:
            self.add("verdict", "поле cases обязательно: список {verdict, when} и последним {otherwise}")
            return labels, ()
        cases = []
        for index, spec in enumerate(cases_spec):
            item = f"verdict.cases[{index}]"
            if not isinstance(spec, dict):
                self.add(item, "ожидается {verdict: …, when: {…}} или {otherwise: …}")
                continue
            last = index == len(cases_spec) - 1
            if "otherwise" in spec:
                self.problems.unknown_keys(item, spec, ("otherwise",))
                if not last:
                    self.add(item, "otherwise должен быть последним")
                name, test = spec["otherwise"], None
            else:
                self.problems.unknown_keys(item, spec, ("verdict", "when"))
                name, test = spec.get("verdict"), self.read_criteria_test(item, spec.get("when"))
                if last:
                    self.add(item, "последним должен быть {otherwise: …}: вердикт, когда ничто не подошло")
            if name not in labels or name == UNDECIDED:
                self.add(item, f"вердикт {name!r} должен быть в labels{suggestion(name, labels)}"
                               f" и не может быть «{UNDECIDED}» (он ставится сам)")
            cases.append(VerdictCase(str(name), test))
        return labels, tuple(cases)

    def read_outputs(self, outputs: object, labels: dict[str, str]) -> tuple[Output, ...]:  # noqa: C901 - one check per field of an output, each with its own Russian message
        if not isinstance(outputs, dict):
            self.add("outputs", "раздел outputs — словарь: имя выхода: {label, …}")
            return ()
        result = []
        known_criteria = [criterion.id for criterion in self.criteria]
        for name, spec in outputs.items():
            item = f"outputs.{name}"
            if not isinstance(name, str) or not IDENTIFIER.match(name) or not isinstance(spec, dict):
                self.add(item, "выход: латинское имя и словарь с полями label и value / cases / collect")
                continue
            self.problems.unknown_keys(item, spec, OUTPUT_KEYS)
            if not is_text(spec.get("label")):
                self.add(item, "поле label обязательно")
            ways = [key for key in ("value", "cases", "collect") if key in spec]
            if len(ways) != 1:
                self.add(item, "нужно ровно одно из: value, cases, collect")
                continue
            when_verdict = spec.get("when_verdict")
            if when_verdict is not None:
                if not isinstance(when_verdict, list) or any(v not in labels for v in when_verdict):
                    self.add(item, f"поле when_verdict: список вердиктов из labels ({known_list(labels)})")
                when_verdict = tuple(when_verdict) if isinstance(when_verdict, list) else None
            cases = tuple(self.read_output_case(f"{item}.cases[{i}]", case)
                          for i, case in enumerate(spec.get("cases") or []))
            if "cases" in spec and (not isinstance(spec["cases"], list) or not spec["cases"]):
                self.add(item, "поле cases: непустой список {when: условие, value: значение}")
            collect = spec.get("collect")
            collect_from = spec.get("from", [])
            if "collect" in spec:
                if collect not in ("passed", "failed"):
                    self.add(item, "поле collect: passed (выполненные критерии) или failed (невыполненные)")
                if not isinstance(collect_from, list) or not collect_from or any(
                        c not in known_criteria for c in collect_from):
                    bad = [c for c in collect_from if c not in known_criteria] if isinstance(collect_from, list) else []
                    hint = suggestion(bad[0], known_criteria) if bad else ""
                    self.add(item, f"поле from: непустой список id критериев{hint}")
                    collect_from = []
            unit = unit_of(spec.get("unit"))
            if unit is None:
                self.add(item, UNIT_HELP)
            result.append(Output(
                name=name, label=str(spec.get("label", "")), unit=unit[0] if unit else None,
                unit_forms=unit[1] if unit else (), source=spec.get("source"),
                value=spec.get("value"), when_verdict=when_verdict, cases=tuple(c for c in cases if c),
                otherwise=spec.get("otherwise"), collect=collect, collect_from=tuple(collect_from),
                collect_values=dict(spec.get("values") or {}),
            ))
        return tuple(result)

    def read_output_case(self, item: str, spec: object) -> OutputCase | None:
        if not isinstance(spec, dict) or "value" not in spec or ("when" in spec) == ("when_criteria" in spec):
            self.add(item, "ожидается {when: условие по фактам, value: …} или {when_criteria: {…}, value: …}")
            return None
        self.problems.unknown_keys(item, spec, CASE_KEYS)
        if "when" in spec:
            expr = self.read_condition(item, "when", spec["when"])
            return OutputCase(spec["value"], spec["when"], expr) if expr is not None else None
        test = self.read_criteria_test(item, spec["when_criteria"])
        return OutputCase(spec["value"], when_criteria=test) if test is not None else None
