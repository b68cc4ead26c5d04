"""The curator edits her registries (003 §3.3): enter a person in the base of mentees (the category decided by
the rules and explained criterion by criterion, or named by her where the regulation asks it), propose a mentor
candidate (the appointment process starts; the head signs the order), correct a person's rule facts and see the
decisions re-evaluated, the old one beside the new."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.curation import fact_corrections, registries, registry_edits
from engine.services.curation.inbox import roadmap_options
from engine.services.curation.registries import Page
from engine.services.curation.registry_edits import EditScope
from engine.services.mentorship.mentee_registry import MenteeRefused
from engine.services.people import person_fields
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.converters import id_arg, page_arg
from web.db import get_db, keep_disclosures
from web.errors import place_error, status_for

bp = Blueprint("registry_edits", __name__, url_prefix="/registries")

PAGE_SIZE = 20
RAISED = (ConflictError, NotFound, PermissionDenied)  # not about what was typed: the error page
PROPOSAL_STATES = {
    "awaiting_order": _l("Кандидат соответствует требованиям: проект приказа о назначении ждёт подписи руководителя."),
    "needs_data": _l("Для решения не хватает сведений: шаг «Предложить кандидата в наставники» вернулся во входящие "
                     "куратора — исправьте сведения и отправьте его снова."),
    "not_eligible": _l("Кандидат не соответствует требованиям: процесс назначения завершён, приказ не готовится."),
    "appointed": _l("Наставник назначен приказом руководителя."),
    "ended": _l("Процесс назначения завершён."),
}
KIND_TITLES = {"mentee": _l("Категория наставляемого"), "mentor": _l("Требования к наставнику (назначен приказом)"),
               "candidate": _l("Требования к кандидату в наставники")}


def _person_required(form, field) -> None:
    if not field.data:
        raise ValidationError(_l("Выберите человека из списка."))


class AddMenteeForm(FlaskForm):
    organization_id = SelectField(_l("Организация"), coerce=int, validate_choice=False)
    person_id = RadioField(_l("Кого внести"), coerce=int, validate_choice=False, validators=[_person_required])
    category = SelectField(_l("Категория наставляемого"), validate_choice=False, default="")
    submit = SubmitField(_l("Внести в базу наставляемых"))

    def validate_category(self, field) -> None:
        offered = {choice.value for choice in field.choices or []} - {""}
        if offered and field.data not in offered:
            raise ValidationError(_l("Выберите категорию из списка."))


class ProposeMentorForm(FlaskForm):
    organization_id = SelectField(_l("Организация"), coerce=int, validate_choice=False)
    person_id = RadioField(_l("Кого предложить"), coerce=int, validate_choice=False, validators=[_person_required])
    direction = StringField(_l("Направление профессиональной деятельности (004 II.2)"))
    submit = SubmitField(_l("Предложить кандидата и запустить назначение"))


class FactsForm(FlaskForm):
    """CSRF only: the fields are the rule files' facts, drawn by the template from ``fact_corrections.fact_form``."""

    submit = SubmitField(_l("Сохранить и пересчитать решения"))


def _query() -> str:
    return (request.values.get("q") or "").strip()[:200]


def _scope(form) -> EditScope:
    """The organization chosen on the form (or in ?organization_id=), the curator's first by default."""
    db, actor = get_db(), require_actor()
    organizations = registry_edits.curator_organizations(db, actor)
    form.organization_id.choices = [SelectChoice(o.id, o.short_name or o.name) for o in organizations]
    wanted = form.organization_id.data if request.method == "POST" else id_arg("organization_id")
    scope = registry_edits.edit_scope(db, actor, wanted or organizations[0].id)
    form.organization_id.data = scope.organization.id
    return scope


def _candidates(search, scope: EditScope, form) -> Page:
    found = search(get_db(), require_actor(), scope.organization.id, query=_query(), page=page_arg(), size=PAGE_SIZE)
    form.person_id.choices = [SelectChoice(p.id, p.full_name) for p in found.rows]
    return found


def _mentee_page(form: AddMenteeForm, scope: EditScope, *, status: int = 200, error: str | None = None,
                 refused: MenteeRefused | None = None):
    found = None if scope.network else _candidates(registry_edits.mentee_candidates, scope, form)
    get_db().commit()  # the access log of the people listed
    return render_template("registry_edits/new_mentee.html", form=form, scope=scope, found=found, query=_query(),
                           error=error, refused=refused, kept=_kept(scope)), status


def _kept(scope: EditScope) -> dict:
    kept: dict[str, object] = {"organization_id": scope.organization.id}
    if _query():
        kept["q"] = _query()
    return kept


