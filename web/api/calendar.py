"""``/api/v1/calendar``: the address of one's own calendar of deadlines (iCalendar, ``/calendar/<token>.ics``) —
whether it is issued, a new one (returned once), switching it off (``notifications.calendar_feed``)."""
from __future__ import annotations

import marshmallow as ma
from flask import request
from marshmallow import fields

from engine.services.notifications import calendar_feed as feeds
from web.api.core import api_actor, commit, make_blueprint
from web.db import get_db

bp = make_blueprint("calendar", "/calendar", "Календарь сроков: адрес подписки (iCalendar) для себя")


class FeedStateSchema(ma.Schema):
    issued = fields.Boolean(metadata={"description": "выдан ли действующий адрес"})
    created_at = fields.DateTime(allow_none=True, metadata={"description": "когда выдан (UTC)"})
    last_fetched_at = fields.DateTime(allow_none=True,
                                      metadata={"description": "когда календарь последний раз читал сроки (UTC)"})


class IssuedFeedSchema(ma.Schema):
    url = fields.String(metadata={"description": "адрес для подписки (https://…/calendar/<секрет>.ics), ОДИН раз"})
    webcal_url = fields.String(metadata={"description": "тот же адрес со схемой webcal://"})


class RevokedFeedSchema(ma.Schema):
    revoked = fields.Boolean(metadata={"description": "true — адрес отключён; false — его и не было"})


@bp.route("", methods=["GET"])
@bp.response(200, FeedStateSchema)
def state():
    """Выдан ли адрес моего календаря сроков (сам адрес не возвращается: хранится только его SHA-256)"""
    found = feeds.feed_state(get_db(), api_actor())
    return {"issued": found.issued, "created_at": found.created_at, "last_fetched_at": found.last_fetched_at}


@bp.route("", methods=["POST"])
@bp.response(201, IssuedFeedSchema)
def issue():
    """Выдать новый адрес моего календаря сроков

    Календарь (Outlook, Яндекс Календарь, Google Calendar) подписывается на адрес без входа в систему. Адрес
    возвращается ОДИН раз; прежний адрес перестаёт работать (404).
    """
    path = feeds.issue_feed(get_db(), api_actor())
    commit()
    url = request.url_root.rstrip("/") + path
    return {"url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


@bp.route("/revoke", methods=["POST"])
@bp.response(200, RevokedFeedSchema)
def revoke():
    """Отключить мой календарь сроков: по адресу больше ничего не выдаётся (404)"""
    revoked = feeds.revoke_feed(get_db(), api_actor())
    commit()
    return {"revoked": revoked}
