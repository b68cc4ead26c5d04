"""The methodologist's workflows: the processes with their versions and who runs on which, a version
in the bpmn-js modeler (check, save as a new draft version, deploy), uploading a .bpmn file, and the
difference between two versions.

Process definitions are global: the methodologist role in any organization opens this section and
allows saving and deploying (``engine.services.process.definitions.may_deploy``); every save and deployment
is in the audit trail. The JSON endpoints (check, save) take the CSRF token in the ``X-CSRFToken``
header.
"""
from __future__ import annotations

import base64

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge

from engine.errors import NastavnikError, WorkflowDefinitionError
from engine.services.methodology import (
    designed_forms,
    instance_migration,
    modeler_catalog,
    script_incidents,
    workflow_versions,
)
from engine.services.people.actor import Role
from engine.services.process import definitions
from engine.workflow import MAX_BPMN_BYTES, Problem
from engine.workflow.diff import diff_bpmn
from web.access import require_actor, require_role
from web.db import domain, get_db
from web.errors import status_for

bp = Blueprint("methodology", __name__, url_prefix="/methodology")

ROLE = Role.METHODOLOGIST
MAX_COMMENT = 2000


class UploadForm(FlaskForm):
    file = FileField(_l("BPMN-файл"), validators=[FileRequired(_l("Выберите файл .bpmn"))])


class DeployForm(FlaskForm):
    """Deploying a draft: a POST with the CSRF token."""


def _endpoint_exists(name: str) -> bool:
    return name in current_app.view_functions


def _problem_dicts(problems: list[Problem]) -> list[dict]:
    return [{"element_id": p.element_id, "element_name": p.element_name, "message": p.message} for p in problems]


@bp.route("")
@require_role(ROLE)
def index():
    db, actor = get_db(), require_actor()
    processes = workflow_versions.list_processes(db, actor)
    return render_template("methodology/index.html", processes=processes, deploy_form=DeployForm(),
                           incidents=script_incidents.recent(db, actor),
                           has_programs=_endpoint_exists("programs.show"),
                           has_rulefiles=_endpoint_exists("rulefiles.index"))


@bp.route("/workflows/<process_id>/<int:version>")
@require_role(ROLE)
def edit(process_id: str, version: int):
    db, actor = get_db(), require_actor()
    process = workflow_versions.process(db, actor, process_id)
    row = next((r for r in process.versions if r.definition.version == version), None)
    if row is None:
        workflow_versions.get_version(db, actor, process_id, version)  # raises NotFound
    return render_template("methodology/editor.html", process=process, row=row, deploy_form=DeployForm(),
                           xml_url=url_for(".source", process_id=process_id, version=version),
                           filename=f"{process_id}.bpmn", problems=None, xml_base64=None,
                           has_rulefiles=_endpoint_exists("rulefiles.index"))


@bp.route("/workflows/<process_id>/<int:version>.bpmn")
@require_role(ROLE)
def source(process_id: str, version: int):
    definition = workflow_versions.get_version(get_db(), require_actor(), process_id, version)
    download = request.args.get("download") == "1"
    headers = {"Content-Disposition": f'attachment; filename="{process_id}-v{version}.bpmn"'} if download else {}
    return Response(definition.bpmn.encode("utf-8"), mimetype="application/xml", headers=headers)


@bp.route("/workflows/<process_id>/<int:version>/deploy", methods=["POST"])
@require_role(ROLE)
def deploy(process_id: str, version: int):
    db, actor = get_db(), require_actor()
    form = DeployForm()
    if not form.validate_on_submit():
        flash(_("Форма устарела: обновите страницу и повторите."), "error")
        return redirect(url_for(".edit", process_id=process_id, version=version))
    definition = workflow_versions.get_version(db, actor, process_id, version)
    definitions.deploy_draft(db, actor, definition.id)
    db.commit()
    flash(_("Версия %(version)s процесса «%(name)s» развёрнута: новые процессы запускаются по ней, "
            "уже запущенные продолжают работу по своей версии.", version=version, name=definition.name), "success")
    if instance_migration.waiting(db, actor, process_id):  # offer to move the running ones at once
        return redirect(url_for(".migrate", process_id=process_id))
    return redirect(url_for(".index"))


@bp.route("/workflows/<process_id>/migrate", methods=["GET", "POST"])
@require_role(ROLE)
def migrate(process_id: str):
    """The running instances on older versions: the methodologist moves the ones she chooses to the current one."""
    db, actor = get_db(), require_actor()
    form = DeployForm()
    result = None
    if request.method == "POST":
        if not form.validate_on_submit():
            flash(_("Форма устарела: обновите страницу и повторите."), "error")
            return redirect(url_for(".migrate", process_id=process_id))
        chosen = _chosen_ids(request.form.getlist("instance"))
        if not chosen:
            flash(_("Отметьте процессы, которые нужно перевести."), "error")
            return redirect(url_for(".migrate", process_id=process_id))
        result = instance_migration.move_instances(db, actor, process_id, chosen)
        if result.moved:
            flash(ngettext("Переведён на новую версию %(num)s процесс.", "Переведено на новую версию %(num)s процесса.",
                           len(result.moved)), "success")
        if not result.refused:
            return redirect(url_for(".migrate", process_id=process_id))
    listing = instance_migration.candidates(db, actor, process_id)
    return render_template("methodology/migrate.html", listing=listing, form=form, result=result,
                           has_programs=_endpoint_exists("programs.show"),
                           has_rulefiles=_endpoint_exists("rulefiles.index")), (422 if result else 200)


MAX_CHOSEN = 1000


