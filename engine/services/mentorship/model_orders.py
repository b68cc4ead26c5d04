"""The orders of the organization's mentorship model (004 roadmap item 3.1.1): on introducing the target model, on
approving the implementation plan and starting the project, on approving the regulation on mentorship, on appointing
the curator, on holding the final event. The curator (or the administrator) chooses the kind and fills its form
(``engine.forms.contracts_orders``); the process ``organization_order`` drafts the order when the head's «Подписать
приказ» opens, and the head signs it on «Приказы на подпись» like every other order (same register, same numbers).
The curator's appointment grants the curator role when signed, the role's record naming the order. Mentors and pairs
have their own processes (``mentor_appointment``, ``pair_formation``)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db.models import Order, Person, Role, RoleAssignment, WorkflowInstance, record_audit
from engine.documents.orders import OrderDataError, normalize_data, subject_in_pack
from engine.errors import NastavnikError, PermissionDenied
from engine.forms import FormDataError
from engine.forms.contracts_orders import COUNCIL_FIELDS, ORDER_FORMS, OrderField, describe_order_form
from engine.regulations import RegulationPack, pack_of
from engine.regulations.council_bodies import PEDAGOGICAL_COUNCIL
from engine.services.mentorship.basics import organization_by_id, person_in_organization, start_data
from engine.services.mentorship.council_protocols import ProtocolChoice, cite_protocol, protocols_for
from engine.services.mentorship.records import grant_role
from engine.services.orders import in_workflows as process_orders
from engine.services.orders.document_data import resolve_ids
from engine.services.orders.in_workflows import OrderKind
from engine.services.people.actor import STAFF_ROLES, SYSTEM, Actor
from engine.services.process import instances
from engine.services.process.hooks import StepHook
from engine.workflow import Clock

PROCESS = "organization_order"  # the pack's purpose and the instance's kind
STARTERS = (Role.CURATOR, Role.ADMIN)  # who prepares these orders (004 п. 4.1: the curator of the model)
PERSON_FIELDS = {"curator_id": "curator", "responsible_id": "responsible"}  # form field -> order data key


@dataclass(frozen=True)
class OrderChoice:
    kind: str
    title: str  # the kind's generic name: «О назначении куратора»
    clause: str  # where the pack takes it from


def may_start(actor: Actor, organization_id: int) -> bool:
    return actor.is_system or any(actor.has_role(organization_id, role) for role in STARTERS)


def _require_starter(actor: Actor, organization_id: int) -> None:
    if not may_start(actor, organization_id):
        raise PermissionDenied(f"{actor.full_name or actor.login}: приказы о модели наставничества готовят куратор "
                               "или администратор этой организации")


def order_choices(session: Session, actor: Actor, organization_id: int) -> list[OrderChoice]:
    """The kinds of orders the organization's pack lists that this page prepares, in the pack's order, each named
    as the pack's template words its subject (the college's «О внедрении системы наставничества педагогических
    работников», 002 §4.1.1; a school's «О внедрении целевой модели наставничества»)."""
    organization = organization_by_id(session, organization_id)
    _require_starter(actor, organization_id)
    pack = pack_of(organization)
    return [OrderChoice(spec.kind, subject_in_pack(spec.kind, pack.id), spec.clause) for spec in pack.orders
            if spec.kind in ORDER_FORMS]


def considered_by_council(pack: RegulationPack, kind: str) -> bool:
    """Whether the pack's pedagogical council considers the document an order of ``kind`` approves (004 прил. 1
    п. 3.1.1: the plan and the regulation); the college's 002 names no such body (its МО наставников only takes
    part in drafting the local acts, 002 §4.1.4), so its orders cite no protocol."""
    return any(body.id == PEDAGOGICAL_COUNCIL and body.considered(kind) for body in pack.council_bodies)


def order_fields(session: Session, actor: Actor, organization_id: int, kind: str) -> list[OrderField]:
    """The fields of the form of ``kind`` for this organization: the council's protocol only where its pack has a
    pedagogical council considering the document (``considered_by_council``)."""
    organization = organization_by_id(session, organization_id)
    _require_starter(actor, organization_id)
    council = considered_by_council(pack_of(organization), kind)
    return [f for f in describe_order_form(kind) if council or f.name not in COUNCIL_FIELDS]


def people_to_name(session: Session, actor: Actor, organization_id: int) -> list[Person]:
    """Who the form may name (the curator, the one responsible): the organization's active people."""
    _require_starter(actor, organization_id)
    return list(session.scalars(select(Person).where(
        Person.organization_id == organization_id, Person.is_active.is_(True), Person.anonymized_at.is_(None))
        .order_by(Person.full_name, Person.id).limit(1000)))


