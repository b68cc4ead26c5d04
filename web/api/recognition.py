"""``/api/v1/recognition``: a mentor's incentives (002 §3.4, 003 §9.1, 004 прил. 2 п. 9.1) and the bank of practices
(001 §2.2, 002 §4.1.4, 003 §3.3) — what the pages «Поощрения наставника» and «Банк практик» show
(``engine.services.recognition``)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.services.recognition import incentives, practices
from web.api.core import api_actor, make_blueprint
from web.db import get_db

bp = make_blueprint("recognition", "/recognition", "Поощрения наставников и банк практик наставничества "
                    "(002 §3.4, 003 §9.1, 003 §3.3)")


class PracticeQuerySchema(ma.Schema):
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "слова названия или текста"})
    page = fields.Integer(validate=validate.Range(min=1, max=100000), load_default=1)


class PracticeSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "practice — практика, case — кейс"})
    title = fields.String()
    description = fields.String()
    organization_id = fields.Integer()
    program_id = fields.Integer(allow_none=True)
    files = fields.List(fields.String(), metadata={"description": "имена файлов"})


class PracticeListSchema(ma.Schema):
    practices = fields.List(fields.Nested(PracticeSchema))


class IncentiveSchema(ma.Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "мера из incentives: пакета положения"})
    label = fields.String()
    clause = fields.String()
    basis = fields.String()
    awarded_on = fields.Date()
    percent = fields.Integer(allow_none=True)
    organization_id = fields.Integer()
    program_id = fields.Integer(allow_none=True)
    contest_id = fields.Integer(allow_none=True)
    order_id = fields.Integer(allow_none=True)
    document = fields.String(allow_none=True, metadata={"description": "имя файла документа"})


class IncentiveListSchema(ma.Schema):
    mentor_id = fields.Integer()
    mentor = fields.String()
    incentives = fields.List(fields.Nested(IncentiveSchema))


@bp.route("/practices")
@bp.arguments(PracticeQuerySchema, location="query")
@bp.response(200, PracticeListSchema)
def practice_list(query: dict):
    """Банк практик: принятые практики и кейсы

    Организации, где у вас есть роль, их управление и его другие организации; каждое слово запроса — в
    названии или тексте, без учёта регистра.
    """
    found = practices.search(get_db(), api_actor(), query.get("q") or "", page=query["page"])
    return {"practices": [{"id": p.id, "kind": p.kind, "title": p.title, "description": p.description,
                           "organization_id": p.organization_id, "program_id": p.program_id,
                           "files": [f.file_name for f in p.files]} for p in found]}


@bp.route("/mentors/<int:person_id>/incentives")
@bp.response(200, IncentiveListSchema)
def incentive_list(person_id: int):
    """Поощрения наставника

    Сам наставник и сотрудники (куратор, руководитель, методист) организаций, где он наставник; чтение
    сотрудником записывается в журнал доступа (152-ФЗ).
    """
    session = get_db()
    found = incentives.of_mentor(session, api_actor(), person_id)
    session.commit()  # the access log
    return {"mentor_id": found.mentor.id, "mentor": found.mentor.full_name,
            "incentives": [{"id": i.id, "kind": i.kind, "label": i.kind_label, "clause": i.clause, "basis": i.basis,
                            "awarded_on": i.awarded_on, "percent": i.percent, "organization_id": i.organization_id,
                            "program_id": i.program_id, "contest_id": i.contest_id, "order_id": i.order_id,
                            "document": i.document_name} for i in found.incentives]}
