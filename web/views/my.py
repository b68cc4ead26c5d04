"""The mentor's and mentee's pages: my programs and the steps waiting for me, the current stage's
events and report, small workflow steps (reminder, extension agreement, consent to a pair), petitions."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.forms import FormId
from engine.services.mentorship import attachments as files
from engine.services.mentorship import content_correction, petitions
from engine.services.mentorship import participant_views as views
from engine.services.mentorship import participant_work as work
from engine.services.mentorship import roadmap_events as events
from engine.services.mentorship.records import participation_consent
from engine.services.people.actor import Role
from engine.services.tasks import mentor_report_page as report_page
from web import event_marks
from web.access import require_actor, require_role
from web.db import get_db
from web.errors import place_error, status_for
from web.forms_participants import (
    AgreeExtensionForm,
    ConsentForm,
    EventForm,
    ExtensionPetitionForm,
    PetitionForm,
    ReminderForm,
    StageReportForm,
)

bp = Blueprint("my", __name__, url_prefix="/my")
PARTICIPANTS = (Role.MENTOR, Role.MENTEE)

PETITION_LABELS = {
    "extension": _l("Продление срока программы"),
    "mentor_replacement": _l("Замена наставника"),
    "mentor_release": _l("Освобождение наставника от обязанностей"),
    "early_completion": _l("Досрочное завершение программы"),
}
PETITION_HELP = {
    "extension": _l("С обоюдного согласия наставника и наставляемого и по ходатайству куратора руководитель "
                    "может продлить срок программы. Работа по этапу приостанавливается: наставник и "
                    "наставляемый подтверждают согласие, затем куратор ходатайствует, руководитель издаёт приказ."),
    "mentor_replacement": _l("Наставляемый может ходатайствовать о замене наставника. Программа продолжается, "
                             "пока ходатайство рассматривается; замена оформляется приказом руководителя."),
    "mentor_release": _l("Наставник может попросить куратора освободить его от обязанностей наставника. "
                         "Программа продолжается до решения; освобождение оформляется приказом руководителя."),
    "early_completion": _l("Программа может быть завершена досрочно по инициативе наставника или наставляемого "
                           "по уважительным причинам. Работа по этапу останавливается; решение принимает куратор, "
                           "завершение оформляется приказом руководителя."),
}
PETITION_STATES = {
    "pending": _l("уже подано, рассматривается"),
    "closed": _l("сейчас не принимается"),
}
PROGRAM_STATUS_LABELS = {
    "forming": _l("формируется"), "active": _l("выполняется"), "extended": _l("продлена"),
    "completed": _l("завершена"), "completed_early": _l("завершена досрочно"), "terminated": _l("прекращена"),
}
REPORT_STATUS_LABELS = {
    "draft": _l("черновик"), "submitted": _l("на проверке у куратора"), "returned": _l("отчёт возвращён на доработку"),
    "approved": _l("отчёт принят"),
}


@bp.context_processor
def _labels() -> dict:
    return {"program_status_label": lambda value: str(PROGRAM_STATUS_LABELS.get(value, value)),
            "report_status_label": lambda value: str(REPORT_STATUS_LABELS.get(value, value)),
            "FormId": FormId, "Role": Role}


@bp.record_once
def _defaults(state) -> None:
    state.app.config.setdefault("ATTACHMENT_MAX_BYTES", files.AttachmentLimits.max_bytes)
    state.app.config.setdefault("ATTACHMENTS_PER_ITEM", files.AttachmentLimits.max_files)


def limits() -> files.AttachmentLimits:
    config = current_app.config
    return files.AttachmentLimits(max_bytes=int(config["ATTACHMENT_MAX_BYTES"]),
                                  max_files=int(config["ATTACHMENTS_PER_ITEM"]))


def uploads() -> list[files.Upload]:
    return [files.Upload(item.filename or "", item.read()) for item in request.files.getlist("files")
            if item and (item.filename or "").strip()]


def _links() -> dict:
    available = current_app.view_functions
    return {"program_page": "programs.show" in available}


def _errors(*fields) -> str:
    return "; ".join(str(message) for field in fields for message in field.errors) or _("проверьте форму")


def _rethrow_access(error: NastavnikError) -> None:
    if status_for(error) in (401, 403, 404):  # not about what was typed: the error page
        raise error


def _step_of(db, actor, program_id: int, instance_id: int, *roles: str) -> None:
    """403 unless the actor takes part in the program in one of ``roles``; 404 if the step's process
    is not the program's."""
    program = views.require_role_in_program(db, actor, program_id, *roles)
    if program.workflow_instance_id != instance_id:
        raise NotFound(_("У этой программы нет такого шага."))


# -- pages -----------------------------------------------------------------------------------------

@bp.route("")
@require_role(*PARTICIPANTS)
def index():
    actor = require_actor()
    db = get_db()
    cards = views.my_programs(db, actor)
    consents = views.consent_requests(db, actor)
    reports = report_page.my_reports(db, actor)  # the period reports he files (003 п. 3)
    return render_template("my/index.html", cards=cards, consents=consents, reports=reports, **_links())


