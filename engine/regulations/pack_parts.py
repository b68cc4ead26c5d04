"""The parts of a regulation pack (``pack.RegulationPack``), each naming the clause it comes from: a cited item and
one for some kinds of organization, a mentee category, an organization's calendar roadmap, a form of mentorship, a
duty, the mentor's term, a date of the report calendar, a petition, an order kind, the act itself."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from engine.domain_time import academic_year_start, term_ends_on


@dataclass(frozen=True)
class Cited:
    """A label the pack gives with the clause it comes from."""

    id: str
    label: str
    clause: str


@dataclass(frozen=True)
class KindCited(Cited):
    """A cited label that applies to some kinds of organization only (``organization_kinds``: school,
    kindergarten, … — empty: every kind of the pack), e.g. the school formats of 004 прил. 2 п. 1.3."""

    organization_kinds: tuple[str, ...] = ()

    def applies_to(self, organization_kind: str) -> bool:
        return not self.organization_kinds or organization_kind in self.organization_kinds


@dataclass(frozen=True)
class MenteeCategory(KindCited):
    roadmap: str | None = None  # the roadmap a mentee of this category follows (None: chosen per program)


@dataclass(frozen=True)
class OrganizationRoadmap:
    """A calendar roadmap an organization of the given kinds runs as a process for each academic year
    (004 п. 4.3: «Организовать работу по реализации Дорожных карт … в образовательных организациях»).

    ``interim_analysis`` / ``completion``: numbers of the roadmap's events that are the explicit steps with
    their reports (004 прил. 2 п. 7.2 промежуточный анализ, п. 8.1 мониторинг и завершение); ``performers``:
    a role of the organization → the printed «Исполнители» texts whose events that role marks done (every
    other event the curator, «ответственный по школе», marks)."""

    roadmap: str
    organization_kinds: tuple[str, ...]
    clause: str
    completion: str
    interim_analysis: str | None = None
    performers: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def role_of(self, responsible: str | None) -> str:
        for role, printed in self.performers.items():
            if responsible is not None and responsible.strip() in printed:
                return role
        return "curator"


@dataclass(frozen=True)
class MentorshipFormSpec(KindCited):
    """A form of mentorship; ``mentor``/``mentee``: the participant kind each side must be (001 §2.3:
    «учитель – ученик»), None where the form does not say."""

    mentor: str | None = None  # one of engine.vocabulary.ParticipantKind
    mentee: str | None = None
    # the mentee categories the form is the model for (003 §2.4: «резервист – руководитель» for the reservist of
    # §3.6.1, «руководитель – руководитель» for the three categories of heads); empty: a form for any category
    mentee_categories: tuple[str, ...] = ()

    def fits(self, category: str | None) -> bool:
        return not self.mentee_categories or category in self.mentee_categories


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
        return term_ends_on(starts_on, self.end, self.months)

    def is_standard(self, starts_on: date, ends_on: date) -> bool:
        """Whether a term from ``starts_on`` to ``ends_on`` is the regulation's standard term."""
        return self.ends_on(starts_on) == ends_on

    def phrase(self, starts_on: date, ends_on: date) -> str | None:
        """«сроком на два года» / «сроком на один учебный год (2025/2026 учебный год)» when ``ends_on`` is the
        standard end, else None. (Orders word the term in their templates: rules/<pack>/orders/.)"""
        if not self.is_standard(starts_on, ends_on):
            return None
        if self.end == "day_before":
            assert self.months is not None
            years, months = divmod(self.months, 12)
            words = {1: "один год", 2: "два года", 3: "три года"}
            return f"сроком на {words[years]}" if months == 0 and years in words else f"сроком на {self.months} мес."
        first = academic_year_start(starts_on)
        return f"сроком на один учебный год ({first}/{first + 1} учебный год)"


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
    report_by: str | None = None  # one of REPORTERS: who files a periodic report by this day (003 п. 3: mentors)

    def next_on_or_after(self, today: date) -> date | None:
        if self.month is None or self.day is None:
            return None
        this_year = date(today.year, self.month, self.day)
        return this_year if this_year >= today else date(today.year + 1, self.month, self.day)

    def last_before(self, day: date) -> date | None:
        """The latest such day strictly before ``day`` (None: not a day of the year)."""
        if self.month is None or self.day is None:
            return None
        this_year = date(day.year, self.month, self.day)
        return this_year if this_year < day else date(day.year - 1, self.month, self.day)


@dataclass(frozen=True)
class ReportIndicator(Cited):
    """An indicator the mentor's periodic report gives per program (002 §5: «процент обучающихся наставляемого,
    успешно прошедших ВПР/ГИА», …): ``kind`` one of INDICATOR_KINDS (percent 0–100, count, text), ``stage`` one
    of INDICATOR_STAGES (the monitoring of the process, of the impact)."""

    kind: str = "text"
    stage: str = "process"


@dataclass(frozen=True)
class Petition:
    kind: str  # one of PETITION_KINDS
    decided_by: str  # one of DECIDERS
    clause: str
    grounds: str | None = None  # the regulation's words for when it may be filed
    order: bool = True  # whether a signed order follows the decision
    # extension only: what may be corrected without adding months (003 §7.2 «или корректировка ее содержания»),
    # ids of PETITION_CONTENT (plan, form); empty: an extension petition adds months
    content: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrderKindSpec:
    kind: str  # an order kind (engine.regulations.order_contract.ORDER_KINDS); its wording: orders/<kind>.j2
    clause: str


@dataclass(frozen=True)
class Act:
    """How orders cite the regulation: «п. 3.3 <genitive>» and «в соответствии с <instrumental>»."""

    name: str
    genitive: str
    instrumental: str
