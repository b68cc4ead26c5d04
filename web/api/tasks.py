"""``/api/v1/tasks``: my open workflow tasks, and completing one with its form's data."""
from __future__ import annotations

from dataclasses import asdict

from flask_smorest import abort

from engine.forms import FormDataError
from engine.services.process import instances
from engine.services.tasks import completion, listing, task_form
from web.api.core import MESSAGES, PAGINATION, api_actor, commit, make_blueprint, page_bounds, permission, set_count
from web.api.schemas import CompleteTaskSchema, InstanceResultSchema, TaskFormSchema, TaskSchema
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
    task_form.my_open_task(get_db(), actor, instance_id, task_id)


TASK = "/<int(min=1, max=2147483647):instance_id>/<string(maxlength=64):task_id>"


@bp.route(TASK)
@permission(_my_open_task)
@bp.response(200, TaskFormSchema)
def show(instance_id: int, task_id: str):
    """Моя открытая задача и поля её формы

    Что отправить в ``data`` при выполнении задачи: поля формы (ключ, подпись по-русски, тип значения JSON,
    обязательность, варианты, ограничения) — из того же контракта, по которому сервер проверяет данные: форма
    системы (без полей, которые система заполняет по реестру), форма из конструктора (версия, закреплённая за
    процессом) или своя форма диаграммы (свойство fields задачи). Не моя задача — 403, выполненная — 409.
    """
    found = task_form.task_form(get_db(), api_actor(), instance_id, task_id)
    return {"task": found.task, "form_title": found.title,
            "form_fields": [{**asdict(item), "options": [{"value": v, "label": t} for v, t in item.options]}
                            for item in found.fields]}


def _refusal(error: FormDataError) -> str | None:
    """The 422 message naming a designed form's field by its Russian label (else the fields' lines)."""
    if error.label is None:
        return None
    return f"{MESSAGES[422]} {error.message[:1].upper()}{error.message[1:]} (data.{error.where})."


@bp.route(TASK + "/complete", methods=["POST"])
@permission(_my_open_task)
@bp.arguments(CompleteTaskSchema)
@bp.response(200, InstanceResultSchema)
def complete(body: dict, instance_id: int, task_id: str):
    """Выполнить задачу с данными формы

    ``data`` проверяется по форме задачи (её поля — ``GET /tasks/{instance_id}/{task_id}``; формы системы —
    также схемы Form* в components); лишние поля и
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
        abort(422, errors={"json": {"data": error.messages}}, message=_refusal(error))
    commit()
    return instance_result(session, instance_id)
