"""The administrator's people (issue 12): the list of the administered organizations' people with search and
filters, a new person's form and a person's card with the edit form — fields generated from the organization's
person fields (the base data and its rule files' facts: a new fact in a rule file appears here without code) —
deactivation, reactivation and a one-time link to set the password, shown to the administrator once."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.administration import account_links, people
from engine.services.administration.person_card import PersonCard, field_values, person_card
from engine.services.people.person_fields import PersonField
from web.access import require_actor
from web.converters import id_arg, page_arg
from web.db import get_db, keep_disclosures
from web.errors import status_for

bp = Blueprint("admin_people", __name__, url_prefix="/admin/people")

PAGE_SIZE = 25
RAISED = (NotFound, PermissionDenied)  # not about what was typed: the error page


class ActionForm(FlaskForm):
    """The CSRF token of the generated person forms and of the card's buttons."""


def _raw(fields: tuple[PersonField, ...]) -> dict[str, str]:
    """What the generated form sent, one text per field (``parse_values(text=True)``)."""
    return {item.name: request.form.get(item.name, "") for item in fields}


def _errors(error: NastavnikError) -> tuple[dict[str, list[str]], str | None]:
    """Messages by field (shown next to each field) and the one to show above the form, if it names none."""
    problems = getattr(error, "problems", None)
    if isinstance(error, people.PersonDataRefused) and problems:
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem.message)
        return by_field, None
    if error.where in ("login", "organization_id", "email", "full_name"):
        return {str(error.where): [error.message]}, None
    return {}, error.message


@bp.route("")
@login_required
def index():
    db, actor = get_db(), require_actor()
    organizations = people.administered_list(db, actor)
    query = (request.args.get("q") or "").strip()[:200]
    organization_id = id_arg("organization_id")
    if organization_id not in {o.id for o in organizations}:
        organization_id = None
    state = request.args.get("state") if request.args.get("state") in people.STATES else "active"
    page = page_arg()
    found = people.list_people(db, actor, search=query, organization_id=organization_id, state=state,
                               offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    db.commit()  # the access log (152-ФЗ)
    pages = max((found.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    kept = {k: v for k, v in (("q", query), ("organization_id", organization_id), ("state", state)) if v}
    return render_template("admin_people/index.html", found=found, organizations=organizations, query=query,
                           organization_id=organization_id, state=state, page=min(page, pages),
                           pages=pages, kept=kept)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    db, actor = get_db(), require_actor()
    organizations = people.administered_list(db, actor)
    wanted = id_arg("organization_id") or (request.form.get("organization_id", type=int) if request.form else None)
    organization = next((o for o in organizations if o.id == wanted), organizations[0])
    fields = people.fields_for(db, actor, organization.id)
    form = ActionForm()
    errors: dict[str, list[str]] = {}
    error, status = None, 200
    sent = {"login": ""}
    if form.is_submitted():
        sent = {**_raw(fields), "login": request.form.get("login", "")}
        if not form.validate():
            error, status = _("Форма устарела: обновите страницу и отправьте её ещё раз."), 400
        else:
            try:
                person = people.create(db, actor, organization.id, _raw(fields), text=True,
                                       login=sent["login"].strip() or None)
                db.commit()
            except RAISED:
                raise
            except NastavnikError as refused:
                db.rollback()
                keep_disclosures(refused)
                (errors, error), status = _errors(refused), status_for(refused)
            else:
                flash(_("%(name)s добавлен(а) с логином «%(login)s». Выдайте ссылку-приглашение, чтобы задать пароль.",
                        name=person.full_name, login=person.login), "success")
                return redirect(url_for("admin_people.show", person_id=person.id))
    values = field_values(None, fields)
    return render_template("admin_people/new.html", form=form, organizations=organizations, organization=organization,
                           values=values, sent=sent if form.is_submitted() else None, errors=errors,
                           error=error), status


def _render_card(card: PersonCard, form: ActionForm, *, errors=None, error=None, sent=None, status: int = 200):
    return render_template("admin_people/show.html", card=card, form=form, errors=errors or {}, error=error,
                           sent=sent), status


@bp.route("/<int:person_id>", methods=["GET", "POST"])
@login_required
def show(person_id: int):
    db, actor = get_db(), require_actor()
    card = person_card(db, actor, person_id)
    db.commit()  # the access log (152-ФЗ)
    form = ActionForm()
    if not form.is_submitted():
        return _render_card(card, form)
    fields = tuple(v.field for v in card.values)
    sent = {**_raw(fields), "organization_id": request.form.get("organization_id", "")}
    if not form.validate():
        return _render_card(card, form, error=_("Форма устарела: обновите страницу и отправьте её ещё раз."),
                            sent=sent, status=400)
    try:
        changes = people.edit(db, actor, person_id, _raw(fields), text=True)
        moved = False
        target = request.form.get("organization_id", type=int)
        if target and target != card.person.organization_id:
            moved = people.move(db, actor, person_id, target)
        db.commit()
    except RAISED:
        raise
    except NastavnikError as refused:
        db.rollback()
        keep_disclosures(refused)
        errors, error = _errors(refused)
        card = person_card(db, actor, person_id)
        db.commit()
        return _render_card(card, form, errors=errors, error=error, sent=sent, status=status_for(refused))
    if changes or moved:
        flash(_("Сведения сохранены: изменено полей — %(n)s.", n=len(changes) + int(moved)), "success")
    else:
        flash(_("Ничего не изменилось."), "info")
    return redirect(url_for("admin_people.show", person_id=person_id))


def _action(person_id: int, act, done: str):
    db, actor = get_db(), require_actor()
    people.administered_person(db, actor, person_id, action="изменение доступа")  # 403 before the form is read
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Форма устарела: обновите страницу и отправьте её ещё раз."), "error")
        return redirect(url_for("admin_people.show", person_id=person_id)), 303
    person = act(db, actor, person_id)
    db.commit()
    flash(done % {"name": person.full_name}, "success")
    return redirect(url_for("admin_people.show", person_id=person_id))


@bp.route("/<int:person_id>/deactivate", methods=["POST"])
@login_required
def deactivate(person_id: int):
    return _action(person_id, people.deactivate,
                   _("%(name)s: доступ закрыт. Сеансы и токены API завершены; в новые пары не предлагается."))


@bp.route("/<int:person_id>/reactivate", methods=["POST"])
@login_required
def reactivate(person_id: int):
    return _action(person_id, people.reactivate, _("%(name)s: доступ восстановлен."))


@bp.route("/<int:person_id>/link", methods=["POST"])
@login_required
def link(person_id: int):
    """Issue an invitation or a reset: e-mailed to the person (the page says where), or, with e-mail off or no
    address, shown ONCE (it is not stored, only its SHA-256)."""
    db, actor = get_db(), require_actor()
    person = people.administered_person(db, actor, person_id, action="выдача ссылки для входа")
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Форма устарела: обновите страницу и отправьте её ещё раз."), "error")
        return redirect(url_for("admin_people.show", person_id=person_id)), 303
    issued = account_links.issue_link(db, actor, person_id)
    db.commit()
    url = None if issued.emailed_to else url_for("account.link", token=issued.token, _external=True)
    return render_template("admin_people/link.html", person=person, issued=issued, url=url), 200, {
        "Cache-Control": "no-store"}


@bp.app_template_filter("plain_number")
def plain_number(value: float | int | None) -> str:
    """A rule file's limit as an input's attribute and people read it: 70, not 70.0."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