def render_program(program_id: int, *, status: int = 200, error: str | None = None, error_at: str | None = None,
                   report_form: StageReportForm | None = None, event_form: EventForm | None = None,
                   event_id: int | None = None, marks: dict | None = None):
    db = get_db()
    view = views.stage_work(db, require_actor(), program_id)
    attached = files.listed(db, view.program)
    db.commit()  # the access log (152-ФЗ)
    if report_form is None:
        report_form = StageReportForm(formdata=None)
        if view.latest_report is not None and view.latest_report.status in ("returned", "draft"):
            report_form.report.data = view.latest_report.body
    report_form.version.data = view.instance_version
    page = render_template(
        "my/program.html", view=view, attached=attached, report_form=report_form, event_form=event_form,
        event_id=event_id, marks=marks, today=events.today_for(view.program).isoformat(),
        stage_begins=events.stage_started_on(view.program, view.program.current_stage_id or ""), error=error, error_at=error_at, limits=limits(), reminder_form=ReminderForm(formdata=None),
        agree_form=AgreeExtensionForm(formdata=None), petition_labels=PETITION_LABELS,
        petition_states=PETITION_STATES, allowed=files.allowed_extensions(), **_links())
    return page, status


@bp.route("/programs/<int:program_id>")
@require_role(*PARTICIPANTS)
def program(program_id: int):
    return render_program(program_id)


@bp.route("/programs/<int:program_id>/events", methods=["POST"])
@require_role(*PARTICIPANTS)
def mark_events(program_id: int):
    """The stage's events marked in one go: a checkbox, the day it took place and a comment per event."""
    actor = require_actor()
    db = get_db()
    program = views.require_role_in_program(db, actor, program_id, Role.MENTOR, Role.MENTEE)
    submitted: dict = {}
    try:
        submitted = event_marks.submitted(request.form)
        marks = event_marks.parse(submitted, {e.id: e.number for e in program.events})
        events.mark_events(db, actor, program_id, marks)
        db.commit()
    except NastavnikError as error:
        db.rollback()
        _rethrow_access(error)
        return render_program(program_id, status=status_for(error), error=error.message, error_at="events",
                              marks=submitted)
    flash(_("Отметки мероприятий сохранены."), "success")
    return redirect(url_for("my.program", program_id=program_id, _anchor="events"))


@bp.route("/programs/<int:program_id>/events/<int:event_id>", methods=["POST"])
@require_role(*PARTICIPANTS)
def mark_event(program_id: int, event_id: int):
    """One event's note and files (whether it was held is marked in the stage's table)."""
    actor = require_actor()
    db = get_db()
    views.require_role_in_program(db, actor, program_id, Role.MENTOR, Role.MENTEE)
    form = EventForm()
    anchor = f"event-{event_id}"
    if not form.validate():
        return render_program(program_id, status=422, error=_errors(form.note),
                              error_at=anchor, event_form=form, event_id=event_id)
    try:
        program, event = events.current_event(db, actor, program_id, event_id)
        checked = files.check_uploads(uploads(), limits(), already=files.count_for(db, event=event))
        events.mark_events(db, actor, program_id, [events.EventMark(
            event.id, event.status == "done", event.done_on, note=form.note.data or "")])
        files.attach(db, actor, program, checked, event=event, limits=limits())
        db.commit()
    except NastavnikError as error:
        db.rollback()
        _rethrow_access(error)
        return render_program(program_id, status=status_for(error), error=error.message, error_at=anchor,
                              event_form=form, event_id=event_id)
    flash(_("Мероприятие %(number)s: заметка сохранена.", number=event.number), "success")
    return redirect(url_for("my.program", program_id=program_id, _anchor=anchor))


@bp.route("/programs/<int:program_id>/report", methods=["POST"])
@require_role(*PARTICIPANTS)
def submit_report(program_id: int):
    actor = require_actor()
    db = get_db()
    views.require_role_in_program(db, actor, program_id, Role.MENTOR)
    form = StageReportForm()
    if not form.validate():
        return render_program(program_id, status=422, error=_errors(form.report), error_at="report",
                              report_form=form)
    try:
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        checked = files.check_uploads(uploads(), limits())
        report = work.submit_stage_report(db, actor, program_id, form.report.data, expected_version=version)
        files.attach(db, actor, report.program, checked, report=report, limits=limits())
        db.commit()
    except NastavnikError as error:
        db.rollback()
        _rethrow_access(error)
        return render_program(program_id, status=status_for(error), error=error.message, error_at="report",
                              report_form=form)
    flash(_("Отчёт отправлен куратору на проверку."), "success")
    return redirect(url_for("my.program", program_id=program_id))


