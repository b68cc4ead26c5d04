"""``/api/v1/council``: the council of mentors (000 §4–5) — the councils and sessions a person sees, one session with
its agenda, attendance, votes and decisions, a vote cast by a member present, the protocol's metadata and the
protocol as PDF or DOCX (``engine.services.council``: the same services as the pages «Совет наставников»)."""
from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import url_for
from marshmallow import fields, validate

from engine.db.models import CouncilSession, VoteChoice
from engine.services.council import base, pages, protocol, sessions
from engine.services.people.actor import Actor
from web.api.core import api_actor, commit, make_blueprint, permission
from web.db import get_db
from web.downloads import download

bp = make_blueprint("council", "/council", "Совет наставников: сессии, голосование, протоколы (000 §4–5)")

ID = "int(min=1, max=2147483647)"
PROTOCOL_MIMETYPES = ("application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


class CouncilQuerySchema(ma.Schema):
    organization_id = fields.Integer(validate=validate.Range(min=1, max=2147483647),
                                     metadata={"description": "только совет этой организации"})


class CouncilMemberSchema(ma.Schema):
    id = fields.Integer()
    name = fields.String(metadata={"description": "ФИО"})


class SessionRowSchema(ma.Schema):
    id = fields.Integer()
    number = fields.Integer(metadata={"description": "номер протокола в совете"})
    held_on = fields.Date()
    place = fields.String()
    status = fields.String(metadata={"description": "planned, held, signing, signed"})
    status_label = fields.String()


class CouncilSchema(ma.Schema):
    organization_id = fields.Integer()
    organization = fields.String()
    members = fields.List(fields.Nested(CouncilMemberSchema))
    chair_id = fields.Integer(allow_none=True, metadata={"description": "председатель (000 §4.4)"})
    sessions = fields.List(fields.Nested(SessionRowSchema), metadata={"description": "новые первыми"})
    retention_months = fields.Integer(metadata={"description": "срок хранения протоколов по положению, месяцев"})


class TallySchema(ma.Schema):
    votes_for = fields.Integer()
    against = fields.Integer()
    abstained = fields.Integer()
    present = fields.Integer()
    members = fields.Integer()
    quorum = fields.Boolean()
    adopted = fields.Boolean()
    words = fields.String(metadata={"description": "итог словами, с кворумом"})


class AgendaItemSchema(ma.Schema):
    id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    key_points = fields.String(allow_none=True)
    proposals = fields.String(allow_none=True)
    decision = fields.String(allow_none=True)
    responsible = fields.String(allow_none=True)
    tally = fields.Nested(TallySchema, allow_none=True, metadata={"description": "нет, пока сессия не проведена"})
    mine = fields.String(allow_none=True, metadata={"description": "мой голос: for, against, abstain (чужие "
                                                                   "голоса — только в итоге, как на странице)"})
    result = fields.String(allow_none=True, metadata={"description": "adopted или rejected — по оформленному протоколу"})
    agreement = fields.String(allow_none=True, metadata={"description": "agreed или refused — согласование "
                                                                        "администрацией (000 §4.3)"})
    agreement_note = fields.String(allow_none=True)


class ProtocolSchema(ma.Schema):
    session_id = fields.Integer()
    number = fields.Integer()
    held_on = fields.Date()
    drawn_up = fields.Boolean(metadata={"description": "протокол оформлен секретарём"})
    signed = fields.Boolean(metadata={"description": "подписан председателем и секретарём"})
    signed_on = fields.Date(allow_none=True)
    sha256 = fields.String(allow_none=True, metadata={"description": "SHA-256 текста протокола"})
    verified = fields.Boolean(metadata={"description": "текст совпадает с хешем"})
    stamps = fields.List(fields.String(), metadata={"description": "отметки подписей"})
    kept_until = fields.Date(allow_none=True, metadata={"description": "хранится до (срок по положению)"})
    pdf = fields.String(allow_none=True, metadata={"description": "адрес PDF (нет — протокол не оформлен)"})
    docx = fields.String(allow_none=True, metadata={"description": "адрес DOCX"})


class SessionSchema(SessionRowSchema):
    organization_id = fields.Integer()
    organization = fields.String()
    chair_id = fields.Integer(allow_none=True)
    chair = fields.String()
    secretary_id = fields.Integer(allow_none=True, metadata={"description": "секретарь, избранный на сессии (000 §5.1)"})
    secretary = fields.String()
    secretary_votes = fields.String(allow_none=True)
    members = fields.List(fields.Nested(CouncilMemberSchema))
    members_total = fields.Integer(allow_none=True, metadata={"description": "членов совета на день сессии"})
    present = fields.List(fields.Integer(), metadata={"description": "присутствовавшие члены совета"})
    agenda = fields.List(fields.Nested(AgendaItemSchema))
    may = fields.Dict(keys=fields.String(), values=fields.Boolean(),
                      metadata={"description": "что может тот, чей токен: vote, record, sign, agree, hold, add_item"})
    protocol = fields.Nested(ProtocolSchema)


class VoteSchema(ma.Schema):
    choice = fields.String(required=True, validate=validate.OneOf([c.value for c in VoteChoice]),
                           metadata={"description": "for — за, against — против, abstain — воздержался"})


def _protocol(found: CouncilSession, page: dict[str, Any]) -> dict[str, Any]:
    drawn = bool(found.protocol_text)
    links = {kind: url_for("api_council.protocol_file", session_id=found.id, kind=kind) if drawn else None
             for kind in ("pdf", "docx")}
    return {"session_id": found.id, "number": found.number, "held_on": found.held_on, "drawn_up": drawn,
            "signed": found.status == "signed", "signed_on": found.signed_on,
            "sha256": found.protocol_sha256, "verified": page["verified"], "stamps": list(page["stamps"]),
            "kept_until": page["kept_until"], **links}


def _session(session_id: int) -> dict[str, Any]:
    page = pages.session_page(get_db(), api_actor(), session_id)
    found: CouncilSession = page["session"]
    agenda = []
    for row in page["agenda"]:
        counted = row["tally"]
        agenda.append({**{k: v for k, v in row.items() if k != "tally"},
                       "tally": None if counted is None else {
                           "votes_for": counted.votes_for, "against": counted.against, "abstained": counted.abstained,
                           "present": counted.present, "members": counted.members, "quorum": counted.quorum,
                           "adopted": counted.adopted, "words": counted.words}})
    return {"id": found.id, "number": found.number, "held_on": found.held_on, "place": found.place,
            "status": found.status, "status_label": page["status_label"],
            "organization_id": found.council.organization_id, "organization": page["organization"],
            "chair_id": found.council.chair_id, "chair": page["chair"], "secretary_id": found.secretary_id,
            "secretary": page["secretary"], "secretary_votes": found.secretary_votes,
            "members": [{"id": pid, "name": name} for pid, name in page["members"]],
            "members_total": found.members_total, "present": sorted(page["present"]), "agenda": agenda,
            "may": {key.removeprefix("may_"): bool(page[key]) for key in
                    ("may_vote", "may_record", "may_sign", "may_agree", "may_hold", "may_add_item")},
            "protocol": _protocol(found, page)}


@bp.route("")
@bp.arguments(CouncilQuerySchema, location="query")
@bp.response(200, CouncilSchema(many=True))
def council_list(query: dict):
    """Советы наставников, которые мне видны, и их сессии

    Куратор и руководитель организации и члены её совета; ``organization_id`` — только совет этой организации
    (не видный вам — 403). Нет ни одного — пустой список.
    """
    db, actor = get_db(), api_actor()
    wanted = query.get("organization_id")
    if wanted is not None:
        chosen = [wanted]
    else:
        chosen = [o.id for o in base.visible_organizations(db, actor)]
    found = [pages.council_page(db, actor, organization_id) for organization_id in chosen]
    return [{"organization_id": p.organization_id, "organization": p.organization,
             "members": [{"id": pid, "name": name} for pid, name in p.members], "chair_id": p.chair_id,
             "sessions": [{**row, "status": row["state"], "status_label": row["status"]} for row in p.sessions], "retention_months": p.retention_months} for p in found]


@bp.route(f"/sessions/<{ID}:session_id>")
@bp.response(200, SessionSchema)
def session_show(session_id: int):
    """Сессия совета: повестка, присутствие, голоса, решения, протокол

    Куратор, руководитель, члены совета. Итог голосования — по правилу кворума системы (000 §4.2 не задаёт
    кворум и большинство).
    """
    return _session(session_id)


def _voter(actor: Actor, session_id: int, **_kwargs: Any) -> None:
    sessions.require_present(base.get_session(get_db(), actor, session_id), actor)


@bp.route(f"/sessions/<{ID}:session_id>/items/<{ID}:item_id>/vote", methods=["POST"])
@permission(_voter)
@bp.arguments(VoteSchema)
@bp.response(200, SessionSchema)
def vote(body: dict, session_id: int, item_id: int):
    """Проголосовать по вопросу повестки (член совета, присутствующий на сессии)

    Голосует только тот, чей токен (000 §4.2); повторный голос заменяет прежний, пока голосование открыто; после
    оформления протокола — 409. Вопрос другой сессии — 422.
    """
    sessions.vote(get_db(), api_actor(), session_id, item_id, body["choice"])
    commit()
    return _session(session_id)


@bp.route(f"/sessions/<{ID}:session_id>/protocol")
@bp.response(200, ProtocolSchema)
def protocol_show(session_id: int):
    """Протокол сессии: номер, подписи, SHA-256, проверка, срок хранения, адреса PDF и DOCX

    Пока протокол не оформлен, ``drawn_up`` — false и адресов нет.
    """
    page = pages.session_page(get_db(), api_actor(), session_id)
    return _protocol(page["session"], page)


@bp.route(f"/sessions/<{ID}:session_id>/protocol.<any(pdf, docx):kind>")
@bp.doc(responses={"200": {"description": "протокол сессии: PDF или DOCX",
                           "content": {m: {"schema": {"type": "string", "format": "binary"}}
                                       for m in PROTOCOL_MIMETYPES}}})
def protocol_file(session_id: int, kind: str):
    """Протокол сессии совета как документ (PDF или DOCX)

    Подписанный — с отметками подписей и SHA-256 текста. Не оформлен — 409.
    """
    made = protocol.protocol_file(get_db(), api_actor(), session_id, kind)
    return download(made.data, made.file_name, made.mimetype)
