"""The methodologist's regulation packs: the packs of his organizations with their versions, a version's files,
the editor of one file (checked as you type and on save: a draft version), uploading the folder as a zip,
deploying a version, and the difference between two versions.

The packs the process runs are process-wide; ``activate_deployed_packs`` (called by create_app) makes them
this database's deployed versions and every request checks they still are (``web.deployed``, with the rule
files).
"""
from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from engine.errors import NastavnikError
from engine.regulations import PackError
from engine.rules import diff as text_diff
from engine.services.methodology import pack_import, pack_running, regulation_packs
from engine.services.methodology.rule_files import normalise_text
from engine.services.methodology.rule_lines import locate_field
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.db import database, get_db
from web.errors import place_error, status_for

bp = Blueprint("packs", __name__, url_prefix="/methodology/packs")

MAX_TEXT = 512 * 1024
MAX_ARCHIVE = 4 * 1024 * 1024


class FileForm(FlaskForm):
    content = TextAreaField(_l("Текст файла"), validators=[Length(max=MAX_TEXT)],
                            render_kw={"spellcheck": "false", "autocomplete": "off", "wrap": "off"})
    note = StringField(_l("Комментарий к версии"), validators=[Optional(), Length(max=regulation_packs.MAX_NOTE)])
    base_version = HiddenField()


class NewFileForm(FlaskForm):
    path = StringField(_l("Путь нового файла"), validators=[Length(max=200)])


class UploadForm(FlaskForm):
    archive = FileField(_l("Zip-архив папки положения"), validators=[FileRequired(_l("Выберите zip-архив"))])
    note = StringField(_l("Комментарий к версии"), validators=[Optional(), Length(max=regulation_packs.MAX_NOTE)])


class ActionForm(FlaskForm):
    """A button that changes something (CSRF token only)."""


# -- the running packs follow the database ---------------------------------------------------------

def activate_deployed_packs(app: Flask) -> None:
    pack_running.follow_deployed(database(app).session_factory)


@bp.context_processor
def _tabs() -> dict:
    available = current_app.view_functions
    return {"methodology_url": url_for("methodology.index") if "methodology.index" in available else None,
            "rulefiles_url": url_for("rulefiles.index") if "rulefiles.index" in available else None}


@bp.app_context_processor
def _packs_link() -> dict:
    """The other methodologist's pages link here (their tabs)."""
    return {"packs_url": url_for("packs.index")}


# -- helpers ---------------------------------------------------------------------------------------

def _version_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        abort(404)
    return int(raw)


def _shown(info: regulation_packs.PackInfo, wanted: int | None):
    return info.version(wanted) if wanted is not None else (info.deployed or info.versions[0])


def kind_label(path: str) -> str:
    if path == "pack.yaml":
        return _("Описание положения")
    if path.startswith("roadmaps/"):
        return _("Дорожная карта")
    return _("Шаблон приказа")


def _problem_rows(pack_id: str, path: str, text: str, problems) -> list[dict]:
    """Problems for the editor: this file's with the line they most likely point at, other files' named."""
    rows = []
    for problem in problems:
        own = problem.file == f"{pack_id}/{path}"
        other = problem.file.split("/", 1)[-1]
        rows.append({
            "line": locate_field(text, problem.field, problem.message) if own else None,
            "item": (problem.field or _("весь файл")) if own else f"{other}: {problem.field}".rstrip(": "),
            "message": problem.message, "text": str(problem)})
    return rows


def _render_file(info, base, path: str, form: FileForm, problems=(), status: int = 200):
    return render_template("packs/file.html", info=info, base=base, path=path, form=form, problems=list(problems),
                           kind=kind_label(path), is_new=path not in base.files), status


# -- pages ----------------------------------------------------------------------------------------

@bp.route("")
@require_role(Role.METHODOLOGIST)
def index():
    db = get_db()
    packs = regulation_packs.list_packs(db, require_actor())
    db.commit()  # the shipped folders imported on first use
    return render_template("packs/index.html", packs=packs)


@bp.route("/<pack_id>")
@require_role(Role.METHODOLOGIST)
def show(pack_id: str):
    db = get_db()
    info = regulation_packs.get_pack(db, require_actor(), pack_id)
    db.commit()
    shown = _shown(info, _version_arg("version"))
    changed = {v.version: regulation_packs.changed_files(
        next((o for o in info.versions if o.version == (v.base_version or v.version - 1)), None), v)
        for v in info.versions}
    return render_template("packs/pack.html", info=info, shown=shown, changed=changed, kind_label=kind_label,
                           deploy_form=ActionForm(), new_file_form=NewFileForm(), upload_form=UploadForm())


@bp.route("/<pack_id>/new-file", methods=["POST"])
@require_role(Role.METHODOLOGIST)
def new_file(pack_id: str):
    info = regulation_packs.get_pack(get_db(), require_actor(), pack_id)
    form = NewFileForm()
    if not form.validate():
        abort(400)
    try:
        path = regulation_packs.editable_path(form.path.data or "")
    except NastavnikError as error:
        flash(error.message, "error")
        return redirect(url_for("packs.show", pack_id=pack_id))
    base = info.deployed or info.versions[0]
    return redirect(url_for("packs.edit", pack_id=pack_id, path=path, version=base.version))


