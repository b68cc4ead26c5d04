"""Forms methodologists design (form-js in the browser, ``engine.services.methodology.designed_forms``): the list,
the editor (save the draft as JSON, deploy a version), the forms and versions as JSON; and the step page of a user
task that names a designed form, for the person it waits for (``engine.services.tasks.designed_step``): the
fields are rendered here, server-side, from the version the process pinned; the engine checks the answers.
The JSON save takes the CSRF token in the ``X-CSRFToken`` header."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from engine.errors import ConflictError, NastavnikError, NotFound, PermissionDenied
from engine.forms.designed import from_strings
from engine.services.methodology import designed_forms
from engine.services.people.actor import Role
from engine.services.tasks import designed_step
from web.access import require_actor, require_role
from web.db import get_db
from web.errors import status_for

bp = Blueprint("designed_forms", __name__)
ROLE = Role.METHODOLOGIST


class NewForm(FlaskForm):
    key = StringField(_l("Ключ (латиницей)"), validators=[DataRequired(_l("Введите ключ формы.")), Length(max=63)])
    title = StringField(_l("Название"), validators=[DataRequired(_l("Введите название формы.")), Length(max=255)])


class PostForm(FlaskForm):
    """A POST with the CSRF token (deploy, a step's answers)."""


@bp.route("/methodology/forms", methods=["GET", "POST"])
@require_role(ROLE)
def index():
    db, actor = get_db(), require_actor()
    form = NewForm()
    if form.validate_on_submit():
        key = (form.key.data or "").strip()
        try:
            if any(s.key == key for s in designed_forms.forms(db, actor)):
                raise ConflictError(_("Форма с ключом «%(key)s» уже есть.", key=key), where="key")
            designed_forms.save_draft(db, actor, key, form.title.data or "", designed_forms.EMPTY_SCHEMA)
            db.commit()
            return redirect(url_for(".edit", key=key))
        except NastavnikError as error:
            db.rollback()
            getattr(form, error.where or "key", form.key).errors = [str(error.message)]
    status = 422 if form.errors else 200
    return render_template("designed_forms/index.html", forms=designed_forms.forms(db, actor), form=form), status


@bp.route("/methodology/forms/<key>")
@require_role(ROLE)
def edit(key: str):
    db, actor = get_db(), require_actor()
    rows = designed_forms.versions(db, actor, key)
    return render_template("designed_forms/editor.html", row=rows[0], versions=rows, post_form=PostForm())


@bp.route("/methodology/forms.json")
@require_role(ROLE)
def list_json():
    summaries = designed_forms.forms(get_db(), require_actor())
    return jsonify(forms=[{"key": s.key, "title": s.title, "latest_version": s.latest.version,
                           "deployed_version": s.deployed.version if s.deployed else None} for s in summaries])


@bp.route("/methodology/forms/<key>.json")
@require_role(ROLE)
def get_json(key: str):
    raw = request.args.get("version") or ""
    if raw and not raw.isdigit():
        abort(404)
    row = designed_forms.get(get_db(), require_actor(), key, int(raw) if raw else None)
    versions = designed_forms.versions(get_db(), require_actor(), key)
    return jsonify(**designed_forms.as_json(row), versions=[{"version": v.version, "status": v.status} for v in versions])


@bp.route("/methodology/forms/<key>/save", methods=["POST"])
@require_role(ROLE)
def save(key: str):
    db, actor = get_db(), require_actor()
    body = request.get_json(silent=True)
    try:
        if not isinstance(body, dict):
            raise NastavnikError(_("Ожидался JSON-объект с полями title и schema."))
        saved = designed_forms.save_draft(db, actor, key, str(body.get("title") or ""), body.get("schema"))
        db.commit()
    except NastavnikError as error:
        db.rollback()
        return jsonify(ok=False, message=str(error.message), where=error.where), status_for(error)
    return jsonify(ok=True, version=saved.version, status=saved.status, problems=designed_forms.as_json(saved)["problems"],
                   message=_("Черновик версии %(n)s сохранён.", n=saved.version))


@bp.route("/methodology/forms/<key>/deploy", methods=["POST"])
@require_role(ROLE)
def deploy(key: str):
    db, actor = get_db(), require_actor()
    if not PostForm().validate_on_submit():
        abort(400)
    try:
        row = designed_forms.deploy(db, actor, key)
        db.commit()
        flash(_("Версия %(n)s формы «%(title)s» развёрнута: её можно выбрать для задачи в редакторе процесса.",
                n=row.version, title=row.title), "success")
    except (NotFound, PermissionDenied):
        raise
    except NastavnikError as error:
        db.rollback()
        problems = "; ".join(p.message for p in getattr(error, "problems", [])) or str(error.message)
        flash(_("Форма не развёрнута: %(problems)s", problems=problems), "error")
    return redirect(url_for(".edit", key=key))


@bp.route("/steps/<int:instance_id>/<task_id>", methods=["GET", "POST"])
@login_required
def step(instance_id: int, task_id: str):
    """The step of a designed form, for the person (or role) it waits for."""
    db, actor = get_db(), require_actor()
    page = designed_step.step(db, actor, instance_id, task_id[:36])
    form, error, values = PostForm(), None, request.form
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        data = from_strings(page.fields, request.form.get, request.form.getlist)
        version = request.form.get("version") or ""
        try:
            designed_step.complete(db, actor, instance_id, page.task.task_id, data,
                                   expected_version=int(version) if version.isdigit() else None)
            db.commit()
            flash(_("Шаг «%(name)s» выполнен.", name=page.task.name), "success")
            return redirect(url_for("home.index"))
        except (NotFound, PermissionDenied):
            raise
        except NastavnikError as refused:
            db.rollback()
            error = refused
            page = designed_step.step(db, actor, instance_id, task_id[:36])
    status = status_for(error) if error is not None else 200
    return render_template("designed_forms/step.html", page=page, form=form, error=error, values=values), status
