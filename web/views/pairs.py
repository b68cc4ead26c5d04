"""Proposing a pair (group): choose an appointed mentor and waiting mentees, check the rules first
(nothing is started), then start the pair-formation process and see its explanation criterion by
criterion (003 §3.5, §3.6.1, §6.2)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.curation import registries
from engine.services.curation.inbox import roadmap_options
from engine.services.mentorship import formation as mentorship
from engine.services.mentorship import pair_proposals
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.converters import id_arg
from web.db import get_db, keep_disclosures
from web.errors import place_error, status_for

bp = Blueprint("pairs", __name__, url_prefix="/pairs")


class ProposePairForm(FlaskForm):
    organization_id = SelectField(_l("Организация"), coerce=int, validate_choice=False)
    mentor_id = SelectField(_l("Наставник (назначен приказом, 003 §3.4)"), coerce=int, validate_choice=False)
    mentee_ids = SelectMultipleField(_l("Наставляемые из базы (003 §3.6.1)"), coerce=int, validate_choice=False,
                                     widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    form_of_mentorship = SelectField(_l("Форма наставничества (003 §2.4)"), validate_choice=False, default="")
    check = SubmitField(_l("Проверить требования"))
    propose = SubmitField(_l("Сформировать пару и запустить процесс"))

    def validate_mentor_id(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Выберите наставника."))

    def validate_mentee_ids(self, field) -> None:
        if self.propose.data and not field.data:
            raise ValidationError(_l("Выберите хотя бы одного наставляемого."))
        allowed = {choice.value for choice in self.mentee_ids.choices or []}
        if any(value not in allowed for value in field.data or []):
            raise ValidationError(_l("Наставляемый должен быть в базе и ещё не в программе."))


def _organization_choices() -> list[tuple[int, str]]:
    return [(o.id, o.short_name or o.name) for o in pair_proposals.curator_organizations(get_db(), require_actor())]


def _prepare(form: ProposePairForm, organizations: list[tuple[int, str]]) -> pair_proposals.ProposalOptions:
    form.organization_id.choices = [SelectChoice(value, label) for value, label in organizations]
    wanted = form.organization_id.data or id_arg("organization_id")
    if wanted not in {value for value, _label in organizations}:
        wanted = organizations[0][0]
    form.organization_id.data = wanted
    options = pair_proposals.proposal_options(get_db(), require_actor(), wanted)
    form.mentor_id.choices = [SelectChoice(0, "—")] + [SelectChoice(p.id, p.full_name) for p in options.mentors]
    asked = id_arg("mentor_id")
    if request.method == "GET" and asked:
        form.mentor_id.data = asked
    chosen = form.mentor_id.data
    if chosen and chosen not in {p.id for p in options.mentors}:  # a candidate from a person's card: check only
        person = pair_proposals.candidate_of_organization(get_db(), require_actor(), wanted, chosen)
        if person is not None:
            label = _("%(name)s (не назначен приказом)", name=person.full_name)
            form.mentor_id.choices.append(SelectChoice(person.id, label))
    form.mentee_ids.choices = [SelectChoice(m.person_id, m.person.full_name) for m in options.mentees]
    form.form_of_mentorship.choices = [SelectChoice("", _("По категории наставляемого (модель 003 §2.4)"))] + [
        SelectChoice(value, label) for value, label in options.forms]
    return options


def _render(form, options, *, check=None, status: int = 200, error: str | None = None):
    return render_template("pairs/new.html", form=form, options=options, check=check, error=error,
                           roadmap_titles=dict(roadmap_options()), categories=registries.category_labels()), status


@bp.route("/new", methods=["GET", "POST"])
@require_role(Role.CURATOR)
def new():
    organizations = _organization_choices()
    if not organizations:
        raise PermissionDenied(_("Формировать пары может только куратор."))
    form = ProposePairForm()
    options = _prepare(form, organizations)
    db, actor = get_db(), require_actor()
    check = None
    if request.method == "GET" and form.mentor_id.data:
        check = pair_proposals.check_pair(db, actor, form.organization_id.data, form.mentor_id.data, [])
        db.commit()
    if not form.is_submitted():
        return _render(form, options, check=check)
    if not form.validate():
        return _render(form, options, status=422)
    if form.check.data or not form.propose.data:
        check = pair_proposals.check_pair(db, actor, form.organization_id.data, form.mentor_id.data,
                                          form.mentee_ids.data)
        db.commit()
        return _render(form, options, check=check)
    try:
        instance = mentorship.propose_pair(db, actor, form.organization_id.data, form.mentor_id.data,
                                           list(form.mentee_ids.data), form=form.form_of_mentorship.data or None)
        db.commit()
    except (NotFound, PermissionDenied):
        raise
    except NastavnikError as error:
        db.rollback()
        keep_disclosures(error)
        options = _prepare(form, organizations)
        return _render(form, options, status=status_for(error), error=place_error(form, error))
    flash(_("Процесс формирования пары (группы) №%(n)s запущен.", n=instance.id), "success")
    return redirect(url_for("pairs.show", instance_id=instance.id))


@bp.route("/<int:instance_id>")
@require_role(Role.CURATOR)
def show(instance_id: int):
    outcome = pair_proposals.proposal_outcome(get_db(), require_actor(), instance_id)
    return render_template("pairs/show.html", outcome=outcome, roadmap_titles=dict(roadmap_options()))
