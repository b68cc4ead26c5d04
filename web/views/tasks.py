"""A curator's step: its context and its form (approve or return a stage report, handle an escalation,
decide a petition, petition an extension, complete a program, propose a mentor or a pair)."""
from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.services.curation import step_completion, step_page
from engine.services.curation.inbox import roadmap_options
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.db import get_db
from web.errors import place_error, status_for
from web.task_forms import (
    CURATOR_FORMS,
    CompleteProgramForm,
    CuratorTaskForm,
    DecidePetitionForm,
    PetitionExtensionForm,
    ReplaceMentorForm,
)

bp = Blueprint("tasks", __name__, url_prefix="/tasks")


@bp.context_processor
def _form_ids() -> dict:
    return {"FormId": FormId}


def _form(page: step_page.TaskPage) -> CuratorTaskForm:
    form = CURATOR_FORMS[page.task.form_id]()
    if isinstance(form, DecidePetitionForm):
        form.setup(page.mentor_choices, page.petition_kind == "replacement")
    if isinstance(form, PetitionExtensionForm) and not form.is_submitted():
        form.prefill(page.petition)
    if isinstance(form, CompleteProgramForm) and not form.completion_ground.data:
        form.completion_ground.data = page.default_ground
    if isinstance(form, ReplaceMentorForm):
        form.setup(page.mentor_choices)
    if not form.version.data:
        form.version.data = str(page.instance.version)
    return form


def _render(page: step_page.TaskPage, form: CuratorTaskForm, status: int = 200, error: str | None = None):
    return render_template("tasks/show.html", page=page, form=form, form_error=error, now=datetime.now(UTC),
                           roadmap_titles=dict(roadmap_options())), status


@bp.route("/<int:instance_id>/<task_id>", methods=["GET", "POST"])
@require_role(Role.CURATOR)
def show(instance_id: int, task_id: str):
    db = get_db()
    actor = require_actor()
    page = step_page.task_page(db, actor, instance_id, task_id, for_update=request.method == "POST")
    form = _form(page)
    if not form.is_submitted():
        db.commit()  # the access log entries of what the page shows
        return _render(page, form)
    if not form.validate():
        return _render(page, form, 422)
    name = page.task.name
    try:
        step_completion.complete(db, actor, instance_id, task_id, form.values(), expected_version=form.expected_version(),
                                 page=page)  # built above, in this transaction
        db.commit()
    except (ConflictError, NotFound, PermissionDenied):
        raise
    except NastavnikError as error:  # a rule of the domain refused the data: back to the form, nothing stored
        db.rollback()
        page = step_page.task_page(db, actor, instance_id, task_id)
        db.commit()
        return _render(page, form, status_for(error), place_error(form, error))
    flash(_outcome(page.task.form_id, form.values(), name), "success")
    return redirect(url_for("inbox.index"))


def _outcome(form_id: str | None, values: dict, name: str) -> str:
    """What the curator's decision did, in words: a returned report is not «выполнен»."""
    approved = values.get("approved")
    if form_id == FormId.REVIEW_STAGE_REPORT and approved is not None:
        return str(_("Отчёт об этапе принят.") if approved else _("Отчёт возвращён на доработку с вашим комментарием."))
    if form_id == FormId.DECIDE_PETITION and approved is not None:
        return str(_("Ходатайство удовлетворено.") if approved else _("В удовлетворении ходатайства отказано."))
    return str(_("Шаг «%(name)s» выполнен.", name=name))
