"""Orders that workflows wait on: when a task naming the hook ``sign_order`` opens, its order is drafted
and sent for signature; when the head completes the task, the order is signed (or refused with the
reason) and the order's effect is applied — all inside the same step's transaction.

What an order says and does depends on its type (the process sets ``order_type`` in its data): the
mentorship modules declare their kinds (``ORDER_KINDS``: a builder of the order's text data and an
effect), and ``engine.bootstrap`` hands them to ``register`` with the hook table.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from engine.db.models import Order, OrderStatus, WorkflowInstance
from engine.documents.basics import zone_of
from engine.domain_time import local_day
from engine.errors import NastavnikError
from engine.forms import FormId
from engine.services.orders import drafting
from engine.services.orders import signing as order_signing
from engine.services.people.actor import SYSTEM, Actor
from engine.services.process.hooks import HookTable, Step

SIGN_HOOK = "sign_order"  # the hook a «sign the order» task names
PENDING = (OrderStatus.DRAFT.value, OrderStatus.AWAITING_SIGNATURE.value)
TOLD_TASKS = frozenset({FormId.SIGN_ORDER})  # the head is told «приказ ждёт вашей подписи» by ``notices``

Builder = Callable[[Session, WorkflowInstance, dict], dict]  # (session, instance, sign task's data) -> order data
Effect = Callable[[Session, WorkflowInstance, dict, Order, Actor], None]


@dataclass(frozen=True)
class OrderKind:
    build: Builder
    effect: Effect | None = None


def step_day(instance: WorkflowInstance) -> date:
    """The calendar day of the step in its organization's time zone (the engine's clock, stamped on the
    instance by every step): the day the step's order is dated and takes effect."""
    return local_day(instance.updated_at, zone_of(instance.organization))


def pending_order(session: Session, instance: WorkflowInstance) -> Order | None:
    return session.scalar(select(Order).where(Order.workflow_instance_id == instance.id,
                                              Order.status.in_(PENDING)).order_by(Order.id.desc()))


def refused_orders(session: Session, instance_ids: list[int]) -> dict[int, Order]:
    """The order each process last drafted, where the head refused to sign it: its reason returns to the
    curator with the step the process gives her next (shown on that step and in her inbox), until the
    process drafts another order."""
    if not instance_ids:
        return {}
    last: dict[int, Order] = {}
    for order in session.scalars(select(Order).where(Order.workflow_instance_id.in_(set(instance_ids)))
                                 .options(defer(Order.body), defer(Order.document_signature)).order_by(Order.id)):
        if order.workflow_instance_id is not None:
            last[order.workflow_instance_id] = order
    return {iid: order for iid, order in last.items() if order.status == OrderStatus.REFUSED.value}


class OrderSigning:
    """The order hooks for the order kinds a domain declares (order type -> ``OrderKind``)."""

    def __init__(self, kinds: Mapping[str, OrderKind]) -> None:
        self.kinds = dict(kinds)

    def kind(self, values: dict) -> OrderKind:
        order_type = values.get("order_type")
        if order_type not in self.kinds:
            raise NastavnikError(f"процесс ждёт подписи приказа неизвестного вида {order_type!r}", where="order_type")
        return self.kinds[order_type]

    def prepare_orders(self, step: Step) -> None:
        """After every step: an open «sign the order» task gets its order drafted and sent for signature."""
        sign_task = next((task for task in step.ready if task.hook == SIGN_HOOK), None)
        if sign_task is None or pending_order(step.session, step.instance) is not None:
            return
        kind = self.kind(sign_task.data)
        order = drafting.draft_order(step.session, SYSTEM, step.instance.organization_id, sign_task.data["order_type"],
                                   kind.build(step.session, step.instance, sign_task.data),
                                   workflow_instance_id=step.instance.id)
        drafting.submit(step.session, SYSTEM, order.id)

    def sign_or_refuse(self, step: Step) -> None:
        """The head completed «sign the order»: sign it and apply its effect, or refuse it with the reason."""
        session, data = step.session, step.task.data
        order = pending_order(session, step.instance)
        if order is None:
            raise NastavnikError("нет приказа, ожидающего подписи, для этого процесса", where=FormId.SIGN_ORDER)
        if data.get("signed") is True:
            kind = self.kind(data)
            # the order states the dates of the day it is signed — those its effect records (a program starts,
            # a mentor's term runs from that day): one date for the text and the data
            drafting.restate(session, order, kind.build(session, step.instance, data))
            order_signing.sign(session, step.actor, order.id, at=step.instance.updated_at)  # dated by the engine's clock
            if kind.effect is not None:
                kind.effect(session, step.instance, data, order, step.actor)
        else:
            order_signing.refuse(session, step.actor, order.id, str(data.get("refusal_reason") or ""))


def register(table: HookTable, kinds: Mapping[str, OrderKind]) -> None:
    """Draft orders after every step; sign or refuse them when a ``sign_order`` task is completed."""
    signing = OrderSigning(kinds)
    table.on_every_step(signing.prepare_orders)
    table.on_task(SIGN_HOOK, signing.sign_or_refuse)
