"""Roadmaps (дорожные карты) as data: load and validate ``rules/<pack>/roadmaps/<id>.yaml``.

Texts are copied verbatim from the seed (only runs of whitespace collapsed). File format::

    id: tomsk_new_head            # = file name without .yaml
    scheme: staged                # staged (stages one after another, each with a length in months and a
                                  # report form: 003) | calendar (events with printed dates and who does them: 004)
                                  # | composed (no table in the seed: stages and events are the seed's own words,
                                  # each citing its clause in ``source``; lengths are the organization's: 001)
    title, source, seed_file      # table heading, citation ("003 прил. 1"), seed file name
    short_title, short_title_source, seed_lines, approval_as_printed   # optional texts
    mentee_category: new_head     # a category of the pack (pack.yaml mentee_categories) or null
    report_rule: null             # optional, e.g. "ОТЧЕТ представляется после завершения каждого этапа"
    report_forms_listed: []       # optional, forms named by a «ФОРМА ОТЧЕТНОСТИ» row
    stages:
      - id, number, number_as_printed, title   # id: latin letters, digits, _; number = number_as_printed
                                               # without trailing dots
        planned_months: 1         # staged: required, > 0, equal to the number in term_as_printed
        term_as_printed: "1 месяц"              # staged: required («Сроки»)
        report_form: "Информационная справка"   # staged: required key, may be null
        kinds: []                 # optional: the kinds of event participants may add to this stage by a plan
                                  # correction (003 §7.2); empty — any event the participants name
        max_added: null           # optional: how many events a correction may add to the stage (null: no limit)
        events:
          - number, number_as_printed, name     # number starts with the stage number, unique
            items: []             # optional: points of a list inside the cell
            report_form: null     # optional: a form the seed gives for this very event
            due_as_printed, responsible         # calendar: required («Сроки», «Исполнители»)
            expected_results: []  # optional («Ожидаемые результаты»)
            optional: false       # optional: true — participants may remove it from their plan (a correction)
            source: "001 §5.1"    # composed: required, the clause the text is quoted from (also on each stage)

Refusals are ``NastavnikError`` with ``where`` like ``tomsk_new_head.yaml: stages[2].events[0].name``.
Which pack a roadmap belongs to, and whether its category exists, the pack loader checks (``engine.regulations``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from engine import bounded_yaml
from engine.errors import NastavnikError, NotFound, yaml_message
from engine.regulations.template_filters import plural

SCHEMES = ("staged", "calendar", "composed")
_REQUIRED_STAGE_KEYS = {"staged": ("planned_months", "term_as_printed", "report_form"), "calendar": (),
                        "composed": ("planned_months", "report_form", "source")}
_REQUIRED_EVENT_KEYS = {"staged": (), "calendar": ("due_as_printed", "responsible"), "composed": ("source",)}
_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_NUMBER = re.compile(r"\d+(\.\d+)*")
_CLAUSE = re.compile(r"\d{3} \S.*")


@dataclass(frozen=True)
class RoadmapEvent:
    number: str
    number_as_printed: str
    name: str
    items: tuple[str, ...] = ()
    report_form: str | None = None
    due_as_printed: str | None = None
    responsible: str | None = None
    expected_results: tuple[str, ...] = ()
    source: str | None = None  # composed: the clause the name is quoted from
    optional: bool = False  # participants may remove it by a plan correction (003 §7.2)


@dataclass(frozen=True)
class RoadmapStage:
    id: str
    number: str
    number_as_printed: str
    title: str
    events: tuple[RoadmapEvent, ...]
    planned_months: int | None = None
    term_as_printed: str | None = None
    report_form: str | None = None
    source: str | None = None  # composed: the clause the title is quoted from
    kinds: tuple[str, ...] = ()  # the kinds of event a plan correction may add (empty: any)
    max_added: int | None = None  # how many events corrections may add to the stage (None: no limit)

    @property
    def report_name(self) -> str:
        """What the report closing the stage is called: the roadmap's «Форма представления результата», or,
        where the seed leaves it empty (003 appendix 2, stage 4), a plain «Отчёт об этапе» that says so —
        never a form the seed does not name."""
        return self.report_form or NO_REPORT_FORM


NO_REPORT_FORM = "Отчёт об этапе (форма представления результата в дорожной карте не указана)"


def events_done_text(done: int, total: int) -> str:
    """«выполнено 0 из 9 мероприятий», «выполнено 1 из 21 мероприятия» (the numbers agree with the noun)."""
    return f"выполнено {done} из {total} {plural(total, 'мероприятия', 'мероприятий', 'мероприятий')}"


@dataclass(frozen=True)
class Roadmap:
    id: str
    scheme: str
    title: str
    source: str
    seed_file: str
    mentee_category: str | None
    stages: tuple[RoadmapStage, ...]
    short_title: str | None = None
    short_title_source: str | None = None
    seed_lines: str | None = None
    approval_as_printed: str | None = None
    report_rule: str | None = None
    report_forms_listed: tuple[str, ...] = ()

    @property
    def events(self) -> tuple[RoadmapEvent, ...]:
        return tuple(event for stage in self.stages for event in stage.events)

    @property
    def total_planned_months(self) -> int | None:
        months = [stage.planned_months for stage in self.stages]
        known = [m for m in months if m is not None]
        return sum(known) if len(known) == len(months) else None

    def stage(self, stage_id: str) -> RoadmapStage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise NotFound(f"в дорожной карте нет этапа «{stage_id}»", where=self.id)

    def event(self, number: str) -> RoadmapEvent:
        for event in self.events:
            if event.number == number:
                return event
        raise NotFound(f"в дорожной карте нет мероприятия {number}", where=self.id)


class _Reader:
    """Reads one mapping of a roadmap file; every error names the file and the field."""

    def __init__(self, file: str, data: Any, field: str, cls: type) -> None:
        self.file, self.field = file, field
        if not isinstance(data, dict):
            raise self.fail("ожидается словарь (ключ: значение)")
        unknown = sorted(str(key) for key in data if key not in {f.name for f in fields(cls)})
        if unknown:
            raise self.fail(f"неизвестное поле «{unknown[0]}»", unknown[0])
        self.data: dict[str, Any] = data

    def fail(self, message: str, key: str = "") -> NastavnikError:
        path = ".".join(part for part in (self.field, key) if part)
        return NastavnikError(message, where=f"{self.file}: {path}" if path else self.file)

    def require(self, *keys: str) -> None:
        for key in keys:
            if key not in self.data:
                raise self.fail("отсутствует обязательное поле", key)

    def required_text(self, key: str) -> str:
        """A text the file must give (``text`` with ``required=True`` never gives None)."""
        value = self.text(key)
        assert value is not None
        return value

    def text(self, key: str, *, required: bool = True, nullable: bool = False) -> str | None:
        if required:
            self.require(key)
        value = self.data.get(key)
        if key not in self.data or (value is None and nullable):
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail("ожидается непустая строка", key)
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail("ожидается список непустых строк", key)
        return tuple(value)

    def items(self, key: str) -> list[Any]:
        self.require(key)
        if isinstance(self.data[key], list) and self.data[key]:
            return self.data[key]
        raise self.fail("ожидается непустой список", key)

    def source(self) -> str | None:
        """A clause citation («001 §5.1»), or None where the file gives none."""
        value = self.text("source", required=False)
        if value is not None and not _CLAUSE.fullmatch(value.strip()):
            raise self.fail(f"«{value}»: ожидается ссылка на пункт положения, например \"001 §5.1\"", "source")
        return value

    def numbers(self) -> tuple[str, str]:
        number, printed = self.required_text("number"), self.required_text("number_as_printed")
        if not _NUMBER.fullmatch(number):
            raise self.fail(f"номер «{number}» не вида 1 или 2.3", "number")
        if printed.strip().rstrip(".") != number:
            raise self.fail(f"номер «{number}» не совпадает с напечатанным «{printed}»", "number")
        return number, printed


def _stage(file: str, raw: Any, field: str, scheme: str, seen: set[str]) -> RoadmapStage:
    r = _Reader(file, raw, field, RoadmapStage)
    stage_id = r.required_text("id")
    if not _IDENTIFIER.fullmatch(stage_id):
        raise r.fail(f"идентификатор этапа «{stage_id}»: только строчные латинские буквы, цифры и _", "id")
    number, printed = r.numbers()
    r.require(*_REQUIRED_STAGE_KEYS[scheme])
    months, term = r.data.get("planned_months"), r.text("term_as_printed", required=False)
    if months is not None and (isinstance(months, bool) or not isinstance(months, int) or months <= 0):
        raise r.fail("длительность этапа должна быть целым числом месяцев больше нуля", "planned_months")
    found = re.match(r"\s*(\d+)", term or "")
    if months is not None and term is not None and (found is None or int(found.group(1)) != months):
        raise r.fail(f"planned_months = {months} не совпадает со сроком «{term}»", "planned_months")
    events = []
    for index, raw_event in enumerate(r.items("events")):
        event = _event(file, raw_event, f"{field}.events[{index}]", scheme)
        if not event.number.startswith(number + "."):
            raise r.fail(f"мероприятие {event.number} не относится к этапу {number}",
                         f"events[{index}].number")
        if event.number in seen:
            raise r.fail(f"номер мероприятия {event.number} повторяется", f"events[{index}].number")
        seen.add(event.number)
        events.append(event)
    return RoadmapStage(id=stage_id, number=number, number_as_printed=printed, title=r.required_text("title"),
                        events=tuple(events), planned_months=months, term_as_printed=term,
                        report_form=r.text("report_form", required=False, nullable=True),
                        source=r.source(), kinds=r.texts("kinds"), max_added=_max_added(r))


def _max_added(r: _Reader) -> int | None:
    value = r.data.get("max_added")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise r.fail("ожидается целое число не меньше нуля или null", "max_added")
    return value


def _event(file: str, raw: Any, field: str, scheme: str) -> RoadmapEvent:
    r = _Reader(file, raw, field, RoadmapEvent)
    number, printed = r.numbers()
    r.require(*_REQUIRED_EVENT_KEYS[scheme])
    return RoadmapEvent(
        number=number, number_as_printed=printed, name=r.required_text("name"), items=r.texts("items"),
        report_form=r.text("report_form", required=False, nullable=True),
        due_as_printed=r.text("due_as_printed", required=False),
        responsible=r.text("responsible", required=False), expected_results=r.texts("expected_results"),
        source=r.source(), optional=_flag(r, "optional"))


def _flag(r: _Reader, key: str) -> bool:
    value = r.data.get(key, False)
    if not isinstance(value, bool):
        raise r.fail("ожидается true или false", key)
    return value


def load_roadmap(path: str | Path) -> Roadmap:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NastavnikError(f"файл не читается: {exc}", where=path.name) from exc
    return load_roadmap_bytes(data, path.name)


def load_roadmap_bytes(data: bytes, filename: str) -> Roadmap:
    """A roadmap from the bytes of ``filename`` (its id must be the file name without .yaml)."""
    path = Path(filename)
    try:
        raw = bounded_yaml.load(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise NastavnikError("файл должен быть в кодировке UTF-8", where=path.name) from exc
    except yaml.YAMLError as exc:
        raise NastavnikError(f"файл не читается как YAML: {yaml_message(exc)}", where=path.name) from exc
    r = _Reader(path.name, raw, "", Roadmap)
    roadmap_id, scheme = r.required_text("id"), r.required_text("scheme")
    if roadmap_id != path.stem:
        raise r.fail(f"id «{roadmap_id}» не совпадает с именем файла «{path.stem}»", "id")
    if scheme not in SCHEMES:
        raise r.fail(f"неизвестная схема «{scheme}»; допустимы: {', '.join(SCHEMES)}", "scheme")
    category = r.text("mentee_category", nullable=True)
    seen: set[str] = set()
    stages = [_stage(path.name, raw_stage, f"stages[{index}]", scheme, seen)
              for index, raw_stage in enumerate(r.items("stages"))]
    for index, stage in enumerate(stages):
        if stage.id in [other.id for other in stages[:index]]:
            raise r.fail(f"этап «{stage.id}» повторяется", f"stages[{index}].id")
    return Roadmap(
        id=roadmap_id, scheme=scheme, title=r.required_text("title"), source=r.required_text("source"),
        seed_file=r.required_text("seed_file"), mentee_category=category, stages=tuple(stages),
        short_title=r.text("short_title", required=False),
        short_title_source=r.text("short_title_source", required=False),
        seed_lines=r.text("seed_lines", required=False),
        approval_as_printed=r.text("approval_as_printed", required=False),
        report_rule=r.text("report_rule", required=False, nullable=True),
        report_forms_listed=r.texts("report_forms_listed"),
    )


def load_directory(directory: str | Path) -> dict[str, Roadmap]:
    """Every roadmap file of one folder (a pack's ``roadmaps/``), by id."""
    return {rm.id: rm for rm in (load_roadmap(path) for path in sorted(Path(directory).glob("*.yaml")))}
