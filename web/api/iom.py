"""``/api/v1/iom``: the teacher's individual educational route (ИОМ, 002 §1.2, §4.2.2) — the routes a person sees, one
route with its seven steps and their sections, the step it waits for, recording that step (its teacher or tutor),
the yearly review (its tutor or the curator) (``engine.services.iom``: the same services as the pages «ИОМ»)."""
from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from engine.db.models import IomRoute
from engine.services.iom import pages, routes
from engine.services.iom.steps import AREAS, MAX_TEXT, StepSpec
from engine.services.people.actor import Actor
from web.api.core import api_actor, commit, make_blueprint, permission
from web.db import get_db

bp = make_blueprint("iom", "/iom", "Индивидуальные образовательные маршруты педагогов (ИОМ, 002 §4.2.2)")

ID = "int(min=1, max=2147483647)"


class RouteRowSchema(ma.Schema):
    id = fields.Integer()
    organization_id = fields.Integer()
    teacher_id = fields.Integer()
    teacher = fields.String()
    tutor_id = fields.Integer(allow_none=True)
    tutor = fields.String(allow_none=True)
    years = fields.Integer(metadata={"description": "4 или 5 лет (002 §1.2)"})
    starts_on = fields.Date()
    ends_on = fields.Date()
    step = fields.Integer(metadata={"description": "шаг, которого маршрут ждёт (8 — все семь записаны)"})
    finished = fields.Boolean()
    open_reviews = fields.List(fields.Integer(), metadata={"description": "годы открытых ежегодных пересмотров"})


class RouteListsSchema(ma.Schema):
    mine = fields.List(fields.Nested(RouteRowSchema), metadata={"description": "мои маршруты (я — педагог)"})
    tutored = fields.List(fields.Nested(RouteRowSchema), metadata={"description": "маршруты, где я тьютор"})
    organization = fields.List(fields.Nested(RouteRowSchema),
                               metadata={"description": "маршруты организаций, где я куратор, руководитель, методист"})


class StepFieldSchema(ma.Schema):
    id = fields.String()
    label = fields.String()
    required = fields.Boolean()


class StepSpecSchema(ma.Schema):
    number = fields.Integer()
    id = fields.String()
    title = fields.String()
    clause = fields.String()
    by_area = fields.Boolean(metadata={"description": "разделы — области из areas (хотя бы одна)"})
    fields_ = fields.List(fields.Nested(StepFieldSchema), data_key="fields")


class SectionSchema(ma.Schema):
    label = fields.String()
    text = fields.String()


class RecordedStepSchema(StepSpecSchema):
    sections = fields.List(fields.Nested(SectionSchema))
    body = fields.Dict(keys=fields.String(), values=fields.String())
    done_by = fields.String(allow_none=True)
    done_on = fields.Date()


class ReviewSchema(ma.Schema):
    year = fields.Integer()
    due_on = fields.Date()
    opened_on = fields.Date()
    done_on = fields.Date(allow_none=True)
    conclusion = fields.String(allow_none=True)
    corrections = fields.String(allow_none=True)


class AttachedProgramSchema(ma.Schema):
    program_id = fields.Integer()
    attached_on = fields.Date()
    note = fields.String(allow_none=True)


class RouteSchema(RouteRowSchema):
    tutor_label = fields.String(metadata={"description": "как положение называет тьютора"})
    steps = fields.List(fields.Nested(RecordedStepSchema), metadata={"description": "записанные шаги"})
    waiting = fields.Nested(StepSpecSchema, allow_none=True, metadata={"description": "шаг, которого ждёт маршрут"})
    areas = fields.Dict(keys=fields.String(), values=fields.String(),
                        metadata={"description": "области диагностики шагов 2 и 3"})
    may_write = fields.Boolean()
    may_review = fields.Boolean()
    reviews = fields.List(fields.Nested(ReviewSchema))
    programs = fields.List(fields.Nested(AttachedProgramSchema))


class StepBodySchema(ma.Schema):
    body = fields.Dict(keys=fields.String(validate=validate.Length(max=50)),
                       values=fields.String(validate=validate.Length(max=MAX_TEXT)), required=True,
                       metadata={"description": "разделы шага: id поля (или области для шагов 2 и 3) → текст"})