def _chosen_ids(values: list[str]) -> list[int]:
    """The checked instance ids; anything else in the form is refused with the value named."""
    if len(values) > MAX_CHOSEN:
        raise NastavnikError(_("Отмечено больше %(n)s процессов: переводите частями.", n=MAX_CHOSEN))
    chosen = []
    for value in values:
        if not value.isdigit() or len(value) > 12:
            raise NastavnikError(_("«%(value)s» — не номер процесса.", value=value[:40]))
        chosen.append(int(value))
    return chosen


@bp.route("/upload", methods=["GET", "POST"])
@require_role(ROLE)
def upload():
    form = UploadForm()
    problems: list[Problem] = []
    if form.validate_on_submit():
        storage = form.file.data
        filename = (storage.filename or "upload.bpmn").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload.bpmn"
        data = storage.read(MAX_BPMN_BYTES + 1)
        if len(data) > MAX_BPMN_BYTES:
            problems = [Problem(filename, None, None, _("файл больше %(mb)s МБ", mb=MAX_BPMN_BYTES // 1048576))]
        else:
            problems, readable = definitions.check_upload(data, filename, domain=domain())
            if readable:
                return render_template("methodology/editor.html", process=None, row=None, deploy_form=None,
                                       xml_url=None, xml_base64=base64.b64encode(data).decode("ascii"),
                                       filename=filename, problems=problems,
                                       has_rulefiles=_endpoint_exists("rulefiles.index"))
    status = 422 if (form.errors or problems) else 200
    return render_template("methodology/upload.html", form=form, problems=problems, max_mb=MAX_BPMN_BYTES // 1048576,
                           has_rulefiles=_endpoint_exists("rulefiles.index")), status


def _json_body() -> tuple[bytes, str, str]:
    """The ``xml``, ``filename`` and ``comment`` of a JSON request; NastavnikError names a bad field."""
    try:
        body = request.get_json(silent=True)
    except RequestEntityTooLarge:
        raise NastavnikError(_("Схема больше допустимого размера (%(mb)s МБ).", mb=MAX_BPMN_BYTES // 1048576)) from None
    if not isinstance(body, dict):
        raise NastavnikError(_("Ожидался JSON-объект с полем xml."))
    xml, filename, comment = body.get("xml"), body.get("filename") or "diagram.bpmn", body.get("comment") or ""
    if not isinstance(xml, str) or not xml.strip():
        raise NastavnikError(_("Поле xml: нет текста схемы."))
    if not isinstance(filename, str) or not isinstance(comment, str):
        raise NastavnikError(_("Поля filename и comment должны быть строками."))
    if len(comment) > MAX_COMMENT:
        raise NastavnikError(_("Комментарий длиннее %(n)s символов.", n=MAX_COMMENT))
    return xml.encode("utf-8"), filename[:200], comment.strip()


def _json_error(error: NastavnikError, status: int = 422):
    return jsonify(ok=False, message=str(error), problems=_problem_dicts(getattr(error, "problems", []))), status


@bp.route("/check", methods=["POST"])
@require_role(ROLE)
def check():
    try:
        data, filename, _comment = _json_body()
    except NastavnikError as error:
        return _json_error(error)
    problems = definitions.check(data, filename, domain=domain())
    problems += designed_forms.process_problems(get_db(), require_actor(), data, filename)  # not yet deployed
    return jsonify(ok=not problems, problems=_problem_dicts(problems))


@bp.route("/save", methods=["POST"])
@require_role(ROLE)
def save():
    db, actor = get_db(), require_actor()
    try:
        data, filename, comment = _json_body()
        saved = definitions.save_draft(db, actor, data, filename, comment=comment or None)
    except WorkflowDefinitionError as error:
        return _json_error(error)
    except NastavnikError as error:
        return _json_error(error, status_for(error))
    db.commit()
    definition = saved.definition
    url = url_for(".edit", process_id=definition.process_id, version=definition.version)
    if saved.created:
        flash(_("Сохранена версия %(version)s процесса «%(name)s» (черновик). Разверните её, чтобы новые "
                "процессы запускались по ней.", version=definition.version, name=definition.name), "success")
        message = _("Сохранена версия %(version)s.", version=definition.version)
    else:
        message = _("Такая схема уже сохранена: это версия %(version)s процесса «%(name)s».",
                    version=definition.version, name=definition.name)
    return jsonify(ok=True, created=saved.created, process_id=definition.process_id, version=definition.version,
                   status=definition.status, url=url, message=message)


@bp.route("/modeler/catalog.json")
@require_role(ROLE)
def catalog():
    """The choices the modeler's properties panel offers (roles, forms with fields, rule sets, hooks)."""
    return jsonify(modeler_catalog.catalog(get_db(), require_actor()))


@bp.route("/workflows/<process_id>/diff")
@require_role(ROLE)
def diff(process_id: str):
    db, actor = get_db(), require_actor()
    process = workflow_versions.process(db, actor, process_id)
    numbers = [r.definition.version for r in process.versions]  # newest first
    a, b = _version_arg("a"), _version_arg("b")
    if b is None:
        b = (process.current or process.versions[0]).definition.version if a is None else numbers[0]
    if a is None:
        a = next((n for n in numbers if n < b), b)
    old = workflow_versions.get_version(db, actor, process_id, a)
    new = workflow_versions.get_version(db, actor, process_id, b)
    result = diff_bpmn(old.bpmn, new.bpmn, old_label=f"{process_id} v{a}", new_label=f"{process_id} v{b}")
    return render_template("methodology/diff.html", process=process, a=a, b=b, old=old, new=new, result=result,
                           numbers=numbers, has_rulefiles=_endpoint_exists("rulefiles.index"))


def _version_arg(name: str) -> int | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise NastavnikError(_("Версия «%(name)s» должна быть номером версии, а не «%(value)s».",
                               name=name, value=raw[:40]))
    return int(raw)
