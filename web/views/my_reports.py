"""The mentor's periodic report (003 п. 3: «отчёты руководителей, осуществляющих функции наставника, ежегодно до
10 июня, 10 декабря»): his open report task on its own page — the programs of the period prefilled with the roadmap's
events held, per program the results (required), difficulties and the mentee's progress, a general comment. Filed
through the same completion as the API and the CLI (engine.services.tasks.mentor_report_page)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from engine.errors import NastavnikError
from engine.services.people.actor import Role
from engine.services.tasks import mentor_report_page as page
from web.access import require_actor, require_role
from web.db import get_db
from web.errors import place_error, status_for
from web.forms_participants import MentorPeriodReportForm

bp = Blueprint("my_reports", __name__, url_prefix="/my/reports")


def _render(found: page.ReportTask, form: MentorPeriodReportForm, *, status: int = 200, error: str | None = None):
    programs = {str(p["program_id"]): p for p in found.programs}
    if not form.version.data:
        form.version.data = str(found.version)
    return render_template("my/period_report.html", found=found, form=form, programs=programs, error=error), status


@bp.route("/<int:instance_id>/<task_id>", methods=["GET", "POST"])
@require_role(Role.MENTOR)
def report(instance_id: int, task_id: str):
    db, actor = get_db(), require_actor()
    found = page.report_task(db, actor, instance_id, task_id)  # 403 for another mentor's, 404/409 when not open
    form = MentorPeriodReportForm()
    if not form.is_submitted():
        form.prefill(found.programs)
        return _render(found, form)
    if not form.validate():
        return _render(found, form, status=422)
    try:
        page.file_report(db, actor, instance_id, task_id, form.values(), form.comment.data or "",
                         expected_version=form.expected_version())
        db.commit()
    except NastavnikError as error:
        db.rollback()
        if status_for(error) in (401, 403, 404, 409):
            raise
        found = page.report_task(db, actor, instance_id, task_id)
        message = error.message if error.where == "programs" else place_error(form, error)
        return _render(found, form, status=status_for(error), error=message)
    flash(_("Отчёт за период представлен куратору."), "success")
    return redirect(url_for("my.index"))
