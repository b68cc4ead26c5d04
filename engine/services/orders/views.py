"""The head's orders: what waits for their signature, what they have decided, one order as the document
reads, and signing or refusing it THROUGH the workflow that waits for it.

An order drafted by a workflow belongs to an instance waiting at a ``sign_order`` user task (the head's
lane). Signing completes that task with ``{"signed": true}`` and refusing with ``{"signed": false,
"refusal_reason": …}``; the step's hook (``in_workflows.OrderSigning``) signs the order and applies its
effect (pair formation → programs) or refuses it, and the process goes on (a refused order returns to the
curator). An order with no workflow is signed or refused directly. A signed order never changes: any
further action is a ``ConflictError``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from engine.db import paging
from engine.db.models import OpenTask, Order, OrderStatus, Role, WorkflowInstance
from engine.db.models.orders import DECIDED_STATUSES
from engine.db.paging import Counted, count_up_to
from engine.db.types import utcnow
from engine.documents import settings_for
from engine.documents.docx import order_docx
from engine.documents.order_pdf import order_pdf
from engine.documents.reading import Document, read_document
from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.audit import history as history_service
from engine.services.audit.integrity import OrderSeal, verify_order
from engine.services.orders import register as orders
from engine.services.orders import signing
from engine.services.orders.listing import open_sign_task
from engine.services.people.actor import STAFF_ROLES, Actor
from engine.services.process import instances

DECIDED = DECIDED_STATUSES


# --- listing -----------------------------------------------------------------------------------


def _head_organizations(actor: Actor) -> list[int]:
    organizations = sorted(actor.organizations(Role.HEAD.value))
    if not organizations:
        raise PermissionDenied(f"{actor.full_name or actor.login}: приказы подписывает руководитель организации")
    return organizations


def awaiting(session: Session, actor: Actor) -> list[Order]:
    """Orders waiting for the acting head's signature, oldest first."""
    _head_organizations(actor)
    return orders.orders_awaiting_signature(session, actor)


def awaiting_page(session: Session, actor: Actor, *, page: int = 1, size: int = 20) -> tuple[list[Order], Counted]:
    """One page of the orders waiting for the acting head's signature, oldest first, with their organization:
    (the page, how many wait in all, counted up to the page's offset + ``LIST_BOUND``) — counted and cut by the
    database."""
    _head_organizations(actor)
    where = orders.awaiting_signature(actor)
    total = _count(session, (where,), page, size)
    rows = session.scalars(select(Order).where(where).options(joinedload(Order.organization), *orders.HEADING_ONLY)
                           .order_by(Order.created_at, Order.id).limit(size).offset((max(page, 1) - 1) * size))
    return list(rows), total


def decided(session: Session, actor: Actor, *, page: int = 1, size: int = 20) -> tuple[list[Order], Counted]:
    """Signed and refused orders of the head's organizations, newest first (the index ``ix_orders_decided``):
    (one page, the total counted up to the page's offset + ``LIST_BOUND``)."""
    where = (Order.organization_id.in_(_head_organizations(actor)),  # inline, as the partial index ix_orders_decided
             Order.status.in_(bindparam("decided", list(DECIDED), expanding=True, literal_execute=True)))
    total = _count(session, where, page, size)
    rows = session.scalars(select(Order).where(*where).options(joinedload(Order.signer), *orders.HEADING_ONLY)
                           .order_by(Order.updated_at.desc(), Order.id.desc())
                           .limit(size).offset((max(page, 1) - 1) * size)).all()
    return list(rows), total


def _count(session: Session, where: tuple, page: int, size: int) -> Counted:
    return count_up_to(session, select(Order.id).where(*where), (max(page, 1) - 1) * size + paging.LIST_BOUND)


# --- one order ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignTask:
    instance_id: int
    task_id: str
    version: int
    name: str


