"""Friendly error pages (JSON under /api): never a traceback, never an English stock message.

Domain errors get the status of ``STATUS_BY_ERROR`` (pages and the API alike) with their (Russian)
message; a form view puts a domain error back on the field it names with ``place_error``. Anything
unexpected is logged by Flask and shown as the 500 page (with TESTING on, Flask propagates it to the
test instead, unless PROPAGATE_EXCEPTIONS is set False).
"""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

from engine.documents.pdf import PdfUnavailable
from engine.errors import (
    ConflictError,
    LinkGone,
    NastavnikError,
    NotFound,
    PermissionDenied,
    ServiceBusy,
    TokenRejected,
    UnknownRuleset,
)
from engine.integrity.keys import SigningKeyError
from web.db import database_unavailable, keep_disclosures

STATUS_BY_ERROR: tuple[tuple[type[NastavnikError], int], ...] = (
    (TokenRejected, 401), (PermissionDenied, 403), (NotFound, 404), (UnknownRuleset, 404), (ConflictError, 409), (LinkGone, 410),
    (ServiceBusy, 503), (SigningKeyError, 503), (PdfUnavailable, 503), (NastavnikError, 422),
)
"""The one status per domain error class, for the pages (``init_app``), the JSON API (``web.api.core``)
and the form views that answer themselves; the first class the error is an instance of decides:

    401 TokenRejected     the credentials (an API token) are not valid: authenticate again
    403 PermissionDenied  the person is known, the action is not theirs (role, organization)
    404 NotFound          what the request names does not exist, or is not the person's to see
    404 UnknownRuleset    the ruleset the request names does not run: a NotFound of rules
    409 ConflictError     somebody acted first, or the state no longer allows it; nothing was saved
    410 LinkGone          a one-time link that was used, revoked by a newer one or expired: ask for a new one
    503 ServiceBusy       every script worker is busy (``engine.workflow.bounded``); nothing was saved
    503 SigningKeyError   the server's key material (engine.integrity.keys) is missing or unwritable: nothing
                          is saved until the administrator mends it
    503 PdfUnavailable    the server lacks the fonts or the layout library for PDF (engine.documents.pdf)
    422 NastavnikError    anything else the domain refuses in the data sent (FactError, InvalidValue,
                          RuleFileError, WorkflowDefinitionError, …): correct it and send again
"""


def status_for(error: NastavnikError) -> int:
    return next(status for kind, status in STATUS_BY_ERROR if isinstance(error, kind))


UNSHOWN_FIELDS = ("HiddenField", "CSRFTokenField", "SubmitField")  # no message is shown under these


def place_error(form, error: NastavnikError) -> str | None:
    """Put a domain error back on the form field it names (``error.where``), under which the template
    shows it. Returns the message to show above the form instead when the form has no visible field of
    that name (a hidden field such as the version, a button, or no name at all); None when the field took it."""
    field = form[error.where] if error.where and error.where in form else None
    if field is None or field.type in UNSHOWN_FIELDS:
        return error.message
    field.errors = [*field.errors, error.message] if isinstance(field.errors, list) else [error.message]
    return None


def _titles() -> dict[int, str]:
    return {
        400: _("Неверный запрос"),
        401: _("Требуется вход"),
        403: _("Доступ запрещён"),
        404: _("Страница не найдена"),
        405: _("Действие недоступно"),
        409: _("Конфликт изменений"),
        410: _("Ссылка больше не действует"),
        413: _("Слишком большой файл"),
        422: _("Данные не приняты"),
        429: _("Слишком много попыток"),
        500: _("Внутренняя ошибка"),
        503: _("База данных недоступна"),
    }


def _default_messages() -> dict[int, str]:
    return {
        400: _("Запрос не удалось обработать. Вернитесь назад и попробуйте ещё раз."),
        401: _("Войдите в систему, чтобы продолжить."),
        403: _("У вас нет прав на эту страницу или действие в этой организации."),
        404: _("Такой страницы нет. Возможно, ссылка устарела."),
        405: _("Этот адрес не поддерживает такое действие."),
        409: _("Кто-то изменил эти данные раньше вас; ничего не сохранено. Обновите страницу."),
        410: _("Эта ссылка больше не действует. Попросите администратора выдать новую."),
        413: _("Файл или форма превышают допустимый размер."),
        422: _("Данные не приняты: проверьте форму."),
        429: _("Слишком много неудачных попыток входа. Вход временно приостановлен: подождите несколько минут "
               "и попробуйте снова."),
        500: _("Что-то пошло не так на нашей стороне. Мы уже записали ошибку; попробуйте позже."),
        503: _("Связь с базой данных прервалась. Обновите страницу через минуту; если вы отправляли форму, "
               "проверьте, сохранилось ли действие, прежде чем отправлять её снова."),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def render_error(code: int, message: str | None = None, *, details: list[str] | None = None):
    message = message or _default_messages().get(code) or HTTP_STATUS_CODES.get(code, "")
    if wants_json():
        response = jsonify(code=code, status=HTTP_STATUS_CODES.get(code, "Error"), message=message)
        response.status_code = code
        return response
    title = _titles().get(code) or _("Ошибка")
    try:
        return render_template("errors/error.html", code=code, title=title, message=message,
                               details=details or []), code
    except Exception:  # the layout itself failed (e.g. the database is down): a bare page, still Russian
        current_app.logger.exception("the error page could not be rendered")
        body = (f"<!doctype html><html lang='ru'><meta charset='utf-8'><title>{escape(title)}</title>"
                f"<h1>{code} — {escape(title)}</h1><p>{escape(message)}</p><p><a href='/'>На главную</a></p></html>")
        return body, code, {"Content-Type": "text/html; charset=utf-8"}


def init_app(app: Flask) -> None:
    @app.errorhandler(NastavnikError)
    def _domain(error: NastavnikError):
        keep_disclosures(error)
        code = status_for(error)
        problems = [str(p) for p in getattr(error, "problems", [])][1:]
        # people read the message; ``where`` (a table and row, a form field's id) is for the API and the
        # forms that put the message under the field it names
        return render_error(code, error.message if not wants_json() else str(error), details=problems)

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError):
        return render_error(400, _("Форма устарела или пришла без защитного токена. "
                                   "Обновите страницу и отправьте её ещё раз."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if isinstance(error, InternalServerError):
            lost = database_unavailable(error.original_exception)  # run once more already when it was safe
            return render_error(503 if lost else 500)
        return render_error(error.code)
