"""``/api/v1/workflows``: check a BPMN file (problems per element) and deploy it as a new version.

The BPMN comes as ``application/xml`` (the body is the file), as ``multipart/form-data`` (field
``file``) or as JSON ``{"bpmn": "...", "filename": "..."}``.
"""
from __future__ import annotations

from flask import request
from flask_smorest import abort

from engine.db.models import VersionStatus
from engine.services.process import definitions
from engine.workflow import MAX_BPMN_BYTES
from web.api.core import api_actor, commit, make_blueprint
from web.api.schemas import BpmnSourceSchema, CheckResultSchema, DefinitionSchema
from web.db import domain, get_db

bp = make_blueprint("workflows", "/workflows", "Описания процессов (BPMN): проверка и загрузка новой версии")

DEFAULT_FILENAME = "process.bpmn"
XML_TYPES = ("application/xml", "text/xml", "application/bpmn+xml")
REQUEST_BODY = {
    "required": True,
    "content": {
        "application/xml": {"schema": {"type": "string", "description": "BPMN 2.0 XML"}},
        "multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}}}},
        "application/json": {"schema": "BpmnSource"},
    },
}


def _json_source() -> tuple[bytes, str]:
    payload = request.get_json(silent=True)
    if payload is None:
        abort(400, message="Тело запроса — не корректный JSON.", errors={"json": ["тело запроса — не корректный JSON"]})
    if not isinstance(payload, dict):
        abort(422, errors={"json": {"_schema": ["ожидается объект {\"bpmn\": \"...\"}"]}})
    errors = BpmnSourceSchema().validate(payload)
    if errors:
        abort(422, errors={"json": errors})
    return payload["bpmn"].encode("utf-8"), payload.get("filename") or DEFAULT_FILENAME


def bpmn_source() -> tuple[bytes, str]:
    """The uploaded BPMN bytes and a file name, whatever the content type."""
    mimetype = request.mimetype
    if mimetype == "application/json":
        data, filename = _json_source()
    elif mimetype in XML_TYPES:
        data, filename = request.get_data(cache=False), request.args.get("filename") or DEFAULT_FILENAME
    elif mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            abort(422, errors={"files": {"file": ["обязательное поле: BPMN-файл"]}})
        data, filename = upload.read(MAX_BPMN_BYTES + 1), upload.filename or DEFAULT_FILENAME
    else:
        abort(415, message="BPMN передаётся как application/xml, multipart/form-data (поле file) или JSON "
                           "{\"bpmn\": \"...\"}.")
    if not data:
        abort(422, errors={"body": ["пустой BPMN-файл"]})
    if len(data) > MAX_BPMN_BYTES:
        abort(413, message=f"BPMN-файл больше {MAX_BPMN_BYTES // 1024} КБ.")
    return data, filename[:200]


@bp.route("/check", methods=["POST"])
@bp.doc(requestBody=REQUEST_BODY)
@bp.response(200, CheckResultSchema)
def check():
    """Проверить BPMN: проблемы с id и названием элемента (ничего не сохраняется; любому владельцу токена)"""
    data, filename = bpmn_source()
    problems = definitions.check(data, filename, domain=domain())
    return {"ok": not problems, "problems": [{"element_id": p.element_id, "element_name": p.element_name,
                                              "message": p.message} for p in problems]}


@bp.route("/deploy", methods=["POST"])
@bp.doc(requestBody=REQUEST_BODY)
@bp.response(201, DefinitionSchema, description="новая версия процесса")
@bp.alt_response(200, schema=DefinitionSchema, description="те же байты уже развёрнуты: существующая версия")
def deploy():
    """Загрузить BPMN как новую версию процесса (методист)

    Файл с проблемами — 422 со списком ``errors.problems`` (id и название элемента). Те же байты, что
    сохранены черновиком, развёртывают этот черновик (201); уже развёрнутые — 200 и существующая версия.
    """
    actor = api_actor()
    definitions.require_deployer(actor)
    data, filename = bpmn_source()
    session = get_db()
    existing = definitions.find_by_content(session, data, actor)
    already = existing is not None and existing.status == VersionStatus.DEPLOYED.value
    definition = definitions.deploy(session, actor, data, filename)
    commit()
    body = {"id": definition.id, "process_id": definition.process_id, "name": definition.name,
            "version": definition.version, "bpmn_sha256": definition.bpmn_sha256, "status": definition.status,
            "created": not already}
    return body, 200 if already else 201


from web.api import workflow_migration  # noqa: E402, F401 - moving running instances: its routes join this blueprint
