"""Monitoring of a school's mentorship (001 §2.4) for its curator and head: the summary of the pairs on
today, the calendar of the regulation (monitoring by 20 December and 20 May, the yearly review of the base,
001 §4.2) with its open tasks, the reports filed; the curator's two calendar tasks (the monitoring report, the
review of the base entry by entry); what the regulation asks of each participant and what the system offers."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField
from wtforms.utils import unset_value
from wtforms.widgets import HiddenInput

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.regulations import pack_of
from engine.regulations.duties import DUTY_HOLDERS, FEATURES
from engine.regulations.pack import PETITION_KINDS
from engine.services.curation import base_review, calendar, mentor_report_overview, monitoring
from engine.services.people.actor import Role
from engine.services.process.domain import organization_today
from engine.vocabulary import CALENDAR_TASK_LABELS, PARTICIPANT_KIND_LABELS
from web.access import check_role, require_actor, require_role
from web.contract_fields import contract_field, contract_label
from web.converters import date_arg, id_arg
from web.db import get_db
from web.errors import place_error, status_for

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")

VIEWERS = (Role.CURATOR, Role.HEAD)
CALENDAR_FORMS = (FormId.MONITORING_REPORT, FormId.BASE_REVIEW)
# the system's pages for the features the regulation's duties name (engine.regulations.duties.FEATURES)
FEATURE_PAGES = {
    "mentor_registry": "registries.mentors", "mentee_registry": "registries.mentees", "pairs": "registries.groups",
    "programs": "registries.programs", "monitoring": "monitoring.index", "base_review": "monitoring.index",
    "petitions": "decisions.index", "orders": "orders.index", "mentor_appointment": "registries.mentors",
    "council": "council.index", "individual_plans": "ippr.index", "practices": "practices.index",
    "incentives": "registries.mentors", "contests": "incentives.contest_list",
}
# the mentors' period reports (003 п. 3) by their state (engine.services.curation.mentor_report_overview.STATES)
MENTOR_REPORT_STATES = {"filed": _l("представлен"), "overdue": _l("не представлен в срок"), "open": _l("ожидается")}


class EntriesField(Field):
    """The base review's decisions, one per entry row of the page (entry, action-<key>, category-<key>,
    withdraw-<key>, note-<key>), as the contract's list of objects."""

    widget = HiddenInput()

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:  # noqa: ANN001 - WTForms' signature
        super().process(formdata, data, extra_filters)
        self.data = _review_decisions(formdata) if formdata is not None else []

    def _value(self) -> str:
        return str(len(self.data or []))  # the rows carry the decisions; the field only counts them


class TaskForm(FlaskForm):
    version = HiddenField()

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class MonitoringReportForm(TaskForm):
    contract = FormId.MONITORING_REPORT
    conclusions = contract_field(contract, "conclusions", required=_l("Напишите выводы мониторинга (001 §2.4)."))


class BaseReviewForm(TaskForm):
    contract = FormId.BASE_REVIEW
    entries = EntriesField(contract_label(contract, "entries"))
    comment = contract_field(contract, "comment")


def _labels() -> dict:
    return {"kind_labels": {str(k): v for k, v in PARTICIPANT_KIND_LABELS.items()}, "petition_kinds": PETITION_KINDS,
            "task_labels": {str(k): v for k, v in CALENDAR_TASK_LABELS.items()}, "holders": DUTY_HOLDERS,
            "features": FEATURES, "feature_pages": FEATURE_PAGES}


@bp.route("")
@require_role(*VIEWERS)
def index():
    db, actor = get_db(), require_actor()
    page = monitoring.monitoring_page(db, actor, id_arg("org"))
    slots = calendar.calendar_slots(db, page.organization)
    organizations = monitoring.viewable_organizations(db, actor)
    mentor_period = (mentor_report_overview.period_overview(db, actor, page.organization.id, today=page.on,
                                                            due_on=date_arg("period", _("Период отчётов наставников")))
                     if page.regulation.periodic_reports() else None)
    return render_template("monitoring/index.html", page=page, slots=slots, organizations=organizations,
                           mentor_period=mentor_period, mentor_report_states=MENTOR_REPORT_STATES,
                           is_curator=actor.has_role(page.organization.id, Role.CURATOR), **_labels())


