"""The mentor's periodic report (003 п. 3: «отчёты руководителей, осуществляющих функции наставника, ежегодно до
10 июня, 10 декабря»): his open report task on its own page — the programs of the period prefilled with the roadmap's
events held and the stage reports approved, per program the results (required), difficulties and the mentee's
progress, the indicators its regulation names (002 §5) where it names them, a general comment. Filed through the
same completion as the API and the CLI (engine.services.tasks.mentor_report_page). The reminder of the date is shown
on the page with a button that dismisses it."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from engine.errors import NastavnikError
from engine.services.curation import report_indicators
from engine.services.people.actor import Role
from engine.services.tasks import mentor_report_page as page
from web.access import require_actor, require_role
from web.db import get_db
from web.errors import place_error, status_for
from web.forms_participants import INDICATOR_PREFIX, MentorPeriodReportForm, ReminderForm, period_report_form

bp = Blueprint("my_reports", __name__, url_prefix="/my/reports")


def _render(found: page.ReportTask, form: MentorPeriodReportForm, *, status: int = 200, error: str | None = None):
    programs = {str(p["program_id"]): p for p in found.programs}
    if not form.version.data:
        form.version.data = str(found.version)
    return render_template("my/period_report.html", found=found, form=form, programs=programs, error=error,
                           indicator_groups=report_indicators.by_stage(found.indicators),
                           indicator_prefix=INDICATOR_PREFIX, reminder_form=ReminderForm(formdata=None)), status


@bp.route("/<int:instance_id>/<task_id>", methods=["GET", "POST"])
@require_role(Role.MENTOR)
def report(instance_id: int, task_id: str):
    db, actor = get_db(), require_actor()
    found = page.report_task(db, actor, instance_id, task_id)  # 403 for another mentor's, 404/409 when not open
    form = period_report_form(found.indicators)
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


@bp.route("/<int:instance_id>/<task_id>/reminder", methods=["POST"])
@require_role(Role.MENTOR)
def dismiss_reminder(instance_id: int, task_id: str):
    """The mentor dismisses the reminder of his report; back to the report's page while it is to file."""
    db, actor = get_db(), require_actor()
    if not ReminderForm().validate_on_submit():
        raise NastavnikError(_("Форма устарела; обновите страницу."), where="csrf_token")
    page.acknowledge_reminder(db, actor, instance_id, task_id)  # 404 for another process's, 403 for another's
    db.commit()
    flash(_("Напоминание скрыто."), "success")
    report = page.open_report_task(db, actor, instance_id)
    return redirect(url_for("my_reports.report", instance_id=instance_id, task_id=report.task_id) if report
                    else url_for("my.index"))