def council_protocols(session: Session, actor: Actor, organization_id: int, kind: str) -> list[ProtocolChoice]:
    """The pedagogical council's signed protocols the order of ``kind`` may cite (004 прил. 1 п. 3.1.1)."""
    _require_starter(actor, organization_id)
    return protocols_for(session, organization_id, kind)


def _checked_form(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    try:
        loaded = ORDER_FORMS[kind]().load(dict(values))
    except ma.ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        field = next(iter(messages))
        said = messages[field]
        text = "; ".join(str(m) for m in said) if isinstance(said, list) else str(said)
        raise FormDataError(f"{ORDER_FORMS[kind]().fields[field].metadata['title']}: {text}"
                            if field in ORDER_FORMS[kind]().fields else text,
                            where=None if field == "_schema" else str(field), messages=messages) from None
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in loaded.items()
            if value not in (None, "")}


def _form_field(where: str | None) -> str | None:
    """An order's data error (``regulation.council_held_on``) named by the form's field (``council_held_on``)."""
    name = (where or "").split(".")[1] if where and "." in where else where
    return {value: key for key, value in PERSON_FIELDS.items()}.get(name or "", name)


def start_order(session: Session, actor: Actor, organization_id: int, kind: str, values: Mapping[str, Any], *,
                clock: Clock | None = None) -> WorkflowInstance:
    """Prepare an order of ``kind`` from its form's ``values``: checked, the people named looked up in the
    organization, the text tried against the pack's template; then the process drafts it for the head's signature."""
    organization = organization_by_id(session, organization_id)
    _require_starter(actor, organization_id)
    pack = pack_of(organization)
    if kind not in ORDER_FORMS or kind not in pack.order_templates:
        offered = ", ".join(f"«{c.title}»" for c in order_choices(session, actor, organization_id)) or "нет"
        raise NastavnikError(f"положение «{pack.title}» не предусматривает такой приказ; можно подготовить: {offered}",
                             where="kind")
    checked = _checked_form(kind, values)
    cited = next((name for name in COUNCIL_FIELDS if name in checked), None)
    if cited is not None and not considered_by_council(pack, kind):
        raise NastavnikError(f"положение «{pack.title}» не предусматривает рассмотрения этого документа "
                             "педагогическим советом: протокол в приказе не указывается", where=cited)
    data = cite_protocol(session, organization_id, kind, checked)
    named = {key: person_in_organization(session, organization, data.pop(field), where=field)
             for field, key in PERSON_FIELDS.items() if field in data}
    data.update({key: person.id for key, person in named.items()})
    curator = named.get("curator")
    if curator is not None and session.scalar(select(RoleAssignment.id).where(
            RoleAssignment.person_id == curator.id, RoleAssignment.organization_id == organization_id,
            RoleAssignment.role == Role.CURATOR, RoleAssignment.active.is_(True))):
        raise NastavnikError(f"{curator.full_name} уже куратор этой организации", where="curator_id")
    try:  # the data the template will see: a wrong pair of fields is told now, naming the form's field
        normalize_data(kind, resolve_ids(session, data, kind), regulation=organization.regulation)
    except OrderDataError as error:
        raise NastavnikError(str(error), where=_form_field(error.where)) from None
    starter = actor if any(actor.has_role(organization_id, role) for role in STAFF_ROLES) else SYSTEM
    instance = instances.start_instance(
        session, starter, pack.process(PROCESS, organization.kind), PROCESS, organization_id,
        subject={"order_type": kind}, data={**start_data(organization), "order_type": kind, "order_data": data},
        clock=clock)
    record_audit(session, "model_order.requested", actor=actor.person_id, obj=instance, organization=organization_id,
                 details={"order_type": kind, "data": data})
    session.flush()
    return instance


def _order_data(session: Session, instance: WorkflowInstance, values: dict) -> dict:
    data = dict(values.get("order_data") or {})
    if values.get("order_type") == "curator_appointment" and not data.get("starts_on"):
        data["starts_on"] = process_orders.step_day(instance).isoformat()  # from the day the head signs
    return data


def _appoint_curator(session: Session, instance: WorkflowInstance, values: dict, order: Order, actor: Actor) -> None:
    """The signed order makes its person the organization's curator; the role's record names the order."""
    assignment = grant_role(session, values["order_data"]["curator"], instance.organization_id, Role.CURATOR)
    assignment.order_id = order.id
    session.flush()


# -- what the workflows name (collected by engine.bootstrap) --------------------------------------

HOOKS: dict[str, StepHook] = {}
ORDER_KINDS: dict[str, OrderKind] = {
    "target_model": OrderKind(_order_data),
    "implementation_plan": OrderKind(_order_data),
    "regulation": OrderKind(_order_data),
    "curator_appointment": OrderKind(_order_data, _appoint_curator),
    "final_event": OrderKind(_order_data),
}
