"""Staff import for administrators (issue 12 part 4): ``/admin/import`` — choose the organization, upload a CSV or
XLSX file, see what would be created, changed and left alone and every problem by row and column, then confirm;
``/admin/import/template.<fmt>`` — the file template of an organization. Nothing is written before the
confirmation (``engine.services.administration.staff_import``); the upload waits on disk under the instance
folder (``instance/imports``) for a day."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import BooleanField, HiddenField, SelectField
from wtforms.validators import InputRequired

from engine.errors import NastavnikError, PermissionDenied
from engine.services.administration import staff_import
from engine.services.administration.import_uploads import UploadStore
from engine.services.administration.staff_files import DEFAULT_LIMITS, FileLimits, StaffFileError, amount, megabytes
from web.access import require_actor
from web.db import get_db
from web.errors import render_error

bp = Blueprint("admin_import", __name__, url_prefix="/admin/import")

SHOWN_ROWS = 200  # rows shown per section of the preview (the counts say how many there are)


class UploadForm(FlaskForm):
    organization_id = SelectField(_l("Организация"), coerce=int, validators=[InputRequired()])
    file = FileField(_l("Файл со списком сотрудников (.xlsx или .csv)"),
                     validators=[FileRequired(_l("Выберите файл"))])


class ConfirmForm(FlaskForm):
    organization_id = HiddenField()
    digest = HiddenField()
    file_name = HiddenField()
    skip_problem_rows = BooleanField(_l("Импортировать без строк с ошибками"))


def upload_store() -> UploadStore:
    folder = current_app.config.get("STAFF_IMPORT_FOLDER") or Path(current_app.instance_path) / "imports"
    return UploadStore(Path(folder))


def limits() -> FileLimits:
    return current_app.config.get("STAFF_IMPORT_LIMITS") or DEFAULT_LIMITS


def _organization_arg() -> int | None:
    raw = (request.values.get("organization_id") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _page(form: UploadForm, *, problems: list[str] | None = None, status: int = 200):
    organizations = staff_import.organizations_for(get_db(), require_actor())
    form.organization_id.choices = organizations
    chosen = form.organization_id.data if form.organization_id.data in dict(organizations) else organizations[0][0]
    return render_template("admin_import/index.html", form=form, organizations=organizations, chosen=chosen,
                           problems=problems or [], max_mb=megabytes(limits().max_bytes),
                           max_rows=amount(limits().max_rows)), status


FORM_OVERHEAD = 64 * 1024  # the multipart form around the file: its boundaries, the CSRF token, the organization


def request_limit() -> None:
    """This route's request limit: the staff file's (10 MB) and the form around it, not the app's larger one. Set
    before anything reads the body (URL value preprocessors run before every ``before_request``, CSRF's too)."""
    request.max_content_length = limits().max_bytes + FORM_OVERHEAD


@bp.url_value_preprocessor
def _limit_request(_endpoint: str | None, _values: dict | None) -> None:
    request_limit()


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error: RequestEntityTooLarge):
    """An upload over the server's request limit: the page again with the Russian reason, not a bare 413."""
    message = _("Файл больше %(mb)s МБ: разделите его на части.", mb=megabytes(limits().max_bytes))
    try:
        return _page(UploadForm(meta={"csrf": False}, formdata=None), problems=[message], status=413)
    except NastavnikError:  # not logged in, or administers nothing: the plain error page, still Russian
        return render_error(413, message)


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    session, actor = get_db(), require_actor()
    staff_import.require_import(session, actor, _organization_arg() if request.method == "POST" else None)
    form = UploadForm()
    form.organization_id.choices = staff_import.organizations_for(session, actor)
    if request.method == "GET":
        form.organization_id.data = _organization_arg()
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, status=422)
    storage = form.file.data
    name = (storage.filename or "файл").replace("\\", "/").rsplit("/", 1)[-1][:200] or "файл"
    data = storage.read(limits().max_bytes + 1)
    try:
        shown = staff_import.preview(session, actor, form.organization_id.data, data, name, store=upload_store(),
                                     limits=limits())
    except StaffFileError as refused:
        return _page(form, problems=[name + ": " + str(p) for p in refused.problems], status=422)
    session.commit()  # the access log of the people whose data the preview shows
    confirm = ConfirmForm(formdata=None, organization_id=shown.organization_id, digest=shown.digest, file_name=name)
    return render_template("admin_import/preview.html", preview=shown, confirm=confirm, shown_rows=SHOWN_ROWS)


@bp.route("/template.<any(csv, xlsx):fmt>")
@login_required
def template(fmt: str):
    session, actor = get_db(), require_actor()
    organization_id = _organization_arg()
    if organization_id is None:
        organization_id = staff_import.organizations_for(session, actor)[0][0]
    made = staff_import.template(session, actor, organization_id, fmt)
    response = Response(made.data, mimetype=made.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=made.file_name)
    return response


@bp.route("/<string(length=64):upload_id>/confirm", methods=["POST"])
@login_required
def confirm(upload_id: str):
    session, actor = get_db(), require_actor()
    organization_id = _organization_arg()
    staff_import.require_import(session, actor, organization_id)
    if organization_id is None:
        raise PermissionDenied(_("Не выбрана организация импорта."))
    form = ConfirmForm()
    if not form.validate_on_submit():
        raise NastavnikError(_("Форма подтверждения пришла неполной: загрузите файл снова."))
    store = upload_store()
    result = staff_import.confirm(session, actor, organization_id, upload_id, form.digest.data or "", store=store,
                                  file_name=form.file_name.data or "", skip_problem_rows=form.skip_problem_rows.data,
                                  limits=limits())
    session.commit()
    store.forget(upload_id)
    parts = [ngettext("создан %(num)s человек", "создано %(num)s человека", result.created),
             ngettext("изменён %(num)s", "изменено %(num)s", result.changed),
             ngettext("без изменений %(num)s", "без изменений %(num)s", result.unchanged)]
    if result.skipped:
        parts.append(ngettext("пропущена %(num)s строка с ошибками", "пропущено %(num)s строки с ошибками",
                              result.skipped))
    flash(_("Импорт выполнен: %(parts)s.", parts=", ".join(parts)), "success")
    return redirect(url_for("admin_import.index", organization_id=organization_id))
