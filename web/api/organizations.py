"""``/api/v1/organizations``: the organizations an administrator manages (where they hold the administrator's
role and every one under it), creating and editing them, and their roles — the same services and checks as the
pages ``/admin`` (everyone else: 403)."""
from __future__ import annotations

from typing import Any

from flask.views import MethodView

from engine.services.administration import organizations, roles
from engine.services.people.actor import Actor, require_admin
from web.api.core import api_actor, commit, make_blueprint, permission
from web.api.organization_schemas import (
    AssignmentSchema,
    ChangedOrganizationSchema,
    GrantRoleSchema,
    NewOrganizationSchema,
    OrganizationDetailsSchema,
    OrganizationSchema,
    RoleHoldersSchema,
)
from web.db import get_db

bp = make_blueprint("organizations", "/organizations", "Организации и роли (для администратора)")

ORGANIZATION = "/<int(min=1, max=2147483647):organization_id>"
ASSIGNMENT = "/<int(min=1, max=2147483647):assignment_id>"


def any_administrator(actor: Actor, **_kwargs: Any) -> None:
    require_admin(get_db(), actor, None, action="управление организациями")


def administrator_of(actor: Actor, organization_id: int, **_kwargs: Any) -> None:
    require_admin(get_db(), actor, organization_id, action="управление организацией")


@bp.route("")
@permission(any_administrator)
@bp.response(200, OrganizationSchema(many=True))
def index():
    """Организации, которыми я управляю

    Та, где у меня роль администратора, и все подчинённые ей: деревом, вышестоящие перед подчинёнными.
    """
    return [organizations.organization_record(row.organization, row.depth)
            for row in organizations.administered_tree(get_db(), api_actor())]


@bp.route("", methods=["POST"])
@permission(any_administrator)
@bp.arguments(NewOrganizationSchema)
@bp.response(201, OrganizationSchema)
def create(body: dict):
    """Создать подчинённую организацию

    Под организацией, которой я управляю; положение — вышестоящей; вид — из допустимых положением; ИНН и ОГРН
    проверяются по контрольному числу, настройки документов — как их прочтут приказы (422 с полем).
    """
    parent_id = body.pop("parent_id")
    created = organizations.create_organization(get_db(), api_actor(), parent_id, body)
    commit()
    return organizations.organization_record(created)


@bp.route(ORGANIZATION, endpoint="organization")
class OrganizationResource(MethodView):
    @permission(administrator_of)
    @bp.response(200, OrganizationSchema)
    def get(self, organization_id: int):
        """Организация: реквизиты и настройки документов"""
        return organizations.organization_record(
            organizations.view_organization(get_db(), api_actor(), organization_id).organization)

    @permission(administrator_of)
    @bp.arguments(OrganizationDetailsSchema)
    @bp.response(200, ChangedOrganizationSchema)
    def patch(self, body: dict, organization_id: int):
        """Изменить организацию

        Меняются только переданные поля; каждое изменение записывается в журнал (было → стало). Положение
        организации привязывает методист, не администратор.
        """
        session = get_db()
        changes = organizations.update_organization(session, api_actor(), organization_id, body)
        commit()
        record = organizations.organization_record(
            organizations.view_organization(session, api_actor(), organization_id).organization)
        return {**record, "changes": changes}


@bp.route(f"{ORGANIZATION}/roles", endpoint="roles")
class RolesResource(MethodView):
    @permission(administrator_of)
    @bp.response(200, RoleHoldersSchema(many=True))
    def get(self, organization_id: int):
        """Роли организации: кто их сейчас исполняет

        Показ записывается в журнал доступа (152-ФЗ).
        """
        groups = roles.role_holders(get_db(), api_actor(), organization_id)
        commit()
        return [{"role": g.role, "label": g.label, "holders": [h.__dict__ for h in g.holders]} for g in groups]

    @permission(administrator_of)
    @bp.arguments(GrantRoleSchema)
    @bp.response(201, AssignmentSchema)
    def post(self, body: dict, organization_id: int):
        """Назначить роль

        Человеку, работающему в организациях, которыми я управляю; отключённому — нельзя (422); если роль уже
        есть — 409.
        """
        session = get_db()
        assignment = roles.grant(session, api_actor(), organization_id, body["person_id"], body["role"])
        commit()
        return roles.assignment_record(session, assignment)


@bp.route(f"{ORGANIZATION}/roles{ASSIGNMENT}/revoke", methods=["POST"])
@permission(administrator_of)
@bp.response(200, AssignmentSchema)
def revoke(organization_id: int, assignment_id: int):
    """Снять роль

    Запись назначения остаётся (неактивной, со временем снятия). Последнюю роль администратора головной
    организации снять нельзя (409): установкой некому было бы управлять.
    """
    session = get_db()
    assignment = roles.revoke(session, api_actor(), organization_id, assignment_id)
    commit()
    return roles.assignment_record(session, assignment)
