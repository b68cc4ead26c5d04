"""The methodologist's rule files: versions and their use, the editor (checked as you type and on save),
deploying a version, trying a ruleset on facts, and the difference between two versions.

The rule registry is process-wide; ``activate_deployed_rules`` (called by create_app) makes it run this
app's deployed versions, and every request checks it still does (``web.deployed``: another app in the same
process, as in the tests, or another process may have deployed something else).
"""
from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from engine.errors import NastavnikError, RuleFileError
from engine.rules import diff as rules_diff
from engine.services.methodology import rule_deployment, rule_files, rule_trials
from engine.services.people.actor import Role
from web.access import require_actor, require_role
from web.converters import id_arg
from web.db import database, get_db
from web.errors import place_error, status_for

bp = Blueprint("rulefiles", __name__, url_prefix="/methodology/rules")

MAX_TEXT = 256 * 1024


class SaveForm(FlaskForm):
    content = TextAreaField(_l("Текст файла"), validators=[Length(max=MAX_TEXT)],
                            render_kw={"spellcheck": "false", "autocomplete": "off", "wrap": "off"})
    comment = StringField(_l("Комментарий к версии"), validators=[Optional(), Length(max=rule_files.MAX_COMMENT)])
    base_version = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes something (CSRF token only)."""


class TryForm(FlaskForm):
    """CSRF for the trial form; the fact inputs are made from the ruleset (``rule_trials.fact_fields``)."""


# -- the running rules follow the database ---------------------------------------------------------

def activate_deployed_rules(app: Flask) -> None:
    """Run this app's deployed rule versions; a database without tables yet is left for later."""
    rule_deployment.follow_deployed(database(app).session_factory)


@bp.context_processor
def _tabs() -> dict:
    methodology = "methodology.index" in current_app.view_functions
    return {"methodology_url": url_for("methodology.index") if methodology else None}


# -- pages ----------------------------------------------------------------------------------------

@bp.route("")
@require_role(Role.METHODOLOGIST)
def index():
    db = get_db()
    files = rule_files.list_files(db, require_actor())
    db.commit()  # the shipped files imported on first use
    return render_template("rulefiles/index.html", files=files)


def _version_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        abort(404)
    return int(raw)


def _shown_version(info: rule_files.FileInfo, wanted: int | None) -> rule_files.VersionInfo:
    """The version asked for, else the deployed one, else the newest."""
    return info.version(wanted) if wanted is not None else (info.deployed or info.versions[0])


def _render_file(info, version, form: SaveForm, problems=(), status: int = 200):
    actor = require_actor()
    programs = {v.row.version: rule_files.programs_using(get_db(), actor, info, v) for v in info.versions}
    show_programs = "programs.show" in current_app.view_functions
    return render_template("rulefiles/file.html", info=info, shown=version, form=form, problems=list(problems),
                           programs=programs, show_programs=show_programs, deploy_form=ActionForm()), status


@bp.route("/<name>", methods=["GET", "POST"])
@require_role(Role.METHODOLOGIST)
def show(name: str):
    db = get_db()
    actor = require_actor()
    info = rule_files.get_file(db, actor, name)
    if request.method == "GET":
        version = _shown_version(info, _version_arg("version"))
        form = SaveForm(data={"content": version.row.content, "base_version": version.row.version})
        db.commit()
        return _render_file(info, version, form)
    form = SaveForm()
    base = info.versions[0]
    if (form.base_version.data or "").isdigit():
        base = next((v for v in info.versions if v.row.version == int(form.base_version.data)), base)
    if not form.validate():
        return _render_file(info, base, form, status=422)
    try:
        row = rule_files.save_version(db, actor, name, form.content.data or "", form.comment.data)
    except RuleFileError as error:
        return _render_file(info, base, form, error.problems, status=422)
    except NastavnikError as error:
        if place_error(form, error) is not None:  # not a field's (the file as a whole): under the text
            form.content.errors = [error.message]
        return _render_file(info, base, form, status=status_for(error))
    db.commit()
    flash(_("Сохранена версия %(version)s. Она ещё не действует: разверните её, когда проверите.",
            version=row.version), "success")
    return redirect(url_for("rulefiles.show", name=info.name, version=row.version))


