"""The head's petitions, where the regulation gives the head the decision (001 §6.2: the mentee petitions the
head for another mentor when no personal contact with the mentor can be established): what waits, one petition
with the regulation's grounds, and the decision — approve naming the new mentor, or refuse with the reason.
The order that follows waits in «Приказы на подпись»."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.curation import decisions
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.db import get_db
from web.errors import place_error, status_for
from web.task_forms import DecidePetitionForm

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


@bp.route("")
@require_role(Role.HEAD)
def index():
    waiting = decisions.awaiting_decisions(get_db(), require_actor())
    return render_template("decisions/index.html", waiting=waiting)


def _form(found: decisions.PetitionDecision) -> DecidePetitionForm:
    """The curator's decision form (the same contract, decide_petition), here for the head."""
    form = DecidePetitionForm()
    form.setup(found.mentor_choices, found.kind == "mentor_replacement")
    if not form.version.data:
        form.version.data = str(found.instance.version)
    return form


def _render(found: decisions.PetitionDecision, form: DecidePetitionForm, *, status: int = 200,
            error: str | None = None):
    return render_template("decisions/show.html", found=found, form=form, error=error), status


@bp.route("/<int:instance_id>/<task_id>", methods=["GET", "POST"])
@require_role(Role.HEAD)
def show(instance_id: int, task_id: str):
    db, actor = get_db(), require_actor()
    found = decisions.decision_page(db, actor, instance_id, task_id, for_update=False)
    db.commit()  # the access log of what the page shows
    form = _form(found)
    if not form.is_submitted():
        return _render(found, form)
    if not form.validate():
        return _render(found, form, status=422)
    values = form.values()
    approved = values["approved"]
    try:
        decisions.decide(db, actor, instance_id, task_id, approved=approved, comment=values["comment"],
                         new_mentor_id=values.get("new_mentor_id"),
                         expected_version=form.expected_version())
        db.commit()
    except (ConflictError, NotFound, PermissionDenied):
        raise
    except NastavnikError as error:
        db.rollback()
        found = decisions.decision_page(db, actor, instance_id, task_id)
        return _render(found, form, status=status_for(error), error=place_error(form, error))
    flash(_("Ходатайство удовлетворено; приказ о замене наставника ждёт вашей подписи.") if approved
          else _("В удовлетворении ходатайства отказано."), "success")
    return redirect(url_for("orders.index") if approved else url_for("decisions.index"))
