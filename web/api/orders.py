"""``/api/v1/orders``: orders as documents; signing and refusing go through the workflow's
«sign the order» task, exactly as the head's page does."""
from __future__ import annotations

from engine.db.models import OrderStatus
from engine.errors import ConflictError, PermissionDenied
from engine.services.orders import listing
from engine.services.orders import register as order_service
from engine.services.orders import signing as order_signing
from engine.services.orders import views as order_views
from engine.services.people.actor import Role
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, page_of, permission
from web.api.schemas import OrderDocumentSchema, OrderSchema, OrdersQuerySchema, RefuseSchema
from web.db import get_db

bp = make_blueprint("orders", "/orders", "Приказы: на подписи, текст документа, подписание и отказ")


@bp.route("")
@bp.arguments(OrdersQuerySchema, location="query")
@bp.response(200, OrderSchema(many=True))
@bp.paginate(**PAGINATION)
def index(query: dict, pagination_parameters):
    """Приказы моих организаций

    ``awaiting_signature=true`` — только ожидающие моей подписи (руководитель). Видны приказы
    организаций, где я куратор, руководитель или методист (у других ролей список пуст).
    """
    return page_of(pagination_parameters, lambda offset, limit: listing.list_orders(
        get_db(), api_actor(), awaiting_signature=query["awaiting_signature"], status=query.get("status"),
        offset=offset, limit=limit))


@bp.route("/<int(min=1, max=2147483647):order_id>")
@bp.response(200, OrderDocumentSchema)
def show(order_id: int):
    """Приказ как документ: текст, состояние, SHA-256 подписанного текста"""
    return listing.order_document(get_db(), listing.get_order(get_db(), api_actor(), order_id))


def _head_of_the_organization(actor, order_id: int) -> None:
    order = listing.get_order(get_db(), actor, order_id)
    if not actor.has_role(order.organization_id, Role.HEAD):
        raise PermissionDenied(f"{actor.full_name or actor.login}: подписывает приказ или отказывает в подписании "
                               "только руководитель этой организации")


def _decide(order_id: int, data: dict) -> dict:
    session, actor = get_db(), api_actor()
    order = listing.get_order(session, actor, order_id)
    if order.status == OrderStatus.SIGNED:
        raise ConflictError(f"приказ № {order.number} уже подписан и изменён быть не может", where=f"orders.{order.id}")
    task = listing.open_sign_task(session, order)
    if task is not None:  # the workflow's «sign the order» step, as the head's page completes it
        if data["signed"]:
            order_views.sign(session, actor, order.id)
        else:
            order_views.refuse(session, actor, order.id, data["refusal_reason"])
    elif order.workflow_instance_id is not None:
        raise ConflictError(f"процесс №{order.workflow_instance_id} сейчас не ждёт подписи этого приказа "
                            f"(состояние приказа: {order_service.STATUS_LABELS.get(order.status, order.status)})")
    elif data["signed"]:  # an order outside any workflow: the orders service alone
        order_signing.sign(session, actor, order.id)
    else:
        order_signing.refuse(session, actor, order.id, data["refusal_reason"])
    commit()
    session.expire_all()
    return listing.order_document(session, listing.get_order(session, actor, order_id))


@bp.route("/<int(min=1, max=2147483647):order_id>/sign", methods=["POST"])
@permission(_head_of_the_organization)
@bp.response(200, OrderDocumentSchema)
def sign(order_id: int):
    """Подписать приказ (руководитель организации)

    Выполняет задачу процесса «подписать приказ»: приказ получает номер и дату, текст с отметкой о
    подписи и его SHA-256; дальше процесс применяет приказ. Подписанный приказ не меняется — 409.
    """
    return _decide(order_id, {"signed": True})


@bp.route("/<int(min=1, max=2147483647):order_id>/refuse", methods=["POST"])
@permission(_head_of_the_organization)
@bp.arguments(RefuseSchema)
@bp.response(200, OrderDocumentSchema)
def refuse(body: dict, order_id: int):
    """Отказать в подписании с причиной (руководитель); причина возвращается в процесс"""
    return _decide(order_id, {"signed": False, "refusal_reason": body["reason"]})