@dataclass(frozen=True)
class OrderPage:
    order: Order
    document: Document
    organization_name: str
    signed_at_local: datetime | None
    time_zone: str
    verified: bool | None  # None: not signed; True: text, CMS signature and chain link checked (``seal``)
    sign_task: SignTask | None
    can_decide: bool  # the actor is a head of the organization and the order awaits signature
    version: int  # what the page saw: the instance version (or 0 for an order with no workflow)
    program_ids: list[int]  # programs the order concerns or created
    history: list[history_service.HistoryEntry]
    next_tasks: list[OpenTask]  # where the order's process stands now (e.g. back with the curator)
    drafted_on: date | None = None  # a process's draft prepared on another day: signed, it states the signing day's dates
    seal: OrderSeal | None = None  # a signed order: what is wrong with its text, signature or chain link, if anything


def get_order(session: Session, actor: Actor, order_id: int) -> Order:
    """The order if the actor is staff (head, curator, methodologist) of its organization."""
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(f"нет приказа №{order_id}")
    if not any(actor.has_role(order.organization_id, role) for role in STAFF_ROLES):
        raise PermissionDenied(f"{actor.full_name or actor.login}: приказы этой организации вам не доступны")
    return order


def _sign_task(session: Session, order: Order) -> SignTask | None:
    if order.workflow_instance_id is None or order.status != OrderStatus.AWAITING_SIGNATURE.value:
        return None
    row = open_sign_task(session, order)
    if row is None:
        return None
    return SignTask(row.instance_id, row.task_id, row.instance.version, row.name)


def _programs_of(session: Session, order: Order) -> list[int]:
    from engine.db.models import MentoringGroup, Program

    ids = set(session.scalars(select(Program.id).join(MentoringGroup).where(MentoringGroup.order_id == order.id)))
    if order.workflow_instance_id is not None:
        ids |= set(session.scalars(select(Program.id).where(Program.workflow_instance_id == order.workflow_instance_id)))
    return sorted(ids)


def order_page(session: Session, actor: Actor, order_id: int) -> OrderPage:
    order = get_order(session, actor, order_id)
    settings = settings_for(order.organization)
    task = _sign_task(session, order)
    awaiting_signature = order.status == OrderStatus.AWAITING_SIGNATURE.value
    instance_ids = [order.workflow_instance_id] if order.workflow_instance_id else []
    seal = verify_order(session, order) if order.is_signed else None
    return OrderPage(
        order=order, document=read_document(order.body), organization_name=order.organization.name,
        signed_at_local=order.signed_at.astimezone(settings.zone) if order.signed_at else None,
        time_zone=settings.time_zone, verified=seal.verified if seal is not None else None, seal=seal,
        sign_task=task, can_decide=awaiting_signature and actor.has_role(order.organization_id, Role.HEAD.value),
        version=task.version if task else 0, program_ids=_programs_of(session, order),
        history=history_service.history(session, order_ids=[order.id], instance_ids=instance_ids),
        next_tasks=[] if awaiting_signature or not instance_ids else open_tasks_after(session, instance_ids[0]),
        drafted_on=_drafted_before_today(order, settings.zone) if task else None)


def _drafted_before_today(order: Order, zone: ZoneInfo) -> date | None:
    """The day a process drafted ``order`` when that is not today: its dates are restated at signing
    (``drafting.restate``: the program starts, the term runs from the day of signing)."""
    drafted = order.created_at.astimezone(zone).date() if order.created_at else None
    return drafted if drafted is not None and drafted != utcnow().astimezone(zone).date() else None


