"""A regulation pack: everything one regulation decides, as data (``rules/<pack>/pack.yaml`` and its folders).

The pack is what an organization is bound to (``Organization.regulation`` holds the pack id). Each part names
the clause it comes from; the loader (``engine.regulations.loader``) refuses a pack naming every problem by
file and field. Its parts (a cited item, a mentee category, a form of mentorship, the mentor's term, a report date,
a petition, …) are ``pack_parts``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from engine.domain_time import ACADEMIC_YEAR_END, academic_year_end, term_last_day
from engine.errors import NotFound
from engine.regulations.pack_parts import (
    Act,
    Cited,
    Duty,
    KindCited,
    MenteeCategory,
    MentorshipFormSpec,
    MentorTerm,
    OrderKindSpec,
    OrganizationRoadmap,
    Petition,
    ReportDate,
    ReportIndicator,
)
from engine.regulations.roadmaps import Roadmap
from engine.vocabulary import CALENDAR_TASK_LABELS, organization_kind_label

if TYPE_CHECKING:
    from engine.regulations.council_bodies import CouncilBody
    from engine.regulations.incentives import IncentiveKind
    from engine.regulations.individual_plans import IndividualPlans

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
    "mentor_report": "периодический отчёт наставника",
    "school_roadmap": "реализация дорожной карты модели наставничества в организации за учебный год",
    "organization_order": "приказ о модели наставничества организации: проект и подпись руководителя",
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
# What an extension petition may correct without adding months (``petitions[].content``; 003 §7.2: «продление
# срока … или корректировка ее содержания (например, плана мероприятий, формы наставничества)»).
PETITION_CONTENT: dict[str, str] = {
    "plan": "план мероприятий",
    "form": "форма наставничества",
}
# «tutor»: the tutor who accompanies a teacher's individual educational route (002 §4.2.2, engine/services/iom)
ROLE_IDS = ("curator", "methodologist", "head", "mentor", "mentee", "tutor")
# A clause the regulation does not give: «001 не задаёт» with ``choice`` — what the organization decided.
NOT_SET = "не задаёт"
# What a date of the report calendar drives (a yearly task for the curator on the domain clock).
CALENDAR_TASKS: dict[str, str] = {str(task): label for task, label in CALENDAR_TASK_LABELS.items()}
# who files a periodic report by a date of the report calendar (``report_calendar[].report_by``): 003 п. 3 of the
# order — «отчёты руководителей, осуществляющих функции наставника, ежегодно до 10 июня, 10 декабря»
REPORTERS: dict[str, str] = {"mentor": "наставники с действующим назначением"}
# what the mentor's periodic report gives per program where the regulation names indicators (``report_indicators``;
# 002 §5: two stages of monitoring — the process of the program and its impact on its participants)
INDICATOR_KINDS: dict[str, str] = {"percent": "процент (0–100)", "count": "число (0 и больше)", "text": "текст"}
INDICATOR_STAGES: dict[str, str] = {"process": "Мониторинг процесса реализации программы",
                                    "impact": "Мониторинг влияния программы на её участников"}


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
    processes: dict[str, dict[str, str]]  # purpose -> organization kind (or "default") -> BPMN process id
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
    work_forms: tuple[Cited, ...] = ()  # forms of the mentor's work (004 III.6: мастер-классы, консультации, …)
    program_term_end: str | None = None  # «academic_year_end»: a program lasts the academic year (004 III.2)
    organization_roadmaps: tuple[OrganizationRoadmap, ...] = ()
    report_indicators: tuple[ReportIndicator, ...] = ()  # the periodic report's indicators per program (002 §5)
    # ``council.protocol_retention_months``: how long the council's signed protocols are kept, then purged
    # (000 §5.3: «хранятся в течение 1 года в электронном виде»); a pack without ``council`` keeps them 12 months
    council_retention_months: int = 12
    # the collegial bodies an organization has (``council_bodies:``; engine.regulations.council_bodies): the mentors'
    # council (000 §4–5), the pedagogical council (004 прил. 1 п. 3.1.1); a pack without it: the mentors' council
    council_bodies: tuple[CouncilBody, ...] = ()
    program_term_limits: tuple[int, int] | None = None  # (min, max) months of a program's term (002 §1.2: 3–12)
    incentives: tuple[IncentiveKind, ...] = ()  # the measures of encouragement it names (engine.regulations.incentives)
    individual_plans: IndividualPlans | None = None  # ИППР and its sections (000 §2.2), or None: the pack has none

    def calendar_tasks(self) -> tuple[ReportDate, ...]:
        """The dates of the report calendar that drive a yearly task for the curator."""
        return tuple(date_ for date_ in self.report_calendar if date_.task is not None)

    def periodic_reports(self) -> tuple[ReportDate, ...]:
        """The dates of the report calendar by which someone the regulation names files a periodic report."""
        return tuple(date_ for date_ in self.report_calendar if date_.report_by is not None)

    def program_term_ends_on(self, starts_on: date) -> date | None:
        """Last day of a program of the standard term starting ``starts_on`` (None: the pack sets no term)."""
        if self.program_term_months is None:
            return None
        return term_last_day(starts_on, self.program_term_months)

    def process_data(self) -> dict[str, Any]:
        """What every process of an organization bound to the pack starts with: the pack id and its rulesets by
        purpose (a business rule task naming «pack:<purpose>» reads them)."""
        return {"regulation": self.id, "rulesets": dict(self.rulesets),
                "mentor_term": {"end": self.mentor_term.end, "months": self.mentor_term.months}}

    def ruleset(self, purpose: str) -> str | None:
        return self.rulesets.get(purpose)

    def process_or_none(self, purpose: str, organization_kind: str | None = None) -> str | None:
        """The BPMN process the pack runs for ``purpose`` in an organization of that kind (its own entry, else
        the default), or None."""
        by_kind = self.processes.get(purpose) or {}
        return by_kind.get(organization_kind or "default") or by_kind.get("default")

    def process(self, purpose: str, organization_kind: str | None = None) -> str:
        found = self.process_or_none(purpose, organization_kind)
        if found is None:
            raise NotFound(f"положение «{self.title}» не задаёт процесс «{PROCESS_PURPOSES.get(purpose, purpose)}»"
                           + (f" для вида организации «{organization_kind}»" if organization_kind else ""),
                           where=f"{self.id}/pack.yaml: processes.{purpose}")
        return found

    def category(self, category_id: str, organization_kind: str | None = None) -> MenteeCategory:
        """The category ``category_id``; with ``organization_kind``, only one that applies to that kind."""
        offered = self.categories_for(organization_kind) if organization_kind else self.mentee_categories
        for category in self.mentee_categories:
            if category.id == category_id:
                if category not in offered:
                    raise NotFound(_not_for_kind("категория наставляемых", category, organization_kind, offered),
                                   where="category")
                return category
        known = ", ".join(c.id for c in offered) or "ни одной"
        raise NotFound(f"в положении «{self.title}» нет категории наставляемых «{category_id}»; есть: {known}",
                       where="category")

    def categories_for(self, organization_kind: str) -> tuple[MenteeCategory, ...]:
        """The mentee categories a curator of an organization of this kind is offered."""
        return tuple(c for c in self.mentee_categories if c.applies_to(organization_kind))

    def forms_for(self, organization_kind: str) -> tuple[MentorshipFormSpec, ...]:
        return tuple(f for f in self.mentorship_forms if f.applies_to(organization_kind))

    def forms_for_category(self, category: str | None, organization_kind: str) -> tuple[MentorshipFormSpec, ...]:
        """The forms a pair of a mentee of ``category`` may take: the model tied to the category first (003 §2.4),
        then the forms open to every category."""
        fitting = [f for f in self.forms_for(organization_kind) if f.fits(category)]
        return tuple(sorted(fitting, key=lambda f: not f.mentee_categories))

    def roadmap_for(self, organization_kind: str) -> OrganizationRoadmap:
        """The calendar roadmap an organization of this kind runs for its academic year."""
        found = next((r for r in self.organization_roadmaps if organization_kind in r.organization_kinds), None)
        if found is None:
            raise NotFound(f"положение «{self.title}» не задаёт дорожной карты для организаций вида "
                           f"«{organization_kind_label(organization_kind)}»", where="organization_roadmaps")
        return found

    def category_for_roadmap(self, roadmap_id: str) -> MenteeCategory | None:
        return next((c for c in self.mentee_categories if c.roadmap == roadmap_id), None)

    def form(self, form_id: str, organization_kind: str | None = None) -> MentorshipFormSpec:
        """The form ``form_id``; with ``organization_kind``, only one that applies to that kind."""
        for form in self.mentorship_forms:
            if form.id == form_id:
                if organization_kind and not form.applies_to(organization_kind):
                    raise NotFound(_not_for_kind("форма наставничества", form, organization_kind,
                                                 self.forms_for(organization_kind)), where="form")
                return form
        raise NotFound(f"положение «{self.title}» не предусматривает форму наставничества «{form_id}»", where="form")


    def incentive(self, kind_id: str) -> IncentiveKind:
        """The measure of encouragement ``kind_id`` the regulation names; ``NotFound`` naming the known ones."""
        for kind in self.incentives:
            if kind.id == kind_id:
                return kind
        known = ", ".join(f"«{k.label}»" for k in self.incentives) or "ни одной"
        raise NotFound(f"положение «{self.title}» не называет меру поощрения «{kind_id}»; есть: {known}",
                       where="kind")

    def council_body(self, body_id: str) -> CouncilBody:
        """The collegial body ``body_id`` of the pack; ``NotFound`` in Russian naming the bodies it has."""
        from engine.regulations.council_bodies import body_of
        return body_of(self.council_bodies, body_id, self.title)

    def contest_incentive(self) -> IncentiveKind | None:
        """The measure the best-mentor contest gives its winners (``contest: true``), or None: no contest."""
        return next((kind for kind in self.incentives if kind.contest), None)
    def work_form(self, form_id: str) -> Cited:
        for form in self.work_forms:
            if form.id == form_id:
                return form
        known = ", ".join(f.label for f in self.work_forms) or "ни одной"
        raise NotFound(f"положение «{self.title}» не называет форму работы наставника «{form_id}»; есть: {known}",
                       where="work_form")

    def report_date(self, date_id: str) -> ReportDate | None:
        return next((d for d in self.report_calendar if d.id == date_id), None)

    def program_ends_on(self, starts_on: date, *, extra_months: int = 0) -> date | None:
        """Last day of a program starting ``starts_on`` when the pack gives its term (None: the roadmap's),
        ``extra_months`` longer after extensions (counted from the start: ``engine.domain_time``)."""
        if self.program_term_end == ACADEMIC_YEAR_END:
            return term_last_day(academic_year_end(starts_on) + timedelta(days=1), extra_months)
        if self.program_term_months is not None:
            return term_last_day(starts_on, self.program_term_months + extra_months)
        return None

    def petition(self, kind: str) -> Petition | None:
        return next((p for p in self.petitions if p.kind == kind), None)

    def role_label(self, role: str) -> str | None:
        cited = self.roles.get(role)
        return cited.label if cited else None

    def roadmap(self, roadmap_id: str) -> Roadmap:
        if roadmap_id not in self.roadmaps:
            raise NotFound(f"в положении «{self.title}» нет дорожной карты «{roadmap_id}»", where="roadmap")
        return self.roadmaps[roadmap_id]


def _not_for_kind(what: str, item: KindCited, organization_kind: str | None,
                  offered: tuple[KindCited, ...]) -> str:
    kinds = ", ".join(f"«{organization_kind_label(k)}»" for k in item.organization_kinds)
    others = "; ".join(f"«{o.label}»" for o in offered) or "нет ни одной"
    return (f"{what} «{item.label}» ({item.clause}) предусмотрена для организаций вида {kinds}, а не "
            f"«{organization_kind_label(organization_kind or '')}»; для этой организации: {others}")