@bp.route("/<pack_id>/files/<path:path>", methods=["GET", "POST"])
@require_role(Role.METHODOLOGIST)
def edit(pack_id: str, path: str):
    db, actor = get_db(), require_actor()
    info = regulation_packs.get_pack(db, actor, pack_id)
    if not regulation_packs.EDITABLE.fullmatch(path):
        abort(404)
    if request.method == "GET":
        base = _shown(info, _version_arg("version"))
        form = FileForm(data={"content": base.files.get(path, ""), "base_version": base.version})
        db.commit()
        return _render_file(info, base, path, form)
    form = FileForm()
    base = info.deployed or info.versions[0]
    if (form.base_version.data or "").isdigit():
        base = next((v for v in info.versions if v.version == int(form.base_version.data)), base)
    if not form.validate():
        return _render_file(info, base, path, form, status=422)
    text = form.content.data or ""
    try:
        row = regulation_packs.save_file(db, actor, pack_id, path, text, note=form.note.data,
                                         base_version=base.version)
    except PackError as error:
        return _render_file(info, base, path, form, _problem_rows(pack_id, path, text, error.problems), status=422)
    except NastavnikError as error:
        if place_error(form, error) is not None:
            form.content.errors = [error.message]
        return _render_file(info, base, path, form, status=status_for(error))
    db.commit()
    flash(_("Сохранена версия %(version)s. Она ещё не действует: разверните её, когда проверите.",
            version=row.version), "success")
    return redirect(url_for("packs.show", pack_id=pack_id, version=row.version))


@bp.route("/<pack_id>/files/<path:path>/validate", methods=["POST"])
@require_role(Role.METHODOLOGIST)
def validate(pack_id: str, path: str):
    db, actor = get_db(), require_actor()
    info = regulation_packs.get_pack(db, actor, pack_id)  # who may see the pack before what they sent
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("content"), str):
        return jsonify(problems=[], error=_("Ожидается JSON с полем content (текст файла).")), 400
    if len(payload["content"].encode("utf-8")) > MAX_TEXT or not regulation_packs.EDITABLE.fullmatch(path):
        abort(400)
    base = info.deployed or info.versions[0]
    if str(payload.get("base_version", "")).isdigit():
        base = next((v for v in info.versions if v.version == int(payload["base_version"])), base)
    text = normalise_text(payload["content"])
    problems = regulation_packs.problems_of(db, pack_id, {**base.files, path: text}, list(base.rule_files))
    return jsonify(problems=_problem_rows(pack_id, path, text, problems))


@bp.route("/<pack_id>/upload", methods=["POST"])
@require_role(Role.METHODOLOGIST)
def upload(pack_id: str):
    db, actor = get_db(), require_actor()
    info = regulation_packs.get_pack(db, actor, pack_id)
    form = UploadForm()
    problems: list = []
    if form.validate_on_submit():
        data = form.archive.data.read(MAX_ARCHIVE + 1)
        try:
            if len(data) > MAX_ARCHIVE:
                raise NastavnikError(_("Архив больше 4 МБ."), where="archive")
            row = pack_import.save_archive(db, actor, pack_id, data, note=form.note.data)
        except PackError as error:
            problems = error.problems
        except NastavnikError as error:
            form.archive.errors = [error.message]
        else:
            db.commit()
            flash(_("Архив сохранён как версия %(version)s. Она ещё не действует: разверните её, когда проверите.",
                    version=row.version), "success")
            return redirect(url_for("packs.show", pack_id=pack_id, version=row.version))
    return render_template("packs/upload.html", info=info, form=form, problems=problems), 422


@bp.route("/<pack_id>/versions/<int:version>/deploy", methods=["POST"])
@require_role(Role.METHODOLOGIST)
def deploy(pack_id: str, version: int):
    if not ActionForm().validate():
        abort(400)
    db = get_db()
    try:
        row = regulation_packs.deploy(db, require_actor(), pack_id, version)
    except PackError as error:
        db.rollback()
        flash(_("Версия %(version)s не развёрнута: %(problem)s", version=version, problem=error.message), "error")
        return redirect(url_for("packs.show", pack_id=pack_id, version=version))
    db.commit()
    flash(_("Версия %(version)s развёрнута: новые программы и документы организаций, работающих по положению, "
            "следуют ей.", version=row.version), "success")
    return redirect(url_for("packs.show", pack_id=pack_id, version=row.version))


@bp.route("/<pack_id>/diff")
@require_role(Role.METHODOLOGIST)
def compare(pack_id: str):
    info = regulation_packs.get_pack(get_db(), require_actor(), pack_id)
    new = info.version(_version_arg("new") or info.versions[0].version)
    old = info.version(_version_arg("old") or max(new.version - 1, 1))
    files = []
    for path in regulation_packs.changed_files(old, new):
        before, after = old.files.get(path, ""), new.files.get(path, "")
        files.append({"path": path, "kind": kind_label(path), "added": path not in old.files,
                      "removed": path not in new.files, "hunks": text_diff.side_by_side(before, after),
                      "unified": text_diff.unified(before, after, f"{path} v{old.version}", f"{path} v{new.version}")})
    return render_template("packs/diff.html", info=info, old=old, new=new, files=files,
                           rules_changed=sorted(set(old.rule_files) ^ set(new.rule_files)))