def decidable(session: Session, actor: Actor, order_id: int,
              expected_version: int | None = None) -> tuple[Order, SignTask | None]:
    """The order and its workflow task when the actor may sign or refuse it now: 404, 403 (not a head of
    its organization), 409 (signed, no longer awaiting, or changed since ``expected_version``)."""
    order = get_order(session, actor, order_id)
    if not actor.has_role(order.organization_id, Role.HEAD.value):
        raise PermissionDenied(f"{actor.full_name or actor.login}: подписывает приказ или отказывает в подписании "
                               "только руководитель организации")
    if order.status == OrderStatus.SIGNED.value:
        raise ConflictError(f"приказ № {order.number} уже подписан и изменён быть не может")
    if order.status != OrderStatus.AWAITING_SIGNATURE.value:
        raise ConflictError("приказ уже не ожидает подписи (в подписании отказано или он возвращён на доработку); "
                            "обновите страницу")
    task = _sign_task(session, order)
    if order.workflow_instance_id is not None and task is None:
        raise ConflictError("процесс этого приказа сейчас не ждёт подписи; обновите страницу")
    if expected_version is not None and task is not None and task.version != expected_version:
        raise ConflictError("приказ уже изменён другим пользователем или форма отправлена повторно; обновите страницу")
    return order, task


def awaiting_in(session: Session, actor: Actor, instance_id: int) -> Order:
    """The order the process ``instance_id`` waits the head's signature on (its «sign the order» step)."""
    order = session.scalar(select(Order).where(Order.workflow_instance_id == instance_id,
                                               Order.status == OrderStatus.AWAITING_SIGNATURE.value)
                           .order_by(Order.id.desc()))
    if order is None:
        raise ConflictError(f"процесс №{instance_id} сейчас не ждёт подписи приказа; обновите список задач")
    return get_order(session, actor, order.id)


def sign(session: Session, actor: Actor, order_id: int, *, expected_version: int | None = None) -> Order:
    """The head signs: the workflow's «sign the order» task is completed, which signs the order and
    applies its effect. The caller commits."""
    order, task = decidable(session, actor, order_id, expected_version)
    if task is None:
        return signing.sign(session, actor, order.id)
    instances.complete_task(session, actor, task.instance_id, task.task_id, {"signed": True},
                            expected_version=task.version)
    return _reloaded(session, order.id)


def refuse(session: Session, actor: Actor, order_id: int, reason: str, *,
           expected_version: int | None = None) -> Order:
    """The head refuses to sign, with the reason; it goes back into the workflow (to the curator)."""
    cleaned = " ".join(str(reason or "").split())
    if not cleaned:
        raise NastavnikError("укажите причину отказа в подписании приказа", where="reason")
    order, task = decidable(session, actor, order_id, expected_version)
    if task is None:
        return signing.refuse(session, actor, order.id, cleaned)
    instances.complete_task(session, actor, task.instance_id, task.task_id,
                            {"signed": False, "refusal_reason": cleaned}, expected_version=task.version)
    return _reloaded(session, order.id)


def _reloaded(session: Session, order_id: int) -> Order:
    return session.scalars(select(Order).where(Order.id == order_id).execution_options(populate_existing=True)).one()


def open_tasks_after(session: Session, instance_id: int) -> list[OpenTask]:
    """The open tasks of an order's process (after a refusal: the curator's task to rework it)."""
    return list(session.scalars(select(OpenTask).where(OpenTask.instance_id == instance_id)
                                .options(joinedload(OpenTask.instance).joinedload(WorkflowInstance.definition))
                                .order_by(OpenTask.id)))


def word_document(order: Order) -> bytes:
    """The order as a .docx (``engine.documents.docx``): its stored text laid out, the SHA-256 on a signed one."""
    sha256, title, author = _rendering(order)
    return order_docx(order.body, sha256=sha256, title=title, author=author)


def pdf_document(order: Order) -> bytes:
    """The order as a PDF (``engine.documents.order_pdf``): laid out like the .docx, fonts embedded."""
    sha256, title, author = _rendering(order)
    return order_pdf(order.body, sha256=sha256, title=title, author=author)


def _rendering(order: Order) -> tuple[str | None, str, str]:
    """The SHA-256 printed (a signed order's only), the title and the author of the file."""
    signed = order.status == OrderStatus.SIGNED.value
    return (order.document_sha256 if signed else None, order.subject,
            order.organization.name if order.organization else "")
