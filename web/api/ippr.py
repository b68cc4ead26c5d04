"""``/api/v1/ippr``: the individual plan of a teacher's professional development (ИППР, 000 §2.2) — the plans a
person sees, opening one (the curator or the head), one plan with its sections, items and state, the items of a
draft (its teacher or mentor), agreeing (the mentor), approving or returning (the head; the mentor returns too),
marking the items done or not (its teacher or mentor), closing the year (the mentor or the curator), the plan as PDF
or DOCX (``engine.services.development_plans``: the same services as the pages «ИППР»)."""
from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import url_for
from marshmallow import fields, validate

from engine.db.models import DevelopmentPlan, Role
from engine.services.development_plans import items, pages, permissions, plans, states
from engine.services.development_plans.items import ItemData
from engine.services.people.actor import Actor
from web.api.core import api_actor, commit, make_blueprint, permission, require_any_role
from web.db import get_db
from web.downloads import download

bp = make_blueprint("ippr", "/ippr", "Индивидуальные планы профессионального развития педагогов (ИППР, 000 §2.2)")

ID = "int(min=1, max=2147483647)"
DOCUMENT_MIMETYPES = ("application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


class IpprPlanRowSchema(ma.Schema):
    id = fields.Integer()
    organization_id = fields.Integer()
    organization = fields.String()
    teacher_id = fields.Integer()
    teacher = fields.String()
    mentor_id = fields.Integer()
    mentor = fields.String()
    academic_year = fields.Integer(metadata={"description": "первый календарный год учебного: 2025 — 2025/2026"})
    year = fields.String(metadata={"description": "учебный год: «2025/2026»"})
    starts_on = fields.Date()
    ends_on = fields.Date()
    state = fields.String(metadata={"description": "draft, agreed, approved, closed"})
    state_label = fields.String()


class IpprPlanListsSchema(ma.Schema):
    mine = fields.List(fields.Nested(IpprPlanRowSchema), metadata={"description": "мои планы (я — педагог)"})
    guided = fields.List(fields.Nested(IpprPlanRowSchema), metadata={"description": "планы, где я наставник"})
    organization = fields.List(fields.Nested(IpprPlanRowSchema),
                               metadata={"description": "планы организаций, где я куратор, руководитель, методист"})
    openable = fields.List(fields.Integer(),
                           metadata={"description": "организации, где я могу открыть ИППР (куратор, руководитель)"})


class IpprItemSchema(ma.Schema):
    id = fields.Integer()
    section = fields.String()
    what = fields.String()
    due_on = fields.Date()
    expected_result = fields.String()
    outcome = fields.String(allow_none=True, metadata={"description": "done, not_done или null — не отмечен"})
    outcome_label = fields.String(allow_none=True)
    result = fields.String(allow_none=True)
    marked_on = fields.Date(allow_none=True)


class IpprSectionSchema(ma.Schema):
    id = fields.String()
    label = fields.String()
    clause = fields.String()
    items = fields.List(fields.Nested(IpprItemSchema))


class IpprDocumentsSchema(ma.Schema):
    pdf = fields.String()
    docx = fields.String()


class IpprPlanSchema(IpprPlanRowSchema):
    clause = fields.String()
    position = fields.String(allow_none=True, metadata={"description": "должность педагога"})
    agreed_by = fields.String(allow_none=True)
    agreed_on = fields.Date(allow_none=True)
    approved_by = fields.String(allow_none=True)
    approved_on = fields.Date(allow_none=True)
    returned_note = fields.String(allow_none=True, metadata={"description": "почему план возвращён на доработку"})
    closed_on = fields.Date(allow_none=True)
    conclusion = fields.String(allow_none=True, metadata={"description": "итоги года"})
    sections = fields.List(fields.Nested(IpprSectionSchema), metadata={"description": "разделы пакета с пунктами"})
    may_write = fields.Boolean(metadata={"description": "вносить, менять, удалять пункты (черновик)"})
    may_agree = fields.Boolean()
    may_return = fields.Boolean()
    may_approve = fields.Boolean()
    may_mark = fields.Boolean()
    may_close = fields.Boolean()
    documents = fields.Nested(IpprDocumentsSchema, metadata={"description": "адреса плана в PDF и DOCX"})


class IpprOpenBodySchema(ma.Schema):
    organization_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2147483647))
    teacher_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2147483647))
    mentor_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2147483647),
                               metadata={"description": "член управленческой команды (000 §2.2)"})
    academic_year = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=2000, max=2200),
                                   metadata={"description": "текущий (по умолчанию) или следующий учебный год"})


class IpprItemBodySchema(ma.Schema):
    section = fields.String(required=True, validate=validate.Length(max=64), metadata={"description": "id раздела"})
    what = fields.String(required=True, validate=validate.Length(max=plans.SHORT_TEXT))
    due_on = fields.Date(required=True, metadata={"description": "внутри учебного года плана"})
    expected_result = fields.String(required=True, validate=validate.Length(max=plans.SHORT_TEXT))


