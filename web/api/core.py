"""What every API blueprint shares: bearer-token authentication, the one error shape, pagination.

Authentication is ``Authorization: Bearer <token>`` only (``engine.services.people.api_tokens``); the browser's
session cookie is never read here, so the API needs no CSRF token. Every error is
``{code, status, message, errors?}`` (``schemas.ErrorSchema``): 401 with ``WWW-Authenticate``, 403, 404,
405, 409, 413, 415, 422 with the fields named, 400 for malformed JSON — never a traceback.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import g, request
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from engine.errors import NastavnikError, PermissionDenied, TokenRejected
from engine.services.pages import Slice
from engine.services.people import api_tokens
from engine.services.people.actor import ROLE_LABELS, Actor
from web.db import database_unavailable, get_db, keep_disclosures
from web.errors import status_for
from web.security import csrf

REALM = "nastavnik"

MESSAGES = {
    400: "Запрос не удалось разобрать.",
    401: "Нужен токен API: заголовок «Authorization: Bearer <токен>».",
    403: "У вас нет прав на это действие в этой организации.",
    404: "Такого адреса или объекта нет.",
    405: "Этот адрес не поддерживает такой метод.",
    409: "Кто-то изменил эти данные раньше вас; ничего не сохранено.",
    413: "Запрос превышает допустимый размер.",
    415: "Неподдерживаемый тип содержимого запроса.",
    422: "Данные не приняты.",
    500: "Внутренняя ошибка; она записана в журнал.",
    503: "Связь с базой данных прервалась; повторите запрос через минуту (если он что-то менял, сначала "
         "проверьте, сохранилось ли это).",
}

# marshmallow/webargs messages (English) in Russian; anything else passes through unchanged
FIELD_MESSAGES = {
    "Missing data for required field.": "обязательное поле",
    "Unknown field.": "неизвестное поле",
    "Field may not be null.": "не может быть null",
    "Not a valid integer.": "ожидается целое число",
    "Not a valid number.": "ожидается число",
    "Not a valid string.": "ожидается строка",
    "Not a valid boolean.": "ожидается true или false",
    "Not a valid list.": "ожидается список",
    "Not a valid mapping type.": "ожидается объект",
    "Invalid input type.": "неверный тип данных",
    "Invalid value.": "недопустимое значение",
    "Invalid JSON body.": "тело запроса — не корректный JSON",
    "Not a valid datetime.": "ожидается дата и время ISO 8601",
    "Not a valid date.": "ожидается дата ISO 8601 (ГГГГ-ММ-ДД)",
    "Shorter than minimum length 1.": "не может быть пустым",
    "Length must be between 1 and 50.": "от 1 до 50 элементов",
}


PHRASES = (  # the parts of marshmallow's range and length messages
    ("Must be one of: ", "допустимые значения: "), ("Must be ", "должно быть "),
    ("greater than or equal to ", "не меньше "), ("less than or equal to ", "не больше "),
    ("greater than ", "больше "), ("less than ", "меньше "),
    ("Length must be between ", "длина — от "), ("Length must be ", "длина — "),
    ("Shorter than minimum length ", "короче минимальной длины "),
    ("Longer than maximum length ", "длиннее максимальной длины "), (" and ", " и "),
)


def _translate(message: Any) -> Any:
    if isinstance(message, str):
        if message in FIELD_MESSAGES:
            return FIELD_MESSAGES[message]
        if message.startswith(("Must be ", "Length must be ", "Shorter than ", "Longer than ")):
            for english, russian in PHRASES:
                message = message.replace(english, russian)
            return message.rstrip(".")
        return message
    if isinstance(message, list):
        return [_translate(m) for m in message]
    if isinstance(message, dict):
        return {str(k): _translate(v) for k, v in message.items()}
    return message


def _field_lines(errors: Any, path: str = "") -> Iterable[str]:
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _field_lines(value, f"{path}.{key}" if path else str(key))
    elif isinstance(errors, list) and all(isinstance(m, str) for m in errors):
        yield f"«{path}»: {'; '.join(errors)}" if path else "; ".join(errors)
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            yield from _field_lines(value, f"{path}[{index}]")
    else:
        yield f"«{path}»: {errors}" if path else str(errors)


def error_response(code: int, message: str | None = None, errors: dict | None = None,
                   headers: dict[str, str] | None = None):
    payload: dict[str, Any] = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"),
                               "message": message or MESSAGES.get(code) or HTTP_STATUS_CODES.get(code, "")}
    if errors:
        payload["errors"] = errors
    return payload, code, headers or {}


def _challenge(error: str | None = None) -> dict[str, str]:
    value = f'Bearer realm="{REALM}"' + (f', error="{error}"' if error else "")
    return {"WWW-Authenticate": value}


def handle_http_exception(error: HTTPException):
    code = error.code or 500
    if isinstance(error, InternalServerError):
        return error_response(503 if database_unavailable(error.original_exception) else 500)
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    message = data.get("message")
    if errors:
        errors = _translate(errors)
        lines = list(_field_lines(errors))
        message = message or (MESSAGES.get(code, "") + " " + " ".join(lines)).strip()
    headers = dict(data.get("headers") or {})
    if code == 401:
        headers.update(_challenge())
    return error_response(code, message, errors if isinstance(errors, dict) else None, headers)


def problem_dict(problem: Any) -> dict:
    return {"element_id": getattr(problem, "element_id", None) or getattr(problem, "ruleset_id", None),
            "element_name": getattr(problem, "element_name", None) or getattr(problem, "field", None),
            "message": getattr(problem, "message", None) or str(problem)}


def handle_domain_error(error: NastavnikError):
    keep_disclosures(error)
    code = status_for(error)  # the table the pages use too
    errors: dict[str, Any] = {}
    problems = getattr(error, "problems", None)
    if problems:
        errors["problems"] = [problem_dict(p) for p in problems]
    elif error.where and code == 422:
        errors[error.where] = [error.message]
    headers = _challenge("invalid_token") if code == 401 else None
    return error_response(code, str(error), errors or None, headers)


# -- authentication --------------------------------------------------------------------------------

def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _authenticate() -> None:
    token = bearer_token()
    if token is None:
        g.api_actor = None
        raise_unauthorized()
    session = get_db()
    g.api_actor = api_tokens.authenticate(session, token)
    session.commit()  # last_used_at (written at most once a minute)


class _Unauthorized(HTTPException):
    code = 401
    description = MESSAGES[401]


def raise_unauthorized() -> None:
    raise _Unauthorized()


def permission(check: Callable[..., None]) -> Callable:
    """View decorator (put it right under ``@bp.route``): ``check(actor, **view_kwargs)`` raises
    ``PermissionDenied`` before the body is parsed, so a person who may not act gets 403, not 422."""
    def decorator(view: Callable) -> Callable:
        @wraps(view)  # keeps flask-smorest's _apidoc
        def wrapped(*args: Any, **kwargs: Any):
            check(api_actor(), **kwargs)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def require_any_role(*roles: str) -> Callable[..., None]:
    """A ``permission`` check: one of ``roles`` in some organization (the service checks which)."""
    def check(actor: Actor, **_kwargs: Any) -> None:
        if not any(actor.organizations(role) for role in roles):
            names = " или ".join(f"«{ROLE_LABELS.get(r, r)}»" for r in roles)
            raise PermissionDenied(f"{actor.full_name or actor.login}: это действие доступно только роли {names}")
    return check


def api_actor() -> Actor:
    """The token's person (set before every API view runs)."""
    actor = g.get("api_actor")
    if actor is None:
        raise TokenRejected("нет токена API")
    return actor