@bp.route("/<int:organization_id>/calendar", methods=["POST"])
@require_role(Role.CURATOR)
def start(organization_id: int):
    db = get_db()
    form = FlaskForm()
    if not form.validate_on_submit():
        raise NastavnikError(_("Форма устарела; обновите страницу."), where="csrf_token")
    started = calendar.start_calendar(db, check_role(organization_id, Role.CURATOR), organization_id)
    db.commit()
    flash(_("Календарь мониторинга запущен: сроков — %(n)s.", n=len(started)) if started
          else _("Календарь мониторинга уже работает."), "success")
    return redirect(url_for("monitoring.index", org=organization_id))


@bp.route("/regulation")
@require_role(*VIEWERS)
def regulation():
    organization = monitoring.organization_for(get_db(), require_actor(), id_arg("org"))
    return render_template("monitoring/regulation.html", organization=organization,
                           regulation=pack_of(organization), **_labels())


@bp.route("/reports/<int:report_id>")
@require_role(*VIEWERS)
def report(report_id: int):
    found = monitoring.calendar_report(get_db(), require_actor(), report_id)
    regulation = pack_of(found.organization)
    return render_template("monitoring/report.html", report=found, regulation=regulation,
                           form_labels={f.id: f.label for f in regulation.mentorship_forms}, **_labels())


def _render_task(row, form, *, status: int = 200, error: str | None = None, chosen: dict | None = None):
    db = get_db()
    today = organization_today(db, row.organization)  # the organization's local day
    regulation = pack_of(row.organization)
    if not form.version.data:
        form.version.data = str(row.instance.version)
    context = {"row": row, "form": form, "error": error, "regulation": regulation, "today": today,
               "chosen": chosen or {}, "form_labels": {f.id: f.label for f in regulation.mentorship_forms},
               **_labels()}
    if row.form_id == FormId.MONITORING_REPORT:
        context["summary"] = monitoring.school_summary(db, row.organization_id, today)
        return render_template("monitoring/task_report.html", **context), status
    context["entries"] = base_review.base_entries(db, row.organization_id, today)
    return render_template("monitoring/task_review.html", **context), status


def _review_decisions(formdata) -> list[dict]:  # noqa: ANN001 - a MultiDict of the request
    """One decision per entry of the base from the page's fields (action-<key>, category-<key>, …)."""
    decisions = []
    for key in formdata.getlist("entry"):
        decision: dict = {"entry": key, "action": formdata.get(f"action-{key}") or ""}
        if formdata.get(f"category-{key}"):
            decision["category"] = formdata[f"category-{key}"]
        if formdata.get(f"withdraw-{key}"):
            decision["withdraw"] = True
        if (formdata.get(f"note-{key}") or "").strip():
            decision["note"] = formdata[f"note-{key}"].strip()[:base_review.NOTE_MAX]
        decisions.append(decision)
    return decisions


@bp.route("/tasks/<int:instance_id>/<task_id>", methods=["GET", "POST"])
@require_role(Role.CURATOR)
def task(instance_id: int, task_id: str):
    db, actor = get_db(), require_actor()
    row = calendar.open_task(db, actor, instance_id, task_id)
    form = MonitoringReportForm() if row.form_id == FormId.MONITORING_REPORT else BaseReviewForm()
    if not form.is_submitted():
        return _render_task(row, form)
    chosen: dict = {}
    name, organization_id = row.name, row.organization_id
    if not form.validate():
        return _render_task(row, form, status=422)
    try:
        if isinstance(form, MonitoringReportForm):
            calendar.file_monitoring_report(db, actor, instance_id, task_id, form.conclusions.data or "",
                                            expected_version=form.expected_version())
        else:
            chosen = {d["entry"]: d for d in form.entries.data}
            calendar.file_base_review(db, actor, instance_id, task_id, form.entries.data, form.comment.data or "",
                                      expected_version=form.expected_version())
        db.commit()
    except (ConflictError, NotFound, PermissionDenied):
        raise
    except NastavnikError as error:
        db.rollback()
        row = calendar.open_task(db, actor, instance_id, task_id)
        return _render_task(row, form, status=status_for(error), error=place_error(form, error), chosen=chosen)
    flash(_("Задача «%(name)s» выполнена.", name=name), "success")
    return redirect(url_for("monitoring.index", org=organization_id))
