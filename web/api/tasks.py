"""``/api/v1/tasks``: my open workflow tasks, and completing one with its form's data."""
from __future__ import annotations

from flask_smorest import abort

from engine.errors import PermissionDenied
from engine.forms import FormDataError
from engine.services.process import instances
from engine.services.process.task_lookup import open_task
from engine.services.tasks import completion, listing
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, page_bounds, permission, set_count
from web.api.schemas import CompleteTaskSchema, InstanceResultSchema, TaskSchema
from web.db import get_db

bp = make_blueprint("tasks", "/tasks", "Задачи процессов: мои открытые задачи и их выполнение")


@bp.route("")
@bp.response(200, TaskSchema(many=True))
@bp.paginate(**PAGINATION)
def index(pagination_parameters):
    """Мои открытые задачи

    Задачи моих ролей в моих организациях (никому не назначенные) и назначенные мне.
    """
    offset, limit = page_bounds(pagination_parameters)
    found = listing.tasks_page(get_db(), api_actor(), offset, limit)
    set_count(pagination_parameters, found.total, found.more)
    return found.tasks


def instance_result(session, instance_id: int) -> dict:
    snap = instances.snapshot(session, instance_id)
    return {"instance_id": snap.instance_id, "status": snap.status, "version": snap.version,
            "ready_tasks": [{"task_id": t.task_id, "name": t.element_name, "role": t.role, "form": t.form}
                            for t in snap.ready_tasks]}


def _my_open_task(actor, instance_id: int, task_id: str) -> None:
    """404/409 for a task that is not open; 403 for one that is not among my tasks."""
    session = get_db()
    row = open_task(session, instance_id, task_id)
    if not any(t.id == row.id for t in instances.list_tasks(session, actor)):
        raise PermissionDenied(f"{actor.full_name or actor.login}: задача «{row.name}» не из ваших задач "
                               "(другая роль, организация или исполнитель)")


@bp.route("/<int(min=1, max=2147483647):instance_id>/<string(maxlength=64):task_id>/complete", methods=["POST"])
@permission(_my_open_task)
@bp.arguments(CompleteTaskSchema)
@bp.response(200, InstanceResultSchema)
def complete(body: dict, instance_id: int, task_id: str):
    """Выполнить задачу с данными формы

    ``data`` проверяется по форме задачи (формы и их поля — схемы Form* в components); лишние поля и
    неверные типы — 422 с именами полей. Поля, которые заполняет система по реестру (сведения для правил,
    ФИО), не принимаются — 422; номера людей (кандидат, наставник, наставляемые) должны быть теми, кого
    предлагает шаг, — иначе 422 с именем поля. Шаг выполняется так же, как на странице: согласие на участие —
    с согласием на обработку персональных данных (``personal_data: true``, 152-ФЗ), подпись — через реестр
    приказов. Задача, которую уже выполнил кто-то другой, — 409; версия процесса, отличная от
    ``expected_version``, — 409.
    """
    session, actor = get_db(), api_actor()  # the task is open and mine: checked by _my_open_task
    try:
        completion.complete_step(session, actor, instance_id, task_id, body["data"],
                                 expected_version=body["expected_version"])
    except FormDataError as error:  # the form's contract (engine.forms) refused a field
        abort(422, errors={"json": {"data": error.messages}})
    commit()
    return instance_result(session, instance_id)