@bp.route("/programs/<int:program_id>/steps/<int:instance_id>/<task_id>/reminder", methods=["POST"])
@require_role(*PARTICIPANTS)
def acknowledge_reminder(program_id: int, instance_id: int, task_id: str):
    actor = require_actor()
    db = get_db()
    _step_of(db, actor, program_id, instance_id, Role.MENTOR)
    form = ReminderForm()
    if not form.validate():
        return render_program(program_id, status=422, error=_errors(form.comment), error_at="steps")
    try:
        work.acknowledge_reminder(db, actor, instance_id, task_id, form.comment.data)
        db.commit()
    except NastavnikError as error:
        db.rollback()
        _rethrow_access(error)
        return render_program(program_id, status=status_for(error), error=error.message, error_at="steps")
    flash(_("Напоминание отмечено как полученное."), "success")
    return redirect(url_for("my.program", program_id=program_id))


@bp.route("/programs/<int:program_id>/steps/<int:instance_id>/<task_id>/extension", methods=["POST"])
@require_role(*PARTICIPANTS)
def agree_extension(program_id: int, instance_id: int, task_id: str):
    actor = require_actor()
    db = get_db()
    _step_of(db, actor, program_id, instance_id, Role.MENTOR, Role.MENTEE)
    form = AgreeExtensionForm()
    if not form.validate():
        return render_program(program_id, status=422, error=_errors(form.agreed, form.comment), error_at="steps")
    try:
        work.agree_extension(db, actor, instance_id, task_id, agreed=form.agreed.data == "yes",
                             comment=form.comment.data)
        db.commit()
    except NastavnikError as error:
        db.rollback()
        _rethrow_access(error)
        return render_program(program_id, status=status_for(error), error=error.message, error_at="steps")
    flash(_("Ваш ответ о продлении передан."), "success")
    return redirect(url_for("my.program", program_id=program_id))


@bp.route("/consents/<int:instance_id>/<task_id>", methods=["GET", "POST"])
@require_role(*PARTICIPANTS)
def consent(instance_id: int, task_id: str):
    actor = require_actor()
    db = get_db()
    request_ = views.consent_request(db, actor, instance_id, task_id)
    form = ConsentForm()
    error, status = None, 200
    if form.is_submitted():
        if form.validate():
            try:
                work.give_consent(db, actor, instance_id, task_id, consent=form.consent.data == "yes",
                                  personal_data=form.personal_data.data, comment=form.comment.data)
                db.commit()
            except NastavnikError as failure:
                db.rollback()
                _rethrow_access(failure)
                error = place_error(form, failure)
                status = status_for(failure)
            else:
                flash(_("Ваш ответ о согласии передан куратору."), "success")
                return redirect(url_for("my.index"))
        else:
            error, status = (_errors(form.consent) if form.consent.errors else None), 422  # the comment's: under it
        request_ = views.consent_request(db, actor, instance_id, task_id)
    return render_template("my/consent.html", request_=request_, form=form, error=error,
                           participation_text=participation_consent(actor.full_name),
                           personal_data_text=work.PERSONAL_DATA_CONSENT), status


def _content(db, program) -> dict:
    """What a content-only extension petition may correct in this program (003 §7.2), for the page."""
    return {"allowed": content_correction.content_allowed(program),
            "plan_changes": content_correction.pending_plan_changes(db, program)}


@bp.route("/programs/<int:program_id>/petitions/<name>", methods=["GET", "POST"])
@require_role(*PARTICIPANTS)
def petition(program_id: int, name: str):
    actor = require_actor()
    db = get_db()
    program, _role = views.my_program(db, actor, program_id)
    if name not in PETITION_LABELS:
        raise NotFound(_("Нет такого ходатайства."))
    option = next((o for o in petitions.petition_options(db, actor, program) if o.name == name), None)
    if option is None:
        raise PermissionDenied(_("Это ходатайство подаёт другой участник программы."))
    form = ExtensionPetitionForm() if name == "extension" else PetitionForm()
    if isinstance(form, ExtensionPetitionForm):  # 003 §7.2: the forms the pack lets the program change to
        form.new_form.choices = [("", _("не менять")), *content_correction.form_choices(program)]
    error, status = None, 200
    if form.is_submitted():
        if form.validate():
            try:
                petitions.file_petition(db, actor, program_id, name, reason=form.reason.data,
                                        months=form.month_count if name == "extension" else None,
                                        new_form=(form.new_form.data or None)
                                        if isinstance(form, ExtensionPetitionForm) else None)
                db.commit()
            except NastavnikError as failure:
                db.rollback()
                _rethrow_access(failure)
                error, status = place_error(form, failure), status_for(failure)
            else:
                flash(_("Ходатайство «%(name)s» подано.", name=PETITION_LABELS[name]), "success")
                return redirect(url_for("my.program", program_id=program_id))
        else:
            status = 422
        program, _role = views.my_program(db, actor, program_id)
        option = next((o for o in petitions.petition_options(db, actor, program) if o.name == name), option)
    return render_template("my/petition.html", program=program, option=option, form=form, error=error,
                           label=PETITION_LABELS[name], help_text=PETITION_HELP[name],
                           content=_content(db, program) if name == "extension" else None,
                           petition_states=PETITION_STATES), status
