"""``/api/v1/bonus-fund``: the head's ledger of the mentors' bonus fund (003 §9.3) for a year, with the same scope
as the page «Фонд надбавок наставникам» (``engine.services.mentorship.bonus_ledger``)."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from engine.services.mentorship import bonus_ledger, bonus_ledger_export
from engine.services.process.domain import domain_of
from web.api.core import api_actor, make_blueprint
from web.api.exports import XLSX
from web.db import get_db
from web.downloads import download

bp = make_blueprint("bonus_fund", "/bonus-fund", "Фонд надбавок наставникам (003 §9.3): увеличение премиального "
                    "фонда руководителей-наставников по годам, основание и решения руководителя")


class LedgerQuerySchema(ma.Schema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "год (по умолчанию — текущий)"})
    organization_id = fields.Integer(validate=validate.Range(min=1, max=2147483647),
                                     metadata={"description": "одна организация из доступных (по умолчанию — все)"})


class GroundSchema(ma.Schema):
    id = fields.String()
    message = fields.String(metadata={"description": "основание отмены, найденное правилами, с пунктом"})
    source = fields.String(metadata={"description": "пункт положения"})


class BasisProgramSchema(ma.Schema):
    id = fields.Integer()
    status = fields.String()
    started_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True, metadata={"description": "дата завершения, иначе плановая"})
    mentees = fields.List(fields.String())


class HeadDecisionSchema(ma.Schema):
    revoked = fields.Boolean(metadata={"description": "true — увеличение отменено; false — сохранено"})
    reason = fields.String(allow_none=True)
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class LedgerRowSchema(ma.Schema):
    bonus_id = fields.Integer()
    year = fields.Integer()
    organization_id = fields.Integer()
    organization = fields.String()
    mentor_id = fields.Integer()
    mentor = fields.String()
    term_starts_on = fields.Date()
    term_ends_on = fields.Date(allow_none=True)
    mentee_count = fields.Integer()
    salaries = fields.Integer(metadata={"description": "увеличение годового премиального фонда, окладов"})
    granted_salaries = fields.Integer(metadata={"description": "с учётом решения руководителя (0 — отменено)"})
    verdict = fields.String(allow_none=True)
    verdict_label = fields.String(allow_none=True)
    state = fields.String(metadata={"description": "granted, revoked, undecided или none"})
    grounds = fields.List(fields.Nested(GroundSchema))
    programs = fields.List(fields.Nested(BasisProgramSchema))
    decision = fields.Nested(HeadDecisionSchema, allow_none=True)


class LedgerSchema(ma.Schema):
    year = fields.Integer()
    years = fields.List(fields.Integer())
    total_salaries = fields.Integer()
    rows = fields.List(fields.Nested(LedgerRowSchema))


@bp.route("")
@bp.arguments(LedgerQuerySchema, location="query")
@bp.response(200, LedgerSchema)
def index(query: dict):
    """Фонд надбавок наставникам за год

    Руководитель видит записи своей организации и подчинённых ей; у других ролей — 403.
    """
    session = get_db()
    year = query.get("year") or domain_of(session).clock.now().year
    found = bonus_ledger.ledger(session, api_actor(), year, query.get("organization_id"))
    session.commit()  # the access log entries (152-ФЗ)
    return {"year": found.year, "years": list(found.years), "total_salaries": found.total_salaries,
            "rows": [row.as_dict() for row in found.rows]}


@bp.route("/export.xlsx")
@bp.arguments(LedgerQuerySchema, location="query")
@bp.doc(responses={"200": {"description": "фонд надбавок за год: листы «Фонд надбавок», «Основание», «Сведения»",
                           "content": XLSX}})
def export(query: dict):
    """Фонд надбавок наставникам за год в Excel

    Те же строки, что и в JSON; руководители-наставники в файле записываются в журнал доступа (152-ФЗ).
    """
    session = get_db()
    year = query.get("year") or domain_of(session).clock.now().year
    made = bonus_ledger_export.ledger_file(session, api_actor(), year, query.get("organization_id"))
    session.commit()  # the access log entries (152-ФЗ)
    return download(made.data, made.file_name, made.mimetype)