class IpprMarkBodySchema(ma.Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(tuple(plans.OUTCOME_LABELS)),
                            metadata={"description": "done — выполнено, not_done — не выполнено"})
    result = fields.String(required=True, validate=validate.Length(max=plans.LONG_TEXT))


class IpprReturnBodySchema(ma.Schema):
    note = fields.String(required=True, validate=validate.Length(max=plans.SHORT_TEXT),
                         metadata={"description": "причина возврата на доработку"})


class IpprCloseBodySchema(ma.Schema):
    conclusion = fields.String(required=True, validate=validate.Length(max=plans.LONG_TEXT),
                               metadata={"description": "итоги года"})


def _row(plan: DevelopmentPlan) -> dict[str, Any]:
    return {"id": plan.id, "organization_id": plan.organization_id, "organization": plan.organization.name,
            "teacher_id": plan.teacher_id, "teacher": plan.teacher.full_name, "mentor_id": plan.mentor_id,
            "mentor": plan.mentor.full_name, "academic_year": plan.academic_year, "year": plan.year_label,
            "starts_on": plan.starts_on, "ends_on": plan.ends_on, "state": plan.state,
            "state_label": plans.STATE_LABELS[plan.state]}


def _plan(plan_id: int) -> dict[str, Any]:
    page = pages.plan_page(get_db(), api_actor(), plan_id)
    commit()  # the access log (152-ФЗ)
    plan = page.plan
    return {**_row(plan), "clause": page.clause, "position": plan.teacher.position,
            "agreed_by": plan.agreed_by.full_name if plan.agreed_by else None, "agreed_on": plan.agreed_on,
            "approved_by": plan.approved_by.full_name if plan.approved_by else None,
            "approved_on": plan.approved_on, "returned_note": plan.returned_note, "closed_on": plan.closed_on,
            "conclusion": plan.conclusion,
            "sections": [{"id": s.id, "label": s.label, "clause": s.clause, "items": [
                {"id": i.id, "section": i.section, "what": i.what, "due_on": i.due_on,
                 "expected_result": i.expected_result, "outcome": i.outcome,
                 "outcome_label": page.outcome_labels.get(i.outcome) if i.outcome else None, "result": i.result,
                 "marked_on": i.marked_on} for i in s.items]} for s in page.sections],
            "may_write": page.may_write, "may_agree": page.may_agree, "may_return": page.may_return,
            "may_approve": page.may_approve, "may_mark": page.may_mark, "may_close": page.may_close,
            "documents": {kind: url_for("api_ippr.document", plan_id=plan.id, kind=kind) for kind in ("pdf", "docx")}}


def _item(body: dict) -> ItemData:
    return ItemData(body["section"], body["what"], body["due_on"], body["expected_result"])


@bp.route("")
@bp.response(200, IpprPlanListsSchema)
def plan_list():
    """Планы, которые мне видны

    Мои как педагога, те, где я наставник, и планы организаций, где я куратор, руководитель или методист;
    ``openable`` — организации, где я могу открыть ИППР.
    """
    lists = pages.plan_lists(get_db(), api_actor())
    return {"mine": [_row(p) for p in lists.mine], "guided": [_row(p) for p in lists.guided],
            "organization": [_row(p) for p in lists.organization], "openable": [o.id for o in lists.openable]}


@bp.route("", methods=["POST"])
@permission(require_any_role(Role.CURATOR, Role.HEAD))
@bp.arguments(IpprOpenBodySchema)
@bp.response(201, IpprPlanSchema)
def open_plan(body: dict):
    """Открыть ИППР педагога (куратор или руководитель организации)

    На текущий или следующий учебный год, с наставником — членом управленческой команды (000 §2.2). Положение без
    ИППР, не сотрудник, наставник без роли, чужой год — 422 с названием поля; план на этот год уже есть — 409.
    """
    plan = plans.open_plan(get_db(), api_actor(), body["organization_id"], body["teacher_id"], body["mentor_id"],
                           academic_year=body["academic_year"])
    commit()
    return _plan(plan.id)


@bp.route(f"/<{ID}:plan_id>")
@bp.response(200, IpprPlanSchema)
def plan_show(plan_id: int):
    """План: разделы с пунктами, состояние, подписи, итоги, что мне можно, адреса документа

    Педагогу, его наставнику, куратору, руководителю и методисту организации; чтение записывается в журнал доступа.
    """
    return _plan(plan_id)


def _writer(actor: Actor, plan_id: int, **_kwargs: Any) -> None:
    permissions.require_writer(get_db(), actor, plan_id)


def _mentor(actor: Actor, plan_id: int, **_kwargs: Any) -> None:
    permissions.require_mentor(get_db(), actor, plan_id)


def _returner(actor: Actor, plan_id: int, **_kwargs: Any) -> None:
    permissions.require_returner(get_db(), actor, plan_id)


def _approver(actor: Actor, plan_id: int, **_kwargs: Any) -> None:
    permissions.require_approver(get_db(), actor, plan_id)


