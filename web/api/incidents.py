"""``/api/v1/incidents``: background jobs that failed their last try, for the administrators and curators of their
organizations; «Повторить» and «Пропустить» as on the page (``engine.services.jobs.incidents``)."""
from __future__ import annotations

from dataclasses import asdict

from engine.services.jobs import incidents
from engine.services.pages import Slice
from engine.services.people.actor import Actor, Role
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, page_of, permission, require_any_role
from web.api.incident_schemas import IncidentSchema, IncidentsQuerySchema, SkipSchema
from web.db import get_db

bp = make_blueprint("incidents", "/incidents", "Инциденты фоновой работы: список, повтор, пропуск")
INCIDENT = "/<int(min=1, max=2147483647):job_id>"


def _may_act(actor: Actor, job_id: int) -> None:
    incidents.get_incident(get_db(), actor, job_id)  # 404 unknown, 403 not the actor's


@bp.route("")
@permission(require_any_role(Role.ADMIN, Role.CURATOR))
@bp.arguments(IncidentsQuerySchema, location="query")
@bp.response(200, IncidentSchema(many=True))
@bp.paginate(**PAGINATION)
def index(query: dict, pagination_parameters):
    """Открытые инциденты моих организаций

    Администратор видит инциденты организаций, которыми управляет, куратор — своих организаций и подчинённых
    им; новые первыми. ``program_id`` — только процессов этой программы.
    """
    def fetch(offset: int, limit: int) -> Slice:
        found = incidents.listing(get_db(), api_actor(), program_id=query.get("program_id"), offset=offset,
                                  limit=limit)
        return Slice(found.total, [asdict(item) for item in found.items])
    return page_of(pagination_parameters, fetch)


@bp.route(f"{INCIDENT}/retry", methods=["POST"])
@permission(_may_act)
@bp.response(200, IncidentSchema)
def retry(job_id: int):
    """Повторить: задание снова в очереди, попытки считаются заново

    Уже повторённое или пропущенное — 409.
    """
    incidents.retry(get_db(), api_actor(), job_id)
    commit()
    return asdict(incidents.get_incident(get_db(), api_actor(), job_id))


@bp.route(f"{INCIDENT}/skip", methods=["POST"])
@permission(_may_act)
@bp.arguments(SkipSchema)
@bp.response(200, IncidentSchema)
def skip(body: dict, job_id: int):
    """Пропустить с причиной: задание не выполняется и больше не ставится в очередь

    Причина записывается в журнал; уже повторённое или пропущенное — 409.
    """
    incidents.skip(get_db(), api_actor(), job_id, body["reason"])
    commit()
    return asdict(incidents.get_incident(get_db(), api_actor(), job_id))
