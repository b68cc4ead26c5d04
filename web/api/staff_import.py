"""``/api/v1/people/import``: the staff import with the pages' contract — upload a CSV or XLSX file (multipart,
field ``file``, and ``organization_id``) for a preview (created / changed / unchanged / problems by row and column,
nothing written) with an ``upload_id`` and a ``digest``; confirm it; download the template. Administrators of the
organization only (checked before the body is read)."""
from __future__ import annotations

import marshmallow as ma
from flask import Response, current_app, request
from flask_smorest import abort
from marshmallow import fields, validate
from werkzeug.exceptions import RequestEntityTooLarge

from engine.errors import PermissionDenied
from engine.forms import MAX_ID
from engine.services.administration import staff_import
from engine.services.administration.staff_files import DEFAULT_LIMITS, FileLimits, megabytes
from web.api.core import api_actor, commit, error_response, make_blueprint, permission
from web.db import get_db
from web.views.admin_import import request_limit, upload_store

bp = make_blueprint("staff_import", "/people/import",
                    "Импорт сотрудников из CSV и XLSX: предпросмотр, подтверждение, шаблон (администратору)")



@bp.url_value_preprocessor
def _limit_request(_endpoint: str | None, _values: dict | None) -> None:
    request_limit()  # the staff file's limit, before the body is read


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge):
    return error_response(413, f"Файл больше {megabytes(_limits().max_bytes)} МБ: разделите его на части.")


UPLOAD_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file", "organization_id"],
        "properties": {"file": {"type": "string", "format": "binary",
                                "description": ".xlsx или .csv (UTF-8 или Windows-1251, «;» или «,»)"},
                       "organization_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}}}},
}
FILE_TYPES = {"text/csv": {"schema": {"type": "string", "format": "binary"}},
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                  "schema": {"type": "string", "format": "binary"}}}


class ImportProblemSchema(ma.Schema):
    row = fields.Integer(required=True, metadata={"description": "номер строки в таблице (заголовок — строка 1)"})
    column = fields.String(allow_none=True, metadata={"description": "заголовок столбца, как в файле"})
    value = fields.String(required=True)
    message = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "«строка 17, столбец «Стаж»: «пять» — не число»"})


class ImportChangeSchema(ma.Schema):
    field = fields.String(required=True)
    label = fields.String(required=True)
    old = fields.String(required=True)
    new = fields.String(required=True)


class ImportRowSchema(ma.Schema):
    row = fields.Integer(required=True)
    full_name = fields.String(required=True)
    organization_id = fields.Integer(required=True)
    organization = fields.String(required=True)
    person_id = fields.Integer(allow_none=True)
    moves = fields.Boolean(required=True)
    changes = fields.List(fields.Nested(ImportChangeSchema), required=True)


