"""``/api/v1/council``: the collegial bodies of the organization's pack — the council of mentors (000 §4–5) and the
pedagogical council (004 прил. 1 п. 3.1.1) — and their whole work: the councils and sessions a person sees; the
curator forms a council (members, chair); the curator or the chair schedules a session with its agenda (and the
questions the pack's body considers) and holds it (who came, the secretary elected); the members present vote; the
secretary records each item and draws the protocol up; the chair and the secretary sign it; the head agrees the
mentors' council's adopted decisions (000 §4.3); the protocol's metadata and its PDF or DOCX; the pedagogical
council's signed protocols an order of the plan or the regulation may cite (``engine.services.council`` and
``mentorship.model_orders``: the same services as the pages «Коллегиальные органы»). Schemas: ``council_schemas``."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for

from engine.db.models import CouncilSession
from engine.services.council import base, pages, protocol, sessions
from engine.services.mentorship import model_orders
from engine.services.orders.register import require_head
from engine.services.people.actor import Actor
from web.api.core import api_actor, commit, make_blueprint, permission
from web.api.council_schemas import (
    CouncilBodySchema,
    CouncilPersonSchema,
    CouncilQuerySchema,
    CouncilSchema,
    DecisionAgreementSchema,
    HoldSessionSchema,
    NewItemSchema,
    OrderProtocolSchema,
    ProtocolSchema,
    RecordItemSchema,
    ScheduleSessionSchema,
    SessionSchema,
    VoteSchema,
)
from web.db import get_db
from web.downloads import download

bp = make_blueprint("council", "/council", "Коллегиальные органы: состав, сессии, голосование, протоколы, согласование "
                                           "(000 §4–5, 004 прил. 1 п. 3.1.1)")

ID = "int(min=1, max=2147483647)"
ORG = f"<{ID}:organization_id>"
SESSION = f"/sessions/<{ID}:session_id>"
PROTOCOL_MIMETYPES = ("application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


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
            "body": page["body"], "body_label": page["body_label"],
            "chair_id": found.council.chair_id, "chair": page["chair"], "secretary_id": found.secretary_id,
            "secretary": page["secretary"], "secretary_votes": found.secretary_votes,
            "members": [{"id": pid, "name": name} for pid, name in page["members"]],
            "members_total": found.members_total, "present": sorted(page["present"]), "agenda": agenda,
            "may": {key.removeprefix("may_"): bool(page[key]) for key in
                    ("may_vote", "may_record", "may_sign", "may_agree", "may_hold", "may_add_item")},
            "protocol": _protocol(found, page)}


def _council(organization_id: int, body: str | None) -> dict[str, Any]:
    p = pages.council_page(get_db(), api_actor(), organization_id, body)
    return {"organization_id": p.organization_id, "organization": p.organization, "body": p.body,
            "body_label": p.body_label, "body_clause": p.body_clause,
            "members": [{"id": pid, "name": name} for pid, name in p.members], "chair_id": p.chair_id,
            "sessions": [{**row, "status": row["state"], "status_label": row["status"]} for row in p.sessions],
            "retention_months": p.retention_months,
            "topics": [{"order": order, "title": title} for order, title in p.topics],
            "candidates": [{"id": pid, "name": name} for pid, name in p.candidates],
            "may": {"form": p.may_form, "schedule": p.may_schedule}}


@bp.route("")
@bp.arguments(CouncilQuerySchema, location="query")
@bp.response(200, CouncilSchema(many=True))
def council_list(query: dict):
    """Коллегиальные органы, которые мне видны, и их сессии

    Куратор и руководитель организации и члены её органов; каждый орган положения организации (совет наставников,
    педагогический совет) — отдельной записью. ``organization_id`` — только органы этой организации (не видной
    вам — 403), ``body`` — только этот орган. Нет ни одного — пустой список.
    """
    db, actor = get_db(), api_actor()
    wanted = query.get("organization_id")
    chosen = [wanted] if wanted is not None else [o.id for o in base.visible_organizations(db, actor)]
    found = []
    for organization_id in chosen:
        bodies = [b for b, _label in pages.council_page(db, actor, organization_id).bodies]
        found += [_council(organization_id, body) for body in bodies if query.get("body") in (None, body)]
    return found


def _curator(actor: Actor, organization_id: int, **_kwargs: Any) -> None:
    base.require_curator(actor, organization_id, "состав коллегиального органа")


@bp.route(f"/{ORG}/members", methods=["POST"])
@permission(_curator)
@bp.arguments(CouncilPersonSchema)
@bp.response(201, CouncilSchema)
def member_add(body: dict, organization_id: int):
    """Включить работника в состав органа (куратор организации)

    Действующий работник; уже в составе — 422 с полем ``person_id``; орган, которого нет в положении
    организации, — 422 с полем ``body``.
    """
    base.add_member(get_db(), api_actor(), organization_id, body["person_id"], body=body["body"])
    commit()
    return _council(organization_id, body["body"])


@bp.route(f"/{ORG}/members/<{ID}:person_id>/remove", methods=["POST"])
@permission(_curator)
@bp.arguments(CouncilBodySchema)
@bp.response(200, CouncilSchema)
def member_remove(body: dict, organization_id: int, person_id: int):
    """Исключить из состава органа (куратор); председатель, исключённый из состава, перестаёт быть председателем

    Человека нет в составе — 404.
    """
    base.remove_member(get_db(), api_actor(), organization_id, person_id, body=body["body"])
    commit()
    return _council(organization_id, body["body"])


@bp.route(f"/{ORG}/chair", methods=["POST"])
@permission(_curator)
@bp.arguments(CouncilPersonSchema)
@bp.response(200, CouncilSchema)
def chair_set(body: dict, organization_id: int):
    """Назначить председателя органа из его членов (куратор; 000 §4.4)

    Не член органа — 422 с полем ``person_id``.
    """
    base.set_chair(get_db(), api_actor(), organization_id, body["person_id"], body=body["body"])
    commit()
    return _council(organization_id, body["body"])


def _organizer_somewhere(actor: Actor, organization_id: int, **_kwargs: Any) -> None:
    base.require_may_schedule(get_db(), actor, organization_id)


@bp.route(f"/{ORG}/sessions", methods=["POST"])
@permission(_organizer_somewhere)
@bp.arguments(ScheduleSessionSchema)
@bp.response(201, SessionSchema)
def session_schedule(body: dict, organization_id: int):
    """Назначить сессию органа с повесткой (куратор или председатель органа; 000 §4.1)

    ``considers`` — вопросы положения (``topics`` органа: рассмотрение плана реализации целевой модели,
    Положения о наставничестве — 004 прил. 1 п. 3.1.1) первыми в повестке, затем ``agenda``; хотя бы один вопрос.
    Номер протокола — следующий в органе за календарный год. В органе нет членов — 409.
    """
    found = sessions.schedule(get_db(), api_actor(), organization_id, held_on=body["held_on"], place=body["place"],
                              agenda=body["agenda"], body=body["body"], considers=body["considers"])
    commit()
    return _session(found.id)


def _organizer(actor: Actor, session_id: int, **_kwargs: Any) -> None:
    base.require_organizer(base.get_session(get_db(), actor, session_id).council, actor, "проведение сессии")


@bp.route(f"{SESSION}/items", methods=["POST"])
@permission(_organizer)
@bp.arguments(NewItemSchema)
@bp.response(201, SessionSchema)
def item_add(body: dict, session_id: int):
    """Добавить вопрос в повестку назначенной сессии (куратор или председатель)

    Сессия уже проведена — 409.
    """
    sessions.add_item(get_db(), api_actor(), session_id, body["title"])
    commit()
    return _session(session_id)


@bp.route(f"{SESSION}/hold", methods=["POST"])
@permission(_organizer)
@bp.arguments(HoldSessionSchema)
@bp.response(200, SessionSchema)
def session_hold(body: dict, session_id: int):
    """Провести сессию: кто из членов пришёл, избранный из них секретарь и голоса за него (000 §5.1)

    Куратор или председатель. Число членов фиксируется для протокола (000 §5.2); открывается голосование.
    Не член органа среди пришедших, секретарь не из пришедших, голосов больше, чем пришедших, — 422 с полем.
    """
    sessions.hold(get_db(), api_actor(), session_id, present=body["present"], secretary_id=body["secretary_id"],
                  votes_for=body["votes_for"], votes_against=body["votes_against"], abstained=body["abstained"])
    commit()
    return _session(session_id)


def _voter(actor: Actor, session_id: int, **_kwargs: Any) -> None:
    sessions.require_present(base.get_session(get_db(), actor, session_id), actor)


@bp.route(f"{SESSION}/items/<{ID}:item_id>/vote", methods=["POST"])
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


def _secretary(actor: Actor, session_id: int, **_kwargs: Any) -> None:
    sessions.require_secretary(base.get_session(get_db(), actor, session_id), actor, "запись обсуждения вопроса")


@bp.route(f"{SESSION}/items/<{ID}:item_id>/record", methods=["POST"])
@permission(_secretary)
@bp.arguments(RecordItemSchema)
@bp.response(200, SessionSchema)
def item_record(body: dict, session_id: int, item_id: int):
    """Записать обсуждение вопроса: ключевые моменты, предложения, решение, ответственные (секретарь; 000 §5.1–5.2)

    Пока идёт голосование; повторная запись заменяет прежнюю. Пустое решение — 422 с полем ``decision``.
    """
    sessions.record_item(get_db(), api_actor(), session_id, item_id, key_points=body["key_points"],
                         proposals=body["proposals"], decision=body["decision"], responsible=body["responsible"])
    commit()
    return _session(session_id)


@bp.route(f"{SESSION}/protocol", methods=["POST"])
@bp.response(200, SessionSchema)
def protocol_draw_up(session_id: int):
    """Оформить протокол (секретарь): голосование закрывается, итоги подсчитаны, текст зафиксирован (SHA-256)

    Протокол уходит на подпись председателю и секретарю. Не записано решение по вопросу — 422 с полем ``decision``;
    у органа нет председателя или сессия не в голосовании — 409.
    """
    protocol.draw_up(get_db(), api_actor(), session_id)
    commit()
    return _session(session_id)


@bp.route(f"{SESSION}/sign", methods=["POST"])
@bp.response(200, SessionSchema)
def protocol_sign(session_id: int):
    """Подписать протокол (председатель органа, секретарь сессии; подпись CMS сертификатом организации)

    С обеими подписями протокол подписан, начинается срок хранения (000 §5.3); решения совета наставников ждут
    согласования руководителя. Подписано мной уже или не тот человек — 403; протокол не на подписи — 409.
    """
    protocol.sign(get_db(), api_actor(), session_id)
    commit()
    return _session(session_id)


def _head(actor: Actor, session_id: int, **_kwargs: Any) -> None:
    found = base.get_session(get_db(), actor, session_id)
    require_head(actor, found.council.organization_id, "согласование решения совета наставников")


@bp.route(f"{SESSION}/items/<{ID}:item_id>/agreement", methods=["POST"])
@permission(_head)
@bp.arguments(DecisionAgreementSchema)
@bp.response(200, SessionSchema)
def item_agreement(body: dict, session_id: int, item_id: int):
    """Согласовать принятое решение совета наставников или отказать с замечанием (руководитель; 000 §4.3)

    Только по подписанному протоколу и принятому решению, один раз — иначе 409; решения педагогического совета не
    согласуются (409). Отказ без замечания — 422 с полем ``note``.
    """
    protocol.agree(get_db(), api_actor(), session_id, item_id, agreed=body["agreed"], note=body["note"])
    commit()
    return _session(session_id)


@bp.route(f"{SESSION}")
@bp.response(200, SessionSchema)
def session_show(session_id: int):
    """Сессия органа: повестка, присутствие, голоса, решения, протокол

    Куратор, руководитель, члены органа. Итог голосования — по правилу кворума системы (000 §4.2 не задаёт
    кворум и большинство).
    """
    return _session(session_id)


@bp.route(f"{SESSION}/protocol")
@bp.response(200, ProtocolSchema)
def protocol_show(session_id: int):
    """Протокол сессии: номер, подписи, SHA-256, проверка, срок хранения, адреса PDF и DOCX

    Пока протокол не оформлен, ``drawn_up`` — false и адресов нет.
    """
    page = pages.session_page(get_db(), api_actor(), session_id)
    return _protocol(page["session"], page)


@bp.route(f"{SESSION}/protocol.<any(pdf, docx):kind>")
@bp.doc(responses={"200": {"description": "протокол сессии: PDF или DOCX",
                           "content": {m: {"schema": {"type": "string", "format": "binary"}}
                                       for m in PROTOCOL_MIMETYPES}}})
def protocol_file(session_id: int, kind: str):
    """Протокол сессии как документ (PDF или DOCX)

    Подписанный — с отметками подписей и SHA-256 текста. Не оформлен — 409.
    """
    made = protocol.protocol_file(get_db(), api_actor(), session_id, kind)
    return download(made.data, made.file_name, made.mimetype)


@bp.route(f"/{ORG}/order-protocols/<any(implementation_plan, regulation):kind>")
@bp.response(200, OrderProtocolSchema(many=True))
def order_protocols(organization_id: int, kind: str):
    """Протоколы педагогического совета, на которые может сослаться приказ об утверждении плана или положения

    Куратор или администратор организации (004 прил. 1 п. 3.1.1): подписанные протоколы педагогического совета с
    принятым решением по вопросу, рассмотревшему этот документ, новые первыми; ``id`` — ``council_protocol_id``
    приказа.
    """
    return [{"id": c.id, "number": c.number, "held_on": date.fromisoformat(c.held_on), "label": c.label}
            for c in model_orders.council_protocols(get_db(), api_actor(), organization_id, kind)]
