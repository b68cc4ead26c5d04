"""The Coordination Centre's pages for the education department's staff (004 III): trainees entered with their
category and direction (004 I.3, III.3), the school's monitoring recorded, groups formed by direction and handed
to the network mentors (004 III.4), the year's report with each mentor's effectiveness indicator (004 III.8) and
its CSV export. ``/network`` leads each person to their part (staff, network mentor, trainee)."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.services.network import access, centre_pages, groups, own_pages, report, trainees
from web.access import require_actor
from web.db import get_db
from web.errors import place_error, status_for
from web.forms_network import FormGroupForm, MonitoringForm, RegisterTraineeForm

bp = Blueprint("network", __name__, url_prefix="/network")

RAISED = (ConflictError, NotFound, PermissionDenied)  # not about what was typed: the error page


@bp.route("")
@login_required
def index():
    """What network mentoring holds for the person: the centres they staff, their groups, their own year."""
    db = get_db()
    page = own_pages.hub(db, require_actor())
    return render_template("network/index.html", hub=page)


def _group_forms(page: centre_pages.CentrePage) -> dict[str, FormGroupForm]:
    """One form per direction a network mentor covers: its mentors, its trainees with a diagnosis (004 III.3)."""
    forms = {}
    for block in page.directions:
        if not block.mentors:
            continue
        prefix = f"d{len(forms)}"
        form = FormGroupForm(formdata=None, prefix=prefix)
        form.prefix_name = prefix  # the POST builds the form with it
        form.mentor.choices = [SelectChoice(a.person_id, a.person.full_name) for a in block.mentors]
        form.trainees.choices = [SelectChoice(w.mentee.person_id, w.mentee.person.full_name) for w in block.waiting]
        forms[block.direction] = form
    return forms


def render_centre(organization_id: int, *, status: int = 200, error: str | None = None,
                  error_direction: str | None = None, posted: FormGroupForm | None = None):
    db = get_db()
    page = centre_pages.centre_page(db, require_actor(), organization_id)
    db.commit()  # the access log (152-ФЗ)
    forms = _group_forms(page)
    if posted is not None and error_direction in forms:
        posted.mentor.choices, posted.trainees.choices = (forms[error_direction].mentor.choices,
                                                          forms[error_direction].trainees.choices)
        posted.prefix_name = forms[error_direction].prefix_name
        forms[error_direction] = posted
    return render_template("network/centre.html", page=page, forms=forms, error=error,
                           error_direction=error_direction), status


@bp.route("/centre/<int:organization_id>")
@login_required
def centre(organization_id: int):
    return render_centre(organization_id)


@bp.route("/centre/<int:organization_id>/groups", methods=["POST"])
@login_required
def form_group(organization_id: int):
    actor, db = require_actor(), get_db()
    access.require_specialist(db, actor, organization_id)
    direction = request.form.get("direction", "")
    prefix = request.form.get("prefix", "")
    form = FormGroupForm(prefix=prefix)
    if not form.validate_on_submit():
        return render_centre(organization_id, status=422, error=_("Проверьте форму"), error_direction=direction,
                             posted=form)
    try:
        instance = groups.form_group(db, actor, organization_id, form.mentor.data, list(form.trainees.data or []),
                                     comment=form.comment.data or "")
        db.commit()
    except RAISED:
        raise
    except NastavnikError as error:
        db.rollback()
        return render_centre(organization_id, status=status_for(error), error=error.message,
                             error_direction=direction, posted=form)
    group_id = (instance.subject or {}).get("group_id")
    flash(_("Группа сформирована, список передан сетевому наставнику (004 III.4)."), "success")
    return redirect(url_for("network_work.group", group_id=group_id))


def _registration(form: RegisterTraineeForm, organization_id: int) -> centre_pages.RegistrationOptions:
    options = centre_pages.registration_options(get_db(), require_actor(), organization_id)
    form.person_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(p.id, f"{p.full_name}{' — ' + (p.organization.short_name or p.organization.name) if p.organization else ''}")
        for p in options.people]
    form.category.choices = [SelectChoice("", "—")] + [SelectChoice(c.id, c.label)
                                                        for c in options.regulation.mentee_categories]
    return options


@bp.route("/centre/<int:organization_id>/trainees/new", methods=["GET", "POST"])
@login_required
def register(organization_id: int):
    actor, db = require_actor(), get_db()
    form = RegisterTraineeForm()
    options = _registration(form, organization_id)
    error, status = None, 200
    if form.validate_on_submit():
        try:
            mentee = trainees.register_trainee(db, actor, organization_id, form.person_id.data,
                                               category=form.category.data or None, direction=form.direction.data)
            db.commit()
        except RAISED:
            raise
        except NastavnikError as failure:
            db.rollback()
            options = _registration(form, organization_id)
            error, status = place_error(form, failure), status_for(failure)
        else:
            flash(_("%(name)s внесён(а) в базу стажёров.", name=mentee.person.full_name), "success")
            return redirect(url_for("network.centre", organization_id=organization_id))
    elif form.is_submitted():
        status = 422
    return render_template("network/register.html", form=form, options=options, error=error), status


@bp.route("/trainees/<int:mentee_id>/monitoring", methods=["GET", "POST"])
@login_required
def monitoring(mentee_id: int):
    actor, db = require_actor(), get_db()
    subject = centre_pages.monitoring_subject(db, actor, mentee_id)
    db.commit()  # the access log (152-ФЗ)
    form, error, status = MonitoringForm(), None, 200
    if form.validate_on_submit():
        try:
            trainees.record_monitoring(db, actor, mentee_id, conducted_by=form.conducted_by.data,
                                       difficulties=form.difficulties.data, help_needed=form.help_needed.data)
            db.commit()
        except RAISED:
            raise
        except NastavnikError as failure:
            db.rollback()
            error, status = place_error(form, failure), status_for(failure)
        else:
            flash(_("Результаты мониторинга записаны (004 III.3)."), "success")
            return redirect(url_for("network.centre", organization_id=subject.mentee.organization_id))
    elif form.is_submitted():
        status = 422
    return render_template("network/monitoring.html", form=form, subject=subject, error=error), status


def _year(organization_id: int) -> int:
    asked = request.args.get("year", type=int)
    return asked if asked and 2000 <= asked <= 2100 else centre_pages.current_year(get_db(), organization_id)


@bp.route("/centre/<int:organization_id>/report")
@login_required
def year_report(organization_id: int):
    db = get_db()
    result = report.year_report(db, require_actor(), organization_id, _year(organization_id))
    db.commit()  # the access log (152-ФЗ)
    return render_template("network/report.html", report=result)


@bp.route("/centre/<int:organization_id>/report.csv")
@login_required
def year_report_csv(organization_id: int):
    db = get_db()
    result = report.year_report(db, require_actor(), organization_id, _year(organization_id))
    db.commit()
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(report.report_rows(result))
    name = f"network-report-{result.academic_year}-{result.academic_year + 1}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})
