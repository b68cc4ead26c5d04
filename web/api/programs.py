"""``/api/v1/programs``: the programs I may see, and one program's whole picture."""
from __future__ import annotations

from engine.services.mentorship import program_views
from web.api.core import PAGINATION, api_actor, commit, make_blueprint
from web.api.schemas import ProgramDetailsSchema, ProgramSchema
from web.db import get_db

bp = make_blueprint("programs", "/programs", "Программы наставничества: список и карточка программы")


@bp.route("")
@bp.response(200, ProgramSchema(many=True))
@bp.paginate(**PAGINATION)
def index(pagination_parameters):
    """Программы, которые мне видны

    Сотрудники (куратор, руководитель, методист) видят программы своих организаций, наставник и
    наставляемый — свои.
    """
    rows = program_views.list_programs(get_db(), api_actor())
    pagination_parameters.item_count = len(rows)
    first = pagination_parameters.first_item
    return rows[first:first + pagination_parameters.page_size]


@bp.route("/<int(min=1, max=2147483647):program_id>")
@bp.response(200, ProgramDetailsSchema)
def show(program_id: int):
    """Программа: дорожная карта, справки, решения, приказы, история, состояние процесса

    Просмотр данных участников записывается в журнал доступа (152-ФЗ).
    """
    details = program_views.program_details(get_db(), api_actor(), program_id)
    commit()  # the access log
    return details