@bp.route("/mentees/new", methods=["GET", "POST"])
@require_role(Role.CURATOR)
def new_mentee():
    form = AddMenteeForm()
    scope = _scope(form)
    form.category.choices = [] if scope.decides_category else (
        [SelectChoice("", "—")] + [SelectChoice(c.id, f"{c.label} ({c.clause})") for c in scope.categories])
    if not form.is_submitted():
        return _mentee_page(form, scope)
    if not form.validate():
        return _mentee_page(form, scope, status=422)
    db, actor = get_db(), require_actor()
    try:
        entry = registry_edits.add_mentee(db, actor, scope.organization.id, form.person_id.data,
                                          category=form.category.data or None)
        db.commit()
    except RAISED:
        raise
    except MenteeRefused as refused:
        db.rollback()
        keep_disclosures(refused)
        return _mentee_page(form, scope, status=status_for(refused), refused=refused)
    except NastavnikError as error:
        db.rollback()
        keep_disclosures(error)
        return _mentee_page(form, scope, status=status_for(error), error=place_error(form, error))
    flash(_("%(name)s — в базе наставляемых: %(category)s.", name=entry.person.full_name,
            category=registries.category_labels().get(entry.category, entry.category)), "success")
    return redirect(url_for("registries.person", person_id=entry.person_id, _anchor=f"mentee-{entry.id}"))


def _mentor_page(form: ProposeMentorForm, scope: EditScope, *, status: int = 200, error: str | None = None):
    found = _candidates(registry_edits.mentor_candidates, scope, form)
    get_db().commit()
    return render_template("registry_edits/new_mentor.html", form=form, scope=scope, found=found, query=_query(),
                           error=error, kept=_kept(scope)), status


@bp.route("/mentors/new", methods=["GET", "POST"])
@require_role(Role.CURATOR)
def new_mentor():
    form = ProposeMentorForm()
    scope = _scope(form)
    if not form.is_submitted():
        return _mentor_page(form, scope)
    if not form.validate():
        return _mentor_page(form, scope, status=422)
    db, actor = get_db(), require_actor()
    try:
        instance = registry_edits.propose_candidate(db, actor, scope.organization.id, form.person_id.data,
                                                    direction=form.direction.data)
        db.commit()
    except RAISED:
        raise
    except NastavnikError as error:
        db.rollback()
        keep_disclosures(error)
        return _mentor_page(form, scope, status=status_for(error), error=place_error(form, error))
    flash(_("Процесс назначения наставника №%(n)s запущен.", n=instance.id), "success")
    return redirect(url_for("registry_edits.mentor_proposal", instance_id=instance.id))


@bp.route("/mentors/proposals/<int:instance_id>")
@require_role(Role.CURATOR)
def mentor_proposal(instance_id: int):
    db = get_db()
    outcome = registry_edits.proposal(db, require_actor(), instance_id)
    db.commit()
    return render_template("registry_edits/proposal.html", outcome=outcome, states=PROPOSAL_STATES)


@bp.route("/people/<int:person_id>/facts", methods=["GET", "POST"])
@require_role(Role.CURATOR)
def facts(person_id: int):
    db, actor = get_db(), require_actor()
    form = FactsForm()
    fact_form = fact_corrections.fact_form(db, actor, person_id)
    sent = {item.name: request.form[item.name] for item in fact_form.fields if item.name in request.form}
    if not form.is_submitted():
        db.commit()
        return _facts_page(form, fact_form)
    if not form.validate():
        return _facts_page(form, fact_form, sent=sent, status=400)
    try:
        correction = fact_corrections.correct_facts(db, actor, person_id, sent)
        db.commit()
    except RAISED:
        raise
    except fact_corrections.FactProblems as refused:
        db.rollback()
        fact_form = fact_corrections.fact_form(db, actor, person_id)
        db.commit()
        return _facts_page(form, fact_form, sent=sent, problems=fact_corrections.problems_by_field(refused),
                           status=status_for(refused))
    return render_template("registry_edits/facts_result.html", correction=correction, kinds=KIND_TITLES,
                           categories=registries.category_labels(), roadmap_titles=dict(roadmap_options()))


def _facts_page(form: FactsForm, fact_form: fact_corrections.FactForm, *, sent: dict | None = None,
                problems: dict | None = None, status: int = 200):
    shown = {item.name: person_fields.form_text(item, fact_form.values.get(item.name)) for item in fact_form.fields}
    shown.update(sent or {})
    return render_template("registry_edits/facts.html", form=form, fact_form=fact_form, shown=shown,
                           problems=problems or {}), status
