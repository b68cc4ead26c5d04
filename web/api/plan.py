"""``/api/v1/programs/{id}/plan``: the program's plan of events and its corrections (003 §7.2, 003 §4.2, §5.1) — the
mentor or a mentee proposes a correction (add, move, replace, remove, each with its reason), the other participants
agree or return it, the curator of the program's organization approves it (the events change) or returns it
(``engine.services.mentorship.plan_corrections``, ``plan_access``, ``plan_drafts``, ``plan_decisions``: the same
services as the page «План мероприятий»)."""
from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from engine.db.models import CORRECTION_LIFECYCLE, PlanCorrection
from engine.forms import MAX_ID
from engine.services.mentorship import plan_access, plan_changes, plan_corrections, plan_decisions, plan_drafts
from engine.services.mentorship.plan_changes import OPS, PlanChange
from engine.services.people.actor import Actor
from web.api.core import api_actor, commit, make_blueprint, permission
from web.db import get_db

bp = make_blueprint("plan", "/programs", "План мероприятий программы и его корректировки (003 §7.2)")

ID = "int(min=1, max=2147483647)"


class PlanChangeSchema(ma.Schema):
    op = fields.String(required=True, validate=validate.OneOf(list(OPS)),
                       metadata={"description": "add — добавить, move — перенести, replace — заменить, "
                                                "remove — исключить"})
    reason = fields.String(load_default="", validate=validate.Length(max=plan_changes.REASON_MAX),
                           metadata={"description": "причина изменения (обязательна)"})
    event_id = fields.Integer(load_default=None, allow_none=True, strict=True,
                              validate=validate.Range(min=1, max=MAX_ID),
                              metadata={"description": "мероприятие программы (move, replace, remove)"})
    stage_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100),
                             metadata={"description": "этап дорожной карты (add)"})
    kind = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                         metadata={"description": "вид мероприятия из видов этапа (add, replace), если дорожная "
                                                  "карта их перечисляет"})
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=plan_changes.NAME_MAX),
                         metadata={"description": "наименование мероприятия (add, replace)"})
    due_on = fields.Date(load_default=None, allow_none=True,
                         metadata={"description": "срок (add, move; replace — по желанию)"})


class ProposeSchema(ma.Schema):
    changes = fields.List(fields.Nested(PlanChangeSchema), required=True, validate=validate.Length(min=1, max=50))


class AgreeSchema(ma.Schema):
    agreed = fields.Boolean(required=True, metadata={"description": "true — согласен, false — вернуть с причиной"})
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=plan_decisions.REASON_MAX))


class DecideSchema(ma.Schema):
    approved = fields.Boolean(required=True, metadata={"description": "true — утвердить, false — вернуть с причиной"})
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=plan_decisions.REASON_MAX))


class PlanChangeShownSchema(PlanChangeSchema):
    text = fields.String(metadata={"description": "изменение словами"})


class CorrectionSchema(ma.Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "draft, proposed, agreed, approved, returned, withdrawn"})
    status_label = fields.String()
    attempt = fields.Integer()
    proposed_by_id = fields.Integer()
    proposer_role = fields.String(metadata={"description": "mentor или mentee"})
    proposed_at = fields.DateTime(allow_none=True)
    agreed_by = fields.List(fields.Integer(), metadata={"description": "участники, согласившиеся с корректировкой"})
    waiting_for = fields.List(fields.Integer(), metadata={"description": "чьего согласия ещё ждёт"})
    return_reason = fields.String(allow_none=True)
    decided_by_id = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    changes = fields.List(fields.Nested(PlanChangeShownSchema))
    applied = fields.List(fields.Dict(), allow_none=True,
                          metadata={"description": "утверждённые изменения: event, was, becomes, reason"})
    order_id = fields.Integer(allow_none=True, metadata={"description": "приказ о продлении, перечисливший её"})


class PlanEventSchema(ma.Schema):
    id = fields.Integer()
    stage_id = fields.String()
    number = fields.String()
    name = fields.String()
    status = fields.String(metadata={"description": "planned, done, skipped"})
    due_on = fields.Date(allow_none=True)
    changeable = fields.Boolean(metadata={"description": "корректировка может его назвать"})


class PlanStageSchema(ma.Schema):
    id = fields.String()
    number = fields.String()
    title = fields.String()
    kinds = fields.List(fields.String(), metadata={"description": "виды мероприятий (пусто — любые)"})
    max_added = fields.Integer(allow_none=True, metadata={"description": "сколько мероприятий можно добавить"})


class PlanSchema(ma.Schema):
    program_id = fields.Integer()
    program_status = fields.String()
    role = fields.String(allow_none=True, metadata={"description": "mentor или mentee — ваша роль в программе"})
    curator = fields.Boolean(metadata={"description": "вы утверждаете корректировки"})
    events = fields.List(fields.Nested(PlanEventSchema))
    open_stages = fields.List(fields.Nested(PlanStageSchema), metadata={"description": "этапы, чей план ещё "
                                                                                       "корректируется"})
    current = fields.Nested(CorrectionSchema, allow_none=True, metadata={"description": "корректировка в работе"})
    past = fields.List(fields.Nested(CorrectionSchema), metadata={"description": "решённые и отозванные"})
    waiting_for_me = fields.Boolean()


