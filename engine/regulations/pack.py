"""A regulation pack: everything one regulation decides, as data (``rules/<pack>/pack.yaml`` and its folders).

The pack is what an organization is bound to (``Organization.regulation`` holds the pack id). Each part names
the clause it comes from; the loader (``engine.regulations.loader``) refuses a pack naming every problem by
file and field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from engine.domain_time import academic_year_start, add_months
from engine.errors import NotFound
from engine.regulations.roadmaps import Roadmap
from engine.vocabulary import CALENDAR_TASK_LABELS

# What a pack's rule files are for: the processes and services ask the pack «which ruleset decides X».
RULESET_PURPOSES: dict[str, str] = {
    "mentor_eligibility": "соответствие кандидата требованиям к наставнику",
    "mentee_category": "категория наставляемого и выбор дорожной карты",
    "bonus": "стимулирование (премирование) наставника",
    "mentee_eligibility": "соответствие наставляемого кругу участников (категория, возраст)",
}
# Processes a pack picks (BPMN process ids from workflows/): the purpose and whether a pack must name one.
PROCESS_PURPOSES: dict[str, str] = {
    "mentor_appointment": "назначение наставника",
    "pair_formation": "формирование пар и групп",
    "program": "реализация программы наставничества",
    "calendar": "календарь положения: мониторинг и сверка базы",
}
# The end of a mentor's term: «day_before» — start + months − 1 day (003 §3.4: на два года);
# «academic_year_end» — 31 August closing the academic year the term starts in (004 III.2: на учебный год).
TERM_ENDS = ("day_before", "academic_year_end")
PETITION_KINDS: dict[str, str] = {
    "extension": "продление (корректировка) программы",
    "early_completion": "досрочное завершение программы",
    "mentor_replacement": "замена наставника",
    "mentor_release": "освобождение наставника от обязанностей",
}
DECIDERS = ("curator", "head", "coordination_council")
ROLE_IDS = ("curator", "methodologist", "head", "mentor", "mentee")
# A clause the regulation does not give: «001 не задаёт» with ``choice`` — what the organization decided.
NOT_SET = "не задаёт"
# What a date of the report calendar drives (a yearly task for the curator on the domain clock).
CALENDAR_TASKS: dict[str, str] = {str(task): label for task, label in CALENDAR_TASK_LABELS.items()}


@dataclass(frozen=True)
class Cited:
    """A label the pack gives with the clause it comes from."""

    id: str
    label: str
    clause: str


@dataclass(frozen=True)
class MenteeCategory(Cited):
    roadmap: str | None = None  # the roadmap a mentee of this category follows (None: chosen per program)


@dataclass(frozen=True)
class MentorshipFormSpec(Cited):
    """A form of mentorship; ``mentor``/``mentee``: the participant kind each side must be (001 §2.3:
    «учитель – ученик»), None where the form does not say."""

    mentor: str | None = None  # one of engine.vocabulary.ParticipantKind
    mentee: str | None = None


@dataclass(frozen=True)
class Duty:
    """A duty the regulation gives someone (the working group, the curator, …), verbatim, and what the product
    offers for it (``feature``: one of engine.regulations.duties.FEATURES; None: done outside the system)."""

    by: str  # one of engine.regulations.duties.DUTY_HOLDERS
    text: str
    clause: str
    feature: str | None = None


@dataclass(frozen=True)
class MentorTerm:
    end: str  # one of TERM_ENDS
    clause: str
    months: int | None = None  # day_before only
    choice: str | None = None  # the organization's decision where the regulation sets no term (NOT_SET)

    def ends_on(self, starts_on: date) -> date:
        """Last day of a mentor's term starting ``starts_on``."""
        if self.end == "day_before":
            assert self.months is not None
            return add_months(starts_on, self.months) - timedelta(days=1)
        return date(academic_year_start(starts_on) + 1, 8, 31)

    def phrase(self, starts_on: date, ends_on: date) -> str | None:
        """«на два года» / «на один учебный год (2025/2026 учебный год)» when ``ends_on`` is the standard end."""
        if self.ends_on(starts_on) != ends_on:
            return None
        if self.end == "day_before":
            assert self.months is not None
            years, months = divmod(self.months, 12)
            words = {1: "один год", 2: "два года", 3: "три года"}
            return f"сроком на {words[years]}" if months == 0 and years in words else f"сроком на {self.months} мес."
        first = academic_year_start(starts_on)
        return f"сроком на один учебный год ({first}/{first + 1} учебный год"