class ReviewBodySchema(ma.Schema):
    conclusion = fields.String(required=True, validate=validate.Length(max=routes.MAX_REVIEW_TEXT),
                               metadata={"description": "вывод о ходе маршрута за год"})
    corrections = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(max=routes.MAX_REVIEW_TEXT),
                                metadata={"description": "корректировки дорожной карты маршрута (002 §4.2.2 (6))"})


def _row(route: IomRoute) -> dict[str, Any]:
    return {"id": route.id, "organization_id": route.organization_id, "teacher_id": route.teacher_id,
            "teacher": route.teacher.full_name, "tutor_id": route.tutor_id,
            "tutor": route.tutor.full_name if route.tutor else None, "years": route.years,
            "starts_on": route.starts_on, "ends_on": route.ends_on, "step": route.step, "finished": route.finished,
            "open_reviews": [r.year for r in route.reviews if r.done_on is None]}


def _spec(step: StepSpec) -> dict[str, Any]:
    return {"number": step.number, "id": step.id, "title": step.title, "clause": step.clause, "by_area": step.by_area,
            "fields_": [{"id": f.id, "label": f.label, "required": f.required} for f in step.fields]}


def _route(route_id: int) -> dict[str, Any]:
    page = pages.route_page(get_db(), api_actor(), route_id)
    commit()  # the access log (152-ФЗ)
    bodies = {row.step: row.body for row in page.route.steps}
    return {**_row(page.route), "tutor_label": page.tutor_label,
            "steps": [{**_spec(view.spec), "sections": [{"label": label, "text": text} for label, text in view.sections],
                       "body": bodies.get(view.spec.number, {}), "done_by": view.done_by, "done_on": view.done_on}
                      for view in page.steps],
            "waiting": _spec(page.waiting) if page.waiting else None, "areas": dict(AREAS),
            "may_write": page.may_write, "may_review": page.may_review,
            "reviews": [{"year": r.year, "due_on": r.due_on, "opened_on": r.opened_on, "done_on": r.done_on,
                         "conclusion": r.conclusion, "corrections": r.corrections} for r in page.route.reviews],
            "programs": [{"program_id": p.program_id, "attached_on": p.attached_on, "note": p.note}
                         for p in page.programs]}


@bp.route("")
@bp.response(200, RouteListsSchema)
def route_list():
    """Маршруты, которые мне видны

    Мои как педагога, те, где я тьютор, и маршруты организаций, где я куратор, руководитель или методист.
    """
    lists = routes.route_lists(get_db(), api_actor())
    return {"mine": [_row(r) for r in lists.mine], "tutored": [_row(r) for r in lists.tutored],
            "organization": [_row(r) for r in lists.organization]}


@bp.route(f"/<{ID}:route_id>")
@bp.response(200, RouteSchema)
def route_show(route_id: int):
    """Маршрут: записанные шаги с разделами, шаг, которого он ждёт, ежегодные пересмотры, программы

    Педагогу, его тьютору, куратору, руководителю и методисту организации; чтение записывается в журнал доступа.
    """
    return _route(route_id)


def _writer(actor: Actor, route_id: int, **_kwargs: Any) -> None:
    routes.require_writer(get_db(), actor, route_id)


def _reviewer(actor: Actor, route_id: int, **_kwargs: Any) -> None:
    routes.require_reviewer(get_db(), actor, route_id)


@bp.route(f"/<{ID}:route_id>/steps/<{ID}:number>", methods=["POST"])
@permission(_writer)
@bp.arguments(StepBodySchema)
@bp.response(200, RouteSchema)
def record_step(body: dict, route_id: int, number: int):
    """Записать шаг маршрута (педагог или его тьютор)

    Только шаг, которого маршрут ждёт (002 §4.2.2 — по порядку): следующий — 422, уже записанный — 409.
    Обязательное поле шага пустое — 422 с его названием.
    """
    routes.record_step(get_db(), api_actor(), route_id, number, body["body"])
    commit()
    return _route(route_id)


@bp.route(f"/<{ID}:route_id>/reviews/<{ID}:year>", methods=["POST"])
@permission(_reviewer)
@bp.arguments(ReviewBodySchema)
@bp.response(200, RouteSchema)
def close_review(body: dict, route_id: int, year: int):
    """Провести ежегодный пересмотр маршрута (тьютор или куратор)

    Пересмотр открывает система в годовщину маршрута; не открыт — 404, уже проведён — 409.
    """
    routes.close_review(get_db(), api_actor(), route_id, year, conclusion=body["conclusion"],
                        corrections=body["corrections"])
    commit()
    return _route(route_id)
