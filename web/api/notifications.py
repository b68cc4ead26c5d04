"""``/api/v1/notifications``: my notifications (newest first; ``?unread=true`` only the unread), marking one or all
read, my e-mail choice per kind of notification."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.db.models import EmailChoice
from engine.services.notifications import inbox, preferences
from engine.services.notifications.kinds import KINDS
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, page_bounds
from web.db import get_db

bp = make_blueprint("notifications", "/notifications", "Уведомления: мои уведомления, отметка о прочтении, "
                                                       "способ доставки по почте")

CHOICES = [choice.value for choice in EmailChoice]


class NotificationSchema(ma.Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True, metadata={"enum": sorted(KINDS)})
    title = fields.String(required=True)
    body = fields.String(required=True)
    link = fields.String(allow_none=True, metadata={"description": "путь страницы, где действовать: /my/programs/7"})
    organization_id = fields.Integer(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    due_on = fields.Date(allow_none=True, metadata={"description": "срок (день в часовом поясе организации)"})
    created_at = fields.DateTime(required=True)
    read_at = fields.DateTime(allow_none=True)


class ListArgsSchema(ma.Schema):
    unread = fields.Boolean(load_default=False, metadata={"description": "только непрочитанные"})


class MarkedSchema(ma.Schema):
    marked = fields.Integer(required=True, metadata={"description": "сколько отмечено прочитанными"})
    unread = fields.Integer(required=True)


class PreferencesSchema(ma.Schema):
    choices = fields.Dict(keys=fields.String(validate=validate.OneOf(sorted(KINDS))),
                          values=fields.String(validate=validate.OneOf(CHOICES)), required=True,
                          metadata={"description": "вид уведомления → immediate (сразу) | digest (раз в день) | "
                                                   "none (не присылать по почте)"})


@bp.route("")
@bp.arguments(ListArgsSchema, location="query")
@bp.response(200, NotificationSchema(many=True))
@bp.paginate(**PAGINATION)
def index(args: dict, pagination_parameters):
    """Мои уведомления

    Новые сверху; ``unread=true`` — только непрочитанные. Только свои.
    """
    offset, limit = page_bounds(pagination_parameters)
    found = inbox.listing(get_db(), api_actor(), unread_only=args["unread"], offset=offset, limit=limit, exact=True)
    pagination_parameters.item_count = found.total
    return found.items


@bp.route("/<int(min=1, max=2147483647):notification_id>/read", methods=["POST"])
@bp.response(200, NotificationSchema)
def read(notification_id: int):
    """Отметить уведомление прочитанным

    Чужое — 403, несуществующее — 404. Повторная отметка ничего не меняет.
    """
    found = inbox.mark_read(get_db(), api_actor(), notification_id)
    commit()
    return found


@bp.route("/read-all", methods=["POST"])
@bp.response(200, MarkedSchema)
def read_all():
    """Отметить все мои уведомления прочитанными"""
    session, actor = get_db(), api_actor()
    marked = inbox.mark_all_read(session, actor)
    commit()
    return {"marked": marked, "unread": inbox.unread_count(session, actor.person_id or 0)}


@bp.route("/preferences")
@bp.response(200, PreferencesSchema)
def get_preferences():
    """Мой способ доставки по почте для каждого вида уведомлений"""
    actor = api_actor()
    return {"choices": {code: choice.value for code, choice in preferences.choices(get_db(), actor.person_id or 0).items()}}


@bp.route("/preferences", methods=["PUT"])
@bp.arguments(PreferencesSchema)
@bp.response(200, PreferencesSchema)
def put_preferences(body: dict):
    """Изменить способ доставки по почте

    Передаются только меняемые виды; остальные остаются как были. Неизвестный вид или способ — 422.
    """
    session, actor = get_db(), api_actor()
    chosen = preferences.set_choices(session, actor, actor.person_id or 0, body["choices"])
    commit()
    return {"choices": {code: choice.value for code, choice in chosen.items()}}
