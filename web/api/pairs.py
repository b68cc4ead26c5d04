"""``/api/v1/pairs``: mentoring pairs and groups I may see; proposing a pair starts its workflow."""
from __future__ import annotations

from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import pair_views
from engine.services.people.actor import Role
from engine.services.process import instances
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, page_of, permission, require_any_role
from web.api.schemas import GroupSchema, ProposedPairSchema, ProposePairSchema
from web.db import get_db

bp = make_blueprint("pairs", "/pairs", "Наставнические пары (группы): список и формирование")


@bp.route("")
@bp.response(200, GroupSchema(many=True))
@bp.paginate(**PAGINATION)
def index(pagination_parameters):
    """Пары и группы, которые мне видны

    Сотрудникам — все пары их организаций, наставнику и наставляемому — свои; новые первыми.
    """
    return page_of(pagination_parameters, lambda offset, limit: pair_views.list_groups(
        get_db(), api_actor(), offset=offset, limit=limit))


@bp.route("", methods=["POST"])
@permission(require_any_role(Role.CURATOR))
@bp.arguments(ProposePairSchema)
@bp.response(201, ProposedPairSchema)
def propose(body: dict):
    """Предложить пару (группу): запускает процесс формирования (003 §6.2)

    Только куратор организации; наставник должен быть назначен приказом, наставляемые — в базе
    наставляемых. В ответе — решение о наставнике по критериям с пунктами положения (003 §3.5) и
    категории наставляемых (003 §3.6.1); дальше — согласия и приказ руководителя.
    """
    session = get_db()
    instance = mentorship.propose_pair(session, api_actor(), body["organization_id"], body["mentor_id"],
                                       body["mentee_ids"], form=body["form"])
    commit()
    snap = instances.snapshot(session, instance.id)
    data = snap.data
    return {"instance_id": snap.instance_id, "group_id": (instance.subject or {}).get("group_id"),
            "status": snap.status, "decision": data.get("decision"),
            "mentee_decisions": data.get("mentee_decisions") or [],
            "explanation": [str(line) for line in data.get("explanation") or []],
            "ready_tasks": [{"task_id": t.task_id, "name": t.element_name, "role": t.role, "form": t.form}
                            for t in snap.ready_tasks]}