@bp.route("/<name>/validate", methods=["POST"])
@require_role(Role.METHODOLOGIST)
def validate(name: str):
    db, actor = get_db(), require_actor()
    rule_files.get_file(db, actor, name)  # who may see the file before what they sent
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("content"), str):
        return jsonify(problems=[], error=_("Ожидается JSON с полем content (текст файла).")), 400
    if len(payload["content"].encode("utf-8")) > MAX_TEXT:
        return jsonify(problems=[{"line": None, "item": "файл", "text": _("Файл больше 256 КБ."),
                                  "message": _("Файл больше 256 КБ.")}])
    problems = rule_files.check_text(db, actor, name, payload["content"])
    return jsonify(problems=[p.as_dict() for p in problems])


@bp.route("/<name>/versions/<int:version>/deploy", methods=["POST"])
@require_role(Role.METHODOLOGIST)
def deploy(name: str, version: int):
    form = ActionForm()
    if not form.validate():
        abort(400)
    db = get_db()
    row = rule_deployment.deploy(db, require_actor(), name, version)
    db.commit()
    flash(_("Версия %(version)s развёрнута: новые решения принимаются по ней.", version=row.version), "success")
    return redirect(url_for("rulefiles.show", name=name, version=row.version))


@bp.route("/<name>/try", methods=["GET", "POST"])
@require_role(Role.METHODOLOGIST)
def trial(name: str):
    db = get_db()
    actor = require_actor()
    info = rule_files.get_file(db, actor, name)
    wanted = _version_arg("version") if request.method == "GET" else (
        int(request.form["version"]) if request.form.get("version", "").isdigit() else None)
    version = _shown_version(info, wanted)
    ruleset = rule_files.parsed(version.row)
    form = TryForm()
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    decision = person = None
    status = 200
    if request.method == "POST":
        if not form.validate():
            abort(400)
        values = {key: value for key, value in request.form.items() if key.startswith("fact_")}
        facts, errors = rule_trials.parse_facts(ruleset, values)
        if errors:
            status = 422
        else:
            decision = rule_trials.decide(version.row.content, version.row.file_name, facts)
    elif (person_id := id_arg("person")) is not None:
        person, facts = rule_trials.person_facts(db, actor, ruleset, person_id)
        db.commit()
        values = rule_trials.form_values(ruleset, facts)
        _parsed, errors = rule_trials.parse_facts(ruleset, values)
        decision = rule_trials.decide(version.row.content, version.row.file_name, facts)
    return render_template(
        "rulefiles/try.html", info=info, shown=version, ruleset=ruleset, form=form,
        fields=rule_trials.fact_fields(ruleset), values=values, errors=errors, decision=decision,
        outputs=rule_trials.outputs_shown(ruleset, decision) if decision else [], person=person,
        people=rule_trials.people(db, actor)), status


@bp.route("/<name>/diff")
@require_role(Role.METHODOLOGIST)
def compare(name: str):
    info = rule_files.get_file(get_db(), require_actor(), name)
    newest = info.versions[0].row.version
    new_number = _version_arg("new") or newest
    old_number = _version_arg("old") or max(new_number - 1, 1)
    old, new = info.version(old_number), info.version(new_number)
    changes = rules_diff.compare(rule_files.parsed(old.row), rule_files.parsed(new.row))
    return render_template(
        "rulefiles/diff.html", info=info, old=old, new=new, changes=changes,
        summary=rules_diff.summarise(changes), hunks=rules_diff.side_by_side(old.row.content, new.row.content),
        unified=rules_diff.unified(old.row.content, new.row.content, f"{info.file_name} v{old.row.version}",
                                   f"{info.file_name} v{new.row.version}"))
