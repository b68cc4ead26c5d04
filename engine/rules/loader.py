"""Reads a rule file (YAML) into a Ruleset, collecting every problem instead of stopping at the first.

The file format is documented in rules/README.md.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import cast

import yaml

from engine.bounded_yaml import BoundedLoader
from engine.errors import yaml_message
from engine.rules import expressions
from engine.rules.model import FACT_TYPES, MESSAGE_KINDS, UNIT_HELP, Criterion, Fact, Parameter, Ruleset, unit_of
from engine.rules.problems import ProblemList, RuleProblem, known_list, suggestion
from engine.rules.results_reader import ResultsReader
from engine.rules.syntax import CLAUSE, IDENTIFIER, PLACEHOLDER, is_text
from engine.rules.typecheck import check_condition, number_problem

MAX_FILE_BYTES = 256 * 1024

TOP_KEYS = ("id", "version", "title", "regulation", "notes", "parameters", "facts", "criteria", "verdict", "outputs")
FACT_KEYS = ("type", "label", "unit", "min", "max", "integer", "values", "items", "description")
PARAMETER_KEYS = ("value", "label", "source", "description")
CRITERION_KEYS = ("id", "label", "condition", "source", "messages")
ENGINE_FIELDS = ("id", "sid")  # durable_rules reads these of every fact: the fact's identity and its session
COUNT_SUFFIX = "__count"  # count(list) reaches durable_rules as <list>__count (durable_backend.fact_key)


class _NoAliasLoader(BoundedLoader):
    """Safe YAML without anchors/aliases (no 'billion laughs'), within ``engine.bounded_yaml``'s bounds."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "ссылки (aliases) в файлах правил не допускаются",
                                              event.start_mark)
        return super().compose_node(parent, index)


def load_file(path: str | Path) -> tuple[Ruleset | None, list[RuleProblem]]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [RuleProblem(str(path), "?", "файл", f"не удалось прочитать: {error.strerror}")]
    return load_bytes(data, str(path))


def load_bytes(data: bytes, filename: str) -> tuple[Ruleset | None, list[RuleProblem]]:
    """Parse and validate; the ruleset is None whenever any problem was found."""
    problems = ProblemList(filename)
    if len(data) > MAX_FILE_BYTES:
        problems.add("файл", f"файл больше {MAX_FILE_BYTES // 1024} КБ")
        return None, problems.items
    try:
        text = data.decode("utf-8")
        document = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except UnicodeDecodeError:
        problems.add("файл", "файл должен быть в кодировке UTF-8")
        return None, problems.items
    except yaml.YAMLError as error:
        problems.add("файл", yaml_message(error, "ошибка YAML: "))
        return None, problems.items
    if not isinstance(document, dict):
        problems.add("файл", "ожидается описание набора правил (словарь с полями id, version, facts, criteria …)")
        return None, problems.items
    ruleset = _Reader(document, problems, hashlib.sha256(data).hexdigest()).read()
    return (None if problems else ruleset), problems.items


