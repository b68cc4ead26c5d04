"""The administrator's pages (issue 12): ``/admin`` — the tree of the organizations they administer, with the way
to people and the staff import; an organization's page with its details and document settings (edited here,
audited old → new) and a preview of an order's heading; a new subordinate organization; the roles of an
organization (``admin_roles``). Every check is the service's (``engine.services.administration``)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.administration import organizations, roles
from engine.services.administration.organization_details import TIME_ZONE_LABELS, OrganizationDataError
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.db import get_db
from web.errors import status_for
from web.forms_admin import (
    GrantRoleForm,
    NewOrganizationForm,
    OrganizationForm,
    RevokeRoleForm,
    choices,
    form_field,
    organization_form,
    time_zone_label,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

RAISED = (ConflictError, NotFound, PermissionDenied)  # not about what was typed: the error page
# the other administrator's areas, linked from the home page when they are there (built apart)
AREAS = (("admin_people.index", _l("Люди")), ("admin_import.index", _l("Загрузка списка сотрудников")),
         ("personal_data.index", _l("Персональные данные")))


def place_problems(form: OrganizationForm, error: NastavnikError) -> list[str]:
    """Each problem under the field it names; the rest for above the form."""
    problems = getattr(error, "problems", None) or [error]
    left = []
    for problem in problems:
        name = form_field(getattr(problem, "field", None) or getattr(problem, "where", None) or "")
        message = getattr(problem, "message", str(problem))
        if name and name in form:
            form[name].errors = [*form[name].errors, message] if isinstance(form[name].errors, list) else [message]
        else:
            left.append(str(problem))
    return left


def _zones(form: OrganizationForm, default_zone: str) -> None:
    default = _("как в положении: %(zone)s", zone=time_zone_label(default_zone))
    zones = [("", default), *TIME_ZONE_LABELS.items()]
    if form.time_zone.data and form.time_zone.data not in TIME_ZONE_LABELS:
        zones.append((form.time_zone.data, form.time_zone.data))
    form.time_zone.choices = choices(zones)


@bp.app_context_processor
def _zone_label() -> dict[str, Any]:
    return {"time_zone_label": time_zone_label}


@bp.route("")
@require_role(Role.ADMIN)
def index():
    tree = organizations.administered_tree(get_db(), require_actor())
    available = current_app.view_functions
    areas = [(url_for(endpoint), label) for endpoint, label in AREAS if endpoint in available]
    return render_template("admin/index.html", tree=tree, areas=areas)


@bp.route("/organizations/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def new_organization():
    actor, db = require_actor(), get_db()
    tree = organizations.administered_tree(db, actor)
    form = NewOrganizationForm()
    form.parent_id.choices = choices([(row.id, "· " * row.depth + (row.organization.short_name or row.organization.name))
                                      for row in tree])
    asked = request.args.get("parent", type=int)
    parent_id = form.parent_id.data if form.is_submitted() else (asked if asked in {r.id for r in tree} else tree[0].id)
    parent = organizations.view_organization(db, actor, parent_id) if parent_id in {r.id for r in tree} else None
    if not form.is_submitted():
        form.parent_id.data, form.document_kind.data = parent_id, "ПРИКАЗ"
    form.kind.choices = choices(parent.kind_choices if parent else [])
    _zones(form, parent.pack_time_zone if parent else "")
    errors, status = [], 200
    if form.validate_on_submit() and parent is not None:
        try:
            created = organizations.create_organization(db, actor, parent.organization.id, form.details())
            db.commit()
        except RAISED:
            raise
        except NastavnikError as failure:
            db.rollback()
            errors, status = place_problems(form, failure), status_for(failure)
        else:
            flash(_("Организация «%(name)s» создана.", name=created.name), "success")
            return redirect(url_for("admin.organization", organization_id=created.id))
    elif form.is_submitted():
        status = 422
    return render_template("admin/new.html", form=form, parent=parent, errors=errors), status


@bp.route("/organizations/<int:organization_id>", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def organization(organization_id: int):
    actor, db = require_actor(), get_db()
    view = organizations.view_organization(db, actor, organization_id)
    form = organization_form(view.calendar_days)
    if not form.is_submitted():
        form.fill(view.organization)
    form.kind.choices = choices(view.kind_choices)
    _zones(form, view.pack_time_zone)
    errors, status = [], 200
    if form.validate_on_submit():
        try:
            changes = organizations.update_organization(db, actor, organization_id, form.details())
            db.commit()
        except RAISED:
            raise
        except OrganizationDataError as failure:
            db.rollback()
            errors, status = place_problems(form, failure), status_for(failure)
        else:
            flash(_("Изменения сохранены: %(fields)s.", fields=", ".join(c["label"] for c in changes))
                  if changes else _("Изменений нет."), "success")
            return redirect(url_for("admin.organization", organization_id=organization_id))
        view = organizations.view_organization(db, actor, organization_id)
    elif form.is_submitted():
        status = 422
    changes = organizations.organization_history(db, actor, organization_id)
    return render_template("admin/organization.html", view=view, form=form, errors=errors, changes=changes), status



# -- roles -------------------------------------------------------------------------------------------

def _roles_page(organization_id: int, form: GrantRoleForm, errors: list[str], status: int = 200):
    actor, db = require_actor(), get_db()
    view = organizations.view_organization(db, actor, organization_id)
    groups = roles.role_holders(db, actor, organization_id)
    people = roles.candidates(db, actor, organization_id)
    db.commit()  # the access log (152-ФЗ)
    form.person_id.choices = choices([(0, _("— выберите человека —"))] + [
        (p.person_id, f"{p.full_name} — {p.position or _('должность не указана')}, {p.organization}") for p in people])
    form.role.choices = choices([("", _("— выберите роль —"))] + [(g.role, g.label) for g in groups])
    return render_template("admin/roles.html", view=view, groups=groups, form=form, revoke_form=RevokeRoleForm(),
                           errors=errors), status


@bp.route("/organizations/<int:organization_id>/roles", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def roles_page(organization_id: int):
    actor, db = require_actor(), get_db()
    organizations.view_organization(db, actor, organization_id)  # the permission, before the form is read
    form = GrantRoleForm()
    form.person_id.choices, form.role.choices = [], []
    errors, status = [], 200
    if form.validate_on_submit():
        try:
            assignment = roles.grant(db, actor, organization_id, form.person_id.data, form.role.data)
            label = roles.role_labels(db, organization_id)[assignment.role]
            name = assignment.person.full_name
            db.commit()
        except (NotFound, PermissionDenied):
            raise
        except NastavnikError as failure:
            db.rollback()
            errors, status = [str(failure.message)], status_for(failure)
        else:
            flash(_("%(name)s: назначена роль «%(role)s».", name=name, role=label), "success")
            return redirect(url_for("admin.roles_page", organization_id=organization_id))
    elif form.is_submitted():
        status = 422
    return _roles_page(organization_id, form, errors, status)


@bp.route("/organizations/<int:organization_id>/roles/<int:assignment_id>/revoke", methods=["POST"])
@require_role(Role.ADMIN)
def revoke_role(organization_id: int, assignment_id: int):
    actor, db = require_actor(), get_db()
    organizations.view_organization(db, actor, organization_id)
    form = RevokeRoleForm()
    if not form.validate_on_submit():
        return _roles_page(organization_id, GrantRoleForm(formdata=None), [_("Форма устарела: обновите страницу.")],
                           400)
    try:
        assignment = roles.revoke(db, actor, organization_id, assignment_id)
        label = roles.role_labels(db, organization_id).get(assignment.role, assignment.role)
        name = assignment.person.full_name
        db.commit()
    except (NotFound, PermissionDenied):
        raise
    except NastavnikError as failure:
        db.rollback()
        return _roles_page(organization_id, GrantRoleForm(formdata=None), [failure.message], status_for(failure))
    flash(_("%(name)s: роль «%(role)s» снята.", name=name, role=label), "success")
    return redirect(url_for("admin.roles_page", organization_id=organization_id))
