"""The program page: header, the process diagram with its marks, the roadmap, stage reports, decisions,
orders and the history. Staff of the program's organization and the program's own participants see it
(``engine.services.mentorship.program_views``); everyone else gets 403."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from engine.errors import NastavnikError, NotFound, PermissionDenied
from engine.services.iom import routes as iom_routes
from engine.services.mentorship import (
    bonus,
    content_correction,
    petitions,
    program_documents,
    program_progress,
    program_views,
)
from engine.services.people.actor import Role
from engine.services.tasks import designed_step
from web.access import require_actor, require_role
from web.db import get_db
from web.downloads import download
from web.errors import place_error, status_for
from web.forms import CuratorExtensionForm, CuratorPetitionForm

bp = Blueprint("programs", __name__, url_prefix="/programs")

PROGRAM_STATUS = {
    "forming": _l("формируется"), "active": _l("выполняется"), "extended": _l("продлена"),
    "completed": _l("завершена"), "completed_early": _l("завершена досрочно"), "terminated": _l("прекращена"),
}
COMPLETION_GROUND = {
    "plan_completed": _l("программа выполнена в полном объёме"),
    "participants_initiative": _l("по инициативе наставника или наставляемого"),
    "improper_execution": _l("по инициативе куратора: ненадлежащее исполнение"),
}
EVENT_STATUS = {"done": _l("выполнено"), "planned": _l("запланировано"), "overdue": _l("просрочено"),
                "skipped": _l("не проводилось")}
REPORT_STATUS = {"draft": _l("черновик"), "submitted": _l("на проверке"), "returned": _l("возвращён"),
                 "approved": _l("принят")}
ORDER_STATUS = {"draft": _l("проект"), "awaiting_signature": _l("на подписи"), "signed": _l("подписан"),
                "refused": _l("отказано в подписании")}
CURATOR_ACTIONS = {  # the curator's own petitions (003 §7.1 third ground, §7.2): what each leads to
    "early_completion": (_l("Завершить программу по инициативе куратора"),
                         _l("003 §7.1: «по инициативе куратора (в случае недолжного исполнения персонализированной "
                            "программы наставничества в силу различных обстоятельств со стороны наставника и/или "
                            "наставляемого - форс-мажора)». Готовится приказ о завершении программы на подпись "
                            "руководителю.")),
    "extension": (_l("Ходатайствовать о продлении срока программы"),
                  _l("003 §7.2: «По обоюдному согласию наставника и наставляемого и на основании ходатайства "
                     "куратора». Наставник и наставляемый дают согласие, затем приказ о продлении идёт на подпись "
                     "руководителю.")),
}
ACTION_STATES = {"pending": _l("такое ходатайство уже рассматривается"),
                 "closed": _l("процесс программы сейчас его не принимает")}
PROCESS_STATUS = {"running": _l("выполняется"), "completed": _l("завершён"), "cancelled": _l("отменён"),
                  "error": _l("ошибка")}


@bp.route("/<int:program_id>")
@login_required
def show(program_id: int, *, status: int = 200, bonus_error: str | None = None):
    db = get_db()
    actor = require_actor()
    page = program_views.program_page(db, actor, program_id)
    actions = petitions.curator_options(db, actor, page.program)
    report_files, final_file = program_documents.downloadable(actor, page.program)
    answers = designed_step.answered(db, page.program.workflow_instance_id)  # the steps of designed forms
    iom_route = iom_routes.visible_route_of_program(db, actor, program_id)  # the ИОМ it is part of (002 §4.2.2)
    db.commit()  # the access log entry (152-ФЗ)
    return render_template("programs/show.html", page=page, program=page.program,
                           progress=program_progress.progress(page),
                           program_status=PROGRAM_STATUS, completion_ground=COMPLETION_GROUND,
                           event_status=EVENT_STATUS, report_status=REPORT_STATUS, order_status=ORDER_STATUS,
                           process_status=PROCESS_STATUS, bonus_error=bonus_error, curator_actions=actions,
                           action_labels=CURATOR_ACTIONS, action_states=ACTION_STATES,
                           report_files=report_files, final_file=final_file, designed_answers=answers,
                           iom_route=iom_route), status


@bp.route("/<int:program_id>/bonus", methods=["POST"])
@login_required
def decide_bonus(program_id: int):
    """The head's decision on revoking the mentor's bonus (003 §9.3), where the rule found grounds."""
    db = get_db()
    choice = request.form.get("revoked")
    try:
        revoked = {"yes": True, "no": False}.get(choice or "")
        bonus.decide_revocation(db, require_actor(), program_id, revoked=revoked,
                                reason=request.form.get("reason") or "")
        db.commit()
    except NastavnikError as error:
        db.rollback()
        if status_for(error) in (401, 403, 404):
            raise
        return show(program_id, status=status_for(error), bonus_error=error.message)
    flash(_("Решение о премировании наставника записано."), "success")
    return redirect(url_for("programs.show", program_id=program_id, _anchor="bonus"))


@bp.route("/<int:program_id>/curator/<name>", methods=["GET", "POST"])
@require_role(Role.CURATOR)
def curator_petition(program_id: int, name: str):
    """The curator ends the program on her initiative or petitions for its extension: each leads to an order."""
    db = get_db()
    actor = require_actor()
    if name not in CURATOR_ACTIONS:
        raise NotFound(_("Нет такого действия куратора."))
    page = program_views.program_page(db, actor, program_id)
    option = next((o for o in petitions.curator_options(db, actor, page.program) if o.name == name), None)
    if option is None:
        raise PermissionDenied(_("Это действие выполняет куратор организации программы по её положению."))
    db.commit()
    form = CuratorExtensionForm() if name == "extension" else CuratorPetitionForm()
    if isinstance(form, CuratorExtensionForm):  # 003 §7.2: the forms the pack lets the program change to
        form.new_form.choices = [("", _("не менять")), *content_correction.form_choices(page.program)]
    error, status = None, 200
    if form.is_submitted():
        if form.validate():
            try:
                extension = isinstance(form, CuratorExtensionForm)
                petitions.file_curator_petition(db, actor, program_id, name, reason=form.reason.data or "",
                                                months=form.months.data if extension else None,
                                                new_form=(form.new_form.data or None) if extension else None)
                db.commit()
            except (NotFound, PermissionDenied):
                raise
            except NastavnikError as failure:
                db.rollback()
                error, status = place_error(form, failure), status_for(failure)
            else:
                flash(_("Ходатайство «%(name)s» направлено.", name=CURATOR_ACTIONS[name][0]), "success")
                return redirect(url_for("programs.show", program_id=program_id))
        else:
            status = 422
    return render_template("programs/curator_petition.html", program=page.program, option=option, form=form,
                           error=error, label=CURATOR_ACTIONS[name][0], help_text=CURATOR_ACTIONS[name][1],
                           content={"allowed": content_correction.content_allowed(page.program),
                                    "plan_changes": content_correction.pending_plan_changes(db, page.program)}
                           if name == "extension" else None,
                           action_states=ACTION_STATES), status


@bp.route("/<int:program_id>/diagram")
@login_required
def diagram(program_id: int):
    """The process diagram and its marks as JSON: {xml, completed, active, overdue}."""
    return jsonify(program_views.program_diagram(get_db(), require_actor(), program_id))


@bp.route("/<int:program_id>/reports/<int:report_id>.<any(pdf, docx):kind>")
@login_required
def stage_report_file(program_id: int, report_id: int, kind: str):
    """The stage report as its roadmap form («Информационная справка» …), PDF or DOCX; a draft for the
    participants only, marked «ПРОЕКТ»."""
    db = get_db()
    made = program_documents.stage_report_file(db, require_actor(), program_id, report_id, kind)
    db.commit()  # the access log (152-ФЗ)
    return download(made.data, made.file_name, made.mimetype)


@bp.route("/<int:program_id>/final-report.<any(pdf, docx):kind>")
@login_required
def final_report_file(program_id: int, kind: str):
    """The final analytic report of the program (its last stage under way or the program finished)."""
    db = get_db()
    made = program_documents.final_report_file(db, require_actor(), program_id, kind)
    db.commit()  # the access log (152-ФЗ)
    return download(made.data, made.file_name, made.mimetype)
