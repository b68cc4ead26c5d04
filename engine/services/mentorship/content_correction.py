"""What an extension petition asks for (003 §7.2): «продление срока реализации персонализированной программы
наставничества или корректировка ее содержания (например, плана мероприятий, формы наставничества)».

An extension petition adds months (1–``EXTENSION_MONTHS``) or — where the organization's pack lets it
(``petitions[].content`` of the extension: ``plan``, ``form``) — none, correcting the content only: the plan
corrections the curator approved that no order has listed yet (``plan_order_rows``) and/or a new form of
mentorship, one of the pack's forms that fits the program's mentees. Either way it goes the same path (both
participants agree, the curator petitions, the head signs the order); an empty correction — no months, no
changed events, no new form — is refused. One check for every channel (``lifecycle.petition``, the curator's
step, the order's data)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import CorrectionStatus, PlanCorrection, Program
from engine.errors import NastavnikError, NotFound
from engine.forms import EXTENSION_MONTHS
from engine.regulations import RegulationPack, form_label, pack_of
from engine.vocabulary import PARTICIPANT_KIND_LABELS, ParticipantKind

CLAUSE = "003 §7.2"


@dataclass(frozen=True)
class ExtensionAsked:
    """A checked extension petition: the months added (0: content only) and the new form, if any."""

    months: int
    new_form: str | None = None

    def as_payload(self) -> dict:
        return {"extension_months": self.months, **({"new_form": self.new_form} if self.new_form else {})}


def content_allowed(program: Program) -> tuple[str, ...]:
    """What the program's pack lets an extension petition correct without adding months (() : none)."""
    petition = pack_of(program.group.organization).petition("extension")
    return petition.content if petition is not None else ()


def pending_plan_changes(session: Session, program: Program) -> int:
    """How many approved plan corrections of the program no order has listed yet (the next order lists them)."""
    return len(list(session.scalars(select(PlanCorrection.id).where(
        PlanCorrection.program_id == program.id, PlanCorrection.status == CorrectionStatus.APPROVED.value,
        PlanCorrection.order_id.is_(None)))))


def months_range(program: Program, most: int = EXTENSION_MONTHS[1]) -> tuple[int, int]:
    """The months an extension petition of the program may ask: from 0 where the pack allows a content-only
    correction, else from 1."""
    return (0 if content_allowed(program) else 1), most


def check_request(session: Session, program: Program, months: object, new_form: object = None, *,
                  most: int = EXTENSION_MONTHS[1]) -> ExtensionAsked:
    """The petition's months and new form, checked (003 §7.2); the Russian error names the field."""
    allowed = content_allowed(program)
    fewest = 0 if allowed else 1
    if isinstance(months, bool) or not isinstance(months, int) or not fewest <= months <= most:
        hint = " (0 — без продления срока, только корректировка содержания)" if allowed else ""
        raise NastavnikError(f"срок продления — целое число месяцев от {fewest} до {most}{hint}: мероприятия и "
                             f"согласие участников касаются именно его ({CLAUSE})", where="extension_months")
    form = _checked_form(program, new_form, allowed)
    if months == 0 and form is None and not ("plan" in allowed and pending_plan_changes(session, program)):
        what = []
        if "plan" in allowed:
            what.append("утверждённые куратором изменения плана мероприятий (их пока нет: сначала предложите и "
                        "согласуйте корректировку плана)")
        if "form" in allowed:
            what.append("новую форму наставничества")
        raise NastavnikError("ходатайство ничего не меняет: укажите срок продления в месяцах или "
                             + " либо ".join(what) + f" ({CLAUSE})", where="extension_months")
    return ExtensionAsked(months, form)


def _checked_form(program: Program, value: object, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise NastavnikError("форма наставничества — идентификатор формы положения", where="new_form")
    group = program.group
    regulation = pack_of(group.organization)
    if "form" not in allowed:
        raise NastavnikError(f"{regulation.act.name} не предусматривает изменение формы наставничества по "
                             f"ходатайству о продлении ({CLAUSE})", where="new_form")
    try:
        spec = regulation.form(value, group.organization.kind)
    except NotFound as error:
        raise NastavnikError(f"{error.message}; есть: {_offered(regulation, program)}", where="new_form") from None
    if value == group.form:
        raise NastavnikError(f"программа уже идёт в форме {spec.label}: выберите другую форму или не меняйте её",
                             where="new_form")
    mentees = [m for m in group.members if m.left_on is None]
    misfit = next((m for m in mentees if not spec.fits(m.mentee.category if m.mentee else None)), None)
    if misfit is not None:
        raise NastavnikError(f"форма {spec.label} ({spec.clause}) — не для категории наставляемого "
                             f"{misfit.person.full_name}; подходят: {_offered(regulation, program)}", where="new_form")
    sides = [("наставником", spec.mentor, group.mentor)] + [("наставляемым", spec.mentee, m.person) for m in mentees]
    for side, kind, person in sides:
        if kind is not None and person is not None and person.participant_kind != kind:
            raise NastavnikError(f"в форме {spec.label} ({spec.clause}) {side} бывает "
                                 f"{PARTICIPANT_KIND_LABELS[ParticipantKind(kind)]}: {person.full_name} — нет",
                                 where="new_form")
    return spec.id


def form_choices(program: Program) -> list[tuple[str, str]]:
    """The forms the program may change to (the pack's forms for its organization and mentees, but its own):
    (id, label); empty where the pack does not let the petition change the form."""
    if "form" not in content_allowed(program):
        return []
    group = program.group
    regulation = pack_of(group.organization)
    categories = {m.mentee.category if m.mentee else None for m in group.members if m.left_on is None}
    return [(f.id, f.label) for f in regulation.forms_for(group.organization.kind)
            if f.id != group.form and all(f.fits(c) for c in categories)]


def _offered(regulation: RegulationPack, program: Program) -> str:
    return "; ".join(label for _id, label in form_choices(program)) or "других форм нет"


def form_change_text(program: Program, new_form: str) -> str:
    """«форма наставничества «A» заменена формой «B»» for the order and the pages."""
    organization = program.group.organization
    return (f"форма наставничества {form_label(organization, program.group.form) or 'не указана'} заменена формой "
            f"{form_label(organization, new_form)}")
