"""``/api/v1/programs``: the programs I may see, and one program's whole picture."""
from __future__ import annotations

from engine.services.mentorship import program_listing
from engine.services.mentorship import roadmap_events as events
from engine.services.mentorship.participant_views import require_role_in_program
from engine.services.people.actor import Role
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, page_of, permission
from web.api.schemas import MarkEventsSchema, ProgramDetailsSchema, ProgramSchema
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
    return page_of(pagination_parameters, lambda offset, limit: program_listing.programs_page(
        get_db(), api_actor(), offset, limit))


@bp.route("/<int(min=1, max=2147483647):program_id>")
@bp.response(200, ProgramDetailsSchema)
def show(program_id: int):
    """Программа: дорожная карта, справки, решения, приказы, история, состояние процесса

    Просмотр данных участников записывается в журнал доступа (152-ФЗ).
    """
    details = program_listing.program_details(get_db(), api_actor(), program_id)
    commit()  # the access log
    return details


def _participant(actor, program_id: int, **_kwargs) -> None:
    require_role_in_program(get_db(), actor, program_id, Role.MENTOR, Role.MENTEE)


@bp.route("/<int(min=1, max=2147483647):program_id>/events", methods=["POST"])
@permission(_participant)
@bp.arguments(MarkEventsSchema)
@bp.response(200, ProgramDetailsSchema)
def mark_events(body: dict, program_id: int):
    """Отметить мероприятия текущего этапа (наставник или наставляемый)

    Несколько мероприятий сразу: проведено ли, когда (``held_on``; не позже сегодняшнего дня и не раньше
    начала этапа) и комментарий. Ошибка в одной отметке — 422 с номером мероприятия, и ничего не
    сохраняется; пока отчёт об этапе на проверке — 409.
    """
    session, actor = get_db(), api_actor()
    events.mark_events(session, actor, program_id, [
        events.EventMark(mark["event_id"], mark["done"], mark["held_on"], comment=mark["comment"])
        for mark in body["marks"]])
    commit()
    details = program_listing.program_details(session, actor, program_id)
    commit()
    return details
