"""``/api/v1/programs``: the programs I may see, and one program's whole picture."""
from __future__ import annotations

from engine.services.mentorship import program_documents, program_listing
from engine.services.mentorship import roadmap_events as events
from engine.services.mentorship.participant_views import require_role_in_program
from engine.services.people.actor import Role
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, page_of, permission
from web.api.schemas import MarkEventsSchema, ProgramDetailsSchema, ProgramSchema
from web.db import get_db
from web.downloads import download

bp = make_blueprint("programs", "/programs", "Программы наставничества: список и карточка программы")

ID = "int(min=1, max=2147483647)"
DOCUMENT = {mimetype: {"schema": {"type": "string", "format": "binary"}}
            for mimetype in program_documents.MIMETYPES.values()}


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


@bp.route(f"/<{ID}:program_id>/reports/<{ID}:report_id>.<any(pdf, docx):kind>")
@bp.doc(responses={"200": {"description": "справка по этапу: PDF или DOCX", "content": DOCUMENT}})
def stage_report_file(program_id: int, report_id: int, kind: str):
    """Отчёт об этапе как документ: «Информационная справка» (или форма, названная дорожной картой)

    PDF или DOCX: организация, наставник и наставляемые с должностями, этап и его период, мероприятия этапа с
    отметками, текст отчёта, рассмотрение куратором и строки подписей. Тем же, кому видна программа;
    черновик — только её участникам, с отметкой «ПРОЕКТ». Отчёт другой программы — 404.
    """
    made = program_documents.stage_report_file(get_db(), api_actor(), program_id, report_id, kind)
    commit()  # the access log
    return download(made.data, made.file_name, made.mimetype)


@bp.route(f"/<{ID}:program_id>/final-report.<any(pdf, docx):kind>")
@bp.doc(responses={"200": {"description": "итоговая справка: PDF или DOCX", "content": DOCUMENT}})
def final_report_file(program_id: int, kind: str):
    """Итоговая «Аналитическая справка» / «Аналитический отчет» программы

    Сводка программы: срок, этапы с датами и состоянием отчётов, основание завершения (003 §7.1), продление,
    отчёт последнего этапа. На последнем этапе — с отметкой «ПРОЕКТ», раньше — 409.
    """
    made = program_documents.final_report_file(get_db(), api_actor(), program_id, kind)
    commit()  # the access log
    return download(made.data, made.file_name, made.mimetype)