def _closer(actor: Actor, plan_id: int, **_kwargs: Any) -> None:
    permissions.require_closer(get_db(), actor, plan_id)


@bp.route(f"/<{ID}:plan_id>/items", methods=["POST"])
@permission(_writer)
@bp.arguments(IpprItemBodySchema)
@bp.response(201, IpprPlanSchema)
def add_item(body: dict, plan_id: int):
    """Внести пункт в раздел плана (педагог или наставник, черновик)

    Нет такого раздела, пустое поле, срок вне учебного года — 422 с названием раздела; план не черновик — 409.
    """
    items.add_item(get_db(), api_actor(), plan_id, _item(body))
    commit()
    return _plan(plan_id)


@bp.route(f"/<{ID}:plan_id>/items/<{ID}:item_id>", methods=["PUT"])
@permission(_writer)
@bp.arguments(IpprItemBodySchema)
@bp.response(200, IpprPlanSchema)
def change_item(body: dict, plan_id: int, item_id: int):
    """Изменить пункт плана (педагог или наставник, черновик)

    Пункта нет в плане — 404; проверки — как при внесении; план не черновик — 409 с названием пункта и раздела.
    """
    items.change_item(get_db(), api_actor(), plan_id, item_id, _item(body))
    commit()
    return _plan(plan_id)


@bp.route(f"/<{ID}:plan_id>/items/<{ID}:item_id>", methods=["DELETE"])
@permission(_writer)
@bp.response(200, IpprPlanSchema)
def remove_item(plan_id: int, item_id: int):
    """Удалить пункт плана (педагог или наставник, черновик)

    Пункта нет в плане — 404; план не черновик — 409.
    """
    items.remove_item(get_db(), api_actor(), plan_id, item_id)
    commit()
    return _plan(plan_id)


@bp.route(f"/<{ID}:plan_id>/items/<{ID}:item_id>/mark", methods=["POST"])
@permission(_writer)
@bp.arguments(IpprMarkBodySchema)
@bp.response(200, IpprPlanSchema)
def mark_item(body: dict, plan_id: int, item_id: int):
    """Отметить выполнение пункта с результатом (педагог или наставник, утверждённый план)

    Пустой результат — 422 с названием пункта и раздела; план не утверждён — 409.
    """
    items.mark_item(get_db(), api_actor(), plan_id, item_id, body["outcome"], body["result"])
    commit()
    return _plan(plan_id)


@bp.route(f"/<{ID}:plan_id>/agree", methods=["POST"])
@permission(_mentor)
@bp.response(200, IpprPlanSchema)
def agree(plan_id: int):
    """Согласовать план (наставник педагога)

    План без пунктов — 422; не черновик — 409.
    """
    states.agree(get_db(), api_actor(), plan_id)
    commit()
    return _plan(plan_id)


@bp.route(f"/<{ID}:plan_id>/approve", methods=["POST"])
@permission(_approver)
@bp.response(200, IpprPlanSchema)
def approve(plan_id: int):
    """Утвердить согласованный план (руководитель организации, 000 §4.3)

    Не согласован наставником или уже утверждён — 409.
    """
    states.approve(get_db(), api_actor(), plan_id)
    commit()
    return _plan(plan_id)


@bp.route(f"/<{ID}:plan_id>/return", methods=["POST"])
@permission(_returner)
@bp.arguments(IpprReturnBodySchema)
@bp.response(200, IpprPlanSchema)
def return_plan(body: dict, plan_id: int):
    """Вернуть согласованный план на доработку с причиной (наставник или руководитель)

    Пустая причина — 422; план не согласован — 409.
    """
    states.return_to_draft(get_db(), api_actor(), plan_id, body["note"])
    commit()
    return _plan(plan_id)


@bp.route(f"/<{ID}:plan_id>/close", methods=["POST"])
@permission(_closer)
@bp.arguments(IpprCloseBodySchema)
@bp.response(200, IpprPlanSchema)
def close(body: dict, plan_id: int):
    """Подвести итоги года (наставник или куратор, утверждённый план)

    Не отмечены пункты — 409 с их названиями и разделами; пустые итоги — 422.
    """
    states.close(get_db(), api_actor(), plan_id, body["conclusion"])
    commit()
    return _plan(plan_id)


@bp.route(f"/<{ID}:plan_id>/document.<any(pdf, docx):kind>")
@bp.doc(responses={"200": {"description": "план: PDF или DOCX",
                           "content": {m: {"schema": {"type": "string", "format": "binary"}}
                                       for m in DOCUMENT_MIMETYPES}}})
def document(plan_id: int, kind: str):
    """ИППР как документ (PDF или DOCX)

    Шапка, разделы с пунктами и их выполнением, отметки о согласовании и утверждении, итоги года.
    """
    made = pages.plan_file(get_db(), api_actor(), plan_id, kind)
    commit()  # the access log
    return download(made.data, made.file_name, made.mimetype)