class ImportPreviewSchema(ma.Schema):
    upload_id = fields.String(required=True, metadata={"description": "SHA-256 файла: адрес подтверждения"})
    digest = fields.String(required=True, metadata={"description": "отпечаток плана: передаётся в подтверждение"})
    organization_id = fields.Integer(required=True)
    file_name = fields.String(required=True)
    format = fields.String(required=True, metadata={"description": "csv или xlsx"})
    columns = fields.List(fields.String(), required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    created = fields.List(fields.Nested(ImportRowSchema), required=True)
    changed = fields.List(fields.Nested(ImportRowSchema), required=True)
    unchanged = fields.List(fields.Nested(ImportRowSchema), required=True)
    problems = fields.List(fields.Nested(ImportProblemSchema), required=True)
    problem_rows = fields.List(fields.Integer(), required=True)


class ImportConfirmSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    organization_id = fields.Integer(validate=validate.Range(1, MAX_ID),
                                     metadata={"description": "организация импорта (или параметр запроса)"})
    digest = fields.String(required=True, validate=validate.Length(1, 64))
    file_name = fields.String(load_default="", validate=validate.Length(0, 200))
    skip_problem_rows = fields.Boolean(load_default=False,
                                       metadata={"description": "импортировать без строк с ошибками"})


class ImportResultSchema(ma.Schema):
    created = fields.Integer(required=True)
    changed = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    skipped = fields.Integer(required=True, metadata={"description": "строк с ошибками пропущено"})
    person_ids = fields.List(fields.Integer(), required=True)


class ImportTemplateQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    format = fields.String(load_default="xlsx", validate=validate.OneOf(staff_import.FORMATS))
    organization_id = fields.Integer(required=True, validate=validate.Range(1, MAX_ID))


def _limits() -> FileLimits:
    return current_app.config.get("STAFF_IMPORT_LIMITS") or DEFAULT_LIMITS


def _organization_id() -> int | None:
    """The import's organization: the JSON body's ``organization_id``, else the form's or the query's."""
    body = request.get_json(silent=True) if request.is_json else None
    raw = body.get("organization_id") if isinstance(body, dict) and "organization_id" in body else (
        request.values.get("organization_id"))
    text = str(raw).strip() if raw is not None else ""
    return int(text) if text.isdigit() and len(text) < 10 and 0 < int(text) <= MAX_ID else None


def _may_import(actor, **_kwargs) -> None:
    staff_import.require_import(get_db(), actor, _organization_id())


def _row(row: staff_import.PlannedRow) -> dict:
    return {"row": row.row, "full_name": row.full_name, "organization_id": row.organization_id,
            "organization": row.organization_name, "person_id": row.person_id, "moves": row.moves,
            "changes": [{"field": c.field, "label": c.label, "old": c.old, "new": c.new} for c in row.changes]}


@bp.route("", methods=["POST"])
@permission(_may_import)
@bp.doc(requestBody=UPLOAD_BODY)
@bp.response(200, ImportPreviewSchema)
@bp.alt_response(413, response="DEFAULT_ERROR", description="файл больше допустимого")
@bp.alt_response(422, response="DEFAULT_ERROR", description="файл не принят: errors.problems называют что и где")
def preview():
    """Предпросмотр импорта: кто будет создан, изменён, оставлен; ошибки по строкам и столбцам

    Ничего не записывается. Файл ждёт подтверждения сутки; подтверждение — POST
    ``/people/import/{upload_id}/confirm`` с ``digest`` из ответа.
    """
    organization_id = _organization_id()
    upload = request.files.get("file")
    if organization_id is None or upload is None:
        abort(422, errors={"form": {**({"organization_id": ["обязательное поле"]} if organization_id is None else {}),
                                    **({"file": ["обязательное поле: файл .xlsx или .csv"]} if upload is None else {})}})
    data = upload.read(_limits().max_bytes + 1)
    name = (upload.filename or "файл").replace("\\", "/").rsplit("/", 1)[-1][:200] or "файл"
    shown = staff_import.preview(get_db(), api_actor(), organization_id, data, name, store=upload_store(), limits=_limits())
    commit()  # the access log
    return {"upload_id": shown.upload_id, "digest": shown.digest, "organization_id": shown.organization_id,
            "file_name": shown.file_name, "format": shown.file_kind, "columns": list(shown.columns),
            "counts": {"created": len(shown.created), "changed": len(shown.changed),
                       "unchanged": len(shown.unchanged), "problem_rows": len(shown.problem_rows)},
            "created": [_row(r) for r in shown.created], "changed": [_row(r) for r in shown.changed],
            "unchanged": [_row(r) for r in shown.unchanged],
            "problems": [{"row": p.row, "column": p.column, "value": p.value, "message": p.message, "text": str(p)}
                         for p in shown.problems],
            "problem_rows": list(shown.problem_rows)}


@bp.route("/<string(length=64):upload_id>/confirm", methods=["POST"])
@permission(_may_import)
@bp.arguments(ImportConfirmSchema)
@bp.response(200, ImportResultSchema)
@bp.alt_response(409, response="DEFAULT_ERROR", description="файл или данные людей изменились после предпросмотра")
def confirm(body: dict, upload_id: str):
    """Подтвердить импорт: записать ровно то, что показал предпросмотр

    Строки с ошибками пропускаются только с ``skip_problem_rows: true``, иначе ничего не записывается (422).
    Одна транзакция; журнал аудита: запись об импорте и изменения каждого человека.
    """
    organization_id = _organization_id()
    if organization_id is None:
        raise PermissionDenied("не указана организация импорта")
    store = upload_store()
    result = staff_import.confirm(get_db(), api_actor(), organization_id, upload_id, body["digest"], store=store,
                                  file_name=body["file_name"], skip_problem_rows=body["skip_problem_rows"],
                                  limits=_limits())
    commit()
    store.forget(upload_id)
    return {"created": result.created, "changed": result.changed, "unchanged": result.unchanged,
            "skipped": result.skipped, "person_ids": list(result.person_ids)}


@bp.route("/template")
@permission(_may_import)
@bp.arguments(ImportTemplateQuerySchema, location="query")
@bp.doc(responses={"200": {"description": "шаблон файла: заголовки — поля людей организации", "content": FILE_TYPES}})
def template(query: dict):
    """Шаблон файла импорта (CSV или XLSX с листом «Справка»)"""
    made = staff_import.template(get_db(), api_actor(), query["organization_id"], query["format"])
    response = Response(made.data, mimetype=made.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=made.file_name)
    return response