@dataclass(frozen=True)
class ReportDate:
    """A date of the report calendar: «after: stage» (a report after each stage) or a day of the year."""

    id: str
    label: str
    clause: str
    after_stage: bool = False
    month: int | None = None
    day: int | None = None
    task: str | None = None  # one of CALENDAR_TASKS: the curator's yearly task due on this day
    choice: str | None = None  # the organization's decision where the regulation sets no date (NOT_SET)

    def next_on_or_after(self, today: date) -> date | None:
        if self.month is None or self.day is None:
            return None
        this_year = date(today.year, self.month, self.day)
        return this_year if this_year >= today else date(today.year + 1, self.month, self.day)


@dataclass(frozen=True)
class Petition:
    kind: str  # one of PETITION_KINDS
    decided_by: str  # one of DECIDERS
    clause: str
    grounds: str | None = None  # the regulation's words for when it may be filed
    order: bool = True  # whether a signed order follows the decision


@dataclass(frozen=True)
class OrderKindSpec:
    kind: str  # an order template id (engine.documents)
    clause: str
    title: str | None = None


@dataclass(frozen=True)
class Act:
    """How orders cite the regulation: «п. 3.3 <genitive>» and «в соответствии с <instrumental>»."""

    name: str
    genitive: str
    instrumental: str


@dataclass(frozen=True)
class RegulationPack:
    id: str
    version: str
    title: str
    seed: str  # the citation prefix: "003"
    seed_file: str
    act: Act
    digest: str
    rulesets: dict[str, str]  # purpose -> ruleset id
    processes: dict[str, str]  # purpose -> BPMN process id
    mentee_categories: tuple[MenteeCategory, ...]
    mentorship_forms: tuple[MentorshipFormSpec, ...]
    roles: dict[str, Cited]
    mentor_term: MentorTerm
    program_term_months: int | None
    program_term_clause: str | None
    report_calendar: tuple[ReportDate, ...]
    petitions: tuple[Petition, ...]
    orders: tuple[OrderKindSpec, ...]
    document_defaults: dict[str, str]
    roadmaps: dict[str, Roadmap] = field(default_factory=dict)
    rule_files: tuple[str, ...] = ()  # file names under rulesets/
    order_templates: dict[str, str] = field(default_factory=dict)  # orders/<kind>.j2: kind -> template text
    files: dict[str, bytes] = field(default_factory=dict)  # every file of the pack by relative path (digest's input)
    organization_kinds: tuple[str, ...] = ()
    program_term_choice: str | None = None  # the organization's decision where the regulation sets no term
    duties: tuple[Duty, ...] = ()

    def calendar_tasks(self) -> tuple[ReportDate, ...]:
        """The dates of the report calendar that drive a yearly task for the curator."""
        return tuple(date_ for date_ in self.report_calendar if date_.task is not None)

    def ruleset(self, purpose: str) -> str | None:
        return self.rulesets.get(purpose)

    def process(self, purpose: str) -> str:
        if purpose not in self.processes:
            raise NotFound(f"положение «{self.title}» не задаёт процесс «{PROCESS_PURPOSES.get(purpose, purpose)}»",
                           where=f"{self.id}/pack.yaml: processes.{purpose}")
        return self.processes[purpose]

    def category(self, category_id: str) -> MenteeCategory:
        for category in self.mentee_categories:
            if category.id == category_id:
                return category
        known = ", ".join(c.id for c in self.mentee_categories) or "ни одной"
        raise NotFound(f"в положении «{self.title}» нет категории наставляемых «{category_id}»; есть: {known}",
                       where="category")

    def category_for_roadmap(self, roadmap_id: str) -> MenteeCategory | None:
        return next((c for c in self.mentee_categories if c.roadmap == roadmap_id), None)

    def form(self, form_id: str) -> MentorshipFormSpec:
        for form in self.mentorship_forms:
            if form.id == form_id:
                return form
        raise NotFound(f"положение «{self.title}» не предусматривает форму наставничества «{form_id}»", where="form")

    def petition(self, kind: str) -> Petition | None:
        return next((p for p in self.petitions if p.kind == kind), None)

    def role_label(self, role: str) -> str | None:
        cited = self.roles.get(role)
        return cited.label if cited else None

    def roadmap(self, roadmap_id: str) -> Roadmap:
        if roadmap_id not in self.roadmaps:
            raise NotFound(f"в положении «{self.title}» нет дорожной карты «{roadmap_id}»", where="roadmap")
        return self.roadmaps[roadmap_id]
