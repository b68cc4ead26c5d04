"""``/api/v1/people``: people of my organizations (staff only, minimal fields, every read logged)."""
from __future__ import annotations

from engine.services.people import directory
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, page_of
from web.api.schemas import PeopleQuerySchema, PersonDetailsSchema, PersonSchema
from web.db import get_db

bp = make_blueprint("people", "/people", "Люди организаций (для куратора, руководителя, методиста)")


@bp.route("")
@bp.arguments(PeopleQuerySchema, location="query")
@bp.response(200, PersonSchema(many=True))
@bp.paginate(**PAGINATION)
def index(query: dict, pagination_parameters):
    """Люди моих организаций

    Только куратору, руководителю, методисту; ФИО, должность, место работы и роли. Каждый показ
    записывается в журнал доступа (152-ФЗ).
    """
    people = page_of(pagination_parameters, lambda offset, limit: directory.list_people(
        get_db(), api_actor(), offset=offset, limit=limit, search=query.get("q")))
    commit()  # the access log
    return people


@bp.route("/<int(min=1, max=2147483647):person_id>")
@bp.response(200, PersonDetailsSchema)
def show(person_id: int):
    """Человек: роли, сроки наставника, записи в базе наставляемых

    Только сотрудникам его организации; показ записывается в журнал доступа.
    """
    details = directory.person_details(get_db(), api_actor(), person_id)
    commit()
    return details
