"""``/api/v1/people``: people of my organizations — for staff (minimal fields, every read logged) and, for an
administrator, the people of the organizations they administer: create, change, move, deactivate, reactivate and a
one-time link to set the password (issue 12), through the same person fields contract as the pages."""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_smorest import abort

from engine.services.administration import account_links, people
from engine.services.people import directory
from engine.services.people.actor import Actor, require_admin
from web.api.core import PAGINATION, api_actor, commit, make_blueprint, page_of, permission
from web.api.schemas import ErrorSchema, PersonDetailsSchema
from web.api.schemas_people import (
    AccountLinkSchema,
    AdminPeopleQuerySchema,
    AdminPersonSchema,
    PersonCreateSchema,
    PersonRecordSchema,
    PersonUpdateSchema,
)
from web.db import get_db, keep_disclosures

bp = make_blueprint("people", "/people", "Люди организаций: для сотрудников (куратор, руководитель, методист) и "
                                         "администраторов")


def administrator(actor: Actor, **_kwargs: Any) -> None:
    """A ``permission`` check: the actor administers some organization (the service checks which)."""
    require_admin(get_db(), actor, None, action="управление людьми организаций")


def _refused(error: people.PersonDataRefused):
    """422 naming every refused field, as marshmallow names a body's fields: ``errors.json.fields.<name>``."""
    keep_disclosures(error)
    by_field: dict[str, list[str]] = {}
    for problem in error.problems:
        by_field.setdefault(str(getattr(problem, "field", "fields")), []).append(str(getattr(problem, "message",
                                                                                                problem)))
    abort(422, message=str(error), errors={"json": {"fields": by_field}})


@bp.route("")
@bp.arguments(AdminPeopleQuerySchema, location="query")
@bp.response(200, AdminPersonSchema(many=True))
@bp.paginate(**PAGINATION)
def index(query: dict, pagination_parameters):
    """Люди моих организаций

    Куратору, руководителю, методисту — ФИО, должность, место работы и роли людей их организаций.
    Администратору — люди организаций, которые он администрирует (его и подчинённых), с логином и
    контактами; фильтры `organization_id`, `state` (active, deactivated, all). Каждый показ
    записывается в журнал доступа (152-ФЗ).
    """
    found = page_of(pagination_parameters, lambda offset, limit: people.people_for(
        get_db(), api_actor(), search=query.get("q"), organization_id=query.get("organization_id"),
        state=query.get("state"), offset=offset, limit=limit))
    commit()  # the access log
    return found


@bp.route("", methods=["POST"])
@permission(administrator)
@bp.arguments(PersonCreateSchema)
@bp.response(201, PersonRecordSchema)
def create(body: dict):
    """Добавить человека (администратор)

    Место работы — организация, которую вы администрируете; поля — основные сведения и факты файлов
    правил её положения (`fields`), как в форме на странице. Пароля нет: выдайте ссылку
    (`POST /people/{id}/link`). Адрес почты уникален среди активных людей.
    """
    session = get_db()
    try:
        person = people.create(session, api_actor(), body["organization_id"], body["values"], text=False,
                               login=body.get("login"))
    except people.PersonDataRefused as error:
        session.rollback()
        _refused(error)
    result = people.record(session, person)
    commit()
    return result


@bp.route("/<int(min=1, max=2147483647):person_id>", endpoint="show")
class PersonItem(MethodView):
    """One rule for GET and PATCH of a person (two rules at one path would answer an out-of-range id with 405)."""

    @bp.response(200, PersonDetailsSchema)
    def get(self, person_id: int):
        """Человек: роли, сроки наставника, записи в базе наставляемых

        Только сотрудникам его организации; показ записывается в журнал доступа.
        """
        details = directory.person_details(get_db(), api_actor(), person_id)
        commit()
        return details

    @permission(administrator)
    @bp.arguments(PersonUpdateSchema)
    @bp.response(200, PersonRecordSchema)
    @bp.alt_response(409, schema=ErrorSchema, description="данные человека обезличены (152-ФЗ)")
    def patch(self, body: dict, person_id: int):
        """Изменить сведения о человеке или перевести его (администратор)

        Только переданные поля; каждое изменение записывается в историю (кто, когда, было → стало).
        `organization_id` — перевод в другую организацию, которую вы администрируете.
        """
        session, actor = get_db(), api_actor()
        try:
            people.edit(session, actor, person_id, body.get("values") or {}, text=False, partial=True)
            if body.get("organization_id"):
                people.move(session, actor, person_id, body["organization_id"])
        except people.PersonDataRefused as error:
            session.rollback()
            _refused(error)
        result = people.record(session, people.administered_person(session, actor, person_id, action="сведения"))
        commit()
        return result


def _access(person_id: int, act) -> dict:
    session, actor = get_db(), api_actor()
    try:
        person = act(session, actor, person_id)
    except people.PersonDataRefused as error:  # reactivation: the e-mail is another active person's now
        session.rollback()
        _refused(error)
    result = people.record(session, person)
    commit()
    return result


@bp.route("/<int(min=1, max=2147483647):person_id>/deactivate", methods=["POST"])
@permission(administrator)
@bp.response(200, PersonRecordSchema)
@bp.alt_response(409, schema=ErrorSchema, description="доступ уже закрыт, или это вы сами")
def deactivate(person_id: int):
    """Закрыть доступ человеку (администратор)

    Человек не удаляется: вход закрыт, сеансы и токены API завершены, ссылки для пароля отменены, в
    новые пары и назначения он не предлагается. Повторно — 409.
    """
    return _access(person_id, people.deactivate)


@bp.route("/<int(min=1, max=2147483647):person_id>/reactivate", methods=["POST"])
@permission(administrator)
@bp.response(200, PersonRecordSchema)
@bp.alt_response(409, schema=ErrorSchema, description="доступ и так открыт, или данные обезличены")
def reactivate(person_id: int):
    """Восстановить доступ (администратор)

    Адрес почты не должен быть занят другим активным человеком (иначе 422 с его именем).
    """
    return _access(person_id, people.reactivate)


@bp.route("/<int(min=1, max=2147483647):person_id>/link", methods=["POST"])
@permission(administrator)
@bp.response(201, AccountLinkSchema)
@bp.alt_response(409, schema=ErrorSchema, description="доступ человека закрыт: сначала восстановите")
def link(person_id: int):
    """Выдать одноразовую ссылку для пароля (администратор)

    Человеку без пароля — приглашение (7 дней); с паролем — сброс: текущий пароль перестаёт действовать
    сразу, сеансы завершаются, ссылка действует 24 часа. Более новая ссылка отменяет прежние. Если почта
    включена и у человека есть адрес, ссылка уходит ему письмом (``emailed_to`` — адрес, ``url`` — null);
    иначе ссылка возвращается ОДИН раз в ``url``: хранится только её SHA-256.
    """
    issued = account_links.issue_link(get_db(), api_actor(), person_id)
    commit()
    url = None if issued.emailed_to else url_for("account.link", token=issued.token, _external=True)
    return {"url": url, "emailed_to": issued.emailed_to, "purpose": issued.record.purpose,
            "expires_at": issued.record.expires_at.isoformat()}
