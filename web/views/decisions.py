"""The head's petitions, where the regulation gives the head the decision (001 §6.2: the mentee petitions the
head for another mentor when no personal contact with the mentor can be established): what waits, one petition
with the regulation's grounds, and the decision — approve naming the new mentor, or refuse with the reason.
The order that follows waits in «Приказы на подпись»."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.services.curation import decisions
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.contract_fields import contract_field
from web.db import domain, get_db
from web.errors import place_error, status_for

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


class DecisionForm(FlaskForm):
    version = HiddenField()
    new_mentor_id = SelectField(_l("Новый наставник (назначен приказом, срок не истёк)"), coerce=int,
                                validate_choice=False)
    comment = contract_field(FormId.DECIDE_PETITION, "comment")
    approve = SubmitField(_l("Удовлетворить"))
    refuse = SubmitField(_l("Отказать"))

    def setup(self, found: decisions.PetitionDecision) -> None:
        self.new_mentor_id.choices = [SelectChoice(0, "—")] + [SelectChoice(p.id, p.full_name)
                                                                for p in found.mentor_choices]
        if not self.version.data:
            self.version.data = str(found.instance.version)

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


def _today():
    return domain().clock.now().date()


@bp.route("")
@require_role(Role.HEAD)
def index():
    waiting = decisions.awaiting_decisions(get_db(), require_actor(), _today())
    return render_template("decisions/index.html", waiting=waiting)


def _render(found: decisions.PetitionDecision, form: DecisionForm, *, status: int = 200, error: str | None = None):
    return render_template("decisions/show.html", found=found, form=form, error=error), status


@bp.route("/<int:instance_id>/<task_id>", methods=["GET", "POST"])
@require_role(Role.HEAD)
def show(instance_id: int, task_id: str):
    db, actor, today = get_db(), require_actor(), _today()
    found = decisions.decision_page(db, actor, instance_id, task_id, today, for_update=False)
    db.commit()  # the access log of what the page shows
    form = DecisionForm()
    form.setup(found)
    if not form.is_submitted():
        return _render(found, form)
    if not form.validate():
        return _render(found, form, status=422)
    approved = bool(form.approve.data) and not form.refuse.data
    try:
        decisions.decide(db, actor, instance_id, task_id, approved=approved, comment=form.comment.data or "",
                         new_mentor_id=form.new_mentor_id.data or None, on=today,
                         expected_version=form.expected_version())
        db.commit()
    except (ConflictError, NotFound, PermissionDenied):
        raise
    except NastavnikError as error:
        db.rollback()
        found = decisions.decision_page(db, actor, instance_id, task_id, today)
        return _render(found, form, status=status_for(error), error=place_error(form, error))
    flash(_("Ходатайство удовлетворено; приказ о замене наставника ждёт вашей подписи.") if approved
          else _("В удовлетворении ходатайства отказано."), "success")
    return redirect(url_for("orders.index") if approved else url_for("decisions.index"))