# -- blueprints ------------------------------------------------------------------------------------

class ApiBlueprint(Blueprint):
    """flask-smorest's blueprint whose pagination header tells a list counted up to a bound from an exact one."""

    def _set_pagination_metadata(self, page_params, result, headers):
        if not getattr(page_params, "item_count_more", False):
            return super()._set_pagination_metadata(page_params, result, headers)
        at_least, page, size = page_params.item_count, page_params.page, page_params.page_size
        metadata = {"total_at_least": at_least + 1, "first_page": 1, "page": page}  # more than at_least
        if page > 1:
            metadata["previous_page"] = page - 1
        if at_least >= page * size:
            metadata["next_page"] = page + 1
        headers = {} if headers is None else headers
        headers[self.PAGINATION_HEADER_NAME] = json.dumps(metadata)
        return result, headers


def make_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """An API blueprint: token required, the API's error shape, no CSRF (no cookie is read)."""
    bp = ApiBlueprint(f"api_{name}", __name__, url_prefix=f"/api/v1{url_prefix}", description=description)
    bp.before_request(_authenticate)
    bp.register_error_handler(HTTPException, handle_http_exception)
    bp.register_error_handler(NastavnikError, handle_domain_error)
    csrf.exempt(bp)
    return bp


PAGINATION = {"page": 1, "page_size": 20, "max_page_size": 100}


MAX_OFFSET = 2**31 - 1  # a page beyond any list is simply empty (SQLite cannot bind larger integers)


def page_bounds(pagination_parameters) -> tuple[int, int]:
    """(offset, limit) of the requested page."""
    return min(pagination_parameters.first_item, MAX_OFFSET), pagination_parameters.page_size


def page_of(pagination_parameters, fetch: Callable[[int, int], Slice]) -> list:
    """The items of the requested page as ``fetch(offset, limit)`` returns them; the total goes to the
    pagination header."""
    offset, limit = page_bounds(pagination_parameters)
    found = fetch(offset, limit)
    set_count(pagination_parameters, found.total, found.more)
    return found.items


def set_count(pagination_parameters, total: int, more: bool = False) -> None:
    """The list's length for the pagination header; ``more``: it was counted only up to ``total``
    (``engine.db.paging``), and the header says ``total_at_least`` instead of the total and the last page."""
    pagination_parameters.item_count = total
    pagination_parameters.item_count_more = more


def commit() -> None:
    get_db().commit()