def _correction(correction: PlanCorrection) -> dict[str, Any]:
    program = correction.program
    session = get_db()
    return {"id": correction.id, "status": correction.status,
            "status_label": CORRECTION_LIFECYCLE.labels.get(correction.status, correction.status),
            "attempt": correction.attempt, "proposed_by_id": correction.proposed_by_id,
            "proposer_role": correction.proposer_role, "proposed_at": correction.proposed_at,
            "agreed_by": list(correction.agreed_by or []), "waiting_for": plan_access.waiting_for(correction, program),
            "return_reason": correction.return_reason, "decided_by_id": correction.decided_by_id,
            "decided_at": correction.decided_at,
            "changes": [{**PlanChange.of(c).__dict__, "text": plan_changes.describe(session, program, c)}
                        for c in correction.changes],
            "applied": correction.applied, "order_id": correction.order_id}


def _plan(program_id: int) -> dict[str, Any]:
    page = plan_corrections.editor(get_db(), api_actor(), program_id)
    commit()  # the access log (152-ФЗ)
    changeable = {e.id for e in page.events}
    return {"program_id": page.program.id, "program_status": page.program.status, "role": page.role,
            "curator": page.curator,
            "events": [{"id": e.id, "stage_id": e.stage_id, "number": e.number, "name": e.name, "status": e.status,
                        "due_on": e.due_on, "changeable": e.id in changeable} for e in page.program.events],
            "open_stages": [{"id": s.id, "number": s.number, "title": s.title, "kinds": list(s.kinds),
                             "max_added": s.max_added} for s in page.stages],
            "current": _correction(page.current) if page.current else None,
            "past": [_correction(c) for c, _words in page.past], "waiting_for_me": page.waiting_for_me}


@bp.route(f"/<{ID}:program_id>/plan")
@bp.response(200, PlanSchema)
def plan_show(program_id: int):
    """План мероприятий программы и корректировки

    Участникам программы и сотрудникам, которым видна программа; просмотр записывается в журнал доступа.
    """
    return _plan(program_id)


def _participant(actor: Actor, program_id: int, **_kwargs: Any) -> None:
    plan_access.require_participant(get_db(), actor, program_id)


def _curator(actor: Actor, program_id: int, **_kwargs: Any) -> None:
    plan_access.require_curator(get_db(), actor, program_id)


@bp.route(f"/<{ID}:program_id>/plan/corrections", methods=["POST"])
@permission(_participant)
@bp.arguments(ProposeSchema)
@bp.response(201, PlanSchema)
def propose(body: dict, program_id: int):
    """Предложить корректировку плана (наставник или наставляемый программы)

    Изменения (``changes``) составляют вашу корректировку целиком — черновик или возвращённая корректировка
    получает именно их — и направляются остальным участникам на согласие (003 §7.2: «по обоюдному согласию»).
    Каждое изменение проверяется: мероприятие этой программы, этап не закрыт, срок в пределах этапа и программы,
    вид из видов этапа, причина указана; ошибки — 422 с номером изменения, ничего не сохраняется. Корректировка
    другого участника ещё не решена — 409.
    """
    changes = [PlanChange(op=c["op"], reason=c["reason"], event_id=c["event_id"], stage_id=c["stage_id"],
                          kind=c["kind"], name=c["name"], due_on=c["due_on"]) for c in body["changes"]]
    plan_drafts.propose_changes(get_db(), api_actor(), program_id, changes)
    commit()
    return _plan(program_id)


@bp.route(f"/<{ID}:program_id>/plan/corrections/<{ID}:correction_id>/agree", methods=["POST"])
@permission(_participant)
@bp.arguments(AgreeSchema)
@bp.response(200, PlanSchema)
def agree(body: dict, program_id: int, correction_id: int):
    """Согласиться с корректировкой или вернуть её (другой участник программы)

    Вернуть — с причиной (``reason``, иначе 422). Корректировка не ждёт вашего согласия — 409.
    """
    plan_decisions.agree(get_db(), api_actor(), program_id, correction_id, agreed=body["agreed"], reason=body["reason"])
    commit()
    return _plan(program_id)


@bp.route(f"/<{ID}:program_id>/plan/corrections/<{ID}:correction_id>/decide", methods=["POST"])
@permission(_curator)
@bp.arguments(DecideSchema)
@bp.response(200, PlanSchema)
def decide(body: dict, program_id: int, correction_id: int):
    """Утвердить корректировку или вернуть её (куратор организации программы)

    Утверждённая меняет мероприятия программы (записывается в историю программы и войдёт в приказ о продлении,
    003 §7.2); вернуть — с причиной. Корректировка, не согласованная всеми участниками, — 409.
    """
    plan_decisions.decide(get_db(), api_actor(), program_id, correction_id, approved=body["approved"],
                          reason=body["reason"])
    commit()
    return _plan(program_id)


@bp.route(f"/<{ID}:program_id>/plan/corrections/<{ID}:correction_id>/withdraw", methods=["POST"])
@permission(_participant)
@bp.response(200, PlanSchema)
def withdraw(program_id: int, correction_id: int):
    """Отозвать свою корректировку (до решения куратора)

    Чужую или уже решённую — 409.
    """
    plan_drafts.withdraw(get_db(), api_actor(), program_id, correction_id)
    commit()
    return _plan(program_id)