class _Reader(ResultsReader):
    def __init__(self, document: dict, problems: ProblemList, digest: str) -> None:
        self.doc = document
        self.problems = problems
        self.digest = digest
        self.facts: dict[str, Fact] = {}
        self.parameters: dict[str, Parameter] = {}
        self.criteria: list[Criterion] = []

    def add(self, item: str, message: str) -> None:
        self.problems.add(item, message)

    def read(self) -> Ruleset | None:
        doc = self.doc
        ruleset_id = doc.get("id")
        if isinstance(ruleset_id, str) and IDENTIFIER.match(ruleset_id):
            self.problems.ruleset = ruleset_id
        else:
            self.add("id", "поле id обязательно: латинские строчные буквы, цифры и _, например mentor_eligibility_tomsk")
        self.problems.unknown_keys("файл", doc, TOP_KEYS)
        version = doc.get("version")
        if isinstance(version, bool) or not isinstance(version, (str, int)) or str(version).strip() == "":
            self.add("version", "поле version обязательно: строка вида \"1\" или \"2.1\" (в кавычках)")
        for key in ("title", "regulation"):
            if not is_text(doc.get(key)):
                self.add(key, f"поле {key} обязательно (текст)")
        self.read_facts(doc.get("facts"))
        self.read_parameters(doc.get("parameters") or {})
        self.read_criteria(doc.get("criteria"))
        labels, cases = self.read_verdict(doc.get("verdict"))
        outputs = self.read_outputs(doc.get("outputs") or {}, labels)
        if self.problems:
            return None
        return Ruleset(
            id=str(ruleset_id), version=str(version), title=doc["title"], regulation=doc["regulation"],
            source_file=self.problems.file, facts=self.facts, parameters=self.parameters,
            criteria=tuple(self.criteria), verdict_labels=labels, verdict_cases=cases, outputs=outputs,
            digest=self.digest, notes=doc.get("notes"),
        )

    # -- facts and parameters ---------------------------------------------------------------------
    def read_facts(self, facts: object) -> None:  # noqa: C901 - one check per field of a fact declaration, each with its own Russian message
        if not isinstance(facts, dict) or not facts:
            self.add("facts", "раздел facts обязателен: входные факты с типом и подписью")
            return
        for name, spec in facts.items():
            item = f"facts.{name}"
            if not isinstance(name, str) or not IDENTIFIER.match(name):
                self.add(item, "имя факта: латинские строчные буквы, цифры и _")
                continue
            if name in ENGINE_FIELDS or name.endswith(COUNT_SUFFIX):
                self.add(item, f"имя факта «{name}» занято движком правил (id, sid и окончание {COUNT_SUFFIX}): "
                               "выберите другое")
                continue
            if not isinstance(spec, dict):
                self.add(item, "описание факта — словарь с полями type и label")
                continue
            self.problems.unknown_keys(item, spec, FACT_KEYS)
            fact_type = spec.get("type")
            if fact_type not in FACT_TYPES:
                self.add(item, f"поле type: неизвестный тип {fact_type!r}{suggestion(fact_type, FACT_TYPES)}"
                               f" (допустимы: {known_list(FACT_TYPES)})")
                continue
            if not is_text(spec.get("label")):
                self.add(item, "поле label обязательно: подпись факта по-русски")
            bounds = {}
            for key in ("min", "max"):
                if key in spec:
                    if fact_type != "number" or number_problem(spec[key]):
                        self.add(item, f"поле {key}: допустимо только у чисел и должно быть числом")
                    else:
                        bounds[key] = spec[key]
            values: dict[str, str] = {}
            if fact_type == "enum":
                raw = spec.get("values")
                if not isinstance(raw, dict) or not raw:
                    self.add(item, "поле values обязательно у перечисления: значение: подпись")
                else:
                    for value, label in raw.items():
                        if not isinstance(value, str) or not IDENTIFIER.match(value) or not is_text(label):
                            self.add(item, f"значение {value!r}: латинский идентификатор и русская подпись")
                        else:
                            values[value] = label
            elif "values" in spec:
                self.add(item, "поле values допустимо только у перечисления (type: enum)")
            if "integer" in spec and (fact_type != "number" or not isinstance(spec["integer"], bool)):
                self.add(item, "поле integer: true/false, только у чисел")
            if fact_type == "list" and spec.get("items", "string") != "string":
                self.add(item, "поле items: поддерживаются только списки строк (items: string)")
            unit, unit_forms = self.read_unit(item, spec.get("unit"))
            self.facts[name] = Fact(name, fact_type, str(spec.get("label", "")), unit,
                                    bounds.get("min"), bounds.get("max"), values, spec.get("description"),
                                    spec.get("integer") is True, unit_forms)

    def read_unit(self, item: str, raw: object) -> tuple[str | None, tuple[str, ...]]:
        unit = unit_of(raw)
        if unit is None:
            self.add(item, UNIT_HELP)
            return None, ()
        return unit

    def read_parameters(self, parameters: object) -> None:
        if not isinstance(parameters, dict):
            self.add("parameters", "раздел parameters — словарь: имя: {value, label, source}")
            return
        for name, spec in parameters.items():
            item = f"parameters.{name}"
            if not isinstance(name, str) or not IDENTIFIER.match(name):
                self.add(item, "имя параметра: латинские строчные буквы, цифры и _")
                continue
            if name in self.facts:
                self.add(item, f"имя «{name}» уже занято фактом")
                continue
            if not isinstance(spec, dict):
                self.add(item, "описание параметра — словарь с полями value, label, source")
                continue
            self.problems.unknown_keys(item, spec, PARAMETER_KEYS)
            value = spec.get("value")
            if not isinstance(value, (bool, str)) and number_problem(value):
                self.add(item, f"поле value: {number_problem(value)}")
            for key in ("label", "source"):
                if not is_text(spec.get(key)):
                    self.add(item, f"поле {key} обязательно")
            self.parameters[name] = Parameter(name, cast("bool | int | float | str", value), str(spec.get("label", "")), str(spec.get("source", "")),
                                              spec.get("description"))

    # -- criteria ---------------------------------------------------------------------------------
    def read_criteria(self, criteria: object) -> None:
        if not isinstance(criteria, list) or not criteria:
            self.add("criteria", "раздел criteria обязателен: список критериев")
            return
        seen: set[str] = set()
        for index, spec in enumerate(criteria):
            if not isinstance(spec, dict):
                self.add(f"criteria[{index}]", "критерий — словарь с полями id, label, condition, source, messages")
                continue
            criterion_id = spec.get("id")
            item = criterion_id if isinstance(criterion_id, str) else f"criteria[{index}]"
            if not isinstance(criterion_id, str) or not IDENTIFIER.match(criterion_id):
                self.add(item, "поле id обязательно: латинские строчные буквы, цифры и _")
            elif criterion_id in seen:
                self.add(item, "такой id критерия уже есть")
            seen.add(str(criterion_id))
            self.problems.unknown_keys(item, spec, CRITERION_KEYS)
            if not is_text(spec.get("label")):
                self.add(item, "поле label обязательно: краткая формулировка критерия")
            source = spec.get("source")
            if not isinstance(source, str) or not CLAUSE.match(source):
                self.add(item, "поле source обязательно: ссылка на пункт регламента, например \"003 §3.5\"")
            condition = self.read_condition(item, "condition", spec.get("condition"))
            messages = self.read_messages(item, spec.get("messages"))
            if condition is not None and isinstance(criterion_id, str):
                self.criteria.append(Criterion(criterion_id, str(spec.get("label", "")), spec["condition"],
                                               condition, str(source), messages))

    def read_condition(self, item: str, key: str, text: object) -> expressions.Expr | None:
        if not isinstance(text, str):
            self.add(item, f"поле {key} обязательно: условие вида «years_as_head >= 5»")
            return None
        try:
            expr = expressions.parse(text)
        except expressions.ExpressionError as error:
            self.add(item, f"поле {key}: {error.message} (позиция {error.position + 1} в «{text}»)")
            return None
        problems = check_condition(expr, self.facts, self.parameters)
        for problem in problems:
            self.add(item, f"поле {key}: {problem}")
        return None if problems else expressions.substitute(expr, {n: p.value for n, p in self.parameters.items()})

    def read_messages(self, item: str, messages: object) -> dict[str, str]:
        if not isinstance(messages, dict):
            self.add(item, f"поле messages обязательно: тексты для {known_list(MESSAGE_KINDS)}")
            return {}
        self.problems.unknown_keys(f"{item}.messages", messages, MESSAGE_KINDS)
        names = list(self.facts) + list(self.parameters)
        for kind in MESSAGE_KINDS:
            text = messages.get(kind)
            if not is_text(text):
                self.add(item, f"поле messages.{kind} обязательно (текст по-русски)")
                continue
            for placeholder in PLACEHOLDER.findall(str(text)):
                if placeholder not in names:
                    self.add(item, f"поле messages.{kind}: неизвестная подстановка {{{placeholder}}}"
                                   f"{suggestion(placeholder, names)}")
        return {kind: messages[kind] for kind in MESSAGE_KINDS if is_text(messages.get(kind))}
